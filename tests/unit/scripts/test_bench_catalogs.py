"""The benchmarks write their own catalog: it must stay one the API reads, or the recorded figures cannot be redone.

(A change of site_builder.catalog.vocabulary's signature once broke scripts/bench_api.py without any test failing.)
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "api"))

from chalicelib.kernel.catalog import Catalog  # noqa: E402


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_api_catalog_is_read_by_the_api(tmp_path):
    bench = load_script("bench_api")
    site = bench.write_site(tmp_path)
    catalog = Catalog(json.loads((site / "catalog.json").read_text(encoding="utf-8")))
    assert sorted(catalog.challenges) == bench.CHALLENGES
    assert catalog.challenges_of(bench.PROGRAM)[0].program == bench.PROGRAM
    assert catalog.vocabulary.themes["water"]["en"] == "Water"
