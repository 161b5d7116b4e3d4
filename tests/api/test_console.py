"""The staff console (/staff/, the API's /console): sessions and their refusals, the queues, decisions by form."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from .conftest import SITE
from .test_staff import new_token, post_comment, write_tokens

FORM = "application/x-www-form-urlencoded"


def cookies_of(response) -> dict[str, str]:
    found = {}
    for name, value in response.headers.items():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            found[pair.split("=", 1)[0]] = pair.split("=", 1)[1]
    return found


def hidden_csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


class Browser:
    """A staff member's browser: its cookies, and form posts from the site's origin."""

    def __init__(self, api):
        self.api = api
        self.jar: dict[str, str] = {}
        self.csrf: str | None = None

    def send(self, method, path, fields=None, origin=SITE):
        self.api.clock.advance(milliseconds=1)
        cookie = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        headers = {"Cookie": cookie} if cookie else {}
        raw = urlencode(fields or {}).encode()
        response = self.api.request(
            method,
            path,
            raw=raw,
            headers=headers,
            content_type=FORM if method == "POST" else None,
            origin=origin,
            cookie=False,
        )
        for name, value in cookies_of(response).items():
            if value:
                self.jar[name] = value
            else:
                self.jar.pop(name, None)
        if response.status_code == 200 and 'name="csrf"' in response.body.decode():
            self.csrf = hidden_csrf(response.body.decode())
        return response

    def get(self, path):
        return self.send("GET", path)

    def post(self, path, fields=None, csrf=True, **kw):
        fields = {"lang": "en", **(fields or {})}
        if csrf:
            fields["csrf"] = self.csrf
        return self.send("POST", path, fields, **kw)

    def sign_in(self, token):
        assert self.get("/console?lang=en").status_code in (200, 303)
        response = self.post("/console/sign-in", {"token": token})
        if response.status_code == 303:
            self.get("/console?lang=en")  # the signed-in page: its forms carry the session's CSRF value
        return response


def text(response) -> str:
    return unescape(response.body.decode())


@pytest.fixture
def token(api_on_store):
    value, _ = new_token(api_on_store, ["live-post"], name="Alice")
    return value


def test_sign_in_turns_the_token_into_a_strict_httponly_session_stored_only_as_a_keyed_hash(api_on_store, token):
    api = api_on_store
    browser = Browser(api)
    page = browser.get("/console?lang=en")
    assert page.status_code == 200 and 'type="password"' in page.body.decode()
    pre = page.headers["Set-Cookie"]
    assert "HttpOnly" in pre and "SameSite=Strict" in pre and "Path=/staff" in pre and "Secure" not in pre
    signed = browser.post("/console/sign-in", {"token": token})
    assert signed.status_code == 303 and signed.headers["Location"].startswith("/staff/?")
    cookie = signed.headers["Set-Cookie"]
    assert cookie.startswith("dc_staff=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    secret = browser.jar["dc_staff"]
    assert token not in cookie and secret not in signed.body.decode()
    home = browser.get("/console?lang=en")
    assert home.status_code == 200 and "Signed in: Alice" in text(home) and "live-post" in text(home)
    # The store has the session under a keyed hash only: neither the secret nor the token.
    from chalicelib.console import rules

    key = rules.session_key(api.service.keys.hash_key, secret)
    stored = api.service.store.get_session(key)
    assert stored is not None and stored.token == token.split("_")[1]
    assert api.service.store.get_session(secret) is None


def test_secure_cookies_in_production(tmp_path):
    from chalicelib.console import rules

    assert "Secure" in rules.cookie_header(rules.COOKIE_NAME, "x" * 43, secure=True)


def test_no_session_no_page_and_no_decision(api_on_store):
    api = api_on_store
    comment = post_comment(api, "Pas encore modéré", challenge="noise")
    browser = Browser(api)
    for path in ("/console/programs/live-post", "/console/programs/live-post/queue?kind=pending"):
        response = browser.get(path)
        assert response.status_code == 401 and 'type="password"' in response.body.decode()
    browser.get("/console?lang=en")
    refused = browser.post(f"/console/comments/{comment['id']}/decision", {"action": "approve"})
    assert refused.status_code == 401
    assert api.service.store.get_comment(comment["id"]).status == "pending"


def test_an_idle_session_times_out_and_sign_out_ends_it(api_on_store, token):
    api = api_on_store
    browser = Browser(api)
    assert browser.sign_in(token).status_code == 303
    assert browser.get("/console/programs/live-post?lang=en").status_code == 200
    api.clock.advance(minutes=29)
    assert browser.get("/console/programs/live-post?lang=en").status_code == 200  # activity moves the idle clock on
    api.clock.advance(minutes=31)
    expired = browser.get("/console/programs/live-post?lang=en")
    assert expired.status_code == 401 and "expired" in text(expired)

    assert browser.sign_in(token).status_code == 303
    kept = dict(browser.jar)
    out = browser.post("/console/sign-out")
    assert out.status_code == 303 and "dc_staff" not in browser.jar
    browser.jar = kept  # the old cookie, sent again, opens nothing
    assert browser.get("/console/programs/live-post?lang=en").status_code == 401


def test_a_session_ends_with_its_token(api_on_store):
    api = api_on_store
    token, record = new_token(api, ["live-post"])
    browser = Browser(api)
    browser.sign_in(token)
    assert browser.get("/console/programs/live-post?lang=en").status_code == 200
    write_tokens(api, [{**record, "revoked_at": "2026-11-26T12:00:00Z"}])
    revoked = browser.get("/console/programs/live-post?lang=en")
    assert revoked.status_code == 401 and "revoked" in text(revoked)


def test_a_token_sees_only_its_programs(api_on_store, token):
    api = api_on_store
    theirs = post_comment(api, "Autre programme", challenge="noise")  # hidden-pre, pre-moderated
    browser = Browser(api)
    browser.sign_in(token)
    assert "hidden-pre" not in text(browser.get("/console?lang=en"))
    assert browser.get("/console/programs/hidden-pre?lang=en").status_code == 403
    assert browser.get("/console/programs/hidden-pre/queue?kind=pending&lang=en").status_code == 403
    refused = browser.post(f"/console/comments/{theirs['id']}/decision", {"action": "approve"})
    assert refused.status_code == 403
    assert api.service.store.get_comment(theirs["id"]).status == "pending"


def test_a_missing_or_wrong_csrf_value_changes_nothing(api_on_store):
    api = api_on_store
    token, _ = new_token(api, ["hidden-pre"])
    comment = post_comment(api, "À relire", challenge="noise")
    browser = Browser(api)
    browser.sign_in(token)
    browser.get("/console/programs/hidden-pre/queue?kind=pending&lang=en")
    path = f"/console/comments/{comment['id']}/decision"
    assert browser.post(path, {"action": "approve"}, csrf=False).status_code == 403
    assert browser.post(path, {"action": "approve", "csrf": "A" * 43}, csrf=False).status_code == 403
    # Another site's page cannot post either (Origin), even with the right value.
    assert browser.post(path, {"action": "approve"}, origin="https://evil.example").status_code == 403
    assert browser.post("/console/sign-out", csrf=False).status_code == 403
    assert api.service.store.get_comment(comment["id"]).status == "pending"
    # Sign-in too carries a value (from the pre-session cookie): a forged sign-in form is refused.
    other = Browser(api)
    assert other.post("/console/sign-in", {"token": token}, csrf=False).status_code == 403
    assert "dc_staff" not in other.jar


def test_a_session_fixed_before_sign_in_is_never_used(api_on_store, token):
    api = api_on_store
    browser = Browser(api)
    planted = "F" * 43  # an attacker's value, set in the victim's browser before sign-in
    browser.jar["dc_staff"] = planted
    assert browser.get("/console/programs/live-post?lang=en").status_code == 401
    browser.sign_in(token)
    assert browser.jar["dc_staff"] != planted
    attacker = Browser(api)
    attacker.jar["dc_staff"] = planted
    assert attacker.get("/console/programs/live-post?lang=en").status_code == 401
    # And the CSRF value of one session is worthless in the next.
    old_csrf = browser.csrf
    browser.jar.pop("dc_staff")
    browser.sign_in(token)
    assert browser.csrf != old_csrf
    assert browser.post("/console/sign-out", {"csrf": old_csrf}, csrf=False).status_code == 403


def test_too_many_sign_in_attempts_are_refused_even_with_the_right_token(api_on_store, token):
    api = api_on_store
    browser = Browser(api)
    browser.get("/console?lang=en")
    for _ in range(10):
        wrong = browser.post("/console/sign-in", {"token": "dcs_00000000_" + "A" * 43})
        assert wrong.status_code == 401 and "not recognised" in text(wrong)
    refused = browser.post("/console/sign-in", {"token": token})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "dc_staff" not in browser.jar
    api.clock.advance(minutes=16)
    assert browser.post("/console/sign-in", {"token": token}).status_code == 303


def test_the_queue_shows_full_text_challenge_and_report_reasons_and_a_decision_publishes(api_on_store):
    api = api_on_store
    token, _ = new_token(api, ["live-post", "hidden-pre"])
    long_text = "Une fuite rue des Lilas depuis trois semaines, " * 6
    pending = post_comment(api, long_text, challenge="noise")
    reported = post_comment(api, "Mon voisin M. Dupont au 12 rue X fuit aussi")
    for reason in ("personal-data", "illegal"):
        api.cookie = None
        api.request("POST", f"/comments/{reported['id']}/reports", {"reason": reason})
    browser = Browser(api)
    browser.sign_in(token)
    overview = text(browser.get("/console/programs/hidden-pre?lang=en"))
    assert "Comments to moderate (1)" in overview
    queue = text(browser.get("/console/programs/hidden-pre/queue?kind=pending&lang=en"))
    assert long_text.strip() in queue and "Challenge: noise" in queue
    reports = text(browser.get("/console/programs/live-post/queue?kind=reported&lang=en"))
    assert "Personal data" in reports and "Illegal content" in reports and "Reports: 2" in reports

    missing_reason = browser.post(f"/console/comments/{pending['id']}/decision", {"action": "reject"})
    assert missing_reason.status_code == 422 and "reason" in text(missing_reason)
    done = browser.post(
        f"/console/comments/{pending['id']}/decision", {"action": "approve", "note": "ok", "kind": "pending"}
    )
    assert done.status_code == 303 and "done=approve" in done.headers["Location"]
    assert api.service.store.get_comment(pending["id"]).status == "published"
    listed = api.json(api.request("GET", "/challenges/noise/comments"))["comments"]
    assert [c["id"] for c in listed] == [pending["id"]]
    audit = api.service.store.audit_entries("hidden-pre", 10, None)[0]
    assert [(e.action, e.actor_token, e.note) for e in audit] == [("comment.approve", token.split("_")[1], "ok")]


def test_console_pages_exist_in_french_and_english(api_on_store, token):
    browser = Browser(api_on_store)
    assert "Connexion" in text(browser.get("/console?lang=fr"))
    browser.sign_in(token)
    assert 'lang="fr"' in text(browser.get("/console/programs/live-post?lang=fr"))
    assert "Votes" in text(browser.get("/console/programs/live-post?lang=en"))


def propose(api, email=True):
    body = {"title": "Des fontaines dans les parcs", "description": "L'été, pas d'eau potable.", "theme": "water"}
    if email:
        body.update(email="resident@example.org", consent=True)
    response = api.request("POST", "/programs/live-post/proposals", body)
    assert response.status_code == 201, response.body
    return api.json(response)["proposal"]


def test_a_proposal_in_full_its_email_only_on_request_and_audited_then_a_decision(api_on_store, token):
    api = api_on_store
    proposal = propose(api)
    browser = Browser(api)
    browser.sign_in(token)
    queue = text(browser.get("/console/programs/live-post/queue?kind=proposals&lang=en"))
    assert "Des fontaines dans les parcs" in queue and "pas d'eau potable" in queue
    page = text(browser.get(f"/console/proposals/{proposal}?lang=en"))
    assert "Show the email address" in page and "resident@example.org" not in page
    assert "draft challenge" not in page and "challenge.md" not in page  # not before it is approved
    assert browser.get(f"/console/proposals/{proposal}/challenge.md?lang=en").status_code == 409
    assert api.service.store.audit_entries("live-post", 10, None)[0] == []
    # Without the form's CSRF value, nothing is shown and nothing is logged.
    assert browser.post(f"/console/proposals/{proposal}/email", csrf=False).status_code == 403
    shown = browser.post(f"/console/proposals/{proposal}/email")
    assert shown.status_code == 200 and "resident@example.org" in text(shown)
    assert shown.headers["Cache-Control"] == "no-store"
    (entry,) = api.service.store.audit_entries("live-post", 10, None)[0]
    assert (entry.action, entry.target, entry.actor_name) == ("proposal.email-shown", proposal, "Alice")
    audit = text(browser.get("/console/programs/live-post/audit?lang=en"))
    assert "proposal.email-shown" in audit and proposal in audit and "resident@example.org" not in audit

    assert browser.post(f"/console/proposals/{proposal}/decision", {"action": "reject"}).status_code == 422
    done = browser.post(f"/console/proposals/{proposal}/decision", {"action": "approve", "note": "à étudier"})
    assert done.status_code == 303 and "kind=proposals" in done.headers["Location"]
    assert api.service.store.get_proposal(proposal).status == "approved"


def test_an_approved_proposal_shows_the_draft_challenge_file_the_command_writes_with_a_download(api_on_store, token):
    api = api_on_store
    proposal = propose(api)
    browser = Browser(api)
    browser.sign_in(token)
    browser.get(f"/console/proposals/{proposal}?lang=en")
    browser.post(f"/console/proposals/{proposal}/decision", {"action": "approve"})
    page = text(browser.get(f"/console/proposals/{proposal}?lang=en"))
    # The staff API's draft, the one `datacity proposal to-challenge` writes (tests/api/test_staff_commands.py).
    staff = api.request(
        "GET", f"/staff/proposals/{proposal}/challenge-draft", headers={"Authorization": f"Bearer {token}"}
    )
    assert staff.status_code == 200
    drafted = api.json(staff)
    assert drafted["path"] == "challenges/live-post/des-fontaines-dans-les-parcs.md"
    assert drafted["text"] in page and "challenges/live-post/des-fontaines-dans-les-parcs.md" in page
    assert "Upload files" in page and "Create pull request" in page and "resident@example.org" not in page
    assert f"origin:\n  kind: resident-proposal\n  proposal: {proposal}" in drafted["text"]
    download = browser.get(f"/console/proposals/{proposal}/challenge.md?lang=en")
    assert download.status_code == 200 and download.body.decode() == drafted["text"]
    assert download.headers["Content-Disposition"] == 'attachment; filename="des-fontaines-dans-les-parcs.md"'
    assert download.headers["Content-Type"].startswith("text/markdown")
    # Staff choose another id, theme and SDGs: the page and the file follow, as the command's --id/--theme/--sdg.
    chosen = browser.get(f"/console/proposals/{proposal}/challenge.md?lang=en&id=fontaines&theme=mobility&sdgs=6,11")
    assert "id: fontaines" in chosen.body.decode() and "themes: [mobility]" in chosen.body.decode()
    assert "sdgs: [6, 11]" in chosen.body.decode()
    taken = text(browser.get(f"/console/proposals/{proposal}?lang=en&id=leaks"))
    assert "already has the id 'leaks'" in taken and "Download" not in taken
    assert browser.get(f"/console/proposals/{proposal}/challenge.md?lang=en&id=Not_An_Id").status_code == 422
    french = text(browser.get(f"/console/proposals/{proposal}?lang=fr"))
    assert "Télécharger des-fontaines-dans-les-parcs.md" in french and "« Upload files »" in french
    # Another program's token sees neither.
    other, _ = new_token(api, ["hidden-pre"], others=[])
    outsider = Browser(api)
    outsider.sign_in(other)
    assert outsider.get(f"/console/proposals/{proposal}/challenge.md?lang=en").status_code == 403


def test_another_programs_proposal_and_its_email_are_refused(api_on_store):
    api = api_on_store
    proposal = propose(api)
    other, _ = new_token(api, ["hidden-pre"])
    browser = Browser(api)
    browser.sign_in(other)
    assert browser.get(f"/console/proposals/{proposal}?lang=en").status_code == 403
    refused = browser.post(f"/console/proposals/{proposal}/email")
    assert refused.status_code == 403 and "resident@example.org" not in text(refused)
    assert api.service.store.audit_entries("live-post", 10, None)[0] == []


def test_downloads_results_now_vote_log_only_after_close_and_the_audit_log(api_on_store, token):
    import datetime as dt

    api = api_on_store
    api.request("PUT", "/challenges/leaks/vote")
    browser = Browser(api)
    browser.sign_in(token)
    results = browser.get("/console/programs/live-post/results.json?lang=en")
    assert results.status_code == 200 and "attachment" in results.headers["Content-Disposition"]
    assert api.json(results)["program"] == "live-post"
    early = browser.get("/console/programs/live-post/vote-log.json?lang=en")
    assert early.status_code == 409 and early.headers["Content-Type"].startswith("text/html")
    api.clock.now = dt.datetime(2027, 1, 2, 12, tzinfo=dt.UTC)
    browser.sign_in(token)  # the session has timed out meanwhile
    log = browser.get("/console/programs/live-post/vote-log.json?lang=en")
    assert log.status_code == 200, log.body
    audit = api.json(browser.get("/console/programs/live-post/audit.json?lang=en"))
    assert [e["action"] for e in audit["entries"]] == ["results.export", "vote-log.export"]
    assert browser.get("/console/programs/hidden-pre/results.json?lang=en").status_code == 403


def upload(browser, program, csv_text: str, source="Atelier du 20 novembre", csrf=True):
    boundary = "----dcboundary7"
    parts = [("lang", "en"), ("source", source)] + ([("csrf", browser.csrf)] if csrf else [])
    body = b""
    for name, value in parts:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="atelier.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + csv_text.encode("utf-8")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    cookie = "; ".join(f"{k}={v}" for k, v in browser.jar.items())
    browser.api.clock.advance(milliseconds=1)
    return browser.api.request(
        "POST",
        f"/console/programs/{program}/imports",
        raw=body,
        headers={"Cookie": cookie},
        content_type=f"multipart/form-data; boundary={boundary}",
        cookie=False,
    )


HEADER = "channel,challenge,kind,text,display_name,collected_on\n"


def test_a_workshop_csv_shows_each_problem_with_its_line_and_writes_nothing_until_right(api_on_store, token):
    api = api_on_store
    browser = Browser(api)
    browser.sign_in(token)
    form = text(browser.get("/console/programs/live-post/imports?lang=en"))
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    wrong = (
        HEADER
        + "workshop,leaks,vote,,,2026-11-20\nworkshop,nowhere,vote,,,2026-11-20\npaper,leaks,comment,,,2026-11-20\n"
    )
    refused = upload(browser, "live-post", wrong)
    page = text(refused)
    assert refused.status_code == 422 and "nothing was recorded" in page
    assert "line 3" in page and "challenge" in page and "line 4" in page and "text" in page
    assert 'value="Atelier du 20 novembre"' in page  # the source given back
    assert api.service.store.tally("leaks") == 0 and api.service.store.audit_entries("live-post", 10, None)[0] == []
    assert upload(browser, "live-post", "\ufeffnot,a,header\n1,2\n").status_code == 422
    assert upload(browser, "live-post", HEADER + "workshop,leaks,vote,,,2026-11-20\n", csrf=False).status_code == 403

    right = HEADER + 'workshop,leaks,vote,,,2026-11-20\npaper,leaks,comment,"Plus de fontaines, svp",Anne,2026-11-20\n'
    done = upload(browser, "live-post", right)
    assert done.status_code == 303 and "done=1-1" in done.headers["Location"]
    assert "Imported: 1 vote and 1 comment." in text(
        browser.get("/console/programs/live-post/imports?done=1-1&lang=en")
    )
    assert [e.action for e in api.service.store.audit_entries("live-post", 10, None)[0]] == ["import.create"]
    again = upload(browser, "live-post", right)
    assert again.status_code == 409 and "already imported" in text(again)
    assert upload(browser, "hidden-pre", right).status_code == 403


def test_console_pages_link_the_sites_versioned_stylesheet_and_script_and_allow_only_those(api):
    import json

    from chalicelib.web import security_headers

    plain = Browser(api).get("/console?lang=en")
    assert "<script" not in plain.body.decode() and "script-src" not in plain.headers["Content-Security-Policy"]
    path = api.service.settings.catalog_path
    data = json.loads(path.read_text())
    data["console"] = {
        "stylesheet": "assets/stylesheets/console.0123456789ab.css",
        "script": "https://evil.example/x.js",  # not a file of the site's: ignored
    }
    path.write_text(json.dumps(data))
    page = Browser(api).get("/console?lang=en")  # the catalog file is read again when it changes
    html = page.body.decode()
    assert '<link rel="stylesheet" href="/assets/stylesheets/console.0123456789ab.css">' in html
    assert "evil.example" not in html
    data["console"]["script"] = "assets/javascripts/console.0123456789ab.js"
    path.write_text(json.dumps(data))
    page = Browser(api).get("/console?lang=en")
    assert '<script src="/assets/javascripts/console.0123456789ab.js" defer></script>' in page.body.decode()
    assert page.headers["Content-Security-Policy"] == security_headers.console_csp(https=False)
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
