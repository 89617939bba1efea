"""Sending stored evidence back: only ever as a download, never rendered in the browser."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, send_file

from portal.models import Attachment
from portal.services.attachments import path_of


def attachments_dir() -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"])


def send_attachment(attachment: Attachment) -> Response:
    """The caller has already decided the viewer may have it."""
    path = path_of(attachments_dir(), attachment)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
