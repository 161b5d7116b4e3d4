"""The site benchmark's languages comparison builds two sites that differ only by their languages."""

from __future__ import annotations

import argparse
import datetime as dt

from site_builder.load import load_site

from .test_bench_catalogs import load_script


def test_the_two_and_three_language_roots_hold_the_same_programs(tmp_path):
    bench = load_script("bench_site")
    args = argparse.Namespace(challenges=12, programs=2, seed=2017)
    now = dt.datetime.fromisoformat(bench.DEFAULT_NOW)
    two = bench.language_root(tmp_path, args, now, bench.TWO_LANGUAGES)
    three = bench.language_root(tmp_path, args, now, bench.THREE_LANGUAGES)
    site2, problems2 = load_site(two["root"])
    site3, problems3 = load_site(three["root"])
    assert problems2 == [] and problems3 == []
    assert site2.languages == ("fr", "en") and site3.languages == ("fr", "en", "ca")
    assert [c.id for c in site2.challenges] == [c.id for c in site3.challenges]
    # Adding Catalan leaves the French and English texts as they were; Catalan has its own.
    for a, b in zip(site2.challenges, site3.challenges, strict=True):
        assert a.title == {k: v for k, v in b.title.items() if k != "ca"} and b.title["ca"]
        assert a.body["fr"] == b.body["fr"] and a.body["en"] == b.body["en"] and b.body["ca"]
