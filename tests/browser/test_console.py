"""The staff console in real Chromium, on the whole product (api/serve.py, as `make serve` runs it): a moderator's
day from sign-in to the results after close, then axe-core on every console page, both languages, phone and desktop.

Screenshots of every console page go to screenshots/console-<lang>-<page>-<width>.png (gitignored): look at them.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP, PHONE
from .screenshots import OUT_DIR
from .test_accessibility import run_axe, violations_report
from .test_participation import READY, challenge_path

if TYPE_CHECKING:
    from .product import Product

pytest_plugins = ["tests.browser.product"]
pytestmark = pytest.mark.browser

PROGRAM = "montreal-2026"
CLOSED = "paris-2017"  # closed on the Montréal day: its results can be downloaded
CHALLENGE = "library-digital-access"  # no other browser test comments here
HEADER = "channel,challenge,kind,text,display_name,collected_on\n"


def staff_token(product: Product, programs: list[str], name: str, rights: tuple[str, ...] = ()) -> str:
    """A new staff token in the product's token file (read again by the API whenever the file changes)."""
    token_id = secrets.token_hex(4)
    token = f"dcs_{token_id}_{secrets.token_urlsafe(32)}"
    path = product.data_dir / "staff_tokens.json"
    document = json.loads(path.read_text()) if path.exists() else {"tokens": []}
    document["tokens"].append(
        {
            "id": token_id,
            "name": name,
            "programs": programs,
            "sha256": hashlib.sha256(token.encode()).hexdigest(),
            "created_at": "2026-11-26T10:00:00Z",
            "revoked_at": None,
            "rights": list(rights),
        }
    )
    path.write_text(json.dumps(document), encoding="utf-8")
    return token


def citizen_comment(product: Product, text: str) -> tuple[str, str]:
    answer = product.call("POST", f"/challenges/{CHALLENGE}/comments", json_body={"text": text})
    assert answer.status == 201, answer.text
    return answer.json["id"], answer.cookie


def sign_in(page: Page, token: str, lang: str = "en") -> None:
    page.goto(f"/staff/?lang={lang}")
    page.get_by_label("Staff token" if lang == "en" else "Jeton d'équipe").fill(token)
    page.get_by_role("button", name="Sign in" if lang == "en" else "Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your programs" if lang == "en" else "Vos programmes")


def decide(page: Page, text: str, action: str, reason: str | None = None) -> None:
    article = page.locator("article").filter(has_text=text)
    article.get_by_label(action, exact=True).check()
    if reason:
        article.get_by_label("Reason", exact=False).select_option(label=reason)
    article.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_contain_text(f"Done: {action}.")


