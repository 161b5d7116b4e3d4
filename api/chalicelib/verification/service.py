"""Verified participation: who a verified caller is, granting a session after a successful check, the counters.

`grant(context, program_id, method, identifier)` is the one entry the verification methods share (email here,
OpenID Connect in its own module): it makes the verified voter key, stores the session under a keyed hash and
returns the Set-Cookie header to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..identity.rules import Participant, ip_key
from ..kernel.catalog import ProgramEntry
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.messages import N_
from ..kernel.storage import AlreadyExists
from . import rules
from .rules import VerifiedSession


def record(c: Context, program_id: str, method: str, outcome: str, n: int = 1) -> None:
    """Count a verification request, completion or refusal for the program (the moderation record shows them)."""
    if outcome not in rules.OUTCOMES:
        raise ValueError(f"unknown verification outcome {outcome!r}")
    c.store.count_verification(program_id, {rules.outcome_counter(method, outcome): n})


def grant(c: Context, program_id: str, method: str, identifier: str) -> str:
    """After a successful verification: a new verified session for `identifier`; the Set-Cookie header to send.

    `identifier` is normalised by the method (email: rules.normalise_email; OpenID Connect: "<issuer> <subject>").
    The session is stored only as a keyed hash of the cookie's secret, bound to the verified voter key, expiring
    after VERIFIED_SESSION_HOURS. Counts one completion for the program. ValueError for a method the program does
    not offer (a bug of the caller, never a resident's input).
    """
    program = c.catalog.programs.get(program_id)
    if program is None or not rules.accepts(program.participation, method):
        raise ValueError(f"program {program_id!r} does not offer verification by {method!r}")
    now = int(c.now().timestamp())
    seconds = c.settings.verified_session_hours * 3600
    voter = rules.voter_key(c.keys.hash_key, method, identifier)
    while True:
        secret = rules.new_secret()
        session = VerifiedSession(
            rules.session_key(c.keys.hash_key, secret), program.id, voter, method, now, now + seconds
        )
        try:
            c.store.add_verified_session(session)
            break
        except AlreadyExists:  # 2^-256: the loop is for form's sake
            continue
    record(c, program.id, method, "completed")
    return rules.cookie_header(secret, c.settings.cookie_secure, seconds)


def verify_url(c: Context, program_id: str, lang: str, return_to: str) -> str:
    """The page where a resident confirms residence for a program, then comes back to `return_to`."""
    query = urlencode({"format": "html", "lang": lang, "return": rules.safe_return(return_to)})
    return f"{c.settings.site_origin}{c.settings.api_base}/programs/{program_id}/verify?{query}"


@dataclass
class Verification:
    c: Context

    def session(self, cookie_header: str | None) -> VerifiedSession | None:
        """The caller's live verified session, if any."""
        secret = rules.session_secret(cookie_header)
        if secret is None:
            return None
        found = self.c.store.get_verified_session(rules.session_key(self.c.keys.hash_key, secret))
        if found is None or not rules.alive(found, int(self.c.now().timestamp())):
            return None
        return found

    def participant(self, program: ProgramEntry, cookie_header: str | None, source_ip: str) -> Participant | None:
        """The caller as a verified voter of `program`, or None without a session the program accepts.

        The Participant's voter_key is the verified key, and its token the verified receipt token
        (rules.receipt_token), so votes, rate limits and receipts work as for a cookie's voter.
        """
        found = self.session(cookie_header)
        if found is None or not rules.accepts(program.participation, found.method):
            return None
        token = rules.receipt_token(self.c.keys.hash_key, program.id, found.voter_key)
        return Participant(found.voter_key, ip_key(self.c.keys.hash_key, source_ip), None, token)

    def require(
        self, program: ProgramEntry, cookie_header: str | None, source_ip: str, lang: str, return_to: str
    ) -> Participant:
        """The verified voter, or the 403 that says to verify, with the link to do it."""
        found = self.participant(program, cookie_header, source_ip)
        if found is not None:
            return found
        url = verify_url(self.c, program.id, lang, return_to)
        raise ApiError(
            "verification-required",
            N_("This consultation counts one vote per resident: confirm that you live here before voting."),
            extra={"verify": url, "methods": list(program.participation)},
        )

    def status(self, program_id: str, cookie_header: str | None) -> dict:
        """Whether the caller is verified for the program, how, and until when (GET /programs/{id}/verification)."""
        program = self.c.catalog.require_program(program_id)
        found = self.session(cookie_header)
        ok = found is not None and rules.accepts(program.participation, found.method)
        return {
            "program": program.id,
            "participation": list(program.participation),
            "verified": ok,
            "method": found.method if ok and found else None,
            "expires_at": found.expires_at if ok and found else None,
        }

    def forget(self, cookie_header: str | None) -> str:
        """End the caller's session (a shared computer); the Set-Cookie header that clears the cookie."""
        secret = rules.session_secret(cookie_header)
        if secret is not None:
            self.c.store.end_verified_session(rules.session_key(self.c.keys.hash_key, secret))
        return rules.cookie_header("", self.c.settings.cookie_secure, None)
