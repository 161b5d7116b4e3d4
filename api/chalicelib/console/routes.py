"""The console over HTTP, at /console (the viewer's /staff/): pages, and forms that answer 303 (post/redirect/get).

Every page needs a live session (console/service.py); every form post also needs its CSRF value, and comes from the
site's own origin (web/call.py checks Origin). Refusals are console pages, never JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from chalice import Response

from ..kernel.errors import ApiError
from ..staff_access import rules as staff_rules
from ..web.call import Call, call
from ..web.routes import BODY_TYPES, Routes
from . import pages, rules
from .pages import url
from .service import Signed
from .text import count, words
from .upload import read_multipart

routes = Routes(__name__)


def _lang(this: Call, data: dict | None = None) -> str:
    wanted = (data or {}).get("lang") if data else this.query("lang")
    return wanted if wanted in ("fr", "en") else this.lang


def _page(this: Call, text: str, status: int = 200, cookie: str | None = None) -> Response:
    this.set_cookie = cookie
    found = this.consultation.context.catalog.console_assets
    answer = this.html(text.replace(pages.ASSETS_SLOT, pages.assets(found), 1), status, scripts=bool(found))
    answer.headers["X-Frame-Options"] = "DENY"
    answer.headers["Referrer-Policy"] = "same-origin"
    return answer


def _see(this: Call, location: str, cookie: str | None = None) -> Response:
    this.set_cookie = cookie
    return this._response("", 303, {"Location": location, "Cache-Control": "no-store"})


def _secure(this: Call) -> bool:
    return this.settings.cookie_secure


def _sign_in_page(this: Call, lang: str, status: int = 200, message: str | None = None, error: str | None = None):
    """The sign-in form, with its pre-session cookie (a new one if the browser has none)."""
    pre = rules.cookie_value(this.headers.get("cookie"), rules.PRE_COOKIE_NAME)
    cookie = None
    if pre is None:
        pre = rules.new_secret()
        cookie = rules.cookie_header(rules.PRE_COOKIE_NAME, pre, _secure(this))
    console = this.consultation.console
    return _page(this, pages.sign_in_page(lang, console.pre_csrf(pre), message, error), status, cookie)


def _signed(this: Call) -> Signed:
    return this.consultation.console.session(this.headers.get("cookie"))


def _refused(this: Call, lang: str, error: ApiError, signed: Signed | None = None, back: str | None = None):
    if error.status == 401:
        return _sign_in_page(this, lang, 401, error=error.detail[lang])
    who, csrf = (signed.actor.name, signed.csrf) if signed else (None, None)
    page = pages.error_page(lang, error.detail[lang], back or url("/", lang), who, csrf)
    answer = _page(this, page, error.status)
    if error.retry_after is not None:
        answer.headers["Retry-After"] = str(error.retry_after)
    return answer


@routes.route("/console", methods=["GET"])
def console_home():
    this = call()
    lang = _lang(this)
    try:
        signed = _signed(this)
    except ApiError:
        message = words(lang)["signed_out"] if this.query("out") else None
        return _sign_in_page(this, lang, message=message)
    programs = this.consultation.console.programs(signed.actor)
    return _page(this, pages.programs_page(lang, signed.actor.name, signed.csrf, programs))


@routes.route("/console/sign-in", methods=["POST"], content_types=BODY_TYPES)
def console_sign_in():
    this = call()
    lang = this.lang
    try:
        data = this.body("csrf")
        lang = _lang(this, {"lang": this.lang})
        pre = rules.cookie_value(this.headers.get("cookie"), rules.PRE_COOKIE_NAME)
        secret, _actor = this.consultation.console.sign_in(data.get("token"), pre, this.control["csrf"], this.source_ip)
    except ApiError as error:
        return _refused(this, lang, error)
    # A new session id at every sign-in, whatever cookie came with the request: no session can be fixed in advance.
    return _see(this, url("/", lang), rules.cookie_header(rules.COOKIE_NAME, secret, _secure(this)))


def _posted(act: Callable[[Call, Signed, dict, str], Response], back: Callable[[Call, str], str | None] | None = None):
    """A signed-in form post: its fields, its session and its CSRF value checked, then `act(this, signed, fields,
    lang)`. Any refusal is a console page, with `back(this, lang)` as its way back."""
    this = call()
    lang = this.lang
    signed = None
    try:
        data = this.body("csrf")
        lang = _lang(this, {"lang": this.lang})
        signed = _signed(this)
        this.consultation.console.check_csrf(signed, this.control["csrf"])
        return act(this, signed, data, lang)
    except ApiError as error:
        return _refused(this, lang, error, signed, back(this, lang) if back else None)


@routes.route("/console/sign-out", methods=["POST"], content_types=BODY_TYPES)
def console_sign_out():
    def act(this: Call, signed: Signed, _data: dict, lang: str) -> Response:
        this.consultation.console.sign_out(signed)
        return _see(this, url("/", lang, out="1"), rules.cookie_header(rules.COOKIE_NAME, "", _secure(this), max_age=0))

    return _posted(act)


@routes.route("/console/programs/{program_id}", methods=["GET"])
def console_program(program_id):
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        view = this.consultation.console.overview(signed.actor, program_id)
        view["may_manage_tokens"] = signed.actor.may_manage_tokens
    except ApiError as error:
        return _refused(this, lang, error, signed)
    return _page(this, pages.overview_page(lang, signed.actor.name, signed.csrf, view))


@routes.route("/console/programs/{program_id}/queue", methods=["GET"])
def console_queue(program_id):
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        console = this.consultation.console
        page = console.queue(signed.actor, program_id, this.query("kind"), this.query("cursor"))
        program, challenges = console.staff.program(signed.actor, program_id)
    except ApiError as error:
        return _refused(this, lang, error, signed, url(f"/programs/{program_id}", lang))
    done = this.query("done")
    t = words(lang)
    message = t["done"].format(action=t[done]) if done in ("approve", "reject", "hide", "restore") else None
    vocabulary = this.consultation.context.catalog.vocabulary
    by_id = {c.id: c for c in challenges}
    text = pages.queue_page(lang, signed.actor.name, signed.csrf, program, page, vocabulary, by_id, message)
    return _page(this, text)


@routes.route("/console/comments/{comment_id}/decision", methods=["POST"], content_types=BODY_TYPES)
def console_comment_decision(comment_id):
    def back(this: Call, lang: str) -> str | None:
        seen = this.consultation.store.get_comment(comment_id)
        kind = this.control.get("kind")
        return url(f"/programs/{seen.program}/queue", lang, kind=kind or "pending") if seen is not None else None

    def act(this: Call, signed: Signed, data: dict, lang: str) -> Response:
        this.control["kind"] = data.pop("kind", None) if isinstance(data.get("kind"), str) else None
        decision = _decision(data)
        answer = this.consultation.moderation.decide_comment(signed.actor, comment_id, decision)
        return _see(this, f"{back(this, lang)}&done={decision['action']}#main" if answer else url("/", lang))

    return _posted(act, back)


def _decision(data: dict) -> dict:
    return {name: data[name] for name in ("action", "reason", "note") if data.get(name)}


@routes.route("/console/proposals/{proposal_id}", methods=["GET"])
def console_proposal(proposal_id):
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        item = this.consultation.proposals.staff_read(signed.actor, proposal_id)
        drafted = _drafted(this, signed, item, lang)
    except ApiError as error:
        return _refused(this, lang, error, signed)
    vocabulary = this.consultation.context.catalog.vocabulary
    return _page(this, pages.proposal_page(lang, signed.actor.name, signed.csrf, item, vocabulary, None, drafted))


DRAFT_CHOICES = ("id", "theme", "sdgs")


def _drafted(this: Call, signed: Signed, item: dict, lang: str) -> dict | None:
    """For an approved proposal, the staff API's draft challenge file (or why it cannot be made as chosen)."""
    if item["status"] != "approved":
        return None
    wanted = {name: this.query(name) for name in DRAFT_CHOICES}
    try:
        found = this.consultation.proposals.challenge_draft(signed.actor, item["id"], wanted)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return {"draft": None, "error": error.detail[lang], "wanted": wanted}
    return {"draft": found, "error": None, "wanted": wanted}


