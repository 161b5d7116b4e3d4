"""Comments, reports and proposals: moderation modes, pagination, hiding, consent and encryption."""

from __future__ import annotations

import datetime as dt

from .conftest import INSIDE


def post_comment(api, text, challenge="leaks", **extra):
    return api.request("POST", f"/challenges/{challenge}/comments", {"text": text, **extra})


def test_post_moderation_publishes_at_once(api):
    created = post_comment(api, "  Bonne idée !\r\nSurtout près des écoles.  ", display_name="Awa")
    assert created.status_code == 201
    body = api.json(created)
    assert body["status"] == "published" and body["text"] == "Bonne idée !\nSurtout près des écoles."
    listed = api.json(api.request("GET", "/challenges/leaks/comments"))
    assert [c["text"] for c in listed["comments"]] == [body["text"]]
    assert listed["comments"][0]["display_name"] == "Awa"
    assert set(listed["comments"][0]) == {"id", "text", "display_name", "created_at"}


def test_pre_moderation_keeps_comments_pending(api):
    created = api.json(post_comment(api, "À relire", challenge="noise"))
    assert created["status"] == "pending"
    assert api.json(api.request("GET", "/challenges/noise/comments"))["comments"] == []


def test_comments_are_stored_as_given_never_as_html(api):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post_comment(api, payload)
    listed = api.json(api.request("GET", "/challenges/leaks/comments"))
    assert listed["comments"][0]["text"] == payload  # escaping is the renderer's job, on output


def test_pagination_with_an_opaque_cursor_in_both_orders(api):
    texts = [f"comment {i}" for i in range(7)]
    for i, text in enumerate(texts):
        api.clock.now = INSIDE + dt.timedelta(seconds=i)
        post_comment(api, text)
    seen, cursor = [], None
    while True:
        query = "/challenges/leaks/comments" + (f"?cursor={cursor}" if cursor else "")
        page = api.json(api.request("GET", query))
        seen += [c["text"] for c in page["comments"]]
        cursor = page["next"]
        if not cursor:
            break
    assert seen == texts
    newest = api.json(api.request("GET", "/challenges/leaks/comments?order=newest"))
    assert [c["text"] for c in newest["comments"]] == texts[::-1][:3]


def test_bad_cursor_and_order_are_client_errors(api):
    assert api.request("GET", "/challenges/leaks/comments?cursor=not-a-cursor!!").status_code == 400
    assert api.request("GET", "/challenges/leaks/comments?cursor=WyJhIl0").status_code == 400
    assert api.request("GET", "/challenges/leaks/comments?order=random").status_code == 422


def test_comments_only_while_open(api):
    closed = post_comment(api, "Trop tard", challenge="archive")
    assert closed.status_code == 409 and "6 novembre 2017" in api.json(closed)["detail"]


def test_reports_hide_a_comment_after_the_threshold(api):
    comment_id = api.json(post_comment(api, "Message douteux"))["id"]
    for _ in range(2):
        api.cookie = None
        response = api.request("POST", f"/comments/{comment_id}/reports", {"reason": "abuse"})
        assert response.status_code == 201
    assert api.json(api.request("GET", "/challenges/leaks/comments"))["comments"] == []
    assert api.service.store.get_comment(comment_id).status == "hidden"
    again = api.request("POST", f"/comments/{comment_id}/reports", {"reason": "spam"})
    assert again.status_code == 404  # no longer shown


def test_a_reporter_counts_once(api):
    comment_id = api.json(post_comment(api, "Un avis"))["id"]
    for _ in range(3):
        assert api.request("POST", f"/comments/{comment_id}/reports", {"reason": "spam"}).status_code == 201
    assert api.service.store.get_comment(comment_id).reports == 1


def test_report_reasons_come_from_a_short_list(api):
    comment_id = api.json(post_comment(api, "Un avis"))["id"]
    bad = api.request("POST", f"/comments/{comment_id}/reports", {"reason": "I just don't like it"})
    assert bad.status_code == 422 and api.json(bad)["field"] == "reason"
    assert api.request("POST", "/comments/short/reports", {"reason": "spam"}).status_code == 400
    assert api.request("POST", "/comments/AAAAAAAAAAAAAAAA/reports", {"reason": "spam"}).status_code == 404


def test_proposal_without_email(api):
    response = api.request(
        "POST",
        "/programs/live-post/proposals",
        {"title": "Des bancs à l'ombre", "description": "Il fait trop chaud l'été.", "theme": "water"},
    )
    assert response.status_code == 201
    body = api.json(response)
    assert body["status"] == "pending" and body["contact_kept_until"] is None
    stored = api.service.store.get_proposal(body["proposal"])
    assert stored.title == "Des bancs à l'ombre" and stored.theme == "water" and not stored.has_contact


def test_email_needs_consent_and_is_stored_encrypted_until_it_expires(api):
    no_consent = api.request(
        "POST", "/programs/live-post/proposals", {"title": "T", "description": "D", "email": "awa@example.org"}
    )
    assert no_consent.status_code == 422 and api.json(no_consent)["field"] == "consent"
    created = api.json(
        api.request(
            "POST",
            "/programs/live-post/proposals",
            {"title": "T", "description": "D", "email": "awa@example.org", "consent": True},
        )
    )
    assert created["contact_kept_until"] == "2027-07-03"  # 183 days after the close (1 January, 00:00)
    store = api.service.store
    encrypted = store.get_contact(created["proposal"], now=int(INSIDE.timestamp()))
    assert encrypted and "awa@example.org" not in encrypted
    assert api.service.keys.decrypt(encrypted) == "awa@example.org"
    raw = store.path.read_bytes() + (store.path.parent / "api.sqlite3-wal").read_bytes()
    assert b"awa@example.org" not in raw
    later = int(dt.datetime(2027, 7, 3, tzinfo=dt.UTC).timestamp())  # 00:00 UTC is past 00:00+01:00
    assert store.get_contact(created["proposal"], now=later) is None


def test_proposal_checks(api):
    def propose(body, program="live-post"):
        return api.request("POST", f"/programs/{program}/proposals", body)

    assert propose({"title": "T", "description": "D"}, program="nowhere").status_code == 404
    assert propose({"title": "T", "description": "D"}, program="old").status_code == 409
    assert api.json(propose({"title": "T", "description": "D", "theme": "teleportation"}))["field"] == "theme"
    assert api.json(propose({"description": "D"}))["field"] == "title"
    assert (
        api.json(propose({"title": "T", "description": "D", "email": "not-an-email", "consent": True}))["field"]
        == "email"
    )
    assert api.json(propose({"title": "T" * 121, "description": "D"}))["field"] == "title"


def test_housekeeping_deletes_expired_emails(api):
    created = api.json(
        api.request(
            "POST",
            "/programs/live-post/proposals",
            {"title": "T", "description": "D", "email": "b@example.org", "consent": True},
        )
    )
    api.clock.now = dt.datetime(2027, 7, 4, tzinfo=dt.UTC)
    assert api.service.housekeeping() >= 1
    assert api.service.store.get_contact(created["proposal"], now=0) is None
