"""Persistence: one async repository over SQLite."""
