"""What the staff endpoints do (docs/staff.md, "Staff API"), independent of the web framework.

Every method takes the authenticated `Actor` (staff.py) and refuses with 403 a program the actor may not act on.
Every state change writes one audit entry in the same store transaction; exports add one entry of their own.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import TYPE_CHECKING

from . import imports, rules, votelog
from .catalog import ChallengeEntry, ProgramEntry
from .errors import ApiError
from .inputs import Fields, check_comment_id, check_proposal_id, check_slug
from .staff import Actor, authorize
from .store.base import QUEUE_KINDS, AuditEntry, Comment, DuplicateImport, ImportBatch, OfflineVote, Proposal

if TYPE_CHECKING:
    from .service import Consultation

QUEUE_PAGE = 50
AUDIT_PAGE = 100
NOTE_MAX_CHARS = 500
RESULTS_FORMAT = "datacity-results/1"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
# How many times a decision is tried again when the item changed between its read and its conditional write.
DECISION_ATTEMPTS = 3


class StaffDesk:
    def __init__(self, consultation: Consultation):
        self.c = consultation

    @property
    def store(self):
        return self.c.store

    # Lookups
    def program(self, program_id: str) -> tuple[ProgramEntry, list[ChallengeEntry]]:
        check_slug(program_id, "programme", "program")
        catalog = self.c.catalog.get()
        program = catalog.program(program_id)
        if program is None:
            raise ApiError("not-found", "Ce programme n'existe pas.", "This program does not exist.")
        challenges = sorted((c for c in catalog.challenges.values() if c.program == program.id), key=lambda c: c.id)
        return program, challenges

    def _staff_program(self, actor: Actor, program_id: str) -> tuple[ProgramEntry, list[ChallengeEntry]]:
        program, challenges = self.program(program_id)
        authorize(actor, program.id)
        return program, challenges

    def _audit(
        self, actor: Actor, program: str, action: str, target: str, reason: str | None = None, note: str | None = None
    ) -> AuditEntry:
        return AuditEntry(
            id=secrets.token_urlsafe(9),
            at=self.c._now_iso(),
            actor_token=actor.token,
            actor_name=actor.name,
            program=program,
            action=action,
            target=target,
            reason=reason,
            note=note,
        )

    # Moderation queue
    def queue(self, actor: Actor, program_id: str, kind: str | None, cursor: str | None) -> dict:
        from .service import _decode_cursor, _encode_cursor

        program, _ = self._staff_program(actor, program_id)
        kind = kind or "pending"
        if kind not in QUEUE_KINDS:
            raise ApiError(
                "invalid-field",
                f"kind doit valoir {', '.join(QUEUE_KINDS)}.",
                f"kind must be one of {', '.join(QUEUE_KINDS)}.",
                field="kind",
            )
        page, after = self.store.moderation_queue(program.id, kind, QUEUE_PAGE, _decode_cursor(cursor))
        show = _staff_proposal if kind == "proposals" else _staff_comment
        return {
            "program": program.id,
            "kind": kind,
            "items": [show(item) for item in page],
            "next": _encode_cursor(after) if after else None,
        }

    # Decisions
    def _decision(self, data: dict, actions: tuple[str, ...]) -> tuple[str, str | None, str | None]:
        fields = Fields(data, {"action", "reason", "note"})
        action = fields.choice("action", actions, required=True, label_fr="L'action", label_en="The action")
        reason = fields.choice(
            "reason", rules.MODERATION_REASONS, required=False, label_fr="Le motif", label_en="The reason"
        )
        note = fields.text(
            "note", required=False, max_chars=NOTE_MAX_CHARS, multiline=True, label_fr="La note", label_en="The note"
        )
        if rules.reason_required(action) and reason is None:
            raise ApiError(
                "invalid-field",
                f"Un motif est obligatoire pour « {action} » : {', '.join(rules.MODERATION_REASONS)}.",
                f"A reason is required to {action}: {', '.join(rules.MODERATION_REASONS)}.",
                field="reason",
            )
        if not rules.reason_required(action) and reason is not None:
            raise ApiError(
                "invalid-field",
                f"Pas de motif pour « {action} » : retirez le champ reason.",
                f"No reason for {action}: remove the reason field.",
                field="reason",
            )
        return action, reason, note

    def decide_comment(self, actor: Actor, comment_id: str, data: dict) -> dict:
        check_comment_id(comment_id)
        action, reason, note = self._decision(data, rules.COMMENT_ACTIONS)
        for _attempt in range(DECISION_ATTEMPTS):
            comment = self.store.get_comment(comment_id)
            if comment is None:
                raise ApiError("not-found", "Ce commentaire n'existe pas.", "This comment does not exist.")
            authorize(actor, comment.program)
            status = rules.comment_transition(comment.status, comment.reports, action)
            kept_reason = reason if status in ("hidden", "rejected") else None
            delta = rules.moderation_delta((comment.status, comment.reason), (status, kept_reason))
            entry = self._audit(actor, comment.program, f"comment.{action}", comment.id, reason, note)
            if self.store.decide_comment(comment, status, kept_reason, delta, entry):
                return {"id": comment.id, "previous": comment.status, "status": status, "audit": entry.to_json()}
        raise ApiError(
            "conflict",
            "Ce commentaire change en ce moment ; relisez-le et réessayez.",
            "This comment is changing right now; read it again and retry.",
        )

    def proposal(self, actor: Actor, proposal_id: str) -> dict:
        proposal = self._proposal(actor, proposal_id)
        return {**_staff_proposal(proposal), "has_contact": proposal.has_contact}

    def _proposal(self, actor: Actor, proposal_id: str) -> Proposal:
        check_proposal_id(proposal_id)
        proposal = self.store.get_proposal(proposal_id)
        if proposal is None:
            raise ApiError("not-found", "Cette proposition n'existe pas.", "This proposal does not exist.")
        authorize(actor, proposal.program)
        return proposal

    def decide_proposal(self, actor: Actor, proposal_id: str, data: dict) -> dict:
        check_proposal_id(proposal_id)
        action, reason, note = self._decision(data, rules.PROPOSAL_ACTIONS)
        for _attempt in range(DECISION_ATTEMPTS):
            proposal = self._proposal(actor, proposal_id)
            status = rules.proposal_transition(proposal.status, action)
            delta = {f"proposals:{status}": 1}
            entry = self._audit(actor, proposal.program, f"proposal.{action}", proposal.id, reason, note)
            if self.store.decide_proposal(proposal, status, reason, delta, entry):
                return {"id": proposal.id, "previous": proposal.status, "status": status, "audit": entry.to_json()}
        raise ApiError(
            "conflict",
            "Cette proposition change en ce moment ; relisez-la et réessayez.",
            "This proposal is changing right now; read it again and retry.",
        )

    # Public moderation record
    def moderation_record(self, program_id: str) -> dict:
        program, _ = self.program(program_id)
        return {"program": program.id, **rules.moderation_record(self.store.moderation_counters(program.id))}

    # Results
    def results(self, actor: Actor, program_id: str) -> dict:
        program, challenges = self._staff_program(actor, program_id)
        now = self.c.clock()
        rows, comments, offline_channels = [], [], set()
        for challenge in challenges:
            offline = {channel: n for channel, n in self.store.offline_tally(challenge.id).items() if n}
            published = self._all_published(challenge.id)
            offline_channels.update(offline)
            offline_channels.update(c.channel for c in published if c.channel != "online")
            rows.append((challenge, self.store.tally(challenge.id), offline, len(published)))
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
        channels = ["online", *(ch for ch in imports.CHANNELS if ch in offline_channels)]
        document = {
            "format": RESULTS_FORMAT,
            "licence": LICENCE,
            "program": program.id,
            "generated_at": now.isoformat(timespec="seconds"),
            "final": rules.program_closed(program, challenges, now),
            "window": program.window.to_json(),
            "channels": channels,
            "challenges": [
                {
                    "id": challenge.id,
                    "votes": (votes := {"online": online, **{ch: offline.get(ch, 0) for ch in channels[1:]}}),
                    "votes_total": sum(votes.values()),
                    "comments": count,
                }
                for challenge, online, offline, count in rows
            ],
            "comments": comments,
            **rules.moderation_record(self.store.moderation_counters(program.id)),
        }
        self.store.add_audit(self._audit(actor, program.id, "results.export", program.id))
        return document

    def _all_published(self, challenge_id: str) -> list[Comment]:
        found, after = [], None
        while True:
            page, after = self.store.published_comments(challenge_id, False, 200, after)
            found += page
            if after is None:
                return found

    # Vote log
    def vote_log(self, actor: Actor, program_id: str, only: str | None = None) -> dict:
        program, challenges = self._staff_program(actor, program_id)
        now = self.c.clock()
        rules.require_closed(program, challenges, now)
        if only is not None:
            check_slug(only, "défi", "challenge")
            challenges = [c for c in challenges if c.id == only]
            if not challenges:
                raise ApiError(
                    "not-found", "Ce défi n'est pas dans ce programme.", "This challenge is not in this program."
                )
        listed = []
        for challenge in challenges:
            salt = votelog.salt(self.c.keys.hash_key, challenge.id)
            entries = [
                {"entry": receipt or votelog.legacy_entry(salt, voter), "channel": "online"}
                for voter, receipt in self.store.vote_receipts(challenge.id)
            ]
            entries += [{"entry": e, "channel": ch} for ch, e in self.store.offline_entries(challenge.id)]
            entries.sort(key=lambda e: (e["channel"], e["entry"]))
            listed.append({"id": challenge.id, "salt": salt, "entries": entries})
        self.store.add_audit(self._audit(actor, program.id, "vote-log.export", only or program.id))
        return {
            "format": votelog.FORMAT,
            "program": program.id,
            "generated_at": now.isoformat(timespec="seconds"),
            "hash": votelog.HASH,
            "challenges": listed,
        }

    # Offline imports
    def import_rows(self, actor: Actor, program_id: str, data: dict) -> dict:
        program, challenges = self._staff_program(actor, program_id)
        request = imports.check_import(
            data,
            program,
            {c.id for c in challenges},
            self.c.settings.comment_max_chars,
            self.c.settings.name_max_chars,
        )
        import_id = request.import_id
        votes, comments, by_channel = [], [], {}
        for row in request.rows:
            by_channel.setdefault(row.channel, {"votes": 0, "comments": 0})
            if row.kind == "vote":
                salt = votelog.salt(self.c.keys.hash_key, row.challenge)
                votes.append(
                    OfflineVote(
                        challenge=row.challenge,
                        channel=row.channel,
                        key=f"{import_id}#{row.line:07d}",
                        entry=votelog.import_entry(salt, import_id, row.line),
                        collected_on=row.collected_on,
                    )
                )
                by_channel[row.channel]["votes"] += 1
            else:
                comments.append(
                    Comment(
                        id=imported_comment_id(import_id, row.line),
                        challenge=row.challenge,
                        program=program.id,
                        text=row.text,
                        display_name=row.display_name,
                        status="published",
                        created_at=f"{row.collected_on}T00:00:00.000000+00:00",
                        author=f"import:{import_id}:{row.line}",
                        channel=row.channel,
                    )
                )
                by_channel[row.channel]["comments"] += 1
        entry = self._audit(actor, program.id, "import.create", f"import:{import_id}", note=request.source[:500])
        batch = ImportBatch(
            program=program.id,
            digest=request.digest,
            import_id=import_id,
            source=request.source,
            rows_sha256=request.rows_sha256(),
            at=entry.at,
            votes=tuple(votes),
            comments=tuple(comments),
            audit=entry,
        )
        try:
            self.store.import_offline(batch)
        except DuplicateImport:
            raise ApiError(
                "conflict",
                f"Ce fichier (empreinte {request.digest[:12]}…) a déjà été importé dans {program.id} : "
                "un fichier ne s'importe qu'une fois.",
                f"This file (digest {request.digest[:12]}…) was already imported into {program.id}: "
                "a file is imported once.",
                extra={"digest": request.digest},
            ) from None
        return {
            "import": import_id,
            "program": program.id,
            "source": request.source,
            "digest": request.digest,
            "votes": len(votes),
            "comments": len(comments),
            "by_channel": by_channel,
            "audit": entry.to_json(),
        }

    # Audit log
    def audit(self, actor: Actor, program_id: str, cursor: str | None) -> dict:
        from .service import _decode_cursor, _encode_cursor

        program, _ = self._staff_program(actor, program_id)
        page, after = self.store.audit_entries(program.id, AUDIT_PAGE, _decode_cursor(cursor))
        return {
            "program": program.id,
            "entries": [entry.to_json() for entry in page],
            "next": _encode_cursor(after) if after else None,
        }


def imported_comment_id(import_id: str, line: int) -> str:
    """The same id on every attempt of one import: a retry writes the comment once."""
    digest = hashlib.sha256(f"import:{import_id}:{line}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def _staff_comment(comment: Comment) -> dict:
    return {
        "id": comment.id,
        "challenge": comment.challenge,
        "program": comment.program,
        "created_at": comment.created_at,
        "status": comment.status,
        "reason": comment.reason,
        "reports": comment.reports,
        "channel": comment.channel,
        "display_name": comment.display_name,
        "text": comment.text,
    }


def _staff_proposal(proposal: Proposal) -> dict:
    return {
        "id": proposal.id,
        "program": proposal.program,
        "created_at": proposal.created_at,
        "status": proposal.status,
        "reason": proposal.reason,
        "title": proposal.title,
        "description": proposal.description,
        "theme": proposal.theme,
    }
