"""Why a file could not be written or the engine failed, in the user's words.

The system says it in English (``strerror``: "No space left on device"); the catalogue's
``[store.reasons]`` words the common ones, by error number, in every language (in English,
the system's own text). A reason it does not know stays the system's or the engine's text.
"""

from __future__ import annotations

import errno
import os

from kg.catalogue import say, words

_KNOWN = frozenset(words("en", "store.reasons"))
"""The error numbers the catalogue words (``ENOSPC``, ``EACCES``, ...)."""


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened: its error number's words, else its text.

    >>> import errno, os
    >>> from kg.catalogue import in_language
    >>> reason = os_reason(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    >>> str(reason), in_language(reason, "id")
    ('No space left on device', 'ruang disk habis')
    """
    text = exc.strerror or str(exc)
    name = errno.errorcode.get(exc.errno or 0)
    return say(f"store.reasons.{name}", text=text) if name in _KNOWN else text


def engine_reason(text: str) -> str:
    """Why the engine failed, from its log line ``text``: the words of an error number
    it names by its system text (a full disk, when saving), else ``text`` as it is."""
    for name in sorted(_KNOWN):
        code = getattr(errno, name, None)
        if code is not None and os.strerror(code) in text:
            return say(f"store.reasons.{name}", text=text)
    return text
