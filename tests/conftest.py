"""Settings for the whole suite."""

from __future__ import annotations

from hypothesis import settings

# Property tests check what happens, not how fast: on a loaded machine a generous example may
# take longer than Hypothesis's default 200 ms deadline, which would fail a test that is right.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
