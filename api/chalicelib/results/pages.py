"""A voter's own verification code as a page, and how to find their votes in the published vote log."""

from __future__ import annotations

from html import escape

from ..kernel.messages import N_, Texts
from ..web.pages import page

TEXT = {
    "receipt_title": N_("Your vote verification code"),
    "receipt_1": N_(
        "This is this browser's participation token. Write it down and keep it to yourself: as long as the cookie is valid, it lets anyone vote in your name."
    ),
    "receipt_2": N_("The server does not keep it. If it is lost (cookies cleared), nobody can find it again."),
    "receipt_3": N_(
        "When the consultation closes, the team publishes the vote log with the results: one fingerprint per vote, computed from this code and a different salt for each challenge. With this code you can find your own votes in it, and anyone can recount the results with the verify_tally.py script."
    ),
    "receipt_command": N_("To find your votes in the log:"),
}


def receipt_page(lang: str, receipt: dict) -> str:
    t = Texts(lang, TEXT)
    paragraphs = "".join(f"<p>{escape(t[key])}</p>" for key in ("receipt_1", "receipt_2"))
    command = f"python3 verify_tally.py vote-log.json --token {receipt['token']}"
    return page(
        lang,
        t["receipt_title"],
        f'<p><code style="font-size:1.25rem;word-break:break-all">{escape(receipt["token"])}</code></p>'
        f"{paragraphs}<p>{escape(t['receipt_3'])}</p>"
        f'<p>{escape(t["receipt_command"])}</p><pre style="white-space:pre-wrap"><code>{escape(command)}</code></pre>',
    )
