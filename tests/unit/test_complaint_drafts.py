"""A complaint's answers between pages: kept on the server for their owner only, for two hours,
then gone; files kept as checked; everything deleted when it is sent."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from portal.services.complaint_drafts import LIFETIME, Drafts, owner_of
from portal.uploads import PDF, CheckedFile

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
LETTER = CheckedFile(b"%PDF-1.4 letter %%EOF", PDF, "letter.pdf")


def test_answers_come_back_to_their_owner_only(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path)
    owner = owner_of(uuid.uuid4())
    draft = drafts.start(owner, NOW)
    draft.answers["what_happened"] = "They sent my address to the wrong school\nTwice"
    drafts.save(draft, NOW)
    again = drafts.load(draft.key, owner, NOW + dt.timedelta(minutes=5))
    assert again is not None
    assert again.answers == {"what_happened": "They sent my address to the wrong school\nTwice"}
    assert again.submission_key == draft.submission_key
    assert drafts.load(draft.key, owner_of(None), NOW) is None
    assert drafts.load(draft.key, owner_of(uuid.uuid4()), NOW) is None
    assert drafts.load("not-a-key", owner, NOW) is None
    assert drafts.load("../" * 40, owner, NOW) is None


def test_the_key_is_never_the_folder_name(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path)
    draft = drafts.start("public", NOW)
    names = [folder.name for folder in (tmp_path / "complaint-drafts").iterdir()]
    assert names and draft.key not in names


def test_a_draft_left_for_two_hours_is_gone(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path)
    draft = drafts.start("public", NOW)
    assert drafts.load(draft.key, "public", NOW + LIFETIME) is not None
    assert drafts.load(draft.key, "public", NOW + LIFETIME + dt.timedelta(seconds=1)) is None


def test_old_drafts_are_swept_when_a_new_one_starts(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path)
    old = drafts.start("public", NOW)
    drafts.add_file(old, LETTER, NOW)
    later = dt.datetime.now(dt.UTC) + LIFETIME + dt.timedelta(minutes=1)
    new = drafts.start("public", later)
    folders = list((tmp_path / "complaint-drafts").iterdir())
    assert len(folders) == 1
    assert drafts.load(new.key, "public", later) is not None


def test_files_are_kept_as_checked_and_can_be_removed(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path)
    draft = drafts.start("public", NOW)
    drafts.add_file(draft, LETTER, NOW)
    loaded = drafts.load(draft.key, "public", NOW)
    assert loaded is not None and [f.original_name for f in loaded.files] == ["letter.pdf"]
    assert drafts.evidence(loaded) == [LETTER]
    drafts.remove_file(loaded, loaded.files[0].storage_key, NOW)
    assert drafts.evidence(loaded) == []
    assert len(list((tmp_path / "complaint-drafts").glob("*/*"))) == 1  # the answers only


def test_a_sent_draft_leaves_nothing_behind(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path)
    draft = drafts.start("public", NOW)
    drafts.add_file(draft, LETTER, NOW)
    drafts.discard(draft)
    assert list((tmp_path / "complaint-drafts").iterdir()) == []
    assert drafts.load(draft.key, "public", NOW) is None
    assert drafts.evidence(draft) is None
