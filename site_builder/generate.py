"""Turn the validated Site into the full docs tree (path -> bytes) that MkDocs builds."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path

from . import urls
from .load import CONTACT_MARKER, STATEMENT_MARKER, relative_links
from .model import Site
from .pages import accessibility as accessibility_page
from .pages import challenge as challenge_page
from .pages import glossary as glossary_page
from .pages import listing, my_votes, participation
from .pages import program as program_page
from .pages import results as results_page
from .pages import search as search_page
from .problems import Problem
from .staff_text import S_

# Anyone's recount and vote finder, published next to each vote log (the "my votes" page links to it).
VERIFY_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "verify_tally.py"
PROGRAMS_MARKER = "<!-- programs -->"
PARTNERS_MARKER = "<!-- partners -->"
# Site pages in navigation order; other content pages follow alphabetically.
NAV_ORDER = ("how-it-works", "glossary", "about", "partners", "privacy", "accessibility")


def generate(site: Site, now: dt.datetime, api_base: str = "/api") -> dict[str, bytes]:
    """Every page in every language (a program's pages in its own languages), and the images, keyed by docs-tree
    path; forms post to `api_base`."""
    urls.use_default_language(site.languages[0])
    tree: dict[str, str | bytes] = {}
    programs = sorted(site.programs.values(), key=lambda p: (-p.season, p.id))
    results = site.results
    for lang in site.languages:
        by_program = [(p, site.published(p.id)) for p in programs]
        for name, by_lang in site.pages.items():
            here = urls.content_page(lang, name)
            text = by_lang[lang].read_text(encoding="utf-8")
            if PROGRAMS_MARKER in text:
                text = text.replace(PROGRAMS_MARKER, program_page.summary_block(by_program, lang, here, now))
            if PARTNERS_MARKER in text:
                text = text.replace(PARTNERS_MARKER, program_page.partners_block(programs, lang))
            if STATEMENT_MARKER in text:
                text = text.replace(STATEMENT_MARKER, accessibility_page.render(site, lang, now))
            text = CONTACT_MARKER.sub(lambda m, lang=lang: _contact(m, site, programs, lang), text)
            tree[here] = text
        if site.glossary:
            tree[urls.content_page(lang, "glossary")] = glossary_page.render(site.glossary, lang)
        tree[urls.content_page(lang, search_page.NAME)] = search_page.render(programs, lang)
        tree[urls.content_page(lang, my_votes.NAME)] = my_votes.render(by_program, results, lang, api_base)
        for program, challenges in by_program:
            if lang not in program.languages:
                continue
            found = results.get(program.id)
            block = results_page.home_block(program, found, lang) if found else None
            tree[urls.program_home(lang, program.id)] = program_page.render(
                program, challenges, lang, now, api_base, block
            )
            if found:
                tree[urls.results_page(lang, program.id)] = results_page.render(program, challenges, found, lang)
            tree[urls.propose_page(lang, program.id)] = participation.propose_page(program, lang, api_base, now)
            for path, text in listing.render_all(program, challenges, lang, now, api_base):
                tree[path] = text
            for challenge in challenges:
                tree[urls.challenge_page(lang, program.id, challenge.id)] = challenge_page.render(
                    site, program, challenge, lang, now, api_base
                )
    for found in results.values():
        for name in found.files:
            tree[urls.results_file(found.program, name)] = (found.folder / name).read_bytes()
        if my_votes.LOG in found.files:
            tree[urls.results_file(found.program, my_votes.SCRIPT)] = VERIFY_SCRIPT.read_bytes()
    for challenge in site.published():
        if challenge.image is not None:
            tree[urls.asset(challenge.program, challenge.image.file_name)] = challenge.image.source.read_bytes()
    return {path: (v.encode("utf-8") if isinstance(v, str) else v) for path, v in tree.items()}


def _contact(marker: re.Match, site: Site, programs: list, lang: str) -> str:
    """A content page's contact marker as the declared address (the validator made sure it is declared)."""
    which, name = marker.group(1), marker.group(2)
    if which == "contact":
        return program_page.mail_link(site.contact[name])
    return program_page.contacts_block(programs, site.contact, name, lang)


def navigation(site: Site, lang: str) -> list[str]:
    """MkDocs `nav` entries of one language's pages (the i18n plugin resolves them in that language's folder);
    a program is in the navigation of the languages it is published in.

    Challenge and listing pages stay out of the navigation: each page would otherwise embed
    thousands of links (see docs/benchmarks.md); they are reached from the program pages.
    """
    programs = sorted(site.programs.values(), key=lambda p: (-p.season, p.id))
    names = set(site.pages) | ({"glossary"} if site.glossary else set())
    ordered = [n for n in NAV_ORDER if n in names] + sorted(names - set(NAV_ORDER) - {"index"})
    nav = ["index.md"] if "index" in names else []
    with_results = site.results
    for p in (p for p in programs if lang in p.languages):
        nav += [f"{p.id}/index.md"] + ([f"{p.id}/results.md"] if p.id in with_results else [])
    nav += [f"{n}.md" for n in ordered]
    return nav


def dead_links(site: Site, tree: dict[str, bytes]) -> list[Problem]:
    """A challenge text's link to a page (`other-challenge.md`, `../../privacy.md`) that no generated page answers,
    at its line in the challenge's file: `mkdocs build --strict` would stop on it naming the generated page instead.

    A link counts as good if it leads to a page from the challenge's page in any of its program's languages (the
    build may still refuse one that works in one language only: the validator never refuses a link the build takes).
    """
    problems = []
    for challenge in site.published():
        program = site.programs[challenge.program]
        here = [urls.challenge_page(lang, program.id, challenge.id) for lang in program.languages]
        for line, is_image, target in relative_links(challenge.path.read_text(encoding="utf-8")):
            name = target.split("#", 1)[0]
            if is_image or not name.endswith(".md"):
                continue  # refused when the challenge is read (load.py, _split_body)
            if any(posixpath.normpath(posixpath.join(posixpath.dirname(page), name)) in tree for page in here):
                continue
            problems.append(
                Problem(
                    challenge.path,
                    line,
                    "body",
                    S_("the link '{target}' leads to no page of the site"),
                    S_(
                        "link another challenge of the program by its file name (quiet-streets.md), a page by its "
                        "path from the challenge (../../privacy.md), or write a full web address (https://...)"
                    ),
                    (("target", target),),
                )
            )
    return problems
