"""An auditor's reader of SQLite files: b-tree pages, cell placement, free space and WAL frames.

It reads the bytes as https://sqlite.org/fileformat2.html describes them, without SQLite, so
the tests can look where SQLite itself never shows anything: the offset a cell was written at,
freeblocks, unallocated gaps, freelist pages and old frames of the write-ahead log.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HEADER = b"SQLite format 3\x00"
WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_HEADER = 32
FRAME_HEADER = 24
TABLE_LEAF, TABLE_INTERIOR, INDEX_LEAF, INDEX_INTERIOR = 0x0D, 0x05, 0x0A, 0x02
_BTREE_PAGES = {TABLE_LEAF, TABLE_INTERIOR, INDEX_LEAF, INDEX_INTERIOR}

Value = int | float | str | bytes | None


def varint(data: bytes, at: int) -> tuple[int, int]:
    """Return the varint at `at` and the offset after it (1 to 9 bytes, big-endian 7-bit groups)."""
    value = 0
    for index in range(8):
        byte = data[at + index]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + index + 1
    return (value << 8) | data[at + 8], at + 9


def record(payload: bytes) -> list[Value]:
    """Decode a record (header of serial types, then the values); a cut-off record decodes short."""
    header_size, at = varint(payload, 0)
    types = []
    while at < header_size:
        serial, at = varint(payload, at)
        types.append(serial)
    values: list[Value] = []
    body = header_size
    for serial in types:
        size = _serial_size(serial)
        chunk = payload[body : body + size]
        if len(chunk) < size:
            break
        values.append(_serial_value(serial, chunk))
        body += size
    return values


def _serial_size(serial: int) -> int:
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    if serial in sizes:
        return sizes[serial]
    return (serial - 12) // 2 if serial % 2 == 0 else (serial - 13) // 2


def _serial_value(serial: int, chunk: bytes) -> Value:
    if serial in {0, 10, 11}:
        return None
    if serial in {8, 9}:
        return serial - 8
    if serial <= 6:
        return int.from_bytes(chunk, "big", signed=True)
    if serial == 7:
        return float(struct.unpack(">d", chunk)[0])
    return chunk if serial % 2 == 0 else chunk.decode("utf-8", "replace")


@dataclass(frozen=True)
class Cell:
    """One cell as it lies in its page: where it was written and what it holds."""

    page: int
    offset: int  # where its content starts within the page: SQLite carves new cells downwards
    values: list[Value]
    child: int | None = None  # the left child of an interior cell


@dataclass
class Page:
    """One b-tree page, read from its bytes."""

    number: int
    data: bytes
    kind: int
    cells: list[Cell] = field(default_factory=list)
    right_child: int | None = None

    @property
    def is_leaf(self) -> bool:
        """Return True for leaf pages (cells hold rows or index entries, not children)."""
        return self.kind in {TABLE_LEAF, INDEX_LEAF}


class Database:
    """A database image: the main file's bytes, optionally with WAL frames laid over it."""

    def __init__(self, data: bytes, pages: dict[int, bytes] | None = None) -> None:
        if not data.startswith(HEADER):
            msg = "not an SQLite database"
            raise ValueError(msg)
        size = struct.unpack(">H", data[16:18])[0]
        self.page_size = 65536 if size == 1 else size
        self.usable = self.page_size - data[20]
        self.pages = {
            number + 1: data[number * self.page_size : (number + 1) * self.page_size]
            for number in range(len(data) // self.page_size)
        }
        self.pages.update(pages or {})

    @classmethod
    def open(cls, path: Path, *, with_wal: bool = True) -> Database:
        """Read the file, and lay the last committed WAL frames over it as SQLite would."""
        wal = Wal.read(path.with_name(path.name + "-wal")) if with_wal else None
        return cls(path.read_bytes(), wal.committed() if wal else None)

    def header(self) -> bytes:
        """Return the 100-byte database header (of the newest page 1)."""
        return self.pages[1][:100]

    def freelist(self) -> list[int]:
        """Return the freelist's trunk and leaf page numbers."""
        trunk = struct.unpack(">I", self.header()[32:36])[0]
        found = []
        while trunk:
            page = self.pages[trunk]
            found.append(trunk)
            count = struct.unpack(">I", page[4:8])[0]
            found += [struct.unpack(">I", page[8 + 4 * i : 12 + 4 * i])[0] for i in range(count)]
            trunk = struct.unpack(">I", page[:4])[0]
        return found

    def page(self, number: int) -> Page:
        """Parse one b-tree page with its cells."""
        data = self.pages[number]
        start = 100 if number == 1 else 0
        kind = data[start]
        if kind not in _BTREE_PAGES:
            msg = f"page {number} is not a b-tree page"
            raise ValueError(msg)
        count = struct.unpack(">H", data[start + 3 : start + 5])[0]
        header = 8 if kind in {TABLE_LEAF, INDEX_LEAF} else 12
        page = Page(number, data, kind)
        if header == 12:
            page.right_child = struct.unpack(">I", data[start + 8 : start + 12])[0]
        pointers = start + header
        for index in range(count):
            offset = struct.unpack(">H", data[pointers + 2 * index : pointers + 2 * index + 2])[0]
            page.cells.append(self._cell(number, data, kind, offset))
        return page

    def _cell(self, number: int, data: bytes, kind: int, offset: int) -> Cell:
        at = offset
        child = None
        if kind in {TABLE_INTERIOR, INDEX_INTERIOR}:
            child = struct.unpack(">I", data[at : at + 4])[0]
            at += 4
        if kind == TABLE_INTERIOR:
            divider, _ = varint(data, at)
            return Cell(number, offset, [divider], child)
        size, at = varint(data, at)
        if kind == TABLE_LEAF:  # a rowid, then the row's record
            rowid, at = varint(data, at)
            return Cell(number, offset, [rowid, *record(self._payload(data, at, size, table=True))], child)
        return Cell(number, offset, record(self._payload(data, at, size, table=False)), child)

    def _payload(self, data: bytes, at: int, size: int, *, table: bool) -> bytes:
        """Return a cell's payload, following its overflow pages."""
        most = self.usable - 35 if table else (self.usable - 12) * 64 // 255 - 23
        if size <= most:
            return data[at : at + size]
        least = (self.usable - 12) * 32 // 255 - 23
        local = least + (size - least) % (self.usable - 4)
        local = local if local <= most else least
        payload = bytearray(data[at : at + local])
        following = struct.unpack(">I", data[at + local : at + local + 4])[0]
        while following and len(payload) < size:
            page = self.pages[following]
            payload += page[4 : self.usable]
            following = struct.unpack(">I", page[:4])[0]
        return bytes(payload[:size])

    def entries(self, root: int) -> Iterator[Cell]:
        """Yield the rows (or index entries) of the b-tree at `root` in key order, with their place.

        Interior pages of an index b-tree (which is also how WITHOUT ROWID tables are kept)
        carry entries of their own between their children; table interior cells only divide.
        """
        page = self.page(root)
        if page.is_leaf:
            yield from page.cells
            return
        for cell in page.cells:
            assert cell.child is not None
            yield from self.entries(cell.child)
            if page.kind == INDEX_INTERIOR:
                yield cell
        assert page.right_child is not None
        yield from self.entries(page.right_child)

    def schema(self) -> dict[str, int]:
        """Return the root page of every table and index, read from sqlite_schema (page 1)."""
        return {
            str(cell.values[2]): int(cell.values[4] or 0)
            for cell in self.entries(1)
            if cell.values[1] in {"table", "index"}
        }

    def cells(self, name: str) -> list[Cell]:
        """Return every cell of a table or index, in key order, each with where it lies."""
        root = self.schema().get(name)
        if not root:
            return []
        return list(self.entries(root))

    def unused_space(self) -> bytes:
        """Return every byte no live cell uses: page gaps, freeblocks and freelist pages."""
        free = set(self.freelist())
        pieces = [self.pages[n] for n in free]
        for number, data in self.pages.items():
            if number in free or (number == 1 and len(data) < 100):
                continue
            start = 100 if number == 1 else 0
            if data[start] not in _BTREE_PAGES:
                continue
            page = self.page(number)
            header = start + (8 if page.is_leaf else 12)
            content = struct.unpack(">H", data[start + 5 : start + 7])[0] or 65536
            pieces.append(data[header + 2 * len(page.cells) : content])
            block = struct.unpack(">H", data[start + 1 : start + 3])[0]
            while block:
                following, size = struct.unpack(">HH", data[block : block + 4])
                pieces.append(data[block + 4 : block + size])
                block = following
        return b"".join(pieces)


@dataclass(frozen=True)
class Frame:
    """One WAL frame: the page image a transaction wrote, and whether it ends a commit."""

    index: int
    page: int
    commit_size: int  # the database size in pages after the commit; 0 unless a commit frame
    salt: tuple[int, int]
    data: bytes


@dataclass
class Wal:
    """A write-ahead log: its header's salt and every frame it holds, old ones included."""

    salt: tuple[int, int]
    frames: list[Frame]

    @classmethod
    def read(cls, path: Path) -> Wal | None:
        """Read a WAL file; None if there is none or it is empty."""
        return cls.parse(path.read_bytes()) if path.exists() else None

    @classmethod
    def parse(cls, data: bytes) -> Wal | None:
        """Parse a WAL file's bytes; None if they hold no log."""
        if len(data) < WAL_HEADER or struct.unpack(">I", data[:4])[0] not in WAL_MAGIC:
            return None
        page_size = struct.unpack(">I", data[8:12])[0]
        salt = struct.unpack(">II", data[16:24])
        frames: list[Frame] = []
        at = WAL_HEADER
        while at + FRAME_HEADER + page_size <= len(data):
            page, commit, salt1, salt2 = struct.unpack(">IIII", data[at : at + 16])
            body = data[at + FRAME_HEADER : at + FRAME_HEADER + page_size]
            frames.append(Frame(len(frames), page, commit, (salt1, salt2), body))
            at += FRAME_HEADER + page_size
        return cls((salt[0], salt[1]), frames)

    def current(self) -> list[Frame]:
        """Return the frames of the log's current generation (salt as in its header)."""
        current: list[Frame] = []
        for frame in self.frames:
            if frame.salt != self.salt:
                break
            current.append(frame)
        return current

    def committed(self) -> dict[int, bytes]:
        """Return the newest image of each page as of the last commit frame (what SQLite reads)."""
        pages: dict[int, bytes] = {}
        pending: dict[int, bytes] = {}
        for frame in self.current():
            pending[frame.page] = frame.data
            if frame.commit_size:
                pages.update(pending)
                pending.clear()
        return pages

    def commits(self) -> list[list[Frame]]:
        """Return the frames grouped by the transaction that wrote them (current generation)."""
        groups: list[list[Frame]] = [[]]
        for frame in self.current():
            groups[-1].append(frame)
            if frame.commit_size:
                groups.append([])
        return [group for group in groups if group and group[-1].commit_size]
