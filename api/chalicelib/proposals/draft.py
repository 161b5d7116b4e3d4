"""A resident's approved proposal as a draft challenge file, ready for a pull request (pure: no storage, no HTTP).

The one place the draft is written: the staff API gives it (GET /staff/proposals/{id}/challenge-draft), the
`datacity proposal to-challenge` command writes that text into the repository, the console shows and downloads it.
The file carries its provenance (`origin`) and the resident's text in the place of each of the program's
languages, marked for translation. It never carries the contact email (the proposal given here has none).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from html import escape

from ..kernel.errors import ApiError
from ..kernel.messages import N_

# What a draft's unfinished parts are marked with: the site's validator refuses them outside drafts
# (site_builder/load.py UNFINISHED; tests/unit/test_contract.py checks both are the same).
UNFINISHED = "TODO:"
DEFAULT_SDGS = (11,)  # Sustainable cities and communities: every DataCity challenge; staff refine it.
SLUG_MAX = 48
TITLE_MAX = 120
SUMMARY_MAX = 300
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """'Des bancs à l'ombre !' -> 'des-bancs-a-l-ombre', cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug.strip("-")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def _summary(description: str) -> str:
    flat = _one_line(description)
    first = re.split(r"(?<=[.!?])\s", flat, maxsplit=1)[0]
    return _cut(first if len(first) >= 40 else flat, SUMMARY_MAX)


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def check_approved(status: str) -> None:
    if status != "approved":
        raise ApiError(
            "conflict",
            N_("This proposal is not approved: approve it first, then make it a draft challenge."),
        )


def choose_slug(title: str, wanted: object, taken: set[str]) -> str:
    """The new challenge's id: the one asked for, else from the title; 422 if not an id, 409 if a challenge has it."""
    slug = wanted.strip() if isinstance(wanted, str) and wanted.strip() else slugify(title)
    if not slug or len(slug) > SLUG_MAX or not SLUG_RE.match(slug):
        raise ApiError(
            "invalid-field",
            N_("'{slug}' is not a challenge id: lowercase letters, digits and hyphens, {max} at most."),
            values={"slug": slug, "max": SLUG_MAX},
            field="id",
        )
    if slug in taken:
        raise ApiError(
            "conflict", N_("A challenge already has the id '{slug}': choose another one."), values={"slug": slug}
        )
    return slug


def choose_theme(own: str | None, wanted: object, themes: dict) -> str:
    theme = wanted if isinstance(wanted, str) and wanted else own
    if theme not in themes:
        raise ApiError(
            "invalid-field",
            N_("The proposal has no theme, or not one of the site's: choose one ({themes})."),
            values={"themes": ", ".join(themes)},
            field="theme",
        )
    return theme


def choose_sdgs(wanted: object) -> tuple[int, ...]:
    """SDG numbers as '6,11' (the query of the staff API); 11 when none is given."""
    if not isinstance(wanted, str) or not wanted.strip():
        return DEFAULT_SDGS
    try:
        numbers = tuple(sorted({int(part) for part in wanted.split(",")}))
    except ValueError:
        numbers = ()
    if not numbers or not all(1 <= n <= 17 for n in numbers):
        raise ApiError("invalid-field", N_("SDGs are numbers from 1 to 17, separated by commas."), field="sdgs")
    return numbers


def challenge_markdown(
    proposal: dict,
    slug: str,
    languages: tuple[str, ...],
    theme: str,
    sdgs: tuple[int, ...] = DEFAULT_SDGS,
    command: str = "",
) -> str:
    """The draft challenge file for an approved proposal (without any contact information), with the resident's
    text in the place of each of the program's `languages`."""
    title = _cut(_one_line(proposal["title"]), TITLE_MAX)
    summary = _summary(proposal["description"])
    day = dt.datetime.fromisoformat(str(proposal["created_at"]).replace("Z", "+00:00")).date()
    # The resident's text is shown as text: no HTML of theirs reaches the page, no line can be a language marker.
    body = escape(str(proposal["description"]).strip(), quote=False)
    note = f"{UNFINISHED} translate (the resident's text, as written) / à traduire (texte de l'habitant·e, tel quel)"
    lines = [
        "---",
        "# yaml-language-server: $schema=../../schemas/challenge.schema.json",
        f"# Draft from resident proposal {proposal['id']}{f' ({command})' if command else ''}.",
        "# Before publishing: rewrite and translate the texts, check themes and SDGs, delete every TODO mark"
        " (the validator refuses them outside drafts), then set status: open.",
        f"id: {slug}",
        "status: draft",
        "title:",
        *[f"  {lang}: {_yaml_string(title)}  # {note}" for lang in languages],
        "summary:",
        *[f"  {lang}: {_yaml_string(summary)}  # {note}" for lang in languages],
        f"themes: [{theme}]  # {UNFINISHED} check",
        f"sdgs: [{', '.join(str(n) for n in sdgs)}]  # {UNFINISHED} check",
        "origin:",
        "  kind: resident-proposal",
        f"  proposal: {proposal['id']}",
        f"  proposed_on: {day.isoformat()}",
        "---",
        "",
    ]
    for lang in languages:
        lines += [f"<!-- {lang} -->", "", f"<!-- {note} -->", "", body, ""]
    return "\n".join(lines)
