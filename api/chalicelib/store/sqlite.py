"""The embedded store: one SQLite file in WAL mode, safe under a threaded server, surviving restarts."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from .base import Comment, Cursor, Proposal, ReportResult, Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    challenge TEXT NOT NULL, voter TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (challenge, voter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tallies (challenge TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS comments (
    id TEXT PRIMARY KEY, challenge TEXT NOT NULL, program TEXT NOT NULL, text TEXT NOT NULL,
    display_name TEXT, status TEXT NOT NULL, created_at TEXT NOT NULL, author TEXT NOT NULL,
    reports INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS comments_by_challenge ON comments (challenge, status, created_at, id);
CREATE INDEX IF NOT EXISTS comments_by_program ON comments (program, status, created_at);
CREATE TABLE IF NOT EXISTS reports (
    comment_id TEXT NOT NULL, reporter TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, reporter)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY, program TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, theme TEXT,
    created_at TEXT NOT NULL, author TEXT NOT NULL, status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS proposals_by_program ON proposals (program, status, created_at);
CREATE TABLE IF NOT EXISTS contacts (
    proposal_id TEXT PRIMARY KEY, email_encrypted TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL, expires_at INTEGER NOT NULL)
    WITHOUT ROWID;
"""

_COMMENT_COLUMNS = "id, challenge, program, text, display_name, status, created_at, author, reports"

# Checkpoint the write-ahead log after this many write transactions, outside the write lock (see _write): SQLite's
# automatic checkpoint (every 1,000 WAL pages) runs inside COMMIT, so its fsyncs (4-12 ms each here) held the
# process's write lock and every other writer queued behind them.
CHECKPOINT_EVERY = 200


