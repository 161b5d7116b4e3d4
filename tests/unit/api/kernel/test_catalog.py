"""The catalog as the API reads it (kernel/catalog.py): lookups that refuse, the vocabulary it carries."""

from __future__ import annotations

import json

import pytest

from chalicelib.kernel.catalog import Catalog, CatalogFile
from chalicelib.kernel.errors import ApiError
from site_builder.catalog import vocabulary

WINDOW = {"opens": "2026-11-01T00:00:00+01:00", "closes": "2027-01-01T00:00:00+01:00"}
DATA = {
    "vocabulary": vocabulary(("fr", "en")),
    "programs": [{"id": "p", "title": {}, "window": WINDOW, "moderation": "post", "tallies": "live"}],
    "challenges": [
        {"id": "b", "program": "p", "status": "open", "title": {}, "window": WINDOW},
        {"id": "a", "program": "p", "status": "closed", "title": {}, "window": WINDOW},
    ],
}


def test_lookups_refuse_malformed_and_unknown_ids():
    catalog = Catalog(DATA)
    challenge, program = catalog.require_challenge("a")
    assert (challenge.id, program.id) == ("a", "p")
    with pytest.raises(ApiError) as bad:
        catalog.require_challenge("A!")
    assert bad.value.status == 400
    with pytest.raises(ApiError) as unknown:
        catalog.require_program("q")
    assert unknown.value.status == 404
    assert [c.id for c in catalog.challenges_of("p")] == ["a", "b"]


def test_the_vocabulary_comes_from_the_build():
    words = Catalog(DATA).vocabulary
    assert words.offline_channels == ("workshop", "paper", "phone")
    assert words.record_label(words.hidden_by_reports, "en").startswith("Reported by several people")
    assert words.record_label("spam", "fr") == vocabulary(("fr", "en"))["moderation_reasons"]["spam"]["fr"]


def test_a_rebuilt_catalog_is_read_again(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    catalog = CatalogFile(path)
    assert set(catalog.get().challenges) == {"a", "b"}
    path.write_text(json.dumps({**DATA, "challenges": DATA["challenges"][:1]}), encoding="utf-8")
    assert set(catalog.get().challenges) == {"b"}
