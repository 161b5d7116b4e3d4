"""DataCity consultation API: routes only; the logic lives in chalicelib/."""

from chalice import Chalice, CORSConfig

from chalicelib import runtime
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


@app.route("/challenges/{challenge_id}/comments", methods=["GET"], cors=cors)
@endpoint(app)
def comments(call, challenge_id):
    return call.json(call.service.comments(challenge_id, call.query("order"), call.query("cursor")))


@app.route("/challenges/{challenge_id}/comments", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def add_comment(call, challenge_id):
    data, is_form = call.body()
    return call.json(call.service.add_comment(challenge_id, call.participant(create=True), data, is_form), 201)


@app.route("/comments/{comment_id}/reports", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def report(call, comment_id):
    data, is_form = call.body()
    return call.json(call.service.report(comment_id, call.participant(create=True), data, is_form), 201)


@app.route("/programs/{program_id}/proposals", methods=["POST"], cors=cors, content_types=BODY_TYPES)
@endpoint(app)
def propose(call, program_id):
    data, is_form = call.body()
    return call.json(call.service.propose(program_id, call.participant(create=True), data, is_form), 201)