def test_a_moderators_day_in_the_console(montreal: Product, browse, tmp_path: Path):
    token = staff_token(montreal, [PROGRAM, CLOSED], "Camille (participation)")
    pending_text = f"Les bornes de la bibliothèque sont souvent en panne ({secrets.token_hex(3)})"
    pending_id, _ = citizen_comment(montreal, pending_text)
    reported_text = f"Mon voisin au 12 rue Saint-Denis ne rend jamais ses livres ({secrets.token_hex(3)})"
    reported_id, _ = citizen_comment(montreal, reported_text)
    email = f"resident-{secrets.token_hex(3)}@example.org"
    title = f"Des ateliers numériques le samedi ({secrets.token_hex(3)})"
    proposal = montreal.call(
        "POST",
        f"/programs/{PROGRAM}/proposals",
        json_body={"title": title, "description": "Pour les aînés du quartier.", "email": email, "consent": True},
    )
    assert proposal.status == 201, proposal.text

    watched = browse(montreal, accept_downloads=True)
    page = watched.page()
    sign_in(page, token)

    # A pending comment, approved, is on the public page.
    page.get_by_role("link", name="DataCity Montreal 2026").click()
    page.get_by_role("link", name="Comments to moderate").click()
    expect(page.locator("article").filter(has_text=pending_text)).to_be_visible()
    decide(page, pending_text, "Approve")
    decide(page, reported_text, "Approve")
    public = watched.page()
    public.goto(challenge_path("en", PROGRAM, CHALLENGE))
    public.wait_for_function(READY)
    expect(public.locator(".dc-comment").filter(has_text=pending_text)).to_be_visible()

    # Residents report the other one: the moderator reads their reasons.
    for reason in ("personal-data", "personal-data", "abuse"):
        answer = montreal.call("POST", f"/comments/{reported_id}/reports", json_body={"reason": reason})
        assert answer.status in (200, 201), answer.text
    page.goto(f"/staff/programs/{PROGRAM}?lang=en")
    page.get_by_role("link", name="Reported comments").click()
    article = page.locator("article").filter(has_text=reported_text)
    expect(article).to_contain_text("Personal data: 2")
    expect(article).to_contain_text("Insulting or hateful: 1")

    # A proposal's email, shown only when asked for, and the showing in the audit log.
    page.goto(f"/staff/programs/{PROGRAM}/queue?kind=proposals&lang=en")
    page.locator("article").filter(has_text=title).get_by_role("link", name="Read the proposal").click()
    expect(page.locator("main")).not_to_contain_text(email)
    page.get_by_role("button", name="Show the email address").click()
    expect(page.get_by_role("status")).to_contain_text(email)
    page.goto(f"/staff/programs/{PROGRAM}/audit?lang=en")
    expect(page.locator("tr").filter(has_text="proposal.email-shown")).to_contain_text("Camille (participation)")
    expect(page.locator("main")).not_to_contain_text(email)

    # Approved, the proposal's page gives the draft challenge file to download for a pull request.
    page.goto(f"/staff/programs/{PROGRAM}/queue?kind=proposals&lang=en")
    page.locator("article").filter(has_text=title).get_by_role("link", name="Read the proposal").click()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_contain_text("Done: Approve.")
    page.goto(f"/staff/programs/{PROGRAM}/queue?kind=proposals&lang=en")  # an approved proposal leaves the queue
    expect(page.locator("main")).not_to_contain_text(title)
    proposal_id = proposal.json["proposal"]
    page.goto(f"/staff/proposals/{proposal_id}?lang=en&theme=digital-inclusion")
    expect(
        page.get_by_role("heading", name="Propose the challenge in a pull request, from the browser")
    ).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    drafted = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"proposal: {proposal_id}" in drafted and title in drafted and email not in drafted
    assert download.value.suggested_filename.endswith(".md")
    expect(page.get_by_label("The file's content")).to_have_value(drafted)

    # A workshop's CSV: refused with each problem by line, then the corrected file imported.
    page.goto(f"/staff/programs/{PROGRAM}/imports?lang=en")
    wrong = HEADER + f"workshop,{CHALLENGE},vote,,,2026-11-20\nworkshop,{CHALLENGE},comment,,,2026-11-20\n"
    page.get_by_label("Source").fill("Atelier de la bibliothèque, 20 novembre")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "atelier.csv", "mimeType": "text/csv", "buffer": wrong.encode()}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#problems")).to_contain_text("line 3")
    expect(page.get_by_label("Source")).to_have_value("Atelier de la bibliothèque, 20 novembre")
    right = (
        HEADER + f'workshop,{CHALLENGE},vote,,,2026-11-20\nworkshop,{CHALLENGE},comment,"Plus d\'heures",,2026-11-20\n'
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "atelier.csv", "mimeType": "text/csv", "buffer": right.encode()}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_have_text("Imported: 1 vote and 1 comment.")

    # The results of the closed program, downloaded.
    page.goto(f"/staff/programs/{CLOSED}?lang=en")
    with page.expect_download() as download:
        page.get_by_role("link", name="Results (JSON)").click()
    results = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert results["program"] == CLOSED and results["challenges"]

    # Sign out: the pages are closed again.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    assert page.goto(f"/staff/programs/{PROGRAM}?lang=en").status == 401


