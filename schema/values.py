"""Parsers for the cell values spreadsheets produce (Indonesian conventions included)."""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
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

RUPIAH_MULTIPLIERS = {
    "rb": 3, "ribu": 3,
    "jt": 6, "juta": 6,
    "m": 9, "miliar": 9, "milyar": 9,
    "t": 12, "triliun": 12,
}  # fmt: skip
"""Words after a rupiah amount, with the power of ten they multiply it by (any case)."""

_INT_LIMIT = 2**63
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DAY_NAME_YEAR = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/-](\d{4})")
_NAME_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{4})")
_RUPIAH = re.compile(
    r"(?:rp\.?|idr)?\s*(?P<sign>[+-]?)(?P<number>[0-9][0-9.,]*)(?:,-{1,2})?"
    r"(?:\s*(?P<word>[a-z]+)\.?)?",
    re.IGNORECASE,
)
"""``Rp 1.500.000,-``, ``Rp1,5 juta``, ``250 jt.``: the number is checked on its own."""
_INDONESIAN_NUMBER = re.compile(
    r"(?P<whole>[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)(?:,(?P<fraction>[0-9]+))?"
)
"""``.`` groups thousands, ``,`` marks the decimals: ``1.500.000,00``, ``1500000``, ``1,5``."""
_TWO_WAY = re.compile(r"(?P<whole>[0-9]{1,3}),(?P<fraction>[0-9]{3})")
"""``1,500``: 1,5 in Indonesian, but 1500 in English."""
_RUPIAH_EXAMPLES = "1500000, Rp 1.500.000, 1.500.000,00, 1,5 juta or 2 M"


def parse_text(value: object) -> object:
    """Trim text; an empty cell is ``None`` (unknown)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def visible(text: str) -> str:
    """``text`` without Unicode's invisible format characters (category Cf: zero-width
    spaces and joiners, bidirectional marks, overrides and isolates, soft hyphens, the
    BOM), which make two names that look alike differ.

    >>> visible("Dinas\u200b Koperasi\u202e")
    'Dinas Koperasi'
    """
    if text.isascii():
        return text
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def parse_name(value: object) -> object:
    """Trim a name, in NFC, without invisible format characters (``visible``); empty is
    ``None``, and a name made only of invisible characters is refused (it would show as
    an empty one)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.isascii():
        return text or None
    name = unicodedata.normalize("NFC", visible(text)).strip()
    if text and not name:
        codes = ", ".join(dict.fromkeys(f"U+{ord(char):04X}" for char in text))
        raise ValueError(f"holds only invisible characters ({codes}): not a name")
    return name or None


def parse_list(value: object) -> object:
    """Split a ``|``-separated cell into a list; an empty cell is an empty list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return value


def parse_names(value: object) -> object:
    """Split a cell naming several nodes (by id or name) on ``;`` or ``|``.

    >>> parse_names("Dinas Perindustrian; actor-lppsp | ")
    ['Dinas Perindustrian', 'actor-lppsp']
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]
    return value


def parse_int(value: object) -> object:
    """Parse a whole number, allowing ``.``/``,`` thousands groups (``1.500``)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if _THOUSANDS.fullmatch(text):
        text = re.sub(r"[.,]", "", text)
    if re.fullmatch(r"[+-]?\d+", text):
        return _within_64_bits(int(text) if len(text) <= 20 else _INT_LIMIT, text)
    raise ValueError(f"expected a whole number, got {value!r}")


def parse_rupiah(value: object) -> object:
    """Parse an amount in rupiah as Indonesians write it; empty is unknown.

    ``.`` groups thousands and ``,`` marks the decimals; ``Rp`` may come first, and
    ``rb``/``ribu`` (10^3), ``jt``/``juta`` (10^6), ``M``/``miliar`` (10^9) or
    ``T``/``triliun`` (10^12) after, in any case. The amount must come to whole rupiah;
    a cell that reads two ways (``1,500``: 1,5 or 1.500?) is refused.

    >>> [parse_rupiah(cell) for cell in ["Rp 1.500.000", "1.500.000,00", "Rp1,5 juta", "2 T"]]
    [1500000, 1500000, 1500000, 2000000000000]
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    match = _RUPIAH.fullmatch(text)
    word = (match["word"] or "") if match else ""
    if not match or (word and word.lower() not in RUPIAH_MULTIPLIERS):
        raise _not_rupiah(value, "")
    exponent = RUPIAH_MULTIPLIERS.get(word.lower(), 0)
    written, after = match["number"], f" {word}" if word else ""
    if two_way := _TWO_WAY.fullmatch(written):
        whole, fraction = two_way["whole"], two_way["fraction"]
        decimal = f"{whole},{fraction}".rstrip("0").rstrip(",")
        raise _not_rupiah(value, f" ({decimal}{after} or {whole}.{fraction}{after}?)")
    number = _INDONESIAN_NUMBER.fullmatch(written)
    if not number:
        swapped = written.translate(str.maketrans(".,", ",."))
        hint = f" ({swapped}{after}?)" if _INDONESIAN_NUMBER.fullmatch(swapped) else ""
        raise _not_rupiah(value, hint)
    digits = number["whole"].replace(".", "").lstrip("0") or "0"
    fraction = (number["fraction"] or "").rstrip("0")
    if len(fraction) > exponent:
        raise _not_rupiah(value, " (not a whole number of rupiah)")
    if len(digits) + exponent > 20:
        return _within_64_bits(_INT_LIMIT, text)
    amount = int(digits + fraction.ljust(exponent, "0"))
    return _within_64_bits(-amount if match["sign"] == "-" else amount, text)


