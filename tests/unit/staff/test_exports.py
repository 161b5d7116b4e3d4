"""results/vote-log exports: CSV files with a header and documented columns, and the Frictionless Data Package."""

from __future__ import annotations

import csv
import io
import json

import pytest

from site_builder.vocabulary import OPEN_LICENCE
from staff import exports
from staff.catalog import Catalog
from staff.client import StaffError

RESULTS = {
    "format": "datacity-results/1",
    "licence": dict(OPEN_LICENCE),
    "program": "paris-2017",
    "generated_at": "2017-11-07T08:00:00+00:00",
    "final": True,
    "window": {"opens": "2017-10-20T00:00:00+02:00", "closes": "2017-11-07T00:00:00+01:00"},
    "channels": ["online", "workshop", "paper"],
    "challenges": [
        {"id": "cycling-safety", "votes": {"online": 3, "workshop": 1, "paper": 0}, "votes_total": 4, "comments": 2},
        {
            "id": "air-quality-sensors",
            "votes": {"online": 2, "workshop": 0, "paper": 1},
            "votes_total": 3,
            "comments": 0,
        },
    ],
    "comments": [
        {
            "id": "k2",
            "challenge": "cycling-safety",
            "created_at": "2017-10-22T10:00:00+00:00",
            "channel": "paper",
            "text": '=HYPERLINK("http://evil")',
        },
        {
            "id": "k1",
            "challenge": "cycling-safety",
            "created_at": "2017-10-21T10:00:00+00:00",
            "channel": "online",
            "text": 'Plus de pistes, "protégées"\net larges',
        },
    ],
    "moderation": {"published": 2, "pending": 0, "hidden": {}, "rejected": {}},
    "proposals": {"received": 0, "approved": 0, "rejected": 0, "pending": 0},
}

CATALOG = Catalog(
    {
        "programs": [{"id": "paris-2017", "languages": ["fr", "en"]}],
        "challenges": [
            {
                "id": "cycling-safety",
                "program": "paris-2017",
                "title": {"fr": "Vélo sûr", "en": "Safe cycling"},
                "themes": ["mobility", "health"],
                "sdgs": [3, 11],
            },
            {"id": "air-quality-sensors", "program": "paris-2017", "title": {"fr": "Air", "en": "Air"}},
        ],
    }
)


def parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_results_csv_one_row_per_challenge_with_catalog_titles():
    rows = parse(exports.results_csv(RESULTS, CATALOG))
    assert list(rows[0]) == [
        "challenge", "title_fr", "title_en", "themes", "sdgs",
        "votes_online", "votes_workshop", "votes_paper", "votes_total", "comments",
    ]  # fmt: skip
    assert [r["challenge"] for r in rows] == ["air-quality-sensors", "cycling-safety"]
    assert rows[1] == {
        "challenge": "cycling-safety", "title_fr": "Vélo sûr", "title_en": "Safe cycling", "themes": "mobility;health",
        "sdgs": "3;11", "votes_online": "3", "votes_workshop": "1", "votes_paper": "0", "votes_total": "4",
        "comments": "2",
    }  # fmt: skip
    # A catalog without themes and SDGs (or none at all) leaves those cells empty.
    assert rows[0]["themes"] == rows[0]["sdgs"] == ""
    # Without a catalog nothing says the program's languages: no title columns rather than empty French and English.
    assert list(parse(exports.results_csv(RESULTS, None))[1])[:2] == ["challenge", "themes"]


def test_results_csv_titles_in_the_programs_own_languages():
    """A program published in Catalan and Spanish gets title_ca and title_es, described by name in its package."""
    results = {**RESULTS, "program": "barcelona-2027", "challenges": [{"id": "aigua", "votes": {"online": 1}}]}
    catalog = Catalog(
        {
            "programs": [{"id": "barcelona-2027", "languages": ["ca", "es"]}],
            "challenges": [{"id": "aigua", "program": "barcelona-2027", "title": {"ca": "L'aigua", "es": "El agua"}}],
        }
    )
    row = parse(exports.results_csv(results, catalog))[0]
    assert list(row)[:3] == ["challenge", "title_ca", "title_es"]
    assert (row["title_ca"], row["title_es"]) == ("L'aigua", "El agua")
    fields = exports.datapackage(results, languages=exports.title_languages(results, catalog))["resources"][0]
    described = {f["name"]: f["description"] for f in fields["schema"]["fields"]}
    assert described["title_ca"] == "The challenge's title in Catalan (from the site's catalog)."
    assert described["title_es"] == "The challenge's title in Spanish (from the site's catalog)."


