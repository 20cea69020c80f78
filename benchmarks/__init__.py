"""Benchmarks: scripts that print figures (see BENCHMARKS.md), never timed unit tests."""
