"""Exported results files (results/<program>/results.json): every broken case gives its own precise message."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.load import load_site
from site_builder.results import json_lines
from tests import FIXTURES

RESULTS = FIXTURES / "results"
FILE = "results/test-city/results.json"
GOOD = json.loads((RESULTS / FILE).read_text(encoding="utf-8"))


@pytest.fixture
def root(tmp_path) -> Path:
    """The valid fixture with the results overlay: a closed program, four challenges and their results."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copytree(RESULTS, root, dirs_exist_ok=True)
    return root


def write(root: Path, data) -> str:
    text = data if isinstance(data, str) else json.dumps(data, indent=2, ensure_ascii=False)
    (root / FILE).write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of needle."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def messages(root: Path) -> list[str]:
    return [p.format(root) for p in load_site(root)[1]]


def changed(**edits) -> dict:
    data = copy.deepcopy(GOOD)
    data.update(edits)
    return data


def test_the_fixture_is_valid_and_loaded(root):
    site, problems = load_site(root)
    assert problems == []
    results = site.results["test-city"]
    assert results.final is True
    assert results.channels == ("online", "workshop", "paper", "phone")
    assert {c.id: c.total for c in results.challenges} == {
        "quiet-streets": 137,
        "school-streets": 1259,
        "shade-trees": 162,
        "water-leaks": 46,
    }
    assert results.votes() == 1604 and results.votes("workshop") == 85 and results.comments == 33
    assert results.moderation.hidden == {"spam": 2, "personal-data": 1}
    assert results.licence.name == "etalab-2.0"
    assert results.files == ("results.json", "results.csv", "comments.csv", "datapackage.json")


def test_no_results_file_is_not_a_problem():
    site, problems = load_site(FIXTURES / "valid")
    assert problems == [] and site.results == {}


def test_json_syntax_error_gives_its_line(root):
    text = json.dumps(GOOD, indent=2).replace('"final": true,', '"final": true', 1)
    write(root, text)
    line = line_of(text, '"window"')
    assert messages(root) == [
        f"{FILE}:{line}: JSON syntax error: Expecting ',' delimiter (column 3); "
        "check the commas, quotes and brackets near that line, or export the file again"
    ]


def test_a_file_that_is_not_an_object(root):
    write(root, "[]")
    assert messages(root) == [
        f"{FILE}:1: expected a JSON object, not a list; export the file again (datacity-results/1)"
    ]


def test_wrong_format(root):
    text = write(root, changed(format="datacity-results/2"))
    assert messages(root) == [
        f'{FILE}:{line_of(text, "format")}: format: unsupported format "datacity-results/2"; this site reads '
        '"format": "datacity-results/1"; export the file again with datacity results export'
    ]


def test_wrong_program(root):
    text = write(root, changed(program="paris-2017"))
    line = line_of(text, '"program"')
    assert messages(root) == [
        f'{FILE}:{line}: program: the file is for "paris-2017" but is in the folder of '
        '\'test-city\'; set "program": "test-city", or move the file to results/paris-2017/'
    ]


def test_results_for_an_unknown_program(root):
    (root / "results" / "test-cty").mkdir()
    shutil.move(root / FILE, root / "results" / "test-cty" / "results.json")
    assert messages(root) == [
        "results/test-cty/results.json:1: there is no program 'test-cty' (did you mean \"test-city\"?); "
        "put the file in results/<program>/ for a program of challenges/"
    ]


def test_a_challenge_that_is_not_published_in_the_program(root):
    data = copy.deepcopy(GOOD)
    data["challenges"][0]["id"] = "quiet-street"
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'challenges')}: challenges: missing published challenge of test-city: "
        "quiet-streets; export the results again: every published challenge has an entry, with 0 votes if it has none",
        f"{FILE}:{line_of(text, 'quiet-street')}: challenges[0].id: 'quiet-street' is not a published challenge of "
        'test-city (did you mean "quiet-streets"?); use the id of a published challenge in challenges/test-city/, '
        "or remove the entry",
    ]


def test_a_draft_challenge_is_not_published(root):
    data = copy.deepcopy(GOOD)
    data["challenges"].append({"id": "secret-draft", "votes": dict.fromkeys(data["channels"], 0),
                               "votes_total": 0, "comments": 0})  # fmt: skip
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'secret-draft')}: challenges[4].id: 'secret-draft' is not a published challenge of "
        "test-city; use the id of a published challenge in challenges/test-city/, or remove the entry"
    ]


