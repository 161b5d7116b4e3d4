"""A voter's own verification code as a page, for browsers without JavaScript (the site's "my votes" page shows it
with a copy button and checks it against the published vote logs; this page links there).

The page runs no script (the API's pages allow none): the code sits in a read-only field, which the keyboard can
reach, select and copy, and is also printed large, one click selecting all of it.
"""

from __future__ import annotations

from html import escape

from ..kernel.messages import N_, Texts
from ..web.pages import Frame, page

TEXT = {
    "receipt_title": N_("Your voter code"),
    "receipt_field": N_("Your voter code"),
    "receipt_copy": N_("To copy it: select the field (Tab key), then Ctrl+A and Ctrl+C (on a Mac: Cmd+A and Cmd+C)."),
    "receipt_1": N_(
        "Write it down and keep it to yourself: as long as this browser's cookie is valid, the code lets anyone vote in your name."
    ),
    "receipt_2": N_("The server does not keep it. If it is lost (cookies cleared), nobody can find it again."),
    "receipt_3": N_(
        "When the consultation closes, the team publishes the vote log with the results: one fingerprint per vote, computed from this code and a different salt for each challenge. With this code you can find your own votes in it, and anyone can recount the results."
    ),
    "receipt_check": N_("Check your votes in a published vote log"),
    "none_title": N_("This browser has no voter code yet"),
    "none_1": N_(
        "This browser has not voted yet, or its cookies were cleared. It receives a voter code with its first vote."
    ),
    "none_2": N_(
        "The code lets you check, once a consultation has closed, that your votes are in the vote log published with the results. It is kept only in this browser: if you voted with another browser or device, look there."
    ),
    "none_back": N_("About checking your votes"),
}


def receipt_page(lang: str, receipt: dict | None, check_url: str | None, frame: Frame | None = None) -> str:
    """The code (or, for a browser that has none, what it is and how to get one), and the way to the check."""
    t = Texts(lang, TEXT)
    if receipt is None:
        body = f"<p>{escape(t['none_1'])}</p><p>{escape(t['none_2'])}</p>"
        if check_url:
            body += f'<p><a href="{escape(check_url)}">{escape(t["none_back"])}</a></p>'
        return page(lang, t["none_title"], body, frame)
    code = receipt.get("code") or receipt["token"]
    body = (
        # Printed large to be read out (screen readers get the field below, not the same code twice).
        f'<p class="dc-code" translate="no" aria-hidden="true"><code>{escape(code)}</code></p>'
        f'<p><label for="dc-code">{escape(t["receipt_field"])}</label>'
        f'<input id="dc-code" class="dc-code-field" readonly value="{escape(code)}" aria-describedby="dc-code-copy" '
        'spellcheck="false" autocomplete="off">'
        f'<span id="dc-code-copy" class="dc-help">{escape(t["receipt_copy"])}</span></p>'
        f"<p>{escape(t['receipt_1'])}</p><p>{escape(t['receipt_2'])}</p><p>{escape(t['receipt_3'])}</p>"
    )
    if check_url:
        body += f'<p><a href="{escape(check_url)}#check">{escape(t["receipt_check"])}</a></p>'
    return page(lang, t["receipt_title"], body, frame)
