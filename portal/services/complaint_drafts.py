"""A complaint's answers and evidence between the pages of the journey, kept on the server until
the complainant sends it (portal/web/family/complaints.py), then deleted.

Not in the cookie: Flask's session is a signed cookie that anyone holding it can read, and two
answers of 2,000 characters do not fit in a cookie's 4KB. Not in the database either: nothing
exists as a complaint, and nothing needs keeping, until it is sent. A draft is a folder under
the attachments folder (which every process already shares), named by the hash of a random key
that only the complainant's session holds; it belongs to one owner (an account, or "public")
and is forgotten after two hours without an answer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from portal.tokens import hash_token, new_token
from portal.uploads import CheckedFile, store

LIFETIME = dt.timedelta(hours=2)
# Evidence files one complaint may carry from the journey.
MAX_FILES = 5
_ANSWERS = "answers.json"


@dataclass(frozen=True)
class DraftFile:
    storage_key: str
    original_name: str
    content_type: str
    size_bytes: int


@dataclass
class Draft:
    key: str
    owner: str
    submission_key: str
    answers: dict[str, str] = field(default_factory=dict)
    files: list[DraftFile] = field(default_factory=list)


def owner_of(account_id: uuid.UUID | None) -> str:
    """Whose draft it is: a signed-in family member's, or someone's without an account."""
    return f"account:{account_id}" if account_id else "public"


class Drafts:
    """Drafts in `folder`/complaint-drafts; `now` is passed in so expiry can be tested."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "complaint-drafts"

    def start(self, owner: str, now: dt.datetime) -> Draft:
        """A new, empty draft, with the one-time key its complaint will be sent with. Drafts
        left for longer than LIFETIME are deleted on the way."""
        self.sweep(now)
        draft = Draft(key=new_token(), owner=owner, submission_key=new_token())
        self.save(draft, now)
        return draft

    def load(self, key: str | None, owner: str, now: dt.datetime) -> Draft | None:
        """The draft, if the key names one of this owner's that has not expired."""
        if not key or len(key) > 100:
            return None
        try:
            saved = json.loads((self._folder(key) / _ANSWERS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if saved.get("owner") != owner or _expired(saved.get("saved_at"), now):
            return None
        try:
            files = [DraftFile(**entry) for entry in saved["files"]]
            return Draft(key, owner, saved["submission_key"], dict(saved["answers"]), files)
        except (KeyError, TypeError):
            return None

    def save(self, draft: Draft, now: dt.datetime) -> None:
        folder = self._folder(draft.key)
        folder.mkdir(parents=True, exist_ok=True)
        saved = {
            "owner": draft.owner,
            "submission_key": draft.submission_key,
            "answers": draft.answers,
            "files": [vars(entry) for entry in draft.files],
            "saved_at": now.isoformat(),
        }
        # Written whole then renamed: a reader never sees half a draft.
        partial = folder / f"{_ANSWERS}.{new_token()[:8]}"
        partial.write_text(json.dumps(saved), encoding="utf-8")
        os.replace(partial, folder / _ANSWERS)

    def add_file(self, draft: Draft, checked: CheckedFile, now: dt.datetime) -> None:
        """Keeps a file that has passed the upload checks (portal/uploads.py)."""
        key = store(self._folder(draft.key), checked)
        draft.files.append(
            DraftFile(key, checked.original_name, checked.content_type, len(checked.content))
        )
        self.save(draft, now)

    def remove_file(self, draft: Draft, storage_key: str, now: dt.datetime) -> None:
        kept = [entry for entry in draft.files if entry.storage_key != storage_key]
        if len(kept) == len(draft.files):
            return
        draft.files = kept
        self.save(draft, now)
        (self._folder(draft.key) / storage_key).unlink(missing_ok=True)

    def evidence(self, draft: Draft) -> list[CheckedFile] | None:
        """The files as checked when they were added; None if the draft has gone meanwhile
        (sent from another tab, or expired)."""
        folder = self._folder(draft.key)
        try:
            return [
                CheckedFile(
                    (folder / entry.storage_key).read_bytes(),
                    entry.content_type,
                    entry.original_name,
                )
                for entry in draft.files
            ]
        except OSError:
            return None

    def discard(self, draft: Draft) -> None:
        shutil.rmtree(self._folder(draft.key), ignore_errors=True)

    def sweep(self, now: dt.datetime) -> None:
        """Deletes drafts not saved for LIFETIME."""
        if not self.root.is_dir():
            return
        oldest = (now - LIFETIME).timestamp()
        for folder in self.root.iterdir():
            answers = folder / _ANSWERS
            try:
                stale = not answers.exists() or answers.stat().st_mtime < oldest
            except OSError:
                continue
            if stale and _older_than(folder, oldest):
                shutil.rmtree(folder, ignore_errors=True)

    def _folder(self, key: str) -> Path:
        # The key's hash names the folder: a key cannot reach outside, and a folder's name
        # does not open it.
        return self.root / hash_token(key)


def _expired(saved_at: object, now: dt.datetime) -> bool:
    try:
        return now - dt.datetime.fromisoformat(str(saved_at)) > LIFETIME
    except ValueError:
        return True


def _older_than(folder: Path, oldest: float) -> bool:
    """A folder being written for the first time (no answers yet) is left alone."""
    try:
        return folder.stat().st_mtime < oldest
    except OSError:
        return False
