"""The verify page's section for signing in with the program's OpenID provider: one link, which works without JS."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from ..kernel.catalog import ProgramEntry
from ..kernel.messages import N_, Texts
from ..settings import Settings

TEXT = {
    "heading": N_("With {provider}"),
    "what": N_(
        "You sign in at {provider}, then come back here. We receive only an identifier that {provider} gives this consultation, never your name or your email, and keep only a code computed from it."
    ),
    "go": N_("Sign in with {provider}"),
}


def section(lang: str, settings: Settings, program: ProgramEntry, return_to: str) -> str:
    t = Texts(lang, TEXT)
    provider = program.oidc.get("name") or program.oidc.get("issuer", "")
    query = urlencode({"lang": lang, "return": return_to})
    href = f"{settings.site_origin}{settings.api_base}/programs/{program.id}/oidc/start?{query}"
    return (
        f'<section aria-labelledby="dc-oidc"><h2 id="dc-oidc">{escape(t["heading"].format(provider=provider))}</h2>'
        f"<p>{escape(t['what'].format(provider=provider))}</p>"
        f'<p><a class="dc-button" href="{escape(href)}">{escape(t["go"].format(provider=provider))}</a></p></section>'
    )
