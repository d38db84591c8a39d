"""Work on a second core: a forked child beside the calling process, sharing memory.

``kg.centrality`` splits its estimates over two processes with it. The child is forked
(a copy of this process, its arrays and graphs included, nothing sent), writes its result
into memory both processes share (``shared``) and ends with ``os._exit``: it runs no
clean-up of the parent's (an engine client's socket, temporary files, ``atexit``). It is
never left behind: the parent waits for it, kills it first if its own part fails or is
interrupted, and raises if the child failed. Where ``os.fork`` does not exist, the
child's work runs in this process, first.
"""

from __future__ import annotations

import mmap
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["ChildFailed", "in_child", "shared"]


class ChildFailed(RuntimeError):
    """The child's work raised, or the child was killed; its traceback went to stderr."""


def shared(size: int) -> npt.NDArray[np.float64]:
    """``size`` floats, zero, in memory a child forked afterwards shares with this
    process (what one writes, the other reads)."""
    import numpy as np

    memory = mmap.mmap(-1, max(1, size) * 8)  # anonymous and shared
    return np.frombuffer(memory, dtype=np.float64, count=size)


@contextmanager
def in_child(work: Callable[[], None]) -> Iterator[None]:
    """Run ``work`` in a forked child while the ``with`` block runs here; leave the block
    once both are done. Raises ``ChildFailed`` if ``work`` raised; if the block raises
    (or is interrupted), the child is killed and waited for before the error goes on."""
    if not hasattr(os, "fork"):
        work()
        yield
        return
    with warnings.catch_warnings():
        # numpy's BLAS threads make every process multi-threaded; the child runs only
        # `work` (igraph and numpy, no lock another thread could hold) and _exits.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded",
                                DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            work()
            code = 0
        except KeyboardInterrupt:  # Ctrl-C reaches the whole group: the parent says it
            pass
        except BaseException:  # reported, then the child ends
            traceback.print_exc(file=sys.stderr)
        finally:
            os._exit(code)
    status = None
    try:
        yield
        _, status = os.waitpid(pid, 0)
    except BaseException:
        if status is None:  # not waited for yet: end it first
            with suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        raise
    if os.waitstatus_to_exitcode(status) != 0:
        raise ChildFailed(f"the child process {pid} failed "
                          f"(exit {os.waitstatus_to_exitcode(status)})")
