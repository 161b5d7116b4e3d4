"""The page where a resident confirms residence: each method the program offers, in the resident's language.

Each method adds its section to SECTIONS (email: email_pages.py; OpenID Connect: its own module), so the page
lists them in the program's order; it works without JavaScript (plain forms and links).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..kernel.catalog import ProgramEntry
from ..kernel.messages import N_, Texts
from ..settings import Settings
from ..web.function_url import FORM_PREFIX
from ..web.pages import page
from . import rules

TEXT = {
    "title": N_("Confirm that you live here"),
    "why": N_(
        "This consultation counts one vote per resident. Confirm it once: your vote then counts once, on this device and on any other where you confirm it again."
    ),
    "kept": N_("We keep no address and no name: only a code computed from them that cannot be turned back into them."),
    "done": N_("You are confirmed for this consultation. You can go back and vote."),
    "back": N_("Back to the consultation"),
    "none": N_("This consultation takes part without confirmation: you can vote directly."),
    "forget_help": N_("On a shared computer, forget the confirmation once you have voted: your vote stays counted."),
    "forget": N_("Forget the confirmation on this device"),
}

# method -> section(lang, settings, program, return_to): the HTML of that way to verify.
Section = Callable[[str, Settings, ProgramEntry, str], str]
SECTIONS: dict[str, Section] = {}


def verify_page(lang: str, settings: Settings, program: ProgramEntry, return_to: str, status: dict) -> str:
    t = Texts(lang, TEXT)
    back = f'<p><a href="{escape(settings.site_origin + return_to)}">{escape(t["back"])}</a></p>'
    title = t["title"]
    if not program.verified:
        return page(lang, title, f"<p>{escape(t['none'])}</p>{back}")
    if status.get("verified"):
        action = f"{settings.api_base}/programs/{program.id}/verification/forget"
        forget = (
            f'<p>{escape(t["forget_help"])}</p><form method="post" action="{escape(action)}">'
            f'<input type="hidden" name="return" value="{escape(return_to)}">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<button type="submit">{escape(t["forget"])}</button></form>'
        )
        return page(lang, title, f'<p role="status">{escape(t["done"])}</p>{back}{forget}')
    sections = "".join(
        SECTIONS[method](lang, settings, program, return_to) for method in program.participation if method in SECTIONS
    )
    return page(lang, title, f"<p>{escape(t['why'])}</p><p>{escape(t['kept'])}</p>{sections}{back}")


# --- Email ---------------------------------------------------------------------------------------------------
EMAIL_TEXT = {
    "heading": N_("By email"),
    "explain": N_(
        "We send a link and a code to your address. The address is used for this message only: we do not keep it."
    ),
    "label": N_("Your email address"),
    "send": N_("Send me a link and a code"),
    "sent_title": N_("Check your email"),
    "sent": N_(
        "If this address can receive mail, a message is on its way with a link and a code. Open the link, or type the code below. They work once, for {minutes}."
    ),
    "code": N_("The code in the message (6 digits)"),
    "confirm": N_("Confirm"),
    "again": N_("No message after a few minutes? Check your spam folder, or ask again."),
    "link_title": N_("Confirm your participation"),
    "link": N_(
        "Press the button to confirm that you take part in this consultation with the address that received this link."
    ),
}


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def email_section(lang: str, settings: Settings, program: ProgramEntry, return_to: str) -> str:
    t = Texts(lang, EMAIL_TEXT)
    action = f"{settings.api_base}{FORM_PREFIX}/programs/{program.id}/verify/email"
    return (
        f'<section aria-labelledby="dc-verify-email"><h2 id="dc-verify-email">{escape(t["heading"])}</h2>'
        f"<p>{escape(t['explain'])}</p>"
        f'<form method="post" action="{escape(action)}">'
        f'<label for="dc-email">{escape(t["label"])}</label>'
        '<input id="dc-email" name="email" type="email" autocomplete="email" required'
        f' maxlength="{rules.EMAIL_MAX_CHARS}">'
        f"{_hidden('return', return_to)}{_hidden('lang', lang)}"
        f'<button type="submit">{escape(t["send"])}</button></form></section>'
    )


SECTIONS["email"] = email_section


def sent_page(lang: str, settings: Settings, program: ProgramEntry, answer: dict, minutes: str, again: str) -> str:
    """After asking for a message: where to type the code (the link works too)."""
    t = Texts(lang, EMAIL_TEXT)
    action = f"{settings.api_base}{FORM_PREFIX}/programs/{program.id}/verify/email/code"
    body = (
        f'<p role="status">{escape(t["sent"].format(minutes=minutes))}</p>'
        f'<form method="post" action="{escape(action)}">'
        f'<label for="dc-code">{escape(t["code"])}</label>'
        '<input id="dc-code" name="code" inputmode="numeric" autocomplete="one-time-code" required'
        f' maxlength="{rules.CODE_DIGITS + 1}">'
        f"{_hidden('request', answer['request'])}{_hidden('lang', lang)}"
        f'<button type="submit">{escape(t["confirm"])}</button></form>'
        f'<p><a href="{escape(again)}">{escape(t["again"])}</a></p>'
    )
    return page(lang, t["sent_title"], body)


def link_page(lang: str, settings: Settings, program: ProgramEntry, request_id: str, secret: str) -> str:
    """The email's link opens this: a button, so that a mail scanner following links verifies nothing."""
    t = Texts(lang, EMAIL_TEXT)
    action = f"{settings.api_base}{FORM_PREFIX}/programs/{program.id}/verify/email/link"
    title = program.title.get(lang) or next(iter(program.title.values()), program.id)
    body = (
        f"<p><strong>{escape(title)}</strong></p><p>{escape(t['link'])}</p>"
        f'<form method="post" action="{escape(action)}">{_hidden("r", request_id)}{_hidden("s", secret)}'
        f'{_hidden("lang", lang)}<button type="submit">{escape(t["confirm"])}</button></form>'
    )
    return page(lang, t["link_title"], body)


OUTBOX_TEXT = {
    "title": N_("Local outbox"),
    "explain": N_(
        "The messages this local server sent, newest first. Only on a local server (OUTBOX_PAGE): in production they go to the residents' mailboxes."
    ),
    "empty": N_("No message yet."),
    "to": N_("To"),
}


def outbox_page(lang: str, messages: list) -> str:
    """The local outbox, for a person trying the product: each message's text, its links clickable."""
    t = Texts(lang, OUTBOX_TEXT)
    items = []
    for message in messages:
        text = message.get_content() if not message.is_multipart() else ""
        shown = re.sub(
            r"(https?://\S+)", lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', escape(text, quote=True)
        )
        items.append(
            f"<article><h2>{escape(str(message['Subject']))}</h2>"
            f"<p>{escape(t['to'])}: {escape(str(message['To']))} · {escape(str(message['Date']))}</p>"
            f'<pre style="white-space:pre-wrap">{shown}</pre></article>'
        )
    body = f"<p>{escape(t['explain'])}</p>" + ("".join(items) or f"<p>{escape(t['empty'])}</p>")
    return page(lang, t["title"], body)
