"""Moderation: staff decide on comments and proposals (approve, reject, hide, restore, with a reason), from queues;
everyone sees the public record of those decisions, as counts, never text."""
