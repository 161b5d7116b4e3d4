"""The end-of-session check that nothing a test registered is stored in clear (tests/never_stored.py) finds it."""

from __future__ import annotations

from tests.never_stored import files_holding


def test_a_value_in_any_file_below_the_folder_is_found(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "store.sqlite3-wal").write_bytes(b"\x00\x01sub-42\x00")
    (tmp_path / "log.txt").write_text("nothing here")
    found = files_holding(tmp_path, {"sub-42", "unit-only@example.invalid"})
    assert found == {"sub-42": [str(tmp_path / "db" / "store.sqlite3-wal")]}


def test_the_local_outbox_is_a_mailbox_not_a_store(tmp_path):
    (tmp_path / "data" / "outbox").mkdir(parents=True)
    (tmp_path / "data" / "outbox" / "1.eml").write_text("To: unit-only@example.invalid")
    (tmp_path / "data" / "datacity.sqlite3").write_text("unit-only@example.invalid")
    assert files_holding(tmp_path, {"unit-only@example.invalid"}) == {
        "unit-only@example.invalid": [str(tmp_path / "data" / "datacity.sqlite3")]
    }
