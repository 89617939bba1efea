"""What every form shares: whitespace stripped (except from passwords), translated messages."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField


def strip_whitespace(value: Any) -> Any:
    """Also drops NUL characters: PostgreSQL cannot store them, and nobody means to type one."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", []))
            if not issubclass(unbound_field.field_class, PasswordField):
                filters.insert(0, strip_whitespace)
            return unbound_field.bind(form=form, filters=filters, **options)
