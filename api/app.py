"""DataCity consultation API: routes only; the logic lives in chalicelib/."""

from chalice import Chalice, CORSConfig, Rate

from chalicelib import forms, runtime
from chalicelib.openapi import document
from chalicelib.web import endpoint

app = Chalice(app_name="datacity-api")
_settings = runtime.settings()
cors = CORSConfig(
    allow_origin=_settings.site_origin,
    allow_headers=["Content-Type"],
    max_age=600,
    allow_credentials=True,
)
# Accept any body type and let chalicelib answer unsupported ones with a problem+json 415.
BODY_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]


@app.route("/health", methods=["GET"])
@endpoint(app)
def health(call):
    return call.json(call.service.health())


@app.route("/openapi.json", methods=["GET"], cors=cors)
@endpoint(app)
def openapi(call):
    return call.json(document())


@app.route("/challenges/{challenge_id}/tally", methods=["GET"], cors=cors)
@endpoint(app)
def tally(call, challenge_id):
    return call.json(call.service.tally(challenge_id, call.participant(create=False)))


@app.route("/challenges/{challenge_id}/vote", methods=["PUT"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def vote(call, challenge_id):
    return call.json(call.service.vote(challenge_id, call.participant(create=True)))


@app.route("/challenges/{challenge_id}/vote", methods=["DELETE"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def withdraw(call, challenge_id):
    return call.json(call.service.withdraw(challenge_id, call.participant(create=True)))


@app.route("/challenges/{challenge_id}/vote", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def vote_form(call, challenge_id):
    call.body("intent")
    call.for_form(call.service.challenge_url(challenge_id, call.lang), f"/challenges/{challenge_id}/vote", {})
    if call.control["intent"] == "withdraw":
        result = call.service.withdraw(challenge_id, call.participant(create=True))
        return call.answer(result, 200, "vote-withdrawn" if result["changed"] else "vote-none")
    result = call.service.vote(challenge_id, call.participant(create=True))
    return call.answer(result, 200, "vote-recorded" if result["changed"] else "vote-already")


@app.route("/challenges/{challenge_id}/comments", methods=["GET"], cors=cors)
@endpoint(app)
def comments(call, challenge_id):
    listing = call.service.comments(challenge_id, call.query("order"), call.query("cursor"))
    if call.query("format") != "html":
        return call.json(listing)
    lang = call.query("lang") if call.query("lang") in ("fr", "en") else call.lang
    challenge, _ = call.service.challenge(challenge_id)
    page = forms.comments_page(
        lang,
        challenge.title.get(lang, challenge.id),
        call.service.tally(challenge_id, call.participant(create=False)),
        listing,
        f"{call.settings.site_origin}/{challenge.urls.get(lang, '')}",
        call.settings.api_base,
    )
    return call.html(page)


@app.route("/challenges/{challenge_id}/comments", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def add_comment(call, challenge_id):
    data = call.body()
    call.for_form(
        call.service.challenge_url(challenge_id, call.lang),
        f"/challenges/{challenge_id}/comments",
        data,
        "text",
        "display_name",
    )
    result = call.service.add_comment(challenge_id, call.participant(create=True), data, call.is_form)
    return call.answer(result, 201, f"comment-{result['status']}")


@app.route("/comments/{comment_id}/reports", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def report(call, comment_id):
    data = call.body()
    result = call.service.report(comment_id, call.participant(create=True), data, call.is_form)
    call.for_form(call.service.challenge_url(result["challenge"], call.lang), f"/comments/{comment_id}/reports", {})
    return call.answer(result, 201, "report-received")


@app.route("/programs/{program_id}/proposals", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def propose(call, program_id):
    data = call.body()
    call.for_form(
        call.service.propose_url(program_id, call.lang),
        f"/programs/{program_id}/proposals",
        data,
        "title",
        "description",
        "theme",
        "email",
    )
    result = call.service.propose(program_id, call.participant(create=True), data, call.is_form)
    return call.answer(result, 201, "proposal-received")


@app.schedule(Rate(1, unit=Rate.HOURS))
def housekeeping(event):
    """Delete personal data on the promised date: expired contact emails, old rate-limit counters."""
    return {"deleted": runtime.service().housekeeping()}
