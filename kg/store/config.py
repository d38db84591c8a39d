"""Where the graph lives: an embedded store's directory, or a Neo4j server."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.catalogue import say
from kg.errors import StoreError

DEFAULT_STORE = Path(".sentra-kg")
LOCK_TIMEOUT_VARIABLE = "KG_LOCK_TIMEOUT"
QUERY_TIMEOUT_VARIABLE = "KG_QUERY_TIMEOUT"


def _seconds(variable: str, default: float) -> Callable[[], float]:
    """A default read from the environment ``variable`` when a config is made."""

    def read() -> float:
        text = os.environ.get(variable)
        if not text:
            return default
        try:
            return float(text)
        except ValueError:
            raise StoreError(say("store.not_seconds", variable=variable, text=text)) from None

    return read


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives. ``uri`` set means Neo4j, else the embedded store at ``path``."""

    path: Path = DEFAULT_STORE
    uri: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    lock_timeout: float = field(default_factory=_seconds(LOCK_TIMEOUT_VARIABLE, 60.0))
    """Embedded: seconds to wait while another process holds the store (KG_LOCK_TIMEOUT)."""
    query_timeout: float = field(default_factory=_seconds(QUERY_TIMEOUT_VARIABLE, 3600.0))
    """Embedded: seconds one engine call may take before it fails (KG_QUERY_TIMEOUT)."""
    bulk_load: bool = True
    """Embedded: build a new graph with the engine's binary bulk loader (False: Cypher)."""
    on_wait: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(cls, **overrides: Any) -> StoreConfig:
        """Read ``KG_STORE`` and the ``NEO4J_*`` variables (the timeouts' variables are read
        by every config); ``overrides`` win when not None."""
        values: dict[str, Any] = {
            "path": Path(os.environ.get("KG_STORE") or DEFAULT_STORE),
            "uri": os.environ.get("NEO4J_URI") or None,
            "user": os.environ.get("NEO4J_USERNAME") or None,
            "password": os.environ.get("NEO4J_PASSWORD") or None,
            "database": os.environ.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def display(self) -> str:
        """Where the store is, safe to print: never a password."""
        return redact(self.uri) if self.uri else str(self.path)


def redact(uri: str) -> str:
    """Drop any ``user:password@`` from a URI before it is shown."""
    return re.sub(r"(?<=://)[^/]*@", "", uri)
