"""Moderation over HTTP: the public record (JSON or a page), the staff queues and decisions."""

from __future__ import annotations

from ..web.call import call
from ..web.routes import BODY_TYPES, CORS, STAFF, Routes
from .pages import moderation_page

routes = Routes(__name__)


@routes.route("/programs/{program_id}/moderation", methods=["GET"], cors=CORS)
def moderation_record(program_id):
    this = call()
    record = this.consultation.moderation.record(program_id)
    if not this.wants_page():
        return this.json(record)
    lang = this.lang = this.page_lang()
    catalog = this.consultation.context.catalog
    program = catalog.require_program(program_id)
    back = f"{this.settings.site_origin}/{program.urls.get(lang, '')}"
    title = program.title.get(lang, program.id)
    return this.html(moderation_page(lang, title, record, back, catalog.vocabulary, this.frame(program.id)))


@routes.route("/staff/programs/{program_id}/queue", methods=["GET"], **STAFF)
def staff_queue(program_id):
    this = call()
    actor = this.staff()
    return this.json(this.consultation.moderation.queue(actor, program_id, this.query("kind"), this.query("cursor")))


@routes.route("/staff/comments/{comment_id}/decision", methods=["POST"], content_types=BODY_TYPES, **STAFF)
def staff_comment_decision(comment_id):
    this = call()
    actor = this.staff()
    return this.json(this.consultation.moderation.decide_comment(actor, comment_id, this.staff_body()))


@routes.route("/staff/proposals/{proposal_id}/decision", methods=["POST"], content_types=BODY_TYPES, **STAFF)
def staff_proposal_decision(proposal_id):
    this = call()
    actor = this.staff()
    return this.json(this.consultation.moderation.decide_proposal(actor, proposal_id, this.staff_body()))
