"""A resident's approved proposal as a draft challenge file, ready for a pull request.

The file carries its provenance (`origin`) and the resident's text in both languages' places, marked for
translation. It never carries the contact email: the API does not send it (only `has_contact`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from html import escape
from pathlib import Path

import yaml

from site_builder.load import UNFINISHED, load_site
from site_builder.problems import Problem
from site_builder.vocabulary import THEMES

from .client import StaffError

DEFAULT_SDGS = (11,)  # Sustainable cities and communities: every DataCity challenge; staff refine it.
SLUG_MAX = 48
TITLE_MAX = 120
SUMMARY_MAX = 300


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


def _proposed_on(created_at: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(str(created_at).replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise StaffError(f"the proposal's created_at '{created_at}' is not a date") from exc


def check_proposal(proposal: dict, proposal_id: str) -> None:
    for key in ("id", "program", "title", "description", "created_at", "status"):
        if key not in proposal:
            raise StaffError(f"the API's proposal has no '{key}'")
    if proposal["id"] != proposal_id:
        raise StaffError(f"asked for proposal {proposal_id}, the API sent {proposal['id']}")
    if proposal["status"] != "approved":
        raise StaffError(
            f"proposal {proposal_id} is {proposal['status']}, not approved; approve it first: "
            f"datacity moderate approve-proposal {proposal_id}"
        )


def challenge_markdown(
    proposal: dict,
    slug: str,
    languages: tuple[str, ...],
    theme: str | None = None,
    sdgs: tuple[int, ...] = DEFAULT_SDGS,
    command: str = "",
) -> str:
    """The draft challenge file for an approved proposal (without any contact information), with the resident's
    text in the place of each of the program's `languages`."""
    theme = theme or proposal.get("theme")
    if theme not in THEMES:
        raise StaffError(
            (f"the proposal's theme '{theme}' is not a theme" if theme else "the proposal has no theme")
            + f"; choose one with --theme ({', '.join(THEMES)})"
        )
    title = _cut(_one_line(proposal["title"]), TITLE_MAX)
    summary = _summary(proposal["description"])
    day = _proposed_on(proposal["created_at"])
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


def program_languages(root: Path, program: str) -> tuple[str, ...]:
    """The languages a program is published in (its program.yml; the validator checks the file itself)."""
    path = root / "challenges" / program / "program.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StaffError(f"{path} cannot be read ({exc}); is --root the repository, and {program} a program?") from exc
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        raise StaffError(f"{path}: languages: missing or not a list; run datacity validate")
    return tuple(languages)


def target_path(root: Path, program: str, slug: str) -> Path:
    folder = root / "challenges" / program
    if not (folder / "program.yml").is_file():
        raise StaffError(f"{folder}/program.yml does not exist: is --root the repository, and {program} a program?")
    taken = [p for p in (root / "challenges").glob(f"*/{slug}.md")]
    if taken:
        raise StaffError(
            f"{taken[0].relative_to(root).as_posix()} already exists (ids are unique across programs); "
            "nothing written: choose another id with --id"
        )
    return folder / f"{slug}.md"


def write_challenge(root: Path, program: str, slug: str, text: str) -> tuple[Path, list[Problem]]:
    """Write the file (never over an existing one), then validate the whole site; the file's own problems."""
    path = target_path(root, program, slug)
    with path.open("x", encoding="utf-8") as out:  # 'x': refuse to overwrite, even in a race
        out.write(text)
    _, problems = load_site(root)
    own = [p for p in problems if p.path.resolve() == path.resolve()]
    return path, own
