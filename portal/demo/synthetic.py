"""Identifiers that can never belong to a real person."""

from __future__ import annotations

import random
import uuid

from portal.identifiers import nhs_check_digit

DEMO_NAMESPACE = uuid.UUID("6f1d2c1e-8a55-4c1b-9a57-3d1c2b7f9e10")


def demo_id(key: str) -> uuid.UUID:
    """The same id for the same demo record on every run."""
    return uuid.uuid5(DEMO_NAMESPACE, key)


def nhs_number(rng: random.Random) -> str:
    """A valid number in the 999 range, which NHS England reserves for testing."""
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None and len(set(first_nine)) > 1:
            return f"{first_nine}{check}"


def ni_number(rng: random.Random) -> str:
    """MW is a prefix HMRC never issues."""
    return f"MW{rng.randrange(1_000_000):06d}{rng.choice('ABCD')}"


def phone_number(rng: random.Random) -> str:
    """Ofcom's range for drama: 07700 900000 to 900999."""
    return f"07700 900{rng.randrange(1000):03d}"
