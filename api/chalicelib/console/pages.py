"""The console's pages: plain HTML forms (every action works without JavaScript), in the API's page shell.

Links and forms use the viewer's paths (/staff/...): the site's origin sends /staff/* to the API's /console/*
(api/serve.py locally, a CloudFront function in production).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import urlencode

from ..imports.rules import SOURCE_MAX_CHARS
from ..kernel.catalog import Vocabulary
from ..kernel.messages import direction, text
from ..moderation.rules import COMMENT_TRANSITIONS, STATUS_WORDS
from ..staff_access.rules import NAME_MAX_CHARS
from ..web.pages import STYLE, day
from .text import LANGUAGE_NAMES, words

BASE = "/staff"
EXTRA_STYLE = (
    "header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;"
    "border-bottom:1px solid #c5cbd1;padding-bottom:.5rem}header form{margin:0}header button{margin:0}"
    "main p{overflow-wrap:anywhere}.product{font-weight:700}.notice{border-inline-start:.3rem solid #0b5c44;padding:.2rem .8rem;background:#e7f4ee}"
    "blockquote{margin:.5rem 0;padding:.3rem .8rem;border-inline-start:.3rem solid #c5cbd1;white-space:pre-wrap;"
    "overflow-wrap:anywhere}dl{display:grid;grid-template-columns:auto auto;gap:.2rem 1rem;justify-content:start}"
    "dt{font-weight:600}dd{margin:0}fieldset{border:1px solid #c5cbd1;border-radius:.25rem;margin:.5rem 0}"
    ".scroll{overflow-x:auto}td{text-align:start}legend{font-weight:600}.choice{display:inline-flex;gap:.3rem;align-items:center;margin-inline-end:1rem;"
    "font-weight:400}.choice input{width:auto}"
    "article.token{border-top:1px solid #c5cbd1;padding:.3rem 0 .6rem}"
    ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}"
)


# Where the site's versioned console stylesheet and script go (routes.py fills it from the catalog): the inline
# style before it keeps every page readable, and every form working, without them.
ASSETS_SLOT = "<!--console-assets-->"


def assets(found: dict[str, str]) -> str:
    """The <link> and <script> of the site's console files (same origin, names that change with their content)."""
    tags = ""
    if found.get("stylesheet"):
        tags += f'<link rel="stylesheet" href="/{escape(found["stylesheet"])}">'
    if found.get("script"):
        tags += f'<script src="/{escape(found["script"])}" defer></script>'
    return tags


def url(path: str, lang: str, **query: str) -> str:
    return f"{BASE}{path}?{urlencode({'lang': lang, **query})}"


def shell(lang: str, title: str, body: str, *, who: str | None = None, csrf: str | None = None, here: str = "/") -> str:
    """A whole page: the product's header (language switch, sign-out), the title, the body."""
    t = words(lang)
    other = "en" if lang == "fr" else "fr"
    header = f'<span class="product">{escape(t["product"])}</span>'
    header += (
        f'<a href="{escape(url(here, other))}" lang="{other}" hreflang="{other}">{escape(LANGUAGE_NAMES[other])}</a>'
    )
    if who is not None and csrf is not None:
        header += (
            f"<span>{escape(t['signed_in_as'].format(name=who))}</span>"
            f'<form method="post" action="{BASE}/sign-out">{hidden(lang, csrf)}'
            f'<button type="submit">{escape(t["sign_out"])}</button></form>'
        )
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(title)} · {escape(t["product"])}</title>'
        f"<style>{STYLE}{EXTRA_STYLE}</style>{ASSETS_SLOT}</head>"
        f'<body><a href="#main">{escape(t["skip"])}</a><header>{header}</header>'
        f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )


def hidden(lang: str, csrf: str) -> str:
    return f'<input type="hidden" name="lang" value="{lang}"><input type="hidden" name="csrf" value="{escape(csrf)}">'


def notice(message: str | None) -> str:
    return f'<p class="notice" role="status">{escape(message)}</p>' if message else ""


def sign_in_page(lang: str, csrf: str, message: str | None = None, error: str | None = None) -> str:
    t = words(lang)
    body = notice(message)
    if error:
        body += f'<p class="error" role="alert" id="sign-in-error">{escape(error)}</p>'
    described = ' aria-describedby="sign-in-error"' if error else ""
    body += (
        f"<p>{escape(t['sign_in_intro'])}</p>"
        f'<form method="post" action="{BASE}/sign-in">{hidden(lang, csrf)}'
        f'<label for="token">{escape(t["token"])}</label>'
        f'<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required{described}>'
        f'<button type="submit">{escape(t["sign_in_button"])}</button></form>'
    )
    return shell(lang, t["sign_in"], body)


