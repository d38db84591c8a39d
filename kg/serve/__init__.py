"""``kg serve``: the knowledge base in a browser, read-only, on 127.0.0.1 only.

Modules: ``security`` (who may talk to the server: host, token, cookie, the
Content-Security-Policy), ``app`` (the routes: the page, its files, JSON read through
the library), ``server`` (open the store, listen, stop on Ctrl-C or SIGTERM), and
``static/`` (the page: ``www/`` is served; ``src/`` rebuilds the vendored canvas
libraries with npm, which running the server does not need).
"""

from __future__ import annotations

from kg.serve.server import serve

__all__ = ["serve"]
