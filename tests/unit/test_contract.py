"""What the site, the API and the staff commands must agree on is written once (site_builder/vocabulary.py).

The API gets it from the catalog the build writes (kernel/catalog.py Vocabulary), the staff commands import it.
These tests fail when one of those values is written again anywhere in the code, and check that the catalog
carries all of it.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from site_builder import languages as site_languages
from site_builder import vocabulary
from site_builder.catalog import vocabulary as shipped
from site_builder.i18n import gettext

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "site_builder" / "vocabulary.py"
# scripts/verify_tally.py is a single file anyone downloads and runs with Python alone: it keeps its own copy of the
# two format names, checked equal below.
STANDALONE = ROOT / "scripts" / "verify_tally.py"
CODE = [
    p
    for folder in ("api", "site_builder", "staff", "scripts", "infra", "overrides")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in (".py", ".js", ".html") and p != DEFINITION and ".cache" not in p.parts
]

LANGUAGES = site_languages.read(ROOT)[0]


def contract_strings() -> dict[str, str]:
    """Every value the contract defines that no code should spell out again: value -> what it is."""
    found = {}
    for name in ("REPORT_REASONS", "MODERATION_REASONS", "HIDDEN_BY_REPORTS", "CHANNELS"):
        for key, label in getattr(vocabulary, name).items():
            # The label (an English message) and its translation in every site language (the catalogs).
            for lang in LANGUAGES:
                found[gettext(lang, label)] = f"{name}[{key!r}] ({lang})"
    for key, value in vocabulary.FORMATS.items():
        found[value] = f"FORMATS[{key!r}]"
    for key, value in vocabulary.OPEN_LICENCE.items():
        found[value] = f"OPEN_LICENCE[{key!r}]"
    return found


def python_strings(path: Path) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def sequences_of_ids(path: Path) -> list[tuple[int, list[str]]]:
    """Tuples, lists and sets of string literals only (candidates for a copied list of reasons or channels)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        literal = isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 3
        if literal and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            found.append((node.lineno, [e.value for e in node.elts]))
    return found


def test_no_contract_value_is_written_twice():
    values = contract_strings()
    copies = []
    for path in CODE:
        if path.suffix == ".py":
            strings = python_strings(path)
        else:
            text = path.read_text(encoding="utf-8")
            strings = [(text[: m.start()].count("\n") + 1, m.group(2)) for m in re.finditer(r"([\"'])(.*?)\1", text)]
        for line, value in strings:
            if value in values and not (path == STANDALONE and values[value].startswith("FORMATS")):
                copies.append(f"{path.relative_to(ROOT)}:{line}: {value!r} is {values[value]}")
    assert not copies, "use site_builder/vocabulary.py (or the catalog's vocabulary in api/):\n" + "\n".join(copies)


def test_no_list_of_reasons_queues_or_channels_is_written_twice():
    kinds = {
        "REPORT_REASONS": set(vocabulary.REPORT_REASONS),
        "MODERATION_REASONS": set(vocabulary.MODERATION_REASONS),
        "CHANNELS": set(vocabulary.CHANNELS),
        "QUEUES": set(vocabulary.QUEUES),
    }
    copies = []
    for path in (p for p in CODE if p.suffix == ".py"):
        for line, items in sequences_of_ids(path):
            for name, ids in kinds.items():
                if len(set(items) & ids) >= 3:
                    copies.append(f"{path.relative_to(ROOT)}:{line}: {items} copies {name}")
    assert not copies, "\n".join(copies)


def test_no_form_hard_codes_a_text_limit():
    pattern = re.compile(r"maxlength=[\"']?\d")
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in CODE
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, "take the limit from LIMITS: " + ", ".join(found)


def test_the_standalone_checker_reads_the_formats_the_api_writes():
    text = STANDALONE.read_text(encoding="utf-8")
    assert f'RESULTS_FORMAT = "{vocabulary.FORMATS["results"]}"' in text
    assert f'VOTE_LOG_FORMAT = "{vocabulary.FORMATS["vote_log"]}"' in text


def test_the_catalog_carries_the_whole_contract():
    data = json.loads(json.dumps(shipped(LANGUAGES)))

    def labels(table):
        return {key: {lang: gettext(lang, label) for lang in LANGUAGES} for key, label in table.items()}

    assert data["report_reasons"] == labels(vocabulary.REPORT_REASONS)
    assert data["moderation_reasons"] == labels(vocabulary.MODERATION_REASONS)
    assert data["hidden_by_reports"] == labels(vocabulary.HIDDEN_BY_REPORTS)
    assert data["channels"] == labels(vocabulary.CHANNELS)
    assert data["report_reasons"]["spam"]["fr"] == "Publicité ou spam"
    assert data["limits"] == vocabulary.LIMITS
    assert data["outcomes"] == list(vocabulary.OUTCOMES)
    assert data["queues"] == list(vocabulary.QUEUES)
    assert data["formats"] == vocabulary.FORMATS and data["licence"] == vocabulary.OPEN_LICENCE
    assert data["languages"] == list(LANGUAGES)


def test_the_scan_finds_a_copy(tmp_path):
    copied = tmp_path / "copied.py"
    copied.write_text('REASONS = ("spam", "abuse", "illegal")\nFORMAT = "datacity-results/1"\n', encoding="utf-8")
    assert [v for _, v in python_strings(copied) if v in contract_strings()] == ["datacity-results/1"]
    assert sequences_of_ids(copied) == [(1, ["spam", "abuse", "illegal"])]
