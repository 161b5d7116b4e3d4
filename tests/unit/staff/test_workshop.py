"""import-workshop: the whole CSV file is checked first; every problem has its line; any problem sends nothing."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from staff import workshop
from staff.catalog import Catalog
from staff.client import StaffApi

HEADER = "channel,challenge,kind,text,display_name,collected_on\n"
TOKEN = "dcs_1a2b3c4d_" + "A" * 43


def catalog_data() -> dict:
    window = {"opens": "2017-10-20T00:00:00+02:00", "closes": "2017-11-07T00:00:00+01:00", "timezone": "Europe/Paris"}
    return {
        "version": 1,
        "programs": [{"id": "paris-2017", "window": window}, {"id": "lyon-2018", "window": window}],
        "challenges": [
            {
                "id": "air-quality-sensors",
                "program": "paris-2017",
                "window": window,
                "title": {"fr": "Air", "en": "Air"},
            },
            {"id": "cycling-safety", "program": "paris-2017", "window": window, "title": {"fr": "Vélo", "en": "Bike"}},
            {"id": "river-banks", "program": "lyon-2018", "window": window, "title": {"fr": "Quais", "en": "Banks"}},
        ],
    }


CATALOG = Catalog(catalog_data())


def check(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return workshop.check_file(data, "paris-2017", CATALOG)


def messages(checked) -> list[str]:
    return [p.format("w.csv") for p in checked.problems]


def test_a_good_file_gives_rows_with_their_lines_and_digest():
    text = (
        HEADER + "workshop,air-quality-sensors,vote,,,2017-10-25\n"
        'paper,cycling-safety,comment,"Plus de pistes, et plus larges\nsur deux lignes",Léa,2017-11-06\n'
        "\n"
        "phone,cycling-safety,vote,,,2017-10-20\n"
    )
    checked = check("\ufeff" + text)
    assert checked.ok, messages(checked)
    assert [r["line"] for r in checked.rows] == [2, 3, 6]
    assert checked.rows[1]["text"] == "Plus de pistes, et plus larges\nsur deux lignes"
    assert checked.rows[1]["display_name"] == "Léa"
    assert checked.counts() == {"rows": 3, "votes": 2, "comments": 1}
    assert checked.digest == hashlib.sha256(("\ufeff" + text).encode()).hexdigest()
    body = workshop.request_body("w.csv", checked)
    assert set(body) == {"source", "digest", "rows"}
    assert set(body["rows"][0]) == {"line", "channel", "challenge", "kind", "text", "display_name", "collected_on"}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "fax,air-quality-sensors,vote,,,2017-10-25",
            "w.csv:2: channel: unknown channel 'fax'; write one of: workshop",
        ),
        ("paper,air-quality-sensors,vot,,,2017-10-25", "w.csv:2: kind: unknown kind 'vot' (did you mean \"vote\"?)"),
        ("paper,air-quality-sensor,vote,,,2017-10-25", "w.csv:2: challenge: unknown challenge 'air-quality-sensor'"),
        ("paper,river-banks,vote,,,2017-10-25", "w.csv:2: challenge: 'river-banks' belongs to program lyon-2018"),
        ("paper,cycling-safety,comment,,,2017-10-25", "w.csv:2: text: a comment needs its text; copy the comment"),
        ("paper,cycling-safety,vote,Oui !,,2017-10-25", "w.csv:2: text: a vote has no text; leave text empty"),
        ("paper,cycling-safety,vote,,,25/10/2017", "w.csv:2: collected_on: '25/10/2017' is not a date; write"),
        ("paper,cycling-safety,vote,,,2017-02-30", "w.csv:2: collected_on: '2017-02-30' is not a date"),
        ("paper,cycling-safety,vote,,,2017-11-07", "w.csv:2: collected_on: 2017-11-07 is outside the consultation"),
        ("paper,cycling-safety,vote,,,2017-10-19", "w.csv:2: collected_on: 2017-10-19 is outside the consultation"),
        (f"paper,cycling-safety,comment,{'a' * 2001},,2017-10-25", "w.csv:2: text: is 2001 characters long"),
        (
            "paper,cycling-safety,vote,,2017-10-25",
            "w.csv:2: the row has a different number of cells (5) than the header (6); put text",
        ),
    ],
)
def test_each_row_problem_names_line_column_and_fix(row, expected):
    checked = check(HEADER + row + "\n")
    assert not checked.ok
    assert any(m.startswith(expected) for m in messages(checked)), messages(checked)
    assert all("; " in m for m in messages(checked))
    assert checked.rows == []


def test_window_edges_are_inclusive_local_days():
    checked = check(HEADER + "paper,cycling-safety,vote,,,2017-10-20\npaper,cycling-safety,vote,,,2017-11-06\n")
    assert checked.ok, messages(checked)


def test_header_problems_missing_and_extra_columns():
    checked = check("channel,challenge,kind,txt,collected_on,age\npaper,cycling-safety,vote,,2017-10-25,40\n")
    found = messages(checked)
    assert any(m.startswith("w.csv:1: txt: unknown column 'txt' (did you mean \"text\"?); remove it") for m in found)
    assert any(m.startswith("w.csv:1: age: unknown column 'age'") for m in found)
    assert any(m.startswith("w.csv:1: text: missing column 'text'; add it") for m in found)
    assert any(m.startswith("w.csv:1: display_name: missing column 'display_name'") for m in found)
    assert checked.rows == []


def test_every_problem_of_the_file_at_once_sorted_by_line():
    checked = check(
        HEADER + "paper,cycling-safety,vote,,,2017-10-25\n"
        "fax,cycling-safety,vote,,,2017-10-25\n"
        "paper,nope,comment,,,yesterday\n"
    )
    lines = [p.line for p in checked.problems]
    assert lines == sorted(lines) and set(lines) == {3, 4}
    assert len(checked.problems) == 4  # channel on 3; challenge, text, date on 4


def test_empty_files_and_header_only():
    assert messages(check("")) == [
        "w.csv:1: the file is empty; export the sheet as CSV with the header row: "
        "channel,challenge,kind,text,display_name,collected_on"
    ]
    assert messages(check("\n \n"))[0].startswith("w.csv:1: the file is empty")
    assert messages(check(HEADER))[0].startswith("w.csv:2: the file has a header but no rows")


def test_invalid_utf8_names_its_line():
    data = (
        HEADER + "paper,cycling-safety,comment,ok,,2017-10-25\n"
    ).encode() + "paper,cycling-safety,comment,é,,2017-10-25\n".encode("latin-1")
    found = messages(check(data))
    assert len(found) == 1 and found[0].startswith("w.csv:3: invalid UTF-8 (byte 0xe9); save the file as 'CSV UTF-8'")


def test_too_many_rows():
    checked = check(HEADER + "paper,cycling-safety,vote,,,2017-10-25\n" * 5001)
    assert any("more than 5000" in m for m in messages(checked))


@pytest.fixture
def no_http(monkeypatch):
    calls = []

    def refuse(self, method, path, body=None, query=None):
        calls.append((method, path))
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(StaffApi, "raw", refuse)
    return calls


def import_workshop(tmp_path, rows: str, *more: str, env: dict | None = None):
    """Run `datacity import-workshop` on a sheet of these rows, with the test catalog."""
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(catalog_data()), encoding="utf-8")
    csv_file = tmp_path / "atelier.csv"
    csv_file.write_text(HEADER + rows, "utf-8")
    arguments = ["import-workshop", "--program", "paris-2017", str(csv_file), "--catalog", str(catalog), *more]
    return csv_file, CliRunner().invoke(main, arguments, env={"DATACITY_STAFF_TOKEN": TOKEN, **(env or {})})


def test_command_prints_every_problem_and_sends_nothing(tmp_path, no_http):
    rows = "paper,cycling-safety,vote,,,2017-10-25\nfax,nope,vote,,,2017-10-25\n"
    csv_file, result = import_workshop(tmp_path, rows, env={"DATACITY_API": "http://127.0.0.1:9/api"})
    assert result.exit_code == 1
    assert f"{csv_file}:3: channel: unknown channel 'fax'" in result.output
    assert f"{csv_file}:3: challenge: unknown challenge 'nope'" in result.output
    assert "2 problems in " in result.output and "; nothing was imported" in result.output
    assert no_http == []
    assert TOKEN not in result.output


def test_dry_run_checks_and_sends_nothing(tmp_path, no_http):
    _, result = import_workshop(tmp_path, "paper,cycling-safety,vote,,,2017-10-25\n", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "OK, 1 vote and 0 comments; nothing sent" in result.output
    assert no_http == []


def test_counts_take_the_staff_language_s_plural_forms(tmp_path, no_http):
    rows = "paper,cycling-safety,vote,,,2017-10-25\npaper,cycling-safety,vote,,,2017-10-26\n"
    _, result = import_workshop(tmp_path, rows, "--dry-run", env={"LANGUAGE": "fr"})
    assert "OK, 2 votes et 0 commentaire ; rien n'a été envoyé (--dry-run)." in result.output  # CLDR: 0 is singular
    csv_file, refused = import_workshop(tmp_path, "fax,cycling-safety,vote,,,2017-10-25\n", env={"LANGUAGE": "fr"})
    assert f"1 problème dans {csv_file} ; rien n'a été importé" in refused.output
