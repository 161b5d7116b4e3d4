"""Signing in with the program's OpenID provider: the start (a link a resident follows) and the provider's callback.

Both are pages a browser navigates to, never scripts' JSON: every refusal is an HTML page in the resident's
language with a way back, and success is a 303 back to the page the resident came from.
"""

from __future__ import annotations

from ..web.call import call
from ..web.routes import Routes
from .service import CALLBACK_PATH

routes = Routes(__name__)


@routes.route("/programs/{program_id}/oidc/start", methods=["GET"])
def start(program_id):
    """?back=<site path>: where to come back after signing in (a path of the site only)."""
    this = call()
    this.is_form = True
    this.lang = this.page_lang()
    this.back = f"{this.settings.site_origin}/"
    url = this.consultation.sign_ins.start(program_id, this.participant(create=True), this.query("back"))
    return this._response("", 303, {"Location": url, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@routes.route(CALLBACK_PATH, methods=["GET"])
def callback():
    this = call()
    this.is_form = True
    this.back = f"{this.settings.site_origin}/"
    done = this.consultation.sign_ins.finish(dict(this.request.query_params or {}), this.participant(create=False))
    return this._response("", 303, {"Location": f"{this.settings.site_origin}{done.back}", "Cache-Control": "no-store"})
