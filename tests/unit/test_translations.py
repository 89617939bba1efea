"""Welsh is complete and current, and no template has text that skips translation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment

from portal.config import ROOT, TEMPLATES, TRANSLATIONS

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
