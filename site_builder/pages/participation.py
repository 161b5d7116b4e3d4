"""Taking part from the static pages: vote, comment and propose forms that work without JavaScript.

Each form posts to the API, which answers 303 back to the page with `#dc-msg-<outcome>`; every outcome's
message is already in the page and CSS `:target` shows it. With JavaScript, participate.js does the same in
place. Texts for the script travel in a JSON block, so it holds no language of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape

from .. import urls
from ..blocks import Html, page
from ..i18n import t as ui
from ..model import Challenge, Program
from ..vocabulary import CHALLENGE_OUTCOMES, LIMITS, PROPOSAL_OUTCOMES, REPORT_REASONS, THEMES
from .common import breadcrumb, front_matter, md_heading, window_sentence

TEXT = {
    "fr": {
        "title": "Participer",
        "votes": "Votes",
        "vote": "Voter pour ce défi",
        "withdraw": "Retirer mon vote",
        "comments": "Commentaires",
        "comment_label": "Votre commentaire",
        "comment_help": "Texte simple, {comment} caractères au plus. Restez courtois : la charte s'applique.",
        "name_label": "Nom affiché (facultatif)",
        "name_help": "Laissez vide pour rester anonyme. N'indiquez pas votre nom complet si vous ne le souhaitez pas.",
        "send": "Publier le commentaire",
        "pre": "Les commentaires sont relus par l'équipe avant d'être publiés.",
        "post": "Les commentaires sont publiés tout de suite.",
        "read_comments": "Lire les commentaires et le nombre de votes",
        "closed": "La participation à ce défi est close.",
        "see_results": "Voir les résultats de la consultation",
        "cookie": "Pour compter un seul vote par personne, le site dépose un cookie strictement nécessaire, sans "
        "pistage.",
        "privacy": "En savoir plus",
        "msg_vote-recorded": "Votre vote est enregistré. Merci !",
        "msg_vote-withdrawn": "Votre vote a été retiré.",
        "msg_vote-already": "Vous aviez déjà voté pour ce défi : votre vote compte une fois.",
        "msg_vote-none": "Vous n'aviez pas voté pour ce défi : il n'y avait rien à retirer.",
        "msg_comment-published": "Merci ! Votre commentaire est publié.",
        "msg_comment-pending": "Merci ! Votre commentaire apparaîtra après relecture par l'équipe.",
        "msg_report-received": "Merci, votre signalement a été transmis à l'équipe de modération.",
        "msg_proposal-received": "Merci ! Votre proposition a été transmise à l'équipe du programme.",
        # Texts the script needs.
        "js_count_one": "{n} vote",
        "js_count_many": "{n} votes",
        "js_count_hidden": "Le nombre de votes sera publié à la fin de la consultation.",
        "js_voted": "Vous avez voté pour ce défi.",
        "js_not_voted": "Vous n'avez pas encore voté pour ce défi.",
        "js_upcoming": "La participation ouvre le {date}.",
        "js_network": "Le service ne répond pas. Vérifiez votre connexion et réessayez : votre texte est conservé.",
        "js_rate": "Trop de demandes en peu de temps. Réessayez dans quelques minutes.",
        "js_no_comments": "Aucun commentaire publié pour l'instant.",
        "js_more": "Afficher plus de commentaires",
        "js_anonymous": "Un habitant ou une habitante",
        "js_report": "Signaler",
        "js_report_reason": "Motif du signalement",
        "js_report_send": "Envoyer le signalement",
        "js_loading": "Chargement…",
        # The proposal page.
        "propose_title": "Proposer un défi",
        "propose_intro": "Un problème de votre quartier manque dans la liste ? Décrivez-le simplement. L'équipe du "
        "programme lit chaque proposition ; celles qui sont retenues deviennent de nouveaux défis.",
        "p_title": "Titre de votre proposition",
        "p_title_help": "Une phrase courte, {proposal_title} caractères au plus.",
        "p_description": "Description",
        "p_description_help": "Quel est le problème ? Où et quand se pose-t-il ? Qui est concerné ? "
        "{proposal_description} caractères au plus.",
        "p_theme": "Thème (facultatif)",
        "p_theme_none": "Je ne sais pas",
        "p_email": "Votre adresse e-mail (facultatif)",
        "p_email_help": "Seulement si vous acceptez que l'équipe vous recontacte. Elle est chiffrée et effacée "
        "automatiquement six mois après la fin de la consultation. Elle n'est jamais publiée.",
        "p_consent": "J'accepte que l'équipe du programme me recontacte à cette adresse au sujet de ma proposition.",
        "p_send": "Envoyer ma proposition",
        "p_back": "Retour au programme",
    },
    "en": {
        "title": "Take part",
        "votes": "Votes",
        "vote": "Vote for this challenge",
        "withdraw": "Withdraw my vote",
        "comments": "Comments",
        "comment_label": "Your comment",
        "comment_help": "Plain text, {comment} characters at most. Be courteous: the charter applies.",
        "name_label": "Display name (optional)",
        "name_help": "Leave empty to stay anonymous. Do not give your full name unless you want to.",
        "send": "Publish the comment",
        "pre": "Comments are read by the team before they are published.",
        "post": "Comments are published at once.",
        "read_comments": "Read the comments and the number of votes",
        "closed": "Participation in this challenge is closed.",
        "see_results": "See the results of the consultation",
        "cookie": "To count one vote per person, the site sets a strictly necessary cookie, with no tracking.",
        "privacy": "Learn more",
        "msg_vote-recorded": "Your vote is recorded. Thank you!",
        "msg_vote-withdrawn": "Your vote was withdrawn.",
        "msg_vote-already": "You had already voted for this challenge: your vote counts once.",
        "msg_vote-none": "You had not voted for this challenge: there was nothing to withdraw.",
        "msg_comment-published": "Thank you! Your comment is published.",
        "msg_comment-pending": "Thank you! Your comment will appear after the team has reviewed it.",
        "msg_report-received": "Thank you, your report was sent to the moderation team.",
        "msg_proposal-received": "Thank you! Your proposal was sent to the program's team.",
        "js_count_one": "{n} vote",
        "js_count_many": "{n} votes",
        "js_count_hidden": "The number of votes will be published when the consultation closes.",
        "js_voted": "You voted for this challenge.",
        "js_not_voted": "You have not voted for this challenge yet.",
        "js_upcoming": "Participation opens on {date}.",
        "js_network": "The service is not answering. Check your connection and try again: your text is kept.",
        "js_rate": "Too many requests in a short time. Try again in a few minutes.",
        "js_no_comments": "No comment published yet.",
        "js_more": "Show more comments",
        "js_anonymous": "A resident",
        "js_report": "Report",
        "js_report_reason": "Reason for the report",
        "js_report_send": "Send the report",
        "js_loading": "Loading…",
        "propose_title": "Propose a challenge",
        "propose_intro": "Is a problem of your neighbourhood missing from the list? Describe it simply. The program's "
        "team reads every proposal; those that are kept become new challenges.",
        "p_title": "Title of your proposal",
        "p_title_help": "A short sentence, {proposal_title} characters at most.",
        "p_description": "Description",
        "p_description_help": "What is the problem? Where and when does it happen? Who is affected? "
        "{proposal_description} characters at most.",
        "p_theme": "Theme (optional)",
        "p_theme_none": "I don't know",
        "p_email": "Your email address (optional)",
        "p_email_help": "Only if you agree that the team may contact you. It is encrypted and deleted automatically "
        "six months after the consultation ends. It is never published.",
        "p_consent": "I agree that the program's team may contact me at this address about my proposal.",
        "p_send": "Send my proposal",
        "p_back": "Back to the program",
    },
}


def help_text(lang: str, key: str) -> str:
    """A field's help, with the limits (LIMITS) written as numbers are in the language: 2 000 / 2,000."""
    separator = " " if lang == "fr" else ","
    return TEXT[lang][key].format(**{name: f"{n:,}".replace(",", separator) for name, n in LIMITS.items()})


