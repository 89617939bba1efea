"""Uploaded evidence kept on disk outside static/, and who may download it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from portal.models import Account, Attachment
from portal.uploads import CheckedFile, store


def save_attachment(
    db: Session,
    account: Account | None,
    checked: CheckedFile,
    now: dt.datetime,
    folder: Path | None,
) -> Attachment:
    """Writes the checked file and adds its row to the caller's transaction. `account` is None
    for a file sent with a complaint by someone without an account."""
    if folder is None:
        raise ValueError("no folder for attachments is configured")
    attachment = Attachment(
        storage_key=store(folder, checked),
        original_name=checked.original_name,
        content_type=checked.content_type,
        size_bytes=len(checked.content),
        sha256=checked.sha256,
        uploaded_by_account_id=account.id if account else None,
        uploaded_at=now,
    )
    db.add(attachment)
    return attachment


def path_of(folder: Path, attachment: Attachment) -> Path:
    return folder / attachment.storage_key
