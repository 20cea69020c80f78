"""Close a window in a process of its own, optionally killing itself at the n-th progress tick.

    python -m tests.closing_child DATABASE WINDOW count     # close; print how many ticks it took
    python -m tests.closing_child DATABASE WINDOW kill N    # SIGKILL itself at tick N of the close
    python -m tests.closing_child DATABASE WINDOW wait      # say "closing", then close (killed from outside)

SQLite calls the progress handler every few virtual-machine instructions, inside every
statement of the close: its transaction, VACUUM's copying and the final update. A kill there is
as abrupt as a power cut seen from the files.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from storage.repository import Repository

TICK = 100  # virtual-machine instructions between two calls of the progress handler


async def close(path: Path, window_id: int, mode: str, kill_at: int) -> None:
    """Open the repository, then close the window, counting (or dying at) progress ticks."""
    ticks = 0

    def tick() -> int:
        nonlocal ticks
        ticks += 1
        if ticks == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return 0

    async with Repository(path) as repository:
        await repository._db.set_progress_handler(tick, TICK)
        print("closing", flush=True)
        closed = await repository.close_window(window_id)
        await repository._db.set_progress_handler(lambda: 0, TICK)  # stop counting
    print(ticks if mode == "count" else closed, flush=True)


if __name__ == "__main__":
    database, window, mode, *rest = sys.argv[1:]
    asyncio.run(close(Path(database), int(window), mode, int(rest[0]) if rest else 0))
