"""Strict reading of bodies and ids (kernel/inputs.py): every bad input is a clear 4xx."""

from __future__ import annotations

import pytest

from chalicelib.kernel.errors import ApiError
from chalicelib.kernel.inputs import Fields, check_email, check_item_id, check_slug, read_body


def refused(call, *args, **kwargs) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_bodies_are_json_objects_or_forms():
    assert read_body(b'{"a": "b"}', "application/json", 100) == {"a": "b"}
    assert read_body(b"a=b&c=", "application/x-www-form-urlencoded", 100) == {"a": "b", "c": ""}
    assert read_body(b"", None, 100) == {}


@pytest.mark.parametrize(
    ("raw", "kind", "status", "words"),
    [
        (b"x" * 101, "application/json", 413, "larger than"),
        (b"\xff", "application/json", 400, "UTF-8"),
        (b'{"a": 1, "a": 2}', "application/json", 400, "duplicate key"),
        (b"[1]", "application/json", 400, "must be an object"),
        (b'{"a": NaN}', "application/json", 400, "invalid"),
        (b"a=1&a=2", "application/x-www-form-urlencoded", 400, "sent twice"),
        (b"<x/>", "application/xml", 415, "JSON"),
    ],
)
def test_bad_bodies_are_refused_with_a_reason(raw, kind, status, words):
    error = refused(read_body, raw, kind, 100)
    assert error.status == status and words in error.detail["en"]


def test_fields_refuse_unknown_names_control_characters_and_long_text():
    assert refused(Fields, {"x": 1}, {"text"}).field == "x"
    fields = Fields({"text": "a\u202eb", "n": "x" * 5, "flag": "on"}, {"text", "n", "flag"}, is_form=True)
    assert "U+202E" in refused(fields.text, "text", required=True, max_chars=9, label="T").detail["en"]
    assert "5 characters" in refused(fields.text, "n", required=True, max_chars=4, label="N").detail["en"]
    assert fields.flag("flag", label="F") is True
    assert Fields({"t": " a\r\nb "}, {"t"}).text("t", required=True, max_chars=9, multiline=True, label="T") == "a\nb"


def test_a_control_character_that_python_strips_is_refused_not_taken_for_a_blank_field():
    # U+001E is whitespace to str.strip(), a control character to the API and its OpenAPI schema (Schemathesis).
    fields = Fields({"name": "\x1e", "blank": "  ", "lines": "\n\n"}, {"name", "blank", "lines"})
    assert "U+001E" in refused(fields.text, "name", required=False, max_chars=9, label="N").detail["en"]
    assert fields.text("blank", required=False, max_chars=9, label="B") is None
    assert fields.text("lines", required=False, max_chars=9, multiline=True, label="L") is None


@pytest.mark.parametrize("value", ["\x1e", " \x1c ", "\x85", "Lou\x1f"])
def test_a_field_of_control_characters_is_refused_not_taken_for_blank(value):
    # Python's strip() takes U+001C..U+001F and U+0085 for spaces; the OpenAPI document does not, nor do we.
    fields = Fields({"name": value}, {"name"})
    error = refused(fields.text, "name", required=False, max_chars=40, label="N")
    assert error.kind == "invalid-field" and "control character" in error.detail["en"]


def test_blank_fields_are_still_left_out():
    fields = Fields({"a": "  ", "b": " \t\n ", "c": ""}, {"a", "b", "c"})
    assert [fields.text(n, required=False, max_chars=9, label="N") for n in "abc"] == [None, None, None]


def test_ids_and_emails():
    assert check_slug("paris-2017", "challenge") == "paris-2017"
    assert refused(check_slug, "Paris!", "challenge").status == 400
    assert refused(check_item_id, "x" * 17, "comment").kind == "invalid-id"
    assert check_email("awa@example.org", 254) == "awa@example.org"
    assert refused(check_email, "awa@", 254).field == "email"
