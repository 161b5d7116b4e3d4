"""DynamoDB Local for the tests: installed by scripts/install_dynamodb_local.sh, one server per test session.

DynamoDB Local is AWS's own engine (Java): unlike moto it keeps transactions exact under concurrent clients, so the
store contract (concurrency tests included) runs against it. Each test gets its own table on the shared server.

- DYNAMODB_LOCAL_ENDPOINT=http://host:port uses a server that is already running instead of starting one.
- DYNAMODB_LOCAL_DIR overrides the install directory (default .cache/dynamodb-local).
- DYNAMODB_LOCAL_JAVA_OPTS replaces the JVM options (JAVA_OPTIONS below).
Missing Java or npm make the fixture fail, never skip: CI must install what the tests need.

CapacityMeter asks DynamoDB (Local) for the capacity each call consumes, for the tests and scripts/bench_api.py;
the store asks too (for its log lines: adapters/dynamodb/client.py report_capacity), with the same setting.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = ROOT / "scripts" / "install_dynamodb_local.sh"
VERSION = "2.9.30"  # of the npm package amplify-dynamodb-simulator: keep in step with INSTALL_SCRIPT
START_TIMEOUT = 120.0  # generous: a busy 2-core CI runner took 13 s
# The client compiler only and the serial collector: ready in about half the time on a small machine (4 s instead
# of 7-13 s on 2 busy cores), fast enough for short test sessions.
JAVA_OPTIONS = (
    os.environ.get("DYNAMODB_LOCAL_JAVA_OPTS") or "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m"
).split()
REGION = "eu-west-3"
# DynamoDB Local accepts any credentials (it keeps one database per access key and region).
CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}


class DynamoDBLocalError(RuntimeError):
    pass


class _ExitedEarly(Exception):
    pass


def _die_with_parent() -> None:
    """Linux: have the kernel stop the JVM if pytest dies without tearing down (kill -9, crash)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def install_dir() -> Path:
    return Path(os.environ.get("DYNAMODB_LOCAL_DIR") or ROOT / ".cache" / "dynamodb-local") / VERSION


def ensure_installed() -> Path:
    """Run the (idempotent) install script; return the directory holding DynamoDBLocal.jar."""
    if shutil.which("java") is None:
        raise DynamoDBLocalError(
            "Java is not installed: the DynamoDB Local tests need Java 11 or newer "
            "(Debian: apt-get install -y openjdk-17-jre-headless)."
        )
    target = install_dir()
    if not (target / "DynamoDBLocal.jar").is_file():
        if shutil.which("npm") is None:
            raise DynamoDBLocalError(
                f"DynamoDB Local is not installed in {target} and npm, which downloads it, is missing "
                "(Debian: apt-get install -y npm), then run scripts/install_dynamodb_local.sh."
            )
        done = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise DynamoDBLocalError(f"{INSTALL_SCRIPT} failed:\n{done.stdout}{done.stderr}")
    if not (target / "DynamoDBLocal.jar").is_file():
        raise DynamoDBLocalError(f"{INSTALL_SCRIPT} ran but {target / 'DynamoDBLocal.jar'} is missing.")
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_client(endpoint_url: str, config=None):
    import boto3
    from botocore.config import Config

    # The store's pool and retry mode, with patient timeouts: a busy CI machine is not a reason to retry (a retried
    # counter update would count twice and fail a test that is right).
    config = config or Config(
        max_pool_connections=50, retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=60
    )
    session = boto3.session.Session(region_name=REGION, **CREDENTIALS)
    return session.client("dynamodb", endpoint_url=endpoint_url, config=config)


class DynamoDBLocal:
    """One DynamoDB Local process, in memory, on a free port."""

    def __init__(self, home: Path, log_dir: Path):
        self.home = home
        self.log_path = log_dir / "dynamodb-local.log"
        self.process: subprocess.Popen | None = None
        self.endpoint_url = ""
        self.startup_seconds = 0.0

    def start(self, timeout: float = START_TIMEOUT, attempts: int = 3) -> None:
        """Start the server and wait until it answers; a port taken meanwhile by someone else means another try."""
        for attempt in range(attempts):
            try:
                self._start_once(timeout)
                return
            except _ExitedEarly as error:
                if attempt == attempts - 1:
                    raise DynamoDBLocalError(str(error)) from None

    def _start_once(self, timeout: float) -> None:
        from botocore.config import Config

        # DynamoDB Local has no option to choose its interface: it listens on all of them, on a port picked here.
        # It holds nothing but throwaway test tables, in memory.
        port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{port}"
        command = [
            "java",
            *JAVA_OPTIONS,
            f"-Djava.library.path={self.home / 'DynamoDBLocal_lib'}",
            "-jar",
            str(self.home / "DynamoDBLocal.jar"),
            "-inMemory",
            "-port",
            str(port),
            "-disableTelemetry",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.home,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        # No retries while polling: each refused connection would otherwise back off for seconds.
        client = make_client(self.endpoint_url, Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5))
        started = time.monotonic()
        while True:
            if self.process.poll() is not None:
                raise _ExitedEarly(
                    f"DynamoDB Local exited with status {self.process.returncode} on port {port}:\n{self.log()}"
                )
            try:
                client.list_tables(Limit=1)
                self.startup_seconds = time.monotonic() - started
                return
            except Exception as error:  # not listening yet
                if time.monotonic() - started > timeout:
                    self.stop()
                    raise DynamoDBLocalError(
                        f"DynamoDB Local did not answer on {self.endpoint_url} within {timeout:.0f} s ({error}):\n"
                        f"{self.log()}"
                    ) from error
                time.sleep(0.2)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