def parse_number(value: object) -> object:
    """Parse a measured value as Indonesians write numbers; empty is unknown.

    As for amounts (``parse_rupiah``), ``.`` groups thousands, ``,`` marks the decimals
    and a multiplier may follow, but the value need not be whole. A lone point with other
    than three digits after it is a decimal point (a workbook's number cell reads so); a
    cell that reads two ways (``1,500``, ``1.500``: 1,5 or 1500?) is refused.

    >>> [parse_number(cell) for cell in ["27,92", "28.7", "1.500.000", "1,5 juta", "60"]]
    [27.92, 28.7, 1500000.0, 1500000.0, 60.0]
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"[+-]?\d+\.(?:\d{1,2}|\d{4,})", text):
        return float(text)
    if re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", text):
        whole, fraction = text.lstrip("+-").split(".")
        raise ValueError(f"{value!r} reads two ways ({whole}{fraction} or {whole},"
                         f"{fraction.rstrip('0') or '0'}?): write 1500 or 1,5")
    match = _RUPIAH.fullmatch(text)
    word = (match["word"] or "").lower() if match else ""
    number = _INDONESIAN_NUMBER.fullmatch(match["number"]) if match else None
    if not match or not number or (word and word not in RUPIAH_MULTIPLIERS):
        raise ValueError(f"expected a number such as 27,92, 1.500.000 or 1,5 juta, "
                         f"got {value!r}")
    if _TWO_WAY.fullmatch(match["number"]):
        raise ValueError(f"{value!r} reads two ways: write 1500 or 1,5")
    digits = number["whole"].replace(".", "")
    amount = float(f"{digits}.{number['fraction'] or '0'}") * 10 ** RUPIAH_MULTIPLIERS.get(word, 0)
    return -amount if match["sign"] == "-" else amount


def parse_period(value: object) -> object:
    """A period as (text, last day): a year (``2023``) or a day in any ``parse_date``
    form (a month means its last day); empty is unknown.

    >>> parse_period("2023"), parse_period("Des 2025")
    (('2023', datetime.date(2023, 12, 31)), ('2025-12-31', datetime.date(2025, 12, 31)))
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}", text):
        return text, date(int(text), 12, 31)
    try:
        day = parse_date(text)
    except ValueError:
        raise ValueError(f"expected a year (2023) or a day (2023-06-30), got {value!r}") from None
    assert isinstance(day, date)
    return day.isoformat(), day


def _not_rupiah(value: str, hint: str) -> ValueError:
    return ValueError(f"expected an amount in rupiah such as {_RUPIAH_EXAMPLES}, "
                      f"got {value!r}{hint}")


def _within_64_bits(number: int, text: str) -> int:
    # The engines store 64-bit integers; FalkorDB silently clamps larger ones.
    if abs(number) >= _INT_LIMIT:
        raise ValueError(f"{text[:40]!r} is too large (at most {_INT_LIMIT - 1:,})")
    return number


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
    """Parse an ISO date, ``DD/MM/YYYY`` or ``12 Mei 2022``; empty is unknown.

    A month (``Des 2025``, ``Desember 2025``, ``Dec 2025``, ``12/2025``, ``12-2025``)
    means its last day: a due date of "December 2025" is met by 31 December.

    >>> [parse_date(cell) for cell in ["12 Mei 2025", "Feb 2024", "12/2025"]]
    [datetime.date(2025, 5, 12), datetime.date(2024, 2, 29), datetime.date(2025, 12, 31)]
    """
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
        if match := _MONTH_YEAR.fullmatch(text):
            return _last_day(int(match.group(2)), int(match.group(1)))
        if (match := _NAME_YEAR.fullmatch(text)) and match.group(1).lower() in MONTHS:
            return _last_day(int(match.group(2)), MONTHS[match.group(1).lower()])
        return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(
        "expected a date such as 2025-05-12, 12/05/2025 or 12 Mei 2025, or a month (its "
        f"last day) such as Des 2025 or 12/2025, got {value!r}"
    )


def _last_day(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    return date(year, month, monthrange(year, month)[1])
