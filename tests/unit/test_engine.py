"""The engine never puts a statement's parameters (personal data) into errors or logs, and
on PostgreSQL turns just-in-time compiling off."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.db import make_engine
from tests.databases import POSTGRES_URL


def test_a_failed_statement_names_no_parameter() -> None:
    engine = make_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (nhs_number TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO people VALUES (:n)"), {"n": "943 476 5919"})
        with pytest.raises(IntegrityError) as failure:
            connection.execute(text("INSERT INTO people VALUES (:n)"), {"n": "943 476 5919"})
    assert "943 476 5919" not in str(failure.value)
    assert "parameters hidden" in str(failure.value)


@pytest.mark.skipif(not POSTGRES_URL, reason="JIT compiling is PostgreSQL's")
def test_postgresql_compiles_no_query_just_in_time() -> None:
    """The portal's queries are short: compiling one can take longer than running it."""
    engine = make_engine(str(POSTGRES_URL))
    with engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar() == "off"
    engine.dispose()
