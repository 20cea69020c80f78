"""Outcomes that mean the same thing in several use cases: one class each, so a `match` cannot miss."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NotAllowed:
    """The actor may not do this to that window (or it does not exist); nothing is said about it."""


@dataclass(frozen=True, slots=True)
class NotYours:
    """Only the leader who opened the unit's window may do this (score it, write its notes)."""


@dataclass(frozen=True, slots=True)
class TooLong:
    """The text is longer than allowed; nothing was saved."""

    limit: int
    length: int
