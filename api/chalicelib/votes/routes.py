"""Votes over HTTP: the tally, casting and withdrawing (JSON for scripts, a form post for pages without JS)."""

from __future__ import annotations

from ..kernel.errors import ApiError
from ..kernel.inputs import Fields
from ..kernel.messages import N_
from ..web.call import call
from ..web.routes import BODY_TYPES, CORS, Routes

routes = Routes(__name__)


@routes.route("/challenges/{challenge_id}/tally", methods=["GET"], cors=CORS)
def tally(challenge_id):
    this = call()
    challenge, program = this.consultation.context.catalog.require_challenge(challenge_id)
    return this.json(this.consultation.votes.answer(challenge, program, this.voter(program, create=False)))


@routes.route("/programs/{program_id}/tallies", methods=["GET"], cors=CORS)
def program_tallies(program_id):
    """All of a program's counts in one call (a program page's), at most TALLY_CACHE_SECONDS stale."""
    this = call()
    return this.json(this.consultation.votes.program_tallies(program_id))


@routes.route("/challenges/{challenge_id}/vote", methods=["PUT", "DELETE"], cors=CORS, content_types=BODY_TYPES)
def vote(challenge_id):
    """PUT casts the caller's vote, DELETE withdraws it; both idempotent."""
    this = call()
    challenge, program = this.consultation.context.catalog.require_challenge(challenge_id)
    voter = this.voter(program, create=True, back=challenge.urls.get(this.lang, ""))
    return this.json(this.consultation.votes.change(challenge, program, voter, cast=this.request.method == "PUT"))


@routes.route("/challenges/{challenge_id}/vote", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def vote_form(challenge_id):
    this = call()
    intent = Fields(this.body(), {"intent"}, this.is_form).choice(
        "intent", ("vote", "withdraw"), required=False, label=N_("The intent")
    )
    challenge, program = this.consultation.context.catalog.require_challenge(challenge_id)
    this.for_form(challenge.urls.get(this.lang, ""), f"/challenges/{challenge_id}/vote", {})
    withdraw = intent == "withdraw"
    back = challenge.urls.get(this.lang, "")
    try:
        voter = this.voter(program, create=True, back=back)
    except ApiError as refused:
        if refused.kind == "verification-required" and this.is_form:
            # Without JavaScript, Vote leads straight to confirming residence, then back to the challenge.
            return this.see_other(refused.extra["verify"])
        raise
    result = this.consultation.votes.change(challenge, program, voter, cast=not withdraw)
    if withdraw:
        return this.answer(result, 200, "vote-withdrawn" if result["changed"] else "vote-none")
    return this.answer(result, 200, "vote-recorded" if result["changed"] else "vote-already")
