"""sentra-kg: a stakeholder-graph knowledge base for the Sentra IKM of Kota Semarang."""

from __future__ import annotations

__version__ = "0.1.0"
