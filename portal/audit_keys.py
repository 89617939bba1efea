"""The keys that sign the audit chain (HMAC-SHA256), by key id.

New events are signed with AUDIT_HMAC_KEY under AUDIT_HMAC_KEY_ID; keys used before a change
stay in AUDIT_HMAC_RETIRED_KEYS (`id=key,...`) so older events still verify. Every session
carries the app's keys in its `info` (portal/db.py), which is how the flush hook that chains
events (portal/services/audit_chain.py) finds them without reaching for Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

SESSION_INFO = "audit_keys"
SHORTEST_KEY = 32


@dataclass(frozen=True)
class AuditKeys:
    current_id: str
    keys: Mapping[str, bytes]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AuditKeys:
        """The app's keys; a short key stops the app at start."""
        current_id = config["AUDIT_HMAC_KEY_ID"]
        keys = {key_id: key.encode() for key_id, key in config["AUDIT_HMAC_RETIRED_KEYS"].items()}
        keys[current_id] = config["AUDIT_HMAC_KEY"].encode()
        if any(len(key) < SHORTEST_KEY for key in keys.values()):
            raise RuntimeError(f"audit HMAC keys must be at least {SHORTEST_KEY} characters")
        return cls(current_id, keys)

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]


def keys_of(session: Session) -> AuditKeys:
    """The keys of the app that made `session`."""
    keys = session.info.get(SESSION_INFO)
    if not isinstance(keys, AuditKeys):
        raise RuntimeError(
            "this session has no audit keys: make it with portal.db.Database, or pass "
            "info={'audit_keys': AuditKeys...} so that its audit events can be chained"
        )
    return keys
