"""Answers for browsers without JavaScript: 303 back to the page after a form post, or a small HTML page.

Static pages pre-render every outcome message with an id (`dc-msg-...`); the redirect's fragment shows the
right one with CSS `:target`. Errors cannot be pre-rendered with the citizen's own text, so they get an HTML
page that explains the problem and gives the text back in a form, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from .dates import long_date
from .errors import ApiError

TEXT = {
    "fr": {
        "error_title": "Votre demande n'a pas abouti",
        "back": "Revenir à la page",
        "retry": "Corriger et renvoyer",
        "comment": "Votre commentaire",
        "name": "Nom affiché (facultatif)",
        "title": "Titre",
        "description": "Description",
        "email": "Votre adresse e-mail (facultatif)",
        "consent": "J'accepte que l'équipe du programme me recontacte à cette adresse au sujet de ma proposition.",
        "send": "Envoyer",
        "comments_title": "Commentaires : {title}",
        "no_comments": "Aucun commentaire publié pour l'instant.",
        "report": "Signaler",
        "reason": "Motif du signalement",
        "reasons": {
            "spam": "Publicité ou spam",
            "abuse": "Propos injurieux ou haineux",
            "personal-data": "Données personnelles",
            "off-topic": "Hors sujet",
            "illegal": "Contenu illégal",
        },
        "anonymous": "Un habitant ou une habitante",
        "more": "Commentaires suivants",
        "votes": "Votes : {count}",
        "votes_hidden": "Le nombre de votes sera publié à la fin de la consultation.",
        "you_voted": "Vous avez voté pour ce défi.",
        "skip": "Aller au contenu",
        "choose": "Choisir un motif",
        "receipt_title": "Votre code de vérification des votes",
        "receipt": [
            "Voici le jeton de participation de ce navigateur. Notez-le et gardez-le pour vous : tant que le cookie "
            "est valable, il permet de voter en votre nom.",
            "Le serveur ne le garde pas. S'il est perdu (cookies effacés), personne ne peut le retrouver.",
            "À la clôture, l'équipe publie le journal des votes avec les résultats : une empreinte par vote, calculée "
            "à partir de ce code et d'un sel différent pour chaque défi. Avec ce code, vous pouvez y retrouver vos "
            "propres votes, et tout le monde peut recompter les résultats avec le script verify_tally.py.",
        ],
        "receipt_command": "Pour retrouver vos votes dans le journal :",
        "record_title": "Registre de modération : {title}",
        "record_intro": "Ce que l'équipe de modération a décidé jusqu'ici, en nombre de commentaires. Le texte des "
        "commentaires masqués ou refusés n'est jamais publié.",
        "record_published": "Commentaires publiés : {n}",
        "record_pending": "En attente de relecture : {n}",
        "record_caption": "Commentaires masqués ou refusés, par motif",
        "record_reason": "Motif",
        "record_hidden": "Masqués",
        "record_rejected": "Refusés",
        "record_none": "Aucun commentaire n'a été masqué ni refusé.",
        "record_proposals": "Propositions de défis : {received} reçues, {approved} retenues, {rejected} non retenues, "
        "{pending} en cours d'examen.",
        "record_reasons": {
            "spam": "Publicité ou messages répétés (spam)",
            "abuse": "Insultes, propos haineux ou harcèlement",
            "personal-data": "Informations personnelles (adresse, téléphone…)",
            "off-topic": "Sans rapport avec le défi",
            "illegal": "Contenu illégal",
            "duplicate": "Doublon d'un autre commentaire",
            "other": "Autre motif",
            "reports": "Signalé par plusieurs personnes, en attente de relecture",
        },
        "record_back": "Revenir au programme",
    },
    "en": {
        "error_title": "Your request did not go through",
        "back": "Back to the page",
        "retry": "Correct and send again",
        "comment": "Your comment",
        "name": "Display name (optional)",
        "title": "Title",
        "description": "Description",
        "email": "Your email address (optional)",
        "consent": "I agree that the program's team may contact me at this address about my proposal.",
        "send": "Send",
        "comments_title": "Comments: {title}",
        "no_comments": "No comment published yet.",
        "report": "Report",
        "reason": "Reason for the report",
        "reasons": {
            "spam": "Advertising or spam",
            "abuse": "Insulting or hateful",
            "personal-data": "Personal data",
            "off-topic": "Off topic",
            "illegal": "Illegal content",
        },
        "anonymous": "A resident",
        "more": "Next comments",
        "votes": "Votes: {count}",
        "votes_hidden": "The number of votes will be published when the consultation closes.",
        "you_voted": "You voted for this challenge.",
        "skip": "Skip to content",
        "choose": "Choose a reason",
        "receipt_title": "Your vote verification code",
        "receipt": [
            "This is this browser's participation token. Write it down and keep it to yourself: as long as the "
            "cookie is valid, it lets anyone vote in your name.",
            "The server does not keep it. If it is lost (cookies cleared), nobody can find it again.",
            "When the consultation closes, the team publishes the vote log with the results: one fingerprint per "
            "vote, computed from this code and a different salt for each challenge. With this code you can find "
            "your own votes in it, and anyone can recount the results with the verify_tally.py script.",
        ],
        "receipt_command": "To find your votes in the log:",
        "record_title": "Moderation record: {title}",
        "record_intro": "What the moderation team has decided so far, as numbers of comments. The text of hidden or "
        "refused comments is never published.",
        "record_published": "Comments published: {n}",
        "record_pending": "Waiting for review: {n}",
        "record_caption": "Comments hidden or refused, by reason",
        "record_reason": "Reason",
        "record_hidden": "Hidden",
        "record_rejected": "Refused",
        "record_none": "No comment has been hidden or refused.",
        "record_proposals": "Challenge proposals: {received} received, {approved} accepted, {rejected} not accepted, "
        "{pending} being reviewed.",
        "record_reasons": {
            "spam": "Advertising or repeated messages (spam)",
            "abuse": "Insults, hateful speech or harassment",
            "personal-data": "Personal information (address, phone…)",
            "off-topic": "Unrelated to the challenge",
            "illegal": "Illegal content",
            "duplicate": "Duplicate of another comment",
            "other": "Other reason",
            "reports": "Reported by several people, waiting for review",
        },
        "record_back": "Back to the program",
    },
}

STYLE = (
    "body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1f2328}"
    "a{color:#0a5a8a}label{display:block;font-weight:600;margin-top:1rem}"
    "textarea,input,select{width:100%;font:inherit;padding:.4rem;border:1px solid #5b6770;border-radius:.25rem}"
    "button{font:inherit;margin-top:1rem;padding:.5rem 1rem;background:#0b5c44;color:#fff;border:0;border-radius:.25rem}"
    ".error{border-left:.3rem solid #b3261e;padding:.2rem .8rem;background:#fdecea}"
    "table{border-collapse:collapse;margin:1rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}"
    "th,td{border-bottom:1px solid #c5cbd1;padding:.3rem .6rem;text-align:left}td{text-align:right}"
    "article{border-top:1px solid #c5cbd1;padding:.5rem 0}:focus-visible{outline:3px solid #8a3b00;outline-offset:2px}"
)


def _day(lang: str, iso: str) -> str:
    return long_date(lang, dt.date.fromisoformat(iso[:10]))


def redirect(site_origin: str, url: str, message: str) -> tuple[int, dict[str, str]]:
    """Status and headers of a 303 to a page of the site, showing the message with that id."""
    return 303, {"Location": f"{site_origin}/{url}#dc-msg-{message}", "Cache-Control": "no-store"}


def page(lang: str, title: str, body: str) -> str:
    t = TEXT[lang]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(title)}</title><style>{STYLE}</style></head>'
        f'<body><a href="#main">{escape(t["skip"])}</a><main id="main"><h1>{escape(title)}</h1>{body}</main>'
        "</body></html>"
    )


def receipt_page(lang: str, receipt: dict) -> str:
    """The caller's own voter token, and how to find their votes in the published vote log."""
    t = TEXT[lang]
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in t["receipt"][:2])
    command = f"python3 verify_tally.py vote-log.json --token {receipt['token']}"
    return page(
        lang,
        t["receipt_title"],
        f'<p><code style="font-size:1.25rem;word-break:break-all">{escape(receipt["token"])}</code></p>'
        f"{paragraphs}<p>{escape(t['receipt'][2])}</p>"
        f'<p>{escape(t["receipt_command"])}</p><pre style="white-space:pre-wrap"><code>{escape(command)}</code></pre>',
    )


