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
    assert error.status == 422 and error.detail["en"] == "The import has 6 problems; nothing was recorded."
    assert error.detail["fr"] == "L'import contient 6 problèmes ; rien n'a été enregistré."
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
    # Each problem is written in the answer's language, any language with an API catalog, the same list.
    assert error.body("fr")["problems"][0]["message"] == "Doit être l'un de : workshop, paper, phone."
    assert error.body("es")["problems"][1]["message"] == "«nope» no es un reto del programa p."
    assert error.body("ca")["problems"][5]["message"].startswith("Columna desconeguda; columnes acceptades: ")
    assert [(p["line"], p["field"]) for p in error.body("ca")["problems"]] == [
        (p["line"], p["field"]) for p in problems
    ]


def test_one_problem_is_counted_in_the_singular():
    with pytest.raises(ApiError) as refused:
        check([row(2, channel="online")])
    error = refused.value
    assert error.detail["en"] == "The import has 1 problem; nothing was recorded."
    assert error.detail["fr"] == "L'import contient 1 problème ; rien n'a été enregistré."
    assert error.detail["es"] == "La importación tiene 1 problema; no se ha registrado nada."


def test_the_body_itself_is_checked_first():
    with pytest.raises(ApiError, match="64 lowercase hexadecimal"):
        check([row(2)], digest="XYZ")
    with pytest.raises(ApiError, match="1 to 5,000 rows") as empty:
        check([])
    assert empty.value.detail["fr"] == "rows doit être une liste de 1 à 5\u202f000 lignes."


def test_imported_ids_are_stable_and_never_a_person():
    assert rules.imported_comment_id("i", 3) == rules.imported_comment_id("i", 3) != rules.imported_comment_id("i", 4)
    assert rules.line_of_key(rules.offline_vote_key("i", 42)) == 42
    assert rules.line_of_author(rules.imported_author("i", 7)) == 7


def test_a_million_takes_the_many_form_where_cldr_has_one():
    error = ApiError("invalid-field", rules.REFUSED, values={"n": 1_000_000})
    assert error.detail["fr"] == "L'import contient 1\u202f000\u202f000 de problèmes ; rien n'a été enregistré."
    assert error.detail["ca"] == "La importació té 1.000.000 de problemes; no s'ha registrat res."
    assert error.detail["en"] == "The import has 1,000,000 problems; nothing was recorded."
