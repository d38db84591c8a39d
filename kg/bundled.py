"""Datasets bundled with sentra-kg (package data under ``kg/datasets/``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib.resources import as_file, files
from pathlib import Path

DEFAULT = "semarang"


def bundled() -> list[str]:
    """Names of the bundled datasets."""
    root = files("kg").joinpath("datasets")
    return sorted(e.name for e in root.iterdir() if e.is_dir() and not e.name.startswith("_"))


@contextmanager
def dataset_paths(paths: tuple[str, ...]) -> Iterator[list[Path]]:
    """Filesystem paths for ``paths``; a bundled dataset's name stands for its directory.

    No ``paths`` means the default bundled dataset.
    """
    names = bundled()
    with ExitStack() as stack:
        resolved = []
        for text in paths or (DEFAULT,):
            path = Path(text)
            if not path.exists() and text in names:
                path = stack.enter_context(as_file(files("kg").joinpath("datasets", text)))
            resolved.append(path)
        yield resolved
