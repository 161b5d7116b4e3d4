"""The comments of a challenge as a page, with report forms, for readers without JavaScript."""

from __future__ import annotations

from html import escape

from ..kernel.catalog import Vocabulary
from ..kernel.messages import N_, Texts
from ..web.pages import Frame, day, page

TEXT = {
    "comments_title": N_("Comments: {title}"),
    "no_comments": N_("No comments published yet."),
    "report": N_("Report"),
    "reason": N_("Reason for the report"),
    "anonymous": N_("A resident"),
    "more": N_("Next comments"),
    "votes": N_("Votes: {count}"),
    "votes_hidden": N_("The number of votes will be published when the consultation closes."),
    "you_voted": N_("You voted for this challenge."),
    "choose": N_("Choose a reason"),
    "back": N_("Back to the page"),
}


def comments_page(
    lang: str,
    title: str,
    tally: dict,
    listing: dict,
    back: str,
    form_base: str,
    vocabulary: Vocabulary,
    frame: Frame | None = None,
) -> str:
    """Published comments with report forms, for readers without JavaScript."""
    t = Texts(lang, TEXT)
    parts = []
    if tally["visible"]:
        parts.append(f"<p>{escape(t['votes'].format(count=tally['count']))}</p>")
    else:
        parts.append(f"<p>{escape(t['votes_hidden'])}</p>")
    if tally["voted"]:
        parts.append(f"<p>{escape(t['you_voted'])}</p>")
    if not listing["comments"]:
        parts.append(f"<p>{escape(t['no_comments'])}</p>")
    # No reason is preselected, so a single click cannot file a report by mistake.
    options = f'<option value="">{escape(t["choose"])}</option>' + "".join(
        f'<option value="{escape(k)}">{escape(labels[lang])}</option>'
        for k, labels in vocabulary.report_reasons.items()
    )
    for comment in listing["comments"]:
        who = comment["display_name"] or t["anonymous"]
        parts.append(
            f'<article><p><strong dir="auto">{escape(who)}</strong> · <time datetime="{escape(comment["created_at"])}">'
            f"{escape(day(lang, comment['created_at']))}</time></p>"
            f'<p dir="auto" style="white-space:pre-line">{escape(comment["text"])}</p>'
            f'<form method="post" action="{escape(form_base)}/comments/{escape(comment["id"])}/reports">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<label for="r-{escape(comment["id"])}">{escape(t["reason"])}</label>'
            f'<select id="r-{escape(comment["id"])}" name="reason" required>{options}</select>'
            f'<button type="submit">{escape(t["report"])}</button></form></article>'
        )
    if listing["next"]:
        parts.append(
            f'<p><a href="?format=html&amp;lang={lang}&amp;cursor={escape(listing["next"])}">'
            f"{escape(t['more'])}</a></p>"
        )
    parts.append(f'<p><a href="{escape(back)}">{escape(t["back"])}</a></p>')
    return page(lang, t["comments_title"].format(title=title), "".join(parts), frame)
