"""References people read out on the phone: short, unambiguous, random (they reveal no count)."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L or U: each character reads one way aloud and on paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str) -> str:
    """COR-7KQ2M9XD, CMP-…: the prefix says what it refers to."""
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))
