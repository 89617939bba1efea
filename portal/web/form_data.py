"""Form bodies read so that bytes which are not UTF-8 become U+FFFD, which the forms refuse
with a message (portal/plain_text.py). Werkzeug would keep "%ED%A0%80" (a lone surrogate,
percent-encoded) as those nine characters, and a raw byte such as 0xFF in the body would
leave the form empty: either way the user would not be told what was wrong."""

from __future__ import annotations

from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask, Request
from werkzeug.formparser import FormDataParser


class ReadableFormDataParser(FormDataParser):
    def _parse_urlencoded(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: Any
    ) -> Any:
        body = stream.read().decode("utf-8", "replace")
        items = parse_qsl(body, keep_blank_values=True, errors="replace")
        return stream, self.cls(items), self.cls()


class PortalRequest(Request):
    form_data_parser_class = ReadableFormDataParser


def init_app(app: Flask) -> None:
    app.request_class = PortalRequest
