"""Comments and reports over HTTP: JSON for the page's script, form posts and an HTML page without JavaScript."""

from __future__ import annotations

from ..web.call import call
from ..web.function_url import FORM_PREFIX
from ..web.routes import BODY_TYPES, CORS, Routes
from .pages import comments_page

routes = Routes(__name__)


@routes.route("/challenges/{challenge_id}/comments", methods=["GET"], cors=CORS)
def comments(challenge_id):
    this = call()
    consultation = this.consultation
    listing = consultation.comments.page(challenge_id, this.query("order"), this.query("cursor"))
    if not this.wants_page():
        return this.json(listing)
    lang = this.lang = this.page_lang()
    catalog = consultation.context.catalog
    challenge, program = catalog.require_challenge(challenge_id)
    title = challenge.title.get(lang, challenge.id)
    page = comments_page(
        lang,
        challenge.title.get(lang, challenge.id),
        consultation.votes.answer(challenge, program, this.participant(create=False)),
        listing,
        f"{this.settings.site_origin}/{challenge.urls.get(lang, '')}",
        this.settings.api_base + FORM_PREFIX,  # its report forms post without JavaScript
        catalog.vocabulary,
        this.frame(program.id, (title, challenge.urls.get(lang, ""))),
    )
    return this.html(page)


@routes.route("/challenges/{challenge_id}/comments", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def add_comment(challenge_id):
    this = call()
    data = this.body()
    challenge, _ = this.consultation.context.catalog.require_challenge(challenge_id)
    this.for_form(
        challenge.urls.get(this.lang, ""), f"/challenges/{challenge_id}/comments", data, "text", "display_name"
    )
    result = this.consultation.comments.add(challenge_id, this.participant(create=True), data, this.is_form)
    return this.answer(result, 201, f"comment-{result['status']}")


@routes.route("/comments/{comment_id}/reports", methods=["POST"], cors=CORS, content_types=BODY_TYPES)
def report(comment_id):
    this = call()
    data = this.body()
    result = this.consultation.comments.report(comment_id, this.participant(create=True), data, this.is_form)
    challenge, _ = this.consultation.context.catalog.require_challenge(result["challenge"])
    this.for_form(challenge.urls.get(this.lang, ""), f"/comments/{comment_id}/reports", {})
    return this.answer(result, 201, "report-received")