READ_OPERATIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})


@dataclass
class Metered:
    """One call as DynamoDB accounted it: request units on the table and on each global secondary index."""

    operation: str
    table: float = 0.0
    indexes: dict[str, float] = field(default_factory=dict)
    failed: bool = False

    @property
    def is_read(self) -> bool:
        return self.operation in READ_OPERATIONS

    @property
    def units(self) -> float:
        return self.table + sum(self.indexes.values())


class CapacityMeter:
    """Adds ReturnConsumedCapacity=INDEXES to every call of `client` that accepts it and records what comes back.

    A test-only recorder (botocore events on one client); the store asks for the same INDEXES figures for its log line.
    DynamoDB Local accounts like DynamoDB (2 write units per transactional item up to 1 KB, 0.5/1 read unit per
    item up to 4 KB eventually/strongly consistent); moto does not (fixed or missing figures).
    """

    def __init__(self, client):
        self.calls: list[Metered] = []
        events = client.meta.events
        events.register("provide-client-params.dynamodb.*", self._ask)
        events.register("after-call.dynamodb.*", self._record)

    @staticmethod
    def _ask(params, model, **_):
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params.setdefault("ReturnConsumedCapacity", "INDEXES")

    def _record(self, http_response, parsed, model, **_):
        if "ReturnConsumedCapacity" not in model.input_shape.members:
            return
        metered = Metered(model.name, failed=http_response.status_code >= 300)
        consumed = parsed.get("ConsumedCapacity") or []
        for entry in consumed if isinstance(consumed, list) else [consumed]:
            table = entry.get("Table", {}).get("CapacityUnits")
            indexes = {
                name: value.get("CapacityUnits", 0.0)
                for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes")
                for name, value in (entry.get(kind) or {}).items()
            }
            metered.table += table if table is not None else entry.get("CapacityUnits", 0.0) - sum(indexes.values())
            for name, value in indexes.items():
                metered.indexes[name] = metered.indexes.get(name, 0.0) + value
        self.calls.append(metered)

    def take(self) -> list[Metered]:
        """The calls recorded since the last take()."""
        calls, self.calls = self.calls, []
        return calls


class Server:
    """What the tests use: the endpoint, a client, and fresh tables."""

    def __init__(self, endpoint_url: str):
        self.endpoint_url = endpoint_url
        self.client = make_client(endpoint_url)

    def make_client(self):
        """A client of one's own (tests that hook events on it must not share the session's)."""
        return make_client(self.endpoint_url)

    def new_table(self) -> str:
        from chalicelib.adapters.dynamodb import create_table

        name = f"test-{uuid.uuid4().hex[:12]}"
        create_table(self.client, name)
        return name

    def drop_table(self, name: str) -> None:
        self.client.delete_table(TableName=name)


@pytest.fixture(scope="session")
def dynamodb_local():
    """A DynamoDB Local server for the whole session (started on first use, stopped at the end).

    Fails, never skips, when Java or npm are missing: CI must install them (see scripts/install_dynamodb_local.sh).
    """
    external = os.environ.get("DYNAMODB_LOCAL_ENDPOINT")
    if external:
        yield Server(external)
        return
    with tempfile.TemporaryDirectory(prefix="dynamodb-local-") as log_dir:
        server, problem = None, None
        try:
            server = DynamoDBLocal(ensure_installed(), Path(log_dir))
            server.start()
        except (DynamoDBLocalError, subprocess.TimeoutExpired) as error:
            problem = str(error)
        if problem is not None:
            pytest.fail(problem, pytrace=False)
        try:
            yield Server(server.endpoint_url)
        finally:
            server.stop()