def _messages(lang: str, here: str, outcomes: tuple[str, ...]) -> str:
    """Every outcome message, hidden until the redirect's fragment targets it."""
    t = TEXT[lang]
    items = "".join(f'<p class="dc-msg" id="dc-msg-{o}" tabindex="-1">{escape(t["msg_" + o])}</p>' for o in outcomes)
    return f'<div class="dc-messages">{items}</div>'


def _script_texts(lang: str) -> str:
    t = TEXT[lang]
    data = {k[3:]: v for k, v in t.items() if k.startswith("js_")}
    data["reasons"] = {reason: labels[lang] for reason, labels in REPORT_REASONS.items()}
    data.update({k[4:]: v for k, v in t.items() if k.startswith("msg_")})
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/json" class="dc-texts">{text}</script>'


def challenge_section(
    challenge: Challenge, program: Program, lang: str, api_base: str, now: dt.datetime, has_results: bool = False
) -> list[str]:
    """The page's "Take part" part: its Markdown heading (for the table of contents), then the HTML section.

    Once closed it says so once (the page's window sentence, or here when the file closed it early) and leads to
    the program's results when they are published.
    """
    t = TEXT[lang]
    here = urls.challenge_page(lang, program.id, challenge.id)
    api = f"{api_base}/challenges/{challenge.id}"
    privacy = urls.relative(here, urls.url_of(urls.content_page(lang, "privacy")))
    taking_part = challenge.status == "open" and challenge.window.state(now) != "closed"
    parts = [
        f'<section class="dc-participate" id="participate" aria-labelledby="participate-title" data-pagefind-ignore '
        f'data-api="{escape(api_base)}" data-challenge="{escape(challenge.id)}" data-lang="{lang}">',
        _messages(
            lang,
            here,
            CHALLENGE_OUTCOMES,
        ),
        '<p class="dc-live" role="status" aria-live="polite"></p>',
        f'<h3 id="votes-title">{escape(t["votes"])}</h3>',
        '<p class="dc-tally" data-dc="tally"></p>',
    ]
    if taking_part:
        parts += [
            f'<p class="dc-window">{escape(window_sentence(lang, challenge.window, now))}</p>',
            f'<form class="dc-vote" method="post" action="{escape(api)}/vote" data-dc="vote">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<button type="submit" name="intent" value="vote" class="md-button md-button--primary" '
            f'data-dc="vote-button">{escape(t["vote"])}</button> '
            f'<button type="submit" name="intent" value="withdraw" class="md-button" '
            f'data-dc="withdraw-button">{escape(t["withdraw"])}</button></form>',
            f'<p class="dc-note">{escape(t["cookie"])} <a href="{escape(privacy)}">{escape(t["privacy"])}</a></p>',
        ]
    else:
        if challenge.status != "open":
            parts.append(f'<p class="dc-window">{escape(t["closed"])}</p>')
        if has_results:
            results = urls.relative(here, urls.url_of(urls.results_page(lang, program.id)))
            parts.append(f'<p class="dc-see-results"><a href="{escape(results)}">{escape(t["see_results"])}</a></p>')
    parts += [
        f'<h3 id="comments-title">{escape(t["comments"])}</h3>',
        '<div class="dc-comments" data-dc="comments"></div>',
        f'<noscript><p><a href="{escape(api)}/comments?format=html&amp;lang={lang}">'
        f"{escape(t['read_comments'])}</a></p></noscript>",
    ]
    if taking_part:
        parts.append(
            f'<form class="dc-comment-form" method="post" action="{escape(api)}/comments" data-dc="comment">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<p class="dc-note">{escape(t[program.moderation])}</p>'
            f'<label for="dc-comment-text">{escape(t["comment_label"])}</label>'
            f'<textarea id="dc-comment-text" name="text" rows="5" required maxlength="{LIMITS["comment"]}" '
            f'aria-describedby="dc-comment-help"></textarea>'
            f'<p class="dc-help" id="dc-comment-help">{escape(help_text(lang, "comment_help"))}</p>'
            f'<label for="dc-comment-name">{escape(t["name_label"])}</label>'
            f'<input id="dc-comment-name" type="text" name="display_name" maxlength="{LIMITS["display_name"]}" '
            f'autocomplete="nickname" '
            f'aria-describedby="dc-name-help">'
            f'<p class="dc-help" id="dc-name-help">{escape(t["name_help"])}</p>'
            f'<p class="dc-error" data-dc="error" role="alert" hidden></p>'
            f'<p class="dc-form-status" data-dc="status" role="status"></p>'
            f'<button type="submit" class="md-button md-button--primary">{escape(t["send"])}</button></form>'
        )
    parts += [_script_texts(lang), "</section>"]
    return [md_heading(t["title"], 2, "participate-title"), Html("\n".join(parts))]


