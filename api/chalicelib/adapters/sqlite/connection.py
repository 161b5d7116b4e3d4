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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from ...kernel.storage import AlreadyExists, StoreFull, StoreUnavailable
from . import migrations

# The write-ahead log's bound. SQLite's automatic checkpoint runs inside COMMIT every 1,000 pages (its fsyncs held
# every other writer), and checkpoints beside the writers (PASSIVE) copy pages back but never start the log again
# while writes keep coming: the -wal file grew without end (1.4 GB after 30 s of votes). A log is only started again
# by a checkpoint that copies every frame, which needs the writers held. So, in two steps:
# - past WAL_TARGET_BYTES a checkpointer thread (one per file across processes, elected by a file lock) copies the
#   log back beside the writers (PASSIVE: most of the work, nobody waits), then takes the write lock only for the
#   few frames written meanwhile and TRUNCATE (a few milliseconds);
# - past WAL_LIMIT_BYTES (the checkpointer cannot keep up, or is gone), the writer that has just committed does the
#   TRUNCATE itself, holding the others (the whole copy: 30-170 ms, measured, so only as the last resort).
# With the writer doing every checkpoint at 16 MB, votes had a p99 of 70-83 ms through the local server, against
# 11-12 ms with no bound at all; with the checkpointer, side by side in one run, a 1 MB target gave a p99 of 21 ms,
# 4 MB 29 ms, 16 MB 41 ms, at the same throughput (docs/benchmarks.md, "(a3)").
WAL_TARGET_BYTES = 1024 * 1024
WAL_LIMIT_BYTES = 48 * 1024 * 1024

T = TypeVar("T")


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
        self._checkpointer: _Checkpointer | None = None
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
            db.execute(f"PRAGMA journal_size_limit={WAL_TARGET_BYTES}")  # what a reset log keeps of its file
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

    # Records kept under their key until purge_expired deletes them (sign-ins, verified sessions, email requests,
    # staff sessions): their SQL is written here once, the rooms name only the table and its columns.
    def _insert(self, table: str, columns: tuple[str, ...], record: object) -> None:
        """Insert the record's fields named by `columns`; a taken key is AlreadyExists (an IntegrityError)."""
        with self._write(one_statement=True) as db:
            db.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                [getattr(record, column) for column in columns],
            )

    def _by_key(self, table: str, columns: tuple[str, ...], key: str, record: Callable[..., T]) -> T | None:
        """The record under `key`, made from its columns in order; None if there is none."""
        row = self._row(f"SELECT {', '.join(columns)} FROM {table} WHERE key = ?", (key,))
        return record(*row) if row else None

    def _delete_by_key(self, table: str, key: str) -> bool:
        """Delete the record under `key`: True for the one call that deleted it (single use), False if it was gone."""
        with self._write(one_statement=True) as db:
            return db.execute(f"DELETE FROM {table} WHERE key = ?", (key,)).rowcount == 1

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
        """After a commit, once the write lock is let go: wake the checkpointer, or past the limit checkpoint here."""
        try:
            size = self._wal.stat().st_size
        except FileNotFoundError:
            return
        if size > WAL_LIMIT_BYTES:
            # (busy, frames, copied): busy when a reader of another process held on past the busy timeout; the
            # next write tries again.
            with self._write_lock, self._process_lock():
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        elif size > WAL_TARGET_BYTES:
            checkpointer = self._checkpointer
            if checkpointer is None or not checkpointer.alive():  # none yet in this process (or lost in a fork)
                checkpointer = self._checkpointer = _Checkpointer(self)
            checkpointer.wake()

    def _checkpoint_beside(self) -> None:
        """The checkpointer's work: copy back beside the writers, then hold them only for what came meanwhile."""
        try:
            size = self._wal.stat().st_size
        except FileNotFoundError:
            return
        if size <= WAL_TARGET_BYTES:
            return
        db = self._connection()
        db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        with self._write_lock, self._process_lock():
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def close(self) -> None:
        """At a clean stop: copy the log back into the database, leave an empty -wal, close every connection."""
        checkpointer, self._checkpointer = self._checkpointer, None
        if checkpointer is not None:
            checkpointer.stop()
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
            removed += db.execute("DELETE FROM staff_sessions WHERE expires_at <= ?", (now,)).rowcount
            removed += db.execute("DELETE FROM verified_sessions WHERE expires_at <= ?", (now,)).rowcount
            removed += db.execute("DELETE FROM email_requests WHERE expires_at <= ?", (now,)).rowcount
            removed += db.execute("DELETE FROM oidc_sign_ins WHERE expires_at <= ?", (now,)).rowcount
            return removed

    def ping(self) -> None:
        self._row("SELECT 1")


class _Checkpointer:
    """The thread that keeps one store's write-ahead log short (see WAL_TARGET_BYTES), in the process it started in.

    Of several processes on one file, the one holding `<file>.checkpoint` checkpoints; the others' wake-ups are
    dropped (two checkpoints at once wait for each other, and one of them holding the write lock would hold every
    writer). A failed checkpoint is left to the next wake-up, or to the writers' own bound.
    """

    def __init__(self, connection: Connection):
        self._connection = connection
        self._pid = os.getpid()
        self._wake = threading.Event()
        self._stopping = False
        self._elect = os.open(f"{connection.path}.checkpoint", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    def alive(self) -> bool:
        return self._pid == os.getpid() and self._thread.is_alive()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self.alive():
            self._thread.join(timeout=30)
        os.close(self._elect)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                fcntl.flock(self._elect, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # another process's checkpointer is at it
            try:
                with translated():
                    self._connection._checkpoint_beside()
            except (StoreFull, StoreUnavailable):
                pass  # the writers' bound, past WAL_LIMIT_BYTES, is the fallback
            finally:
                fcntl.flock(self._elect, fcntl.LOCK_UN)
