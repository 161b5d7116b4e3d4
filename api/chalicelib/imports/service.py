"""Offline imports (docs/staff.md, "Offline participation"): check every row, then write all of it or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..comments import rules as comment_rules
from ..comments.store import Comment
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.messages import N_
from ..staff_access.rules import Actor
from ..staff_access.service import StaffAccess
from ..votes import receipts
from . import rules
from .store import DuplicateImport, ImportBatch, OfflineVote


@dataclass
class Imports:
    c: Context
    staff: StaffAccess

    def import_rows(self, actor: Actor, program_id: str, data: dict) -> dict:
        program, challenges = self.staff.program(actor, program_id)
        vocabulary = self.c.catalog.vocabulary
        request = rules.check_import(
            data,
            program,
            {c.id for c in challenges},
            vocabulary.offline_channels,
            vocabulary.limits,
        )
        import_id = request.import_id
        votes, comments, by_channel = [], [], {}
        for row in request.rows:
            by_channel.setdefault(row.channel, {"votes": 0, "comments": 0})
            if row.kind == "vote":
                salt = receipts.salt(self.c.keys.hash_key, row.challenge)
                votes.append(
                    OfflineVote(
                        challenge=row.challenge,
                        channel=row.channel,
                        key=rules.offline_vote_key(import_id, row.line),
                        entry=receipts.import_entry(salt, import_id, row.line),
                        collected_on=row.collected_on,
                    )
                )
                by_channel[row.channel]["votes"] += 1
            else:
                comments.append(
                    Comment(
                        id=rules.imported_comment_id(import_id, row.line),
                        challenge=row.challenge,
                        program=program.id,
                        text=row.text,
                        display_name=row.display_name,
                        status="published",
                        created_at=f"{row.collected_on}T00:00:00.000000+00:00",
                        author=rules.imported_author(import_id, row.line),
                        channel=row.channel,
                    )
                )
                by_channel[row.channel]["comments"] += 1
        per_comment = comment_rules.counter_delta(None, comments[0], vocabulary.hidden_by_reports) if comments else {}
        entry = self.staff.entry(actor, program.id, "import.create", f"import:{import_id}", note=request.source[:500])
        batch = ImportBatch(
            program=program.id,
            digest=request.digest,
            import_id=import_id,
            source=request.source,
            rows_sha256=request.rows_sha256(),
            at=entry.at,
            votes=tuple(votes),
            comments=tuple(comments),
            counters_per_comment=per_comment,
            audit=entry,
        )
        try:
            self.c.store.import_offline(batch)
        except DuplicateImport:
            raise ApiError(
                "conflict",
                N_("This file (digest {digest}…) was already imported into {program}: a file is imported once."),
                values={"digest": request.digest[:12], "program": program.id},
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

    def import_csv(self, actor: Actor, program_id: str, source: object, data: bytes) -> dict:
        """A workshop's CSV file, uploaded in the console: read into rows, then imported as import_rows does (the
        same checks, all or nothing); the file's SHA-256 is the import's digest, so the same file twice is refused."""
        self.staff.program(actor, program_id)
        rows = rules.rows_of_csv(data, self.c.catalog.vocabulary.limits["import_rows"])
        return self.import_rows(
            actor, program_id, {"source": source, "digest": hashlib.sha256(data).hexdigest(), "rows": rows}
        )
