"""A resident's approved proposal, as a draft challenge file, written into the repository for a pull request.

The draft's text comes from the API (GET /staff/proposals/{id}/challenge-draft, written by its proposals/draft.py,
the same text the console shows and downloads): here it is only written, never over an existing file, and checked
with the whole site by the validator. It never carries the contact email: the API does not put it there.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.load import load_site
from site_builder.problems import Problem
from site_builder.schema import SLUG_RE
from site_builder.staff_text import S_, text
from site_builder.vocabulary import THEMES

from .client import StaffError

__all__ = ["THEMES", "target_path", "write_challenge"]


def target_path(root: Path, program: str, slug: str) -> Path:
    if not SLUG_RE.match(slug) or not SLUG_RE.match(program):  # never a path outside challenges/<program>/
        raise StaffError(text(S_("'{program}/{slug}' is not a program and challenge id"), program=program, slug=slug))
    folder = root / "challenges" / program
    if not (folder / "program.yml").is_file():
        raise StaffError(
            text(
                S_("{folder}/program.yml does not exist: is --root the repository, and {program} a program?"),
                folder=folder,
                program=program,
            )
        )
    taken = [p for p in (root / "challenges").glob(f"*/{slug}.md")]
    if taken:
        raise StaffError(
            text(
                S_(
                    "{path} already exists (ids are unique across programs); nothing written: choose another id with --id"
                ),
                path=taken[0].relative_to(root).as_posix(),
            )
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
