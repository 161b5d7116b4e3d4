"""Votes: the window, the rate limit, the vote and its tally, and the answer a voter sees."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ..identity.rules import Participant
from ..identity.service import Identity
from ..kernel.catalog import ChallengeEntry, ProgramEntry
from ..kernel.context import Context
from ..verification import rules as verification_rules
from . import receipts, rules


class TallyCache:
    """Counts kept in the container for TALLY_CACHE_SECONDS, so that tally views cost no shard reads each.

    A container's own votes adjust its copy at once (the voter sees their vote counted); other containers' votes
    show within the staleness. Only what residents see is cached: results and exports read the store.
    """

    def __init__(self, seconds: float, monotonic=time.monotonic):
        self.seconds, self._monotonic = seconds, monotonic
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}

    def counts(self, challenges: list[str], read) -> dict[str, int]:
        """The challenges' counts; those missing or stale read with ONE call of `read(missing) -> {id: count}`."""
        now = self._monotonic()
        with self._lock:
            fresh = {c: hit[1] for c in challenges if (hit := self._counts.get(c)) and now - hit[0] < self.seconds}
        missing = [c for c in challenges if c not in fresh]
        if missing:
            found = read(missing)
            with self._lock:
                for challenge in missing:
                    self._counts[challenge] = (now, found[challenge])
            fresh.update(found)
        return {c: fresh[c] for c in challenges}

    def adjust(self, challenge: str, delta: int) -> None:
        with self._lock:
            hit = self._counts.get(challenge)
            if hit is not None:
                self._counts[challenge] = (hit[0], max(0, hit[1] + delta))


@dataclass
class Votes:
    c: Context
    identity: Identity
    cache: TallyCache = field(init=False)

    def __post_init__(self) -> None:
        self.cache = TallyCache(0 if self.c.store.cheap_reads else self.c.settings.tally_cache_seconds)

    def count(self, challenge_id: str) -> int:
        return self.cache.counts([challenge_id], self.c.store.tallies)[challenge_id]

    def program_tallies(self, program_id: str) -> dict:
        """Every challenge's count of a program in one answer (and at most one store call): a program page's."""
        program = self.c.catalog.require_program(program_id)
        now = self.c.now()
        challenges = self.c.catalog.challenges_of(program.id)
        visible = [c.id for c in challenges if rules.tally_visible(program, c, now)]
        counts = self.cache.counts(visible, self.c.store.tallies) if visible else {}
        return {
            "program": program.id,
            "stale_seconds": self.cache.seconds,
            "tallies": [
                {
                    "challenge": c.id,
                    "count": counts.get(c.id),
                    "visible": c.id in counts,
                    "participation": {"state": rules.participation_state(c, now), **c.window.to_json()},
                }
                for c in challenges
            ],
        }

    def tally(self, challenge_id: str, participant: Participant | None) -> dict:
        return self.answer(*self.c.catalog.require_challenge(challenge_id), participant)

    def answer(
        self,
        challenge: ChallengeEntry,
        program: ProgramEntry,
        participant: Participant | None,
        voted: bool | None = None,
    ) -> dict:
        """The tally answer; `voted` is read from the store unless the caller knows it (it just cast or withdrew)."""
        now = self.c.now()
        visible = rules.tally_visible(program, challenge, now)
        if voted is None:
            voted = participant is not None and self.c.store.has_voted(
                challenge.id, participant.voter_key, participant.previous_keys
            )
        return {
            "challenge": challenge.id,
            "program": program.id,
            "count": self.count(challenge.id) if visible else None,
            "visible": visible,
            "voted": voted,
            "participation": {"state": rules.participation_state(challenge, now), **challenge.window.to_json()},
        }

    def vote(self, challenge_id: str, participant: Participant) -> dict:
        return self.change(*self.c.catalog.require_challenge(challenge_id), participant, cast=True)

    def withdraw(self, challenge_id: str, participant: Participant) -> dict:
        return self.change(*self.c.catalog.require_challenge(challenge_id), participant, cast=False)

    def change(self, challenge: ChallengeEntry, program: ProgramEntry, participant: Participant, cast: bool) -> dict:
        """Check the window, count the rate limits, cast or withdraw, answer with the tally.

        The limits are counted and the vote recorded in one store batch (SQLite: one transaction instead of three);
        the hits of a refused request are counted all the same. Once cast (now or before), the voter has voted;
        once withdrawn, not: the answer says so without reading the vote again.
        """
        rules.require_challenge_open(challenge, self.c.now())
        store = self.c.store
        changed = False
        # Worked out before the batch: the batch holds the store's single writer (SQLite), so it does only writes.
        receipt = None
        if cast and participant.token:
            receipt = receipts.receipt(receipts.salt(self.c.keys.hash_key, challenge.id), participant.token)
        at = self.c.now_iso()
        with store.batch():
            refusal = self.identity.count("votes", participant)
            if refusal is None:
                if cast:
                    changed = store.cast_vote(
                        challenge.id, participant.voter_key, at, receipt, participant.previous_keys
                    )
                else:
                    changed = store.withdraw_vote(challenge.id, participant.voter_key, participant.previous_keys)
                if changed and program.verified:
                    # Votes by verification method, for the results and the moderation record (SQLite: in the
                    # vote's transaction; DynamoDB: one more write, see docs/storage.md).
                    method = verification_rules.method_of(participant.voter_key)
                    store.count_verification(program.id, {verification_rules.vote_counter(method): 1 if cast else -1})
        if refusal is not None:
            raise refusal
        if changed:
            self.cache.adjust(challenge.id, 1 if cast else -1)
        # `changed` tells a repeated vote, or a withdrawal with no vote, from one that did something.
        return {**self.answer(challenge, program, participant, voted=cast), "changed": changed}
