"""The console's Staff tokens page: listed, created (shown once) and revoked by staff with the "manage tokens" right,
within their own programs, each change audited; revoking ends the token's sessions."""

from __future__ import annotations

import json
import re

from .test_console import Browser, text
from .test_staff import new_token, write_tokens

MANAGE = ["manage-tokens"]


def manager(api, programs=("live-post",), others=()):
    token, record = new_token(api, list(programs), name="Alice (lead)", others=others)
    record["rights"] = MANAGE
    write_tokens(api, [*others, record])
    browser = Browser(api)
    assert browser.sign_in(token).status_code == 303
    return browser, record


def stored(api) -> dict:
    return json.loads((api.service.settings.data_dir / "staff_tokens.json").read_text())


def shown_token(page: str) -> str:
    return re.search(r'id="new-token" readonly value="(dcs_[0-9a-f]{8}_[A-Za-z0-9_-]{43})"', page).group(1)


def audit_actions(api, program: str) -> list[tuple[str, str]]:
    entries, _ = api.service.store.audit_entries(program, 100, None)
    return [(e.action, e.target) for e in entries]


def test_a_manager_creates_a_token_shown_once_that_signs_in_then_revokes_it_and_its_sessions_end(api_on_store):
    api = api_on_store
    browser, alice = manager(api)
    overview = browser.get("/console/programs/live-post?lang=en")
    assert "/staff/programs/live-post/tokens" in overview.body.decode()
    page = browser.get("/console/programs/live-post/tokens?lang=en")
    assert page.status_code == 200 and "Alice (lead)" in text(page) and alice["sha256"] not in page.body.decode()

    created = browser.post(
        "/console/programs/live-post/tokens", {"name": "Bob (moderation)", "program-live-post": "on"}
    )
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    token = shown_token(created.body.decode())
    assert "never be shown again" in text(created)
    (bob,) = [r for r in stored(api)["tokens"] if r["name"] == "Bob (moderation)"]
    assert bob["programs"] == ["live-post"] and bob["rights"] == [] and bob["revoked_at"] is None
    assert token not in json.dumps(stored(api)) and token.split("_")[1] == bob["id"]
    assert token not in browser.get("/console/programs/live-post/tokens?lang=en").body.decode()  # once only
    assert ("token.create", bob["id"]) in audit_actions(api, "live-post")

    # Bob signs in with it; Alice revokes it: Bob's session is gone from the store at once.
    other = Browser(api)
    assert other.sign_in(token).status_code == 303
    assert other.get("/console/programs/live-post?lang=en").status_code == 200
    assert "/tokens" not in other.get("/console/programs/live-post?lang=en").body.decode()  # no right, no link
    revoked = browser.post(f"/console/programs/live-post/tokens/{bob['id']}/revoke")
    assert revoked.status_code == 303 and f"revoked={bob['id']}" in revoked.headers["Location"]
    assert "Bob (moderation)'s token is revoked" in text(
        browser.get(f"/console/programs/live-post/tokens?lang=en&revoked={bob['id']}")
    )
    assert api.service.store.end_sessions_of(bob["id"]) == 0  # already ended by the revocation
    assert other.get("/console/programs/live-post?lang=en").status_code == 401
    assert [r["revoked_at"] for r in stored(api)["tokens"] if r["id"] == bob["id"]] != [None]
    assert ("token.revoke", bob["id"]) in audit_actions(api, "live-post")
    again = browser.post(f"/console/programs/live-post/tokens/{bob['id']}/revoke")
    assert again.status_code == 409


def test_a_token_with_the_right_can_be_given_it_and_several_of_ones_programs_each_audited(api_on_store):
    api = api_on_store
    browser, _ = manager(api, ("live-post", "hidden-pre"))
    fields = {"name": "Chloé", "program-live-post": "on", "program-hidden-pre": "on", "manage-tokens": "on"}
    created = browser.post("/console/programs/live-post/tokens", fields)
    assert created.status_code == 200
    (chloe,) = [r for r in stored(api)["tokens"] if r["name"] == "Chloé"]
    assert chloe["programs"] == ["hidden-pre", "live-post"] and chloe["rights"] == MANAGE
    for program in ("live-post", "hidden-pre"):
        assert ("token.create", chloe["id"]) in audit_actions(api, program)


