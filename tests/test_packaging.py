"""Both install modes import every subpackage and find the query files and bundled data."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PACKAGE_DIRS = {"kg": "kg", "kg.schema": "schema", "kg.loaders": "loaders",
                "kg.queries": "queries", "kg.viz": "viz"}


def source_modules() -> list[str]:
    """Every module of the source tree, by the name it is installed under."""
    names = []
    for package, folder in PACKAGE_DIRS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__main__":
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if package == "kg" and parts and parts[0] in {"schema", "loaders", "queries", "viz"}:
                continue
            names.append(".".join((package, *parts)))
    return names


PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
import kg
from pathlib import Path
from kg.queries import all_queries, checks
from kg.bundled import bundled, resolve
from kg.loaders import read_dataset
assert len(checks()) == 27, checks()
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
    # A copy of the tracked files: a build/ left in the working tree must not hide a
    # module the package list forgets.
    source = tmp_path / "source"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    target = ["-e", str(source)] if editable else [str(source)]
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", *target],
        check=True,
        cwd=tmp_path,
    )
    done = subprocess.run(
        [python, "-c", PROBE, *source_modules()],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )
    assert done.returncode == 0, done.stderr
    kg_file, queries_file, count, datasets, nodes = done.stdout.split(maxsplit=4)
    inside = str(source) if editable else str(env)
    assert kg_file.startswith(inside) and queries_file.startswith(inside)
    assert int(count) >= 17
    assert "semarang" in datasets
    assert int(nodes) > 50