def programs_page(lang: str, who: str, csrf: str, programs: list, message: str | None = None) -> str:
    t = words(lang)
    items = "".join(
        f'<li><a href="{escape(url(f"/programs/{p.id}", lang))}">{escape(p.title.get(lang, p.id))}</a></li>'
        for p in programs
    )
    body = notice(message) + (f"<ul>{items}</ul>" if items else f"<p>{escape(t['no_programs'])}</p>")
    return shell(lang, t["programs"], body, who=who, csrf=csrf)


def overview_page(lang: str, who: str, csrf: str, view: dict) -> str:
    t = words(lang)
    program, record = view["program"], view["record"]
    window = t["window"].format(
        opens=day(lang, program.window.opens.isoformat()),
        # The window's end is exclusive: its last day is the one before.
        closes=day(lang, (program.window.closes - dt.timedelta(microseconds=1)).isoformat()),
    )
    proposals = record["proposals"]
    rows = [
        (t["challenges"], str(len(view["challenges"]))),
        (t["votes"], str(view["votes"])),
        (t["published"], str(record["moderation"]["published"])),
        (t["proposals_received"], str(proposals["received"])),
        (t["proposals_approved"], str(proposals["approved"])),
        (t["proposals_rejected"], str(proposals["rejected"])),
    ]
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    queues = "".join(
        f'<li><a href="{escape(url(f"/programs/{program.id}/queue", lang, kind=kind))}">'
        f"{escape(t['queue_' + kind])} ({escape(count)})</a></li>"
        for kind, count in view["queues"].items()
    )
    pid = program.id
    downloads = "".join(
        f'<li><a href="{BASE}/programs/{escape(pid)}/{name}?lang={lang}" download>{escape(t[key])}</a></li>'
        for name, key in (
            ("results.json", "results_json"),
            ("vote-log.json", "vote_log_json"),
            ("audit.json", "audit_json"),
        )
    )
    queues += f'<li><a href="{escape(url(f"/programs/{pid}/audit", lang))}">{escape(t["audit"])}</a></li>'
    queues += f'<li><a href="{escape(url(f"/programs/{pid}/imports", lang))}">{escape(t["imports"])}</a></li>'
    if view.get("may_manage_tokens"):
        queues += f'<li><a href="{escape(url(f"/programs/{pid}/tokens", lang))}">{escape(t["tokens"])}</a></li>'
    body = (
        f"<p>{escape(window)}</p><h2>{escape(t['overview'])}</h2><dl>{facts}</dl><ul>{queues}</ul>"
        f"<h2>{escape(t['downloads'])}</h2><ul>{downloads}</ul>"
        f'<p><a href="{escape(url("/", lang))}">{escape(t["back_programs"])}</a></p>'
    )
    return shell(lang, program.title.get(lang, program.id), body, who=who, csrf=csrf, here=f"/programs/{program.id}")


def queue_page(
    lang: str, who: str, csrf: str, program, page: dict, vocabulary: Vocabulary, challenges: dict, message: str | None
) -> str:
    t = words(lang)
    kind = page["kind"]
    here = f"/programs/{program.id}/queue"
    articles = [
        proposal_summary(lang, item, vocabulary)
        if kind == "proposals"
        else comment_article(lang, csrf, item, vocabulary, challenges, kind)
        for item in page["items"]
    ]
    body = notice(message) + ("".join(articles) if articles else f"<p>{escape(t['empty_queue'])}</p>")
    if page.get("next"):
        body += (
            f'<p><a href="{escape(url(here, lang, kind=kind, cursor=page["next"]))}">{escape(t["next_page"])}</a></p>'
        )
    body += f'<p><a href="{escape(url(f"/programs/{program.id}", lang))}">{escape(t["back_program"])}</a></p>'
    title = f"{t['queue_' + kind]} · {program.title.get(lang, program.id)}"
    return shell(lang, title, body, who=who, csrf=csrf, here=f"{here}?kind={kind}".split("?")[0])


