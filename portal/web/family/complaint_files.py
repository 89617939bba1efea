"""Files sent with a complaint or added to one: every file checked before any is kept."""

from __future__ import annotations

import re
from typing import Any, Literal

from flask_babel import LazyString

from forms.base import BaseForm
from portal.i18n import gettext as _
from portal.uploads import MAX_BYTES, CheckedFile, UploadRefused, check_upload


def checked_uploads(
    field: Any, room: int, too_many: LazyString
) -> list[CheckedFile] | Literal[False]:
    """The chosen files, checked (none chosen: an empty list); or False, with the problem on
    the field, if any cannot be accepted or there are more than `room`: then none is kept."""
    uploads = [upload for upload in field.data or [] if upload and upload.filename]
    if len(uploads) > room:
        field.errors = [str(too_many)]
        BaseForm.mark_refused()
        return False
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload.read(MAX_BYTES + 1), upload.filename))
        except UploadRefused as refused:
            field.errors = [_shown_problem(upload.filename, refused)]
            BaseForm.mark_refused()
            return False
    return checked


def _shown_problem(filename: str, refused: UploadRefused) -> str:
    """Which file, when there may be several: its name as chosen, without any folders."""
    name = re.split(r"[\\/]", filename)[-1][:100]
    return _("%(file)s: %(problem)s", file=name, problem=refused.message)
