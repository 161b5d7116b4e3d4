"""The public moderation record as a page: counts by reason category, never any comment's text."""

from __future__ import annotations

from html import escape

from ..kernel.catalog import Vocabulary
from ..kernel.messages import N_, NP_, Texts, plural
from ..web.pages import Frame, page

TEXT = {
    "record_title": N_("Moderation record: {title}"),
    "record_intro": N_(
        "What the moderation team has decided so far, as numbers of comments. The text of hidden or refused comments is never published."
    ),
    "record_published": N_("Comments published: {n}"),
    "record_pending": N_("Waiting for review: {n}"),
    "record_caption": N_("Comments hidden or refused, by reason"),
    "record_reason": N_("Reason"),
    "record_hidden": N_("Hidden"),
    "record_rejected": N_("Refused"),
    "record_none": N_("No comment has been hidden or refused."),
    "record_back": N_("Back to the program"),
    "record_proposals": N_("Challenge proposals: {received}, {approved}, {rejected}, {pending}."),
    "verification_caption": N_("Confirmations of residence, by way of confirming"),
    "verification_method": N_("Way"),
    "verification_votes": N_("Votes"),
    "verification_requested": N_("Asked"),
    "verification_completed": N_("Confirmed"),
    "verification_refused": N_("Refused (expired, used or wrong)"),
    "method_email": N_("By email"),
    "method_oidc": N_("With an identity provider"),
}
PROPOSALS = {
    "received": NP_("{n} received", "{n} received"),
    "approved": NP_("{n} accepted", "{n} accepted"),
    "rejected": NP_("{n} not accepted", "{n} not accepted"),
    "pending": NP_("{n} being reviewed", "{n} being reviewed"),
}


def moderation_page(
    lang: str, title: str, record: dict, back: str, vocabulary: Vocabulary, frame: Frame | None = None
) -> str:
    t = Texts(lang, TEXT)
    moderation, proposals = record["moderation"], record["proposals"]
    body = (
        f"<p>{escape(t['record_intro'])}</p><ul>"
        f"<li>{escape(t['record_published'].format(n=moderation['published']))}</li>"
        f"<li>{escape(t['record_pending'].format(n=moderation['pending']))}</li></ul>"
    )
    categories = [*vocabulary.moderation_reasons, vocabulary.hidden_by_reports]
    shown = [r for r in categories if r in moderation["hidden"] or r in moderation["rejected"]]
    if shown:
        rows = "".join(
            f'<tr><th scope="row">{escape(vocabulary.record_label(r, lang))}</th>'
            f"<td>{moderation['hidden'].get(r, 0)}</td><td>{moderation['rejected'].get(r, 0)}</td></tr>"
            for r in shown
        )
        body += (
            f"<table><caption>{escape(t['record_caption'])}</caption><thead><tr>"
            f'<th scope="col">{escape(t["record_reason"])}</th><th scope="col">{escape(t["record_hidden"])}</th>'
            f'<th scope="col">{escape(t["record_rejected"])}</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        body += f"<p>{escape(t['record_none'])}</p>"
    # Each count its own plural (CLDR's rules through the catalog), then the four joined by one sentence.
    counts = {key: plural(lang, PROPOSALS[key], proposals[key]) for key in PROPOSALS}
    body += f"<p>{escape(t['record_proposals'].format(**counts))}</p>"
    verified = record.get("verification")
    if verified:
        columns = ("votes", "requested", "completed", "refused")
        head = "".join(f'<th scope="col">{escape(t["verification_" + c])}</th>' for c in columns)
        rows = "".join(
            f'<tr><th scope="row">{escape(t["method_" + m])}</th><td>{verified["votes"].get(m, 0)}</td>'
            + "".join(f"<td>{verified['verifications'][m][c]}</td>" for c in columns[1:])
            + "</tr>"
            for m in verified["verifications"]
        )
        body += (
            f"<table><caption>{escape(t['verification_caption'])}</caption><thead><tr>"
            f'<th scope="col">{escape(t["verification_method"])}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    body += f'<p><a href="{escape(back)}">{escape(t["record_back"])}</a></p>'
    return page(lang, t["record_title"].format(title=title), body, frame)
