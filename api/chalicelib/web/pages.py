"""Answers for browsers without JavaScript: 303 back to the page after a form post, or a small HTML page.

Static pages pre-render every outcome message with an id (`dc-msg-...`); the redirect's fragment shows the
right one with CSS `:target`. Errors cannot be pre-rendered with the resident's own text, so they get an HTML
page that explains the problem and gives the text back in a form, so nothing typed is lost. The rooms' own pages
(comments/pages.py, moderation/pages.py, results/pages.py) use the shell here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from ..kernel.dates import long_date
from ..kernel.errors import ApiError
from ..kernel.messages import N_, Texts, direction

TEXT = {
    "error_title": N_("Your request did not go through"),
    "back": N_("Back to the page"),
    "retry": N_("Correct and send again"),
    "comment": N_("Your comment"),
    "name": N_("Display name (optional)"),
    "title": N_("Title"),
    "description": N_("Description"),
    "email": N_("Your email address (optional)"),
    "consent": N_("I agree that the program's team may contact me at this address about my proposal."),
    "send": N_("Send"),
    "skip": N_("Skip to content"),
    "header": N_("Header"),
    "breadcrumb": N_("Breadcrumb"),
    "home": N_("Home"),
}

STYLE = (
    "body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1f2328}"
    "a{color:#0a5a8a}label{display:block;font-weight:600;margin-top:1rem}"
    # border-box: a full-width box keeps its padding and border inside the margin (it ran past it on phones).
    "textarea,input,select{box-sizing:border-box;width:100%;font:inherit;padding:.4rem;border:1px solid #5b6770;border-radius:.25rem}"
    "button{font:inherit;margin-top:1rem;padding:.5rem 1rem;background:#0b5c44;color:#fff;border:0;border-radius:.25rem}"
    # A link that starts something (signing in at an identity provider) looks like the button it acts as.
    "a.dc-button{display:inline-block;padding:.5rem 1rem;background:#0b5c44;color:#fff;border-radius:.25rem;text-decoration:none;font-weight:600}"
    ".error{border-inline-start:.3rem solid #b3261e;padding:.2rem .8rem;background:#fdecea}"
    "table{border-collapse:collapse;margin:1rem 0}caption{text-align:start;font-weight:600;padding:.3rem 0}"
    "th,td{border-bottom:1px solid #c5cbd1;padding:.3rem .6rem;text-align:start}td{text-align:end}"
    ".dc-code{font:1.5rem/1.4 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em;margin:.5rem 0}"
    ".dc-code code{user-select:all;-webkit-user-select:all}.dc-code-field{font-family:ui-monospace,Menlo,Consolas,monospace}"
    ".dc-help{display:block;font-size:.9rem;color:#4a4f55;margin-top:.2rem}"
    "article{border-top:1px solid #c5cbd1;padding:.5rem 0}:focus-visible{outline:3px solid #8a3b00;outline-offset:2px}"
)


def day(lang: str, iso: str) -> str:
    """The date of an ISO 8601 instant, in words."""
    return long_date(lang, dt.date.fromisoformat(iso[:10]))


def redirect(site_origin: str, url: str, message: str) -> tuple[int, dict[str, str]]:
    """Status and headers of a 303 to a page of the site, showing the message with that id."""
    return 303, {"Location": f"{site_origin}/{url}#dc-msg-{message}", "Cache-Control": "no-store"}


@dataclass(frozen=True)
class Frame:
    """What an API page shares with the site's pages (the catalog's `site`, written by the build): the site's
    stylesheets as one versioned file of the same origin, its name and home page, and where the page belongs."""

    stylesheet: str | None  # path from the site's root (a catalog written before it has none: the inline style)
    site_name: str
    home: str  # absolute URL of the site's home page in the page's language
    crumbs: tuple[tuple[str, str], ...] = ()  # (label, absolute URL) from the program down to the page's parent


def page(lang: str, title: str, body: str, frame: Frame | None = None) -> str:
    """Every page the API renders: with a frame, the site's header, breadcrumb and stylesheet around the body."""
    t = Texts(lang, TEXT)
    head = (
        f'<!doctype html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
    )
    if frame is None or frame.stylesheet is None:
        return (
            f"{head}<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f'<body><a href="#main">{escape(t["skip"])}</a><main id="main"><h1>{escape(title)}</h1>{body}</main>'
            "</body></html>"
        )
    crumbs = "".join(
        f'<li><a href="{escape(url)}">{escape(label)}</a></li>'
        for label, url in ((t["home"], frame.home), *frame.crumbs)
    )
    # Material's header and content markup (overrides/partials/header.html), so its stylesheet applies as on the site.
    return (
        f"{head}<title>{escape(title)} – {escape(frame.site_name)}</title>"
        f'<link rel="stylesheet" href="/{escape(frame.stylesheet)}"></head>'
        f'<body dir="{direction(lang)}" data-md-color-scheme="default" data-md-color-primary="custom" '
        'data-md-color-accent="custom">'
        f'<a href="#main" class="md-skip">{escape(t["skip"])}</a>'
        f'<header class="md-header md-header--shadow"><nav class="md-header__inner md-grid" '
        f'aria-label="{escape(t["header"])}"><div class="md-header__title"><div class="md-header__ellipsis">'
        f'<div class="md-header__topic"><a class="md-ellipsis dc-api-home" href="{escape(frame.home)}">'
        f"{escape(frame.site_name)}</a></div></div></div></nav></header>"
        '<div class="md-container"><main class="md-main" id="main"><div class="md-main__inner md-grid">'
        # A div, not Material's <article>: the page's own articles (comments, messages) are then the only ones.
        '<div class="md-content"><div class="md-content__inner md-typeset dc-api-page">'
        f'<nav class="dc-breadcrumb" aria-label="{escape(t["breadcrumb"])}"><ol>{crumbs}'
        f'<li><span aria-current="page">{escape(title)}</span></li></ol></nav>'
        f"<h1>{escape(title)}</h1>{body}</div></div></div></main></div></body></html>"
    )


