"""Pieces shared by generated pages: escaping, breadcrumbs, state badges, cards, pagination."""

from __future__ import annotations

import datetime as dt
import json
from html import escape

from .. import urls
from ..blocks import Html
from ..i18n import date, gettext, t
from ..model import Challenge, Window
from ..vocabulary import STATES, THEMES


def front_matter(title: str, searchable: bool = True, **extra: str) -> str:
    """YAML front matter (JSON strings are valid YAML), HTML-escaped: themes print meta values unescaped.

    `searchable=False` keeps a page out of the search index, which every visitor downloads.
    """
    values = {"title": title, **extra}
    lines = ["---"]
    for key, value in values.items():
        safe = escape(value, quote=False).replace('"', "&quot;")
        lines.append(f"{key}: {json.dumps(safe, ensure_ascii=False)}")
    if not searchable:
        lines += ["search:", "  exclude: true"]
    return "\n".join(lines + ["---", ""])


def md_heading(text: str, level: int = 1, anchor: str | None = None) -> str:
    """A Markdown heading whose text is taken literally; with an anchor, it keeps that id (and enters the TOC)."""
    special = "\\`*_{}[]<>()#+-.!|&"
    safe = "".join("\\" + ch if ch in special else ch for ch in text)
    suffix = f" {{#{anchor}}}" if anchor else ""
    return f"{'#' * level} {safe}{suffix}\n"


def link(here: str, target_url: str, text: str, current: bool = False, css: str = "") -> str:
    attrs = f' class="{css}"' if css else ""
    if current:
        attrs += ' aria-current="page"'
    return f'<a href="{escape(urls.relative(here, target_url))}"{attrs}>{escape(text)}</a>'


def breadcrumb(lang: str, here: str, trail: list[tuple[str, str | None]]) -> Html:
    """trail: (label, url or None for the current page)."""
    items = []
    for label, url in trail:
        if url is None:
            items.append(f'<li><span aria-current="page">{escape(label)}</span></li>')
        else:
            items.append(f"<li>{link(here, url, label)}</li>")
    return Html(
        f'<nav class="dc-breadcrumb" data-pagefind-ignore aria-label="{escape(t(lang, "breadcrumb"))}"><ol>{"".join(items)}</ol></nav>\n'
    )


def window_state(window: Window, now: dt.datetime) -> str:
    return window.state(now)


def _shows_time(moment: dt.datetime, midnight_means_day: bool) -> bool:
    return not (midnight_means_day and moment.hour == 0 and moment.minute == 0) and not (
        moment.hour == 23 and moment.minute == 59
    )


def window_dates(lang: str, window: Window) -> tuple[str, str]:
    opens = window.opens
    last = window.last_moment
    return (
        date(lang, opens, with_time=_shows_time(opens, True)),
        date(lang, last, with_time=_shows_time(window.closes, True)),
    )


def window_sentence(lang: str, window: Window, now: dt.datetime) -> str:
    opens, closes = window_dates(lang, window)
    return t(lang, f"state_{window.state(now)}", opens=opens, closes=closes)


def badge(lang: str, state: str) -> str:
    """A state's badge, in the same words as the status filter (vocabulary.STATES)."""
    return f'<span class="dc-badge dc-badge--{state}">{escape(gettext(lang, STATES[state]))}</span>'


def state_badge(lang: str, window: Window, now: dt.datetime) -> str:
    return badge(lang, window.state(now))


def participation_badge(lang: str, challenge: Challenge, now: dt.datetime) -> str:
    return badge(lang, challenge.state(now))


def card(
    lang: str, here: str, challenge: Challenge, now: dt.datetime, heading_level: int = 3, votes: bool = False
) -> str:
    target = urls.url_of(urls.challenge_page(lang, challenge.program, challenge.id))
    themes = ", ".join(gettext(lang, THEMES[th]) for th in challenge.themes)
    h = f"h{heading_level}"
    return (
        '<li class="dc-card">'
        f'<{h} class="dc-card__title">{link(here, target, challenge.title[lang])}</{h}>'
        f'<p class="dc-card__summary">{escape(challenge.summary[lang])}</p>'
        f'<p class="dc-card__meta">{participation_badge(lang, challenge, now)} '
        f'<span class="dc-card__themes"><span class="dc-visually-hidden">{escape(t(lang, "themes_label"))} </span>'
        f"{escape(themes)}</span></p>"
        # Filled by participate.js from the program's tallies (one call for the whole list); hidden without it.
        + (f'<p class="dc-card__votes" data-dc-count="{escape(challenge.id)}" hidden></p>' if votes else "")
        + "</li>"
    )


def pagination(lang: str, here: str, page_urls: list[str], current: int) -> Html:
    """Numbered page links; current is 1-based."""
    if len(page_urls) <= 1:
        return Html("")
    items = []
    if current > 1:
        items.append(f"<li>{link(here, page_urls[current - 2], t(lang, 'previous'), css='dc-pager__prev')}</li>")
    for n, url in enumerate(page_urls, start=1):
        label = t(lang, "page_n", n=n)
        if n == current:
            items.append(f'<li><span aria-current="page">{escape(label)}</span></li>')
        else:
            items.append(f"<li>{link(here, url, label)}</li>")
    if current < len(page_urls):
        items.append(f"<li>{link(here, page_urls[current], t(lang, 'next'), css='dc-pager__next')}</li>")
    return Html(f'<nav class="dc-pager" aria-label="{escape(t(lang, "pagination"))}"><ul>{"".join(items)}</ul></nav>\n')
