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
# Beyond the root, a module of bot/ is given the use cases it calls: it never sees a store (the
# ports, an attribute named repository), the whole Services, or the settings (bot/serve.py starts
# the bot as the settings say).
HANDLERS_NEVER = {"usecases.ports", "bot.services", "bot.config", "storage"}
HANDLERS_NEVER_READ = {"repository"}


def _modules(path: Path) -> set[str]:
    """Return the modules a module imports, by their full dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _imports(path: Path) -> set[str]:
    """Return the top-level packages a module imports (lazily inside functions too)."""
    return {module.split(".")[0] for module in _modules(path)}


def _reaching_past_use_cases() -> set[str]:
    """Return how each module of bot/ outside its root reaches storage, Services or the settings."""
    wrong: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        if name in COMPOSITION_ROOT | {"bot/serve.py"}:
            continue
        for module in _modules(path):
            if any(module == never or module.startswith(f"{never}.") for never in HANDLERS_NEVER):
                wrong.add(f"{name} imports {module}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        wrong |= {f"{name} reads .{attribute}" for attribute in attributes & HANDLERS_NEVER_READ}
    return wrong


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


def test_handlers_are_given_use_cases_and_never_reach_a_store() -> None:
    """No module of bot/ beyond the root imports a port, Services or the settings, or reads .repository."""
    assert not _reaching_past_use_cases()


def test_the_check_would_see_a_handler_reaching_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler given Services that read its repository would be named, and so would a port."""
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "handler.py").write_text(
        "from bot.services import Services\n\n"
        "async def on_x(services: Services) -> None:\n"
        "    await services.repository.window(1)\n"
    )
    (tmp_path / "bot" / "picker.py").write_text("from usecases.ports import OfficialStore\n")
    (tmp_path / "bot" / "app.py").write_text("from bot.services import Services\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _reaching_past_use_cases() == {
        "bot/handler.py imports bot.services",
        "bot/handler.py reads .repository",
        "bot/picker.py imports usecases.ports",
    }
