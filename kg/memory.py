"""Memory helpers shared by the loader and the audit."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects without cycles are built.

    Rows and query replies hold no reference cycles, yet every collection walks all live
    objects: on a national dataset (5M rows) collections took 60% of the time to read
    and validate it, and most of the Python side of its audit.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
