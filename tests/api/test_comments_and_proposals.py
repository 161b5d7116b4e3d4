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


# --- Sent twice (a double click, a retry after a time-out): stored once, answered as the first time -------------


def test_a_comment_sent_twice_is_stored_once_and_answered_the_same(api_on_store):
    api = api_on_store
    first = post_comment(api, "Des fontaines, svp", display_name="Awa")
    again = post_comment(api, "Des fontaines, svp", display_name="Awa")
    assert first.status_code == again.status_code == 201 and api.json(first) == api.json(again)
    listed = api.json(api.request("GET", "/challenges/leaks/comments"))["comments"]
    assert [c["text"] for c in listed] == ["Des fontaines, svp"]
    assert api.service.store.moderation_counters("live-post") == {"published": 1}
    other = post_comment(api, "Des fontaines, svp !")  # another text: another comment
    assert api.json(other)["id"] != api.json(first)["id"]


def test_a_double_click_on_a_first_comment_is_one_comment(api):
    """Both requests leave before the first answer sets the cookie: neither has one."""
    body = {"text": "Premier avis"}
    first = api.request("POST", "/challenges/leaks/comments", body, cookie=False)
    again = api.request("POST", "/challenges/leaks/comments", body, cookie=False)
    assert api.json(first)["id"] == api.json(again)["id"]
    assert len(api.json(api.request("GET", "/challenges/leaks/comments"))["comments"]) == 1


def test_the_same_text_from_two_residents_is_two_comments(api):
    mine = api.json(post_comment(api, "Bravo"))
    api.cookie, api.ip = None, "198.51.100.9"
    theirs = api.json(post_comment(api, "Bravo"))
    assert mine["id"] != theirs["id"]


def test_concurrent_copies_of_one_comment_are_stored_once(api_on_store):
    import threading

    api = api_on_store
    post_comment(api, "un premier pour le cookie")
    barrier, answers = threading.Barrier(8), []

    def send():
        barrier.wait()
        answers.append(post_comment(api, "Au même instant"))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in answers} == {201} and len({api.json(r)["id"] for r in answers}) == 1
    texts = [c["text"] for c in api.json(api.request("GET", "/challenges/leaks/comments"))["comments"]]
    assert texts.count("Au même instant") == 1
    assert api.service.store.moderation_counters("live-post") == {"published": 2}


def test_a_comment_sent_again_after_moderation_removed_it_is_refused(api):
    from dataclasses import replace

    from tests.api.test_store_contract import audit

    created = api.json(post_comment(api, "Pub pour mon magasin"))
    store = api.service.store
    seen = store.get_comment(created["id"])
    store.decide_comment(seen, replace(seen, status="hidden", reason="spam"), {}, audit("live-post", "comment.hide"))
    again = post_comment(api, "Pub pour mon magasin")
    assert again.status_code == 409 and "ne l'a pas retenu" in api.json(again)["detail"]


def test_a_proposal_sent_twice_is_stored_once(api_on_store):
    api = api_on_store
    body = {"title": "Des bancs", "description": "À l'ombre.", "email": "awa@example.org", "consent": True}
    first = api.request("POST", "/programs/live-post/proposals", body)
    again = api.request("POST", "/programs/live-post/proposals", body)
    assert first.status_code == again.status_code == 201 and api.json(first) == api.json(again)
    assert api.service.store.moderation_counters("live-post") == {"proposals:received": 1}


def test_comment_pages_on_dynamodb_are_kept_a_few_seconds_and_this_containers_changes_show_at_once(api_on_store):
    api = api_on_store
    store = api.service.store
    reads = []
    original = store.published_comments
    store.published_comments = lambda *a: reads.append(a) or original(*a)
    try:
        for _ in range(4):
            assert api.request("GET", "/challenges/leaks/comments").status_code == 200
        kept = not store.cheap_reads
        assert len(reads) == (1 if kept else 4)  # DynamoDB: one read for the four views (COMMENTS_CACHE_SECONDS)
        posted = api.request("POST", "/challenges/leaks/comments", {"text": "Un avis sur les fuites"})
        assert posted.status_code == 201
        texts = [c["text"] for c in api.json(api.request("GET", "/challenges/leaks/comments"))["comments"]]
        assert texts == ["Un avis sur les fuites"]  # its own container shows it at once
    finally:
        store.published_comments = original
