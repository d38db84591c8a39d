"""kg.parallel: a forked child's result comes back, and no child is ever left behind."""

from __future__ import annotations

import os
import time

import pytest

from kg import parallel


def test_the_child_s_result_is_shared() -> None:
    into = parallel.shared(3)

    def work() -> None:
        into[:] = [1.0, 2.0, float(os.getpid())]

    with parallel.in_child(work):
        here = os.getpid()
    assert into.tolist()[:2] == [1.0, 2.0]
    assert into[2] != here


def test_a_failing_child_is_an_error_and_is_gone(capfd: pytest.CaptureFixture[str]) -> None:
    said = parallel.shared(1)

    def work() -> None:
        said[0] = os.getpid()
        raise ValueError("broken")

    with pytest.raises(parallel.ChildFailed), parallel.in_child(work):
        pass
    assert "ValueError: broken" in capfd.readouterr().err
    with pytest.raises(ChildProcessError):  # waited for: no zombie, no process
        os.waitpid(int(said[0]), os.WNOHANG)
    with pytest.raises(ProcessLookupError):
        os.kill(int(said[0]), 0)


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_the_child_is_killed_when_this_side_fails(error: type[BaseException]) -> None:
    said = parallel.shared(1)

    def work() -> None:
        said[0] = os.getpid()
        time.sleep(600)

    with pytest.raises(error), parallel.in_child(work):
        while not said[0]:
            time.sleep(0.01)
        raise error("stop")
    with pytest.raises(ProcessLookupError):
        os.kill(int(said[0]), 0)


def test_without_fork_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr("os.fork")
    ran = []
    with parallel.in_child(lambda: ran.append(os.getpid())):
        ran.append("block")
    assert ran == [os.getpid(), "block"]


def test_the_child_is_killed_when_this_side_is_interrupted_while_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An interrupt that reaches this process only, while it waits for the child."""
    said = parallel.shared(1)
    waited, interrupts = os.waitpid, [KeyboardInterrupt()]

    def interrupted(pid: int, options: int) -> tuple[int, int]:
        if options == 0 and interrupts:
            raise interrupts.pop()
        return waited(pid, options)

    def work() -> None:
        said[0] = os.getpid()
        time.sleep(600)

    with pytest.raises(KeyboardInterrupt), parallel.in_child(work):
        while not said[0]:
            time.sleep(0.01)
        monkeypatch.setattr(os, "waitpid", interrupted)
    with pytest.raises(ProcessLookupError):
        os.kill(int(said[0]), 0)
