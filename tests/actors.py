"""Who calls the use cases in their unit tests: two leaders and an admin."""

from __future__ import annotations

from usecases.access import Actor, Role

LEADER = Actor(1, "张组长", Role.LEADER)
OTHER = Actor(2, "李组长", Role.LEADER)
ADMIN = Actor(3, "县廉效办", Role.ADMIN)
