"""The layers of ARCHITECTURE.md as its table draws them: each package imports only what it allows."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = {"bot", "web", "usecases", "conversations", "storage", "reports", "emulator", "benchmarks", "tests"}
# The table in ARCHITECTURE.md: the project packages each layer may import, and the outside
# libraries it must not (SQL, Telegram and HTTP belong to the layers named for them).
ALLOWED = {
    "conversations": {"conversations"},
    "storage": {"storage", "conversations"},
    "reports": {"reports", "conversations"},
    "usecases": {"usecases", "conversations", "reports"},
    "web": {"web", "usecases", "conversations", "reports"},
    "bot": {"bot", "web", "usecases", "conversations", "reports"},
}
NEVER = {
    "conversations": {"telegram", "aiosqlite", "sqlite3", "aiohttp"},
    "storage": {"telegram", "aiohttp"},
    "reports": {"telegram", "aiosqlite", "sqlite3", "aiohttp"},
    "usecases": {"telegram", "aiosqlite", "sqlite3", "aiohttp"},
    "web": {"telegram", "aiosqlite", "sqlite3"},
    "bot": {"aiosqlite", "sqlite3"},
}
# The composition root opens the database, builds the stores and wires them in; no other module of
# bot/ touches storage or SQL.
COMPOSITION_ROOT = {"bot/app.py", "bot/services.py", "bot/__main__.py", "bot/check.py"}


def _imports(path: Path) -> set[str]:
    """Return the top-level packages a module imports (lazily inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def _wrong_imports(layer: str) -> set[str]:
    wrong: set[str] = set()
    for path in (ROOT / layer).rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        root = name in COMPOSITION_ROOT
        allowed = ALLOWED[layer] | ({"storage"} if root else set())
        never = NEVER[layer] - ({"sqlite3"} if root else set())
        imported = _imports(path)
        wrong |= {f"{name} imports {package}" for package in (imported & PROJECT) - allowed}
        wrong |= {f"{name} imports {package}" for package in imported & never}
    return wrong


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_what_the_table_allows(layer: str) -> None:
    """conversations/ is pure; usecases/ knows no storage; bot/ builds the stores at its root only."""
    assert not _wrong_imports(layer)


def test_every_package_is_in_the_table() -> None:
    """A new top-level package cannot slip past the check: it is in the table or a tool of the tests."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages - set(ALLOWED) <= {"emulator", "benchmarks", "tests"}


def test_the_check_would_see_a_wrong_import(tmp_path: Path) -> None:
    """The check reads imports at any depth, from-imports and plain ones alike."""
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from telegram import Bot\n    import storage.records\n")
    assert _imports(module) == {"os", "telegram", "storage"}


def test_the_check_refuses_storage_outside_the_composition_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that imported a repository would be named (the check run on a copy of bot/ with one)."""
    fake_root = tmp_path
    (fake_root / "bot").mkdir()
    (fake_root / "bot" / "handler.py").write_text("from storage.repository import Repository\n")
    (fake_root / "bot" / "services.py").write_text("from storage.repository import Repository\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    assert _wrong_imports("bot") == {"bot/handler.py imports storage"}
