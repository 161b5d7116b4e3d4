"""Participation rules: windows, statuses, moderation and tally visibility. No storage, no web framework."""

from __future__ import annotations

import datetime as dt

from .catalog import ChallengeEntry, ProgramEntry, Window
from .dates import long_date
from .errors import ApiError
from .store.base import counter_name


def window_state(window: Window, now: dt.datetime) -> str:
    if now < window.opens:
        return "upcoming"
    if now < window.closes:
        return "open"
    return "closed"


def _dates(window: Window, lang: str) -> tuple[str, str]:
    return long_date(lang, window.opens), long_date(lang, window.closes - dt.timedelta(seconds=1))


def require_open(window: Window, now: dt.datetime, what_fr: str, what_en: str) -> None:
    """Raise a 409 whose message gives the dates unless `now` is inside the window."""
    state = window_state(window, now)
    if state == "open":
        return
    fr_opens, fr_closes = _dates(window, "fr")
    en_opens, en_closes = _dates(window, "en")
    extra = {"window": window.to_json(), "state": state}
    if state == "upcoming":
        raise ApiError(
            "not-open",
            f"{what_fr} ouvre le {fr_opens} (jusqu'au {fr_closes} inclus).",
            f"{what_en} opens on {en_opens} (until {en_closes} included).",
            extra=extra,
        )
    raise ApiError(
        "not-open",
        f"{what_fr} est close depuis le {fr_closes} (elle avait ouvert le {fr_opens}).",
        f"{what_en} closed on {en_closes} (it opened on {en_opens}).",
        extra=extra,
    )


def participation_state(challenge: ChallengeEntry, now: dt.datetime) -> str:
    """'upcoming', 'open' or 'closed': a challenge that is not 'open' in the catalog is closed whatever the date."""
    return window_state(challenge.window, now) if challenge.status == "open" else "closed"


def require_challenge_open(challenge: ChallengeEntry, now: dt.datetime) -> None:
    if challenge.status != "open":
        raise ApiError(
            "not-open",
            "Ce défi n'est plus ouvert à la participation.",
            "This challenge is no longer open for participation.",
            extra={"window": challenge.window.to_json(), "state": "closed"},
        )
    require_open(challenge.window, now, "La participation à ce défi", "Participation in this challenge")


def tally_visible(program: ProgramEntry, challenge: ChallengeEntry, now: dt.datetime) -> bool:
    """Counts are public at once on 'live' programs; otherwise only once participation has closed."""
    if program.tallies == "live":
        return True
    return participation_state(challenge, now) == "closed"


def initial_comment_status(program: ProgramEntry) -> str:
    return "pending" if program.moderation == "pre" else "published"


def rate_window(now: dt.datetime, seconds: int) -> tuple[int, int]:
    """(window start as epoch seconds, seconds until the window ends)."""
    epoch = int(now.timestamp())
    start = epoch - epoch % seconds
    return start, start + seconds - epoch


def email_expiry(program: ProgramEntry, retention_days: int) -> dt.datetime:
    """A contact email is deleted this long after the program's consultation closes."""
    return program.window.closes + dt.timedelta(days=retention_days)


# Staff moderation (docs/staff.md, "Staff API")
MODERATION_REASONS = ("spam", "abuse", "personal-data", "off-topic", "illegal", "duplicate", "other")
# The reason recorded for a comment hidden by citizens' reports (REPORTS_TO_HIDE), not by a staff decision.
HIDDEN_BY_REPORTS = "reports"
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
    "pending": ("en attente", "pending"),
    "published": ("publié", "published"),
    "hidden": ("masqué", "hidden"),
    "rejected": ("refusé", "rejected"),
    "approved": ("accepté", "approved"),
}


def reason_required(action: str) -> bool:
    """A reason is required for reject and hide, refused for approve and restore."""
    return action in ("reject", "hide")


def _impossible(what_fr: str, what_en: str, status: str, action: str) -> ApiError:
    fr, en = STATUS_WORDS.get(status, (status, status))
    return ApiError(
        "conflict",
        f"Impossible de faire « {action} » : {what_fr} est actuellement {fr} ({status}).",
        f"Cannot {action}: the {what_en} is currently {en} ({status}).",
        extra={"status": status},
    )


def comment_transition(status: str, reports: int, action: str) -> str:
    """The comment's new status after `action`, or a 409 naming its current status."""
    new = COMMENT_TRANSITIONS.get((status, action))
    if new is None or (status == "published" and action == "approve" and reports <= 0):
        raise _impossible("le commentaire", "comment", status, action)
    return new


def proposal_transition(status: str, action: str) -> str:
    new = PROPOSAL_TRANSITIONS.get((status, action))
    if new is None:
        raise _impossible("la proposition", "proposal", status, action)
    return new


def moderation_bucket(status: str, reason: str | None) -> str | None:
    """The moderation counter a comment in this state counts in (see moderation_record)."""
    return counter_name(status, reason)


def moderation_delta(old: tuple[str, str | None], new: tuple[str, str | None]) -> dict[str, int]:
    """How the program's moderation counters change when a comment goes from (status, reason) `old` to `new`."""
    before, after = moderation_bucket(*old), moderation_bucket(*new)
    if before == after:
        return {}
    delta = {}
    if before:
        delta[before] = -1
    if after:
        delta[after] = delta.get(after, 0) + 1
    return delta


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
    received = max(0, counters.get("proposals:received", 0))
    approved = max(0, counters.get("proposals:approved", 0))
    rejected = max(0, counters.get("proposals:rejected", 0))
    record["proposals"] = {
        "received": received,
        "approved": approved,
        "rejected": rejected,
        "pending": max(0, received - approved - rejected),
    }
    return record


def program_closed(program: ProgramEntry, challenges: list[ChallengeEntry], now: dt.datetime) -> bool:
    """Results are final once the program's window and every one of its challenges are closed."""
    return window_state(program.window, now) == "closed" and all(
        participation_state(c, now) == "closed" for c in challenges
    )


def require_closed(program: ProgramEntry, challenges: list[ChallengeEntry], now: dt.datetime) -> None:
    """409 with the dates while the consultation (or one of its challenges) is still open or to come."""
    if program_closed(program, challenges, now):
        return
    closes = max([program.window.closes, *(c.window.closes for c in challenges if c.status == "open")])
    window = Window(program.window.opens, closes)
    fr_opens, fr_closes = _dates(window, "fr")
    en_opens, en_closes = _dates(window, "en")
    raise ApiError(
        "still-open",
        f"Le journal des votes est publié à la clôture : la consultation est ouverte du {fr_opens} au "
        f"{fr_closes} inclus.",
        f"The vote log is published once the consultation closes: it is open from {en_opens} to {en_closes} included.",
        extra={"window": window.to_json(), "state": window_state(window, now)},
    )
