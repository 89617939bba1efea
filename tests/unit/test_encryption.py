"""The keyring: AES-256-GCM sealed values tagged with their key id, and the blind index."""

from __future__ import annotations

import base64

import pytest

from portal.config import TEST_KEYS, from_environment
from portal.encryption import DecryptionError, Keyring, keyring_from_config
from tests.databases import use_test_settings

OLD = keyring_from_config(TEST_KEYS)
NEW_KEY = base64.b64encode(b"n" * 32).decode()
NEW = keyring_from_config(
    {
        **TEST_KEYS,
        "DATA_KEYS": f"test-2:{NEW_KEY},{TEST_KEYS['DATA_KEYS']}",
        "DATA_KEY_ID": "test-2",
    }
)
COLUMN = "data_items.value"


def test_a_value_is_stored_tagged_with_its_key_id_and_reads_back() -> None:
    stored = OLD.encrypt("Asthma; inhaler kept at school", COLUMN)
    assert stored.startswith("v1:test-1:") and "Asthma" not in stored
    assert OLD.decrypt(stored, COLUMN) == "Asthma; inhaler kept at school"


def test_the_same_value_twice_is_stored_differently() -> None:
    assert OLD.encrypt("9990001006", COLUMN) != OLD.encrypt("9990001006", COLUMN)


def test_a_value_under_an_old_key_reads_after_a_new_current_key_is_added() -> None:
    stored = OLD.encrypt("Flat 3, 27 Mill Lane", COLUMN)
    assert NEW.decrypt(stored, COLUMN) == "Flat 3, 27 Mill Lane"
    assert NEW.encrypt("x", COLUMN).startswith("v1:test-2:")


def test_a_value_under_a_key_no_longer_configured_fails() -> None:
    with pytest.raises(DecryptionError, match="test-2"):
        OLD.decrypt(NEW.encrypt("x", COLUMN), COLUMN)


@pytest.mark.parametrize("position", [10, 30, 45])
def test_a_tampered_value_fails_its_integrity_check(position: int) -> None:
    stored = OLD.encrypt("MW123456A", COLUMN)
    changed = "B" if stored[position] != "B" else "C"
    tampered = stored[:position] + changed + stored[position + 1 :]
    with pytest.raises(DecryptionError, match="integrity"):
        OLD.decrypt(tampered, COLUMN)


def test_a_value_moved_to_another_column_fails() -> None:
    stored = OLD.encrypt("MW123456A", COLUMN)
    with pytest.raises(DecryptionError):
        OLD.decrypt(stored, "complaints.complainant_address")


def test_plaintext_from_before_encryption_reads_as_it_is() -> None:
    assert OLD.decrypt("12 Heron Way, Shrewsbury", COLUMN) == "12 Heron Way, Shrewsbury"


def test_the_blind_index_matches_equal_values_and_hides_them() -> None:
    index = OLD.blind_index("nhs_number", "9990001006")
    assert index == NEW.blind_index("nhs_number", "9990001006")  # same BLIND_INDEX_KEY
    assert index != OLD.blind_index("ni_number", "9990001006")
    other = Keyring(OLD.keys, "test-1", b"o" * 32)
    assert index != other.blind_index("nhs_number", "9990001006")
    assert "9990001006" not in index and len(index) == 64


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"DATA_KEY_ID": "test-9"}, "not in DATA_KEYS"),
        ({"DATA_KEYS": "test-1:" + base64.b64encode(b"short").decode()}, "32 bytes"),
        ({"DATA_KEYS": "bad_id:" + NEW_KEY, "DATA_KEY_ID": "bad_id"}, "letters"),
        ({"BLIND_INDEX_KEY": base64.b64encode(b"short").decode()}, "BLIND_INDEX_KEY"),
    ],
)
def test_keys_that_cannot_be_right_stop_the_app_at_start(settings: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        keyring_from_config({**TEST_KEYS, **settings})


@pytest.mark.parametrize("missing", ["DATA_KEYS", "DATA_KEY_ID", "BLIND_INDEX_KEY"])
def test_a_missing_key_stops_the_app_at_start(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setenv("SECRET_KEY", "not-used")
    use_test_settings(monkeypatch)
    monkeypatch.delenv(missing)
    with pytest.raises(KeyError, match=missing):
        from_environment()
