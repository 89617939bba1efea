"""The engine never puts a statement's parameters (personal data) into errors or logs."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.db import make_engine


def test_a_failed_statement_names_no_parameter() -> None:
    engine = make_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (nhs_number TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO people VALUES (:n)"), {"n": "943 476 5919"})
        with pytest.raises(IntegrityError) as failure:
            connection.execute(text("INSERT INTO people VALUES (:n)"), {"n": "943 476 5919"})
    assert "943 476 5919" not in str(failure.value)
    assert "parameters hidden" in str(failure.value)
