"""Run ``kg serve``: open the store, listen on 127.0.0.1, stop cleanly on Ctrl-C or SIGTERM.

The store is opened read-only in this (the main) thread, before the server starts: an
embedded store then uses the warm engine if one serves it (``kg engine start``), else
starts an engine of its own, a child of this thread that the kernel kills if the
process dies. uvicorn turns Ctrl-C (SIGINT) and SIGTERM into a graceful stop and then
raises the signal again for the handler it found; ours turns it into ``Stopped``, which
unwinds through the store's ``with`` block, so the store, and any engine it started, is
closed before the process exits (with status 0).
"""

from __future__ import annotations

import datetime
import signal
import socket
import threading
import webbrowser
from collections.abc import Callable
from types import FrameType

import uvicorn

from kg.errors import KgError
from kg.serve.app import Knowledge, create_app
from kg.serve.security import new_token
from kg.store import StoreConfig, open_store

HOST = "127.0.0.1"
"""The only address the server listens on."""


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(Exception):
    """Ctrl-C or SIGTERM asked the server to stop."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


def serve(
    config: StoreConfig,
    *,
    port: int = 0,
    lang: str = "en",
    as_of: datetime.date | None = None,
    open_browser: bool = True,
    on_start: Callable[[str], None] = print,
) -> None:
    """Serve the store ``config`` names until Ctrl-C or SIGTERM.

    Parameters
    ----------
    config : StoreConfig
        The store to read (never written).
    port : int
        The port on 127.0.0.1; 0 picks a free one.
    lang : str
        The pages' first language (the page has a switch).
    as_of : datetime.date, optional
        The day the audit's findings are of, unless a page picks another (default today).
    open_browser : bool
        Open the address in the user's browser once listening.
    on_start : callable
        Receives the address to open (with its token) once the server listens.
    """
    # Named TCP, asyncio sets TCP_NODELAY on each connection (it does only for sockets whose
    # protocol says TCP): without it every answer on a kept-alive connection waited ~40 ms
    # (Nagle's algorithm against the browser's delayed ACK).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((HOST, port))
        listener.listen(128)  # connections made once the address is printed wait here
    except OSError as exc:
        listener.close()
        raise KgError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    port = listener.getsockname()[1]
    token = new_token()
    address = f"http://{HOST}:{port}/?token={token}"
    previous = {sig: signal.signal(sig, _stop) for sig in STOP_SIGNALS}
    try:
        with open_store(config) as store:
            app = create_app(Knowledge(store, lang, as_of), token=token, port=port)
            server = uvicorn.Server(uvicorn.Config(
                app, log_level="warning", access_log=False, lifespan="off"
            ))
            on_start(address)
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
            server.run(sockets=[listener])
    except Stopped:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        listener.close()
