#!/usr/bin/env python3
"""Benchmark the consultation API: the local server under load, the Lambda handlers, DynamoDB request units.

Not a test: a script that prints a report (and can write it as JSON) with PASS/FAIL against the targets:

* a vote costs at most 4 DynamoDB write units, rate-limit counters excluded (they are reported separately);
* a tally read is one DynamoDB request;
* the local server (api/serve.py, SQLite store) takes at least 2,000 votes/s with a p99 under 20 ms (medians of
  the rounds).

Four parts, each bounded in time and in number of requests, on the loopback interface only:

(a) the local server: api/serve.py as `make serve` runs it (its default number of worker processes, or
    --workers N) on the SQLite store, in processes of its own, loaded by
    Debian's `wrk` (another process; `apt-get install -y wrk`) with a Lua script: every vote is a new one (each
    voter token votes once on each open challenge in turn), then tally reads with those tokens. Side by side in
    the same run, round after round, with the server of an earlier commit (--baseline, default BASELINE: the last
    commit with the hand-written asyncio server), whose api/ is taken out of git into a temporary folder;
(a2) Consultation.vote on the SQLite store from 8 threads, without HTTP (what the store's design costs);
(b) the Chalice handlers in this process (chalice.test.Client) on moto's DynamoDB (mock_aws), single-threaded;
(c) DynamoDB request units per vote and per tally read, as DynamoDB Local (AWS's engine, see
    tests/api/dynamodb_local.py) accounts them with ReturnConsumedCapacity, through the same handlers.

Everything runs on a catalog written here (one program open from 2026-11-01 to 2027-01-01, DATACITY_NOW pinned
inside it) and temporary data; nothing in the repository is written except the JSON report, if asked.
The rate limits are raised for the benchmark (RATE_VOTES_PER_TOKEN/PER_IP): every wrk request comes from
127.0.0.1, which the default limit of 600 votes an hour per address would stop at once.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/bench_api.py
    .venv/bin/python scripts/bench_api.py --duration 10 --connections 16 --json bench-out/bench_api.json
    .venv/bin/python scripts/bench_api.py --only server --rounds 5     # today's server against BASELINE's
    .venv/bin/python scripts/bench_api.py --only server --baseline none --workers 1   # today's alone, one worker
    .venv/bin/python scripts/bench_api.py --only service --api-dir /tmp/before/api     # another api/ for (a2)

Figures and analysis: docs/benchmarks.md ("API"). The machine's load from other processes shows in the throughput
and the tail latency; the server's CPU time per request (from /proc) is reported too, as the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
API_DIR = REPO / "api"
for path in (str(REPO), str(API_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

TARGET_WCU_PER_VOTE = 4.0
TARGET_REQUESTS_PER_TALLY = 1
TARGET_VOTES_PER_S = 2_000.0
TARGET_P99_MS = 20.0
# The last commit whose api/serve.py was the hand-written HTTP/1.1 server on asyncio (replaced by granian).
BASELINE = "1435dd2"

NOW = "2026-11-26T12:00:00+01:00"
CHALLENGES = [f"bench-{n:02d}" for n in range(8)]
PROGRAM = "bench-2026"
BENCH_ORIGIN = "http://bench.local"  # the origin of the in-process runs (b) and (c)
RAISED_LIMITS = {"RATE_VOTES_PER_TOKEN": "1000000000", "RATE_VOTES_PER_IP": "1000000000"}
PACKAGES = ("chalice", "boto3", "botocore", "moto")


# --------------------------------------------------------------------------------------------------------------
# The catalog
# --------------------------------------------------------------------------------------------------------------


def vocabulary(languages: tuple[str, ...]) -> dict:
    from site_builder.catalog import vocabulary as built

    return built(languages)


def catalog() -> dict:
    """A catalog in site_builder/catalog.py's format: one open program, live tallies, len(CHALLENGES) challenges."""
    window = {"opens": "2026-11-01T00:00:00+01:00", "closes": "2027-01-01T00:00:00+01:00", "timezone": "Europe/Paris"}
    return {
        "version": 1,
        "license": "Licence Ouverte / Open Licence 2.0 (Etalab)",
        "note": "Benchmark catalog (scripts/bench_api.py).",
        "vocabulary": {**vocabulary(("fr", "en")), "themes": {"water": {"fr": "Eau", "en": "Water"}}, "sdgs": {}},
        "programs": [
            {
                "id": PROGRAM,
                "city": "bench",
                "season": "2026",
                "title": {"fr": "Banc d'essai", "en": "Bench"},
                "languages": ["fr", "en"],
                "window": window,
                "moderation": "post",
                "tallies": "live",
                "urls": {"fr": f"{PROGRAM}/", "en": f"en/{PROGRAM}/"},
            }
        ],
        "challenges": [
            {
                "id": cid,
                "program": PROGRAM,
                "status": "open",
                "title": {"fr": cid, "en": cid},
                "themes": ["water"],
                "sdgs": [6],
                "window": window,
                "languages": ["fr", "en"],
                "urls": {"fr": f"{PROGRAM}/challenges/{cid}/", "en": f"en/{PROGRAM}/challenges/{cid}/"},
            }
            for cid in CHALLENGES
        ],
    }


