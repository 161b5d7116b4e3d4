"""Verified participation over HTTP: the page where a resident confirms residence, their status, forgetting it."""

from __future__ import annotations

from urllib.parse import urlencode

from ..kernel.errors import MINUTES, ApiError
from ..kernel.inputs import Fields
from ..kernel.messages import N_, plural
from ..web.call import call
from ..web.routes import BODY_TYPES, CORS, Routes
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


@routes.route("/programs/{program_id}/verification/forget", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def forget_form(program_id):
    """The verify page's "forget" button (no JavaScript needed): ends the session, back to the verify page."""
    this = call()
    data = this.body()
    Fields(data, {"return"}, this.is_form).text("return", required=False, max_chars=500, label=N_("The way back"))
    this.consultation.context.catalog.require_program(program_id)
    this.set_cookie = this.consultation.verification.forget(this.headers.get("cookie"))
    if not this.is_form:
        return this.json(this.consultation.verification.status(program_id, None))
    return this.see_other(f"{this.settings.site_origin}/{_verify_path(this, program_id, data.get('return'))}")


# --- Email: ask for a message, use its link or its code -------------------------------------------------------


@routes.route("/programs/{program_id}/verify/email", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def email_request(program_id):
    """Send a one-time link and code; the same answer for every valid address. A form gets the page to type the code."""
    this = call()
    data = this.body()
    back = _verify_path(this, program_id, data.get("return"))
    this.for_form(back, f"/programs/{program_id}/verify/email", {})
    emails = this.consultation.email_verification
    answer = emails.request(program_id, data, this.is_form, this.lang, this.source_ip)
    if not this.is_form:
        return this.json(answer, 202)
    program = this.consultation.context.catalog.require_program(program_id)
    minutes = plural(this.lang, MINUTES, this.settings.verify_link_minutes)
    again = f"{this.settings.site_origin}/{back}"
    return this.html(pages.sent_page(this.lang, this.settings, program, answer, minutes, again))


@routes.route("/programs/{program_id}/verify/email/link", methods=["GET"], cors=CORS)
def email_link_page(program_id):
    """The email's link: a page with one button (a link scanner that follows links confirms nothing)."""
    this = call()
    this.lang = this.page_lang()
    this.is_form = True  # errors are pages: a person followed a link
    program = this.consultation.context.catalog.require_program(program_id)
    request_id, secret = this.query("r") or "", this.query("s") or ""
    if not rules.request_id_shape(request_id) or not rules.secret_shape(secret):
        raise ApiError("bad-request", N_("This link is incomplete: open it again from the message, whole."))
    return this.html(pages.link_page(this.lang, this.settings, program, request_id, secret))


@routes.route("/programs/{program_id}/verify/email/link", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def email_link(program_id):
    """Use the link (its button): verified, back to where the resident was (303), or JSON for a script."""
    this = call()
    data = this.body()
    this.for_form(_verify_path(this, program_id, "/"), f"/programs/{program_id}/verify/email/link", {})
    Fields(data, {"r", "s"}, this.is_form)
    cookie, return_to = this.consultation.email_verification.confirm_link(program_id, data.get("r"), data.get("s"))
    return _verified(this, program_id, cookie, return_to)


@routes.route("/programs/{program_id}/verify/email/code", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def email_code(program_id):
    """Use the code typed in the page: verified, back to where the resident was (303), or JSON for a script."""
    this = call()
    data = this.body()
    this.for_form(_verify_path(this, program_id, "/"), f"/programs/{program_id}/verify/email/code", {})
    cookie, return_to = this.consultation.email_verification.confirm_code(program_id, data, this.is_form)
    return _verified(this, program_id, cookie, return_to)


def _verified(this, program_id: str, cookie: str, return_to: str):
    this.set_cookie = cookie
    if this.is_form:
        return this.see_other(f"{this.settings.site_origin}{return_to}")
    return this.json({**this.consultation.verification.status(program_id, None), "verified": True, "return": return_to})


def _verify_path(this, program_id: str, return_to: object) -> str:
    """The verify page of the program as a site path (for an error page's way back)."""
    query = urlencode({"format": "html", "lang": this.lang, "return": rules.safe_return(return_to)})
    return f"{this.settings.api_base.lstrip('/')}/programs/{program_id}/verify?{query}"


@routes.route("/outbox", methods=["GET"], cors=CORS)
def outbox():
    """The local outbox (OUTBOX_PAGE, MAIL=outbox): the messages sent, for a person trying the product."""
    this = call()
    messages = this.consultation.outbox() if this.settings.outbox_page else None
    if messages is None:
        raise ApiError("not-found", N_("There is no outbox on this server."))
    this.lang = this.page_lang()
    return this.html(pages.outbox_page(this.lang, messages))
