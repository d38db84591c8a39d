"""A dataset's problems worded for a reader in one language (``kg load --lang id``)."""

from __future__ import annotations

import dataclasses

from kg.catalogue import in_language
from kg.errors import Problem
from kg.schema.names import column_word


def problem_text(problem: Problem, lang: str) -> str:
    """``problem`` on one line in ``lang``: its place, its column as a header names it in
    that language (``jenis``), and its message from that language's catalogue.

    >>> from kg.catalogue import say
    >>> problem_text(Problem("aktor.csv", 3, "kind", say("validation.required")), "id")
    'aktor.csv:3: jenis: wajib diisi, tetapi kosong'
    """
    field = column_word(problem.field, lang) if problem.field else problem.field
    message = in_language(problem.message, lang)
    return str(dataclasses.replace(problem, field=field, message=message))
