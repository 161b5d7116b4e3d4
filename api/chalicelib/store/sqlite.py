"""The embedded store: one SQLite file in WAL mode, safe under a threaded server, surviving restarts."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import weakref
from contextlib import contextmanager
from pathlib import Path

from .base import (
    HIDDEN_BY_REPORTS,
    PROPOSALS_RECEIVED,
    AuditEntry,
    Comment,
    Cursor,
    DuplicateImport,
    ImportBatch,
    Proposal,
    ReportResult,
    Store,
    counter_name,
)

SCHEMA = """
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

# Columns added after the first version: an existing database gets them on open (ALTER TABLE ... ADD COLUMN).
ADDED_COLUMNS = {
    "votes": [("receipt", "TEXT")],
    "comments": [("reason", "TEXT"), ("channel", "TEXT NOT NULL DEFAULT 'online'")],
    "proposals": [("reason", "TEXT")],
}

_COMMENT_COLUMNS = "id, challenge, program, text, display_name, status, created_at, author, reports, reason, channel"
_PROPOSAL_COLUMNS = "id, program, title, description, theme, created_at, author, status"
_AUDIT_COLUMNS = "id, at, actor_token, actor_name, program, action, target, reason, note"

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
        self._lock_file: tuple[int, int] | None = None  # (pid, fd) of the lock file shared with other processes
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            for table, columns in ADDED_COLUMNS.items():
                have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for name, declaration in columns:
                    if name not in have:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")

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
        with self._write_lock, self._process_lock():
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

    @contextmanager
    def _process_lock(self):
        """The write lock across processes (api/serve.py's workers): a file lock, which wakes the next writer at once.

        Without it SQLite's own busy handler makes a writer that finds the database locked sleep 1 ms or more.
        """
        lock = self._lock_file
        if lock is None or lock[0] != os.getpid():  # opened again after a fork: flock is per open file
            lock = (os.getpid(), os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600))
            self._lock_file = lock
            weakref.finalize(self, os.close, lock[1])
        fcntl.flock(lock[1], fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock[1], fcntl.LOCK_UN)

    def _checkpoint(self, db: sqlite3.Connection) -> None:
        """Copy the WAL into the database (PASSIVE: readers and writers carry on meanwhile); one at a time.

        In a thread of its own, on a connection of its own: its fsyncs must not hold up the request that made the
        due write (api/serve.py answers every request in one thread; there, checkpoints in line halved the votes/s).
        """
        if self._checkpoint_lock.acquire(blocking=False):
            threading.Thread(target=self._run_checkpoint, name="sqlite-checkpoint", daemon=True).start()

    def _run_checkpoint(self) -> None:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                db.close()
        finally:
            self._checkpoint_lock.release()

    # Votes
    def cast_vote(self, challenge: str, voter: str, at: str, receipt: str | None = None) -> bool:
        with self._write() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO votes (challenge, voter, created_at, receipt) VALUES (?, ?, ?, ?)",
                (challenge, voter, at, receipt),
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

    def vote_receipts(self, challenge: str) -> list[tuple[str, str | None]]:
        rows = self._connection().execute(
            "SELECT voter, receipt FROM votes WHERE challenge = ? ORDER BY voter", (challenge,)
        )
        return [(r[0], r[1]) for r in rows]

    # Offline votes
    def offline_tally(self, challenge: str) -> dict[str, int]:
        rows = self._connection().execute("SELECT channel, n FROM offline_tallies WHERE challenge = ?", (challenge,))
        return {channel: n for channel, n in rows}

    def offline_entries(self, challenge: str) -> list[tuple[str, str]]:
        rows = self._connection().execute(
            "SELECT channel, entry FROM offline_votes WHERE challenge = ? ORDER BY key", (challenge,)
        )
        return [(r[0], r[1]) for r in rows]

    def import_offline(self, batch: ImportBatch) -> None:
        with self._write() as db:
            if db.execute(
                "SELECT 1 FROM imports WHERE program = ? AND digest = ?", (batch.program, batch.digest)
            ).fetchone():
                raise DuplicateImport(batch.digest)
            db.execute(
                "INSERT INTO imports (program, digest, import_id, source, rows_sha256, at) VALUES (?, ?, ?, ?, ?, ?)",
                (batch.program, batch.digest, batch.import_id, batch.source, batch.rows_sha256, batch.at),
            )
            for vote in batch.votes:
                db.execute(
                    "INSERT INTO offline_votes (challenge, key, channel, entry, collected_on) VALUES (?, ?, ?, ?, ?)",
                    (vote.challenge, vote.key, vote.channel, vote.entry, vote.collected_on),
                )
                db.execute(
                    "INSERT INTO offline_tallies (challenge, channel, n) VALUES (?, ?, 1)"
                    " ON CONFLICT(challenge, channel) DO UPDATE SET n = n + 1",
                    (vote.challenge, vote.channel),
                )
            for comment in batch.comments:
                self._insert_comment(db, comment)
            if batch.comments:
                self._bump(db, batch.program, {"published": len(batch.comments)})
            self._insert_audit(db, batch.audit)

    # Comments
    def add_comment(self, comment: Comment) -> None:
        with self._write() as db:
            self._insert_comment(db, comment)
            counter = counter_name(comment.status, comment.reason)
            if counter:
                self._bump(db, comment.program, {counter: 1})

    @staticmethod
    def _insert_comment(db: sqlite3.Connection, comment: Comment) -> None:
        db.execute(
            f"INSERT INTO comments ({_COMMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                comment.reason,
                comment.channel,
            ),
        )

    @staticmethod
    def _bump(db: sqlite3.Connection, program: str, delta: dict[str, int]) -> None:
        for name, change in delta.items():
            if change:
                db.execute(
                    "INSERT INTO moderation_counts (program, name, n) VALUES (?, ?, ?)"
                    " ON CONFLICT(program, name) DO UPDATE SET n = n + excluded.n",
                    (program, name, change),
                )

    @staticmethod
    def _insert_audit(db: sqlite3.Connection, entry: AuditEntry) -> None:
        # A plain INSERT: an existing (program, at, id) is an IntegrityError, never a replacement.
        db.execute(
            f"INSERT INTO audit ({_AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.id,
                entry.at,
                entry.actor_token,
                entry.actor_name,
                entry.program,
                entry.action,
                entry.target,
                entry.reason,
                entry.note,
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
            row = db.execute(
                "UPDATE comments SET status = 'hidden', reason = ?"
                " WHERE id = ? AND status = 'published' AND reports >= ? RETURNING program",
                (HIDDEN_BY_REPORTS, comment_id, hide_at),
            ).fetchone()
            if row is not None:
                self._bump(db, row[0], {"published": -1, f"hidden:{HIDDEN_BY_REPORTS}": 1})
            return ReportResult(new=True, hidden=row is not None)

    # Moderation
    def moderation_queue(
        self, program: str, kind: str, limit: int, after: Cursor | None
    ) -> tuple[list[Comment] | list[Proposal], Cursor | None]:
        if kind == "proposals":
            sql = f"SELECT {_PROPOSAL_COLUMNS}, reason FROM proposals WHERE program = ? AND status = 'pending'"
        elif kind == "pending":
            sql = f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE program = ? AND status = 'pending'"
        elif kind == "reported":
            sql = (
                f"SELECT {_COMMENT_COLUMNS} FROM comments WHERE program = ?"
                " AND ((status = 'published' AND reports > 0)"
                f" OR (status = 'hidden' AND COALESCE(reason, '{HIDDEN_BY_REPORTS}') = '{HIDDEN_BY_REPORTS}'))"
            )
        else:
            raise ValueError(f"unknown queue '{kind}'")
        params: list = [program]
        if after is not None:
            sql += " AND (created_at, id) > (?, ?)"
            params += list(after)
        sql += " ORDER BY created_at, id LIMIT ?"
        params.append(limit + 1)
        rows = list(self._connection().execute(sql, params))
        found: list = [Proposal(*r[:8], reason=r[8]) if kind == "proposals" else Comment(*r) for r in rows]
        page = found[:limit]
        cursor = (page[-1].created_at, page[-1].id) if len(found) > limit else None
        return page, cursor

    def decide_comment(
        self, seen: Comment, status: str, reason: str | None, delta: dict[str, int], audit: AuditEntry
    ) -> bool:
        with self._write() as db:
            sql = "UPDATE comments SET status = ?, reason = ?"
            if status == "published":
                sql += ", reports = 0"
            sql += " WHERE id = ? AND status = ?"
            if seen.status == status == "published":
                sql += " AND reports > 0"  # approving a reported comment: still reported
            if not db.execute(sql, (status, reason, seen.id, seen.status)).rowcount:
                return False
            self._bump(db, seen.program, delta)
            self._insert_audit(db, audit)
            return True

    def decide_proposal(
        self, seen: Proposal, status: str, reason: str | None, delta: dict[str, int], audit: AuditEntry
    ) -> bool:
        with self._write() as db:
            changed = db.execute(
                "UPDATE proposals SET status = ?, reason = ? WHERE id = ? AND status = ?",
                (status, reason, seen.id, seen.status),
            ).rowcount
            if not changed:
                return False
            self._bump(db, seen.program, delta)
            self._insert_audit(db, audit)
            return True

    def moderation_counters(self, program: str) -> dict[str, int]:
        rows = self._connection().execute("SELECT name, n FROM moderation_counts WHERE program = ?", (program,))
        return {name: n for name, n in rows}

    # Audit log
    def add_audit(self, entry: AuditEntry) -> None:
        with self._write() as db:
            self._insert_audit(db, entry)

    def audit_entries(self, program: str, limit: int, after: Cursor | None) -> tuple[list[AuditEntry], Cursor | None]:
        sql = f"SELECT {_AUDIT_COLUMNS} FROM audit WHERE program = ?"
        params: list = [program]
        if after is not None:
            sql += " AND (at, id) > (?, ?)"
            params += list(after)
        sql += " ORDER BY at, id LIMIT ?"
        params.append(limit + 1)
        found = [AuditEntry(*r) for r in self._connection().execute(sql, params)]
        page = found[:limit]
        cursor = (page[-1].at, page[-1].id) if len(found) > limit else None
        return page, cursor

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
            self._bump(db, proposal.program, {PROPOSALS_RECEIVED: 1})

    def get_proposal(self, proposal_id: str) -> Proposal | None:
        db = self._connection()
        row = db.execute(f"SELECT {_PROPOSAL_COLUMNS}, reason FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        if row is None:
            return None
        has_contact = db.execute("SELECT 1 FROM contacts WHERE proposal_id = ?", (proposal_id,)).fetchone()
        return Proposal(*row[:8], has_contact=has_contact is not None, reason=row[8])

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