def comment_article(lang: str, csrf: str, item: dict, vocabulary: Vocabulary, challenges: dict, kind: str) -> str:
    t = words(lang)
    cid = item["id"]
    challenge = challenges.get(item.get("challenge"))
    challenge_title = challenge.title.get(lang, challenge.id) if challenge else item.get("challenge", "")
    status_word = text(lang, STATUS_WORDS.get(item["status"], item["status"]))
    meta = [
        t["sent"].format(at=day(lang, item["created_at"])),
        t["by"].format(name=item["display_name"]) if item.get("display_name") else t["anonymous"],
        t["status"].format(status=status_word),
    ]
    reports = ""
    if item.get("reports"):
        reasons = "".join(
            f"<li>{escape(t['report_reason'].format(n=n, reason=vocabulary.report_reasons.get(r, {}).get(lang, r)))}</li>"
            for r, n in item.get("report_reasons", {}).items()
        )
        reports = f"<p>{escape(t['reports'].format(n=item['reports']))}</p><ul>{reasons}</ul>"
    actions = [a for (status, a) in COMMENT_TRANSITIONS if status == item["status"]]
    if item["status"] == "published" and not item.get("reports"):
        actions = [a for a in actions if a != "approve"]
    choices = "".join(
        f'<label class="choice"><input type="radio" name="action" value="{a}" required> {escape(t[a])}</label>'
        for a in actions
    )
    reasons_options = f'<option value="">{escape(t["no_reason"])}</option>' + "".join(
        f'<option value="{escape(r)}">{escape(words[lang])}</option>'
        for r, words in vocabulary.moderation_reasons.items()
    )
    form = (
        f'<form method="post" action="{BASE}/comments/{escape(cid)}/decision">{hidden(lang, csrf)}'
        f'<input type="hidden" name="kind" value="{escape(kind)}">'
        f"<fieldset><legend>{escape(t['decide'])}</legend>{choices}</fieldset>"
        f'<label for="reason-{cid}">{escape(t["reason"])}</label>'
        f'<select id="reason-{cid}" name="reason">{reasons_options}</select>'
        f'<label for="note-{cid}">{escape(t["note"])}</label><textarea id="note-{cid}" name="note" rows="2"></textarea>'
        f'<button type="submit">{escape(t["apply"])}</button></form>'
    )
    return (
        f'<article id="c-{escape(cid)}" aria-labelledby="h-{escape(cid)}">'
        f'<h2 id="h-{escape(cid)}">{escape(t["challenge_of"].format(title=challenge_title))}</h2>'
        f"<p>{escape(' · '.join(meta))}</p><blockquote>{escape(item['text'])}</blockquote>{reports}{form}</article>"
    )


def _theme(lang: str, item: dict, vocabulary: Vocabulary) -> str:
    t = words(lang)
    theme = item.get("theme")
    return t["theme"].format(theme=vocabulary.themes.get(theme, {}).get(lang, theme) if theme else t["no_theme"])


def proposal_summary(lang: str, item: dict, vocabulary: Vocabulary) -> str:
    t = words(lang)
    pid = escape(item["id"])
    link = url(f"/proposals/{item['id']}", lang)
    return (
        f'<article aria-labelledby="h-{pid}"><h2 id="h-{pid}">{escape(item["title"])}</h2>'
        f"<p>{escape(t['sent'].format(at=day(lang, item['created_at'])))} · {escape(_theme(lang, item, vocabulary))}</p>"
        f"<blockquote>{escape(item['description'])}</blockquote>"
        f'<p><a href="{escape(link)}">{escape(t["open_proposal"])}</a></p></article>'
    )