class SQLiteStore(Store):
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        # One writer at a time in this process: SQLite's own busy back-off sleeps up to 100 ms,
        # a lock queues writers fairly (p99 ~11 ms instead of ~250 ms in our measurements).
        self._write_lock = threading.Lock()
        self._checkpoint_lock = threading.Lock()
        self._writes = 0
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA wal_autocheckpoint=0")  # _checkpoint does it, outside the write lock
            self._local.db = db
        return db

    @contextmanager
    def batch(self):
        """Make this thread's writes inside the block ONE transaction: one lock, one commit instead of one each.

        Not part of the Store interface: Consultation uses it when a store has it, to count the rate limits and
        record a vote together (3 commits become 1). Each write inside stays all or nothing on its own (a
        savepoint); an exception leaving the block rolls the whole batch back.
        """
        if getattr(self._local, "batch", False):
            yield
            return
        with self._write():
            self._local.batch = True
            try:
                yield
            finally:
                self._local.batch = False

    @contextmanager
    def _write(self, one_statement: bool = False):
        """A write transaction under the process's write lock; inside a batch, a savepoint of the batch's.

        `one_statement`: the block runs a single statement, all or nothing by itself, so needs no savepoint.
        """
        db = self._connection()
        if getattr(self._local, "batch", False):
            if one_statement:
                yield db
                return
            db.execute("SAVEPOINT write")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK TO write")
                db.execute("RELEASE write")
                raise
            else:
                db.execute("RELEASE write")
            return
        with self._write_lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")
            self._writes += 1
            due = self._writes % CHECKPOINT_EVERY == 0
        if due:
            self._checkpoint(db)

    def _checkpoint(self, db: sqlite3.Connection) -> None:
        """Copy the WAL into the database (PASSIVE: readers and writers carry on meanwhile); one at a time."""
        if self._checkpoint_lock.acquire(blocking=False):
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                self._checkpoint_lock.release()

    # Votes
    def cast_vote(self, challenge: str, voter: str, at: str) -> bool:
        with self._write() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO votes (challenge, voter, created_at) VALUES (?, ?, ?)", (challenge, voter, at)
            ).rowcount
            if inserted:
                db.execute(
                    "INSERT INTO tallies (challenge, n) VALUES (?, 1) ON CONFLICT(challenge) DO UPDATE SET n = n + 1",
                    (challenge,),
                )
            return bool(inserted)

    def withdraw_vote(self, challenge: str, voter: str) -> bool:
        with self._write() as db:
            deleted = db.execute("DELETE FROM votes WHERE challenge = ? AND voter = ?", (challenge, voter)).rowcount
            if deleted:
                db.execute("UPDATE tallies SET n = n - 1 WHERE challenge = ?", (challenge,))
            return bool(deleted)

    def has_voted(self, challenge: str, voter: str) -> bool:
        row = (
            self._connection()
            .execute("SELECT 1 FROM votes WHERE challenge = ? AND voter = ?", (challenge, voter))
            .fetchone()
        )
        return row is not None

    def tally(self, challenge: str) -> int:
        row = self._connection().execute("SELECT n FROM tallies WHERE challenge = ?", (challenge,)).fetchone()
        return row[0] if row else 0

    def vote_records(self, challenge: str) -> list[str]:
        rows = self._connection().execute("SELECT voter FROM votes WHERE challenge = ? ORDER BY voter", (challenge,))
        return [r[0] for r in rows]

    # Comments
    def add_comment(self, comment: Comment) -> None:
        with self._write() as db:
            db.execute(
                f"INSERT INTO comments ({_COMMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    comment.id,
                    comment.challenge,
                    comment.program,
                    comment.text,
                    comment.display_name,
                    comment.status,
                    comment.created_at,
                    comment.author,
                    comment.reports,
                ),
            )

    def get_comment(self, comment_id: str) -> Comment | None:
        row = (
            self._connection()
            .execute(f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE id = ?", (comment_id,))
            .fetchone()
        )
        return Comment(*row) if row else None

    def published_comments(
        self, challenge: str, newest_first: bool, limit: int, after: Cursor | None
    ) -> tuple[list[Comment], Cursor | None]:
        order = "DESC" if newest_first else "ASC"
        compare = "<" if newest_first else ">"
        sql = f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE challenge = ? AND status = 'published'"
        params: list = [challenge]
        if after is not None:
            sql += f" AND (created_at, id) {compare} (?, ?)"
            params += list(after)
        sql += f" ORDER BY created_at {order}, id {order} LIMIT ?"
        params.append(limit + 1)
        rows = [Comment(*r) for r in self._connection().execute(sql, params)]
        page = rows[:limit]
        cursor = (page[-1].created_at, page[-1].id) if len(rows) > limit else None
        return page, cursor

    def report_comment(self, comment_id: str, reporter: str, reason: str, at: str, hide_at: int) -> ReportResult:
        with self._write() as db:
            new = db.execute(
                "INSERT OR IGNORE INTO reports (comment_id, reporter, reason, created_at) VALUES (?, ?, ?, ?)",
                (comment_id, reporter, reason, at),
            ).rowcount
            if not new:
                return ReportResult(new=False, hidden=False)
            db.execute("UPDATE comments SET reports = reports + 1 WHERE id = ?", (comment_id,))
            hidden = db.execute(
                "UPDATE comments SET status = 'hidden' WHERE id = ? AND status = 'published' AND reports >= ?",
                (comment_id, hide_at),
            ).rowcount
            return ReportResult(new=True, hidden=bool(hidden))

    # Proposals
    def add_proposal(self, proposal: Proposal, contact: str | None, contact_expires: int | None) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO proposals (id, program, title, description, theme, created_at, author, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    proposal.id,
                    proposal.program,
                    proposal.title,
                    proposal.description,
                    proposal.theme,
                    proposal.created_at,
                    proposal.author,
                    proposal.status,
                ),
            )
            if contact is not None:
                db.execute(
                    "INSERT INTO contacts (proposal_id, email_encrypted, expires_at) VALUES (?, ?, ?)",
                    (proposal.id, contact, contact_expires),
                )

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        db = self._connection()
        row = db.execute(
            "SELECT id, program, title, description, theme, created_at, author, status FROM proposals WHERE id = ?",
            (proposal_id,),
        ).fetchone()
        if row is None:
            return None
        has_contact = db.execute("SELECT 1 FROM contacts WHERE proposal_id = ?", (proposal_id,)).fetchone()
        return Proposal(*row, has_contact=has_contact is not None)

    def get_contact(self, proposal_id: str, now: int) -> str | None:
        row = (
            self._connection()
            .execute(
                "SELECT email_encrypted FROM contacts WHERE proposal_id = ? AND expires_at > ?", (proposal_id, now)
            )
            .fetchone()
        )
        return row[0] if row else None

    # Rate limits
    def count_hit(self, key: str, expires: int) -> int:
        with self._write(one_statement=True) as db:
            row = db.execute(
                "INSERT INTO counters (key, n, expires_at) VALUES (?, 1, ?)"
                " ON CONFLICT(key) DO UPDATE SET n = n + 1 RETURNING n",
                (key, expires),
            ).fetchone()
            return row[0]

    def purge_expired(self, now: int) -> int:
        with self._write() as db:
            removed = db.execute("DELETE FROM contacts WHERE expires_at <= ?", (now,)).rowcount
            removed += db.execute("DELETE FROM counters WHERE expires_at <= ?", (now,)).rowcount
            return removed

    def ping(self) -> None:
        self._connection().execute("SELECT 1").fetchone()
