"""The repository's MkDocs configuration with the site's languages reduced to some of them, for fixtures whose
content exists in those languages only (tests/fixtures/valid is in French and English).

    .venv/bin/python -m tests.site_config     # rewrites tests/fixtures/valid/mkdocs.yml after mkdocs.yml changed
"""

from __future__ import annotations

import re

from tests import FIXTURES, ROOT

LANGUAGES_BLOCK = re.compile(r"^      languages:\n((?:        .*\n)+)", re.M)
VALID_CONFIG = FIXTURES / "valid" / "mkdocs.yml"
HEADER = (
    "# Generated from the repository's mkdocs.yml by `python -m tests.site_config`: the same configuration, with\n"
    "# the site in French and English, the languages of this fixture's content. Do not edit by hand.\n"
)


def site_config(*codes: str) -> str:
    """mkdocs.yml's text with the i18n plugin's languages limited to `codes`, the first one the default."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = LANGUAGES_BLOCK.search(text)
    assert block, "mkdocs.yml's languages block moved: update tests/site_config.py"
    entries: dict[str, list[str]] = {}
    for line in block.group(1).splitlines():
        found = re.match(r"        - locale: (\S+)$", line)
        if found:
            current = entries.setdefault(found.group(1), [])
        if "default: true" not in line:
            current.append(line)
    missing = [c for c in codes if c not in entries]
    assert not missing, f"mkdocs.yml does not declare {missing}"
    lines = []
    for i, code in enumerate(codes):
        lines += entries[code] + (["          default: true"] if i == 0 else [])
    return text[: block.start(1)] + "\n".join(lines) + "\n" + text[block.end(1) :]


def main() -> None:
    VALID_CONFIG.unlink(missing_ok=True)
    VALID_CONFIG.write_text(HEADER + site_config("fr", "en"), encoding="utf-8")
    print(f"wrote {VALID_CONFIG.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
