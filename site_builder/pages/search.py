"""The search page: a form that Pagefind answers in the browser, and without JavaScript the way to the listings."""

from __future__ import annotations

from html import escape

from .. import urls
from ..blocks import Html, page
from ..i18n import t
from ..model import Program
from .common import front_matter, link, md_heading

NAME = "search"  # the page's name among the content pages: content/<lang>/search.md is reserved


def render(programs: list[Program], lang: str) -> str:
    """The form (the header's, in full), an empty result list for search.js, and the listings for no-JS readers."""
    here = urls.content_page(lang, NAME)
    title = t(lang, "search")
    listings = "".join(
        f"<li>{link(here, urls.url_of(urls.listing(p.shown_in(lang), p.id, None, None)), t(lang, 'search_all', program=p.title[p.shown_in(lang)]))}</li>"
        for p in programs
    )
    form = (
        f'<form class="dc-search-page" role="search" action="./" method="get" aria-label="{escape(title)}" '
        "data-dc-search-page>"
        f"<p>{escape(t(lang, 'search_intro'))}</p>"
        f'<p class="dc-search-page__field"><label for="dc-search-page-input">{escape(title)}</label> '
        '<input id="dc-search-page-input" type="search" name="q" autocomplete="off" spellcheck="false" '
        'enterkeyhint="search" aria-describedby="dc-search-page-status"> '
        f'<button class="md-button md-button--primary" type="submit">{escape(title)}</button></p>'
        '<p class="dc-search__status" id="dc-search-page-status" role="status"></p>'
        '<ol class="dc-search__results dc-search__results--page"></ol>'
        "</form>"
        f"<noscript><p>{escape(t(lang, 'search_nojs'))}</p><ul>{listings}</ul></noscript>"
    )
    return page([front_matter(title, searchable=False), md_heading(title), "\n", Html(form)])
