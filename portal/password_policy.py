"""What makes a password acceptable (NCSC guidance and OWASP ASVS 5.0 level 2).

Length, not composition: 8 to 256 characters of anything printable, paste
allowed, and not one of the passwords that breaches show people choose most.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from flask_babel import LazyString

from portal.i18n import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, email: str = "") -> LazyString | None:
    """Why this password cannot be used, in words the user can act on, or None."""
    if len(password) < MIN_LENGTH:
        return _l("Password must be 8 characters or more")
    if len(password) > MAX_LENGTH:
        return _l("Password must be 256 characters or fewer")
    if any(_unprintable(character) for character in password):
        return _l("Password must only include letters, numbers, spaces and symbols")
    if password.casefold() in common_passwords() or len(set(password)) < 3:
        return _l("Choose a password that is harder to guess: this one is too common")
    local_part = email.partition("@")[0].casefold()
    if len(local_part) >= 4 and local_part in password.casefold():
        return _l("Password must not include your email address")
    return None


def _unprintable(character: str) -> bool:
    # Control characters, lone surrogates and unassigned code points cannot be typed back.
    return unicodedata.category(character) in {"Cc", "Cs", "Cn"}
