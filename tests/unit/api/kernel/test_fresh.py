"""Fresh (kernel/fresh.py): a value kept for its seconds, made again after, forgotten on demand, bounded."""

from __future__ import annotations

from chalicelib.kernel import fresh
from chalicelib.kernel.fresh import Fresh


def test_kept_for_its_seconds_then_made_again_and_forgotten_on_demand():
    now, made = [0.0], []
    kept = Fresh(5, monotonic=lambda: now[0])

    def make(value):
        return lambda: made.append(value) or value

    assert kept.get(("a", 1), make("first")) == "first"
    now[0] = 4.9
    assert kept.get(("a", 1), make("second")) == "first"
    now[0] = 5.0
    assert kept.get(("a", 1), make("third")) == "third"
    kept.get(("b", 1), make("b"))
    kept.forget(lambda key: key[0] == "a")
    assert kept.get(("a", 1), make("fourth")) == "fourth" and kept.get(("b", 1), make("no")) == "b"
    assert made == ["first", "third", "b", "fourth"]


def test_zero_seconds_keeps_nothing_and_memory_is_bounded(monkeypatch):
    calls = []
    none = Fresh(0)
    none.get("k", lambda: calls.append(1))
    none.get("k", lambda: calls.append(1))
    assert len(calls) == 2
    monkeypatch.setattr(fresh, "MAX_ENTRIES", 10)
    bounded = Fresh(60, monotonic=lambda: 0.0)
    for i in range(25):
        bounded.get(i, lambda i=i: i)
    assert len(bounded._entries) <= 10
