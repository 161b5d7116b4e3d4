"""The SQLite store's schema versions (adapters/sqlite/migrations.py): an old database is brought up to date on
open, once, and keeps its data; a database from newer code is refused."""

from __future__ import annotations

import sqlite3

import pytest

from chalicelib.adapters.sqlite import SQLiteStore, migrations

# A database as the store wrote it before versions were counted, before comments had a reason or a channel.
OLD_SCHEMA = """
CREATE TABLE votes (challenge TEXT NOT NULL, voter TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (challenge, voter)) WITHOUT ROWID;
CREATE TABLE tallies (challenge TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE comments (id TEXT PRIMARY KEY, challenge TEXT NOT NULL, program TEXT NOT NULL, text TEXT NOT NULL,
    display_name TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, author TEXT NOT NULL,
    reports INTEGER NOT NULL DEFAULT 0);
CREATE TABLE proposals (id TEXT PRIMARY KEY, program TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
    theme TEXT, created_at TEXT NOT NULL, author TEXT NOT NULL, status TEXT NOT NULL);
"""
AT = "2026-11-26T12:00:0{n}.000000+00:00"


def old_database(path):
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO votes VALUES ('leaks', 'v1', ?)", (AT.format(n=0),))
    db.execute("INSERT INTO tallies VALUES ('leaks', 1)")
    rows = [("pending", 0), ("published", 2), ("hidden", 3), ("published", 0)]
    for n, (status, reports) in enumerate(rows):
        db.execute(
            "INSERT INTO comments VALUES (?, 'leaks', 'p', 't', NULL, ?, ?, 'a', ?)",
            (f"c{n:015d}", status, AT.format(n=n), reports),
        )
    db.commit()
    db.close()


def test_an_old_database_is_brought_up_to_date_and_keeps_its_data(tmp_path):
    path = tmp_path / "datacity.sqlite3"
    old_database(path)
    store = SQLiteStore(path)
    assert migrations.version(store._connection()) == migrations.LATEST
    assert store.tally("leaks") == 1 and store.vote_receipts("leaks") == [("v1", None)]
    assert [c.id for c in store.moderation_queue("p", "pending", 10, None)[0]] == ["c000000000000000"]
    reported = store.moderation_queue("p", "reported", 10, None)[0]
    # Published with reports, and hidden with no reason recorded (then only reports hid comments).
    assert [(c.id, c.status) for c in reported] == [("c000000000000001", "published"), ("c000000000000002", "hidden")]
    assert store.get_comment("c000000000000003").queue is None
    assert store.get_comment("c000000000000003").channel == "online"


def test_opening_again_changes_nothing(tmp_path):
    path = tmp_path / "datacity.sqlite3"
    SQLiteStore(path).cast_vote("leaks", "v1", AT.format(n=0))
    again = SQLiteStore(path)
    assert migrations.version(again._connection()) == migrations.LATEST and again.tally("leaks") == 1


def test_a_database_of_newer_code_is_refused(tmp_path):
    path = tmp_path / "datacity.sqlite3"
    SQLiteStore(path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    db.close()
    with pytest.raises(migrations.NewerDatabase, match="run the newer code"):
        SQLiteStore(path)


def test_every_step_is_numbered_in_order():
    assert [number for number, _ in migrations.MIGRATIONS] == list(range(1, migrations.LATEST + 1))


def test_version_5_recounts_the_tallies_and_keeps_them_with_the_votes(tmp_path):
    path = tmp_path / "datacity.sqlite3"
    old_database(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE tallies SET n = 7")  # drifted, as a path that wrote votes without its tally would leave it
    db.commit()
    db.close()
    store = SQLiteStore(path)
    assert store.tally("leaks") == 1
    assert store.cast_vote("leaks", "v2", AT.format(n=1)) and not store.cast_vote("leaks", "v2", AT.format(n=2))
    assert store.cast_vote("drains", "v2", AT.format(n=3))
    assert (store.tally("leaks"), store.tally("drains")) == (2, 1)
    assert store.withdraw_vote("leaks", "v1") and not store.withdraw_vote("leaks", "v1")
    assert store.tallies(["leaks", "drains", "none"]) == {"leaks": 1, "drains": 1, "none": 0}
