"""The public moderation record as a page: counts by reason category, never any comment's text."""

from __future__ import annotations

from html import escape

from ..kernel.catalog import Vocabulary
from ..web.pages import page

TEXT = {
    "fr": {
        "record_title": "Registre de modération : {title}",
        "record_intro": "Ce que l'équipe de modération a décidé jusqu'ici, en nombre de commentaires. Le texte des commentaires masqués ou refusés n'est jamais publié.",
        "record_published": "Commentaires publiés : {n}",
        "record_pending": "En attente de relecture : {n}",
        "record_caption": "Commentaires masqués ou refusés, par motif",
        "record_reason": "Motif",
        "record_hidden": "Masqués",
        "record_rejected": "Refusés",
        "record_none": "Aucun commentaire n'a été masqué ni refusé.",
        "record_proposals": "Propositions de défis : {received} reçues, {approved} retenues, {rejected} non retenues, {pending} en cours d'examen.",
        "record_back": "Revenir au programme",
    },
    "en": {
        "record_title": "Moderation record: {title}",
        "record_intro": "What the moderation team has decided so far, as numbers of comments. The text of hidden or refused comments is never published.",
        "record_published": "Comments published: {n}",
        "record_pending": "Waiting for review: {n}",
        "record_caption": "Comments hidden or refused, by reason",
        "record_reason": "Reason",
        "record_hidden": "Hidden",
        "record_rejected": "Refused",
        "record_none": "No comment has been hidden or refused.",
        "record_proposals": "Challenge proposals: {received} received, {approved} accepted, {rejected} not accepted, {pending} being reviewed.",
        "record_back": "Back to the program",
    },
}


def moderation_page(lang: str, title: str, record: dict, back: str, vocabulary: Vocabulary) -> str:
    t = TEXT[lang]
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
    body += f"<p>{escape(t['record_proposals'].format(**proposals))}</p>"
    body += f'<p><a href="{escape(back)}">{escape(t["record_back"])}</a></p>'
    return page(lang, t["record_title"].format(title=title), body)