def test_without_the_right_nothing_is_listed_created_or_revoked(api_on_store):
    api = api_on_store
    victim, victim_record = new_token(api, ["live-post"], name="Victim")
    token, record = new_token(api, ["live-post"], name="Plain", others=[victim_record])
    browser = Browser(api)
    browser.sign_in(token)
    before = stored(api)
    assert browser.get("/console/programs/live-post/tokens?lang=en").status_code == 403
    assert (
        browser.post("/console/programs/live-post/tokens", {"name": "X", "program-live-post": "on"}).status_code == 403
    )
    assert browser.post(f"/console/programs/live-post/tokens/{victim_record['id']}/revoke").status_code == 403
    assert stored(api) == before and audit_actions(api, "live-post") == []


def test_a_manager_never_sees_nor_touches_another_programs_tokens(api_on_store):
    api = api_on_store
    theirs, theirs_record = new_token(api, ["hidden-pre"], name="Hidden team")
    both, both_record = new_token(api, ["live-post", "hidden-pre"], name="Both", others=[theirs_record])
    browser, _ = manager(api, others=[theirs_record, both_record])
    page = browser.get("/console/programs/live-post/tokens?lang=en")
    # A token that also covers another program is not listed: it would show that program.
    assert "Hidden team" not in text(page) and "Both" not in text(page) and "hidden-pre" not in text(page)
    assert browser.get("/console/programs/hidden-pre/tokens?lang=en").status_code == 403
    before = stored(api)
    for token_id in (theirs_record["id"], both_record["id"], "00000000"):
        assert browser.post(f"/console/programs/live-post/tokens/{token_id}/revoke").status_code == 404
    refused = browser.post(
        "/console/programs/live-post/tokens", {"name": "Sneaky", "program-live-post": "on", "program-hidden-pre": "on"}
    )
    assert refused.status_code == 403 and "hidden-pre" in text(refused)
    assert stored(api) == before


def test_token_forms_need_the_sessions_csrf_value_and_a_session(api_on_store):
    api = api_on_store
    victim, victim_record = new_token(api, ["live-post"], name="Victim")
    browser, _ = manager(api, others=[victim_record])
    before = stored(api)
    create = {"name": "Forged", "program-live-post": "on"}
    assert browser.post("/console/programs/live-post/tokens", create, csrf=False).status_code == 403
    assert (
        browser.post("/console/programs/live-post/tokens", {**create, "csrf": "A" * 43}, csrf=False).status_code == 403
    )
    revoke = f"/console/programs/live-post/tokens/{victim_record['id']}/revoke"
    assert browser.post(revoke, csrf=False).status_code == 403
    assert browser.post(revoke, origin="https://evil.example").status_code == 403
    assert Browser(api).post(revoke, csrf=False).status_code == 401
    assert stored(api) == before


def test_a_nameless_or_programless_token_is_refused_with_the_form_again(api_on_store):
    api = api_on_store
    browser, _ = manager(api)
    before = stored(api)
    nameless = browser.post("/console/programs/live-post/tokens", {"name": " ", "program-live-post": "on"})
    assert nameless.status_code == 422 and "1 to 120 characters" in text(nameless) and 'id="name"' in text(nameless)
    programless = browser.post("/console/programs/live-post/tokens", {"name": "Dan"})
    assert programless.status_code == 422 and "at least one program" in text(programless)
    assert stored(api) == before


def test_revoking_ones_own_token_signs_one_out(api_on_store):
    api = api_on_store
    browser, alice = manager(api)
    out = browser.post(f"/console/programs/live-post/tokens/{alice['id']}/revoke")
    assert out.status_code == 303 and "dc_staff" not in browser.jar
    assert browser.get("/console/programs/live-post?lang=en").status_code == 401