def moderation_page(lang: str, title: str, record: dict, back: str) -> str:
    """The public moderation record: counts by reason category, never any comment's text."""
    t = TEXT[lang]
    moderation, proposals = record["moderation"], record["proposals"]
    body = (
        f"<p>{escape(t['record_intro'])}</p><ul>"
        f"<li>{escape(t['record_published'].format(n=moderation['published']))}</li>"
        f"<li>{escape(t['record_pending'].format(n=moderation['pending']))}</li></ul>"
    )
    reasons = [r for r in t["record_reasons"] if r in moderation["hidden"] or r in moderation["rejected"]]
    if reasons:
        rows = "".join(
            f'<tr><th scope="row">{escape(t["record_reasons"][r])}</th>'
            f"<td>{moderation['hidden'].get(r, 0)}</td><td>{moderation['rejected'].get(r, 0)}</td></tr>"
            for r in reasons
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


def error_page(lang: str, error: ApiError, back: str | None, action: str | None, kept: dict[str, str]) -> str:
    """The problem in words, a way back, and the citizen's text in a form to send again."""
    t = TEXT[lang]
    body = f'<p class="error" role="alert">{escape(error.detail[lang])}</p>'
    if action and kept and error.status not in (403, 404, 409):
        body += _retry_form(lang, action, kept)
    if back:
        body += f'<p><a href="{escape(back)}">{escape(t["back"])}</a></p>'
    return page(lang, t["error_title"], body)


def _retry_form(lang: str, action: str, kept: dict[str, str]) -> str:
    t = TEXT[lang]
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


def comments_page(lang: str, title: str, tally: dict, listing: dict, back: str, api_base: str) -> str:
    """Published comments with report forms, for readers without JavaScript."""
    t = TEXT[lang]
    parts = []
    if tally["visible"]:
        parts.append(f"<p>{escape(t['votes'].format(count=tally['count']))}</p>")
    else:
        parts.append(f"<p>{escape(t['votes_hidden'])}</p>")
    if tally["voted"]:
        parts.append(f"<p>{escape(t['you_voted'])}</p>")
    if not listing["comments"]:
        parts.append(f"<p>{escape(t['no_comments'])}</p>")
    for comment in listing["comments"]:
        who = comment["display_name"] or t["anonymous"]
        # No reason is preselected, so a single click cannot file a report by mistake.
        options = f'<option value="">{escape(t["choose"])}</option>' + "".join(
            f'<option value="{k}">{escape(v)}</option>' for k, v in t["reasons"].items()
        )
        parts.append(
            f'<article><p><strong>{escape(who)}</strong> · <time datetime="{escape(comment["created_at"])}">'
            f"{escape(_day(lang, comment['created_at']))}</time></p>"
            f'<p style="white-space:pre-line">{escape(comment["text"])}</p>'
            f'<form method="post" action="{escape(api_base)}/comments/{escape(comment["id"])}/reports">'
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
    return page(lang, t["comments_title"].format(title=title), "".join(parts))
