"""Authenticated encryption of personal data at rest, and the keyed blind index that finds it.

A value is sealed with AES-256-GCM under the current key (DATA_KEY_ID, one of DATA_KEYS) and
stored as "v1:<key id>:<base64 of nonce and ciphertext>". The associated data is the value's
table and column, so a value copied into another column does not decrypt. Old keys stay in
DATA_KEYS until `flask --app portal rotate-keys` has re-encrypted everything under the current
one. Values written before encryption (migration 0013) are read as they are until then.

Each app's engine carries its keyring (portal/db.py installs it): the column type
(portal/models/columns.py EncryptedText) finds it through the dialect SQLAlchemy hands it, so
several apps with different keys can live in one process (the tests do).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

KEY_ID = re.compile(r"[A-Za-z0-9-]{1,32}")
_STORED = re.compile(r"v1:([A-Za-z0-9-]{1,32}):([A-Za-z0-9+/]+={0,2})")
_NONCE_BYTES = 12
_KEYRINGS: WeakKeyDictionary[Dialect, Keyring] = WeakKeyDictionary()


class DecryptionError(Exception):
    """A stored value that does not authenticate: tampered with, moved from another column,
    or sealed under a key that is no longer in DATA_KEYS."""


@dataclass(frozen=True)
class Keyring:
    keys: Mapping[str, bytes]
    current_key_id: str
    blind_index_key: bytes

    def __post_init__(self) -> None:
        if self.current_key_id not in self.keys:
            raise ValueError(f"DATA_KEY_ID {self.current_key_id!r} is not in DATA_KEYS")
        for key_id, key in self.keys.items():
            if not KEY_ID.fullmatch(key_id) or len(key) != 32:
                raise ValueError(f"key {key_id!r}: ids are letters, digits, '-'; keys 32 bytes")
        if len(self.blind_index_key) < 32:
            raise ValueError("BLIND_INDEX_KEY must be at least 32 bytes")

    def encrypt(self, plaintext: str, context: str) -> str:
        """Sealed under the current key, bound to `context` ("table.column")."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current_key_id]).encrypt(
            nonce, plaintext.encode("utf-8", "surrogatepass"), context.encode()
        )
        return f"v1:{self.current_key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str, context: str) -> str:
        """The plaintext; a legacy plaintext value as it is; DecryptionError if it fails."""
        match = _STORED.fullmatch(stored)
        if match is None:
            return stored
        key_id, sealed = match.groups()
        if key_id not in self.keys:
            raise DecryptionError(f"{context}: key {key_id!r} is not in DATA_KEYS")
        try:
            raw = base64.b64decode(sealed, validate=True)
            nonce, ciphertext = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            plaintext = AESGCM(self.keys[key_id]).decrypt(nonce, ciphertext, context.encode())
        except (InvalidTag, ValueError) as error:
            raise DecryptionError(f"{context}: a value failed its integrity check") from error
        return plaintext.decode("utf-8", "surrogatepass")

    def current_prefix(self) -> str:
        """What every value sealed under the current key starts with (rotate-keys asks)."""
        return f"v1:{self.current_key_id}:"

    def blind_index(self, purpose: str, normalised: str) -> str:
        """HMAC-SHA256 of a normalised value: equal values match, the value cannot be read."""
        message = f"{purpose}:{normalised}".encode()
        return hmac.new(self.blind_index_key, message, hashlib.sha256).hexdigest()


def keyring_from_config(config: Mapping[str, Any]) -> Keyring:
    """DATA_KEYS ("id:base64,id:base64"), DATA_KEY_ID and BLIND_INDEX_KEY (base64)."""
    keys = {}
    for pair in config["DATA_KEYS"].split(","):
        key_id, _, key = pair.strip().partition(":")
        keys[key_id] = base64.b64decode(key, validate=True)
    return Keyring(
        keys, config["DATA_KEY_ID"], base64.b64decode(config["BLIND_INDEX_KEY"], validate=True)
    )


def install(engine: Engine, keyring: Keyring) -> None:
    """Called by portal.db.make_engine: the engine's encrypted columns use this keyring."""
    _KEYRINGS[engine.dialect] = keyring


def keyring_of(dialect: Dialect) -> Keyring:
    keyring = _KEYRINGS.get(dialect)
    if keyring is None:
        raise RuntimeError("no keyring on this engine: make it with make_engine(url, keyring)")
    return keyring


def session_keyring(db: Session) -> Keyring:
    """The keyring of the engine `db` is bound to, for blind index look-ups."""
    return keyring_of(db.get_bind().dialect)