def proposal_page(
    lang: str,
    who: str,
    csrf: str,
    item: dict,
    vocabulary: Vocabulary,
    email: str | None,
    drafted: dict | None = None,
) -> str:
    """A proposal in full, its decision form, the proposer's email only once asked for (audited), and once approved
    the draft challenge file for a pull request (`drafted`: the draft or its problem, and what staff chose)."""
    t = words(lang)
    pid = item["id"]
    status_word = text(lang, STATUS_WORDS.get(item["status"], item["status"]))
    body = (
        f"<p>{escape(t['sent'].format(at=day(lang, item['created_at'])))} · {escape(_theme(lang, item, vocabulary))}"
        f" · {escape(t['status'].format(status=status_word))}</p><blockquote>{escape(item['description'])}</blockquote>"
    )
    if email is not None:
        body += f'<p class="notice" role="status">{escape(t["email_is"].format(email=email))}</p>'
    elif item.get("has_contact"):
        body += (
            f"<p>{escape(t['has_contact'])} {escape(t['reveal_note'])}</p>"
            f'<form method="post" action="{BASE}/proposals/{escape(pid)}/email">{hidden(lang, csrf)}'
            f'<button type="submit">{escape(t["reveal"])}</button></form>'
        )
    else:
        body += f"<p>{escape(t['no_contact'])}</p>"
    if item["status"] == "pending":
        choices = "".join(
            f'<label class="choice"><input type="radio" name="action" value="{a}" required> {escape(t[a])}</label>'
            for a in ("approve", "reject")
        )
        options = f'<option value="">{escape(t["no_reason"])}</option>' + "".join(
            f'<option value="{escape(r)}">{escape(words[lang])}</option>'
            for r, words in vocabulary.moderation_reasons.items()
        )
        body += (
            f'<form method="post" action="{BASE}/proposals/{escape(pid)}/decision">{hidden(lang, csrf)}'
            f"<fieldset><legend>{escape(t['decide'])}</legend>{choices}</fieldset>"
            f'<label for="reason">{escape(t["reason"])}</label><select id="reason" name="reason">{options}</select>'
            f'<label for="note">{escape(t["note"])}</label><textarea id="note" name="note" rows="2"></textarea>'
            f'<button type="submit">{escape(t["apply"])}</button></form>'
        )
    if drafted is not None:
        body += draft_section(lang, item, vocabulary, drafted)
    back = url(f"/programs/{item['program']}/queue", lang, kind="proposals")
    body += f'<p><a href="{escape(back)}">{escape(t["back_program"])}</a></p>'
    return shell(
        lang,
        f"{t['proposal']} : {item['title']}" if lang == "fr" else f"{t['proposal']}: {item['title']}",
        body,
        who=who,
        csrf=csrf,
        here=f"/proposals/{pid}",
    )


def draft_section(lang: str, item: dict, vocabulary: Vocabulary, drafted: dict) -> str:
    """The draft challenge file (the staff API's, as `datacity proposal to-challenge` writes it), its download, and
    how to propose it in a pull request from GitHub's web pages, step by step, without any tool to install."""
    t = words(lang)
    pid = item["id"]
    found, wanted = drafted.get("draft"), drafted.get("wanted", {})
    body = f'<section aria-labelledby="draft-h"><h2 id="draft-h">{escape(t["draft_title"])}</h2>'
    body += f"<p>{escape(t['draft_intro'])}</p>"
    if drafted.get("error"):
        body += f'<p class="error" role="alert" id="draft-error">{escape(drafted["error"])}</p>'
    theme = wanted.get("theme") or item.get("theme") or ""
    options = "".join(
        f'<option value="{escape(k)}"{" selected" if k == theme else ""}>{escape(words.get(lang, k))}</option>'
        for k, words in vocabulary.themes.items()
    )
    slug = found["id"] if found else wanted.get("id") or ""
    body += (
        f'<form method="get" action="{BASE}/proposals/{escape(pid)}#draft-h"><input type="hidden" name="lang" '
        f'value="{lang}"><label for="draft-id">{escape(t["draft_id"])}</label>'
        f'<input id="draft-id" name="id" value="{escape(slug)}" spellcheck="false" autocomplete="off">'
        f'<label for="draft-theme">{escape(t["draft_theme"])}</label><select id="draft-theme" name="theme">'
        f'<option value="">{escape(t["no_theme"])}</option>{options}</select>'
        f'<label for="draft-sdgs">{escape(t["draft_sdgs"])}</label>'
        f'<input id="draft-sdgs" name="sdgs" value="{escape(wanted.get("sdgs") or "")}" inputmode="numeric" '
        f'placeholder="11">'
        f'<button type="submit">{escape(t["draft_again"])}</button></form>'
    )
    if found:
        query = {k: v for k, v in wanted.items() if v}
        name = f"{found['id']}.md"
        folder = found["path"].rsplit("/", 1)[0] + "/"
        steps = "".join(
            f"<li>{step}</li>"
            for step in (
                escape(t["step_download"].format(name=name)),
                escape(t["step_folder"]).format(folder=f"<code>{escape(folder)}</code>"),
                escape(t["step_upload"]),
                escape(t["step_branch"]),
                escape(t["step_checks"]),
                escape(t["step_merge"]),
            )
        )
        body += (
            f"<p>{escape(t['draft_path'])} <code>{escape(found['path'])}</code></p>"
            f'<p><a href="{escape(url(f"/proposals/{pid}/challenge.md", lang, **query))}" download="{escape(name)}">'
            f"{escape(t['draft_download'].format(name=name))}</a></p>"
            f'<h3 id="steps-h">{escape(t["steps_title"])}</h3><ol aria-labelledby="steps-h">{steps}</ol>'
            f'<label for="draft-text">{escape(t["draft_text"])}</label>'
            f'<textarea id="draft-text" readonly rows="14" spellcheck="false">{escape(found["text"])}</textarea>'
            f"<p>{escape(t['draft_cli'].format(id=pid))}</p>"
        )
    return body + "</section>"


