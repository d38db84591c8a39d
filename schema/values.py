"""Parsers for the cell values spreadsheets produce (Indonesian conventions included)."""

from __future__ import annotations

import re
from datetime import date

_TRUE = {"true", "yes", "ya", "y", "1"}
_FALSE = {"false", "no", "tidak", "t", "n", "0"}

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

_INT_LIMIT = 2**63
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")


def parse_text(value: object) -> object:
    """Trim text; an empty cell is ``None`` (unknown)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def parse_list(value: object) -> object:
    """Split a ``|``-separated cell into a list; an empty cell is an empty list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return value


def parse_int(value: object) -> object:
    """Parse a whole number, allowing ``Rp`` and ``.``/``,`` thousands groups."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE)
    if _THOUSANDS.fullmatch(text):
        text = re.sub(r"[.,]", "", text)
    if re.fullmatch(r"[+-]?\d+", text):
        # The engines store 64-bit integers; FalkorDB silently clamps larger ones.
        number = int(text) if len(text) <= 20 else _INT_LIMIT
        if abs(number) >= _INT_LIMIT:
            raise ValueError(f"{text[:40]!r} is too large (at most {_INT_LIMIT - 1:,})")
        return number
    raise ValueError(f"expected a whole number, got {value!r}")


def parse_bool(value: object) -> object:
    """Parse true/false, yes/no, ya/tidak, 1/0 in any case; empty is unknown."""
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected true/false, yes/no, ya/tidak or 1/0, got {value!r}")


def parse_date(value: object) -> object:
    """Parse an ISO date, ``DD/MM/YYYY`` or ``12 Mei 2022``; empty is unknown."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _DAY_NAME_YEAR.fullmatch(text):
            month_name = match.group(2).lower()
            if month_name in MONTHS:
                return date(int(match.group(3)), MONTHS[month_name], int(match.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(
        f"expected a date such as 2025-05-12, 12/05/2025 or 12 Mei 2025, got {value!r}"
    )
