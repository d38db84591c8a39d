"""Who may talk to ``kg serve``, and what its pages may do: one ASGI middleware.

The rules, as a local notebook server keeps them:

* **Host.** A request whose ``Host`` header is not ``127.0.0.1:PORT`` or
  ``localhost:PORT`` is refused (403): a web page that rebinds its own DNS name to
  127.0.0.1 (DNS rebinding) sends its own name, not ours.
* **Token.** The server is started with a random token (``new_token``) that only the URL
  printed on start carries. A request with ``?token=`` right gets an ``HttpOnly``,
  ``SameSite=Strict`` cookie holding it and a redirect to the same address without it, so
  the token leaves the address bar and the history; every other request must bring the
  cookie, or gets 403. Tokens are compared in constant time.
* **What a page may load.** Every response carries a Content-Security-Policy that lets a
  page run only the server's own script files (no inline script, no ``eval``), load
  styles, images and data only from the server itself, be framed by nobody, and send a
  form nowhere else; the browser refuses any request to another origin.

Anything but HTTP (a WebSocket) is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

COOKIE = "kg_serve_token"
"""The cookie that carries the token after the exchange."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""The Content-Security-Policy of every response."""

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
"""Headers added to every response."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` headers a browser sends to this server on ``port``."""
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


class Guard:
    """The middleware: checks the host and the token, adds the headers (module docstring)."""

    def __init__(self, app: ASGIApp, token: str, hosts: frozenset[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await _refuse(scope, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1")
                   for key, value in scope["headers"]}
        if headers.get("host", "").lower() not in self.hosts:
            await _respond(send, 403, "forbidden: unknown host\n")
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = [value for key, value in query if key == "token"]
        if given:
            if not secrets.compare_digest(given[-1].encode(), self.token.encode()):
                await _respond(send, 403, "forbidden: wrong token\n")
                return
            rest = urlencode([(key, value) for key, value in query if key != "token"])
            location = scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await _respond(send, 303, "", [(b"location", location.encode()),
                                           (b"set-cookie", cookie.encode())])
            return
        if not secrets.compare_digest(_cookie(headers).encode(), self.token.encode()):
            await _respond(send, 403, "forbidden: open the address kg serve printed\n")
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(headers: dict[str, str]) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except CookieError:  # a malformed Cookie header carries no token
        return ""
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else ""


async def _respond(
    send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = text.encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            *HEADERS,
            *(extra or []),
        ],
    })
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