def audit_page(lang: str, who: str, csrf: str, program, page: dict) -> str:
    t = words(lang)
    rows = "".join(
        f"<tr><td>{escape(e['at'][:19].replace('T', ' '))}</td><td>{escape(e['actor']['name'] or e['actor']['token'])}"
        f"</td><td>{escape(e['action'])}</td><td>{escape(e['target'])}</td><td>{escape(e['reason'] or '')}</td>"
        f"<td>{escape(e['note'] or '')}</td></tr>"
        for e in page["entries"]
    )
    heads = "".join(f'<th scope="col">{escape(t[k])}</th>' for k in ("at", "who", "what", "target"))
    heads += f'<th scope="col">{escape(t["reason"].split(" (")[0])}</th><th scope="col">{escape(t["note"].split(" (")[0])}</th>'
    here = f"/programs/{program.id}/audit"
    body = (
        f'<div class="scroll" tabindex="0" role="region" aria-label="{escape(t["audit"])}"><table><thead><tr>{heads}'
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
        if rows
        else f"<p>{escape(t['empty_audit'])}</p>"
    )
    if page.get("next"):
        body += f'<p><a href="{escape(url(here, lang, cursor=page["next"]))}">{escape(t["next_page"])}</a></p>'
    body += f'<p><a href="{escape(url(f"/programs/{program.id}", lang))}">{escape(t["back_program"])}</a></p>'
    return shell(lang, f"{t['audit']} · {program.title.get(lang, program.id)}", body, who=who, csrf=csrf, here=here)


def import_page(
    lang: str,
    who: str,
    csrf: str,
    program,
    problems: list[dict] | None = None,
    message: str | None = None,
    source: str = "",
    error: str | None = None,
) -> str:
    """The upload form; after a refused file, each problem with its line, and the source given back."""
    t = words(lang)
    body = notice(message)
    if error:
        body += f'<p class="error" role="alert">{escape(error)}</p>'
    if problems:
        colon = " : " if lang == "fr" else ": "
        items = "".join(
            "<li>"
            + (escape(t["line"].format(line=p["line"]) + colon) if p.get("line") else "")
            + (escape(p["field"] + " — ") if p.get("field") else "")
            + escape(p["message"])
            + "</li>"
            for p in problems
        )
        body += f'<div class="error" role="alert" id="problems"><p>{escape(t["problems"])}</p><ul>{items}</ul></div>'
    body += (
        f"<p>{escape(t['import_intro'])}</p>"
        f'<form method="post" action="{BASE}/programs/{escape(program.id)}/imports" enctype="multipart/form-data">'
        f"{hidden(lang, csrf)}"
        f'<label for="source">{escape(t["source"])}</label>'
        f'<input id="source" name="source" required maxlength="{SOURCE_MAX_CHARS}" value="{escape(source)}">'
        f'<label for="file">{escape(t["file"])}</label><input id="file" name="file" type="file" accept=".csv,text/csv" required>'
        f'<button type="submit">{escape(t["import_button"])}</button></form>'
        f'<p><a href="{escape(url(f"/programs/{program.id}", lang))}">{escape(t["back_program"])}</a></p>'
    )
    return shell(
        lang,
        f"{t['imports']} · {program.title.get(lang, program.id)}",
        body,
        who=who,
        csrf=csrf,
        here=f"/programs/{program.id}/imports",
    )