def test_a_results_csv_already_written_tells_its_title_languages(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(exports.results_csv(RESULTS, CATALOG), encoding="utf-8")
    assert exports.written_title_languages(path) == ["fr", "en"]
    assert exports.written_title_languages(tmp_path / "missing.csv") == []


def test_comments_csv_is_safe_to_open_in_a_spreadsheet():
    text = exports.comments_csv(RESULTS)
    rows = parse(text)
    assert [r["id"] for r in rows] == ["k1", "k2"]
    assert rows[0]["text"] == 'Plus de pistes, "protégées"\net larges'
    assert rows[1]["text"] == '\'=HYPERLINK("http://evil")'
    assert list(rows[0]) == ["id", "challenge", "created_at", "channel", "text"]
    assert "display_name" not in text


def test_datapackage_describes_every_column_with_the_licence():
    package = exports.datapackage(RESULTS, languages=exports.title_languages(RESULTS, CATALOG))
    assert package["licenses"] == [OPEN_LICENCE]
    assert package["name"] == "datacity-paris-2017-results"
    assert package["profile"] == "tabular-data-package"
    by_name = {r["name"]: r for r in package["resources"]}
    assert set(by_name) == {"results", "comments", "results-document"}
    results_csv_header = next(csv.reader(io.StringIO(exports.results_csv(RESULTS, CATALOG))))
    assert [f["name"] for f in by_name["results"]["schema"]["fields"]] == results_csv_header
    comments_header = next(csv.reader(io.StringIO(exports.comments_csv(RESULTS))))
    assert [f["name"] for f in by_name["comments"]["schema"]["fields"]] == comments_header
    for resource in package["resources"]:
        assert resource["encoding"] == "utf-8"
        for field in resource.get("schema", {}).get("fields", []):
            assert field["description"] and field["type"] in ("string", "integer", "datetime")
    with_log = exports.datapackage(RESULTS, has_vote_log=True)
    assert {r["path"] for r in with_log["resources"]} >= {"vote-log.csv", "vote-log.json"}
    json.dumps(with_log)  # serialisable


def test_vote_log_csv_sorted():
    log = {
        "format": "datacity-vote-log/1",
        "program": "paris-2017",
        "challenges": [
            {"id": "b", "salt": "0" * 64, "entries": [{"entry": "f" * 64, "channel": "online"},
                                                       {"entry": "1" * 64, "channel": "paper"}]},
            {"id": "a", "salt": "1" * 64, "entries": [{"entry": "e" * 64, "channel": "online"}]},
        ],
    }  # fmt: skip
    assert exports.vote_log_csv(log).splitlines() == [
        "challenge,channel,entry",
        f"a,online,{'e' * 64}",
        f"b,online,{'f' * 64}",
        f"b,paper,{'1' * 64}",
    ]


def test_documents_of_another_kind_or_program_are_refused():
    with pytest.raises(StaffError, match="datacity-results/1"):
        exports.check_results({"format": "other"}, "paris-2017")
    with pytest.raises(StaffError, match="not 'lyon-2018'"):
        exports.check_results(RESULTS, "lyon-2018")
    with pytest.raises(StaffError, match="datacity-vote-log/1"):
        exports.check_vote_log([], "paris-2017")


def test_files_are_written_whole(tmp_path):
    written = exports.write_files(tmp_path / "out", {"a.csv": "x\r\n", "b.json": b"{}"})
    assert [p.name for p in written] == ["a.csv", "b.json"]
    assert (tmp_path / "out" / "a.csv").read_bytes() == b"x\r\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.csv", "b.json"]
