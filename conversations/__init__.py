"""The survey itself, pure: questionnaire models, the step engine and tallies.

Imports neither telegram nor aiosqlite.
"""
