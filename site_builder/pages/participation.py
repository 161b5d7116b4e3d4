"""Taking part from the static pages: vote, comment and propose forms that work without JavaScript.

Each form posts to the API, which answers 303 back to the page with `#dc-msg-<outcome>`; every outcome's
message is already in the page and CSS `:target` shows it. With JavaScript, participate.js does the same in
place. Texts for the script travel in a JSON block, so it holds no language of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any

from .. import urls
from ..blocks import Html, page
from ..i18n import N_, NP_, Texts, direction, gettext, number, per_catalog, plural_forms
from ..i18n import t as ui
from ..model import Challenge, Program
from ..vocabulary import CHALLENGE_OUTCOMES, CLDR_LOCALES, LIMITS, PROPOSAL_OUTCOMES, REPORT_REASONS, THEMES
from .common import breadcrumb, front_matter, md_heading, window_sentence

# Messages by key, in English; translated by the catalogs (site_builder/i18n.py).
TEXT: dict[str, Any] = {
    "title": N_("Take part"),
    "votes": N_("Votes"),
    "vote": N_("Vote for this challenge"),
    "withdraw": N_("Withdraw my vote"),
    "comments": N_("Comments"),
    "comment_label": N_("Your comment"),
    "comment_help": N_("Plain text, {comment} characters at most. Be courteous: the charter applies."),
    "name_label": N_("Display name (optional)"),
    "name_help": N_("Leave empty to stay anonymous. Do not give your full name unless you want to."),
    "send": N_("Publish the comment"),
    "pre": N_("Comments are read by the team before they are published."),
    "post": N_("Comments are published at once."),
    "read_comments": N_("Read the comments and the number of votes"),
    "closed": N_("Participation in this challenge is closed."),
    "see_results": N_("See the results of the consultation"),
    "cookie": N_("To count one vote per person, the site sets a strictly necessary cookie, with no tracking."),
    "privacy": N_("Learn more"),
    "verified": N_(
        "This consultation counts one vote per resident: the first time you vote, you confirm that you live here, then come back to vote. We keep neither your address nor your name."
    ),
    "msg_vote-recorded": N_("Your vote is recorded. Thank you!"),
    "msg_vote-withdrawn": N_("Your vote was withdrawn."),
    "msg_vote-already": N_("You had already voted for this challenge: your vote counts once."),
    "msg_vote-none": N_("You had not voted for this challenge: there was nothing to withdraw."),
    "msg_comment-published": N_("Thank you! Your comment is published."),
    "msg_comment-pending": N_("Thank you! Your comment will appear after the team has reviewed it."),
    "msg_report-received": N_("Thank you, your report was sent to the moderation team."),
    "msg_proposal-received": N_("Thank you! Your proposal was sent to the program's team."),
    "js_count_hidden": N_("The number of votes will be published when the consultation closes."),
    "js_voted": N_("You voted for this challenge."),
    "js_not_voted": N_("You have not voted for this challenge yet."),
    "js_counter": N_("{n} characters of {max} at most."),
    "js_over": N_(
        "{n} characters: {extra} too many, the maximum is {max}. Shorten your text before sending; it is kept."
    ),
    "js_upcoming": N_("Participation opens on {date}."),
    "js_network": N_("The service is not answering. Check your connection and try again: your text is kept."),
    "js_rate": N_("Too many requests in a short time. Try again in a few minutes."),
    "js_no_comments": N_("No comments published yet."),
    "js_more": N_("Show more comments"),
    "js_anonymous": N_("A resident"),
    "js_report": N_("Report"),
    "js_report_reason": N_("Reason for the report"),
    "js_report_choose": N_("Choose a reason"),
    "js_report_send": N_("Send the report"),
    "js_loading": N_("Loading…"),
    "propose_title": N_("Propose a challenge"),
    "propose_intro": N_(
        "Is a problem of your neighbourhood missing from the list? Describe it simply. The program's team reads every proposal; those that are kept become new challenges."
    ),
    "p_title": N_("Title of your proposal"),
    "p_title_help": N_("A short sentence, {proposal_title} characters at most."),
    "p_description": N_("Description"),
    "p_description_help": N_(
        "What is the problem? Where and when does it happen? Who is affected? {proposal_description} characters at most."
    ),
    "p_theme": N_("Theme (optional)"),
    "p_theme_none": N_("I don't know"),
    "p_email": N_("Your email address (optional)"),
    "p_email_help": N_(
        "Only if you agree that the team may contact you. It is encrypted and deleted automatically six months after the consultation ends. It is never published."
    ),
    "p_consent": N_("I agree that the program's team may contact me at this address about my proposal."),
    "p_send": N_("Send my proposal"),
    "p_back": N_("Back to the program"),
}

# participate.js: how many votes, one form per CLDR plural category of the language (i18n.plural_forms).
# Where the forms post, under the API's base: the API's chalicelib/web/function_url.py FORM_PREFIX (tests check
# they agree; site_builder never imports api/).
FORM_PREFIX = "/form"
VOTE_COUNT = NP_("{n} vote", "{n} votes")


def help_text(lang: str, key: str) -> str:
    """A field's help, with the limits (LIMITS) written as numbers are in the language: 2 000 / 2,000."""
    return gettext(lang, TEXT[key]).format(**{name: number(lang, n) for name, n in LIMITS.items()})


