"""The SQLite store left running for a whole consultation: a write-ahead log that stays bounded under sustained
writes and is emptied at a clean stop, and a full disk answered with a clear 503, then recovered."""

from __future__ import annotations

import threading
import time

from chalicelib.adapters.sqlite import SQLiteStore, connection

AT = "2026-11-26T12:00:00.000000+00:00"


def test_the_log_stays_bounded_under_writes_and_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "WAL_LIMIT_BYTES", 256 * 1024)
    store = SQLiteStore(tmp_path / "s.sqlite3")
    wal = tmp_path / "s.sqlite3-wal"
    stop, largest = threading.Event(), []

    def read():  # a reader all along, as a server's tally requests are
        reader = SQLiteStore(tmp_path / "s.sqlite3")
        while not stop.is_set():
            reader.tally("leaks")

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for n in range(3000):
            store.cast_vote("leaks", f"voter-{n:06d}", AT, receipt="f" * 64)
            store.count_hit("votes", "t", f"voter-{n:06d}", 0, 3600)
            if n % 100 == 0:
                largest.append(wal.stat().st_size)
    finally:
        stop.set()
        thread.join()
    # One vote's log is a few pages: the log never goes much past its limit (without the bound: 20 MB here).
    assert max(largest) < 2 * connection.WAL_LIMIT_BYTES, max(largest)
    assert store.tally("leaks") == 3000


def test_the_checkpointer_keeps_the_log_short_without_the_writers_doing_it(tmp_path, monkeypatch):
    """The writers' own checkpoint (which holds every other writer for the whole copy) is only the last resort."""
    monkeypatch.setattr(connection, "WAL_TARGET_BYTES", 128 * 1024)
    monkeypatch.setattr(connection, "WAL_LIMIT_BYTES", 1024 * 1024 * 1024)
    by_writers = []
    real = connection.Connection._bound_wal

    def spy(self, db):
        if self._wal.stat().st_size > connection.WAL_LIMIT_BYTES:
            by_writers.append(1)
        real(self, db)

    monkeypatch.setattr(connection.Connection, "_bound_wal", spy)
    store = SQLiteStore(tmp_path / "s.sqlite3")
    wal, settled = tmp_path / "s.sqlite3-wal", []

    def after_the_checkpointers_turn() -> int:
        # A thread: on a loaded machine it may be descheduled for a while, so give it its turn rather than a
        # deadline that a busy machine would miss.
        deadline = time.monotonic() + 10
        while wal.stat().st_size > 4 * connection.WAL_TARGET_BYTES and time.monotonic() < deadline:
            time.sleep(0.01)
        return wal.stat().st_size

    for n in range(3000):
        store.cast_vote("leaks", f"voter-{n:06d}", AT, receipt="f" * 64)
        if n % 300 == 299:
            settled.append(after_the_checkpointers_turn())
    checkpointer = store._checkpointer
    assert checkpointer is not None and checkpointer.alive()
    # Without a checkpoint the log passes 20 MB here (300 votes alone write some 3 MB of it).
    assert max(settled) <= 4 * connection.WAL_TARGET_BYTES, settled
    assert not by_writers
    store.close()
    assert not checkpointer.alive()
    assert not wal.exists() or wal.stat().st_size == 0
    assert SQLiteStore(tmp_path / "s.sqlite3").tally("leaks") == 3000


def test_a_clean_stop_leaves_an_empty_log_and_the_data(tmp_path):
    store = SQLiteStore(tmp_path / "s.sqlite3")
    for n in range(50):
        store.cast_vote("leaks", f"v{n}", AT)
    assert (tmp_path / "s.sqlite3-wal").stat().st_size > 0
    store.close()
    wal = tmp_path / "s.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert SQLiteStore(tmp_path / "s.sqlite3").tally("leaks") == 50


def test_a_full_disk_is_a_clear_503_that_loses_nothing_and_passes(api):
    """SQLite's max_page_count gives the very error a full disk gives (SQLITE_FULL), on this test's connection."""
    store = api.service.store
    db = store._connection()
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")
    answers = []
    for n in range(200):
        api.cookie = None
        answer = api.request("POST", "/challenges/leaks/comments", {"text": f"avis {n} " + "x" * 900})
        answers.append(answer.status_code)
        if answer.status_code == 503:
            break
    assert answers[-1] == 503, answers
    body = api.json(answer)
    assert "plein" in body["detail"] and answer.headers["Retry-After"] == "300"
    kept = len(answers) - 1
    assert store.moderation_counters("live-post") == {"published": kept}  # the refused one: nothing of it
    db.execute("PRAGMA max_page_count = 1073741823")  # space again
    api.cookie = None
    assert api.request("POST", "/challenges/leaks/comments", {"text": "et maintenant ?"}).status_code == 201
    assert store.moderation_counters("live-post") == {"published": kept + 1}
