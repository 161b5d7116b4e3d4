"""Record ids (kernel/ids.py): letters and digits, never a leading '-', the same submission the same id."""

from __future__ import annotations

from chalicelib.kernel.ids import keyed_id, new_id
from chalicelib.kernel.inputs import ITEM_ID_RE


def test_new_ids_are_sixteen_letters_and_digits():
    ids = {new_id() for _ in range(5000)}
    assert len(ids) == 5000
    assert all(ITEM_ID_RE.match(i) and i.isalnum() and len(i) == 16 for i in ids)


def test_a_keyed_id_is_the_same_for_the_same_parts_only():
    key = b"k" * 32
    assert keyed_id(key, "comment", "voter", "leaks", "Bravo") == keyed_id(key, "comment", "voter", "leaks", "Bravo")
    assert keyed_id(key, "comment", "voter", "leaks", "Bravo") != keyed_id(key, "comment", "voter", "leaks", "Bravo!")
    assert keyed_id(key, "a", "bc") != keyed_id(key, "ab", "c")  # parts are separated, not glued
    assert keyed_id(b"other" * 8, "comment", "voter") != keyed_id(key, "comment", "voter")
    assert keyed_id(key, "x").isalnum()
