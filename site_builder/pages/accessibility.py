"""The RGAA accessibility statement, made at build time from content/site.yml (the body, its contact, its plan)
and from the automated checks that ran (content/accessibility-checks.json), so it is never older than they are.

Its parts are those of the RGAA statement model: the status in legal wording, when it was made and how, the
non-conformities and derogations, feedback and contact, the recourse, and the multi-year plan with the year's
actions. The status is chosen from an audit's rate and the checks' findings, never above what they show.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from ..i18n import N_, NP_, Plural, date, gettext, nt, number
from ..vocabulary import SITE_NAME
from .common import md_heading
from .program import mail_link

RGAA = "RGAA 4.1.2"
# The statuses' legal wording (RGAA, art. 47 of the law of 11 February 2005) stays in French in every language:
# it is what the law recognises; each language adds its own words next to it.
STATUS_LEGAL = {"none": "non conforme", "partial": "partiellement conforme", "full": "totalement conforme"}

TEXT: dict[str, str | Plural] = {
    "commitment": N_(
        "{publisher} is committed to making this site accessible, in accordance with article 47 of French law "
        "no. 2005-102 of 11 February 2005. This statement applies to the site {site}."
    ),
    "status": N_("Compliance status"),
    "status_none": N_("non-compliant"),
    "status_partial": N_("partially compliant"),
    "status_full": N_("fully compliant"),
    "status_sentence": N_(
        "This site is {status} (in French law, “{legal}”) with {rgaa}, the French accessibility standard."
    ),
    "why_no_audit": N_(
        "No audit of the site against every RGAA criterion has been made yet: without one, the law does not let "
        "us call the site compliant, even in part. The automated checks below find no more than part of the "
        "problems."
    ),
    "why_audit": N_("The audit by {by}, delivered on {date}, found {rate} % of the RGAA criteria met."),
    "why_violations": NP_(
        "The automated checks of {date} found {n} problem on the pages listed below.",
        "The automated checks of {date} found {n} problems on the pages listed below.",
    ),
    "made": N_("Making of this statement"),
    "made_on": N_(
        "This statement was made on {date}, from the automated checks that ran on the site that day; the site "
        "was built on {built}."
    ),
    "tools": N_("Tools used"),
    "tool_result": NP_("{tool}: {pages} on {date}, {n} problem found", "{tool}: {pages} on {date}, {n} problems found"),
    "pages_checked": NP_("{n} page checked", "{n} pages checked"),
    "tested_pages": N_("Pages checked"),
    "tested_pages_intro": N_("Each page, in each language, at {widths} pixels wide, with the rules of {standard}:"),
    "page_result_none": N_("no problem found"),
    "page_result": NP_("{n} problem: {rules}", "{n} problems: {rules}"),
    "results": N_("Test results"),
    "results_sentence": NP_(
        "{pages}, {n} problem found by the automated checks.",
        "{pages}, {n} problems found by the automated checks.",
    ),
    "page_checks": NP_("{n} page check", "{n} page checks"),
    "not_accessible": N_("Non-accessible content"),
    "non_conformities": N_("Non-conformities"),
    "derogations": N_("Derogations for disproportionate burden"),
    "none": N_("None."),
    "exempt": N_("Content not subject to the accessibility obligation"),
    "contact": N_("Feedback and contact"),
    "contact_sentence": N_(
        "If you cannot reach a content or a service, write to {email} and say which page and what happened: we "
        "will answer and give you the information in another form."
    ),
    "recourse": N_("Recourse"),
    "recourse_intro": N_(
        "If you told us of an accessibility problem that kept you from a content or a service and did not get a "
        "satisfying answer, you may refer the matter to the Défenseur des droits:"
    ),
    "recourse_online": N_("online, with the contact form of the Défenseur des droits ({url});"),
    "recourse_delegate": N_("by meeting a delegate of the Défenseur des droits in your area ({url});"),
    "recourse_phone": N_("by phone: {phone} (Monday to Friday, 8:30 to 19:30);"),
    "recourse_mail": N_("by post, free of charge and without a stamp: {address}."),
    "plan": N_("Multi-year plan {period}"),
    "actions": N_("Action plan {year}"),
}

DEFENSEUR = {
    "form": "https://formulaire.defenseurdesdroits.fr",
    "delegates": "https://www.defenseurdesdroits.fr/carte-des-delegues",
    "phone": "09 69 39 00 00",
    "address": "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
}


def text(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang`; one marked NP_ takes the plural form CLDR gives the count `n`."""
    message = TEXT[key]
    if isinstance(message, tuple):
        n = values.pop("n")
        return nt(lang, message, n, **values)  # type: ignore[arg-type]
    translated = gettext(lang, message)
    return translated.format(**values) if values else translated


def status(accessibility: dict[str, Any], checks: dict[str, Any]) -> str:
    """'none', 'partial' or 'full': full only with an audit meeting every criterion and no problem found since;
    partial from half of the criteria; without an audit, none (the law counts a site never audited as such)."""
    audit = accessibility.get("audit")
    if not audit:
        return "none"
    if audit["rate"] == 100 and checks.get("violations", 0) == 0:
        return "full"
    return "partial" if audit["rate"] >= 50 else "none"


