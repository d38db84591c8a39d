"""Both install modes import every subpackage and find the query files and bundled data."""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import kg, kg.schema, kg.loaders, kg.queries, kg.viz, kg.cli
from pathlib import Path
from kg.queries import all_queries, checks
from kg.bundled import bundled, resolve
from kg.loaders import read_dataset
assert len(checks()) == 19, checks()
with resolve(()) as paths:
    graph = read_dataset(paths)
print(kg.__file__, kg.queries.__file__, len(all_queries()), bundled(), len(graph.nodes))
"""


@pytest.mark.slow
@pytest.mark.parametrize("editable", [False, True], ids=["pip-install", "pip-install-e"])
def test_installed_package_finds_its_data(tmp_path: Path, editable: bool) -> None:
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    # Dependencies come from this environment, so the test needs no network.
    (next((env / "lib").glob("python*/site-packages")) / "deps.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n"
    )
    python = env / "bin" / "python"
    target = ["-e", str(ROOT)] if editable else [str(ROOT)]
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", *target],
        check=True,
        cwd=tmp_path,
    )
    done = subprocess.run(
        [python, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr
    kg_file, queries_file, count, datasets, nodes = done.stdout.split(maxsplit=4)
    inside = str(ROOT) if editable else str(env)
    assert kg_file.startswith(inside) and queries_file.startswith(inside)
    assert int(count) >= 17
    assert "semarang" in datasets
    assert int(nodes) > 50
