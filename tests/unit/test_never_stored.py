"""The end-of-session check that nothing a test registered is stored in clear (tests/never_stored.py) finds it."""

from __future__ import annotations

from tests.never_stored import files_holding


def test_a_value_in_any_file_below_the_folder_is_found(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "store.sqlite3-wal").write_bytes(b"\x00\x01sub-42\x00")
    (tmp_path / "log.txt").write_text("nothing here")
    found = files_holding(tmp_path, {"sub-42", "ana@example.org"})
    assert found == {"sub-42": [str(tmp_path / "db" / "store.sqlite3-wal")]}
