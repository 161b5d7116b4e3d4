"""Signing in with the program's OpenID provider: the start (a link a resident follows) and the provider's callback.

Both are pages a browser navigates to, never scripts' JSON: every refusal is an HTML page in the resident's
language with a way back to the verify page, and success is a 303 back to the page the resident came from, with
the verified session's cookie (verification.grant).
"""

from __future__ import annotations

from ..kernel.errors import ApiError
from ..verification import pages as verification_pages
from ..web.call import call
from ..web.routes import Routes
from .pages import section
from .service import CALLBACK_PATH, METHOD

routes = Routes(__name__)
# The verify page lists a "sign in with <provider>" section for programs that offer it.
verification_pages.SECTIONS[METHOD] = section


@routes.route("/programs/{program_id}/oidc/start", methods=["GET"])
def start(program_id):
    """?return=<site path>: where to come back after signing in (a path of the site only)."""
    this = call()
    this.is_form = True
    this.lang = this.page_lang()
    this.back = f"{this.settings.site_origin}/"
    url = this.consultation.sign_ins.start(program_id, this.participant(create=True), this.query("return"))
    answer = this.see_other(url)
    answer.headers["Referrer-Policy"] = "no-referrer"  # the provider need not learn which page the resident was on
    return answer


@routes.route(CALLBACK_PATH, methods=["GET"])
def callback():
    this = call()
    this.is_form = True
    this.back = f"{this.settings.site_origin}/"
    try:
        done = this.consultation.sign_ins.finish(
            dict(this.request.query_params or {}), this.participant(create=False), this.lang
        )
    except ApiError as error:
        this.back = getattr(error, "back_url", None) or this.back
        raise
    this.set_cookie = done.cookie
    return this.see_other(f"{this.settings.site_origin}{done.back}")
