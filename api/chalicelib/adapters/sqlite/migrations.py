"""The SQLite store's schema, by version (`PRAGMA user_version`), each step applied once, in order, on open.

A database is never changed by hand: a new column or table is a new step at the end of MIGRATIONS, which brings
every existing database to it and is tested from the version before (tests/api/test_sqlite_migrations.py). A
database written by a newer version of the code than this one is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from ...comments.rules import queue_of

# Version 1 as it had become before versions were counted: every table, with the columns added along the way.
SCHEMA_1 = """
CREATE TABLE IF NOT EXISTS votes (
    challenge TEXT NOT NULL, voter TEXT NOT NULL, created_at TEXT NOT NULL, receipt TEXT,
    PRIMARY KEY (challenge, voter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tallies (challenge TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comments (
    id TEXT PRIMARY KEY, challenge TEXT NOT NULL, program TEXT NOT NULL, text TEXT NOT NULL,
    display_name TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, author TEXT NOT NULL,
    reports INTEGER NOT NULL DEFAULT 0, reason TEXT, channel TEXT NOT NULL DEFAULT 'online');
CREATE INDEX IF NOT EXISTS comments_by_challenge ON comments (challenge, status, created_at, id);
CREATE INDEX IF NOT EXISTS comments_by_program ON comments (program, status, created_at);
CREATE TABLE IF NOT EXISTS reports (
    comment_id TEXT NOT NULL, reporter TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, reporter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY, program TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, theme TEXT,
    created_at TEXT NOT NULL, author TEXT NOT NULL, status TEXT NOT NULL, reason TEXT);
CREATE INDEX IF NOT EXISTS proposals_by_program ON proposals (program, status, created_at);
CREATE TABLE IF NOT EXISTS contacts (
    proposal_id TEXT PRIMARY KEY, email_encrypted TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL, expires_at INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS moderation_counts (
    program TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (program, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
    program TEXT NOT NULL, at TEXT NOT NULL, id TEXT NOT NULL, actor_token TEXT NOT NULL, actor_name TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, reason TEXT, note TEXT, PRIMARY KEY (program, at, id)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS audit_never_updated BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are only ever added'); END;
CREATE TRIGGER IF NOT EXISTS audit_never_deleted BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are only ever added'); END;
CREATE TABLE IF NOT EXISTS imports (
    program TEXT NOT NULL, digest TEXT NOT NULL, import_id TEXT NOT NULL, source TEXT NOT NULL,
    rows_sha256 TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (program, digest)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS offline_votes (
    challenge TEXT NOT NULL, key TEXT NOT NULL, channel TEXT NOT NULL, entry TEXT NOT NULL,
    collected_on TEXT NOT NULL, PRIMARY KEY (challenge, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS offline_tallies (
    challenge TEXT NOT NULL, channel TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (challenge, channel))
    WITHOUT ROWID;
"""
# Columns added to version 1 before versions were counted, which a database from then may lack.
COLUMNS_ADDED_TO_1 = {
    "votes": [("receipt", "TEXT")],
    "comments": [("reason", "TEXT"), ("channel", "TEXT NOT NULL DEFAULT 'online'")],
    "proposals": [("reason", "TEXT")],
}
# What version 1 wrote as the reason of a comment hidden by residents' reports (the catalog names it since).
HIDDEN_BY_REPORTS_IN_1 = "reports"


def _to_1(db: sqlite3.Connection) -> None:
    """The first schema; a database created before versions were counted gets the columns it lacks."""
    for statement in _statements(SCHEMA_1):
        db.execute(statement)
    for table, columns in COLUMNS_ADDED_TO_1.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for name, declaration in columns:
            if name not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")


def _statements(script: str) -> list[str]:
    """The script's statements, whole (a trigger's body holds ';'): executescript would commit the transaction."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    return found


def _to_2(db: sqlite3.Connection) -> None:
    """comments.queue: the moderation queue a comment waits in, decided by comments/rules.py, so that a queue is
    one index range (version 1 spelled the rule out in the queue's SQL)."""
    db.execute("ALTER TABLE comments ADD COLUMN queue TEXT")
    db.execute("CREATE INDEX comments_by_queue ON comments (program, queue, created_at, id) WHERE queue IS NOT NULL")
    rows = db.execute("SELECT id, status, reports, reason FROM comments").fetchall()
    for comment_id, status, reports, reason in rows:
        queue = queue_of(status, reports, reason, HIDDEN_BY_REPORTS_IN_1)
        if queue is not None:
            db.execute("UPDATE comments SET queue = ? WHERE id = ?", (queue, comment_id))


def _to_3(db: sqlite3.Connection) -> None:
    """staff_sessions: the console's sessions (console/store.py), under a keyed hash of their secret."""
    db.execute(
        "CREATE TABLE staff_sessions (key TEXT PRIMARY KEY, token TEXT NOT NULL, created_at INTEGER NOT NULL,"
        " seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID"
    )


def _to_4(db: sqlite3.Connection) -> None:
    """Verified participation (verification/store.py): sessions and pending email requests, under keyed hashes
    only (no email, no subject); purge_expired deletes them once expired."""
    db.execute(
        "CREATE TABLE verified_sessions (key TEXT PRIMARY KEY, program TEXT NOT NULL, voter_key TEXT NOT NULL,"
        " method TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE email_requests (key TEXT PRIMARY KEY, program TEXT NOT NULL, voter_key TEXT NOT NULL,"
        " link TEXT NOT NULL, code TEXT NOT NULL, return_to TEXT NOT NULL, lang TEXT NOT NULL,"
        " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)"
        " WITHOUT ROWID"
    )


TALLY_TRIGGERS = """
CREATE TRIGGER votes_tally_cast AFTER INSERT ON votes BEGIN
  INSERT INTO tallies (challenge, n) VALUES (new.challenge, 1) ON CONFLICT(challenge) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER votes_tally_withdrawn AFTER DELETE ON votes BEGIN
  UPDATE tallies SET n = n - 1 WHERE challenge = old.challenge;
END;
"""


def _to_5(db: sqlite3.Connection) -> None:
    """The tally kept by triggers on votes: a vote is then one statement, all or nothing with its tally by itself.

    The store held SQLite's single writer for a savepoint and two statements per vote; one statement is shorter, and
    the tally can no longer be forgotten by a new path that writes votes. The tallies are recounted once, so a
    database whose tallies had drifted starts right.
    """
    for statement in _statements(TALLY_TRIGGERS):
        db.execute(statement)
    db.execute("DELETE FROM tallies")
    db.execute("INSERT INTO tallies (challenge, n) SELECT challenge, count(*) FROM votes GROUP BY challenge")


def _to_6(db: sqlite3.Connection) -> None:
    """oidc_sign_ins: sign-ins with an OpenID provider under way (oidc/store.py), under a keyed hash of their state."""
    db.execute(
        "CREATE TABLE oidc_sign_ins (key TEXT PRIMARY KEY, program TEXT NOT NULL, voter_key TEXT NOT NULL,"
        " sealed TEXT NOT NULL, back TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
        " used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"
    )


MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (1, _to_1),
    (2, _to_2),
    (3, _to_3),
    (4, _to_4),
    (5, _to_5),
    (6, _to_6),
]
LATEST = MIGRATIONS[-1][0]


class NewerDatabase(RuntimeError):
    """The database was written by a newer version of the code."""


def version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite3.Connection) -> int:
    """Bring the database to LATEST, each step in a transaction of its own; the version it is at."""
    for number, step in MIGRATIONS:
        db.execute("BEGIN IMMEDIATE")
        try:
            current = version(db)
            if current > LATEST:
                raise NewerDatabase(
                    f"this database is at schema version {current}; this code knows up to {LATEST}: "
                    "run the newer code, or restore a backup"
                )
            if current < number:
                step(db)
                db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return version(db)