def error_page(lang: str, message: str, back: str, who: str | None = None, csrf: str | None = None) -> str:
    t = words(lang)
    body = (
        f'<p class="error" role="alert">{escape(message)}</p><p><a href="{escape(back)}">{escape(t["again"])}</a></p>'
    )
    return shell(lang, t["error_title"], body, who=who, csrf=csrf)


def tokens_page(
    lang: str,
    who: str,
    csrf: str,
    program,
    records: list,
    programs: list,
    message: str | None = None,
    created: tuple[str, dict] | None = None,
    error: str | None = None,
) -> str:
    """The program's staff tokens (never their hashes), a revoke button each, and the form for a new one.

    `created`: a token just made, shown this once (the answer of the form's post, never a URL or a later page).
    """
    t = words(lang)
    pid = program.id
    titles = {p.id: p.title.get(lang, p.id) for p in programs}
    body = notice(message)
    if error:
        body += f'<p class="error" role="alert">{escape(error)}</p>'
    if created is not None:
        token, record = created
        body += (
            f'<section class="notice" aria-labelledby="new-token-h"><h2 id="new-token-h">'
            f"{escape(t['token_created'].format(name=record['name']))}</h2><p>{escape(t['token_once'])}</p>"
            f'<label for="new-token">{escape(t["token"])}</label>'
            f'<input id="new-token" readonly value="{escape(token)}" spellcheck="false" autocomplete="off"></section>'
        )
    # One card per token, not a table: seven columns do not fit a phone, and each card keeps its revoke button.
    cards = ""
    for r in records:
        state = t["revoked_on"].format(at=day(lang, r.revoked_at)) if r.revoked else t["active"]
        facts = [
            (t["token_id"], f"<code>{escape(r.id)}</code>"),
            (t["token_programs"], escape(", ".join(titles.get(p, p) for p in r.programs))),
            (t["rights"], escape(t["may_manage_tokens"] if r.may_manage_tokens else "—")),
            (t["created"], escape(day(lang, r.created_at) if r.created_at else "—")),
            (t["state"], escape(state)),
        ]
        action = (
            ""
            if r.revoked
            else f'<form method="post" action="{BASE}/programs/{escape(pid)}/tokens/{escape(r.id)}/revoke">'
            f'{hidden(lang, csrf)}<button type="submit" data-confirm="{escape(t["revoke_confirm"].format(name=r.name))}">'
            f'{escape(t["revoke"])}<span class="visually-hidden"> {escape(r.name)}</span></button></form>'
        )
        cards += (
            f'<article class="token" aria-labelledby="t-{escape(r.id)}"><h3 id="t-{escape(r.id)}">{escape(r.name)}</h3>'
            f"<dl>{''.join(f'<dt>{escape(k)}</dt><dd>{v}</dd>' for k, v in facts)}</dl>{action}</article>"
        )
    body += f'<h2 id="list-h">{escape(t["tokens"])}</h2>'
    body += cards or f"<p>{escape(t['no_tokens'])}</p>"
    choices = "".join(
        f'<label class="choice"><input type="checkbox" name="program-{escape(p.id)}" value="on"'
        f"{' checked' if p.id == pid else ''}> {escape(titles[p.id])}</label>"
        for p in programs
    )
    body += (
        f'<h2 id="new-h">{escape(t["new_token"])}</h2><p>{escape(t["new_token_intro"])}</p>'
        f'<form method="post" action="{BASE}/programs/{escape(pid)}/tokens" aria-labelledby="new-h">{hidden(lang, csrf)}'
        f'<label for="name">{escape(t["token_name_field"])}</label>'
        f'<input id="name" name="name" required maxlength="{NAME_MAX_CHARS}" autocomplete="off">'
        f"<fieldset><legend>{escape(t['token_programs'])}</legend>{choices}</fieldset>"
        f"<fieldset><legend>{escape(t['rights'])}</legend>"
        f'<label class="choice"><input type="checkbox" name="manage-tokens" value="on"> '
        f"{escape(t['may_manage_tokens'])}</label></fieldset>"
        f'<button type="submit">{escape(t["create_token"])}</button></form>'
        f'<p><a href="{escape(url(f"/programs/{pid}", lang))}">{escape(t["back_program"])}</a></p>'
    )
    return shell(
        lang,
        f"{t['tokens']} · {program.title.get(lang, pid)}",
        body,
        who=who,
        csrf=csrf,
        here=f"/programs/{pid}/tokens",
    )
