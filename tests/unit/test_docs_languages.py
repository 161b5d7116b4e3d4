"""The staff guides in French and English (issue #13) cannot drift apart silently.

Each French guide has the shape of its English one (the editing guide heading for heading and code block for code
block; the consultation guide section for section, the English reference sections aside), names the same commands,
and every relative link of either leads to a file and heading that exist. The commands are read against the real
`datacity` command tree and the Makefile's targets, so a guide cannot name a command or an option that is gone, and
the problems the editing guides quote are those `datacity validate` prints, in English and in French.
"""

from __future__ import annotations

import re
import shlex
import shutil
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from site_builder.cli import main as datacity

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EDITING = ("editing-challenges.md", "fr/guide-edition.md")
CONSULTATION = ("staff.md", "fr/guide-consultation.md")
GUIDES = (*EDITING, *CONSULTATION)

# staff.md's sections (level 2) and the French guide's, in order. staff.md is also the technical reference: its
# sections for developers have no French counterpart (the French guide links to them).
CONSULTATION_SECTIONS = {
    "The staff console": "La console de l'équipe",
    "Staff tokens": "Les jetons de l'équipe",
    "Results document (`datacity-results/1`)": "Publier les résultats",
    "Vote log (`datacity-vote-log/1`) and verifiable tallies": "Le journal des votes et la vérification des décomptes",
    "Offline participation (workshops, paper)": "Les ateliers et la participation hors ligne",
    "Proposals become pull requests": "Des propositions aux pull requests",
}
REFERENCE_ONLY = {"Staff API"}
# The editing guides' example problems, made for real: each change, applied to a copy of the repository's content,
# gives one (or more) of the problems the guides quote, so a message changed in the code (or translated) without
# its guide fails here.
BROKEN = {
    "challenges/paris-2017/cycling-safety.md": [
        ("status: open\n", "status: opened\n"),
        ("  en: Making cycling safer\n", ""),
        ("themes: [mobility, public-space, health]", "themes: [mobility, safety, health]"),
        ("sdgs: [3, 11]", "sdgs: 3, 11"),
        ("<!-- en -->", "<!-- eng -->"),
    ],
    "challenges/paris-2017/air-quality-sensors.md": [("\nthemes:", "\ntheme:")],
    "challenges/paris-2017/water-leak-detection.md": [("closes: 2017-10-31", "closes: 2017-10-32")],
    "challenges/paris-2017/neighbourhood-noise.md": [("  fr: Le bruit des voitures", "  fr: Le bruit : des voitures")],
    "challenges/barcelona-2027/night-noise.md": [("title:\n", "title:\n  fr: Dormir\n")],
}
PROBLEM = re.compile(r"^(?P<path>(?:challenges|content|results)/[^:\s]+):\d+: (?P<rest>.+)$")
FRENCH_ONLY = {"Pour aller plus loin : la référence technique"}

FENCE = re.compile(r"^ {0,3}(```+|~~~+)\s*([\w-]*)")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *#*$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?: \"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"`([^`]+)`")
SHELL = {"", "sh", "shell", "bash", "console"}
COMMAND = re.compile(
    r"(?:^|[\s(=])(?:\.venv/bin/)?(?P<tool>datacity|make|python3?|\.venv/bin/python)\s+(?P<rest>[^#]*)"
)


@dataclass
class Section:
    """A level-2 section (or the text before the first one): its heading, text outside code, code blocks."""

    heading: str
    prose: list[str] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (info string, text)


@dataclass
class Doc:
    path: Path
    headings: list[tuple[int, str]]
    sections: list[Section]

    def commands(self, skip: set[str] = frozenset()) -> set[str]:
        return {key for s in self.sections if s.heading not in skip for key in section_commands(s, self.path)}


def read(name: str) -> Doc:
    return read_path(DOCS / name)


