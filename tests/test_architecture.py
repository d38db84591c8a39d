"""The layering is a contract (pyproject.toml, ``[tool.importlinter]``), checked here with
import-linter: the CLI on top, then the features, the loaders, the queries and the store,
the schema, and the errors at the bottom; each imports only what lies below it."""

from __future__ import annotations

import json
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


CYCLES_LEFT_TO_OTHERS = [["kg.report.brief", "kg.report.page"]]
"""Import cycles that issue 29's report item removes (``brief`` uses ``page``'s private
renderer, ``page`` renders a brief); when it lands, this test fails until this is []."""

FIND_CYCLES = """
import json
import grimp, networkx
graph = grimp.build_graph("kg", include_external_packages=False)
edges = networkx.DiGraph(
    (module, imported) for module in graph.modules
    for imported in graph.find_modules_directly_imported_by(module)
)
parts = [sorted(part) for part in networkx.strongly_connected_components(edges) if len(part) > 1]
print(json.dumps(sorted(parts)))
"""


def test_no_import_cycle_between_the_packages_modules(tmp_path: Path) -> None:
    """Function-level and TYPE_CHECKING imports included (grimp reads them all)."""
    installed_layout(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", FIND_CYCLES], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)}, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == CYCLES_LEFT_TO_OTHERS
