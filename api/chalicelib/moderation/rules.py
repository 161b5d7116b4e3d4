"""Staff decisions: which are possible from which status, when a reason is needed, and the public record.

No storage, no web framework. What a comment's state puts it in (queues, counters) is comments/rules.py.
"""

from __future__ import annotations

from ..kernel.errors import ApiError, Term
from ..kernel.messages import N_
from ..proposals import rules as proposal_rules
from ..verification import rules as verification_rules

COMMENT_ACTIONS = ("approve", "reject", "hide", "restore")
PROPOSAL_ACTIONS = ("approve", "reject")
# (current status, action) -> new status. Approving a published comment is allowed only while it is reported.
COMMENT_TRANSITIONS = {
    ("pending", "approve"): "published",
    ("pending", "reject"): "rejected",
    ("published", "hide"): "hidden",
    ("published", "approve"): "published",
    ("hidden", "restore"): "published",
    ("hidden", "reject"): "rejected",
}
PROPOSAL_TRANSITIONS = {("pending", "approve"): "approved", ("pending", "reject"): "rejected"}
STATUS_WORDS = {
    "pending": N_("pending"),
    "published": N_("published"),
    "hidden": N_("hidden"),
    "rejected": N_("refused"),
    "approved": N_("approved"),
}


def reason_required(action: str) -> bool:
    """A reason is required for reject and hide, refused for approve and restore."""
    return action in ("reject", "hide")


def kept_reason(status: str, reason: str | None) -> str | None:
    """A comment keeps its decision's reason while hidden or rejected; published, it has none."""
    return reason if status in ("hidden", "rejected") else None


def _impossible(what: str, status: str, action: str) -> ApiError:
    return ApiError(
        "conflict",
        N_("Cannot {action}: {what} is currently {state} ({status})."),
        values={
            "action": action,
            "what": Term(what),
            "state": Term(STATUS_WORDS.get(status, status)),
            "status": status,
        },
        extra={"status": status},
    )


def comment_transition(status: str, reports: int, action: str) -> str:
    """The comment's new status after `action`, or a 409 naming its current status."""
    new = COMMENT_TRANSITIONS.get((status, action))
    if new is None or (status == "published" and action == "approve" and reports <= 0):
        raise _impossible(N_("the comment"), status, action)
    return new


def proposal_transition(status: str, action: str) -> str:
    new = PROPOSAL_TRANSITIONS.get((status, action))
    if new is None:
        raise _impossible(N_("the proposal"), status, action)
    return new


def moderation_record(counters: dict[str, int]) -> dict:
    """The public moderation record from the program's counters: counts only, never text."""
    record: dict = {
        "moderation": {
            "published": max(0, counters.get("published", 0)),
            "pending": max(0, counters.get("pending", 0)),
            "hidden": {},
            "rejected": {},
        }
    }
    for name, value in sorted(counters.items()):
        kind, _, reason = name.partition(":")
        if kind in ("hidden", "rejected") and reason and value > 0:
            record["moderation"][kind][reason] = value
    received = max(0, counters.get(proposal_rules.RECEIVED, 0))
    approved = max(0, counters.get(proposal_rules.decided("approved"), 0))
    rejected = max(0, counters.get(proposal_rules.decided("rejected"), 0))
    record["proposals"] = {
        "received": received,
        "approved": approved,
        "rejected": rejected,
        "pending": max(0, received - approved - rejected),
    }
    verified = verification_rules.verification_record(counters)
    if verified is not None:  # a verified program: votes by method, and how verifications ended
        record["verification"] = verified
    return record
