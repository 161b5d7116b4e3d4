"""Results over HTTP: the staff exports (results document, vote log) and a voter's own code."""

from __future__ import annotations

from ..kernel.errors import ApiError
from ..web.call import call
from ..web.routes import CORS, STAFF, Routes
from .pages import receipt_page

routes = Routes(__name__)


@routes.route("/me/receipt", methods=["GET"], cors=CORS)
def my_receipt():
    this = call()
    results = this.consultation.results
    program = this.query("program")
    if not this.wants_page():
        return this.json(results.my_receipt(this.headers.get("cookie"), program))
    this.lang = this.page_lang()
    check = this.consultation.context.catalog.pages.get("my_votes", {}).get(this.lang)
    check_url = f"{this.settings.site_origin}/{check}" if check is not None else None
    try:
        receipt = results.my_receipt(this.headers.get("cookie"), program)
    except ApiError as error:
        if error.status != 404:
            raise
        # Not a failure for the resident: this browser has simply not voted yet. The status stays 404.
        return this.html(receipt_page(this.lang, None, check_url, this.frame(program)), status=404)
    return this.html(receipt_page(this.lang, receipt, check_url, this.frame(program)))


@routes.route("/staff/programs/{program_id}/results", methods=["GET"], **STAFF)
def staff_results(program_id):
    this = call()
    actor = this.staff()
    return this.json(this.consultation.results.document(actor, program_id))


@routes.route("/staff/programs/{program_id}/vote-log", methods=["GET"], **STAFF)
def staff_vote_log(program_id):
    this = call()
    actor = this.staff()
    results = this.consultation.results
    return this.json(results.vote_log(actor, program_id, this.query("challenge"), this.query("cursor")))
