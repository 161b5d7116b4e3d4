"""`datacity preview` (`make preview`): staff see their change in the browser each time they save, without banners."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("mkdocs.yml", "content", "challenges", "overrides", "results")
PAGE = "/lyon-2027/challenges/street-heat-map/"
FILE = Path("challenges/lyon-2027/street-heat-map.md")
WAIT = 180.0  # seconds for a build on a busy machine (one takes 3 to 10 s here)

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        conn.close()


def wait_for(port: int, path: str, text: str, process: subprocess.Popen, log: Path) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the preview stopped ({process.returncode}):\n{log.read_text()[-3000:]}"
        status, body = get(port, path)
        if status == 200 and text in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{path} never showed {text!r}; the preview's output:\n{log.read_text()[-3000:]}")


def wait_for_output(log: Path, text: str) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        output = log.read_text(errors="replace")
        if text in output:
            return output
        time.sleep(0.5)
    raise AssertionError(f"the preview never printed {text!r}:\n{log.read_text()[-3000:]}")


def test_the_preview_rebuilds_and_reloads_on_each_save_and_reports_problems(tmp_path):
    root = tmp_path / "repo"
    (root / ".build" / "docs").mkdir(parents=True)
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, root / name)
    port = free_port()
    log = tmp_path / "preview.log"
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}  # the command hides the banner itself
    command = [str(Path(sys.executable).with_name("datacity")), "preview", "--root", str(root), "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        page = wait_for(port, PAGE, "La chaleur mesurée rue par rue", process, log)
        assert "livereload" in page, "the page does not reload itself when the site is rebuilt"

        # A staff member saves a change: the page shows it, without restarting anything.
        path = root / FILE
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("La chaleur mesurée rue par rue", "La chaleur relevée rue par rue"), "utf-8")
        wait_for(port, PAGE, "La chaleur relevée rue par rue", process, log)

        # A mistake is reported with its file and line; once it is fixed, the page comes back.
        path.write_text(text.replace("status: open", "status: opened", 1), "utf-8")
        wait_for_output(log, f"{FILE.as_posix()}:3: status: unknown status 'opened'")
        path.write_text(text, "utf-8")
        wait_for(port, PAGE, "La chaleur mesurée rue par rue", process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert get(port, PAGE)[0] == 0, "the preview's server outlived its command"
    output = log.read_text(errors="replace")
    assert f"http://127.0.0.1:{port}/" in output
    assert "end of life" not in output and "NO_MKDOCS_2_WARNING" not in output, output[:2000]
