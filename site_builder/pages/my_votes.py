"""The "my votes" page: this browser's voter code, and a check of any code against the published vote logs.

The check runs in the resident's browser (assets/javascripts/myvotes.js) over the same vote-log.json anyone can
download, so a resident need not trust the server to find their own votes: the page recomputes each challenge's
entry, sha256(salt + token), as scripts/verify_tally.py does. The code comes from the API (GET /me/receipt), the
only place that sees the cookie. Without JavaScript: a link to the API's page that shows the code, and the way to
run the same check with verify_tally.py on the downloaded log.
"""

from __future__ import annotations

import json
from html import escape

from .. import urls
from ..blocks import Html, page
from ..i18n import N_, NP_, Texts, plural_forms
from ..model import Challenge, Program
from ..results import Results
from .common import front_matter, md_heading

NAME = "my-votes"  # the page's name among the content pages: content/<lang>/my-votes.md is reserved
LOG = "vote-log.json"

TEXT = {
    "title": N_("My voter code and my votes"),
    "intro": N_(
        "When you vote, this browser receives a voter code. Nobody else has it, not even the team: keep it, and once a consultation has closed you can check here that your votes are in the published vote log."
    ),
    "code_heading": N_("This browser's voter code"),
    "code_nojs": N_("Show this browser's voter code"),
    "code_loading": N_("Looking for this browser's voter code…"),
    "code_none": N_(
        "This browser has not voted yet (or its cookies were cleared), so it has no voter code. It receives one with its first vote."
    ),
    "code_label": N_("Your voter code:"),
    "code_keep": N_(
        "Write it down or copy it somewhere safe. Keep it to yourself: while this browser's cookie is valid, the code lets anyone vote in your name. The server does not keep it, so a lost code cannot be found again."
    ),
    "copy": N_("Copy the code"),
    "copied": N_("Code copied."),
    "copy_failed": N_("The code could not be copied: select it and copy it yourself."),
    "code_failed": N_("The voter code could not be loaded. Check your connection and try again."),
    "check_heading": N_("Check your votes in a published vote log"),
    "check_intro": N_(
        "When a consultation closes, the team publishes its vote log with the results: one fingerprint per vote, computed from the voter's code. Your browser computes the fingerprints of your code and looks for them in the log; the code is not sent anywhere."
    ),
    "program": N_("Consultation"),
    "code_field": N_("Voter code"),
    "code_hint": N_("28 letters and digits, in groups of four; upper or lower case, with or without dashes."),
    "check": N_("Check"),
    "checking": N_("Checking…"),
    "not_code": N_("This is not a voter code: it has 28 letters and digits, in groups of four."),
    "mistyped": N_(
        "One of the characters of this code is wrong (its last two characters are a check). Compare it with the code you wrote down."
    ),
    "none_found": N_(
        "No vote of this code is in the vote log of {program}. If you voted in this consultation, check that this is the code of the browser you voted with."
    ),
    "log_failed": N_("The vote log could not be loaded. Check your connection and try again."),
    "no_log": N_(
        "No vote log has been published yet: each consultation's log is published with its results once it has closed."
    ),
    "nojs": N_(
        "This check runs in your browser with JavaScript, which is turned off. You can do the same check on your computer: download the vote log, then run the verify_tally.py script (Python 3) with your code:"
    ),
    "download": N_("Vote log of {program}"),
    "script": N_("The verify_tally.py script"),
}
FOUND = NP_(
    "Your code voted for {n} challenge of {program}:",
    "Your code voted for {n} challenges of {program}:",
)
# Published next to each vote log (generate.py), so that the no-JS way needs nothing from another site.
SCRIPT = "verify_tally.py"


def render(
    by_program: list[tuple[Program, list[Challenge]]], results: dict[str, Results], lang: str, api_base: str
) -> str:
    """The code section (filled by myvotes.js, a link to the API's page without it) and the vote-log check."""
    here = urls.content_page(lang, NAME)
    t = Texts(lang, TEXT)
    title = t["title"]
    with_log = [(p, cs) for p, cs in by_program if p.id in results and LOG in results[p.id].files]
    texts = {key: t[key] for key in TEXT} | {"found": plural_forms(lang, FOUND)}
    receipt = f"{api_base}/me/receipt?format=html&lang={lang}"
    code = (
        f'<section class="dc-myvotes" data-dc-myvotes data-api="{escape(api_base)}" data-lang="{lang}">'
        f'<script type="application/json" class="dc-texts">{_json(texts)}</script>'
        f'<p class="dc-myvotes__nojs"><a href="{escape(receipt)}">{escape(t["code_nojs"])}</a></p>'
        '<div class="dc-myvotes__code" data-dc="code" role="status" hidden></div>'
        "</section>"
    )
    parts: list[str] = [
        front_matter(title, searchable=False),
        md_heading(title),
        "\n",
        Html(f"<p>{escape(t['intro'])}</p>"),
        "\n",
        md_heading(t["code_heading"], 2, "code"),
        "\n",
        Html(code),
        "\n",
        md_heading(t["check_heading"], 2, "check"),
        "\n",
    ]
    if not with_log:
        parts.append(Html(f"<p>{escape(t['no_log'])}</p>"))
        return page(parts)
    logs = {}
    for p, challenges in with_log:
        shown = p.shown_in(lang)
        logs[p.id] = {
            "title": p.title[shown],
            "log": urls.relative(here, urls.results_file(p.id, LOG)),
            "script": urls.relative(here, urls.results_file(p.id, SCRIPT)),
            "challenges": {
                c.id: [c.title[shown], urls.relative(here, urls.url_of(urls.challenge_page(shown, p.id, c.id)))]
                for c in challenges
            },
        }
    options = "".join(f'<option value="{escape(p)}">{escape(entry["title"])}</option>' for p, entry in logs.items())
    choose = (
        f'<p><label for="dc-check-program">{escape(t["program"])}</label>'
        f'<select id="dc-check-program" name="program">{options}</select></p>'
        if len(with_log) > 1
        else f'<input type="hidden" name="program" value="{escape(with_log[0][0].id)}">'
    )
    form = (
        f"<p>{escape(t['check_intro'])}</p>"
        f'<form class="dc-votecheck" data-dc="check" hidden>{choose}'
        f'<p><label for="dc-check-code">{escape(t["code_field"])}</label>'
        '<input id="dc-check-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" '
        'aria-describedby="dc-check-hint" required>'
        f'<span class="dc-help" id="dc-check-hint">{escape(t["code_hint"])}</span></p>'
        f'<p><button class="md-button md-button--primary" type="submit">{escape(t["check"])}</button></p>'
        '<div class="dc-live" data-dc="result" role="status"></div>'
        "</form>"
    )
    downloads = "".join(
        f'<li><a href="{escape(entry["log"])}" download>{escape(t["download"].format(program=entry["title"]))}</a></li>'
        for entry in logs.values()
    )
    nojs = (
        f'<div class="dc-votecheck__nojs" data-dc="nojs"><p>{escape(t["nojs"])}</p><ul>{downloads}'
        f'<li><a href="{escape(next(iter(logs.values()))["script"])}" download>{escape(t["script"])}</a></li></ul>'
        "<pre><code>python3 verify_tally.py vote-log.json --token XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX</code></pre></div>"
    )
    parts.append(
        Html(
            f'<section class="dc-myvotes-check" data-dc-votecheck>'
            f'<script type="application/json" class="dc-logs">{_json(logs)}</script>{form}{nojs}</section>'
        )
    )
    return page(parts)


def _json(data: object) -> str:
    """JSON for a data block: `<` escaped, so no text can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