def _counter(field_id: str) -> str:
    """Where the script counts a long text's characters as the resident types (hidden without it).

    The long fields carry their limit as data-dc-limit, not maxlength: maxlength cuts a paste silently (issue #15:
    8,000 characters pasted, 6,000 lost and "Merci !"). Over the limit the script refuses to send and says why,
    and without the script the API refuses with the same figures and gives the text back.
    """
    return f'<p class="dc-counter" id="{field_id}-count" data-dc="counter" data-for="{field_id}" hidden></p>'


def _messages(lang: str, here: str, outcomes: tuple[str, ...]) -> str:
    """Every outcome message, hidden until the redirect's fragment targets it."""
    return _outcome_messages(lang, outcomes)


@per_catalog  # the same on every page of a language
def _outcome_messages(lang: str, outcomes: tuple[str, ...]) -> str:
    t = Texts(lang, TEXT)
    items = "".join(f'<p class="dc-msg" id="dc-msg-{o}" tabindex="-1">{escape(t["msg_" + o])}</p>' for o in outcomes)
    return f'<div class="dc-messages">{items}</div>'


@per_catalog  # the same on every page of a language
def _script_texts(lang: str) -> str:
    t = Texts(lang, TEXT)
    data: dict[str, Any] = {k[3:]: v for k, v in t.items() if k.startswith("js_")}
    data["count"] = plural_forms(lang, VOTE_COUNT)
    data["reasons"] = {reason: gettext(lang, label) for reason, label in REPORT_REASONS.items()}
    # The locale the pages write dates in (CLDR's, as BCP 47 for Intl): the script's dates read the same.
    data["date_locale"] = CLDR_LOCALES.get(lang, lang).replace("_", "-")
    data.update({k[4:]: v for k, v in t.items() if k.startswith("msg_")})
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/json" class="dc-texts">{text}</script>'


def tallies_list_attrs(program: Program, lang: str, api_base: str) -> str:
    """A challenge list's attributes for participate.js: one GET /programs/{id}/tallies fills every card's count.

    A list of 20 cards would otherwise make 20 tally calls; the program route answers them in one (and at most
    one store call). The vote-count wording travels with the list, so the script holds no language of its own.
    """
    texts = json.dumps({"count": plural_forms(lang, VOTE_COUNT)}, ensure_ascii=False)
    return (
        f'data-dc-tallies="{escape(program.id)}" data-api="{escape(api_base)}" data-lang="{lang}" '
        f'data-dc-texts="{escape(texts)}"'
    )


