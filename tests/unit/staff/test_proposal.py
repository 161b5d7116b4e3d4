"""proposal to-challenge: an approved proposal becomes a draft challenge that passes the validator, with provenance.

The text is the API's (chalicelib/proposals/draft.py, what the console shows too); staff/proposal.py writes it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from chalicelib.kernel.errors import ApiError
from chalicelib.proposals import draft
from site_builder import load, schema
from site_builder.blocks import inline
from site_builder.load import load_site
from site_builder.pages import challenge as challenge_page
from staff import proposal
from staff.client import StaffError
from tests import FIXTURES

FIXTURE = FIXTURES / "valid"

APPROVED = {
    "id": "Zx4_pQ9-aB3dE5fG",
    "program": "test-city",
    "title": "Des bancs à l'ombre près des écoles !",
    "description": (
        "Il fait trop chaud l'été devant l'école.\n\nOn pourrait planter des arbres <script>alert(1)</script>\n"
        "<!-- en -->\n- et installer des bancs"
    ),
    "theme": "climate-adaptation",
    "created_at": "2026-11-12T09:30:00.123456+00:00",
    "status": "approved",
    "has_contact": True,
    "email": "resident@example.org",  # the API never sends it; even if it did, it would not be written
}


def markdown(found: dict, slug: str) -> str:
    return draft.challenge_markdown(found, slug, ("fr", "en"), found["theme"])


def test_the_api_marks_and_ids_as_the_validator_reads_them():
    assert draft.UNFINISHED == load.UNFINISHED and draft.SLUG_RE.pattern == schema.SLUG_RE.pattern


@pytest.fixture
def root(tmp_path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(FIXTURE, target)
    return target


def test_slugify():
    assert draft.slugify("Des bancs à l'ombre près des écoles !") == "des-bancs-a-l-ombre-pres-des-ecoles"
    assert len(draft.slugify("mot " * 40)) <= draft.SLUG_MAX
    assert not draft.slugify("mot " * 40).endswith("-")


def test_the_draft_passes_the_validator_and_carries_its_origin(root):
    slug = draft.slugify(APPROVED["title"])
    text = markdown(APPROVED, slug)
    path, problems = proposal.write_challenge(root, "test-city", slug, text)
    assert problems == []
    assert path == root / "challenges" / "test-city" / f"{slug}.md"
    site, all_problems = load_site(root)
    assert all_problems == []
    made = site.challenge(slug)
    assert made.status == "draft" and made.themes == ["climate-adaptation"] and made.sdgs == [11]
    assert made.origin.kind == "resident-proposal"
    assert made.origin.proposal == APPROVED["id"]
    assert made.origin.proposed_on == dt.date(2026, 11, 12)
    assert made.title["fr"] == made.title["en"] == APPROVED["title"]
    for lang in ("fr", "en"):
        assert "Il fait trop chaud" in made.body[lang]
        assert "&lt;script&gt;" in made.body[lang] and "<script>" not in made.body[lang]
        assert "à traduire" in made.body[lang]
    assert "resident@example.org" not in text and "has_contact" not in text


def test_the_draft_cannot_be_published_until_its_todo_marks_are_gone(root):
    slug = "bancs"
    path, _ = proposal.write_challenge(root, "test-city", slug, markdown(APPROVED, slug))
    opened = path.read_text(encoding="utf-8").replace("status: draft", "status: open")
    path.write_text(opened, encoding="utf-8")
    _, problems = load_site(root)
    marked = [n for n, line in enumerate(opened.splitlines(), 1) if "TODO:" in line]
    assert sorted(p.line for p in problems) == marked and all(p.field == "status" for p in problems)
    # Translated and checked: each TODO mark deleted (the comment lines, and the comments at line ends).
    finished = [line.split("  # TODO:")[0] for line in opened.splitlines() if "<!-- TODO:" not in line]
    path.write_text("\n".join(finished) + "\n", encoding="utf-8")
    assert load_site(root)[1] == []


def test_the_page_says_a_resident_proposed_it(root):
    slug = "bancs"
    proposal.write_challenge(root, "test-city", slug, markdown(APPROVED, slug))
    site, _ = load_site(root)
    made = site.challenge(slug)
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
    fr = challenge_page.render(site, site.programs["test-city"], made, "fr", now, "/api")
    en = challenge_page.render(site, site.programs["test-city"], made, "en", now, "/api")
    assert (
        challenge_page.proposed_by("fr", made.origin.proposed_on) == "Proposé par un·e habitant·e le 12 novembre 2026"
    )
    assert challenge_page.proposed_by("en", made.origin.proposed_on) == "Proposed by a resident on 12 November 2026"
    assert '<p class="dc-origin">Proposé par un·e habitant·e le 12 novembre 2026</p>' in inline(fr)
    assert '<p class="dc-origin">Proposed by a resident on 12 November 2026</p>' in inline(en)
    other = challenge_page.render(site, site.programs["test-city"], site.challenge("water-leaks"), "fr", now, "/api")
    assert "dc-origin" not in other


def test_refuses_to_overwrite_or_reuse_an_id(root):
    existing = root / "challenges" / "test-city" / "water-leaks.md"
    before = existing.read_text()
    with pytest.raises(StaffError, match="already exists"):
        proposal.write_challenge(root, "test-city", "water-leaks", markdown(APPROVED, "water-leaks"))
    assert existing.read_text() == before
    with pytest.raises(StaffError, match="program.yml does not exist"):
        proposal.write_challenge(root, "nowhere", "x", "")


def test_only_approved_proposals_and_a_theme_is_needed():
    with pytest.raises(ApiError, match="not approved"):
        draft.check_approved("pending")
    themes = {"water": {}, "climate-adaptation": {}}
    with pytest.raises(ApiError, match="no theme") as caught:
        draft.choose_theme(None, None, themes)
    assert caught.value.status == 422
    assert draft.choose_theme(None, "water", themes) == "water"
    text = draft.challenge_markdown({**APPROVED, "theme": None}, "x", ("fr", "en"), "water", draft.choose_sdgs("11,6"))
    assert "themes: [water]" in text and "sdgs: [6, 11]" in text
    for bad in ("0", "18", "six", ","):
        with pytest.raises(ApiError):
            draft.choose_sdgs(bad)
    assert draft.choose_slug("Des bancs !", None, set()) == "des-bancs"
    with pytest.raises(ApiError) as taken:
        draft.choose_slug("Des bancs !", "water-leaks", {"water-leaks"})
    assert taken.value.status == 409
    with pytest.raises(ApiError) as malformed:
        draft.choose_slug("x", "../etc", set())
    assert malformed.value.status == 422
    with pytest.raises(StaffError):  # nor can an API answer write outside challenges/<program>/
        proposal.target_path(Path("."), "test-city", "../../etc/x")


def test_long_titles_and_descriptions_fit_the_limits(root):
    long = {**APPROVED, "title": "Un titre " * 20, "description": "Une phrase sans fin " * 200}
    path, problems = proposal.write_challenge(root, "test-city", "long", markdown(long, "long"))
    assert problems == [], [p.format(root) for p in problems]
