"""Verified participation: who a verified caller is, granting a session after a successful check, the counters.

`grant(context, program_id, method, identifier)` is the one entry the verification methods share (email here,
OpenID Connect in its own module): it makes the verified voter key, stores the session under a keyed hash and
returns the Set-Cookie header to send.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from ..identity.rules import Participant, ip_key
from ..identity.service import Identity
from ..kernel.catalog import ProgramEntry
from ..kernel.context import Context
from ..kernel.errors import MINUTES, ApiError
from ..kernel.inputs import Fields
from ..kernel.messages import N_, plural, text
from ..kernel.storage import AlreadyExists
from . import rules
from .rules import VerifiedSession


def record_outcome(c: Context, program_id: str, method: str, outcome: str, n: int = 1) -> None:
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
    return _grant_key(c, program, method, rules.voter_key(c.keys.hash_key, method, identifier))


def _grant_key(c: Context, program: ProgramEntry, method: str, voter: str) -> str:
    """The session for a verified key already made (an email request keeps the key, never the address)."""
    now = int(c.now().timestamp())
    seconds = c.settings.verified_session_hours * 3600
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
    record_outcome(c, program.id, method, "completed")
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


class Sender(Protocol):
    """What sends a message (adapters/mail.py Mailer): the service never sees SMTP nor SES."""

    def send(self, to: str, subject: str, text: str, lang: str) -> None: ...


MESSAGE = {
    "subject": N_("Confirm your participation: {program}"),
    "body": N_(
        "Hello,\n\nSomeone (probably you) asked to confirm their participation in {program} with this address.\n\nTo confirm it, open this link within {minutes}:\n{link}\n\nOr type this code on the page you came from: {code}\n\nThe link and the code work once. If you did not ask for this, ignore this message: nothing happens without it, and we keep neither your address nor this message.\n"
    ),
}


@dataclass
class EmailVerification:
    """Verification by email: a one-time link, or a short code typed in the page, sent to the address.

    What is kept: the request under a keyed hash of its id, with the verified voter key the address gives and keyed
    hashes of the link's secret and of the code; the address itself only lives in this request's memory until the
    message is handed to the mailer. Every valid address gets the same answer (there is no account to know).
    """

    c: Context
    identity: Identity
    mailer: Sender

    def _program(self, program_id: str) -> ProgramEntry:
        program = self.c.catalog.require_program(program_id)
        if "email" not in program.participation:
            raise ApiError("not-found", N_("This consultation does not offer confirmation by email."))
        return program

    def request(self, program_id: str, body: dict, is_form: bool, lang: str, source_ip: str) -> dict:
        """Send a link and a code to the address; the answer never says whether the address is known."""
        program = self._program(program_id)
        fields = Fields(body, {"email", "return"}, is_form)
        typed = fields.text("email", required=True, max_chars=254, label=N_("The email address"))
        email = rules.normalise_email(typed)
        if email is None:
            raise ApiError("invalid-field", N_("This is not an email address: check what you typed."), field="email")
        return_to = rules.safe_return(fields.text("return", required=False, max_chars=500, label=N_("The way back")))
        hash_key = self.c.keys.hash_key
        # Limits per address to verify (its keyed hash) and per client address, counted before anything is sent.
        limited = Participant(rules.email_subject(hash_key, email), ip_key(hash_key, source_ip))
        self.identity.limit("verifications", limited)
        now = int(self.c.now().timestamp())
        minutes = self.c.settings.verify_link_minutes
        request_id, secret, code = _request_id(), rules.new_secret(), rules.new_code()
        record = rules.EmailRequest(
            rules.request_key(hash_key, request_id),
            program.id,
            rules.voter_key(hash_key, "email", email),
            rules.link_hash(hash_key, request_id, secret),
            rules.code_hash(hash_key, request_id, code),
            return_to,
            lang,
            now,
            now + minutes * 60,
        )
        self.c.store.add_email_request(record)
        link = f"{self.c.settings.site_origin}{self.c.settings.api_base}/programs/{program.id}/verify/email/link?" + (
            urlencode({"r": request_id, "s": secret, "format": "html", "lang": lang})
        )
        title = program.title.get(lang) or next(iter(program.title.values()), program.id)
        try:
            self.mailer.send(
                email,
                text(lang, MESSAGE["subject"], program=title),
                text(
                    lang, MESSAGE["body"], program=title, minutes=plural(lang, MINUTES, minutes), link=link, code=code
                ),
                lang,
            )
        except Exception:
            self.c.store.use_email_request(record.key)  # nothing was sent: nothing waits for it
            raise
        record_outcome(self.c, program.id, "email", "requested")
        return {"program": program.id, "request": request_id, "expires_in": minutes * 60, "return": return_to}

    def confirm_link(self, program_id: str, request_id: object, secret: object) -> tuple[str, str]:
        """Use the link: (Set-Cookie header, the path to go back to); 409 if used, expired or not ours."""
        program = self._program(program_id)
        hash_key = self.c.keys.hash_key
        found = self._pending(program, request_id)
        if not rules.secret_shape(secret) or not rules.same(
            found.link, rules.link_hash(hash_key, str(request_id), str(secret))
        ):
            record_outcome(self.c, program.id, "email", "refused")
            raise _link_refused()
        return self._use(program, found)

    def confirm_code(self, program_id: str, body: dict, is_form: bool) -> tuple[str, str]:
        """Use the code typed in the page: (Set-Cookie header, the path back); 422 for a wrong code (with the tries
        left), 409 once used, expired or tried too often."""
        program = self._program(program_id)
        fields = Fields(body, {"request", "code", "return"}, is_form)
        request_id = fields.text("request", required=True, max_chars=64, label=N_("The request"))
        code = fields.text("code", required=True, max_chars=20, label=N_("The code")).replace(" ", "")
        fields.text("return", required=False, max_chars=500, label=N_("The way back"))
        found = self._pending(program, request_id)
        if not rules.code_shape(code) or not rules.same(
            found.code, rules.code_hash(self.c.keys.hash_key, request_id, code)
        ):
            tries = self.c.store.count_code_attempt(found.key)
            record_outcome(self.c, program.id, "email", "refused")
            if tries == 0 or tries >= rules.MAX_CODE_ATTEMPTS:
                self.c.store.use_email_request(found.key)
                raise _link_refused()
            left = rules.MAX_CODE_ATTEMPTS - tries
            raise ApiError(
                "invalid-field",
                N_("This is not the code we sent. Check the message and try again (tries left: {left})."),
                values={"left": left},
                field="code",
            )
        return self._use(program, found)

    def _pending(self, program: ProgramEntry, request_id: object) -> rules.EmailRequest:
        """The live request of this program, or the 409 that says to ask again."""
        found = None
        if rules.request_id_shape(request_id):
            found = self.c.store.get_email_request(rules.request_key(self.c.keys.hash_key, str(request_id)))
        if found is None or found.program != program.id or found.expires_at <= int(self.c.now().timestamp()):
            record_outcome(self.c, program.id, "email", "refused")
            raise _link_refused()
        return found

    def _use(self, program: ProgramEntry, found: rules.EmailRequest) -> tuple[str, str]:
        # Single use: of concurrent uses of one link or code, only the one that deleted the request verifies.
        if not self.c.store.use_email_request(found.key):
            record_outcome(self.c, program.id, "email", "refused")
            raise _link_refused()
        return _grant_key(self.c, program, "email", found.voter_key), found.return_to


def _request_id() -> str:
    return secrets.token_urlsafe(16)


def _link_refused() -> ApiError:
    return ApiError(
        "conflict",
        N_("This link or code has expired or was already used. Ask for a new one: it takes a minute."),
    )


# The name the contract (notes for the OpenID Connect method) gives it.
record = record_outcome
