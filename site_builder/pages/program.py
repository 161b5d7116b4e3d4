"""A program's home page: what it is, its dates and state, how comments and counts work, its partners."""

from __future__ import annotations

import datetime as dt
from html import escape

from .. import urls
from ..blocks import Html, page
from ..i18n import count, date, direction, t
from ..model import Challenge, Program
from .challenge import partner_list
from .common import breadcrumb, front_matter, link, md_heading, state_badge, window_dates, window_sentence


def render(
    program: Program,
    challenges: list[Challenge],
    lang: str,
    now: dt.datetime,
    api_base: str,
    results_block: Html | None = None,
) -> str:
    """The home page; `results_block` (pages/results.py home_block) links to the program's results, if any."""
    here = urls.program_home(lang, program.id)
    home = urls.url_of(urls.content_page(lang, "index"))
    all_url = urls.url_of(urls.listing(lang, program.id, None, None))
    opens, closes = window_dates(lang, program.window)
    paragraphs = "".join(f"<p>{escape(p.strip())}</p>" for p in program.description[lang].split("\n\n") if p.strip())
    actions = [link(here, all_url, t(lang, "program_see", n=len(challenges)), css="md-button md-button--primary")]
    # Proposals are taken while the consultation has not closed (the API refuses them after): no dead end.
    if program.window.state(now) != "closed":
        actions.append(
            link(here, urls.url_of(urls.propose_page(lang, program.id)), t(lang, "propose"), css="md-button")
        )
    out = [
        front_matter(program.title[lang], description=program.description[lang][:300]),
        breadcrumb(lang, here, [(t(lang, "home"), home), (program.title[lang], None)]),
        "\n",
        md_heading(program.title[lang]),
        "\n",
        Html(f'<p class="dc-status">{state_badge(lang, program.window, now)}</p>'),
        Html(f'<div class="dc-lead">{paragraphs}</div>'),
        Html(f'<h2 id="consultation">{escape(t(lang, "window"))}</h2>'),
        Html(f"<p><strong>{escape(t(lang, 'from_to', opens=opens, closes=closes))}</strong></p>"),
        Html(
            f"<p>{escape(window_sentence(lang, program.window, now))} "
            f'<span class="dc-note">{escape(t(lang, "state_note", built=_built(lang, now)))}</span></p>'
        ),
        Html(
            f"<ul><li>{escape(t(lang, 'moderation_' + program.moderation))}</li>"
            f"<li>{escape(t(lang, 'tallies_' + program.tallies))}</li></ul>"
        ),
        # Live counts from the API (a page it renders, so it works without JavaScript); never any comment's text.
        Html(
            f'<p><a href="{escape(api_base)}/programs/{escape(program.id)}/moderation?format=html&amp;lang={lang}">'
            f"{escape(t(lang, 'moderation_record'))}</a></p>"
        ),
        Html(f'<p class="dc-actions">{" ".join(actions)}</p>'),
    ]
    if results_block is not None:
        out.append(results_block)
    if program.partners:
        out.append(Html(f'<h2 id="partners">{escape(t(lang, "partners"))}</h2>\n{partner_list(program.partners)}'))
    return page(out)


def summary_block(programs: list[tuple[Program, list[Challenge]]], lang: str, here: str, now: dt.datetime) -> str:
    """The list of programs inserted into the home page."""
    items = []
    for program, challenges in programs:
        # A program not published in this page's language is shown, and linked to, in its own first language.
        shown = program.shown_in(lang)
        target = urls.url_of(urls.program_home(shown, program.id))
        opens, closes = window_dates(lang, program.window)
        other = f' lang="{shown}" dir="{direction(shown)}"' if shown != lang else ""
        title = (
            link(here, target, program.title[shown]).replace("<a ", f'<a hreflang="{shown}" ', 1)
            if other
            else (link(here, target, program.title[shown]))
        )
        items.append(
            '<li class="dc-card">'
            f'<h3 class="dc-card__title"{other}>{title}</h3>'
            f"<p>{state_badge(lang, program.window, now)} "
            f"{escape(t(lang, 'window'))} {escape(t(lang, 'from_to', opens=opens, closes=closes))}.</p>"
            f"<p>{escape(window_sentence(lang, program.window, now))}</p>"
            f'<p class="dc-card__meta">{escape(count(lang, len(challenges)))}</p>'
            "</li>"
        )
    return (
        f'<h2 id="programs">{escape(t(lang, "programs"))}</h2>\n'
        f'<ul class="dc-cards">{"".join(items)}</ul>\n'
        f'<p class="dc-note">{escape(t(lang, "state_note", built=_built(lang, now)))}</p>\n'
    )


def partners_block(programs: list[Program], lang: str) -> str:
    """Partner lists per program, inserted into the partners page."""
    out = []
    for program in programs:
        if program.partners:
            shown = program.shown_in(lang)
            attrs = f' lang="{shown}" dir="{direction(shown)}"' if shown != lang else ""
            out.append(f"<h2{attrs}>{escape(program.title[shown])}</h2>\n{partner_list(program.partners)}\n")
    return "".join(out)


def mail_link(address: str) -> str:
    """A contact as a link that opens the reader's mail program."""
    return f'<a href="mailto:{escape(address)}">{escape(address)}</a>'


def contacts_block(programs: list[Program], site_contact: dict[str, str], name: str, lang: str) -> str:
    """One line per program with its `name` contact from program.yml, for a content page; the team's address falls
    back to the site's, a data protection officer does not (the page names the site's once)."""
    out = []
    for program in programs:
        address = program.contact.get(name) or (site_contact.get(name) if name == "email" else None)
        if not address:
            continue
        shown = program.shown_in(lang)
        attrs = f' lang="{shown}" dir="{direction(shown)}"' if shown != lang else ""
        out.append(f"<li><span{attrs}>{escape(program.title[shown])}</span> — {mail_link(address)}</li>")
    return f'<ul class="dc-contacts">\n{chr(10).join(out)}\n</ul>\n' if out else ""


def _built(lang: str, now: dt.datetime) -> str:
    return date(lang, now)
