"""Static checks are part of the suite: ruff on everything, mypy --strict on the library."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .helpers import ROOT, installed_layout, tool


def test_ruff_finds_nothing() -> None:
    done = subprocess.run([tool("ruff"), "check", "--no-cache", str(ROOT)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout


@pytest.mark.slow
def test_mypy_strict_passes_on_the_library(tmp_path: Path) -> None:
    installed_layout(tmp_path)
    done = subprocess.run(
        [tool("mypy"), "--config-file", str(ROOT / "pyproject.toml"), "--no-incremental",
         "-p", "kg"],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stdout
