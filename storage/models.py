"""What the repository returns: plain models, never rows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Window(BaseModel):
    """A unit's survey window, opened by one group leader."""

    model_config = ConfigDict(frozen=True)

    id: int
    token: str
    unit: str
    leader_id: int
    is_open: bool
    opened_at: datetime
    closed_at: datetime | None = None


class WindowSummary(BaseModel):
    """A window with how many ballots it has received."""

    model_config = ConfigDict(frozen=True)

    window: Window
    ballots: int