def console_pages(product: Product) -> dict[str, str]:
    """Every kind of console page, as paths without the language."""
    answer = product.call(
        "POST",
        f"/programs/{PROGRAM}/proposals",
        json_body={
            "title": "Une proposition à lire",
            "description": "Texte.",
            "email": "a@example.org",
            "consent": True,
        },
    )
    assert answer.status == 201, answer.text
    proposal = answer.json["proposal"]
    citizen_comment(product, "Un commentaire en attente pour l'audit d'accessibilité")
    return {
        "programs": "/staff/",
        "program": f"/staff/programs/{PROGRAM}",
        "queue-pending": f"/staff/programs/{PROGRAM}/queue?kind=pending",
        "queue-reported": f"/staff/programs/{PROGRAM}/queue?kind=reported",
        "queue-proposals": f"/staff/programs/{PROGRAM}/queue?kind=proposals",
        "proposal": f"/staff/proposals/{proposal}",
        "audit": f"/staff/programs/{PROGRAM}/audit",
        "imports": f"/staff/programs/{PROGRAM}/imports",
        "tokens": f"/staff/programs/{PROGRAM}/tokens",
        "refused": "/staff/programs/lyon-2027",  # a program the token does not cover: the 403 page
    }


def approved_proposal(product: Product, token: str) -> str:
    """A proposal approved through the staff API (its page then shows the draft challenge file)."""
    answer = product.call(
        "POST",
        f"/programs/{PROGRAM}/proposals",
        json_body={
            "title": f"Des bancs à l'ombre ({secrets.token_hex(3)})",
            "description": "Près des écoles.",
            "theme": "nature",
        },
    )
    assert answer.status == 201, answer.text
    proposal = answer.json["proposal"]
    decided = product.call(
        "POST",
        f"/staff/proposals/{proposal}/decision",
        json_body={"action": "approve"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert decided.status == 200, decided.text
    return proposal


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_console_page_has_no_axe_violation_on_a_phone_and_a_desktop(montreal: Product, browse, lang):
    token = staff_token(montreal, [PROGRAM, CLOSED], "Axe", rights=("manage-tokens",))
    pages = console_pages(montreal)
    approved = approved_proposal(montreal, token)
    OUT_DIR.mkdir(exist_ok=True)
    problems = []
    for viewport in (PHONE, DESKTOP):
        width = viewport["width"]
        watched = browse(montreal, viewport=viewport)
        page = watched.page()
        page.goto(f"/staff/?lang={lang}")  # the sign-in page
        problems += _check(page, lang, "sign-in", width)
        sign_in(page, token, lang)
        for name, path in pages.items():
            joiner = "&" if "?" in path else "?"
            page.goto(f"{path}{joiner}lang={lang}")
            problems += _check(page, lang, name, width)
        # The page that answers a refused import: the problems, by line.
        page.goto(f"/staff/programs/{PROGRAM}/imports?lang={lang}")
        page.locator("#source").fill("Atelier")
        page.locator("#file").set_input_files(
            files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": (HEADER + "x,y,z,,,\n").encode()}]
        )
        page.locator("form[enctype] button").click()
        page.wait_for_selector("#problems")
        problems += _check(page, lang, "import-problems", width)
        # The page that shows a new token, once.
        page.goto(f"/staff/programs/{PROGRAM}/tokens?lang={lang}")
        page.locator("#name").fill(f"Axe {width}")
        page.locator("form[action$='/tokens'] button[type=submit]").click()
        page.wait_for_selector("#new-token")
        problems += _check(page, lang, "token-created", width)
        # An approved proposal: its draft challenge file and the steps of a pull request.
        page.goto(f"/staff/proposals/{approved}?lang={lang}")
        page.wait_for_selector("#draft-text")
        problems += _check(page, lang, "proposal-draft", width)
    assert not problems, "\n\n".join(problems)


def _check(page: Page, lang: str, name: str, width: int) -> list[str]:
    assert page.evaluate("document.documentElement.lang") == lang
    page.screenshot(path=str(OUT_DIR / f"console-{lang}-{name}-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth") > width
    found = run_axe(page)
    report = [f"{name} ({lang}, {width}px)\n" + violations_report(found)] if found else []
    if overflow:
        report.append(f"{name} ({lang}, {width}px): wider than the window")
    return report


def tab_to(page: Page, label: str, limit: int = 60) -> None:
    """Press Tab until the focused element's accessible text or label contains `label` (as a keyboard user does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; if (!e) return "";
                 const label = e.labels && e.labels[0] ? e.labels[0].textContent : "";
                 return (e.textContent || "") + " " + label + " " + (e.value || ""); }"""
        )
        if label in focused:
            return
    raise AssertionError(f"Tab never reached {label!r}")


def test_sign_in_and_a_decision_by_keyboard_alone(montreal: Product, browse):
    token = staff_token(montreal, [PROGRAM], "Clavier")
    text = f"Un commentaire à approuver au clavier ({secrets.token_hex(3)})"
    citizen_comment(montreal, text)
    page = browse(montreal).page()
    page.goto("/staff/?lang=en")
    tab_to(page, "Staff token")
    page.keyboard.type(token)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your programs")
    tab_to(page, "DataCity Montreal 2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Comments to moderate")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    article = page.locator("article").filter(has_text=text)
    comment_id = article.get_attribute("id")
    page.locator(f"#{comment_id} input[value=approve]").focus()  # the radio group of this comment
    page.keyboard.press("Space")
    tab_to(page, "Apply")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Done: Approve.")


def test_a_lead_hands_out_a_token_shown_once_and_revokes_it(montreal: Product, browse):
    lead = staff_token(montreal, [PROGRAM], "Awa (lead)", rights=("manage-tokens",))
    watched = browse(montreal)
    page = watched.page()
    sign_in(page, lead)
    page.get_by_role("link", name="DataCity Montreal 2026").click()
    page.get_by_role("link", name="Staff tokens").click()
    name = f"Bea (moderation {secrets.token_hex(2)})"
    page.get_by_label("The person's name and role").fill(name)
    page.get_by_role("button", name="Create the token").click()
    token = page.get_by_label("Staff token").input_value()
    assert token.startswith("dcs_")
    expect(page.locator("main")).to_contain_text("it will never be shown again")

    bea = browse(montreal).page()  # another browser: Bea's
    sign_in(bea, token)
    assert bea.goto(f"/staff/programs/{PROGRAM}?lang=en").status == 200

    page.goto(f"/staff/programs/{PROGRAM}/tokens?lang=en")
    expect(page.locator("main")).not_to_contain_text(token)
    # The console looks like the site: its versioned stylesheet (the green header) and script, from the same origin.
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(11, 92, 68)"
    assert any("/assets/javascripts/console." in u for u in watched.requests)
    row = page.locator("article").filter(has_text=name)
    watched.answers.append(False)  # the script asks first: "Cancel" revokes nothing
    row.get_by_role("button", name="Revoke").click()
    assert watched.answered == [f"Revoke {name}'s token? Its sessions end at once."]
    assert bea.goto(f"/staff/programs/{PROGRAM}?lang=en").status == 200
    watched.answers.append(True)
    page.bring_to_front()  # Bea's window had the focus
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("token is revoked")
    expect(page.get_by_role("status")).to_be_focused()  # the script puts the keyboard on the message
    expect(page.locator("article").filter(has_text=name)).to_contain_text("revoked on")
    assert bea.goto(f"/staff/programs/{PROGRAM}?lang=en").status == 401


def test_without_javascript_the_console_still_signs_in_hands_out_and_revokes(montreal: Product, browse):
    lead = staff_token(montreal, [PROGRAM], "Sans script", rights=("manage-tokens",))
    watched = browse(montreal, java_script_enabled=False)
    page = watched.page()
    sign_in(page, lead)
    page.goto(f"/staff/programs/{PROGRAM}/tokens?lang=en")
    name = f"No-JS {secrets.token_hex(2)}"
    page.get_by_label("The person's name and role").fill(name)
    page.get_by_role("button", name="Create the token").click()
    assert page.get_by_label("Staff token").input_value().startswith("dcs_")
    page.goto(f"/staff/programs/{PROGRAM}/tokens?lang=en")
    page.locator("article").filter(has_text=name).get_by_role("button", name="Revoke").click()  # no question asked
    expect(page.get_by_role("status")).to_contain_text("token is revoked")
