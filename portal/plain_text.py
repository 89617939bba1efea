"""Characters no answer may carry, whatever the field: the forms (forms/base.py) and the
sharing import ask here, so that one rule decides what "plain text" is.

- control characters (NUL and the rest of C0 and C1, but not tab and line breaks):
  PostgreSQL cannot store NUL, and nobody means to type one;
- bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069): they make text
  read differently from how it is stored ("Trojan Source"), in a name or a note about a child;
- U+FFFD and lone surrogates: what is left of bytes that were not UTF-8 (Werkzeug decodes
  %ED%A0%80 as U+FFFD); storing it would keep a character nobody typed.
"""

from __future__ import annotations

import enum
import re


class TextProblem(enum.Enum):
    CONTROL = "control"
    DIRECTION = "direction"
    UNREADABLE = "unreadable"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DIRECTION = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_UNREADABLE = re.compile(r"[\ufffd\ud800-\udfff]")


def text_problem(value: str) -> TextProblem | None:
    """The first kind of character `value` must not carry, or None if it is plain text."""
    if _UNREADABLE.search(value):
        return TextProblem.UNREADABLE
    if _CONTROL.search(value):
        return TextProblem.CONTROL
    if _DIRECTION.search(value):
        return TextProblem.DIRECTION
    return None
