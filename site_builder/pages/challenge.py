"""The page of one challenge."""

from __future__ import annotations

import datetime as dt
from html import escape

from .. import urls
from ..blocks import Html, page
from ..i18n import date, gettext, t
from ..model import Challenge, Program, Site
from ..vocabulary import SDGS, THEMES
from . import participation
from .common import breadcrumb, front_matter, link, md_heading, participation_badge, window_sentence


def render(site: Site, program: Program, challenge: Challenge, lang: str, now: dt.datetime, api_base: str) -> str:
    here = urls.challenge_page(lang, program.id, challenge.id)
    home = urls.url_of(urls.content_page(lang, "index"))
    program_url = urls.url_of(urls.program_home(lang, program.id))
    all_url = urls.url_of(urls.listing(lang, program.id, None, None))
    out = [
        front_matter(challenge.title[lang], description=challenge.summary[lang]),
        breadcrumb(
            lang,
            here,
            [
                (t(lang, "home"), home),
                (program.title[lang], program_url),
                (t(lang, "challenges"), all_url),
                (challenge.title[lang], None),
            ],
        ),
        "\n",
        md_heading(challenge.title[lang]),
        "\n",
        Html(f'<p class="dc-status">{participation_badge(lang, challenge, now)}</p>'),
        Html(f'<p class="dc-lead">{escape(challenge.summary[lang])}</p>'),
    ]
    if challenge.origin is not None:
        out.append(Html(f'<p class="dc-origin">{escape(proposed_by(lang, challenge.origin.proposed_on))}</p>'))
    if challenge.status == "open":
        out.append(Html(f'<p class="dc-window">{escape(window_sentence(lang, challenge.window, now))}</p>'))
    if challenge.image is not None:
        src = urls.relative(here, urls.asset(program.id, challenge.image.file_name))
        out.append(
            Html(
                f'<figure class="dc-figure"><img src="{escape(src)}" alt="{escape(challenge.image.alt[lang])}" '
                f'width="{challenge.image.size[0]}" height="{challenge.image.size[1]}" fetchpriority="high"></figure>'
            )
        )
    out.append(challenge.body[lang].strip() + "\n\n")
    out += participation.challenge_section(
        challenge, program, lang, api_base, now, has_results=program.id in site.results
    )
    out += _facts(site, program, challenge, lang, here)
    return page(out)


def _facts(site: Site, program: Program, challenge: Challenge, lang: str, here: str) -> list[str]:
    parts = []
    themes = "".join(
        f"<li>{link(here, urls.url_of(urls.listing(lang, program.id, 'theme', th)), gettext(lang, THEMES[th]))}</li>"
        for th in challenge.themes
    )
    parts += _section(lang, "themes", "themes", f'<ul class="dc-tags">{themes}</ul>')
    sdgs = "".join(
        f"<li>{link(here, urls.url_of(urls.listing(lang, program.id, 'sdg', str(n))), t(lang, 'sdg_long', n=n, name=gettext(lang, SDGS[n])))}</li>"
        for n in challenge.sdgs
    )
    parts += _section(lang, "sdgs", "sdgs", f'<ul class="dc-tags">{sdgs}</ul>')
    if challenge.partners:
        parts += _section(lang, "partners", "partners", _partner_list(challenge.partners))
    if challenge.links:
        items = []
        for item in challenge.links:
            if item.kind == "url":
                items.append(
                    f'<li><a href="{escape(item.target)}" rel="noopener">{escape(item.title[lang])}</a> '
                    f'<span class="dc-external">{escape(t(lang, "external"))}</span></li>'
                )
            elif item.kind == "challenge":
                other = site.challenge(item.target)
                target = urls.url_of(urls.challenge_page(lang, other.program, other.id))
                title = item.title[lang] if item.title else t(lang, "see_also_challenge", title=other.title[lang])
                items.append(f"<li>{link(here, target, title)}</li>")
            else:
                target = urls.url_of(urls.content_page(lang, item.target))
                title = (
                    item.title[lang]
                    if item.title
                    else t(lang, "see_also_page", title=_page_title(site, lang, item.target))
                )
                items.append(f"<li>{link(here, target, title)}</li>")
        parts += _section(lang, "links", "links", f"<ul>{''.join(items)}</ul>")
    return parts


def _section(lang: str, key: str, anchor: str, html: str) -> list[str]:
    """A Markdown heading (so the table of contents lists it) over a block of generated HTML."""
    return ["\n" + md_heading(t(lang, key), 2, anchor) + "\n", Html(html)]


def _page_title(site: Site, lang: str, name: str) -> str:
    if name == "glossary":
        return t(lang, "glossary")
    return site.page_titles[name][lang]


def _partner_list(partners) -> str:
    items = []
    for partner in partners:
        if partner.url:
            items.append(f'<li><a href="{escape(partner.url)}" rel="noopener">{escape(partner.name)}</a></li>')
        else:
            items.append(f"<li>{escape(partner.name)}</li>")
    return f'<ul class="dc-partners">{"".join(items)}</ul>'


partner_list = _partner_list


def proposed_by(lang: str, day: dt.date) -> str:
    """The provenance line of a challenge that a resident proposed."""
    when = date(lang, dt.datetime.combine(day, dt.time()))
    return t(lang, "proposed_by", date=when)
