"""DataCity consultation API: routes only; the logic lives in chalicelib/."""

from chalice import Chalice, CORSConfig, IAMAuthorizer, Rate

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
# Staff routes (docs/staff.md): Bearer tokens checked in chalicelib (staff.py), or with STAFF_AUTH=iam SigV4-signed
# requests checked by API Gateway, the caller's ARN mapped to programs by STAFF_IAM_PROGRAMS. No CORS: the staff
# commands are not browsers.
STAFF = {"authorizer": IAMAuthorizer()} if _settings.staff_auth == "iam" else {}


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


@app.route("/programs/{program_id}/moderation", methods=["GET"], cors=cors)
@endpoint(app)
def moderation_record(call, program_id):
    record = call.service.desk.moderation_record(program_id)
    if call.query("format") != "html":
        return call.json(record)
    lang = call.query("lang") if call.query("lang") in ("fr", "en") else call.lang
    program = call.service.catalog.get().program(program_id)
    back = f"{call.settings.site_origin}/{program.urls.get(lang, '')}"
    return call.html(forms.moderation_page(lang, program.title.get(lang, program.id), record, back))


@app.route("/me/receipt", methods=["GET"], cors=cors)
@endpoint(app)
def my_receipt(call):
    if call.query("format") != "html":
        return call.json(call.service.my_receipt(call.headers.get("cookie")))
    call.is_form = True  # a person follows a link to it: errors as a page too
    call.lang = call.query("lang") if call.query("lang") in ("fr", "en") else call.lang
    return call.html(forms.receipt_page(call.lang, call.service.my_receipt(call.headers.get("cookie"))))


@app.route("/staff/programs/{program_id}/queue", methods=["GET"], **STAFF)
@endpoint(app)
def staff_queue(call, program_id):
    actor = call.staff()
    return call.json(call.service.desk.queue(actor, program_id, call.query("kind"), call.query("cursor")))


@app.route("/staff/comments/{comment_id}/decision", methods=["POST"], content_types=BODY_TYPES, **STAFF)
@endpoint(app)
def staff_comment_decision(call, comment_id):
    actor = call.staff()
    return call.json(call.service.desk.decide_comment(actor, comment_id, call.staff_body()))


@app.route("/staff/proposals/{proposal_id}", methods=["GET"], **STAFF)
@endpoint(app)
def staff_proposal(call, proposal_id):
    actor = call.staff()
    return call.json(call.service.desk.proposal(actor, proposal_id))


@app.route("/staff/proposals/{proposal_id}/decision", methods=["POST"], content_types=BODY_TYPES, **STAFF)
@endpoint(app)
def staff_proposal_decision(call, proposal_id):
    actor = call.staff()
    return call.json(call.service.desk.decide_proposal(actor, proposal_id, call.staff_body()))


@app.route("/staff/programs/{program_id}/results", methods=["GET"], **STAFF)
@endpoint(app)
def staff_results(call, program_id):
    actor = call.staff()
    return call.json(call.service.desk.results(actor, program_id))


@app.route("/staff/programs/{program_id}/vote-log", methods=["GET"], **STAFF)
@endpoint(app)
def staff_vote_log(call, program_id):
    actor = call.staff()
    return call.json(call.service.desk.vote_log(actor, program_id, call.query("challenge")))


@app.route("/staff/programs/{program_id}/imports", methods=["POST"], content_types=BODY_TYPES, **STAFF)
@endpoint(app)
def staff_import(call, program_id):
    actor = call.staff()
    data = call.staff_body(call.settings.import_max_bytes)
    return call.json(call.service.desk.import_rows(actor, program_id, data), 201)


@app.route("/staff/programs/{program_id}/audit", methods=["GET"], **STAFF)
@endpoint(app)
def staff_audit(call, program_id):
    actor = call.staff()
    return call.json(call.service.desk.audit(actor, program_id, call.query("cursor")))


@app.schedule(Rate(1, unit=Rate.HOURS))
def housekeeping(event):
    """Delete personal data on the promised date: expired contact emails, old rate-limit counters."""
    return {"deleted": runtime.service().housekeeping()}
