"""The offline import body, checked row by row (imports/rules.py): every problem at once, with its line."""

from __future__ import annotations

import pytest

from chalicelib.imports import rules
from chalicelib.kernel.errors import ApiError

from ..helpers import VOCABULARY, program

DIGEST = "a" * 64


def row(line: int, **values) -> dict:
    return {"line": line, "channel": "paper", "challenge": "c", "kind": "vote", "collected_on": "2026-11-12", **values}


def check(rows: list, **body):
    data = {"source": "atelier.csv", "digest": DIGEST, "rows": rows, **body}
    return rules.check_import(data, program(), {"c"}, VOCABULARY.offline_channels, VOCABULARY.limits)


def test_good_rows_become_an_import_whose_id_comes_from_the_file():
    request = check([row(2), row(3, kind="comment", text="  Bien  ", display_name="Awa")])
    assert request.import_id == DIGEST[:16] and len(request.rows) == 2
    assert request.rows[1].text == "Bien" and request.rows[0].text is None
    assert (
        request.rows_sha256() == check([row(2), row(3, kind="comment", text="Bien", display_name="Awa")]).rows_sha256()
    )


def test_every_problem_of_every_row_is_listed_with_its_line():
    with pytest.raises(ApiError) as refused:
        check(
            [
                row(2, channel="online"),  # online votes are not imported
                row(3, challenge="nope", collected_on="2027-02-30"),
                row(4, kind="comment"),
                row(4),
                row(5, extra="x"),
            ]
        )
    error = refused.value
    assert error.status == 422 and "6 problem(s); nothing was recorded" in error.detail["en"]
    problems = error.body("en")["problems"]
    assert [(p["line"], p["field"]) for p in problems] == [
        (2, "channel"),
        (3, "challenge"),
        (3, "collected_on"),
        (4, "text"),
        (4, "line"),
        (5, "extra"),
    ]
    assert "outside the consultation" not in problems[2]["message"]  # 30 February is no date at all
    assert error.body("fr")["problems"][0]["message"] == "Doit être l'un de : workshop, paper, phone."


def test_the_body_itself_is_checked_first():
    with pytest.raises(ApiError, match="64 lowercase hexadecimal"):
        check([row(2)], digest="XYZ")
    with pytest.raises(ApiError, match="1 to 5000 rows"):
        check([])


def test_imported_ids_are_stable_and_never_a_person():
    assert rules.imported_comment_id("i", 3) == rules.imported_comment_id("i", 3) != rules.imported_comment_id("i", 4)
    assert rules.line_of_key(rules.offline_vote_key("i", 42)) == 42
    assert rules.line_of_author(rules.imported_author("i", 7)) == 7