def write_site(root: Path) -> Path:
    site = root / "site"
    site.mkdir(parents=True)
    (site / "catalog.json").write_text(json.dumps(catalog(), ensure_ascii=False, indent=2), encoding="utf-8")
    (site / "index.html").write_text("<!doctype html><title>bench</title>", encoding="utf-8")
    return site


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --------------------------------------------------------------------------------------------------------------
# (a) The local server under wrk
# --------------------------------------------------------------------------------------------------------------

WRK_SCRIPT = r"""
-- Generated by scripts/bench_api.py. Each request carries a voter token of its own making (22 characters, as the
-- API expects): the n-th request of a thread is voter floor(n / #challenges) on challenge n mod #challenges, so
-- every PUT is a new vote and every voter votes once on each challenge in turn.
local challenges = {%(challenges)s}
local mode = "%(mode)s"
local origin = "%(origin)s"
local run = "%(run)s"
local limit = %(limit)d
local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("tid", created)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  answered = 0
  bad = 0
  prefix = string.format("%%s%%02d", run, tid)
end

function request()
  local voter = math.floor(n / #challenges)
  local challenge = challenges[(n %% #challenges) + 1]
  n = n + 1
  local headers = {
    ["Cookie"] = "dc_voter=" .. prefix .. string.format("%%019d", voter),
    ["Origin"] = origin,
    ["Content-Type"] = "application/json",
  }
  if mode == "vote" then
    return wrk.format("PUT", "/api/challenges/" .. challenge .. "/vote", headers, "")
  end
  return wrk.format("GET", "/api/challenges/" .. challenge .. "/tally", headers)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    bad = bad + 1
  end
  if answered >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "mean_us": %%.1f, "not_200": %%d, "socket_errors": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, not_ok, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _service_modules():
    """What (a2) needs from api/, from the rooms (chalicelib/<room>/) or, for an --api-dir from before them
    (1435dd2 and earlier), from the flat chalicelib/ of then: the comparison of the two is in docs/benchmarks.md."""
    try:
        from chalicelib.adapters.sqlite import SQLiteStore
        from chalicelib.consultation import Consultation
        from chalicelib.identity.rules import Participant
        from chalicelib.kernel.catalog import CatalogFile
        from chalicelib.kernel.clock import FixedClock
        from chalicelib.kernel.keys import Keys

        def vote(service, challenge, participant):
            return service.votes.vote(challenge, participant)
    except ImportError:
        from chalicelib.catalog import CatalogFile
        from chalicelib.clock import FixedClock
        from chalicelib.identity import Participant
        from chalicelib.keys import Keys
        from chalicelib.service import Consultation
        from chalicelib.store.sqlite import SQLiteStore

        def vote(service, challenge, participant):
            return service.vote(challenge, participant)

    from chalicelib.settings import Settings

    return CatalogFile, FixedClock, Participant, Keys, Consultation, Settings, SQLiteStore, vote


def service_threads(args) -> None:
    """(a2) Consultation.vote on the SQLite store from threads, without HTTP: what the store's design costs.

    Runs in a process of its own (like the server) so that --api-dir can compare two versions of api/.
    """
    import threading

    if args.api_dir:
        sys.path.insert(0, str(Path(args.api_dir).resolve()))
    CatalogFile, FixedClock, Participant, Keys, Consultation, Settings, SQLiteStore, vote = _service_modules()

    workdir = Path(args.workdir)
    site = write_site(workdir)
    service = Consultation(
        Settings.load(environ=dict(RAISED_LIMITS)),
        SQLiteStore(workdir / "data" / "datacity.sqlite3"),
        CatalogFile(site / "catalog.json"),
        Keys.from_json(Keys.generate_json()),
        FixedClock(dt.datetime.fromisoformat(NOW)),
    )
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds

    def voter(thread: int) -> None:
        mine = []
        for n in range(args.votes):
            before = time.perf_counter()
            vote(service, CHALLENGES[n % len(CHALLENGES)], Participant(f"{thread:02d}{n:038d}", "ip"))
            mine.append(time.perf_counter() - before)
            if before > deadline:
                break
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=voter, args=(t,)) for t in range(args.threads)]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    tallies = sum(service.store.tally(c) for c in CHALLENGES)
    print(json.dumps({
        "threads": args.threads,
        "votes": len(latencies),
        "tally_sum": tallies,
        "votes_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 1),
        "cpu_us_per_vote": round(cpu / len(latencies) * 1e6),
    }))  # fmt: skip


def bench_service(args, workdir: Path) -> dict:
    runs = []
    for run in range(args.service_runs):
        command = [sys.executable, str(Path(__file__).resolve()), "_threads", "--workdir", str(workdir / f"svc-{run}"),
                   "--threads", "8", "--votes", "1500", "--seconds", "20"]  # fmt: skip
        if args.api_dir:
            command += ["--api-dir", str(args.api_dir)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO)
        if done.returncode != 0:
            raise RuntimeError(f"the service benchmark failed:\n{done.stderr[-3000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = max(runs, key=lambda r: r["votes_per_s"])
    return {"runs": runs, "median_votes_per_s": statistics.median(r["votes_per_s"] for r in runs),
            "median_p99_ms": statistics.median(r["p99_ms"] for r in runs), "best": best,
            "api_dir": str(args.api_dir or API_DIR)}  # fmt: skip


@contextmanager
def server_process(site: Path, data_dir: Path, api_dir: Path, workers: int | None = None):
    """api_dir/serve.py as `make serve` runs it, on a free port; (base URL, pid), stopped with SIGTERM after."""
    port = free_port()
    env = {
        **os.environ,
        "STORE": "sqlite",
        "DATA_DIR": str(data_dir),
        "CATALOG_PATH": str(site / "catalog.json"),
        "DATACITY_NOW": NOW,
        "DATACITY_QUIET": "1",
        **RAISED_LIMITS,
    }
    env.pop("SITE_ORIGIN", None)
    command = [sys.executable, str(api_dir / "serve.py"), "--site", str(site), "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir.parent / "server.log", "wb")  # noqa: SIM115 - closed below
    # Its standard error goes to a log: wrk closing its connections at the end makes a server print resets.
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:  # http.client, not urllib: no proxy settings can come between us and the loopback
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/health")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the benchmark server did not start:\n"
                    + (data_dir.parent / "server.log").read_text(errors="replace")[-3000:]
                )
            time.sleep(0.1)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        finally:
            log.close()


def baseline_api(commit: str, workdir: Path) -> Path:
    """The api/ folder of `commit`, out of git into workdir (the old server is never kept in the tree)."""
    dest = workdir / f"baseline-{commit}"
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit, "api"], cwd=REPO, capture_output=True, check=False)
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {commit} api failed: {archive.stderr.decode(errors='replace')}")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest / "api"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (all threads), from /proc; other processes excluded."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():  # the worker processes of a multi-process server
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            with suppress(OSError):  # ended meanwhile
                total += cpu_seconds(int(child))
    return total


def run_wrk(base: str, mode: str, run: str, args, workdir: Path, pid: int | None = None) -> dict:
    limit = max(1, args.max_requests // args.threads)
    script = workdir / f"wrk-{mode}-{run}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "challenges": ", ".join(f'"{c}"' for c in CHALLENGES),
            "mode": mode,
            "origin": base,
            "run": run,
            "limit": limit,
        },
        encoding="utf-8",
    )
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        f"{base}/",
    ]
    cpu_before = cpu_seconds(pid) if pid else None
    done = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 60)
    cpu = cpu_seconds(pid) - cpu_before if pid else None
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[len("BENCH_JSON ") :])
    seconds = raw["duration_us"] / 1e6
    return {
        "command": " ".join(command),
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "not_200": raw["not_200"],
        "socket_errors": raw["socket_errors"],
        # The server's CPU time per request: what the code costs, whatever else the machine is doing.
        "server_cpu_us_per_request": round(cpu / raw["requests"] * 1e6) if cpu is not None else None,
        "server_cpu_cores": round(cpu / seconds, 2) if cpu is not None else None,
    }


def bench_server(args, workdir: Path) -> dict:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install -y wrk)")
    servers = {"now": API_DIR}
    if args.baseline and args.baseline != "none":
        servers["before"] = baseline_api(args.baseline, workdir)
    result: dict = {
        "store": "sqlite",
        "threads": args.threads,
        "connections": args.connections,
        "duration_s": args.duration,
        "max_requests": args.max_requests,
        "rounds": args.rounds,
        "rate_limits": RAISED_LIMITS,
        "now": NOW,
        "baseline": args.baseline if "before" in servers else None,
        "workers": args.workers,
        "runs": {name: [] for name in servers},
    }
    for round_number in range(args.rounds):
        names = list(servers) if round_number % 2 == 0 else list(reversed(servers))  # who goes first alternates
        for name in names:
            print(f"  round {round_number + 1}: {name}", flush=True)
            result["runs"][name].append(one_server_run(args, workdir / f"{name}-{round_number}", servers[name]))
    for name, runs in result["runs"].items():
        result[name] = {
            metric: statistics.median(run["vote"][metric] for run in runs)
            for metric in ("requests_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_request")
        }
        result[name]["tally_requests_per_s"] = statistics.median(run["tally"]["requests_per_s"] for run in runs)
        result[name]["not_200"] = sum(run["vote"]["not_200"] + run["tally"]["not_200"] for run in runs)
        result[name]["socket_errors"] = sum(
            run["vote"]["socket_errors"] + run["tally"]["socket_errors"] for run in runs
        )
        result[name]["exact"] = all(run["votes_stored"] == run["tally_sum"] for run in runs)
    return result


def one_server_run(args, workdir: Path, api_dir: Path) -> dict:
    """One server of api_dir: a short warm-up, then new votes, then tally reads by those voters."""
    site = write_site(workdir)
    data = workdir / "data"
    run: dict = {"api_dir": str(api_dir), "load_before": os.getloadavg()}
    with server_process(site, data, api_dir, args.workers) as (base, pid):
        warm = argparse.Namespace(**{**vars(args), "duration": 1, "max_requests": 200})
        run_wrk(base, "vote", "w", warm, workdir)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        run["worker_processes"] = max(1, len(children))
        run["vote"] = run_wrk(base, "vote", "v", args, workdir, pid)
        run["tally"] = run_wrk(base, "tally", "v", args, workdir, pid)
        wal = data / "datacity.sqlite3-wal"
        run["wal_bytes_before_stop"] = wal.stat().st_size if wal.exists() else 0
    run["load_after"] = os.getloadavg()
    import sqlite3

    with sqlite3.connect(data / "datacity.sqlite3") as db:
        run["votes_stored"] = db.execute("SELECT count(*) FROM votes").fetchone()[0]
        run["tally_sum"] = db.execute("SELECT coalesce(sum(n), 0) FROM tallies").fetchone()[0]
    return run


# --------------------------------------------------------------------------------------------------------------
# (b) and (c): the Chalice handlers in this process, on a DynamoDB store
# --------------------------------------------------------------------------------------------------------------


class InProcess:
    """The app's handlers through chalice.test.Client, wired to a DynamoDB store, a fixed clock and the catalog."""

    def __init__(self, store, workdir: Path):
        from chalice.test import Client

        import app as app_module
        from chalicelib import runtime
        from chalicelib.consultation import Consultation
        from chalicelib.kernel.catalog import CatalogFile
        from chalicelib.kernel.clock import FixedClock
        from chalicelib.kernel.keys import Keys
        from chalicelib.settings import Settings

        site = write_site(workdir)
        env = {
            "STORE": "dynamodb",
            "SITE_ORIGIN": BENCH_ORIGIN,
            "CLIENT_IP_HEADER": "CloudFront-Viewer-Address",
            "CATALOG_PATH": str(site / "catalog.json"),
            **RAISED_LIMITS,
        }
        self.service = Consultation(
            Settings.load(environ=env),
            store,
            CatalogFile(site / "catalog.json"),
            Keys.from_json(Keys.generate_json()),
            FixedClock(dt.datetime.fromisoformat(NOW)),
        )
        self.runtime = runtime
        runtime.install(self.service)
        self._client = Client(app_module.app, stage_name="test", project_dir=str(API_DIR))
        self.client = self._client.__enter__()

    def close(self) -> None:
        self._client.__exit__(None, None, None)
        self.runtime.install(None)

    @staticmethod
    def token(n: int) -> str:
        return f"bench{n:017d}"

    def vote(self, n: int):
        challenge = CHALLENGES[n % len(CHALLENGES)]
        return self.client.http.put(
            f"/challenges/{challenge}/vote",
            headers={
                "Origin": BENCH_ORIGIN,
                "Content-Type": "application/json",
                "Cookie": f"dc_voter={self.token(n // len(CHALLENGES))}",
                "CloudFront-Viewer-Address": "198.51.100.7:4242",
            },
            body=b"",
        )

    def read_tally(self, n: int, cookie: bool = True):
        challenge = CHALLENGES[n % len(CHALLENGES)]
        headers = {"CloudFront-Viewer-Address": "198.51.100.7:4242"}
        if cookie:
            headers["Cookie"] = f"dc_voter={self.token(n // len(CHALLENGES))}"
        return self.client.http.get(f"/challenges/{challenge}/tally", headers=headers)