def error_page(
    lang: str,
    error: ApiError,
    back: str | None,
    action: str | None,
    kept: dict[str, str],
    frame: Frame | None = None,
) -> str:
    """The problem in words, a way back, and the citizen's text in a form to send again."""
    t = Texts(lang, TEXT)
    body = f'<p class="error" role="alert">{escape(error.detail[lang])}</p>'
    if action and kept and error.status not in (403, 404, 409):
        body += _retry_form(lang, action, kept)
    if back:
        body += f'<p><a href="{escape(back)}">{escape(t["back"])}</a></p>'
    return page(lang, t["error_title"], body, frame)


def _retry_form(lang: str, action: str, kept: dict[str, str]) -> str:
    t = Texts(lang, TEXT)
    fields = []
    labels = {"text": t["comment"], "display_name": t["name"], "title": t["title"], "description": t["description"]}
    for name, value in kept.items():
        if name in ("text", "description"):
            fields.append(
                f'<label for="f-{name}">{escape(labels[name])}</label>'
                f'<textarea id="f-{name}" name="{name}" rows="8">{escape(value)}</textarea>'
            )
        elif name in labels:
            fields.append(
                f'<label for="f-{name}">{escape(labels[name])}</label>'
                f'<input id="f-{name}" name="{name}" value="{escape(value)}">'
            )
        elif name == "email":
            fields.append(
                f'<label for="f-email">{escape(t["email"])}</label>'
                f'<input id="f-email" name="email" type="email" value="{escape(value)}">'
                f'<p><input id="f-consent" name="consent" type="checkbox" value="on"> '
                f'<label for="f-consent" style="display:inline;font-weight:400">{escape(t["consent"])}'
                "</label></p>"
            )
        else:
            fields.append(f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">')
    return (
        f'<h2>{escape(t["retry"])}</h2><form method="post" action="{escape(action)}">{"".join(fields)}'
        f'<input type="hidden" name="lang" value="{lang}"><button type="submit">{escape(t["send"])}</button></form>'
    )