def _tool(lang: str, tool: dict) -> str:
    """A tool and its version; for the page checkers (scripts/check_pages.py), what they checked and found, when."""
    name = f"{tool['name']} {tool['version']}"
    if "pages" not in tool:
        return name
    return text(
        lang,
        "tool_result",
        tool=name,
        pages=text(lang, "pages_checked", n=tool["pages"]),
        n=tool["problems"],
        date=date(lang, dt.date.fromisoformat(tool["date"])),
    )


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def render(site, lang: str, built: dt.datetime) -> str:
    """The statement's HTML, put where the accessibility page has its marker."""
    a11y, checks = site.accessibility, site.checks
    checked_on = dt.date.fromisoformat(checks["date"])
    level = status(a11y, checks)
    out = [_heading(text(lang, "status"), 2, "status")]
    out.append(
        f"<p>{escape(text(lang, 'commitment', publisher=site.publisher[lang], site=gettext(lang, SITE_NAME)))}</p>"
    )
    # The legal words are French in every language: marked as such for screen readers (WCAG 3.1.2).
    legal = f'<span lang="fr">{STATUS_LEGAL[level]}</span>'
    sentence = escape(text(lang, "status_sentence", status=text(lang, f"status_{level}"), legal="{legal}", rgaa=RGAA))
    out.append(f'<p class="dc-statement__status"><strong>{sentence.format(legal=legal)}</strong></p>')
    audit = a11y.get("audit")
    if audit:
        out.append(
            f"<p>{escape(text(lang, 'why_audit', by=audit['by'], date=date(lang, audit['date']), rate=number(lang, audit['rate'])))}</p>"
        )
    else:
        out.append(f"<p>{escape(text(lang, 'why_no_audit'))}</p>")
    if checks["violations"]:
        out.append(
            f"<p>{escape(text(lang, 'why_violations', date=date(lang, checked_on), n=checks['violations']))}</p>"
        )

    out.append(_heading(text(lang, "made"), 2, "made"))
    out.append(f"<p>{escape(text(lang, 'made_on', date=date(lang, checked_on), built=date(lang, built)))}</p>")
    out.append(_heading(text(lang, "tools"), 3, "tools"))
    out.append(_list([escape(_tool(lang, t)) for t in checks["tools"]]))
    out.append(_heading(text(lang, "tested_pages"), 3, "tested-pages"))
    widths = sorted({p["width"] for p in checks["pages"]})
    out.append(
        "<p>"
        + escape(
            text(
                lang,
                "tested_pages_intro",
                widths=" / ".join(number(lang, w) for w in widths),
                standard=checks["standard"],
            )
        )
        + "</p>"
    )
    by_path: dict[str, list[dict]] = {}
    for page in checks["pages"]:
        by_path.setdefault(page["path"], []).append(page)
    rows = []
    for path, runs in by_path.items():
        found = sum(v["nodes"] for run in runs for v in run["violations"])
        rules = sorted({v["rule"] for run in runs for v in run["violations"]})
        result = text(lang, "page_result", n=found, rules=", ".join(rules)) if found else text(lang, "page_result_none")
        rows.append(f"<code>{escape(path)}</code> — {escape(result)}")
    out.append(_list(rows))
    out.append(_heading(text(lang, "results"), 3, "results"))
    out.append(
        f"<p>{escape(text(lang, 'results_sentence', pages=text(lang, 'page_checks', n=len(checks['pages'])), n=checks['violations']))}</p>"
    )

    out.append(_heading(text(lang, "not_accessible"), 2, "not-accessible"))
    out.append(_heading(text(lang, "non_conformities"), 3, "non-conformities"))
    known = [escape(item) for item in a11y["non_conformities"][lang]]
    known += [
        escape(f"{page['path']} ({page['width']} px): {v['help']} ({v['rule']})")
        for page in checks["pages"]
        for v in page["violations"]
    ]
    out.append(_list(known) if known else f"<p>{escape(text(lang, 'none'))}</p>")
    out.append(_heading(text(lang, "derogations"), 3, "derogations"))
    derogations = a11y["derogations"][lang]
    out.append(_list([escape(d) for d in derogations]) if derogations else f"<p>{escape(text(lang, 'none'))}</p>")
    if a11y.get("exempt", {}).get(lang):
        out.append(_heading(text(lang, "exempt"), 3, "exempt"))
        out.append(_list([escape(e) for e in a11y["exempt"][lang]]))

    out.append(_heading(text(lang, "contact"), 2, "contact"))
    email = mail_link(site.contact["accessibility"])
    out.append(f"<p>{escape(text(lang, 'contact_sentence', email='{email}')).format(email=email)}</p>")

    out.append(_heading(text(lang, "recourse"), 2, "recourse"))
    out.append(f"<p>{escape(text(lang, 'recourse_intro'))}</p>")
    form = f'<a href="{DEFENSEUR["form"]}">{DEFENSEUR["form"]}</a>'
    delegates = f'<a href="{DEFENSEUR["delegates"]}">{DEFENSEUR["delegates"]}</a>'
    out.append(
        _list(
            [
                escape(text(lang, "recourse_online", url="{url}")).format(url=form),
                escape(text(lang, "recourse_delegate", url="{url}")).format(url=delegates),
                escape(text(lang, "recourse_phone", phone=DEFENSEUR["phone"])),
                escape(text(lang, "recourse_mail", address=DEFENSEUR["address"])),
            ]
        )
    )

    plan, actions = a11y["plan"], a11y["actions"]
    out.append(_heading(text(lang, "plan", period=plan["period"]), 2, "plan"))
    out.append(_list([escape(step) for step in plan["steps"][lang]]))
    out.append(_heading(text(lang, "actions", year=actions["year"]), 3, "actions"))
    out.append(_list([escape(item) for item in actions["items"][lang]]))
    # Each HTML piece is a block of its own (blank lines around it), in the statement's own class for the CSS.
    return "\n\n".join(part if part.startswith("#") else f'<div class="dc-statement">{part}</div>' for part in out)


def _heading(title: str, level: int, anchor: str) -> str:
    """A heading in Markdown, so it enters the page's table of contents."""
    return md_heading(title, level, f"a11y-{anchor}").rstrip("\n")
