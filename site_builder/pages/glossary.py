"""The glossary page, and the abbreviation definitions that put its explanations on every page."""

from __future__ import annotations

import re
from html import escape

from ..blocks import Html, page
from ..i18n import t
from ..model import GlossaryEntry
from .common import front_matter, md_heading


def render(entries: list[GlossaryEntry], lang: str) -> str:
    ordered = sorted(entries, key=lambda e: e.term[lang].casefold())
    out = [front_matter(t(lang, "glossary")), md_heading(t(lang, "glossary")), "\n"]
    out.append(Html(f"<p>{escape(t(lang, 'glossary_intro'))}</p>"))
    terms = ['<dl class="dc-glossary">\n']
    for entry in ordered:
        aliases = entry.aliases.get(lang, [])
        also = (
            f'<p class="dc-note">{escape(t(lang, "glossary_also"))} {escape(", ".join(aliases))}</p>' if aliases else ""
        )
        terms.append(
            f'<dt id="{escape(entry.id)}">{escape(entry.term[lang])}</dt>'
            f"<dd><p><strong>{escape(entry.short[lang])}</strong></p>"
            + "".join(f"<p>{escape(p.strip())}</p>" for p in entry.explanation[lang].split("\n\n") if p.strip())
            + f"{also}</dd>\n"
        )
    terms.append("</dl>")
    out.append(Html("".join(terms)))
    return page(out)


def abbreviations(entries: list[GlossaryEntry], lang: str) -> dict[str, str]:
    """Term -> short explanation, for Python-Markdown's `abbr` glossary: every occurrence gets a tooltip.

    Passed as the extension's configuration rather than appended as `*[term]:` lines, which Python-Markdown
    would parse again on every page (three times slower on a 1,000-challenge site).
    """
    out = {}
    for entry in entries:
        short = entry.short[lang].replace("\n", " ")
        for word in [entry.term[lang], *entry.aliases.get(lang, [])]:
            out[word] = short
    return out


_ABBR = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.S)
_LINK = re.compile(r"(<a\b[^>]*>.*?</a>)", re.DOTALL | re.IGNORECASE)


def focusable_terms(html: str) -> str:
    """The abbr extension's tooltips (a `title`: 10 px on a phone, never reached by keyboard, issue #15) made terms
    one can focus, whose definition shows under them at text size on hover and focus (datacity.css, `.dc-term`)
    and is read as their description. `title` is dropped so the browser's own small tooltip does not double it.
    """
    count = 0

    def term(match: re.Match) -> str:
        nonlocal count
        count += 1
        tip = f"dc-term-{count}"
        return (
            f'<span class="dc-term"><abbr tabindex="0" aria-describedby="{tip}">{match.group(2)}</abbr>'
            f'<span class="dc-term__tip" id="{tip}" role="tooltip" data-pagefind-ignore>{match.group(1)}</span></span>'
        )

    # A term inside a link stays as the abbr extension wrote it: the link is what the keyboard reaches there, and an
    # element one can focus may not sit inside another (the Nu Html Checker refuses tabindex inside <a>).
    parts = _LINK.split(html)
    return "".join(part if n % 2 else _ABBR.sub(term, part) for n, part in enumerate(parts))
