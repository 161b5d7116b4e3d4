"""Moderation (docs/staff.md, "Staff API"): the queues, staff decisions on comments and proposals, the public record.

Every decision writes its audit entry in the same store transaction as the change it records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..comments import rules as comment_rules
from ..comments.service import Comments
from ..kernel import paging
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.inputs import Fields, check_item_id
from ..kernel.messages import N_
from ..kernel.views import pick
from ..proposals import rules as proposal_rules
from ..proposals.service import STAFF_PROPOSAL, Proposals
from ..staff_access.rules import Actor, authorize
from ..staff_access.service import StaffAccess
from . import rules

QUEUE_PAGE = 50
# The reports read to count a comment's reasons: a comment hidden by reports has few; a flood is counted to here.
REPORTS_READ = 200
# How many times a decision is tried again when the item changed between its read and its conditional write.
DECISION_ATTEMPTS = 3


# A comment as staff see it in a queue: all of it but its author's key and its queue.
STAFF_COMMENT = (
    "id",
    "challenge",
    "program",
    "created_at",
    "status",
    "reason",
    "reports",
    "channel",
    "display_name",
    "text",
)


@dataclass
class Moderation:
    c: Context
    staff: StaffAccess
    proposals: Proposals
    # Told of a decision on a comment, so that this container's comment pages show it at once.
    comments: Comments | None = None

    def queue(self, actor: Actor, program_id: str, kind: str | None, cursor: str | None) -> dict:
        program, _ = self.staff.program(actor, program_id)
        queues = self.c.catalog.vocabulary.queues
        kind = kind or queues[0]
        if kind not in queues:
            raise ApiError(
                "invalid-field", N_("kind must be one of {kinds}."), values={"kinds": ", ".join(queues)}, field="kind"
            )
        found, after = self.c.store.moderation_queue(program.id, kind, QUEUE_PAGE, paging.decode(cursor))
        shown = STAFF_PROPOSAL if kind == "proposals" else STAFF_COMMENT
        items = [pick(item, shown) for item in found]
        for item in items:
            if kind != "proposals":
                item["report_reasons"] = self.report_reasons(item["id"]) if item.get("reports") else {}
        return {
            "program": program.id,
            "kind": kind,
            "items": items,
            "next": paging.encode(after) if after else None,
        }

    def report_reasons(self, comment_id: str) -> dict[str, int]:
        """How many of the comment's reports gave each reason, the most given first (what `reason` is not: that is
        the staff decision's or the hidden-by-reports category)."""
        counts: dict[str, int] = {}
        for _at, reason in self.c.store.comment_reports(comment_id, REPORTS_READ):
            counts[reason] = counts.get(reason, 0) + 1
        return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))

    def _decision(self, data: dict, actions: tuple[str, ...]) -> tuple[str, str | None, str | None]:
        vocabulary = self.c.catalog.vocabulary
        reasons = tuple(vocabulary.moderation_reasons)
        fields = Fields(data, {"action", "reason", "note"})
        action = fields.choice("action", actions, required=True, label=N_("The action"))
        reason = fields.choice("reason", reasons, required=False, label=N_("The reason"))
        note = fields.text(
            "note",
            required=False,
            max_chars=vocabulary.limits["staff_note"],
            multiline=True,
            label=N_("The note"),
        )
        if rules.reason_required(action) and reason is None:
            raise ApiError(
                "invalid-field",
                N_("A reason is required to {action}: {reasons}."),
                values={"action": action, "reasons": ", ".join(reasons)},
                field="reason",
            )
        if not rules.reason_required(action) and reason is not None:
            raise ApiError(
                "invalid-field",
                N_("No reason for {action}: remove the reason field."),
                values={"action": action},
                field="reason",
            )
        return action, reason, note

    def decide_comment(self, actor: Actor, comment_id: str, data: dict) -> dict:
        check_item_id(comment_id, N_("comment"))
        action, reason, note = self._decision(data, rules.COMMENT_ACTIONS)
        hidden_by_reports = self.c.catalog.vocabulary.hidden_by_reports
        for _attempt in range(DECISION_ATTEMPTS):
            seen = self.c.store.get_comment(comment_id)
            if seen is None:
                raise ApiError("not-found", N_("This comment does not exist."))
            authorize(actor, seen.program)
            status = rules.comment_transition(seen.status, seen.reports, action)
            # Approved or restored, a comment is reviewed: its reports start again from none.
            after = comment_rules.placed(
                replace(
                    seen,
                    status=status,
                    reason=rules.kept_reason(status, reason),
                    reports=0 if status == "published" else seen.reports,
                ),
                hidden_by_reports,
            )
            counters = comment_rules.counter_delta(seen, after, hidden_by_reports)
            entry = self.staff.entry(actor, seen.program, f"comment.{action}", seen.id, reason, note)
            if self.c.store.decide_comment(seen, after, counters, entry):
                if self.comments is not None:
                    self.comments.changed(seen.challenge)
                return {"id": seen.id, "previous": seen.status, "status": status, "audit": entry.to_json()}
        raise ApiError(
            "conflict",
            N_("This comment is changing right now; read it again and retry."),
        )

    def decide_proposal(self, actor: Actor, proposal_id: str, data: dict) -> dict:
        check_item_id(proposal_id, N_("proposal"))
        action, reason, note = self._decision(data, rules.PROPOSAL_ACTIONS)
        for _attempt in range(DECISION_ATTEMPTS):
            seen = self.proposals.get(actor, proposal_id)
            status = rules.proposal_transition(seen.status, action)
            after = replace(seen, status=status, reason=reason)
            entry = self.staff.entry(actor, seen.program, f"proposal.{action}", seen.id, reason, note)
            if self.c.store.decide_proposal(seen, after, {proposal_rules.decided(status): 1}, entry):
                return {"id": seen.id, "previous": seen.status, "status": status, "audit": entry.to_json()}
        raise ApiError(
            "conflict",
            N_("This proposal is changing right now; read it again and retry."),
        )

    def record(self, program_id: str) -> dict:
        """The public moderation record: counts by reason category, never any comment's text."""
        program = self.c.catalog.require_program(program_id)
        return {"program": program.id, **rules.moderation_record(self.c.store.moderation_counters(program.id))}
