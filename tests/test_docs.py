"""The console examples of README.md and docs/*.md print what their commands print now.

docs/regenerate.py runs every example's `$ kg ...` lines (see its docstring); these tests
run it in memory on the tree, and on a small copy of one README example with a changed
line, to show that a drifted example fails and what it fails with.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "docs" / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


regenerate = _regenerate()

JSON_EXAMPLE = "$ kg audit --check sentra.low_occupancy --format json"
LOAD_EXAMPLE = "$ kg load | head -n 16"


def readme_example(command: str) -> list[str]:
    """The lines of the README's console block whose first line is ``command``."""
    for _, _, block in regenerate.blocks("README.md", (ROOT / "README.md").read_text("utf-8")):
        if block.body[:1] == [command]:
            return list(block.body)
    raise AssertionError(f"the README has no example starting with {command!r}")


def console(lines: list[str]) -> str:
    """A console block of ``lines`` in the workspace ``copy``."""
    return "\n".join(["<!-- console: copy -->", "```console", *lines, "```", ""])


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, list[str]]:
    """A README made of copies of examples, regenerated: its text, the new text, the diffs.

    1. `kg load`, shown with another duration (`in 9.9 s`) and its first three lines;
    2. the README's JSON audit example with one number changed (45 kiosks for 44);
    3. an audit's first two lines (`| head -n 2`), its output not written yet.
    """
    root = tmp_path_factory.mktemp("docs")
    changed = [line.replace("44 of 74", "45 of 74") for line in readme_example(JSON_EXAMPLE)]
    assert changed != readme_example(JSON_EXAMPLE)
    loaded = readme_example(LOAD_EXAMPLE)[1:4]
    slower = [re.sub(r"in [0-9.]+ s$", "in 9.9 s", loaded[0]), *loaded[1:]]
    assert slower[0] != loaded[0]
    text = "\n".join([
        console(["$ kg load | head -n 3", *slower]),
        console(changed),
        console(["$ kg audit --check sentra.low_occupancy | head -n 4"]),
    ])  # fmt: skip
    (root / "README.md").write_text(text, encoding="utf-8")
    old, new, diffs = regenerate.regenerated(root)["README.md"]
    return old, new, diffs


def test_every_example_in_the_docs_prints_what_its_commands_print_now() -> None:
    diffs = regenerate.check(ROOT)
    assert not diffs, (
        "examples differ from what their commands print now; if the change is intended, "
        "run `python docs/regenerate.py`:\n\n" + "\n\n".join(diffs)
    )


def test_a_changed_example_fails_with_a_diff_naming_its_block_and_line(
    copied: tuple[str, str, list[str]],
) -> None:
    old, _, diffs = copied
    fences = [number for number, line in enumerate(old.split("\n"), 1) if line == "```console"]
    changed = [diff for diff in diffs if f"--- README.md:{fences[1]} (the example)" in diff]
    assert len(changed) == 1
    removed = [line for line in changed[0].splitlines() if line.startswith("-  ")]
    added = [line for line in changed[0].splitlines() if line.startswith("+  ")]
    assert len(removed) == len(added) == 1
    assert "45 of 74" in removed[0] and "44 of 74" in added[0]


def test_an_example_differing_only_in_a_duration_passes_and_is_left_as_written(
    copied: tuple[str, str, list[str]],
) -> None:
    old, new, diffs = copied
    assert not [diff for diff in diffs if "$ kg load" in diff]
    assert "in 9.9 s" in new
    assert new.split("```", 2)[1] == old.split("```", 2)[1]


def test_head_shows_the_first_lines_of_the_output(copied: tuple[str, str, list[str]]) -> None:
    _, new, _ = copied
    body = new.split("| head -n 4\n", 1)[1].split("```", 1)[0].splitlines()
    assert body == [
        f"As of {regenerate.AS_OF}",
        "",
        "Sentra with low kiosk occupancy [sentra.low_occupancy, warning]: 1",
        "  - Sentra IKM Logam Kawasan Industri Wijaya Kusuma (KIW): 44 of 74 kiosks occupied "
        "(59%)",
    ]


def test_a_console_block_without_its_workspace_comment_is_refused(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("```console\n$ kg stats\n```\n", encoding="utf-8")
    refused = r"README\.md:1: a console block needs a `<!-- console: "
    with pytest.raises(regenerate.ExampleError, match=refused):
        regenerate.check(tmp_path)


def test_an_example_may_show_only_kg_commands(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(console(["$ rm -rf .sentra-kg"]), encoding="utf-8")
    refused = r"README\.md:2: an example runs kg, not 'rm -rf"
    with pytest.raises(regenerate.ExampleError, match=refused):
        regenerate.check(tmp_path)
