"""Challenge listings of a program: all of them, or filtered by theme, SDG or status; paginated, no JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html import escape

from .. import urls
from ..blocks import Html, page
from ..i18n import count, gettext, t
from ..model import Challenge, Program
from ..vocabulary import SDGS, STATES, THEMES
from .common import breadcrumb, card, front_matter, link, md_heading, pagination
from .participation import tallies_list_attrs

FACETS = ("theme", "sdg", "status")


def facet_values(challenges: list[Challenge], now: dt.datetime) -> dict[str, list[tuple[str, list[Challenge]]]]:
    """For each facet, the values that have at least one challenge, in vocabulary order; statuses as shown."""
    themes = [(th, [c for c in challenges if th in c.themes]) for th in THEMES]
    sdgs = [(str(n), [c for c in challenges if n in c.sdgs]) for n in SDGS]
    statuses = [(st, [c for c in challenges if c.state(now) == st]) for st in STATES]
    return {
        "theme": [(v, cs) for v, cs in themes if cs],
        "sdg": [(v, cs) for v, cs in sdgs if cs],
        "status": [(v, cs) for v, cs in statuses if cs],
    }


def label(lang: str, facet: str, value: str) -> str:
    if facet == "theme":
        return gettext(lang, THEMES[value])
    if facet == "sdg":
        return t(lang, "sdg", n=value) + " · " + gettext(lang, SDGS[int(value)])
    return gettext(lang, STATES[value])


def _title(lang: str, program: Program, facet: str | None, value: str | None) -> str:
    if facet is None:
        return t(lang, "challenges_of", program=program.title[lang])
    if facet == "theme":
        return t(lang, "filtered_theme", name=gettext(lang, THEMES[value]))
    if facet == "sdg":
        return t(lang, "filtered_sdg", n=value, name=gettext(lang, SDGS[int(value)]))
    return t(lang, "filtered_status", name=gettext(lang, STATES[value]))


def render_all(
    program: Program, challenges: list[Challenge], lang: str, now: dt.datetime, api_base: str = ""
) -> Iterator[tuple[str, str]]:
    """Every listing page of a program in one language, as (docs path, markdown); `api_base` for the counts."""
    facets = facet_values(challenges, now)
    yield from _pages(program, challenges, facets, lang, None, None, now, api_base)
    for facet in FACETS:
        for value, matching in facets[facet]:
            yield from _pages(program, matching, facets, lang, facet, value, now, api_base)


def _pages(program, matching, facets, lang, facet, value, now, api_base) -> Iterator[tuple[str, str]]:
    total = max(1, -(-len(matching) // urls.PAGE_SIZE))
    page_urls = [urls.url_of(urls.listing(lang, program.id, facet, value, n)) for n in range(1, total + 1)]
    for n in range(1, total + 1):
        here = urls.listing(lang, program.id, facet, value, n)
        chunk = matching[(n - 1) * urls.PAGE_SIZE : n * urls.PAGE_SIZE]
        yield (
            here,
            _render(program, chunk, len(matching), facets, lang, facet, value, here, page_urls, n, now, api_base),
        )


def _render(program, chunk, total_count, facets, lang, facet, value, here, page_urls, n, now, api_base) -> str:
    title = _title(lang, program, facet, value)
    home = urls.url_of(urls.content_page(lang, "index"))
    program_url = urls.url_of(urls.program_home(lang, program.id))
    all_url = urls.url_of(urls.listing(lang, program.id, None, None))
    trail = [(t(lang, "home"), home), (program.title[lang], program_url)]
    trail += (
        [(t(lang, "challenges"), None)]
        if facet is None
        else [(t(lang, "challenges"), all_url), (label(lang, facet, value), None)]
    )
    shown_title = title if n == 1 else f"{title} ({t(lang, 'page_n_of', n=n, total=len(page_urls))})"
    out = [
        # Listings only repeat the challenges' own titles and summaries: out of the search index, which every
        # first visit downloads (13 MB for 1,000 challenges with them).
        front_matter(shown_title, searchable=False),
        breadcrumb(lang, here, trail),
        "\n",
        md_heading(shown_title),
        "\n",
        Html(_filters(program, facets, lang, here, facet, value)),
        Html(f'<h2 class="dc-results-count" id="results">{escape(count(lang, total_count))}</h2>'),
    ]
    if chunk:
        attrs = tallies_list_attrs(program, lang, api_base)
        cards = "".join(card(lang, here, c, now, votes=True) for c in chunk)
        out.append(Html(f'<ul class="dc-cards" {attrs}>{cards}</ul>'))
    else:
        out.append(Html(f"<p>{escape(t(lang, 'none_here'))}</p>"))
    out.append(pagination(lang, here, page_urls, n))
    return page(out)


def _filters(program, facets, lang, here, current_facet, current_value) -> str:
    all_url = urls.url_of(urls.listing(lang, program.id, None, None))
    groups = [
        f'<p class="dc-filters__all">{link(here, all_url, t(lang, "all_challenges"), current=current_facet is None)}</p>'
    ]
    for facet, heading in (("theme", "by_theme"), ("status", "by_status"), ("sdg", "by_sdg")):
        items = []
        for value, matching in facets[facet]:
            target = urls.url_of(urls.listing(lang, program.id, facet, value))
            current = facet == current_facet and value == current_value
            text = f"{label(lang, facet, value)} ({len(matching)})"
            items.append(f"<li>{link(here, target, text, current=current)}</li>")
        if facet == "sdg":
            # Seventeen goals fill a phone's screen: folded unless one of them is the current filter.
            opened = " open" if current_facet == "sdg" else ""
            groups.append(
                f'<details class="dc-filters__group"{opened}><summary><h3>{escape(t(lang, heading))}</h3></summary>'
                f"<ul>{''.join(items)}</ul></details>"
            )
        else:
            groups.append(
                f'<div class="dc-filters__group"><h3>{escape(t(lang, heading))}</h3><ul>{"".join(items)}</ul></div>'
            )
    return (
        f'<nav class="dc-filters" aria-labelledby="filters-heading"><h2 id="filters-heading">'
        f"{escape(t(lang, 'filter_by'))}</h2>{''.join(groups)}</nav>\n"
    )