def test_a_missing_challenge(root):
    data = copy.deepcopy(GOOD)
    del data["challenges"][3]
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'challenges')}: challenges: missing published challenge of test-city: water-leaks; "
        "export the results again: every published challenge has an entry, with 0 votes if it has none"
    ]


def test_a_challenge_listed_twice(root):
    data = copy.deepcopy(GOOD)
    data["challenges"].append(copy.deepcopy(data["challenges"][0]))
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'quiet-streets', 1)}: challenges[4].id: the challenge 'quiet-streets' is listed "
        "twice; keep one entry per challenge"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "-1 is negative; a count is a whole number of 0 or more"),
        ("12", '"12" is not a count; write a whole number of 0 or more, without quotes'),
        (1.5, "1.5 is not a count; write a whole number of 0 or more, without quotes"),
        (True, "true is not a count; write a whole number of 0 or more, without quotes"),
    ],
)
def test_a_bad_vote_count(root, value, message):
    data = copy.deepcopy(GOOD)
    data["challenges"][1]["votes"]["paper"] = value
    text = write(root, data)
    line = line_of(text, '"paper"', 2)  # after the channels and challenges[0]
    assert messages(root) == [f"{FILE}:{line}: challenges[1].votes.paper: {message}"]


def test_a_negative_comment_count(root):
    data = copy.deepcopy(GOOD)
    data["challenges"][2]["comments"] = -5
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, '-5')}: challenges[2].comments: -5 is negative; a count is a whole number of 0 or more"
    ]


def test_votes_total_must_be_the_sum(root):
    data = copy.deepcopy(GOOD)
    data["challenges"][0]["votes_total"] = 130
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, '130')}: challenges[0].votes_total: 130 is not the sum of the votes by channel (137); "
        "correct votes_total or the counts, or export the file again"
    ]


def test_an_unknown_channel(root):
    text = write(root, changed(channels=["online", "workshop", "paper", "fone"]))
    assert messages(root)[0] == (
        f'{FILE}:{line_of(text, "fone")}: channels[3]: unknown channel "fone" (did you mean "phone"?); '
        "use one of online, workshop, paper or phone"
    )


def test_channels_start_with_online(root):
    data = copy.deepcopy(GOOD)
    data["channels"] = ["workshop", "online", "paper", "phone"]
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'workshop')}: channels[0]: the first channel must be 'online'; "
        'start the list with "online"'
    ]


def test_a_vote_count_for_a_channel_the_file_does_not_list(root):
    data = copy.deepcopy(GOOD)
    data["channels"] = ["online", "workshop", "paper"]
    for challenge in data["challenges"]:
        del challenge["votes"]["phone"]
        challenge["votes_total"] = sum(challenge["votes"].values())
    data["challenges"][1]["votes"]["phone"] = 4
    text = write(root, data)
    line = line_of(text, '"phone"')
    assert messages(root) == [
        f"{FILE}:{line}: challenges[1].votes.phone: 'phone' is not one of the file's channels "
        '(online, workshop and paper); add it to "channels" if it is one of online, workshop, paper or phone, or remove '
        "this count"
    ]


def test_a_missing_channel_count(root):
    data = copy.deepcopy(GOOD)
    del data["challenges"][3]["votes"]["workshop"]
    text = write(root, data)
    line = line_of(text, '"votes"', 3)
    assert messages(root) == [
        f"{FILE}:{line}: challenges[3].votes: no count for the channel 'workshop'; "
        'add "workshop": 0 if nobody voted through it'
    ]


def test_a_missing_licence(root):
    data = copy.deepcopy(GOOD)
    del data["licence"]
    write(root, data)
    assert messages(root) == [
        f'{FILE}:1: licence: the licence is missing; add "licence": {{"name": "etalab-2.0", '
        '"title": "Licence Ouverte / Open Licence 2.0", '
        '"path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}'
    ]


def test_a_licence_that_is_not_open(root):
    data = copy.deepcopy(GOOD)
    data["licence"]["name"] = "all-rights-reserved"
    text = write(root, data)
    assert messages(root) == [
        f'{FILE}:{line_of(text, "all-rights")}: licence.name: unknown licence "all-rights-reserved"; '
        "use an open licence: etalab-2.0 or ODbL-1.0 (Licence Ouverte 2.0 or ODbL)"
    ]


def test_a_licence_path_must_be_a_web_address(root):
    data = copy.deepcopy(GOOD)
    data["licence"]["path"] = "javascript:alert(1)"
    text = write(root, data)
    assert messages(root) == [
        f'{FILE}:{line_of(text, "javascript")}: licence.path: "javascript:alert(1)" is not a web address; give the '
        'licence\'s page, e.g. "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"'
    ]


