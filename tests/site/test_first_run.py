"""The first hour: `make serve` says where everything is, and the set-up says what it does, or that it is ready.

`make serve` runs here from a copy of the repository with the project's environment (VENV), on a free port, as a
newcomer runs it; every address it prints must answer, and the staff commands it prints must work as printed.
The first set-up itself (a few minutes of downloads) is run by CI's `make test` on a fresh clone.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
COPIED = (
    "Makefile",
    "pyproject.toml",
    "requirements",
    "mkdocs.yml",
    "content",
    "challenges",
    "overrides",
    "results",
    "scripts",
    "api",
)
WAIT = 300.0  # seconds for the build and the server on a busy machine
PINNED = "2026-11-26T12:00:00+00:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url: str) -> int:
    host, port, path = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)", url).groups()
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def checkout(tmp_path) -> Path:
    root = tmp_path / "datacity"
    (root / ".build" / "docs").mkdir(parents=True)
    for name in COPIED:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(
            REPO / name,
            root / name,
            **({"ignore": shutil.ignore_patterns("__pycache__")} if copy is shutil.copytree else {}),
        )
    (root / ".venv").symlink_to(VENV)
    for doc in ("staff.md", "editing-challenges.md"):
        (root / "docs").mkdir(exist_ok=True)
        shutil.copy2(REPO / "docs" / doc, root / "docs" / doc)
    return root


@pytest.mark.slow
def test_make_serve_prints_every_address_and_each_one_works(checkout, tmp_path):
    port = free_port()
    data = checkout / ".data"
    env = {**os.environ, "DATACITY_NOW": PINNED, "PYTHONUNBUFFERED": "1"}
    env.pop("MAKEFLAGS", None)
    log = tmp_path / "make-serve.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            ["make", "serve", f"PORT={port}"],
            cwd=checkout,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl+C reaches the whole group: make, the wrapper and the server
        )
    try:
        deadline = time.monotonic() + WAIT
        while "Stop with Ctrl+C." not in (text := log.read_text(errors="replace")):
            assert make.poll() is None, f"make serve stopped ({make.returncode}):\n{text[-3000:]}"
            assert time.monotonic() < deadline, f"make serve printed no end message:\n{text[-3000:]}"
            time.sleep(0.5)
        assert "Set-up for make serve: everything is ready" in text, text[:2000]
        banner = text[text.index("DataCity is running / DataCity est en marche:") :]
        origin = f"http://127.0.0.1:{port}"
        urls = re.findall(r"(?<!--api )http://[^\s)]+", banner)  # an --api value is a base, not a page
        every_language = [f"{origin}/{code}/" for code in ("en", "ca", "es")]
        for expected in (f"{origin}/", *every_language, f"{origin}/api/openapi.json", f"{origin}/paris-2017/results/"):
            assert expected in urls, banner
        for url in urls:
            assert status_of(url) == 200, f"{url} from the banner:\n{banner}"
        assert re.search(r"Montreal 2026 +open until 28 February 2027", banner), banner
        assert re.search(r"Lyon 2027 +opens on 13 September 2027", banner), banner
        # A program without English is shown in its first language, at its pages in that language.
        assert re.search(
            rf"Barcelona 2027 +open until 21 March 2027: vote and comment at {origin}/ca/barcelona-2027/", banner
        )
        for doc in re.findall(r"docs/[a-z-]+\.md", banner):
            assert (checkout / doc).is_file(), doc

        # The staff commands, exactly as printed: a token, then the moderation queue with it.
        lines = [line.strip() for line in banner.splitlines()]
        create = next(line for line in lines if " staff-token create " in line)
        queue = next(line for line in lines if " moderate queue " in line)
        made = subprocess.run(shlex.split(create), cwd=checkout, capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        token = made.stdout.strip()
        assert token.startswith("dcs_") and (data / "staff_tokens.json").is_file()
        env = {**os.environ, "DATACITY_STAFF_TOKEN": token}
        listed = subprocess.run(shlex.split(queue), cwd=checkout, env=env, capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0, listed.stdout + listed.stderr
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(timeout=10)
    with pytest.raises(OSError):
        status_of(f"http://127.0.0.1:{port}/api/health")  # Ctrl+C stopped the server


def test_a_second_setup_says_that_everything_is_ready(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    stamp = subprocess.run(
        "cat pyproject.toml requirements/tools.txt | cksum",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    (venv / f".installed-{stamp.stdout.split()[0]}").touch()
    done = subprocess.run(
        [str(REPO / "scripts" / "setup.sh"), "serve"],
        cwd=REPO,
        env={**os.environ, "VENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Set-up for make serve: everything is ready (Python environment ({venv}/)).", (
        done.stdout
    )


def test_a_first_setup_says_what_it_installs_and_how_long_it_takes(tmp_path):
    """A machine without a usable Python: the plan is printed first, then the step, then why it cannot go on."""
    env = {**os.environ, "VENV": str(tmp_path / "venv"), "PYTHON": str(tmp_path / "no-python")}
    (tmp_path / "no-python").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "no-python").chmod(0o755)
    done = subprocess.run(
        [str(REPO / "scripts" / "setup.sh"), "serve"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert "installing what is missing, once (later runs skip what is installed)" in done.stdout, done.stdout
    assert re.search(r"1\. a Python environment in .*MkDocs.* \(about \d+ minutes\)", done.stdout), done.stdout
    assert "[1/1] Python environment" in done.stdout, done.stdout
    assert "could not create" in done.stderr or "Python 3.11 or newer" in done.stderr, done.stderr
