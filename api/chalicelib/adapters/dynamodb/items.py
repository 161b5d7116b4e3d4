"""How records become items and back, shared by the DynamoDB store's rooms (docs/storage.md)."""

from __future__ import annotations

from ...comments.store import Comment
from ...proposals.store import Proposal
from ...staff_access.store import AuditEntry
from .table import as_int, as_str, key, n, new_item, queue_of_partition, queue_partition, read_strings, s, strings

INDEX_KEYS = ("GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")


def comment_key(comment_id: str) -> dict:
    return key(f"COMMENT#{comment_id}", "C")


def comment_index(comment: Comment) -> dict:
    """The sparse index keys of a comment: GSI1 (its challenge's public listing) while published; GSI2 (the
    moderation queue its rules put it in, `comment.queue`) while it waits in one."""
    sort = s(f"{comment.created_at}#{comment.id}")
    keys = {}
    if comment.status == "published":
        keys.update({"GSI1PK": s(f"COMMENTS#{comment.challenge}"), "GSI1SK": sort})
    if comment.queue is not None:
        keys.update({"GSI2PK": s(queue_partition(comment.program, comment.queue)), "GSI2SK": sort})
    return keys


COMMENT = ("id", "challenge", "program", "text", "status", "created_at", "author")
COMMENT_OPTIONAL = ("display_name", "reason")


def comment_item(comment: Comment) -> dict:
    item = {
        **comment_key(comment.id),
        "type": s("comment"),
        **strings(comment, COMMENT, COMMENT_OPTIONAL),
        "reports": n(comment.reports),
        **comment_index(comment),
    }
    if comment.channel != "online":  # most comments: no attribute
        item["channel"] = s(comment.channel)
    return item


def comment_of(item: dict) -> Comment:
    program = item["program"]["S"]
    return Comment(
        **read_strings(item, COMMENT, COMMENT_OPTIONAL),
        reports=as_int(item.get("reports")),
        channel=as_str(item.get("channel")) or "online",
        queue=queue_of_partition(program, as_str(item.get("GSI2PK"))),
    )


def comment_move(seen: Comment, after: Comment) -> dict:
    """The Update that moves a comment from `seen` to `after` (status, reason, reports, index keys), only if it is
    still as seen (same status, same number of reports)."""
    keys = comment_index(after)
    names = {"#status": "status", "#reason": "reason", "#reports": "reports"}
    values = {
        ":new": s(after.status),
        ":seen": s(seen.status),
        ":reports": n(after.reports),
        ":seen_reports": n(seen.reports),
    }
    sets = ["#status = :new", "#reports = :reports"]
    removes = [name for name in INDEX_KEYS if name not in keys]
    for name, value in keys.items():
        sets.append(f"{name} = :{name}")
        values[f":{name}"] = value
    if after.reason is None:
        removes.append("#reason")
    else:
        sets.append("#reason = :reason")
        values[":reason"] = s(after.reason)
    return {
        "Update": {
            "Key": comment_key(seen.id),
            "UpdateExpression": "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else ""),
            "ConditionExpression": "attribute_exists(PK) AND #status = :seen AND #reports = :seen_reports",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


PROPOSAL = ("id", "program", "title", "description", "created_at", "author", "status")
PROPOSAL_OPTIONAL = ("theme", "reason")


def proposal_item(proposal: Proposal) -> dict:
    return {"type": s("proposal"), **strings(proposal, PROPOSAL, PROPOSAL_OPTIONAL)}


def proposal_of(item: dict, has_contact: bool) -> Proposal:
    return Proposal(**read_strings(item, PROPOSAL, PROPOSAL_OPTIONAL), has_contact=has_contact)


AUDIT = ("id", "at", "actor_token", "actor_name", "program", "action", "target")
AUDIT_OPTIONAL = ("reason", "note")


def audit_put(entry: AuditEntry) -> dict:
    """Put of one audit entry, only if its key is new: an entry is never replaced (nor updated, nor deleted).

    PK AUDIT#<program>, SK <at>#<id>: the program's log is one partition, sorted by time.
    """
    item = {
        **key(f"AUDIT#{entry.program}", f"{entry.at}#{entry.id}"),
        "type": s("audit"),
        **strings(entry, AUDIT, AUDIT_OPTIONAL),
    }
    return new_item(item)


def audit_of(item: dict) -> AuditEntry:
    return AuditEntry(**read_strings(item, AUDIT, AUDIT_OPTIONAL))
