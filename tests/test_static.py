"""Static checks are part of the suite: ruff on everything, mypy --strict on the library."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = {"schema": "schema", "loaders": "loaders", "queries": "queries", "viz": "viz"}


def tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_ruff_finds_nothing() -> None:
    done = subprocess.run([tool("ruff"), "check", "--no-cache", str(ROOT)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout


def installed_layout(where: Path) -> Path:
    """The package as installed (``kg/schema`` for ``schema/``, ...), as symlinks under
    ``where``: mypy and import-linter cannot follow setuptools' package-dir mapping."""
    tree = where / "kg"
    tree.mkdir()
    for entry in (ROOT / "kg").iterdir():
        (tree / entry.name).symlink_to(entry)
    for name, folder in SUBPACKAGES.items():
        (tree / name).symlink_to(ROOT / folder)
    return where


@pytest.mark.slow
def test_mypy_strict_passes_on_the_library(tmp_path: Path) -> None:
    installed_layout(tmp_path)
    done = subprocess.run(
        [tool("mypy"), "--config-file", str(ROOT / "pyproject.toml"), "--no-incremental",
         "-p", "kg"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stdout
