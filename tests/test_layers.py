"""The layers of ARCHITECTURE.md: each package imports only from the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What each layer must never import (directly or as a submodule).
FORBIDDEN = {
    "conversations": {"bot", "usecases", "storage", "reports", "telegram", "aiosqlite", "sqlite3"},
    "storage": {"bot", "usecases", "reports", "telegram"},
    "usecases": {"bot", "telegram", "aiosqlite", "sqlite3"},
    "reports": {"bot", "usecases", "storage", "telegram", "aiosqlite"},
}


def _imports(path: Path) -> set[str]:
    """Return the top-level packages a module imports (lazily inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    """conversations/ is pure; storage/ and reports/ know no use case; usecases/ knows no Telegram nor SQL."""
    wrong = {
        f"{path.relative_to(ROOT)} imports {package}"
        for path in (ROOT / layer).rglob("*.py")
        for package in _imports(path) & FORBIDDEN[layer]
    }
    assert not wrong


def test_the_check_would_see_a_wrong_import(tmp_path: Path) -> None:
    """The check reads imports at any depth, from-imports and plain ones alike."""
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from telegram import Bot\n    import storage.models\n")
    assert _imports(module) == {"os", "telegram", "storage"}
