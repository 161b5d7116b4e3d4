"""The results document and the vote log (docs/staff.md), and a voter's own code; each export is audited."""

from __future__ import annotations

from dataclasses import dataclass

from ..comments.store import Comment
from ..identity.rules import COOKIE_NAME, token_from_cookie
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.inputs import check_slug
from ..moderation.rules import moderation_record
from ..staff_access.rules import Actor
from ..staff_access.service import StaffAccess
from ..votes import receipts
from . import rules

# Published comments are read for an export in pages of this size.
EXPORT_PAGE = 200


@dataclass
class Results:
    c: Context
    staff: StaffAccess

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

    def vote_log(self, actor: Actor, program_id: str, only: str | None = None) -> dict:
        """Every vote's entry, by challenge with its salt, once the consultation has closed (409 before)."""
        program, challenges = self.staff.program(actor, program_id)
        now = self.c.now()
        rules.require_closed(program, challenges, now)
        if only is not None:
            check_slug(only, "défi", "challenge")
            challenges = [c for c in challenges if c.id == only]
            if not challenges:
                raise ApiError(
                    "not-found", "Ce défi n'est pas dans ce programme.", "This challenge is not in this program."
                )
        store = self.c.store
        listed = []
        for challenge in challenges:
            salt = receipts.salt(self.c.keys.hash_key, challenge.id)
            entries = [
                {"entry": receipt or receipts.legacy_entry(salt, voter), "channel": "online"}
                for voter, receipt in store.vote_receipts(challenge.id)
            ]
            entries += [{"entry": e, "channel": ch} for ch, e in store.offline_entries(challenge.id)]
            entries.sort(key=lambda e: (e["channel"], e["entry"]))
            listed.append({"id": challenge.id, "salt": salt, "entries": entries})
        store.add_audit(self.staff.entry(actor, program.id, "vote-log.export", only or program.id))
        return {
            "format": self.c.catalog.vocabulary.formats["vote_log"],
            "program": program.id,
            "generated_at": now.isoformat(timespec="seconds"),
            "hash": receipts.HASH,
            "challenges": listed,
        }

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
        return {"cookie": COOKIE_NAME, "token": token, "hash": receipts.HASH}
