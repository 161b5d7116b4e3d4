"""Proposals over HTTP: residents propose (JSON or a form post); staff read one in full."""

from __future__ import annotations

from ..web.call import call
from ..web.routes import BODY_TYPES, CORS, STAFF, Routes

routes = Routes(__name__)


@routes.route("/programs/{program_id}/proposals", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def propose(program_id):
    this = call()
    data = this.body()
    program = this.consultation.context.catalog.require_program(program_id)
    back = program.propose_urls.get(this.lang, "")
    this.for_form(back, f"/programs/{program_id}/proposals", data, "title", "description", "theme", "email")
    result = this.consultation.proposals.propose(program_id, this.participant(create=True), data, this.is_form)
    return this.answer(result, 201, "proposal-received")


@routes.route("/staff/proposals/{proposal_id}", methods=["GET"], **STAFF)
def staff_proposal(proposal_id):
    this = call()
    return this.json(this.consultation.proposals.staff_read(this.staff(), proposal_id))


@routes.route("/staff/proposals/{proposal_id}/challenge-draft", methods=["GET"], **STAFF)
def staff_challenge_draft(proposal_id):
    this = call()
    wanted = {name: this.query(name) for name in ("id", "theme", "sdgs")}
    return this.json(this.consultation.proposals.challenge_draft(this.staff(), proposal_id, wanted))
