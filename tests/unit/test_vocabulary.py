"""Every vocabulary value has its own words, and every item kind a category."""

from __future__ import annotations

from enum import StrEnum

import pytest
from flask import Flask
from flask_babel import Babel

from portal import vocabulary
from portal.vocabulary import ItemKind, label

ENUMS = [
    value
    for value in vars(vocabulary).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_value_has_distinct_words(enum: type[StrEnum]) -> None:
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        words = [str(label(member)) for member in enum]
    assert all(words)
    assert len(set(words)) == len(words)


def test_equal_values_of_different_vocabularies_keep_their_own_words() -> None:
    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        assert str(label(vocabulary.Category.HEALTH)) != str(label(vocabulary.PartnerKind.HEALTH))
        assert str(label(vocabulary.Role.FAMILY)) != str(label(vocabulary.Source.FAMILY))


def test_every_item_kind_belongs_to_a_category() -> None:
    assert {kind.category for kind in ItemKind} == set(vocabulary.Category)
