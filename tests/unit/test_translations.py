"""Welsh is complete and current, and no template has text that skips translation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment
from flask import Flask
from flask_babel import force_locale

from portal.config import ROOT, TEMPLATES, TRANSLATIONS
from portal.services.copy_documents import PDF_TEMPLATE, pdf_of
from portal.services.copy_page import copy_page
from tests.unit.test_copy_documents import pdf_text, sample_document

WELSH = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
JINJA = re.compile(r"{%-?\s*trans\b.*?endtrans\s*-?%}|{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
TEXT_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "value")
# Not words to translate: language names in their own language, and symbols.
ALLOWED = {"English", "Cymraeg"}


def catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def ids(messages) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in messages if m.id}


def test_every_message_has_a_welsh_translation() -> None:
    missing = [
        m.id
        for m in catalogue(WELSH)
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert missing == []


def test_welsh_keeps_every_placeholder() -> None:
    for message in catalogue(WELSH):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        for target in targets:
            assert set(PLACEHOLDER.findall(target)) <= set(PLACEHOLDER.findall(source)), source


def test_catalogue_is_current_with_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--omit-header",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert ids(catalogue(fresh)) == ids(catalogue(WELSH)), "run `make translations`"


@pytest.mark.parametrize(
    "template",
    sorted([*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]),
    ids=lambda p: p.name,
)
def test_template_has_no_text_outside_translation(template: Path) -> None:
    markup = JINJA.sub(" ", template.read_text(encoding="utf-8"))
    page = BeautifulSoup(markup, "html.parser")
    for comment in page.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    texts = [t.strip() for t in page.find_all(string=True)]
    texts += [str(tag.get(a, "")) for tag in page.find_all(True) for a in TEXT_ATTRIBUTES]
    literal = [t for t in texts if re.search(r"[A-Za-z]{2,}", t) and t not in ALLOWED]
    assert literal == []


def test_pdf_template_prints_no_words_of_its_own(app: Flask) -> None:
    """The copy's Typst template is not HTML, so the check above cannot read it. Instead it
    lays out a copy whose every string is replaced by a mark: any other letter in the PDF is
    a word the template wrote itself, which no catalogue would translate."""
    assert sorted(TEMPLATES.rglob("*.typ")) == [PDF_TEMPLATE]
    with app.app_context(), force_locale("en_GB"):
        page = copy_page(sample_document())
    text = pdf_text(pdf_of(marked(page)))
    assert "Q" in text
    assert [letter for letter in text if letter.isalpha() and letter != "Q"] == []


def marked(value: Any) -> Any:
    """Every string the page holds, except its language code, replaced by Q."""
    if isinstance(value, str):
        return "Q"
    if isinstance(value, dict):
        return {key: item if key == "language" else marked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [marked(item) for item in value]
    return value