def timed(call, count: int, seconds: float) -> dict:
    """Call `call(i)` up to `count` times or for `seconds`, whichever comes first; every answer must be 200."""
    latencies = []
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        before = time.perf_counter()
        answer = call(i)
        latencies.append(time.perf_counter() - before)
        if answer.status_code != 200:
            raise RuntimeError(f"answer {answer.status_code}: {answer.body[:300]!r}")
        if before - started > seconds:
            break
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        # This process's CPU per request: the handler and the SDK (moto's engine too, in (b); not DynamoDB Local).
        "cpu_ms_per_request": round(cpu / len(latencies) * 1000, 2),
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
    }


@contextmanager
def moto_env():
    saved = {k: os.environ.get(k) for k in ("AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    dropped = {
        k: os.environ.pop(k)
        for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB")
        if k in os.environ
    }
    os.environ.update(
        {"AWS_DEFAULT_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    )
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        os.environ.update(dropped)


def bench_moto(args, workdir: Path) -> dict:
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.dynamodb import DynamoDBStore, create_table

    with moto_env(), mock_aws():
        create_table(boto3.client("dynamodb"), "bench")
        harness = InProcess(DynamoDBStore("bench", shards=args.shards), workdir / "moto")
        try:
            for i in range(20):  # warm-up: the client, the catalog, the first items
                harness.vote(10**6 + i)
            votes = timed(harness.vote, args.inproc_requests, args.inproc_seconds)
            tallies = timed(harness.read_tally, args.inproc_requests, args.inproc_seconds)
            stored = harness.service.store.tally(CHALLENGES[0])
        finally:
            harness.close()
    return {"store": "dynamodb (moto 5, in memory)", "shards": args.shards, "vote": votes, "tally": tallies,
            "tally_of_first_challenge": stored}  # fmt: skip


def bench_capacity(args, workdir: Path) -> dict:
    from chalicelib.adapters.dynamodb import DynamoDBStore, create_table
    from tests.api.dynamodb_local import CapacityMeter, DynamoDBLocal, ensure_installed, make_client

    server = DynamoDBLocal(ensure_installed(), workdir)
    server.start()
    try:
        client = make_client(server.endpoint_url)
        create_table(client, "bench")
        meter = CapacityMeter(client)
        store = DynamoDBStore("bench", shards=args.shards, client=client)
        harness = InProcess(store, workdir / "ddb-local")
        try:
            # Enough votes first for every shard of every challenge to exist: a tally read then reads N real items.
            for i in range(args.shards * len(CHALLENGES) * 4):
                harness.vote(10**6 + i)
            meter.take()
            votes = timed(harness.vote, args.capacity_requests, args.inproc_seconds)
            vote_calls = meter.take()
            tallies = timed(harness.read_tally, args.capacity_requests, args.inproc_seconds)
            tally_calls = meter.take()
            timed(lambda i: harness.read_tally(i, cookie=False), args.capacity_requests, args.inproc_seconds)
            anonymous_calls = meter.take()
            # The store call alone, as the issue counts it.
            store.tally(CHALLENGES[0])
            store_tally = meter.take()
            repeat = harness.vote(0)  # voter 0 on challenge 0 again: a cancelled transaction
            assert repeat.status_code == 200
            repeat_calls = meter.take()
        finally:
            harness.close()
    finally:
        server.stop()

    def per_request(calls, requests: int) -> dict:
        by_operation: dict[str, dict] = {}
        for call in calls:
            entry = by_operation.setdefault(call.operation, {"calls": 0, "units": 0.0, "index_units": 0.0})
            entry["calls"] += 1
            entry["units"] += call.units
            entry["index_units"] += sum(call.indexes.values())
        return {op: {k: round(v / requests, 3) for k, v in entry.items()} for op, entry in sorted(by_operation.items())}

    vote_tx = [c for c in vote_calls if c.operation == "TransactWriteItems"]
    counters = [c for c in vote_calls if c.operation == "UpdateItem"]
    reads = [c for c in vote_calls if c.is_read]
    return {
        "engine": f"DynamoDB Local (npm amplify-dynamodb-simulator), started in {server.startup_seconds:.1f} s",
        "shards": args.shards,
        "vote_requests": votes["requests"],
        "vote_latency_in_process": votes,
        "tally_latency_in_process": tallies,
        "per_vote_request": per_request(vote_calls, votes["requests"]),
        "per_tally_request_with_cookie": per_request(tally_calls, tallies["requests"]),
        "per_tally_request_anonymous": per_request(anonymous_calls, tallies["requests"]),
        "vote_wcu_max": max(c.units for c in vote_tx),
        "vote_wcu_mean": round(statistics.fmean(c.units for c in vote_tx), 3),
        "vote_index_wcu": sum(sum(c.indexes.values()) for c in vote_tx),
        "vote_transactions_per_vote": len(vote_tx) / votes["requests"],
        "rate_limit_wcu_per_vote": round(sum(c.units for c in counters) / votes["requests"], 3),
        "answer_rcu_per_vote": round(sum(c.units for c in reads) / votes["requests"], 3),
        "store_tally_requests": len(store_tally),
        "store_tally_operations": [c.operation for c in store_tally],
        "store_tally_rcu": sum(c.units for c in store_tally),
        "repeated_vote": per_request(repeat_calls, 1),
    }


# --------------------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------------------


def machine() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True) if shutil.which("wrk") else None
    return {
        "date": dt.date.today().isoformat(),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if wrk else None,
        "sqlite": __import__("sqlite3").sqlite_version,
        **versions,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def verdicts(report: dict) -> list[tuple[str, str, str]]:
    checks = []
    capacity = report.get("capacity")
    if capacity:
        wcu = capacity["vote_wcu_max"]
        ok = (
            wcu <= TARGET_WCU_PER_VOTE
            and capacity["vote_index_wcu"] == 0
            and capacity["vote_transactions_per_vote"] == 1
        )
        checks.append(("vote: write units (rate-limit counters excluded)", f"{wcu:g} WCU (≤ {TARGET_WCU_PER_VOTE:g})",
                       "PASS" if ok else "FAIL"))  # fmt: skip
        requests = capacity["store_tally_requests"]
        checks.append(("tally read: DynamoDB requests", f"{requests} ({', '.join(capacity['store_tally_operations'])})",
                       "PASS" if requests <= TARGET_REQUESTS_PER_TALLY else "FAIL"))  # fmt: skip
    server = report.get("server")
    if server:
        vote = server["now"]
        ok = (
            vote["requests_per_s"] >= TARGET_VOTES_PER_S
            and vote["p99_ms"] < TARGET_P99_MS
            and vote["not_200"] == 0
            and vote["socket_errors"] == 0
            and vote["exact"]
        )
        checks.append(("local server: votes/s, p99 (medians)", f"{vote['requests_per_s']:,.0f}/s, p99 "
                       f"{vote['p99_ms']:.1f} ms (≥ {TARGET_VOTES_PER_S:,.0f}/s, < {TARGET_P99_MS:g} ms)",
                       "PASS" if ok else "FAIL"))  # fmt: skip
    return checks


def print_report(report: dict) -> None:
    m = report["machine"]
    print(f"\nAPI benchmark, {m['date']}: {m['nproc']} CPU ({m['cpu']}), Python {m['python']}, SQLite {m['sqlite']}")
    server = report.get("server")
    if server:
        print(f"\n(a) local server (SQLite), wrk -t{server['threads']} -c{server['connections']}, {server['duration_s']} s "
              f"per run (at most {server['max_requests']:,} requests), {server['rounds']} round(s); "
              f"before = api/ of {server['baseline']}")  # fmt: skip
        for name, runs in server["runs"].items():
            for number, run in enumerate(runs, 1):
                for kind in ("vote", "tally"):
                    r = run[kind]
                    print(f"  {name:6} {number} {kind:5} {r['requests_per_s']:>8,.0f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                          f"p99 {r['p99_ms']:6.2f} ms  max {r['max_ms']:6.1f} ms  CPU {r['server_cpu_us_per_request']} "
                          f"µs/req ({r['server_cpu_cores']} cores)  {r['not_200']} not 200, {r['socket_errors']} socket "
                          f"errors  [load {run['load_before'][0]:.1f}, {run['worker_processes']} workers]")  # fmt: skip
                print(f"  {name:6} {number} stored votes {run['votes_stored']:,}, tally sum {run['tally_sum']:,}, "
                      f"WAL {run['wal_bytes_before_stop'] / 1e6:.1f} MB before the stop")  # fmt: skip
        for name in server["runs"]:
            m = server[name]
            print(f"  {name:6} medians: {m['requests_per_s']:,.0f} votes/s, p50 {m['p50_ms']:.2f} ms, p99 "
                  f"{m['p99_ms']:.2f} ms, {m['server_cpu_us_per_request']:.0f} µs CPU per vote, "
                  f"{m['tally_requests_per_s']:,.0f} tally reads/s")  # fmt: skip
    service = report.get("service")
    if service:
        print(f"\n(a2) Consultation.vote on SQLite, 8 threads, no HTTP ({len(service['runs'])} runs; median "
              f"{service['median_votes_per_s']:,.0f} votes/s, p99 {service['median_p99_ms']:.1f} ms)")  # fmt: skip
        for r in service["runs"]:
            print(f"  {r['votes_per_s']:>9,.0f} votes/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
                  f"max {r['max_ms']:6.1f} ms  CPU {r['cpu_us_per_vote']} µs/vote  ({r['votes']:,} votes, tally sum "
                  f"{r['tally_sum']:,})")  # fmt: skip
    moto = report.get("moto")
    if moto:
        print(f"\n(b) Chalice handlers in process on moto ({moto['shards']} shards), single-threaded")
        for name in ("vote", "tally"):
            r = moto[name]
            print(f"  {name:6} {r['requests_per_s']:>9,.0f} req/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
                  f"({r['requests']:,} requests, {r['cpu_ms_per_request']} ms CPU each)")  # fmt: skip
    capacity = report.get("capacity")
    if capacity:
        print(f"\n(c) DynamoDB request units ({capacity['engine']}, {capacity['shards']} shards)")
        print("  per PUT vote (the handler's DynamoDB calls):")
        for op, entry in capacity["per_vote_request"].items():
            print(
                f"    {op:20} {entry['calls']:5g} calls  {entry['units']:6g} units  ({entry['index_units']:g} on indexes)"
            )
        print(f"    = vote transaction {capacity['vote_wcu_max']:g} WCU (index {capacity['vote_index_wcu']:g}) "
              f"+ rate-limit counters {capacity['rate_limit_wcu_per_vote']:g} WCU "
              f"+ answer reads {capacity['answer_rcu_per_vote']:g} RCU")  # fmt: skip
        print("  per GET tally, with a voter cookie:")
        for op, entry in capacity["per_tally_request_with_cookie"].items():
            print(f"    {op:20} {entry['calls']:5g} calls  {entry['units']:6g} units")
        print("  per GET tally, anonymous:")
        for op, entry in capacity["per_tally_request_anonymous"].items():
            print(f"    {op:20} {entry['calls']:5g} calls  {entry['units']:6g} units")
        print(f"  store.tally(): {capacity['store_tally_requests']} request(s), {capacity['store_tally_rcu']:g} RCU")
        print("  a repeated vote (cancelled by its condition):")
        for op, entry in capacity["repeated_vote"].items():
            print(f"    {op:20} {entry['calls']:5g} calls  {entry['units']:6g} units")
        for name in ("vote", "tally"):
            r = capacity[f"{name}_latency_in_process"]
            print(f"  in-process {name:6} on DynamoDB Local: {r['requests_per_s']:,.0f} req/s, p50 {r['p50_ms']:.2f} ms, "
                  f"p99 {r['p99_ms']:.2f} ms ({r['requests']} requests; handler + SDK {r['cpu_ms_per_request']} ms "
                  "CPU each)")  # fmt: skip
    print("\nTargets")
    for name, value, verdict in report["verdicts"]:
        print(f"  {verdict:4}  {name}: {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="(internal: _threads)")
    threads = sub.add_parser("_threads")
    threads.add_argument("--workdir", required=True)
    threads.add_argument("--threads", type=int, default=8)
    threads.add_argument("--votes", type=int, default=1500)
    threads.add_argument("--seconds", type=float, default=20.0)
    threads.add_argument("--api-dir", type=Path)
    parser.add_argument("--only", choices=("server", "service", "moto", "capacity"), action="append",
                        help="run only these parts (repeatable)")  # fmt: skip
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap per wrk run (default 100,000)")
    parser.add_argument("--inproc-requests", type=int, default=2_000, help="requests per in-process moto run")
    parser.add_argument("--capacity-requests", type=int, default=200, help="requests per DynamoDB Local run")
    parser.add_argument("--inproc-seconds", type=float, default=20.0, help="time cap per in-process run")
    parser.add_argument("--service-runs", type=int, default=3, help="runs of (a2), median reported (default 3)")
    parser.add_argument("--shards", type=int, default=10, help="TALLY_SHARDS for the DynamoDB runs (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (a), each server once a round (default 3)")
    parser.add_argument("--baseline", default=BASELINE,
                        help=f"commit whose api/ (a) runs side by side, or 'none' (default {BASELINE})")  # fmt: skip
    parser.add_argument("--api-dir", type=Path, help="another copy of api/ for (a2) (before/after comparisons)")
    parser.add_argument("--workers", type=int, help="server processes (default: serve.py's, as `make serve` runs)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON")
    parser.add_argument("--fail-on-target", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    if args.command == "_threads":
        service_threads(args)
        return 0
    parts = args.only or ["server", "service", "moto", "capacity"]
    report: dict = {"machine": machine(), "targets": {
        "wcu_per_vote": TARGET_WCU_PER_VOTE, "requests_per_tally": TARGET_REQUESTS_PER_TALLY,
        "votes_per_s": TARGET_VOTES_PER_S, "p99_ms": TARGET_P99_MS}}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        workdir = Path(tmp)
        if "server" in parts:
            print("(a) local server under wrk...", flush=True)
            report["server"] = bench_server(args, workdir)
        if "service" in parts:
            print("(a2) the vote service on SQLite from 8 threads, without HTTP...", flush=True)
            report["service"] = bench_service(args, workdir)
        if "moto" in parts:
            print("(b) Chalice handlers on moto...", flush=True)
            report["moto"] = bench_moto(args, workdir)
        if "capacity" in parts:
            print("(c) request units on DynamoDB Local...", flush=True)
            report["capacity"] = bench_capacity(args, workdir)
    report["verdicts"] = verdicts(report)
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = any(verdict != "PASS" for _, _, verdict in report["verdicts"])
    return 1 if failed and args.fail_on_target else 0


if __name__ == "__main__":
    sys.exit(main())
