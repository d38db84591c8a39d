"""The layering is a contract (pyproject.toml, ``[tool.importlinter]``), checked here with
import-linter: the CLI on top, then the features, the loaders, the queries and the store,
the schema, and the errors at the bottom; each imports only what lies below it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .test_static import ROOT, installed_layout, tool


def test_import_contracts_hold(tmp_path: Path) -> None:
    installed_layout(tmp_path)
    done = subprocess.run(
        [tool("lint-imports"), "--no-cache", str(ROOT / "pyproject.toml")],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout
