"""Password rules: length not composition, common passwords refused, anything printable."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel

from portal.password_policy import common_passwords, password_problem


@pytest.fixture(autouse=True)
def babel_context():
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        yield


@pytest.mark.parametrize(
    "password",
    [
        "correct pony staple",
        "Ŵyn ar y mynydd 2026",
        "aaaaBBBB1234!!!!",
        "river-stone-" * 6,
        "p" * 100 + "q!r",
        "s p a c e s here",
    ],
)
def test_acceptable_passwords(password: str) -> None:
    assert password_problem(password) is None


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "8 characters or more"),
        ("x" * 257, "256 characters or fewer"),
        ("password123", "too common"),
        ("PASSWORD123", "too common"),
        ("iloveyou2", "too common"),
        ("aaaaaaaaaa", "too common"),
        ("abababababab", "too common"),
        ("null\x00byte!!", "letters, numbers, spaces and symbols"),
        ("lone\ud800surrogate", "letters, numbers, spaces and symbols"),
    ],
)
def test_refused_passwords(password: str, problem: str) -> None:
    assert problem in str(password_problem(password))


def test_password_containing_the_email_name_is_refused() -> None:
    assert "email address" in str(
        password_problem("sam.rivers-garden-2026", "sam.rivers@example.com")
    )


def test_shipped_list_is_large_and_case_folded() -> None:
    words = common_passwords()
    assert len(words) > 10_000
    assert all(word == word.casefold() for word in words)
    assert "familydataportal" in words