@cache
def read_path(path: Path) -> Doc:
    headings: list[tuple[int, str]] = []
    sections = [Section("")]
    fence: str | None = None
    block: list[str] = []
    info = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        opened = FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1).startswith(fence) and not opened.group(2):
                sections[-1].blocks.append((info, "\n".join(block)))
                fence = None
            else:
                block.append(line)
            continue
        if opened:
            fence, info, block = opened.group(1), opened.group(2), []
            continue
        heading = HEADING.match(line)
        if heading:
            headings.append((len(heading.group(1)), heading.group(2)))
            if len(heading.group(1)) == 2:
                sections.append(Section(heading.group(2)))
                continue
        sections[-1].prose.append(line)
    assert fence is None, f"{path.name}: a code block is never closed"
    return Doc(path, headings, sections)


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens (letters kept)."""
    text = unicodedata.normalize("NFC", CODE_SPAN.sub(r"\1", heading)).lower()
    return re.sub(r" ", "-", re.sub(r"[^\w\- ]", "", text))


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for _, heading in read_path(path).headings:
        slug = anchor(heading)
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return found


@cache
def make_targets() -> frozenset[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def _tokens(rest: str) -> list[str]:
    try:
        words = shlex.split(rest)
    except ValueError:  # a quote the span leaves open
        words = rest.split()
    return [w.strip("[]().,;:") for w in words]


def _datacity(command: click.Command, path: str, words: list[str], where: Path) -> set[str]:
    """The command path named (`datacity moderate queue`) and each option named with it, checked against the CLI."""
    if isinstance(command, click.Group) and words and all(w in command.commands for w in words[0].split("|")):
        return {
            key
            for name in words[0].split("|")
            for key in _datacity(command.commands[name], f"{path} {name}", words[1:], where)
        }
    keys = {path}
    options = {opt for param in command.params for opt in param.opts} | {"--help"}
    for word in words:
        if word.startswith("--"):
            option = word.split("=")[0].rstrip(".")
            assert option in options, f"{where.name} names `{path} {option}`, an option that command does not have"
            keys.add(f"{path} {option}")
    return keys


def commands_in(text: str, where: Path) -> set[str]:
    """The `datacity`, `make` and script commands a piece of text names, as comparable keys."""
    keys: set[str] = set()
    for found in COMMAND.finditer(text):
        tool, words = found.group("tool"), _tokens(found.group("rest"))
        if tool == "datacity":
            keys |= _datacity(datacity, "datacity", words, where)
        elif tool == "make":
            for word in words:
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break
                assert word in make_targets(), f"{where.name} names `make {word}`, which the Makefile does not have"
                keys.add(f"make {word}")
        elif words and (words[0].startswith("scripts/") or words[0] == "-m"):
            script = words[0] if words[0] != "-m" else f"-m {words[1]}"
            if script.startswith("scripts/"):
                assert (ROOT / script).is_file(), f"{where.name} runs {script}, which does not exist"
            keys.add(f"python {script}")
            keys |= {f"python {script} {w}" for w in words[1:] if w.startswith("--")}
    return keys


def section_commands(section: Section, where: Path) -> set[str]:
    prose = "\n".join(section.prose)
    spans = [span.replace("\n", " ") for span in CODE_SPAN.findall(prose)]
    lines = [line for info, text in section.blocks if info in SHELL for line in text.splitlines()]
    return {key for text in (*spans, *lines) for key in commands_in(text, where)}


def test_the_editing_guides_have_the_same_structure():
    english, french = (read(name) for name in EDITING)
    assert [level for level, _ in english.headings] == [level for level, _ in french.headings], (
        "docs/editing-challenges.md and docs/fr/guide-edition.md must have the same headings, level by level, in "
        "the same order: a section added to one is added to the other"
    )
    for ours, theirs in zip(english.sections, french.sections, strict=True):
        assert [info for info, _ in ours.blocks] == [info for info, _ in theirs.blocks], (
            f"section {ours.heading!r} / {theirs.heading!r}: the same code blocks, of the same kinds, in both"
        )


def _differences(pairs: list[tuple[Section, Section]], english: Doc, french: Doc) -> dict[str, dict[str, set[str]]]:
    """Per pair of sections, the commands only one of them names."""
    found = {}
    for ours, theirs in pairs:
        en, fr = section_commands(ours, english.path), section_commands(theirs, french.path)
        if en != fr:
            found[f"{ours.heading} / {theirs.heading}"] = {"English only": en - fr, "French only": fr - en}
    return found


def test_the_editing_guides_name_the_same_commands():
    english, french = (read(name) for name in EDITING)
    assert english.commands(), "no command found: the comparison would prove nothing"
    assert not _differences(list(zip(english.sections, french.sections, strict=True)), english, french)


def test_the_consultation_guide_has_every_staff_section_of_staff_md():
    english, french = (read(name) for name in CONSULTATION)
    staff_sections = [s.heading for s in english.sections[1:]]
    unclassified = set(staff_sections) - set(CONSULTATION_SECTIONS) - REFERENCE_ONLY
    assert not unclassified, (
        f"docs/staff.md has new sections {unclassified}: write them in docs/fr/guide-consultation.md too and add "
        "them to CONSULTATION_SECTIONS, or, for developers only, to REFERENCE_ONLY"
    )
    expected = [CONSULTATION_SECTIONS[h] for h in staff_sections if h in CONSULTATION_SECTIONS]
    assert [s.heading for s in french.sections[1:] if s.heading not in FRENCH_ONLY] == expected


def test_the_consultation_guides_name_the_same_commands():
    english, french = (read(name) for name in CONSULTATION)
    by_french = {s.heading: s for s in french.sections}
    pairs = [
        (s, by_french[CONSULTATION_SECTIONS[s.heading]]) for s in english.sections if s.heading in CONSULTATION_SECTIONS
    ]
    assert not _differences(pairs, english, french)


@pytest.mark.parametrize("name", GUIDES)
def test_every_relative_link_leads_somewhere(name):
    doc = read(name)
    # Links shown as examples (in code) are not links of the guide.
    prose = CODE_SPAN.sub("", "\n".join(line for s in doc.sections for line in s.prose))
    assert LINK.findall(prose), f"{name} has no link at all: the link check would prove nothing"
    for target in LINK.findall(prose):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, fragment = target.partition("#")
        path = (doc.path.parent / file).resolve() if file else doc.path
        assert path.exists(), f"{name}: the link {target} leads to no file"
        if fragment:
            assert path.suffix == ".md", f"{name}: {target}"
            assert fragment in anchors(path), f"{name}: the link {target} leads to no heading of {path.name}"


@pytest.mark.parametrize(("name", "other"), [EDITING, EDITING[::-1], CONSULTATION, CONSULTATION[::-1]])
def test_each_guide_links_to_the_other_language_at_its_top(name, other):
    top = "\n".join(read(name).sections[0].prose)
    expected = Path(other).relative_to(Path(name).parent) if "/" not in name else Path("..") / other
    assert f"]({expected.as_posix()})" in top, f"{name} starts with a link to {other}"


def test_the_readme_lists_both_languages_guides():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in GUIDES:
        assert f"(docs/{name})" in readme, f"README.md's documentation list links docs/{name}"


@pytest.fixture(scope="module")
def broken_content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    for name in ("challenges", "content", "results"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root)
    for name, changes in BROKEN.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, f"{name} no longer has {old!r}: choose another change that gives the guides' problem"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return root


def _problems(root: Path, lang: str, monkeypatch) -> set[str]:
    """What `datacity validate` prints in `lang`: one line per problem."""
    monkeypatch.setenv("LANGUAGE", lang)
    result = CliRunner().invoke(datacity, ["validate", "--root", str(root)])
    assert result.exit_code == 1, result.output
    return {line for line in result.output.splitlines() if PROBLEM.match(line)}


@pytest.mark.parametrize(("name", "lang"), [(EDITING[0], "en"), (EDITING[1], "fr")])
def test_the_editing_guides_quote_the_validators_real_problems(name, lang, broken_content, monkeypatch):
    doc = read(name)
    printed = _problems(broken_content, lang, monkeypatch)
    quoted = [
        line
        for section in doc.sections
        for info, text in section.blocks
        if info == "text"
        for line in text.splitlines()
        if PROBLEM.match(line)
    ]
    assert len(quoted) >= 8, f"{name}: the example problems were not found"
    missing = [q for q in quoted if q not in printed]
    assert not missing, f"{name} quotes problems `datacity validate` does not print in {lang}: {missing}"
    # The refusal of a text in a language its program does not publish in, quoted in the prose.
    refusal = next(p for p in printed if re.match(r"challenges/barcelona-2027/night-noise.md:\d+: title.fr: ", p))
    prose = " ".join(" ".join(s.prose) for s in doc.sections).replace("\n", " ")
    assert refusal.split("title.fr: ", 1)[1] in re.sub(r"\s+", " ", prose), f"{name}: {refusal}"


@pytest.mark.parametrize(("name", "lang"), [(EDITING[0], "en"), (EDITING[1], "fr")])
def test_the_editing_guides_quote_the_validators_ok_line(name, lang, monkeypatch):
    """The line for valid content, as printed for the repository's own content (its counts may differ)."""
    quoted = [
        line for s in read(name).sections for info, text in s.blocks if info == "text" for line in text.split("\n")
    ]
    ok = [line for line in quoted if line.startswith("OK")]
    assert len(ok) == 1, f"{name} quotes the validator's OK line once"
    monkeypatch.setenv("LANGUAGE", lang)
    printed = CliRunner().invoke(datacity, ["validate", "--root", str(ROOT)]).output.strip()
    assert re.fullmatch(re.sub(r"\\d+|\d+", r"\\d+", re.escape(ok[0])), printed), (ok[0], printed)
