"""One SQLite file in WAL mode: a connection per thread, one writer at a time across threads and processes, the
write-ahead log checkpointed off the request path, and sqlite3's errors turned into the project's own."""

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

# Checkpoint the write-ahead log after this many write transactions, outside the write lock (see _write): SQLite's
# automatic checkpoint (every 1,000 WAL pages) runs inside COMMIT, so its fsyncs (4-12 ms each here) held the
# process's write lock and every other writer queued behind them.
CHECKPOINT_EVERY = 200


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
        self._checkpoint_lock = threading.Lock()
        self._writes = 0
        self._lock_file: tuple[int, int] | None = None  # (pid, fd) of the lock file shared with other processes
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
            db.execute("PRAGMA wal_autocheckpoint=0")  # _checkpoint does it, outside the write lock
            self._local.db = db
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
                self._checkpoint()

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

    def _checkpoint(self) -> None:
        """Copy the write-ahead log back into the database (PASSIVE: readers and writers carry on meanwhile); one at a time.

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

    # Store-wide operations
    def purge_expired(self, now: int) -> int:
        with self._write() as db:
            removed = db.execute("DELETE FROM contacts WHERE expires_at <= ?", (now,)).rowcount
            removed += db.execute("DELETE FROM counters WHERE expires_at <= ?", (now,)).rowcount
            return removed

    def ping(self) -> None:
        self._row("SELECT 1")