def challenge_section(
    challenge: Challenge, program: Program, lang: str, api_base: str, now: dt.datetime, has_results: bool = False
) -> list[str]:
    """The page's "Take part" part: its Markdown heading (for the table of contents), then the HTML section.

    Once closed it says so once (the page's window sentence, or here when the file closed it early) and leads to
    the program's results when they are published.
    """
    t = Texts(lang, TEXT)
    here = urls.challenge_page(lang, program.id, challenge.id)
    api = f"{api_base}/challenges/{challenge.id}"
    # Forms work without JavaScript under FORM_PREFIX (the API's chalicelib/web/function_url.py: in production
    # CloudFront sends them to the function URL that takes bodies a browser cannot sign); the script calls `api`.
    form_api = f"{api_base}{FORM_PREFIX}/challenges/{challenge.id}"
    privacy = urls.relative(here, urls.url_of(urls.content_page(lang, "privacy")))
    taking_part = challenge.status == "open" and challenge.window.state(now) != "closed"
    parts = [
        f'<section class="dc-participate" id="participate" aria-labelledby="participate-title" data-pagefind-ignore '
        f'data-api="{escape(api_base)}" data-challenge="{escape(challenge.id)}" data-lang="{lang}" '
        f'data-dir="{direction(lang)}">',
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
            f'<form class="dc-vote" method="post" action="{escape(form_api)}/vote" data-dc="vote">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<button type="submit" name="intent" value="vote" class="md-button md-button--primary" '
            f'data-dc="vote-button">{escape(t["vote"])}</button> '
            f'<button type="submit" name="intent" value="withdraw" class="md-button" '
            f'data-dc="withdraw-button">{escape(t["withdraw"])}</button></form>',
            f'<p class="dc-note">{escape(t["verified" if program.verified else "cookie"])} '
            f'<a href="{escape(privacy)}">{escape(t["privacy"])}</a></p>',
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
            f'<form class="dc-comment-form" method="post" action="{escape(form_api)}/comments" data-dc="comment">'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<p class="dc-note">{escape(t[program.moderation])}</p>'
            f'<label for="dc-comment-text">{escape(t["comment_label"])}</label>'
            f'<textarea id="dc-comment-text" name="text" dir="auto" rows="5" required data-dc-limit="{LIMITS["comment"]}" '
            f'aria-describedby="dc-comment-help dc-comment-text-count"></textarea>'
            f'<p class="dc-help" id="dc-comment-help">{escape(help_text(lang, "comment_help"))}</p>'
            f"{_counter('dc-comment-text')}"
            f'<label for="dc-comment-name">{escape(t["name_label"])}</label>'
            f'<input id="dc-comment-name" type="text" name="display_name" dir="auto" maxlength="{LIMITS["display_name"]}" '
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
    t = Texts(lang, TEXT)
    here = urls.propose_page(lang, program.id)
    home = urls.url_of(urls.content_page(lang, "index"))
    program_url = urls.url_of(urls.program_home(lang, program.id))
    privacy = urls.relative(here, urls.url_of(urls.content_page(lang, "privacy")))
    themes = "".join(f'<option value="{k}">{escape(gettext(lang, v))}</option>' for k, v in THEMES.items())
    open_now = program.window.state(now) != "closed"
    form = (
        f'<form class="dc-propose" method="post" action="{escape(api_base)}{FORM_PREFIX}/programs/{program.id}/proposals" '
        f'data-dc="proposal"><input type="hidden" name="lang" value="{lang}">'
        f'<label for="dc-p-title">{escape(t["p_title"])}</label>'
        f'<input id="dc-p-title" name="title" dir="auto" required data-dc-limit="{LIMITS["proposal_title"]}" '
        f'aria-describedby="dc-p-title-help dc-p-title-count">'
        f'<p class="dc-help" id="dc-p-title-help">{escape(help_text(lang, "p_title_help"))}</p>'
        f"{_counter('dc-p-title')}"
        f'<label for="dc-p-description">{escape(t["p_description"])}</label>'
        f'<textarea id="dc-p-description" name="description" dir="auto" rows="8" required '
        f'data-dc-limit="{LIMITS["proposal_description"]}" '
        f'aria-describedby="dc-p-description-help dc-p-description-count"></textarea>'
        f'<p class="dc-help" id="dc-p-description-help">{escape(help_text(lang, "p_description_help"))}</p>'
        f"{_counter('dc-p-description')}"
        f'<label for="dc-p-theme">{escape(t["p_theme"])}</label>'
        f'<select id="dc-p-theme" name="theme"><option value="">{escape(t["p_theme_none"])}</option>{themes}</select>'
        f'<label for="dc-p-email">{escape(t["p_email"])}</label>'
        f'<input id="dc-p-email" name="email" type="email" dir="ltr" maxlength="{LIMITS["email"]}" autocomplete="email" '
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
                    f'<section class="dc-participate" data-api="{escape(api_base)}" data-lang="{lang}" '
                    f'data-dir="{direction(lang)}">',
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
