"""One SQLite file in WAL mode: a connection per thread, one writer at a time across threads and processes, a
write-ahead log that stays bounded and is emptied at a clean stop, and sqlite3's errors turned into the project's
own."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

from ...kernel.storage import AlreadyExists, StoreFull, StoreUnavailable
from . import migrations

# The write-ahead log's bound. SQLite's automatic checkpoint runs inside COMMIT every 1,000 pages (its fsyncs held
# every other writer), and checkpoints beside the writers (PASSIVE, in a thread of their own, as this store ran) copy pages
# back but never start the log again while writes keep coming: the -wal file grew without end (1.4 GB after 30 s of
# votes). Instead, past this size, the writer that has just committed, still holding the write lock of every process,
# checkpoints with TRUNCATE: no writer can add a frame, readers finish (they take microseconds), the log is copied
# back and cut to zero. At about 10 KB of log per vote, that is one pause of a few milliseconds every ~1,500 votes.
WAL_LIMIT_BYTES = 16 * 1024 * 1024


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """sqlite3's errors as the store's: a taken key, a full disk, a database that cannot answer."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        raise AlreadyExists(str(error)) from error
    except sqlite3.OperationalError as error:
        if "full" in str(error):
            raise StoreFull(str(error)) from error
        raise StoreUnavailable(str(error)) from error
    except sqlite3.DatabaseError as error:
        raise StoreUnavailable(str(error)) from error


class Connection:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        # One writer at a time in this process: SQLite's own busy back-off sleeps up to 100 ms,
        # a lock queues writers fairly (p99 ~11 ms instead of ~250 ms in our measurements).
        self._write_lock = threading.Lock()
        self._lock_file: tuple[int, int] | None = None  # (pid, fd) of the lock file shared with other processes
        self._wal = Path(f"{self.path}-wal")
        self._opened: list[sqlite3.Connection] = []  # every thread's connection, to close at a clean stop
        with translated(), self._write_lock, self._process_lock():
            db = self._connection()
            db.execute("PRAGMA journal_mode=WAL")
            migrations.migrate(db)

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA wal_autocheckpoint=0")  # _bound_wal does it (WAL_LIMIT_BYTES)
            db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")  # what a reset log keeps of its file
            self._local.db = db
            self._opened.append(db)
        return db

    def _rows(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """A read, its faults translated."""
        with translated():
            return self._connection().execute(sql, params).fetchall()

    def _row(self, sql: str, params: tuple | list = ()) -> tuple | None:
        with translated():
            return self._connection().execute(sql, params).fetchone()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Make this thread's writes inside the block ONE transaction: one lock, one commit instead of one each.

        Each write inside stays all or nothing on its own (a savepoint); an exception leaving the block rolls the
        whole batch back.
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

    @contextlib.contextmanager
    def _write(self, one_statement: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction under the process's write lock; inside a batch, a savepoint of the batch's.

        `one_statement`: the block runs a single statement, all or nothing by itself, so needs no savepoint.
        """
        with translated():
            db = self._connection()
            if getattr(self._local, "batch", False):
                if one_statement:
                    yield db
                    return
                db.execute("SAVEPOINT write")
                try:
                    yield db
                except BaseException:
                    if db.in_transaction:  # SQLite itself rolls back everything on some errors (a full disk)
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
                    if db.in_transaction:  # SQLite itself rolls back on some errors (a full disk)
                        db.execute("ROLLBACK")
                    raise
                else:
                    db.execute("COMMIT")
                self._bound_wal(db)

    @contextlib.contextmanager
    def _process_lock(self) -> Iterator[None]:
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

    def _bound_wal(self, db: sqlite3.Connection) -> None:
        """Past WAL_LIMIT_BYTES, copy the log back and cut it, under the write lock (see WAL_LIMIT_BYTES)."""
        try:
            size = self._wal.stat().st_size
        except FileNotFoundError:
            return
        if size > WAL_LIMIT_BYTES:
            # (busy, frames, copied): busy when a reader of another process held on past the busy timeout; the
            # next write tries again.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        """At a clean stop: copy the log back into the database, leave an empty -wal, close every connection."""
        with translated(), self._write_lock, self._process_lock():
            self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            for db in self._opened:
                with contextlib.suppress(sqlite3.Error):
                    db.close()
            self._opened.clear()
            self._local = threading.local()

    # Store-wide operations
    def purge_expired(self, now: int) -> int:
        with self._write() as db:
            removed = db.execute("DELETE FROM contacts WHERE expires_at <= ?", (now,)).rowcount
            removed += db.execute("DELETE FROM counters WHERE expires_at <= ?", (now,)).rowcount
            return removed

    def ping(self) -> None:
        self._row("SELECT 1")
