"""The words of every report, per language: ``kg/locale/<lang>.toml``.

One catalogue per language, holding the same keys (a test keeps them equal): the audit's
titles and messages by check id, and a table per report (``[report]``, ``[chain]``,
``[analyze]``, ...). ``[columns]`` names table columns for people: JSON and CSV keep
the English column names, which scripts rely on; text and Markdown show these.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import Any

from kg.errors import KgError, Message

LANGUAGES = ("en", "id")
"""The languages with a catalogue: English and Bahasa Indonesia."""

LANG_VARIABLE = "KG_LANG"
"""The environment variable that sets the language of every command (``--lang`` wins)."""


@cache
def catalogue(lang: str) -> dict[str, Any]:
    """The catalogue of ``lang``; raises ``KgError`` for a language without one."""
    if lang not in LANGUAGES:
        raise KgError(f"no message catalogue for {lang!r}; available: {', '.join(LANGUAGES)}")
    text = files("kg").joinpath("locale", f"{lang}.toml").read_text(encoding="utf-8")
    words: dict[str, Any] = tomllib.loads(text)
    return words


def words(lang: str, table: str) -> dict[str, str]:
    """One table of the catalogue of ``lang`` (``words("id", "analyze.help")``)."""
    found: Any = catalogue(lang)
    for key in table.split("."):
        found = found[key]
    result: dict[str, str] = found
    return result


def column_names(columns: Sequence[str], lang: str) -> list[str]:
    """``columns`` as people read them in ``lang`` (``[columns]``; unknown ones as given)."""
    names = catalogue(lang).get("columns", {})
    return [names.get(column, column) for column in columns]


def say(key: str, **params: Any) -> Message:
    """The catalogue's message ``key`` (``"loading.no_such_path"``: a table, then the key)
    with ``params`` filled in: the English text, which ``in_language`` words in another
    language. A parameter may itself be a ``Message``."""
    return Message(_fill("en", key, params), key, params)


def by_language(**texts: str) -> Message:
    """Text given in each language (``by_language(en="raw", id="bahan_baku")``): a
    parameter whose words differ by language, such as a list of allowed values."""
    return say("text.by_language", **texts)


def joined(parts: Sequence[str], separator: str) -> Message:
    """``parts`` (messages or text) joined by ``separator``, each worded in the language
    the whole is worded in."""
    return by_language(**{lang: separator.join(in_language(part, lang) for part in parts)
                          for lang in LANGUAGES})


def recognised(text: str, patterns: Sequence[tuple[re.Pattern[str], str]]) -> Message | None:
    """Another program's English ``text`` (click's, PyYAML's) as the catalogue's message: the
    key of the first of ``patterns`` matching it whole, filled with the pattern's named
    groups (one that matched nothing: empty); None when none matches."""
    for pattern, key in patterns:
        if found := pattern.fullmatch(text):
            return say(key, **{name: value or "" for name, value in found.groupdict().items()})
    return None


def in_language(text: str, lang: str) -> str:
    """``text`` in ``lang``: a ``Message`` worded from that language's catalogue; any
    other text as it is."""
    if not isinstance(text, Message) or lang == "en":
        return str(text)
    return _fill(lang, text.key, text.params)


def number(value: float, lang: str, decimals: int = 0, *, fixed: bool = False) -> str:
    """``value`` as ``lang`` writes a number for people (``[number]``): thousands grouped,
    at most ``decimals`` places after the decimal mark, trailing zeros dropped unless
    ``fixed``; a whole number (``int``) exactly, however large.

    >>> number(1234567, "en"), number(1234567, "id"), number(27.92, "id", 2)
    ('1,234,567', '1.234.567', '27,92')
    >>> number(1500000.0, "id", 2), number(2.0, "id", 1, fixed=True)
    ('1.500.000', '2,0')
    """
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.{decimals}f}"
    if decimals and not fixed and "." in text:
        text = text.rstrip("0").rstrip(".")
    return _marked(text, lang)


class Figure:
    """A number that ``str.format`` writes with ``lang``'s marks whatever the format spec,
    so that a catalogue's template keeps Python's (``{share:.0%}``, ``{actual:,.15g}``).

    >>> "{actual:,.15g} ({share:.1%})".format(actual=Figure(1234.5, "id"),
    ...                                       share=Figure(0.125, "id"))
    '1.234,5 (12,5%)'
    """

    __slots__ = ("lang", "value")

    def __init__(self, value: float, lang: str) -> None:
        self.value = value
        self.lang = lang

    def __format__(self, spec: str) -> str:
        return _marked(format(self.value, spec), self.lang)


def _marked(text: str, lang: str) -> str:
    """``text``, a number as Python writes it (``1,234.5``), with ``lang``'s marks."""
    return text.translate(_marks(lang))


@cache
def _marks(lang: str) -> dict[int, int]:
    marks = words(lang, "number")
    return str.maketrans(",.", marks["thousands"] + marks["decimal"])


def numeral(value: float, decimals: int = 0, *, fixed: bool = False) -> Message:
    """``value`` written as each language writes a number (``number``), as a message
    parameter: ``say("cli.loaded", nodes=numeral(nodes), ...)``."""
    return by_language(**{lang: number(value, lang, decimals, fixed=fixed)
                          for lang in LANGUAGES})


def _fill(lang: str, key: str, params: dict[str, Any]) -> str:
    table, _, name = key.rpartition(".")
    template = words(lang, table)[name]
    shown = {k: in_language(v, lang) if isinstance(v, Message) else v for k, v in params.items()}
    return template.format(**shown)
