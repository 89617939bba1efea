"""Server-side sign-in sessions: the cookie holds a random token, the database its hash."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.accounts import Account
from portal.models.columns import UtcDateTime, utc_now


class AuthSession(Base):
    """One signed-in browser. Revoking the row signs that browser out at once."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    ended_because: Mapped[str | None] = mapped_column(String(40))

    account: Mapped[Account] = relationship()
