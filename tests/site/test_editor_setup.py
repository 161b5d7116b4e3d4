"""Staff's editor checks content files as they type: the language servers, driven over LSP as an editor drives them.

- Challenge front matter: remark's language server (what the VS Code extension unifiedjs.vscode-remark runs) with
  the repository's .remarkrc.mjs, which checks it against schemas/challenge.schema.json.
- program.yml and glossary.yml: the YAML language server (what redhat.vscode-yaml runs) with the settings of
  .vscode/settings.json, as VS Code sends them.

The servers come from package.json (`make editor`, also part of `make test`).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .lsp import LanguageServer

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
# remark-language-server's own start-up (its index.js): unified-language-server with remark's names.
REMARK_SERVER = """
import {createUnifiedLanguageServer} from '%s'
createUnifiedLanguageServer({
  configurationSection: 'remark', ignoreName: '.remarkignore', packageField: 'remarkConfig',
  pluginPrefix: 'remark', processorName: 'remark', processorSpecifier: 'remark', rcName: '.remarkrc'
})
"""
VSCODE = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))


def node() -> str:
    found = shutil.which("node")
    if found is None or not (NODE_MODULES / ".package-lock.json").is_file():
        pytest.fail("Node.js and the editor checkers are needed: run `make editor`", pytrace=False)
    return found


# A server per test: a document reopened in the same server could be answered by its earlier diagnostics.
@pytest.fixture
def remark(tmp_path) -> Iterator[LanguageServer]:
    launcher = tmp_path / "remark-language-server.mjs"
    entry = NODE_MODULES / "unified-language-server" / "index.js"
    launcher.write_text(REMARK_SERVER % entry.as_uri(), encoding="utf-8")
    command = [node(), str(launcher), "--stdio"]
    server = LanguageServer(command, REPO, lambda section: {"requireConfig": VSCODE["remark.requireConfig"]})
    server.initialize()
    yield server
    server.close()


@pytest.fixture
def yaml() -> Iterator[LanguageServer]:
    settings = {"yaml": {"schemas": VSCODE["yaml.schemas"], "validate": True, "schemaStore": {"enable": False}}}
    script = NODE_MODULES / "yaml-language-server" / "bin" / "yaml-language-server"
    server = LanguageServer([node(), str(script), "--stdio"], REPO, lambda section: settings.get(section))
    server.initialize(settings)
    yield server
    server.close()


def lines_of(diagnostics: list[dict]) -> dict[int, str]:
    """{1-based line: message}"""
    return {d["range"]["start"]["line"] + 1: d["message"] for d in diagnostics}


def mentions(text: str):
    return lambda diagnostics: any(text in d["message"] for d in diagnostics)


def test_the_recommended_extensions_are_the_ones_these_checks_use():
    recommended = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert {"redhat.vscode-yaml", "unifiedjs.vscode-remark"} <= set(recommended)


def test_a_misspelt_challenge_field_is_reported_on_its_line(remark):
    path = REPO / "challenges" / "paris-2017" / "cycling-safety.md"
    text = path.read_text(encoding="utf-8").replace("\nthemes:", "\ntheme:", 1)
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("theme:"))) + 1
    found = lines_of(remark.diagnostics(path, text, "markdown", until=mentions("unknown field 'theme'")))
    assert 'did you mean "themes"' in found[line], found
    assert "themes: missing field 'themes'" in found[1], found  # on the opening ---


def test_a_wrong_value_and_a_nested_field_are_reported_where_they_are(remark):
    path = REPO / "challenges" / "montreal-2026" / "icy-sidewalks-seniors.md"
    source = path.read_text(encoding="utf-8")
    text = source.replace("status: open", "status: opened", 1).replace("  alt:", "  alts:", 1)
    found = lines_of(remark.diagnostics(path, text, "markdown", until=mentions("'opened'")))
    lines = text.splitlines()
    assert "use one of: open, closed, selected, draft" in found[lines.index("status: opened") + 1], found
    assert "image.alts: unknown field 'alts'" in found[lines.index("  alts:") + 1], found


def test_every_committed_challenge_is_clean_in_the_editor(remark):
    """No false alarm: what `datacity validate` accepts, the editor accepts (drafts included)."""
    paths = sorted((REPO / "challenges").glob("*/*.md"))
    assert len(paths) > 20
    for path in paths:
        assert remark.diagnostics(path, path.read_text(encoding="utf-8"), "markdown") == [], path


def test_a_wrong_program_field_is_reported(yaml):
    path = REPO / "challenges" / "lyon-2027" / "program.yml"
    text = path.read_text(encoding="utf-8").replace("moderation: pre", "moderaton: pre", 1)
    found = lines_of(yaml.diagnostics(path, text, "yaml", until=mentions("moderaton")))
    line = text.splitlines().index("moderaton: pre") + 1
    assert re.search(r"Property moderaton is not allowed", found[line]), found


def test_the_glossary_is_checked_through_the_vscode_settings(yaml):
    """Without the `# yaml-language-server: $schema=` first line: the association in .vscode/settings.json."""
    path = REPO / "content" / "glossary.yml"
    source = path.read_text(encoding="utf-8")
    assert source.startswith("# yaml-language-server:")
    text = source.split("\n", 1)[1].replace("    short:", "    shrot:", 1)
    found = yaml.diagnostics(path, text, "yaml", until=mentions("shrot"))
    assert any("Property shrot is not allowed" in d["message"] for d in found), found


def test_committed_program_and_glossary_files_are_clean_in_the_editor(yaml):
    for path in [*sorted((REPO / "challenges").glob("*/program.yml")), REPO / "content" / "glossary.yml"]:
        assert yaml.diagnostics(path, path.read_text(encoding="utf-8"), "yaml") == [], path
