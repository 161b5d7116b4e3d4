"""The `datacity` command for staff: validate content, keep the published JSON Schemas up to date."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from staff.cli import register as register_staff_commands

from . import clock
from .content_schema import json_schemas
from .generate import dead_links, generate
from .load import load_site
from .staff_click import StaffGroup, option
from .staff_text import S_, SP_, listed, plural, show, words

ROOT_OPTION = option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help=S_("The repository folder holding challenges/ and content/."),
)


@click.group(cls=StaffGroup, help=S_("Tools for DataCity program staff."))
def main() -> None:
    pass


PROBLEMS_FOUND = SP_(
    "{n} problem found; nothing can be published until it is fixed.",
    "{n} problems found; nothing can be published until they are fixed.",
)
PROGRAMS = SP_("{n} program", "{n} programs")
PUBLISHED = SP_("{n} published challenge", "{n} published challenges")
DRAFTS = SP_("{n} draft", "{n} drafts")


@main.command(help=S_("Check every program, challenge and page; print every problem, exit 1 if there is any."))
@ROOT_OPTION
@option("--github", is_flag=True, help=S_("Also print GitHub Actions annotations (::error file=...,line=...::)."))
def validate(root: Path, github: bool) -> None:
    site, problems = load_site(root)
    if not problems:  # links between generated pages can only be followed once the pages exist
        problems = dead_links(site, generate(site, clock.now()))
    for problem in problems:
        click.echo(problem.format(root))
        if github:
            click.echo(problem.github_annotation(root))
    if problems:
        click.echo("\n" + plural(PROBLEMS_FOUND, len(problems)), err=True)
        sys.exit(1)
    published = len(site.published())
    counts = {
        "programs": words(PROGRAMS, n=len(site.programs)),
        "published": words(PUBLISHED, n=published),
        "drafts": words(DRAFTS, n=len(site.challenges) - published),
    }
    click.echo(show(S_("OK: {programs}, {published}, {drafts}."), None, **counts))


@main.command(help=S_("Write the JSON Schemas editors use to check program, challenge and glossary files."))
@ROOT_OPTION
@option("--check", is_flag=True, help=S_("Only check that schemas/ is up to date (for CI)."))
def schema(root: Path, check: bool) -> None:
    folder = root / "schemas"
    stale = []
    for name, text in json_schemas().items():
        path = folder / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            folder.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        click.echo(
            show(S_("schemas/ is out of date ({files}); run: datacity schema"), None, files=listed(stale)), err=True
        )
        sys.exit(1)
    click.echo(
        show(S_("schemas/ is up to date.")) if not stale else show(S_("wrote {files}"), None, files=listed(stale))
    )


# Staff commands (staff-token, moderate, audit, results, vote-log, verify-tally, import-workshop, proposal).
register_staff_commands(main)
