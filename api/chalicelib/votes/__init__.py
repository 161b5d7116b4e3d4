"""Votes: one per voter per challenge, counted in the same transaction that records it; the tally and its visibility."""
