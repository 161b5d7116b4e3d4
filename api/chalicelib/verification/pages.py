"""The page where a resident confirms residence: each method the program offers, in the resident's language.

Each method adds its section to SECTIONS (email: email_pages.py; OpenID Connect: its own module), so the page
lists them in the program's order; it works without JavaScript (plain forms and links).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..kernel.catalog import ProgramEntry
from ..kernel.messages import N_, Texts
from ..settings import Settings
from ..web.pages import page

TEXT = {
    "title": N_("Confirm that you live here"),
    "why": N_(
        "This consultation counts one vote per resident. Confirm it once: your vote then counts once, on this device and on any other where you confirm it again."
    ),
    "kept": N_("We keep no address and no name: only a code computed from them that cannot be turned back into them."),
    "done": N_("You are confirmed for this consultation. You can go back and vote."),
    "back": N_("Back to the consultation"),
    "none": N_("This consultation takes part without confirmation: you can vote directly."),
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
        return page(lang, title, f'<p role="status">{escape(t["done"])}</p>{back}')
    sections = "".join(
        SECTIONS[method](lang, settings, program, return_to) for method in program.participation if method in SECTIONS
    )
    return page(lang, title, f"<p>{escape(t['why'])}</p><p>{escape(t['kept'])}</p>{sections}{back}")
