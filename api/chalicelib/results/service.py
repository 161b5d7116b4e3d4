"""The results document and the vote log (docs/staff.md), and a voter's own code; each export is audited."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

from ..comments.store import Comment
from ..identity.rules import COOKIE_NAME, token_from_cookie
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.inputs import check_slug
from ..kernel.messages import N_
from ..moderation.rules import moderation_record
from ..staff_access.rules import Actor
from ..staff_access.service import StaffAccess
from ..verification.rules import SESSION_COOKIE
from ..verification.service import Verification
from ..votes import receipts
from . import rules

# Published comments are read for an export in pages of this size.
EXPORT_PAGE = 200
# Entries in one vote-log answer: about 100 bytes each as JSON, so 2 MB, a third of Lambda's 6 MB, read in about a
# second by 20 Queries of 1 MB at most (docs/storage.md, "Exports").
VOTE_LOG_PAGE = 20_000


def _bad_cursor() -> ApiError:
    return ApiError(
        "bad-request",
        N_("cursor is not the `next` of an earlier answer: start the export again without cursor."),
        field="cursor",
    )


def _cursor(challenge: str, position: str | None) -> str:
    text = json.dumps({"c": challenge, "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")


@dataclass
class Results:
    c: Context
    staff: StaffAccess
    verification: Verification | None = None

    def document(self, actor: Actor, program_id: str) -> dict:
        """The results document: live while the consultation is open, final once it has closed."""
        program, challenges = self.staff.program(actor, program_id)
        vocabulary = self.c.catalog.vocabulary
        store = self.c.store
        now = self.c.now()
        rows, comments, offline_channels = [], [], set()
        for challenge in challenges:
            offline = {channel: n for channel, n in store.offline_tally(challenge.id).items() if n}
            published = self._all_published(challenge.id)
            offline_channels.update(offline)
            offline_channels.update(c.channel for c in published if c.channel != "online")
            rows.append((challenge, store.tally(challenge.id), offline, len(published)))
            comments += [
                {
                    "id": c.id,
                    "challenge": c.challenge,
                    "created_at": c.created_at,
                    "channel": c.channel,
                    "text": c.text,
                }
                for c in published
            ]
        channels = ["online", *(ch for ch in vocabulary.offline_channels if ch in offline_channels)]
        document = {
            "format": vocabulary.formats["results"],
            "licence": vocabulary.licence,
            "program": program.id,
            "generated_at": now.isoformat(timespec="seconds"),
            "final": rules.program_closed(program, challenges, now),
            "window": program.window.to_json(),
            "channels": channels,
            "challenges": [
                {
                    "id": challenge.id,
                    "votes": (votes := rules.vote_counts(online, offline, channels)),
                    "votes_total": sum(votes.values()),
                    "comments": count,
                }
                for challenge, online, offline, count in rows
            ],
            "comments": comments,
            **moderation_record(store.moderation_counters(program.id)),
        }
        store.add_audit(self.staff.entry(actor, program.id, "results.export", program.id))
        return document

    def _all_published(self, challenge_id: str) -> list[Comment]:
        found, after = [], None
        while True:
            page, after = self.c.store.published_comments(challenge_id, False, EXPORT_PAGE, after)
            found += page
            if after is None:
                return found

    def vote_log(
        self, actor: Actor, program_id: str, only: str | None = None, cursor: str | None = None, page: int = 0
    ) -> dict:
        """Every vote's entry, by challenge with its salt, once the consultation has closed (409 before).

        One answer holds at most VOTE_LOG_PAGE entries (`page` for tests), so that it stays under Lambda's 6 MB
        and 10 s whatever the number of votes; when more remain it says `next`, the `cursor` to ask for the rest
        (docs/staff.md, "Vote log"). A challenge may span answers: its entries are those of every answer, sorted.
        """
        limit = page or VOTE_LOG_PAGE
        program, challenges = self.staff.program(actor, program_id)
        now = self.c.now()
        rules.require_closed(program, challenges, now)
        if only is not None:
            check_slug(only, N_("challenge"))
            challenges = [c for c in challenges if c.id == only]
            if not challenges:
                raise ApiError("not-found", N_("This challenge is not in this program."))
        start, position = 0, None
        if cursor is not None:
            start, position = self._position(cursor, [c.id for c in challenges])
        store = self.c.store
        listed, budget, following = [], limit, None
        for index in range(start, len(challenges)):
            challenge = challenges[index]
            salt = receipts.salt(self.c.keys.hash_key, challenge.id)
            entries: list[dict] = []
            while budget > 0:
                try:
                    found, position = store.vote_receipts_page(challenge.id, budget, position)
                except ValueError:
                    raise _bad_cursor() from None
                budget -= len(found)
                entries += [
                    {"entry": receipt or receipts.legacy_entry(salt, voter), "channel": "online"}
                    for voter, receipt in found
                ]
                if position is None:
                    break
            done = position is None
            if done:  # the offline entries (bounded by the imports' size) come with the challenge's last part
                entries += [{"entry": e, "channel": ch} for ch, e in store.offline_entries(challenge.id)]
            entries.sort(key=lambda e: (e["channel"], e["entry"]))
            listed.append({"id": challenge.id, "salt": salt, "entries": entries})
            if not done:
                following = _cursor(challenge.id, position)
                break
            if budget <= 0 and index + 1 < len(challenges):
                following = _cursor(challenges[index + 1].id, None)
                break
        if cursor is None:  # one audit entry per export, not per answer
            store.add_audit(self.staff.entry(actor, program.id, "vote-log.export", only or program.id))
        answer = {
            "format": self.c.catalog.vocabulary.formats["vote_log"],
            "program": program.id,
            "generated_at": now.isoformat(timespec="seconds"),
            "hash": receipts.HASH,
            "challenges": listed,
        }
        if following is not None:
            answer["next"] = following
        return answer

    @staticmethod
    def _position(cursor: str, ids: list[str]) -> tuple[int, str | None]:
        """The challenge index and store position a `next` cursor names; 400 for anything else."""
        try:
            data = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii") + b"=="))
            index = ids.index(data["c"])
            position = data["p"]
            if position is not None and not isinstance(position, str):
                raise ValueError
        except (ValueError, TypeError, KeyError, UnicodeEncodeError, binascii.Error):
            raise _bad_cursor() from None
        return index, position

    def my_receipt(self, cookie_header: str | None, program_id: str | None = None) -> dict:
        """The caller's own voter token (GET /me/receipt), to find their entries in the published vote log.

        With `program_id` of a verified program: the verified voter's receipt token for that program
        (verification/rules.py receipt_token), the same on every device the resident verified on.
        """
        if program_id is not None:
            program = self.c.catalog.require_program(program_id)
            if program.verified and self.verification is not None:
                voter = self.verification.participant(program, cookie_header, "")
                if voter is None or voter.token is None:
                    raise ApiError(
                        "not-found",
                        N_("This browser has no verified session for this consultation: confirm residence first."),
                    )
                code = receipts.code(voter.token) or voter.token
                return {"cookie": SESSION_COOKIE, "token": voter.token, "code": code, "hash": receipts.HASH}
        token = token_from_cookie(cookie_header)
        if token is None:
            raise ApiError(
                "not-found",
                N_("This browser has no voter token: it has not taken part yet (or its cookies were cleared)."),
            )
        return {"cookie": COOKIE_NAME, "token": token, "code": receipts.code(token) or token, "hash": receipts.HASH}
