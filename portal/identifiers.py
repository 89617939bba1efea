"""NHS numbers, National Insurance numbers and postcodes (DESIGN.md "Identifiers"), and the
codes that name partners in links and sharing imports.

ASCII digits only: other scripts' digits are refused, not converted.
"""

from __future__ import annotations

import re

_NHS = re.compile(r"[0-9]{10}")
_NI = re.compile(r"([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])([0-9]{6})([A-D])")
_NI_REFUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_PARTNER_CODE = re.compile(r"[a-z0-9-]{3,60}")


def _compact(value: str) -> str:
    """Spaces, tabs and hyphens dropped, in capitals; anything not ASCII gives "", which no
    rule accepts: "ſ".upper() is "S" and "ı".upper() is "I", and those must not slip through."""
    return re.sub(r"[ \t-]", "", value).upper() if value.isascii() else ""


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit, or None where the result is 10 (no valid number)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def normalise_nhs_number(value: str) -> str | None:
    """Ten ASCII digits with a valid check digit and not all the same, else None."""
    compact = _compact(value)
    if not _NHS.fullmatch(compact) or len(set(compact)) == 1:
        return None
    if nhs_check_digit(compact[:9]) != int(compact[9]):
        return None
    return compact


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def normalise_ni_number(value: str) -> str | None:
    """Two prefix letters, six digits, a suffix A to D, under HMRC's prefix rules, else None."""
    compact = _compact(value)
    match = _NI.fullmatch(compact)
    if match is None or compact[:2] in _NI_REFUSED_PREFIXES:
        return None
    return compact


def format_ni_number(value: str) -> str:
    return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8:]}"


def normalise_postcode(value: str) -> str | None:
    """A UK postcode in capitals with one space, whatever case and spacing it came in."""
    compact = _compact(value)
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def is_partner_code(value: str) -> bool:
    """3 to 60 lowercase ASCII letters, digits and hyphens: safe in a URL as it is."""
    return _PARTNER_CODE.fullmatch(value) is not None
