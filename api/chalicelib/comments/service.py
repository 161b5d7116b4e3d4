"""Comments and reports: list, add, report; the rules decide every state, the store keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..identity.rules import Participant, resent, senders
from ..identity.service import Identity
from ..kernel import paging
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.fresh import Fresh
from ..kernel.ids import keyed_id
from ..kernel.inputs import Fields, check_item_id
from ..kernel.messages import N_
from ..kernel.storage import AlreadyExists
from ..kernel.views import pick
from ..votes.rules import require_challenge_open
from . import rules
from .store import Comment, Report

# How many times a report is tried again when the comment changed between its read and its conditional write.
REPORT_ATTEMPTS = 5


# What anyone may see of a published comment.
PUBLIC = ("id", "text", "display_name", "created_at")


@dataclass
class Comments:
    c: Context
    identity: Identity
    _pages: Fresh | None = field(default=None, init=False, repr=False)

    def pages(self) -> Fresh:
        """Comment pages as residents get them, kept COMMENTS_CACHE_SECONDS in the container (none on SQLite): a
        page may miss a comment or a moderation decision for that long, never longer."""
        if self._pages is None:
            self._pages = Fresh(0 if self.c.store.cheap_reads else self.c.settings.comments_cache_seconds)
        return self._pages

    def changed(self, challenge_id: str) -> None:
        """A comment of the challenge was added, hidden or restored here: this container's next pages show it."""
        self.pages().forget(lambda key: key[0] == challenge_id)

    def page(self, challenge_id: str, order: str | None, cursor: str | None) -> dict:
        challenge, _ = self.c.catalog.require_challenge(challenge_id)
        order = order or "oldest"
        if order not in rules.ORDERS:
            raise ApiError("invalid-field", N_("order must be oldest or newest."), field="order")
        position = paging.decode(cursor)
        found, after = self.pages().get(
            (challenge.id, order, cursor or ""),
            lambda: self.c.store.published_comments(
                challenge.id, order == "newest", self.c.settings.comments_page_size, position
            ),
        )
        return {
            "challenge": challenge.id,
            "order": order,
            "comments": [pick(c, PUBLIC) for c in found],
            "next": paging.encode(after) if after else None,
        }

    def add(self, challenge_id: str, participant: Participant, data: dict, is_form: bool = False) -> dict:
        catalog = self.c.catalog
        challenge, program = catalog.require_challenge(challenge_id)
        limits = catalog.vocabulary.limits
        fields = Fields(data, {"text", "display_name"}, is_form)
        text = fields.text(
            "text",
            required=True,
            max_chars=limits["comment"],
            multiline=True,
            label=N_("The comment"),
        )
        name = fields.text(
            "display_name",
            required=False,
            max_chars=limits["display_name"],
            label=N_("The display name"),
        )
        require_challenge_open(challenge, self.c.now())
        self.identity.limit("comments", participant)
        hidden_by_reports = catalog.vocabulary.hidden_by_reports
        # The same comment sent twice (a double click, a retry after a time-out) is one comment: its id is the
        # submission's own (docs/api.md, "Sent twice"), and the store refuses a second one.
        key = self.c.keys.hash_key
        by_browser, by_address = senders(participant)
        comment_id = keyed_id(key, "comment", by_browser, challenge.id, text, name or "")
        if by_address is not None:
            earlier_id = keyed_id(key, "comment", by_address, challenge.id, text, name or "")
            earlier = resent(self.c.store.get_comment(earlier_id), self.c.now())
            if earlier is not None:
                return {**pick(self._answered(earlier), PUBLIC), "status": earlier.status}
        comment = rules.placed(
            Comment(
                id=comment_id,
                challenge=challenge.id,
                program=program.id,
                text=text,
                display_name=name,
                status=rules.initial_status(program),
                created_at=self.c.now_iso(),
                author=participant.voter_key,
            ),
            hidden_by_reports,
        )
        try:
            self.c.store.add_comment(comment, rules.counter_delta(None, comment, hidden_by_reports))
            # This container's readers (the author's next page load) see it at once; others within the staleness.
            self.changed(challenge.id)
        except AlreadyExists:
            comment = self._answered(self.c.store.get_comment(comment_id))
        return {**pick(comment, PUBLIC), "status": comment.status}

    @staticmethod
    def _answered(first: Comment | None) -> Comment:
        """The comment a new one repeats, to answer as the first time; a 409 if moderation has since removed it."""
        if first is None or first.status not in ("pending", "published"):
            raise ApiError(
                "conflict",
                N_("You already sent this comment; the moderation team did not keep it."),
            )
        return first

    def report(self, comment_id: str, participant: Participant, data: dict, is_form: bool = False) -> dict:
        check_item_id(comment_id, N_("comment"))
        vocabulary = self.c.catalog.vocabulary
        fields = Fields(data, {"reason"}, is_form)
        reason = fields.choice("reason", vocabulary.report_reasons, required=True, label=N_("The reason"))
        store = self.c.store
        for attempt in range(REPORT_ATTEMPTS):
            comment = store.get_comment(comment_id)
            if comment is None or comment.status != "published":
                raise ApiError(
                    "not-found",
                    N_("This comment does not exist or is no longer shown."),
                )
            if attempt == 0:
                self.identity.limit("reports", participant)
            after = rules.reported(comment, self.c.settings.reports_to_hide, vocabulary.hidden_by_reports)
            counters = rules.counter_delta(comment, after, vocabulary.hidden_by_reports)
            report = Report(comment.id, participant.voter_key, reason, self.c.now_iso())
            if store.record_report(comment, after, report, counters) is not False:
                if after.status != comment.status:
                    self.changed(comment.challenge)
                # Whether this report hid the comment is not said: it would tell a reporter how close others came.
                return {"comment": comment.id, "challenge": comment.challenge, "reported": True}
        raise ApiError(
            "conflict",
            N_("This comment is changing right now; try again in a moment."),
        )
