"""Verified participation over HTTP: the page where a resident confirms residence, their status, forgetting it."""

from __future__ import annotations

from ..web.call import call
from ..web.routes import CORS, Routes
from . import pages, rules

routes = Routes(__name__)


@routes.route("/programs/{program_id}/verify", methods=["GET"], cors=CORS)
def verify_page(program_id):
    """The ways to confirm residence the program offers (a page; JSON says which), then back to `return`."""
    this = call()
    program = this.consultation.context.catalog.require_program(program_id)
    return_to = rules.safe_return(this.query("return"))
    if not this.wants_page():
        return this.json({"program": program.id, "participation": list(program.participation), "return": return_to})
    this.lang = this.page_lang()
    status = this.consultation.verification.status(program.id, this.headers.get("cookie"))
    return this.html(pages.verify_page(this.lang, this.settings, program, return_to, status))


@routes.route("/programs/{program_id}/verification", methods=["GET"], cors=CORS)
def verification_status(program_id):
    this = call()
    return this.json(this.consultation.verification.status(program_id, this.headers.get("cookie")))


@routes.route("/programs/{program_id}/verification", methods=["DELETE"], cors=CORS)
def forget(program_id):
    """End the caller's verified session (on a shared computer): the cookie is cleared, the record deleted."""
    this = call()
    this.consultation.context.catalog.require_program(program_id)
    this.set_cookie = this.consultation.verification.forget(this.headers.get("cookie"))
    return this.json(this.consultation.verification.status(program_id, None))
