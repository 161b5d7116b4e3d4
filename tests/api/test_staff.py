"""The staff API (docs/staff.md) through HTTP, on every store: tokens, moderation, audit, results, vote log, imports."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections import Counter

import pytest

from chalicelib.votes import receipts

from .conftest import INSIDE

AFTER = dt.datetime(2027, 1, 2, 12, tzinfo=dt.UTC)  # every test program's window has closed (but "soon")
STAFF_ROUTES = [
    ("GET", "/staff/programs/live-post/queue"),
    ("POST", "/staff/comments/AAAAAAAAAAAAAAAA/decision"),
    ("GET", "/staff/proposals/AAAAAAAAAAAAAAAA"),
    ("POST", "/staff/proposals/AAAAAAAAAAAAAAAA/decision"),
    ("GET", "/staff/programs/live-post/results"),
    ("GET", "/staff/programs/live-post/vote-log"),
    ("POST", "/staff/programs/live-post/imports"),
    ("GET", "/staff/programs/live-post/audit"),
]


def write_tokens(api, records: list[dict]) -> None:
    path = api.service.settings.data_dir / "staff_tokens.json"
    path.write_text(json.dumps({"tokens": records}), encoding="utf-8")
    # A later write in the same clock tick must still be seen as a change: move the modification time on.
    stamp = path.stat().st_mtime_ns + secrets.randbelow(1_000_000) + 1_000_000
    os.utime(path, ns=(stamp, stamp))


def new_token(api, programs, name="Alice (moderation)", revoked=False, others=()) -> tuple[str, dict]:
    token_id = secrets.token_hex(4)
    token = f"dcs_{token_id}_{secrets.token_urlsafe(32)}"
    record = {
        "id": token_id,
        "name": name,
        "programs": list(programs),
        "sha256": hashlib.sha256(token.encode()).hexdigest(),
        "created_at": "2026-11-26T10:00:00Z",
        "revoked_at": "2026-11-27T10:00:00Z" if revoked else None,
    }
    write_tokens(api, [*others, record])
    return token, record


class Staff:
    """Staff requests with a token: JSON, no cookie, no Origin (as the staff commands send them)."""

    def __init__(self, api, token):
        self.api, self.token = api, token

    def __call__(self, method, path, body=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        self.api.clock.advance(milliseconds=1)  # audit entries in the order of the requests
        return self.api.request(method, path, body, headers=headers, origin=None, cookie=False, **kwargs)

    def json(self, method, path, body=None, status=200):
        response = self(method, path, body)
        assert response.status_code == status, response.body
        return json.loads(response.body)


@pytest.fixture
def staff(api_on_store):
    token, _ = new_token(api_on_store, ["live-post", "hidden-pre", "old"])
    return Staff(api_on_store, token)


def post_comment(api, text, challenge="leaks", **extra):
    response = api.request("POST", f"/challenges/{challenge}/comments", {"text": text, **extra})
    assert response.status_code == 201, response.body
    api.clock.advance(seconds=1)  # queues are in order of arrival
    return api.json(response)


def problem(response, status):
    assert response.status_code == status, response.body
    assert response.headers["Content-Type"] == "application/problem+json"
    return json.loads(response.body)


# --- Tokens ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method,path", STAFF_ROUTES)
def test_staff_routes_refuse_missing_wrong_revoked_and_other_program_tokens(api_on_store, method, path):
    api = api_on_store
    good, record = new_token(api, ["hidden-pre"])
    revoked, revoked_record = new_token(api, ["live-post"], revoked=True, others=[record])
    other, _ = new_token(api, ["live-post"], others=[record, revoked_record])

    missing = problem(api.request(method, path, {}, origin=None), 401)
    assert missing["detail"]
    assert api.request(method, path, {}, origin=None).headers["WWW-Authenticate"].startswith("Bearer")
    wrong_secret = good[:-5] + ("AAAAA" if not good.endswith("AAAAA") else "BBBBB")
    for header in (
        "Bearer dcs_nothex!_x",  # malformed
        "Basic YWxpY2U6c2VjcmV0",  # not a Bearer token
        f"Bearer {wrong_secret}",  # wrong secret
        f"Bearer dcs_{'0' * 8}_{'A' * 43}",  # unknown id
        f"Bearer {revoked}",
    ):
        response = api.request(method, path, {}, origin=None, headers={"Authorization": header})
        problem(response, 401)
        assert "Bearer" in response.headers["WWW-Authenticate"]
    if "/programs/live-post/" in path:
        assert "live-post" in problem(Staff(api, good)(method, path, {}), 403)["detail"]
    else:
        # Comment and proposal ids are looked up first: an unknown one is a 404 for any valid token.
        assert Staff(api, other)(method, path, {}).status_code in (404, 422)


def test_a_revocation_in_the_local_file_takes_effect_at_once(api_on_store):
    api = api_on_store
    token, record = new_token(api, ["live-post"])
    staff = Staff(api, token)
    assert staff("GET", "/staff/programs/live-post/audit").status_code == 200
    write_tokens(api, [{**record, "revoked_at": "2026-11-26T12:00:00Z"}])
    assert problem(staff("GET", "/staff/programs/live-post/audit"), 401)["detail"]


def test_a_decision_on_another_programs_comment_is_forbidden(api_on_store):
    api = api_on_store
    created = post_comment(api, "À relire", challenge="noise")  # hidden-pre
    token, _ = new_token(api, ["live-post"])
    decision = {"action": "approve"}
    assert problem(Staff(api, token)("POST", f"/staff/comments/{created['id']}/decision", decision), 403)
    assert api.service.store.get_comment(created["id"]).status == "pending"


# --- Moderation ------------------------------------------------------------------------------------------------


def decide(staff, comment_id, action, reason=None, note=None, status=200):
    body = {"action": action}
    if reason:
        body["reason"] = reason
    if note:
        body["note"] = note
    response = staff("POST", f"/staff/comments/{comment_id}/decision", body)
    assert response.status_code == status, response.body
    return json.loads(response.body)


def queue(staff, kind, program="hidden-pre"):
    return staff.json("GET", f"/staff/programs/{program}/queue?kind={kind}")


def test_every_comment_transition_and_the_impossible_ones(staff):
    api = staff.api
    ids = [post_comment(api, f"avis {i}", challenge="noise")["id"] for i in range(3)]  # pre-moderated: pending
    assert [c["id"] for c in queue(staff, "pending")["items"]] == ids
    assert queue(staff, "pending")["items"][0]["text"] == "avis 0"

    assert decide(staff, ids[0], "approve")["status"] == "published"
    assert decide(staff, ids[1], "reject", "spam")["status"] == "rejected"
    assert [c["id"] for c in queue(staff, "pending")["items"]] == [ids[2]]
    listed = api.json(api.request("GET", "/challenges/noise/comments"))["comments"]
    assert [c["id"] for c in listed] == [ids[0]]

    assert decide(staff, ids[0], "hide", "abuse", note="Insulte envers un voisin")["status"] == "hidden"
    assert api.json(api.request("GET", "/challenges/noise/comments"))["comments"] == []
    assert queue(staff, "reported")["items"] == []  # hidden by staff: decided, in no queue
    assert decide(staff, ids[0], "restore")["status"] == "published"
    decide(staff, ids[0], "hide", "off-topic")
    assert decide(staff, ids[0], "reject", "off-topic")["status"] == "rejected"

    # Anything else is a 409 naming the current status.
    for comment_id, action, reason, status in [
        (ids[0], "approve", None, "rejected"),
        (ids[0], "restore", None, "rejected"),
        (ids[1], "hide", "spam", "rejected"),
        (ids[2], "hide", "spam", "pending"),
        (ids[2], "restore", None, "pending"),
    ]:
        body = decide(staff, comment_id, action, reason, status=409)
        assert body["status"] == status and status in body["detail"]
    decide(staff, ids[2], "approve")
    for action, reason in (("approve", None), ("restore", None), ("reject", "spam")):
        assert decide(staff, ids[2], action, reason, status=409)["status"] == "published"


def test_reported_comments_queue_and_approval_clears_it(staff):
    api = staff.api
    comment = post_comment(api, "Un avis discuté")
    other = post_comment(api, "Un autre")
    api.request("POST", f"/comments/{comment['id']}/reports", {"reason": "spam"})
    reported = queue(staff, "reported", "live-post")["items"]
    assert [(c["id"], c["status"], c["reports"]) for c in reported] == [(comment["id"], "published", 1)]
    assert decide(staff, comment["id"], "approve")["status"] == "published"
    assert queue(staff, "reported", "live-post")["items"] == []
    assert decide(staff, other["id"], "approve", status=409)["status"] == "published"  # never reported

    # Two reports (REPORTS_TO_HIDE=2 in the tests) hide it: in the reported queue, counted as hidden by reports.
    for ip in ("198.51.100.1", "198.51.100.2"):
        api.cookie, api.ip = None, ip
        api.request("POST", f"/comments/{other['id']}/reports", {"reason": "abuse"})
    assert [(c["id"], c["status"]) for c in queue(staff, "reported", "live-post")["items"]] == [(other["id"], "hidden")]
    # The residents' reasons, counted: what a moderator deals with first ("reason" is the decision's).
    assert queue(staff, "reported", "live-post")["items"][0]["report_reasons"] == {"abuse": 2}
    record = api.json(api.request("GET", "/programs/live-post/moderation"))
    assert record["moderation"] == {"published": 1, "pending": 0, "hidden": {"reports": 1}, "rejected": {}}
    decide(staff, other["id"], "restore")
    assert queue(staff, "reported", "live-post")["items"] == []
    # Restored, its reports are reviewed: one more report does not hide it again.
    api.cookie, api.ip = None, "198.51.100.3"
    api.request("POST", f"/comments/{other['id']}/reports", {"reason": "abuse"})
    assert api.service.store.get_comment(other["id"]).status == "published"


def test_the_moderation_record_as_a_page_has_counts_and_never_text(staff):
    api = staff.api
    secret = "Texte refusé qui ne doit jamais être affiché"
    comment_id = post_comment(api, secret, challenge="noise")["id"]
    decide(staff, comment_id, "reject", "personal-data")
    page = api.request("GET", "/programs/hidden-pre/moderation?format=html&lang=fr")
    text = page.body.decode() if isinstance(page.body, bytes) else page.body
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr" dir="ltr">' in text and "Registre de modération" in text
    assert '<th scope="row">Informations personnelles (adresse, téléphone…)</th><td>0</td><td>1</td>' in text
    assert secret not in text and comment_id not in text
    english = api.request("GET", "/programs/hidden-pre/moderation?format=html&lang=en")
    assert "Moderation record" in (english.body.decode() if isinstance(english.body, bytes) else english.body)
    assert api.request("GET", "/programs/nope/moderation?format=html").status_code == 404


def test_decision_bodies_are_checked(staff):
    comment_id = post_comment(staff.api, "x", challenge="noise")["id"]
    path = f"/staff/comments/{comment_id}/decision"
    for body, field in [
        ({"action": "reject"}, "reason"),
        ({"action": "hide"}, "reason"),
        ({"action": "approve", "reason": "spam"}, "reason"),
        ({"action": "restore", "reason": "spam"}, "reason"),
        ({"action": "reject", "reason": "bad-mood"}, "reason"),
        ({"action": "delete"}, "action"),
        ({}, "action"),
        ({"action": "approve", "note": "n" * 501}, "note"),
        ({"action": "approve", "extra": 1}, "extra"),
    ]:
        assert problem(staff("POST", path, body), 422)["field"] == field, body
    problem(staff("POST", path, raw=b"{nope"), 400)
    problem(staff("POST", path, raw=b"action=approve", content_type="application/x-www-form-urlencoded"), 415)
    problem(staff("POST", "/staff/comments/not-an-id/decision", {"action": "approve"}), 400)
    problem(staff("POST", "/staff/comments/AAAAAAAAAAAAAAAA/decision", {"action": "approve"}), 404)
    assert staff.api.service.store.get_comment(comment_id).status == "pending"


def test_every_decision_writes_one_audit_entry(staff):
    api = staff.api
    ids = [post_comment(api, f"avis {i}", challenge="noise")["id"] for i in range(2)]
    api.clock.advance(seconds=1)
    decide(staff, ids[0], "approve")
    api.clock.advance(seconds=1)
    decide(staff, ids[1], "reject", "personal-data", note="Adresse d'un particulier")
    decide(staff, ids[1], "approve", status=409)  # refused: no entry
    log = staff.json("GET", "/staff/programs/hidden-pre/audit")
    assert [(e["action"], e["target"], e["reason"]) for e in log["entries"]] == [
        ("comment.approve", ids[0], None),
        ("comment.reject", ids[1], "personal-data"),
    ]
    entry = log["entries"][1]
    assert entry["actor"] == {"token": staff.token[4:12], "name": "Alice (moderation)"}
    assert entry["note"] == "Adresse d'un particulier" and entry["program"] == "hidden-pre"
    assert set(entry) == {"id", "at", "actor", "program", "action", "target", "reason", "note"}
    assert log["next"] is None
    assert staff.json("GET", "/staff/programs/live-post/audit")["entries"] == []


def test_the_audit_log_pages_oldest_first(staff, monkeypatch):
    from chalicelib.staff_access import service

    monkeypatch.setattr(service, "AUDIT_PAGE", 2)
    api = staff.api
    ids = [post_comment(api, f"avis {i}", challenge="noise")["id"] for i in range(5)]
    for comment_id in ids:
        api.clock.advance(seconds=1)
        decide(staff, comment_id, "approve")
    seen, cursor = [], None
    while True:
        page = staff.json("GET", "/staff/programs/hidden-pre/audit" + (f"?cursor={cursor}" if cursor else ""))
        seen += [e["target"] for e in page["entries"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == ids
    problem(staff("GET", "/staff/programs/hidden-pre/audit?cursor=bad!"), 400)


def test_the_audit_log_is_append_only_in_the_store(staff):
    from chalicelib.adapters.sqlite import SQLiteStore
    from chalicelib.staff_access.store import AuditEntry

    store = staff.api.service.store
    entry = AuditEntry("e1", "2026-11-26T12:00:00.000000+00:00", "1a2b3c4d", "A", "p", "results.export", "p")
    store.add_audit(entry)
    with pytest.raises(Exception):  # noqa: B017  (IntegrityError on SQLite, ValueError on DynamoDB)
        store.add_audit(AuditEntry(**{**vars(entry), "action": "comment.hide"}))
    assert [e.action for e in store.audit_entries("p", 10, None)[0]] == ["results.export"]
    if isinstance(store, SQLiteStore):
        import sqlite3

        db = sqlite3.connect(store.path)
        for statement in ("UPDATE audit SET note = 'x'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.DatabaseError, match="only ever added"):
                db.execute(statement)


def test_proposals_get_and_decisions(staff):
    api = staff.api
    with_email = {"title": "Bancs", "description": "Plus de bancs.", "email": "a@example.org", "consent": True}
    first = api.json(api.request("POST", "/programs/live-post/proposals", with_email))["proposal"]
    api.clock.advance(seconds=1)
    second = api.json(api.request("POST", "/programs/live-post/proposals", {"title": "T", "description": "D"}))
    second = second["proposal"]
    assert [p["id"] for p in queue(staff, "proposals", "live-post")["items"]] == [first, second]
    shown = staff.json("GET", f"/staff/proposals/{first}")
    assert shown["has_contact"] is True and shown["title"] == "Bancs" and shown["status"] == "pending"
    assert "a@example.org" not in json.dumps(shown) and "email" not in shown
    path = f"/staff/proposals/{first}/decision"
    assert problem(staff("POST", path, {"action": "reject"}), 422)["field"] == "reason"
    assert problem(staff("POST", path, {"action": "hide", "reason": "spam"}), 422)["field"] == "action"
    assert staff.json("POST", path, {"action": "approve", "note": "Bonne idée"})["status"] == "approved"
    assert problem(staff("POST", path, {"action": "reject", "reason": "duplicate"}), 409)["status"] == "approved"
    rejected = staff.json("POST", f"/staff/proposals/{second}/decision", {"action": "reject", "reason": "other"})
    assert rejected["status"] == "rejected"
    assert queue(staff, "proposals", "live-post")["items"] == []
    record = api.json(api.request("GET", "/programs/live-post/moderation"))
    assert record["proposals"] == {"received": 2, "approved": 1, "rejected": 1, "pending": 0}
    actions = [e["action"] for e in staff.json("GET", "/staff/programs/live-post/audit")["entries"]]
    assert actions == ["proposal.approve", "proposal.reject"]
    problem(staff("GET", "/staff/proposals/AAAAAAAAAAAAAAAA"), 404)
    problem(staff("GET", "/staff/proposals/nope"), 400)


def test_the_queue_pages_by_fifty_oldest_first(staff):
    api = staff.api
    api.service.settings.rate_limits["comments"] = (1000, 1000)
    ids = []
    for i in range(51):
        api.clock.now = INSIDE + dt.timedelta(seconds=i)
        ids.append(post_comment(api, f"avis {i}", challenge="noise")["id"])
    first = queue(staff, "pending")
    assert [c["id"] for c in first["items"]] == ids[:50] and first["next"]
    rest = staff.json("GET", f"/staff/programs/hidden-pre/queue?kind=pending&cursor={first['next']}")
    assert [c["id"] for c in rest["items"]] == ids[50:] and rest["next"] is None
    assert problem(staff("GET", "/staff/programs/hidden-pre/queue?kind=everything"), 422)["field"] == "kind"
    problem(staff("GET", "/staff/programs/nope/queue"), 404)
    problem(staff("GET", "/staff/programs/NOPE/queue"), 400)


def test_the_public_moderation_record_counts_only(staff):
    api = staff.api
    ids = [post_comment(api, f"texte secret {i}", challenge="noise", display_name="Awa")["id"] for i in range(4)]
    decide(staff, ids[0], "approve")
    decide(staff, ids[1], "reject", "spam")
    decide(staff, ids[2], "approve")
    decide(staff, ids[2], "hide", "abuse")
    response = api.request("GET", "/programs/hidden-pre/moderation", cookie=False)
    record = api.json(response)
    assert record == {
        "program": "hidden-pre",
        "moderation": {"published": 1, "pending": 1, "hidden": {"abuse": 1}, "rejected": {"spam": 1}},
        "proposals": {"received": 0, "approved": 0, "rejected": 0, "pending": 0},
    }
    assert b"secret" not in response.body and b"Awa" not in response.body
    assert api.request("GET", "/programs/nope/moderation").status_code == 404


# --- Results, vote log, receipts --------------------------------------------------------------------------------


def vote_as(api, challenge, ip):
    api.cookie, api.ip = None, ip
    assert api.request("PUT", f"/challenges/{challenge}/vote").status_code == 200
    return api.cookie.split("=", 1)[1]


def import_body(rows, source="atelier.csv"):
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    numbered = [{"line": i + 2, **row} for i, row in enumerate(rows)]
    return {"source": source, "digest": digest, "rows": numbered}


def row(kind="vote", channel="workshop", challenge="leaks", text="", day="2026-11-12", name=""):
    return {
        "channel": channel,
        "challenge": challenge,
        "kind": kind,
        "text": text,
        "display_name": name,
        "collected_on": day,
    }


def test_results_document(staff):
    api = staff.api
    tokens = [vote_as(api, "leaks", f"198.51.100.{i}") for i in range(3)]
    post_comment(api, "Publié en ligne", display_name="Awa")
    body = import_body([row(), row(), row(channel="paper"), row("comment", "paper", text="Sur papier", name="Léo")])
    assert staff("POST", "/staff/programs/live-post/imports", body).status_code == 201
    doc = staff.json("GET", "/staff/programs/live-post/results")
    assert doc["format"] == "datacity-results/1" and doc["program"] == "live-post"
    assert doc["licence"]["name"] == "etalab-2.0" and doc["final"] is False
    assert doc["channels"] == ["online", "workshop", "paper"]
    assert [c["id"] for c in doc["challenges"]] == ["kept", "leaks"]
    leaks = doc["challenges"][1]
    assert leaks == {
        "id": "leaks",
        "votes": {"online": 3, "workshop": 2, "paper": 1},
        "votes_total": 6,
        "comments": 2,
    }
    assert doc["challenges"][0]["votes"] == {"online": 0, "workshop": 0, "paper": 0}
    assert sorted((c["channel"], c["text"]) for c in doc["comments"]) == [
        ("online", "Publié en ligne"),
        ("paper", "Sur papier"),
    ]
    text = json.dumps(doc, ensure_ascii=False)
    for private in ("Awa", "Léo", *tokens):
        assert private not in text
    assert doc["moderation"]["published"] == 2 and doc["proposals"]["received"] == 0
    assert doc["window"] == {"opens": "2026-11-01T00:00:00+01:00", "closes": "2027-01-01T00:00:00+01:00"}
    api.clock.now = AFTER
    assert staff.json("GET", "/staff/programs/live-post/results")["final"] is True
    actions = [e["action"] for e in staff.json("GET", "/staff/programs/live-post/audit")["entries"]]
    assert actions == ["import.create", "results.export", "results.export"]


def test_vote_log_is_refused_while_open_then_lets_anyone_recompute_the_tallies(staff):
    api = staff.api
    tokens = {ip: vote_as(api, "leaks", ip) for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3")}
    api.cookie = f"dc_voter={tokens['198.51.100.2']}"
    assert api.request("DELETE", "/challenges/leaks/vote").status_code == 200  # withdrawn: not in the log
    staff("POST", "/staff/programs/live-post/imports", import_body([row(), row(channel="phone")]))
    refused = problem(staff("GET", "/staff/programs/live-post/vote-log"), 409)
    assert "2026" in refused["detail"] and "décembre" in refused["detail"]
    assert refused["window"]["closes"].startswith("2027-01-01")

    api.clock.now = AFTER
    log = staff.json("GET", "/staff/programs/live-post/vote-log")
    results = staff.json("GET", "/staff/programs/live-post/results")
    assert log["format"] == "datacity-vote-log/1" and log["hash"] == "sha256(bytes.fromhex(salt) + token)"
    # Recompute every tally from the log alone, per challenge and channel, and compare with the results.
    for challenge in log["challenges"]:
        counted = Counter(e["channel"] for e in challenge["entries"])
        (expected,) = [c for c in results["challenges"] if c["id"] == challenge["id"]]
        assert {ch: counted.get(ch, 0) for ch in results["channels"]} == expected["votes"]
        assert len({e["entry"] for e in challenge["entries"]}) == len(challenge["entries"])
    (leaks,) = [c for c in log["challenges"] if c["id"] == "leaks"]
    assert len(leaks["salt"]) == 64 and Counter(e["channel"] for e in leaks["entries"]) == {
        "online": 2,
        "workshop": 1,
        "phone": 1,
    }

    # A voter finds their own entry with their token (GET /me/receipt) and the published salt.
    api.cookie = f"dc_voter={tokens['198.51.100.1']}"
    receipt = api.json(api.request("GET", "/me/receipt"))
    assert receipt["token"] == tokens["198.51.100.1"] and receipt["cookie"] == "dc_voter"
    mine = hashlib.sha256(bytes.fromhex(leaks["salt"]) + receipt["token"].encode()).hexdigest()
    assert {"entry": mine, "channel": "online"} in leaks["entries"]
    withdrawn = hashlib.sha256(bytes.fromhex(leaks["salt"]) + tokens["198.51.100.2"].encode()).hexdigest()
    assert withdrawn not in {e["entry"] for e in leaks["entries"]}
    # Offline entries are sha256(salt + "import:<id>:<line>").
    import_id = staff.json("GET", "/staff/programs/live-post/audit")["entries"][0]["target"].split(":")[1]
    offline = hashlib.sha256(bytes.fromhex(leaks["salt"]) + f"import:{import_id}:2".encode()).hexdigest()
    assert {"entry": offline, "channel": "workshop"} in leaks["entries"]
    # One challenge only, for logs too large for one answer.
    one = staff.json("GET", "/staff/programs/live-post/vote-log?challenge=leaks")
    assert [c["id"] for c in one["challenges"]] == ["leaks"]
    problem(staff("GET", "/staff/programs/live-post/vote-log?challenge=noise"), 404)
    actions = [e["action"] for e in staff.json("GET", "/staff/programs/live-post/audit")["entries"]]
    assert actions.count("vote-log.export") == 2


def test_a_vote_log_past_one_answer_comes_in_pages_that_join_into_the_whole_log(staff, monkeypatch):
    from chalicelib.results import service as results_service

    api = staff.api
    for n in range(7):
        vote_as(api, "leaks", f"198.51.100.{n + 1}")
    staff("POST", "/staff/programs/live-post/imports", import_body([row(), row(channel="phone")]))
    api.clock.now = AFTER
    whole = staff.json("GET", "/staff/programs/live-post/vote-log")
    assert "next" not in whole
    monkeypatch.setattr(results_service, "VOTE_LOG_PAGE", 3)
    pages, cursor = [], None
    while True:
        page = staff.json("GET", "/staff/programs/live-post/vote-log" + (f"?cursor={cursor}" if cursor else ""))
        pages.append(page)
        assert sum(len(c["entries"]) for c in page["challenges"]) <= 3 + 2  # the page, and the imported lines
        cursor = page.get("next")
        if cursor is None:
            break
    assert len(pages) >= 3
    joined: dict[str, list] = {}
    for page in pages:
        for challenge in page["challenges"]:
            joined.setdefault(challenge["id"], []).extend(challenge["entries"])
    assert {c["id"]: sorted(c["entries"], key=lambda e: (e["channel"], e["entry"])) for c in whole["challenges"]} == {
        cid: sorted(entries, key=lambda e: (e["channel"], e["entry"])) for cid, entries in joined.items()
    }
    actions = [e["action"] for e in staff.json("GET", "/staff/programs/live-post/audit")["entries"]]
    assert actions.count("vote-log.export") == 2  # one per export, not per page
    for bad in ("nope", "eyJjIjoibm9wZSIsInAiOm51bGx9", "eyJjIjoibGVha3MiLCJwIjo1fQ", "%00"):
        assert problem(staff("GET", f"/staff/programs/live-post/vote-log?cursor={bad}"), 400)["field"] == "cursor"


def test_the_token_is_never_stored_only_the_receipt(staff):
    api = staff.api
    token = vote_as(api, "leaks", "198.51.100.1")
    receipts = api.service.store.vote_receipts("leaks")
    assert len(receipts) == 1 and len(receipts[0][1]) == 64 and token not in receipts[0]


def test_my_receipt_without_a_cookie_is_a_404_problem(api_on_store):
    api = api_on_store
    assert problem(api.request("GET", "/me/receipt", cookie=False), 404)["detail"]
    api.cookie = "dc_voter=not-a-token"
    problem(api.request("GET", "/me/receipt"), 404)


def test_my_receipt_as_a_page_shows_the_code_as_text_and_errors_as_a_page(staff):
    api = staff.api
    token = vote_as(api, "leaks", "198.51.100.1")
    page = api.request("GET", "/me/receipt?format=html&lang=en")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    text = page.body.decode() if isinstance(page.body, bytes) else page.body
    assert '<html lang="en" dir="ltr">' in text and "Your voter code" in text
    assert f'readonly value="{receipts.code(token)}"' in text  # the code residents read, grouped
    assert api.json(api.request("GET", "/me/receipt"))["code"] == receipts.code(token)
    api.cookie = None
    missing = api.request("GET", "/me/receipt?format=html&lang=fr", cookie=False)
    text = missing.body.decode() if isinstance(missing.body, bytes) else missing.body
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("text/html")
    # Not a failure for a resident: what the code is and how a browser gets one.
    assert "Ce navigateur n&#x27;a pas encore de code de vote" in text and 'role="alert"' not in text


def test_a_repeated_vote_keeps_one_receipt_and_counts_once(staff):
    api = staff.api
    vote_as(api, "leaks", "198.51.100.1")
    for _ in range(3):
        assert api.request("PUT", "/challenges/leaks/vote").status_code == 200
    receipts = api.service.store.vote_receipts("leaks")
    assert len(receipts) == 1 and api.service.store.tally("leaks") == 1


# --- Imports ---------------------------------------------------------------------------------------------------


def test_import_counts_votes_by_channel_and_publishes_comments(staff):
    api = staff.api
    rows = [row(), row(), row(channel="paper"), row("comment", "workshop", text="  Plus de capteurs  ", name="Awa")]
    body = import_body(rows)
    created = staff.json("POST", "/staff/programs/live-post/imports", body, status=201)
    assert created["votes"] == 3 and created["comments"] == 1 and created["digest"] == body["digest"]
    assert created["by_channel"] == {"workshop": {"votes": 2, "comments": 1}, "paper": {"votes": 1, "comments": 0}}
    assert api.service.store.offline_tally("leaks") == {"workshop": 2, "paper": 1}
    listed = api.json(api.request("GET", "/challenges/leaks/comments"))["comments"]
    assert [(c["text"], c["display_name"]) for c in listed] == [("Plus de capteurs", "Awa")]
    assert api.json(api.request("GET", "/challenges/leaks/tally"))["count"] == 0  # the online count only
    assert api.json(api.request("GET", "/programs/live-post/moderation"))["moderation"]["published"] == 1
    (entry,) = staff.json("GET", "/staff/programs/live-post/audit")["entries"]
    assert entry["action"] == "import.create" and entry["note"] == "atelier.csv"

    again = problem(staff("POST", "/staff/programs/live-post/imports", body), 409)
    assert again["digest"] == body["digest"]
    assert api.service.store.offline_tally("leaks") == {"workshop": 2, "paper": 1}


def test_a_malformed_import_writes_nothing_and_lists_every_problem(staff):
    api = staff.api
    rows = [
        row(),
        row(channel="fax"),
        row(challenge="noise"),  # another program's challenge
        row(kind="petition"),
        row("comment", text=""),
        row("vote", text="un vote avec du texte"),
        row(day="2026-10-31"),  # before the window
        row(day="12/11/2026"),
        row("comment", text="x" * 2001),
        row("comment", text="bidi\u202e"),
        row(),
    ]
    body = import_body(rows)
    body["rows"][-1]["line"] = body["rows"][0]["line"]  # twice the same line
    body["rows"][0]["colour"] = "red"
    found = problem(staff("POST", "/staff/programs/live-post/imports", body), 422)
    got = {(p["line"], p["field"]) for p in found["problems"]}
    assert got == {
        (2, "colour"),
        (3, "channel"),
        (4, "challenge"),
        (5, "kind"),
        (6, "text"),
        (7, "text"),
        (8, "collected_on"),
        (9, "collected_on"),
        (10, "text"),
        (11, "text"),
        (2, "line"),
    }
    assert all(p["message"] for p in found["problems"])
    english = problem(staff("POST", "/staff/programs/live-post/imports", body, headers={"Accept-Language": "en"}), 422)
    assert any("outside the consultation" in p["message"] for p in english["problems"])
    assert api.service.store.offline_tally("leaks") == {}
    assert api.json(api.request("GET", "/challenges/leaks/comments"))["comments"] == []
    assert staff.json("GET", "/staff/programs/live-post/audit")["entries"] == []
    # The same file, corrected, is then accepted: nothing was recorded of the refused attempt.
    assert staff("POST", "/staff/programs/live-post/imports", import_body([row()])).status_code == 201


@pytest.mark.parametrize(
    "body,field",
    [
        ({"digest": "0" * 64, "rows": [{}]}, "source"),
        ({"source": "f", "digest": "xyz", "rows": [{}]}, "digest"),
        ({"source": "f", "digest": "0" * 64, "rows": []}, "rows"),
        ({"source": "f", "digest": "0" * 64, "rows": "a,b"}, "rows"),
        ({"source": "f", "digest": "0" * 64, "rows": [1, "x"]}, "rows"),
        ({"source": "f", "digest": "0" * 64, "rows": [{"line": "2"}]}, "rows"),
        ({"source": "f", "digest": "0" * 64, "rows": [{"line": 2, "channel": 3}]}, "rows"),
        ({"source": "f", "digest": "0" * 64, "rows": [{}] * 5001}, "rows"),
        ({"source": "f", "digest": "0" * 64, "rows": [{}], "extra": 1}, "extra"),
    ],
)
def test_bad_import_bodies_are_422(staff, body, field):
    assert problem(staff("POST", "/staff/programs/live-post/imports", body), 422)["field"] == field


def test_import_body_size_and_type(staff):
    path = "/staff/programs/live-post/imports"
    problem(staff("POST", path, raw=b"source=x", content_type="application/x-www-form-urlencoded"), 415)
    problem(staff("POST", path, raw=b"[1]"), 400)
    object.__setattr__(staff.api.service.settings, "import_max_bytes", 1000)
    problem(staff("POST", path, import_body([row("comment", text="x" * 900), row("comment", text="y")])), 413)


def test_staff_requests_from_another_site_are_refused(staff):
    response = staff.api.request(
        "POST",
        "/staff/programs/live-post/imports",
        import_body([row()]),
        headers={"Authorization": f"Bearer {staff.token}"},
        origin="https://evil.example",
    )
    problem(response, 403)
