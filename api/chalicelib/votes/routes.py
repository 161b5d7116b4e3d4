"""Votes over HTTP: the tally, casting and withdrawing (JSON for scripts, a form post for pages without JS)."""

from __future__ import annotations

from ..kernel.inputs import Fields
from ..kernel.messages import N_
from ..web.call import call
from ..web.routes import BODY_TYPES, CORS, Routes

routes = Routes(__name__)


@routes.route("/challenges/{challenge_id}/tally", methods=["GET"], cors=CORS)
def tally(challenge_id):
    this = call()
    return this.json(this.consultation.votes.tally(challenge_id, this.participant(create=False)))


@routes.route("/programs/{program_id}/tallies", methods=["GET"], cors=CORS)
def program_tallies(program_id):
    """All of a program's counts in one call (a program page's), at most TALLY_CACHE_SECONDS stale."""
    this = call()
    return this.json(this.consultation.votes.program_tallies(program_id))


@routes.route("/challenges/{challenge_id}/vote", methods=["PUT", "DELETE"], cors=CORS, content_types=BODY_TYPES)
def vote(challenge_id):
    """PUT casts the caller's vote, DELETE withdraws it; both idempotent."""
    this = call()
    votes, participant = this.consultation.votes, this.participant(create=True)
    change = votes.vote if this.request.method == "PUT" else votes.withdraw
    return this.json(change(challenge_id, participant))


@routes.route("/challenges/{challenge_id}/vote", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def vote_form(challenge_id):
    this = call()
    intent = Fields(this.body(), {"intent"}, this.is_form).choice(
        "intent", ("vote", "withdraw"), required=False, label=N_("The intent")
    )
    challenge, program = this.consultation.context.catalog.require_challenge(challenge_id)
    this.for_form(challenge.urls.get(this.lang, ""), f"/challenges/{challenge_id}/vote", {})
    withdraw = intent == "withdraw"
    result = this.consultation.votes.change(challenge, program, this.participant(create=True), cast=not withdraw)
    if withdraw:
        return this.answer(result, 200, "vote-withdrawn" if result["changed"] else "vote-none")
    return this.answer(result, 200, "vote-recorded" if result["changed"] else "vote-already")
