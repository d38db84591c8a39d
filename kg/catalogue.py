"""The words of every report, per language: ``kg/locale/<lang>.toml``.

One catalogue per language, holding the same keys (a test keeps them equal): the audit's
titles and messages by check id, and a table per report (``[report]``, ``[chain]``,
``[analyze]``, ...). ``[columns]`` names table columns for people: JSON and CSV keep
the English column names, which scripts rely on; text and Markdown show these.
"""

from __future__ import annotations

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


def in_language(text: str, lang: str) -> str:
    """``text`` in ``lang``: a ``Message`` worded from that language's catalogue; any
    other text as it is."""
    if not isinstance(text, Message) or lang == "en":
        return str(text)
    return _fill(lang, text.key, text.params)


def _fill(lang: str, key: str, params: dict[str, Any]) -> str:
    table, _, name = key.rpartition(".")
    template = words(lang, table)[name]
    shown = {k: in_language(v, lang) if isinstance(v, Message) else v for k, v in params.items()}
    return template.format(**shown)
