"""Form posts from pages without JavaScript: 303 back to the page, or an HTML page that keeps the text."""

from __future__ import annotations

from urllib.parse import urlencode

from .conftest import SITE

FORM = "application/x-www-form-urlencoded"


def post_form(api, path, fields, **kwargs):
    return api.request("POST", path, raw=urlencode(fields).encode(), content_type=FORM, **kwargs)


def test_vote_and_withdraw_by_form(api):
    voted = post_form(api, "/challenges/leaks/vote", {"intent": "vote", "lang": "en"})
    assert voted.status_code == 303
    assert voted.headers["Location"] == f"{SITE}/en/live-post/challenges/leaks/#dc-msg-vote-recorded"
    assert voted.headers["Set-Cookie"].startswith("dc_voter=")
    assert api.service.store.tally("leaks") == 1
    withdrawn = post_form(api, "/challenges/leaks/vote", {"intent": "withdraw", "lang": "fr"})
    assert withdrawn.headers["Location"] == f"{SITE}/live-post/challenges/leaks/#dc-msg-vote-withdrawn"
    assert api.service.store.tally("leaks") == 0


def test_comment_by_form_follows_the_moderation_mode(api):
    published = post_form(api, "/challenges/leaks/comments", {"text": "Merci", "display_name": "", "lang": "fr"})
    assert published.status_code == 303 and published.headers["Location"].endswith("#dc-msg-comment-published")
    pending = post_form(api, "/challenges/noise/comments", {"text": "Merci", "lang": "fr"})
    assert pending.headers["Location"].endswith("#dc-msg-comment-pending")


def test_a_form_error_gives_the_text_back(api):
    text = "<b>Mon avis</b> " + "x" * 2000
    response = post_form(api, "/challenges/leaks/comments", {"text": text, "lang": "en"})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.body.decode()
    assert '<html lang="en" dir="ltr">' in page and "the maximum is 2000" in page
    assert "&lt;b&gt;Mon avis&lt;/b&gt;" in page and "<b>Mon avis" not in page
    assert 'action="/api/form/challenges/leaks/comments"' in page
    assert f'href="{SITE}/en/live-post/challenges/leaks/"' in page


def test_a_closed_window_by_form_explains_the_dates(api):
    response = post_form(api, "/challenges/archive/vote", {"intent": "vote", "lang": "fr"})
    assert response.status_code == 409 and "6 novembre 2017" in response.body.decode()


def test_forms_from_another_site_are_refused(api):
    response = post_form(api, "/challenges/leaks/vote", {"intent": "vote"}, origin="https://evil.example")
    assert response.status_code == 403
    assert api.service.store.tally("leaks") == 0


def test_comments_page_without_javascript_escapes_text(api):
    api.request("POST", "/challenges/leaks/comments", {"text": "<script>alert(1)</script>", "display_name": "<i>x"})
    page = api.client.http.get("/challenges/leaks/comments?format=html&lang=fr").body.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "&lt;i&gt;x" in page and 'name="reason"' in page and "Votes : 0" in page


def test_report_by_form(api):
    comment_id = api.json(api.request("POST", "/challenges/leaks/comments", {"text": "Bof"}))["id"]
    response = post_form(api, f"/comments/{comment_id}/reports", {"reason": "spam", "lang": "fr"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#dc-msg-report-received")


def test_proposal_by_form(api):
    fields = {
        "title": "Plus d'arbres",
        "description": "Dans ma rue.",
        "theme": "",
        "email": "a@example.org",
        "consent": "on",
        "lang": "fr",
    }
    response = post_form(api, "/programs/live-post/proposals", fields)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{SITE}/live-post/propose/#dc-msg-proposal-received"


def test_repeated_vote_and_empty_withdrawal_say_so(api):
    post_form(api, "/challenges/leaks/vote", {"intent": "vote", "lang": "fr"})
    again = post_form(api, "/challenges/leaks/vote", {"intent": "vote", "lang": "fr"})
    assert again.headers["Location"].endswith("#dc-msg-vote-already")
    post_form(api, "/challenges/leaks/vote", {"intent": "withdraw", "lang": "fr"})
    none = post_form(api, "/challenges/leaks/vote", {"intent": "withdraw", "lang": "fr"})
    assert none.headers["Location"].endswith("#dc-msg-vote-none")
    assert api.service.store.tally("leaks") == 0