def propose_page(program: Program, lang: str, api_base: str, now: dt.datetime) -> str:
    t = TEXT[lang]
    here = urls.propose_page(lang, program.id)
    home = urls.url_of(urls.content_page(lang, "index"))
    program_url = urls.url_of(urls.program_home(lang, program.id))
    privacy = urls.relative(here, urls.url_of(urls.content_page(lang, "privacy")))
    themes = "".join(f'<option value="{k}">{escape(v[lang])}</option>' for k, v in THEMES.items())
    open_now = program.window.state(now) != "closed"
    form = (
        f'<form class="dc-propose" method="post" action="{escape(api_base)}/programs/{program.id}/proposals" '
        f'data-dc="proposal"><input type="hidden" name="lang" value="{lang}">'
        f'<label for="dc-p-title">{escape(t["p_title"])}</label>'
        f'<input id="dc-p-title" name="title" required maxlength="{LIMITS["proposal_title"]}" aria-describedby="dc-p-title-help">'
        f'<p class="dc-help" id="dc-p-title-help">{escape(help_text(lang, "p_title_help"))}</p>'
        f'<label for="dc-p-description">{escape(t["p_description"])}</label>'
        f'<textarea id="dc-p-description" name="description" rows="8" required maxlength="{LIMITS["proposal_description"]}" '
        f'aria-describedby="dc-p-description-help"></textarea>'
        f'<p class="dc-help" id="dc-p-description-help">{escape(help_text(lang, "p_description_help"))}</p>'
        f'<label for="dc-p-theme">{escape(t["p_theme"])}</label>'
        f'<select id="dc-p-theme" name="theme"><option value="">{escape(t["p_theme_none"])}</option>{themes}</select>'
        f'<label for="dc-p-email">{escape(t["p_email"])}</label>'
        f'<input id="dc-p-email" name="email" type="email" maxlength="{LIMITS["email"]}" autocomplete="email" '
        f'aria-describedby="dc-p-email-help">'
        f'<p class="dc-help" id="dc-p-email-help">{escape(t["p_email_help"])} '
        f'<a href="{escape(privacy)}">{escape(t["privacy"])}</a></p>'
        f'<p class="dc-check"><input id="dc-p-consent" name="consent" type="checkbox" value="on"> '
        f'<label for="dc-p-consent">{escape(t["p_consent"])}</label></p>'
        f'<p class="dc-error" data-dc="error" role="alert" hidden></p>'
        f'<p class="dc-form-status" data-dc="status" role="status"></p>'
        f'<button type="submit" class="md-button md-button--primary">{escape(t["p_send"])}</button></form>'
    )
    body = [
        front_matter(f"{t['propose_title']} – {program.title[lang]}"),
        breadcrumb(
            lang, here, [(ui(lang, "home"), home), (program.title[lang], program_url), (t["propose_title"], None)]
        ),
        md_heading(f"{t['propose_title']} – {program.title[lang]}"),
        Html(
            "\n".join(
                [
                    f'<section class="dc-participate" data-api="{escape(api_base)}" data-lang="{lang}">',
                    _messages(lang, here, PROPOSAL_OUTCOMES),
                    '<p class="dc-live" role="status" aria-live="polite"></p>',
                    f"<p>{escape(t['propose_intro'])}</p>",
                    f'<p class="dc-window">{escape(window_sentence(lang, program.window, now))}</p>',
                    form if open_now else "",
                    _script_texts(lang),
                    "</section>",
                ]
            )
        ),
    ]
    return page(body)
