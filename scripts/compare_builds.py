#!/usr/bin/env python3
"""Build the same synthetic site with two revisions of the code, in alternating rounds, and compare their times.

Not a test: a benchmark, for the "no slower than before" checks of a change (docs/benchmarks.md). Each revision's
site_builder/, mkdocs.yml and overrides/ are taken out of git (`git archive`) into a folder of their own; the
content (scripts/bench_site.py's 1,000 synthetic challenges and the repository's content/ of the newer revision)
is the same for both; every build runs in a subprocess with that revision's site_builder first on its path.

    .venv/bin/python scripts/compare_builds.py 1435dd2 70ebcf2 --runs 5

Rounds alternate (old, new, new, old, ...) so that a machine that gets busier slows both alike; the report gives
the median wall and CPU time of each and the ratio new / old.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import bench_site  # noqa: E402  (the synthetic content and the timed build)

PARTS = ("site_builder", "overrides", "mkdocs.yml", "content")


def extract(rev: str, dest: Path) -> Path:
    """The revision's code and configuration, as git has it."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev, *PARTS], cwd=REPO, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def root_for(tree: Path, content_root: Path, dest: Path) -> Path:
    """A site root with the revision's mkdocs.yml and overrides/, and the shared content."""
    dest.mkdir(parents=True)
    shutil.copy2(tree / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(tree / "overrides", dest / "overrides")
    for name in ("content", "challenges"):
        shutil.copytree(content_root / name, dest / name)
    (dest / ".build" / "docs").mkdir(parents=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the revision before (e.g. 1435dd2)")
    parser.add_argument("new", help="the revision after (e.g. HEAD)")
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--programs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--now", default=bench_site.DEFAULT_NOW)
    parser.add_argument("--json", type=Path, help="also write the report as JSON")
    args = parser.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now)
    work = Path(tempfile.mkdtemp(prefix="datacity-compare-"))
    try:
        trees = {name: extract(rev, work / name) for name, rev in (("old", args.old), ("new", args.new))}
        generated = work / "generated"
        generated.mkdir()
        shutil.copytree(trees["new"] / "content", generated / "content")
        bench_site.write_programs(generated, args.challenges, args.programs, args.seed, now)
        roots = {name: root_for(tree, generated, work / f"root-{name}") for name, tree in trees.items()}
        env = bench_site._env(args.now)
        logs = work / "logs"
        logs.mkdir()
        times: dict[str, list[dict]] = {"old": [], "new": []}
        for name in ("old", "new"):  # warm-up: imports, file cache
            build_env = {**env, "PYTHONPATH": str(trees[name])}
            bench_site.build(roots[name], build_env, True, logs / f"{name}-warmup.log")
        for i in range(args.runs):
            for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
                build_env = {**env, "PYTHONPATH": str(trees[name])}
                print(f"round {i + 1}/{args.runs}: {name} ({getattr(args, name)}) ...", file=sys.stderr, flush=True)
                times[name].append(bench_site.build(roots[name], build_env, True, logs / f"{name}-{i}.log"))
        report = {"old": args.old, "new": args.new, "challenges": args.challenges, "runs": args.runs}
        for name, runs in times.items():
            report[name + "_wall_s"] = [round(r["wall_s"], 2) for r in runs]
            report[name + "_median_wall_s"] = round(statistics.median(r["wall_s"] for r in runs), 2)
            report[name + "_median_cpu_s"] = round(statistics.median(r["cpu_s"] for r in runs), 2)
        report["ratio_wall"] = round(report["new_median_wall_s"] / report["old_median_wall_s"], 3)
        report["ratio_cpu"] = round(report["new_median_cpu_s"] / report["old_median_cpu_s"], 3)
        report["load_avg_at_end"] = list(os.getloadavg())
        print(json.dumps(report, indent=2))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
