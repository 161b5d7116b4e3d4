"""Start api/serve.py as `make serve` runs it (its own processes, a free port of 127.0.0.1) and stop it with SIGTERM."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

API_DIR = Path(__file__).resolve().parents[2] / "api"
START_TIMEOUT = 60  # seconds for /api/health to answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running server: its origin, its processes and what it wrote on standard output and error."""

    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def workers(self) -> list[int]:
        return [
            int(pid) for pid in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        ]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send `sig` and wait for the exit code (the server is killed if it does not stop in time)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode


def environment(site: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "STORE": "sqlite",
        "DATA_DIR": str(data_dir),
        "CATALOG_PATH": str(site / "catalog.json"),
        "DATACITY_QUIET": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("SITE_ORIGIN", "STAFF_TOKENS_SECRET", "STAFF_AUTH"):
        env.pop(name, None)  # serve.py sets the origin from the port; the rest as shipped
    env.update(extra)
    return env


def start(site: Path, env: dict[str, str], workers: int = 1, port: int | None = None, preexec_fn=None) -> Server:
    """Start the server and wait until its API answers; a port taken meanwhile by another process is tried again."""
    log_path = Path(env["DATA_DIR"]).parent / f"server-{time.monotonic_ns()}.log"
    for _attempt in range(3):
        chosen = port or free_port()
        command = [sys.executable, str(API_DIR / "serve.py"), "--site", str(site), "--port", str(chosen)]
        command += ["--workers", str(workers)]
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                command, env=env, cwd=site.parent, stdout=log, stderr=subprocess.STDOUT, preexec_fn=preexec_fn
            )
        server = Server(chosen, process, log_path)
        deadline = time.monotonic() + START_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", chosen, timeout=5)
                connection.request("GET", "/api/health")
                if connection.getresponse().status == 200:
                    return server
            except OSError:
                pass
            time.sleep(0.1)
        if process.poll() is None:
            server.stop(signal.SIGKILL)
        if port is not None:
            break
    raise RuntimeError(f"the server did not start; its log:\n{log_path.read_text(errors='replace')[-3000:]}")


@contextmanager
def running(site: Path, env: dict[str, str], workers: int = 1, **options):
    server = start(site, env, workers, **options)
    try:
        yield server
    finally:
        server.stop()
