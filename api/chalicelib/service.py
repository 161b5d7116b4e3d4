"""What each endpoint does, independent of the web framework: check, rate-limit, store, answer."""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import secrets
from dataclasses import dataclass

from . import rules, staff, votelog
from .catalog import CatalogFile, ChallengeEntry, ProgramEntry
from .clock import Clock
from .errors import ApiError
from .identity import COOKIE_NAME, Participant, token_from_cookie
from .inputs import Fields, check_comment_id, check_email, check_slug
from .keys import Keys
from .settings import Settings
from .store.base import REPORT_REASONS, Comment, Proposal, Store

NOT_FOUND_CHALLENGE = (
    "Ce défi n'existe pas ou n'est pas publié.",
    "This challenge does not exist or is not published.",
)


@dataclass
class Consultation:
    settings: Settings
    store: Store
    catalog: CatalogFile
    keys: Keys
    clock: Clock
    # Where staff tokens are read (staff.TokenFile or staff.TokenSecret); None: from the settings, on first use.
    staff_tokens: staff.TokenFile | staff.TokenSecret | None = None

    @functools.cached_property
    def desk(self):
        """The staff endpoints' logic (desk.py)."""
        from .desk import StaffDesk

        return StaffDesk(self)

    def staff_actor(self, authorization: str | None, iam_arn: str | None = None) -> staff.Actor:
        """The staff member making this request: from the Bearer token, or the IAM principal (STAFF_AUTH=iam)."""
        if self.settings.staff_auth == "iam":
            return staff.iam_actor(self.settings.staff_iam_programs or {}, iam_arn)
        if self.staff_tokens is None:
            if self.settings.staff_tokens_secret:
                self.staff_tokens = staff.TokenSecret(self.settings.staff_tokens_secret)
            else:
                self.staff_tokens = staff.TokenFile(self.settings.data_dir / staff.TOKENS_FILE)
        return staff.authenticate(self.staff_tokens.records(), authorization)

    def my_receipt(self, cookie_header: str | None) -> dict:
        """The caller's own voter token (GET /me/receipt), to find their entries in the published vote log."""
        token = token_from_cookie(cookie_header)
        if token is None:
            raise ApiError(
                "not-found",
                "Ce navigateur n'a pas de jeton de vote : il n'a pas encore participé (ou ses cookies ont été "
                "effacés).",
                "This browser has no voter token: it has not taken part yet (or its cookies were cleared).",
            )
        return {"cookie": COOKIE_NAME, "token": token, "hash": votelog.HASH}

    # Lookups
    def challenge(self, challenge_id: str) -> tuple[ChallengeEntry, ProgramEntry]:
        check_slug(challenge_id, "défi", "challenge")
        catalog = self.catalog.get()
        challenge = catalog.challenge(challenge_id)
        if challenge is None:
            raise ApiError("not-found", *NOT_FOUND_CHALLENGE)
        return challenge, catalog.program(challenge.program)

    def challenge_url(self, challenge_id: str, lang: str) -> str:
        return self.challenge(challenge_id)[0].urls.get(lang, "")

    def propose_url(self, program_id: str, lang: str) -> str:
        check_slug(program_id, "programme", "program")
        program = self.catalog.get().program(program_id)
        if program is None:
            raise ApiError("not-found", "Ce programme n'existe pas.", "This program does not exist.")
        return program.propose_urls.get(lang, "")

    def _now_iso(self) -> str:
        return self.clock().isoformat(timespec="microseconds")

    def rate_limit(self, action: str, participant: Participant) -> None:
        """Count this request against the caller's token and IP; refuse with 429 past either limit."""
        refusal = self._count_hits(action, participant)
        if refusal is not None:
            raise refusal

    def _count_hits(self, action: str, participant: Participant) -> ApiError | None:
        """Count the request against both limits; the 429 to raise if either is exceeded (both are counted)."""
        per_token, per_ip = self.settings.rate_limits[action]
        start, remaining = rules.rate_window(self.clock(), self.settings.rate_limit_window_seconds)
        expires = start + self.settings.rate_limit_window_seconds
        over = False
        for scope, subject, limit in (("t", participant.voter_key, per_token), ("i", participant.ip_key, per_ip)):
            if self.store.count_hit(f"{action}:{scope}:{subject}:{start}", expires) > limit:
                over = True
        if not over:
            return None
        minutes = max(1, (remaining + 59) // 60)
        return ApiError(
            "rate-limited",
            f"Trop de demandes en peu de temps. Réessayez dans {minutes} minute(s).",
            f"Too many requests in a short time. Try again in {minutes} minute(s).",
            retry_after=remaining,
        )

    # Votes
    def tally(self, challenge_id: str, participant: Participant | None) -> dict:
        return self._tally(*self.challenge(challenge_id), participant)

    def _tally(
        self,
        challenge: ChallengeEntry,
        program: ProgramEntry,
        participant: Participant | None,
        voted: bool | None = None,
    ) -> dict:
        """The tally answer; `voted` is read from the store unless the caller knows it (it just cast or withdrew)."""
        now = self.clock()
        visible = rules.tally_visible(program, challenge, now)
        if voted is None:
            voted = participant is not None and self.store.has_voted(challenge.id, participant.voter_key)
        return {
            "challenge": challenge.id,
            "program": program.id,
            "count": self.store.tally(challenge.id) if visible else None,
            "visible": visible,
            "voted": voted,
            "participation": {"state": rules.participation_state(challenge, now), **challenge.window.to_json()},
        }

    def vote(self, challenge_id: str, participant: Participant) -> dict:
        return self._change_vote(challenge_id, participant, cast=True)

    def withdraw(self, challenge_id: str, participant: Participant) -> dict:
        return self._change_vote(challenge_id, participant, cast=False)

    def _change_vote(self, challenge_id: str, participant: Participant, cast: bool) -> dict:
        """Check the window, count the rate limits, cast or withdraw, answer with the tally (one catalog read).

        A store with `batch()` (SQLite) counts the limits and records the vote in one transaction instead of three;
        the hits of a refused request are counted all the same, as without it. Once cast (now or before), the
        voter has voted; once withdrawn, not: the answer says so without reading the vote again.
        """
        challenge, program = self.challenge(challenge_id)
        rules.require_challenge_open(challenge, self.clock())
        batch = getattr(self.store, "batch", None) or contextlib.nullcontext
        changed = False
        with batch():
            refusal = self._count_hits("votes", participant)
            if refusal is None:
                if cast:
                    receipt = None
                    if participant.token:
                        salt = votelog.salt(self.keys.hash_key, challenge.id)
                        receipt = votelog.receipt(salt, participant.token)
                    changed = self.store.cast_vote(challenge.id, participant.voter_key, self._now_iso(), receipt)
                else:
                    changed = self.store.withdraw_vote(challenge.id, participant.voter_key)
        if refusal is not None:
            raise refusal
        # `changed` tells a repeated vote, or a withdrawal with no vote, from one that did something.
        return {**self._tally(challenge, program, participant, voted=cast), "changed": changed}

    # Comments
    def comments(self, challenge_id: str, order: str | None, cursor: str | None) -> dict:
        challenge, _ = self.challenge(challenge_id)
        order = order or "oldest"
        if order not in ("oldest", "newest"):
            raise ApiError(
                "invalid-field", "order doit valoir oldest ou newest.", "order must be oldest or newest.", field="order"
            )
        page, after = self.store.published_comments(
            challenge.id, order == "newest", self.settings.comments_page_size, _decode_cursor(cursor)
        )
        return {
            "challenge": challenge.id,
            "order": order,
            "comments": [_public(c) for c in page],
            "next": _encode_cursor(after) if after else None,
        }

    def add_comment(self, challenge_id: str, participant: Participant, data: dict, is_form: bool = False) -> dict:
        challenge, program = self.challenge(challenge_id)
        fields = Fields(data, {"text", "display_name"}, is_form)
        text = fields.text(
            "text",
            required=True,
            max_chars=self.settings.comment_max_chars,
            multiline=True,
            label_fr="Le commentaire",
            label_en="The comment",
        )
        name = fields.text(
            "display_name",
            required=False,
            max_chars=self.settings.name_max_chars,
            label_fr="Le nom affiché",
            label_en="The display name",
        )
        rules.require_challenge_open(challenge, self.clock())
        self.rate_limit("comments", participant)
        comment = Comment(
            id=secrets.token_urlsafe(12),
            challenge=challenge.id,
            program=program.id,
            text=text,
            display_name=name,
            status=rules.initial_comment_status(program),
            created_at=self._now_iso(),
            author=participant.voter_key,
        )
        self.store.add_comment(comment)
        return {**_public(comment), "status": comment.status}

    def report(self, comment_id: str, participant: Participant, data: dict, is_form: bool = False) -> dict:
        check_comment_id(comment_id)
        fields = Fields(data, {"reason"}, is_form)
        reason = fields.choice("reason", REPORT_REASONS, required=True, label_fr="Le motif", label_en="The reason")
        comment = self.store.get_comment(comment_id)
        if comment is None or comment.status != "published":
            raise ApiError(
                "not-found",
                "Ce commentaire n'existe pas ou n'est plus affiché.",
                "This comment does not exist or is no longer shown.",
            )
        self.rate_limit("reports", participant)
        self.store.report_comment(
            comment.id, participant.voter_key, reason, self._now_iso(), self.settings.reports_to_hide
        )
        # Whether this report hid the comment is not disclosed: it would tell a reporter how close others came.
        return {"comment": comment.id, "challenge": comment.challenge, "reported": True}

    # Proposals
    def propose(self, program_id: str, participant: Participant, data: dict, is_form: bool = False) -> dict:
        check_slug(program_id, "programme", "program")
        catalog = self.catalog.get()
        program = catalog.program(program_id)
        if program is None:
            raise ApiError("not-found", "Ce programme n'existe pas.", "This program does not exist.")
        fields = Fields(data, {"title", "description", "theme", "email", "consent"}, is_form)
        title = fields.text(
            "title",
            required=True,
            max_chars=self.settings.proposal_title_max_chars,
            label_fr="Le titre",
            label_en="The title",
        )
        description = fields.text(
            "description",
            required=True,
            multiline=True,
            max_chars=self.settings.proposal_description_max_chars,
            label_fr="La description",
            label_en="The description",
        )
        theme = fields.choice("theme", set(catalog.themes), required=False, label_fr="Le thème", label_en="The theme")
        email = check_email(
            fields.text(
                "email", required=False, max_chars=254, label_fr="L'adresse e-mail", label_en="The email address"
            )
        )
        consent = fields.flag("consent", label_fr="Le consentement", label_en="The consent")
        if email and not consent:
            raise ApiError(
                "invalid-field",
                "Pour laisser votre e-mail, cochez la case qui autorise l'équipe à vous recontacter.",
                "To leave your email, tick the box that allows the team to contact you.",
                field="consent",
            )
        rules.require_open(program.window, self.clock(), "La consultation", "The consultation")
        self.rate_limit("proposals", participant)
        proposal = Proposal(
            id=secrets.token_urlsafe(12),
            program=program.id,
            title=title,
            description=description,
            theme=theme,
            created_at=self._now_iso(),
            author=participant.voter_key,
        )
        contact = expires = None
        if email:
            contact = self.keys.encrypt(email)
            expires = int(rules.email_expiry(program, self.settings.email_retention_days).timestamp())
        self.store.add_proposal(proposal, contact, expires)
        return {
            "proposal": proposal.id,
            "program": program.id,
            "status": proposal.status,
            "contact_kept_until": None
            if expires is None
            else rules.email_expiry(program, self.settings.email_retention_days).date().isoformat(),
        }

    def housekeeping(self) -> int:
        """Delete expired contact emails and rate-limit counters; run hourly (app.schedule, serve.py)."""
        return self.store.purge_expired(int(self.clock().timestamp()))

    def health(self) -> dict:
        self.store.ping()
        catalog = self.catalog.get()
        return {"status": "ok", "challenges": len(catalog.challenges), "programs": len(catalog.programs)}


def _public(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "text": comment.text,
        "display_name": comment.display_name,
        "created_at": comment.created_at,
    }


def _encode_cursor(after: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(after)).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> tuple[str, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) and len(v) <= 64 for v in value):
            return value[0], value[1]
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise ApiError(
        "bad-request",
        "Le curseur de page est invalide ; repartez de la première page.",
        "The page cursor is invalid; start again from the first page.",
        field="cursor",
    )
