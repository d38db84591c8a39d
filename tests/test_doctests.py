"""The examples in the library's docstrings run and give what they show: every module of
every package pyproject.toml ships is searched, so a new example runs without being listed."""

from __future__ import annotations

import doctest
import importlib
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def modules_with_examples() -> dict[str, int]:
    """Module name -> how many ``>>>`` lines its source holds, read without importing it."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    folders = setuptools["package-dir"]
    found = {}
    for package in setuptools["packages"]:
        folder = ROOT / folders.get(package, package.replace(".", "/"))
        for source in sorted(folder.glob("*.py")):
            prompts = sum(
                line.lstrip().startswith(">>>")
                for line in source.read_text(encoding="utf-8").splitlines()
            )
            if prompts:
                name = package if source.stem == "__init__" else f"{package}.{source.stem}"
                found[name] = prompts
    return found


EXAMPLES = modules_with_examples()


def test_the_search_finds_the_packages_moved_by_package_dir() -> None:
    assert {"kg.analytics", "kg.loaders.csv_table", "kg.schema.model", "kg.viz"} <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES), ids=sorted(EXAMPLES))
def test_docstring_examples(name: str) -> None:
    """Each ``>>>`` line is an example doctest runs (none hidden where it cannot look)."""
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted == EXAMPLES[name]
    assert failed == 0