@routes.route("/console/proposals/{proposal_id}/challenge.md", methods=["GET"])
def console_challenge_draft(proposal_id):
    """The draft challenge file, to download and upload in a pull request (GitHub's "Upload files")."""
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        wanted = {name: this.query(name) for name in DRAFT_CHOICES}
        found = this.consultation.proposals.challenge_draft(signed.actor, proposal_id, wanted)
    except ApiError as error:
        return _refused(this, lang, error, signed, url(f"/proposals/{proposal_id}", lang))
    answer = this._response(
        found["text"],
        200,
        {
            "Content-Type": "text/markdown; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
    answer.headers["Content-Disposition"] = f'attachment; filename="{found["id"]}.md"'
    return answer


@routes.route("/console/proposals/{proposal_id}/email", methods=["POST"], content_types=BODY_TYPES)
def console_proposal_email(proposal_id):
    """The proposer's email, shown on the page this post answers (never in a URL), each showing audited."""

    def act(this: Call, signed: Signed, _data: dict, lang: str) -> Response:
        proposals = this.consultation.proposals
        email = proposals.reveal_email(signed.actor, proposal_id)
        item = proposals.staff_read(signed.actor, proposal_id)
        vocabulary = this.consultation.context.catalog.vocabulary
        drafted = _drafted(this, signed, item, lang)
        text = pages.proposal_page(lang, signed.actor.name, signed.csrf, item, vocabulary, email or None, drafted)
        return _page(this, text)

    return _posted(act)


@routes.route("/console/proposals/{proposal_id}/decision", methods=["POST"], content_types=BODY_TYPES)
def console_proposal_decision(proposal_id):
    def act(this: Call, signed: Signed, data: dict, lang: str) -> Response:
        decision = _decision(data)
        answer = this.consultation.moderation.decide_proposal(signed.actor, proposal_id, decision)
        program = this.consultation.store.get_proposal(answer["id"]).program
        done = decision["action"]
        return _see(this, url(f"/programs/{program}/queue", lang, kind="proposals", done=done) + "#main")

    return _posted(act, lambda _this, lang: url(f"/proposals/{proposal_id}", lang))


@routes.route("/console/programs/{program_id}/audit", methods=["GET"])
def console_audit(program_id):
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        page = this.consultation.staff.audit(signed.actor, program_id, this.query("cursor"))
        program, _ = this.consultation.staff.program(signed.actor, program_id)
    except ApiError as error:
        return _refused(this, lang, error, signed)
    return _page(this, pages.audit_page(lang, signed.actor.name, signed.csrf, program, page))


@routes.route("/console/programs/{program_id}/results.json", methods=["GET"])
def console_results(program_id):
    return _download(program_id, "results.json", lambda c, actor: c.results.document(actor, program_id))


@routes.route("/console/programs/{program_id}/vote-log.json", methods=["GET"])
def console_vote_log(program_id):
    return _download(program_id, "vote-log.json", lambda c, actor: c.results.vote_log(actor, program_id))


@routes.route("/console/programs/{program_id}/audit.json", methods=["GET"])
def console_audit_file(program_id):
    return _download(program_id, "audit.json", lambda c, actor: _whole_audit(c, actor, program_id))


def _download(program_id: str, name: str, export) -> Response:
    """One of the staff API's exports as a file (each audited by its service, as through the staff commands)."""
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        body = export(this.consultation, signed.actor)
    except ApiError as error:
        return _refused(this, lang, error, signed, url(f"/programs/{program_id}", lang))
    answer = this.json(body)
    answer.headers["Content-Disposition"] = f'attachment; filename="{program_id}-{name}"'
    return answer


def _whole_audit(consultation, actor, program_id: str) -> dict:
    entries, cursor = [], None
    while True:
        page = consultation.staff.audit(actor, program_id, cursor)
        entries += page["entries"]
        cursor = page["next"]
        if not cursor:
            return {"program": page["program"], "entries": entries}


@routes.route("/console/programs/{program_id}/imports", methods=["GET"])
def console_imports(program_id):
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        program, _ = this.consultation.staff.program(signed.actor, program_id)
    except ApiError as error:
        return _refused(this, lang, error, signed)
    done = this.query("done")
    message = None
    if done and re.fullmatch(r"\d{1,6}-\d{1,6}", done):
        votes, comments = done.split("-")
        message = words(lang)["imported"].format(
            votes=count(lang, "votes", int(votes)), comments=count(lang, "comments", int(comments))
        )
    return _page(this, pages.import_page(lang, signed.actor.name, signed.csrf, program, message=message))


@routes.route("/console/programs/{program_id}/imports", methods=["POST"], content_types=BODY_TYPES)
def console_import_upload(program_id):
    """A workshop's CSV file: every problem listed with its line and nothing written, or all of it imported."""
    this = call()
    lang = _lang(this)
    signed = None
    fields: dict[str, str] = {}
    try:
        signed = _signed(this)
        fields, files = read_multipart(
            this.request.raw_body, this.headers.get("content-type"), this.settings.import_max_bytes
        )
        if fields.get("lang") in ("fr", "en"):
            lang = fields["lang"]
        this.consultation.console.check_csrf(signed, fields.get("csrf"))
        program, _ = this.consultation.staff.program(signed.actor, program_id)
        _name, data = files.get("file", ("", b""))
        answer = this.consultation.imports.import_csv(signed.actor, program_id, fields.get("source"), data)
    except ApiError as error:
        if signed is None or error.status in (401, 403, 404):
            return _refused(this, lang, error, signed)
        program, _ = this.consultation.staff.program(signed.actor, program_id)
        problems = error.body(lang).get("problems")
        text = pages.import_page(
            lang,
            signed.actor.name,
            signed.csrf,
            program,
            problems,
            source=fields.get("source", ""),
            error=None if problems else error.detail[lang],
        )
        return _page(this, text, error.status)
    done = f"{answer['votes']}-{answer['comments']}"
    return _see(this, url(f"/programs/{program_id}/imports", lang, done=done) + "#main")


# --- Staff tokens (staff with the "manage tokens" right; staff_access/service.py) --------------------------------


def _tokens_page(this: Call, signed: Signed, program_id: str, lang: str, status: int = 200, **shown) -> Response:
    staff = this.consultation.staff
    records = staff.tokens_of(signed.actor, program_id)
    program, _ = staff.program(signed.actor, program_id)
    mine = this.consultation.console.programs(signed.actor)
    text = pages.tokens_page(lang, signed.actor.name, signed.csrf, program, records, mine, **shown)
    return _page(this, text, status)


@routes.route("/console/programs/{program_id}/tokens", methods=["GET"])
def console_tokens(program_id):
    this = call()
    lang = _lang(this)
    signed = None
    try:
        signed = _signed(this)
        done = this.query("revoked")
        name = None
        if done:
            found = this.consultation.staff.tokens_of(signed.actor, program_id)
            name = next((r.name for r in found if r.id == done and r.revoked), None)
        message = words(lang)["token_revoked"].format(name=name) if name else None
        return _tokens_page(this, signed, program_id, lang, message=message)
    except ApiError as error:
        return _refused(this, lang, error, signed, url(f"/programs/{program_id}", lang))


@routes.route("/console/programs/{program_id}/tokens", methods=["POST"], content_types=BODY_TYPES)
def console_token_create(program_id):
    """A new token, shown once on the page this post answers (never in a URL nor on any later page)."""

    def act(this: Call, signed: Signed, data: dict, lang: str) -> Response:
        form = {
            "name": data.get("name"),
            "programs": [key.removeprefix("program-") for key, on in data.items() if key.startswith("program-") and on],
            "rights": [staff_rules.MANAGE_TOKENS] if data.get("manage-tokens") else [],
        }
        try:
            created = this.consultation.staff.create_token(signed.actor, program_id, form)
        except ApiError as error:
            if error.status != 422:
                raise
            return _tokens_page(this, signed, program_id, lang, 422, error=error.detail[lang])
        return _tokens_page(this, signed, program_id, lang, created=created)

    return _posted(act, lambda _this, lang: url(f"/programs/{program_id}/tokens", lang))


@routes.route("/console/programs/{program_id}/tokens/{token_id}/revoke", methods=["POST"], content_types=BODY_TYPES)
def console_token_revoke(program_id, token_id):
    def act(this: Call, signed: Signed, _data: dict, lang: str) -> Response:
        record = this.consultation.staff.revoke_token(signed.actor, program_id, token_id)
        if record["id"] == signed.actor.token:  # one's own token: this session has just ended with it
            return _see(this, url("/", lang), rules.cookie_header(rules.COOKIE_NAME, "", _secure(this), max_age=0))
        return _see(this, url(f"/programs/{program_id}/tokens", lang, revoked=record["id"]) + "#main")

    return _posted(act, lambda _this, lang: url(f"/programs/{program_id}/tokens", lang))
