"""Votes: the window, the rate limit, the vote and its tally, and the answer a voter sees."""

from __future__ import annotations

from dataclasses import dataclass

from ..identity.rules import Participant
from ..identity.service import Identity
from ..kernel.catalog import ChallengeEntry, ProgramEntry
from ..kernel.context import Context
from . import receipts, rules


@dataclass
class Votes:
    c: Context
    identity: Identity

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
            voted = participant is not None and self.c.store.has_voted(challenge.id, participant.voter_key)
        return {
            "challenge": challenge.id,
            "program": program.id,
            "count": self.c.store.tally(challenge.id) if visible else None,
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
        with store.batch():
            refusal = self.identity.count("votes", participant)
            if refusal is None:
                if cast:
                    receipt = None
                    if participant.token:
                        receipt = receipts.receipt(receipts.salt(self.c.keys.hash_key, challenge.id), participant.token)
                    changed = store.cast_vote(challenge.id, participant.voter_key, self.c.now_iso(), receipt)
                else:
                    changed = store.withdraw_vote(challenge.id, participant.voter_key)
        if refusal is not None:
            raise refusal
        # `changed` tells a repeated vote, or a withdrawal with no vote, from one that did something.
        return {**self.answer(challenge, program, participant, voted=cast), "changed": changed}
