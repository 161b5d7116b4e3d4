"""The console's service: sign-in turns a staff token into a session; a session gives the actor, as a Bearer token
does for the staff commands, so every page goes through the same rooms' services (moderation, staff_access...)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from ..identity import rules as identity_rules
from ..kernel.context import Context
from ..kernel.errors import ApiError, Minutes
from ..kernel.messages import N_
from ..moderation.service import Moderation
from ..staff_access import rules as staff_rules
from ..staff_access.rules import Actor
from ..staff_access.service import StaffAccess
from . import rules


@dataclass(frozen=True)
class Signed:
    """A live session: who, its stored key, and the CSRF value its forms carry."""

    actor: Actor
    key: str
    csrf: str


def signed_out(message: str) -> ApiError:
    return ApiError("unauthorized", message)


@dataclass
class Console:
    c: Context
    staff: StaffAccess
    moderation: Moderation

    def _now(self) -> int:
        return int(self.c.now().timestamp())

    def pre_csrf(self, pre_secret: str) -> str:
        return rules.csrf_value(self.c.keys.hash_key, pre_secret)

    def sign_in(self, token: object, pre_secret: str | None, csrf: object, source_ip: str) -> tuple[str, Actor]:
        """A new session for a valid staff token: (the cookie's secret, the actor). Counted against the address."""
        if not rules.csrf_matches(self.c.keys.hash_key, pre_secret, csrf):
            raise _csrf_refused()
        start, remaining = identity_rules.rate_window(self.c.now(), rules.SIGN_IN_WINDOW_SECONDS)
        subject = identity_rules.ip_key(self.c.keys.hash_key, source_ip)
        hits = self.c.store.count_hit("staff-sign-in", "i", subject, start, start + rules.SIGN_IN_WINDOW_SECONDS)
        if hits > rules.SIGN_IN_ATTEMPTS:
            minutes = max(1, (remaining + 59) // 60)
            raise ApiError(
                "rate-limited",
                N_("Too many sign-in attempts from this address. Try again in {minutes}."),
                values={"minutes": Minutes(minutes)},
                retry_after=remaining,
            )
        if self.staff.tokens is None:
            raise ApiError(
                "forbidden",
                N_("The console needs staff tokens; this deployment uses IAM (STAFF_AUTH=iam)."),
            )
        text = token.strip() if isinstance(token, str) else ""
        actor = staff_rules.authenticate(self.staff.tokens.records(), f"Bearer {text}" if text else None)
        secret = rules.new_secret()
        self.c.store.add_session(
            rules.new_session(rules.session_key(self.c.keys.hash_key, secret), actor.token, self._now())
        )
        return secret, actor

    def session(self, cookie_header: str | None) -> Signed:
        """The session behind the cookie, its token still valid; 401 if there is none, it timed out or was revoked."""
        secret = rules.cookie_value(cookie_header, rules.COOKIE_NAME)
        if secret is None:
            raise signed_out(N_("Sign in with your staff token."))
        key = rules.session_key(self.c.keys.hash_key, secret)
        found = self.c.store.get_session(key)
        now = self._now()
        if found is None or not rules.alive(found, now):
            if found is not None:
                self.c.store.end_session(key)
            raise signed_out(N_("Your session has expired or was closed: sign in again."))
        record = self.staff.tokens.records().get(found.token) if self.staff.tokens is not None else None
        if record is None or record.revoked:
            self.c.store.end_session(key)
            raise signed_out(N_("This session's token has been revoked: the session is closed."))
        if rules.needs_touch(found, now):
            self.c.store.touch_session(key, now, now + rules.IDLE_SECONDS)
        return Signed(
            Actor(record.id, record.name, record.programs, record.rights),
            key,
            rules.csrf_value(self.c.keys.hash_key, secret),
        )

    def check_csrf(self, signed: Signed, sent: object) -> None:
        if not isinstance(sent, str) or not hmac.compare_digest(signed.csrf, sent):
            raise _csrf_refused()

    def sign_out(self, signed: Signed) -> None:
        self.c.store.end_session(signed.key)

    def programs(self, actor: Actor) -> list:
        """The programs of the catalog this actor may act on, in the catalog's order."""
        return [p for p in self.c.catalog.programs.values() if p.id in actor.programs]

    def overview(self, actor: Actor, program_id: str) -> dict:
        """Where the consultation stands: its window, its votes, its moderation and proposals counts."""
        program, challenges = self.staff.program(actor, program_id)
        record = self.moderation.record(program.id)
        queues = {}
        for kind in self.c.catalog.vocabulary.queues:
            found, after = self.c.store.moderation_queue(program.id, kind, 50, None)
            queues[kind] = f"{len(found)}+" if after else str(len(found))
        votes = sum(self.c.store.tally(challenge.id) for challenge in challenges)
        return {"program": program, "challenges": challenges, "record": record, "queues": queues, "votes": votes}

    def queue(self, actor: Actor, program_id: str, kind: str | None, cursor: str | None) -> dict:
        """The moderation queue, as the staff API gives it (each comment with its reports' reasons)."""
        return self.moderation.queue(actor, program_id, kind, cursor)


def _csrf_refused() -> ApiError:
    return ApiError(
        "forbidden",
        N_("This form has expired or does not come from the console: reload the page and try again."),
    )