def test_a_date_without_offset(root):
    text = write(root, changed(generated_at="2026-11-02 08:00"))
    assert messages(root) == [
        f'{FILE}:{line_of(text, "generated_at")}: generated_at: "2026-11-02 08:00" is not a date and time with its '
        "offset; write it in ISO 8601, e.g. 2017-07-01T08:00:00+00:00"
    ]


def test_provisional_results_of_a_program_that_shows_counts_after_the_close(root):
    text = write(root, changed(final=False))
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'final')}: final: provisional results, but test-city shows vote counts only once the "
        "consultation has closed; publish the results after the close (final: true), or set tallies: live in "
        "program.yml"
    ]


def test_provisional_results_of_a_live_program_are_fine(root):
    program = root / "challenges" / "test-city" / "program.yml"
    program.write_text(program.read_text().replace("tallies: after-close", "tallies: live"), encoding="utf-8")
    write(root, changed(final=False))
    assert messages(root) == []


def test_an_unknown_moderation_reason(root):
    data = copy.deepcopy(GOOD)
    data["moderation"]["hidden"]["spamm"] = 1
    text = write(root, data)
    assert messages(root) == [
        f"{FILE}:{line_of(text, 'spamm')}: moderation.hidden.spamm: unknown reason 'spamm' (did you mean \"spam\"?); "
        "use one of spam, abuse, personal-data, off-topic, illegal, duplicate, other or reports"
    ]


def test_comments_hidden_by_reports_are_a_category_of_the_record(root):
    """The API records a comment hidden by residents' reports under "reports" (site_builder/vocabulary.py
    HIDDEN_BY_REPORTS); a results file exported while one waits for review must be accepted, not refused."""
    data = copy.deepcopy(GOOD)
    data["moderation"]["hidden"]["reports"] = 2
    write(root, data)
    assert messages(root) == []
    site, _ = load_site(root)
    assert site.results["test-city"].moderation.hidden["reports"] == 2


def test_missing_moderation_record(root):
    data = copy.deepcopy(GOOD)
    del data["moderation"]
    write(root, data)
    assert messages(root) == [
        f'{FILE}:1: moderation: this field is missing; add it, e.g. {{"published": 40, "pending": 0, '
        '"hidden": {}, "rejected": {}}'
    ]


def test_every_problem_is_reported_at_once(root):
    data = copy.deepcopy(GOOD)
    data["challenges"][0]["votes_total"] = 1
    data["challenges"][2]["votes"]["online"] = -3
    del data["licence"]
    write(root, data)
    found = messages(root)
    assert len(found) == 3
    assert all("; " in m for m in found)


def test_validate_refuses_a_bad_results_file(root):
    data = copy.deepcopy(GOOD)
    data["challenges"][0]["votes_total"] = 130
    write(root, data)
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "challenges[0].votes_total: 130 is not the sum of the votes by channel (137)" in result.output


def test_json_lines_finds_every_value():
    text = '{\n  "a": [1,\n    {"b": "x"}],\n  "c": {}\n}'
    assert json_lines(text) == {(): 1, ("a",): 2, ("a", 0): 2, ("a", 1): 3, ("a", 1, "b"): 3, ("c",): 4}


def test_a_verified_programs_results_show_votes_and_verifications_by_method(root):
    from site_builder.pages.results import render

    by_method = {
        "votes": {"email": 1200},
        "verifications": {"email": {"requested": 1500, "completed": 1300, "refused": 90}},
    }
    write(root, changed(verification=by_method))
    site, problems = load_site(root)
    assert problems == []
    results = site.results["test-city"]
    assert results.verification == by_method
    program = site.programs["test-city"]
    challenges = [c for c in site.published() if c.program == "test-city"]
    page = render(program, challenges, results, "en")
    assert "By email: votes 1,200; confirmations asked 1,500, completed 1,300, refused 90." in page
    assert "Confirmation" in render(program, challenges, results, "fr")  # the French section heading


def test_an_unknown_verification_method_is_refused_at_its_line(root):
    text = write(root, changed(verification={"votes": {"sms": 3}, "verifications": {}}))
    line = line_of(text, '"sms"')
    expected = f"{FILE}:{line}: verification.votes.sms: unknown verification method 'sms'"
    assert any(m.startswith(expected) for m in messages(root)), messages(root)
