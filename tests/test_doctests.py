"""The examples in the library's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "kg.analytics",
    "kg.export",
    "kg.export.interchange",
    "kg.graph",
    "kg.loaders.csv_table",
    "kg.viz.page",
    "kg.viz.selection",
]


@pytest.mark.parametrize("name", MODULES, ids=MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0, f"{name} has no examples"
    assert failed == 0
