"""Read every content file, check it, and build the Site model; report every problem at once."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import content_schema as cs
from . import languages as site_languages
from . import urls
from .images import intrinsic_size
from .model import Challenge, GlossaryEntry, Image, Link, Origin, Partner, Program, Site, Window
from .problems import Problem, did_you_mean
from .results import RESULTS_FOLDER
from .results import load_all as load_results
from .schema import INVALID, SLUG_RE, Checker, publish_at
from .sources import Document, parse_markdown, parse_yaml
from .staff_text import S_, listed, words
from .vocabulary import IMAGE_EXTENSIONS

PROGRAM_FILE = "program.yml"
GLOSSARY_FILE = "glossary.yml"
SITE_FILE = "site.yml"
CHECKS_FILE = "accessibility-checks.json"
STATEMENT_MARKER = "<!-- accessibility-statement -->"
# A content page shows a contact of content/site.yml with `<!-- contact: privacy -->`, and each program's with
# `<!-- program-contacts: email -->` (the site's standing in for a program that has none).
CONTACT_MARKER = re.compile(r"<!--\s*(contact|program-contacts)\s*:\s*([a-z]+)\s*-->")
# A language section of a challenge body starts with a line such as `<!-- fr -->`.
LANG_MARKER = re.compile(r"^\s*<!--\s*(?:lang(?:uage)?\s*[:=]\s*)?([A-Za-z_-]{2,8})\s*-->\s*$")


@dataclass
class Paths:
    """Where a site's sources live; tests point these at temporary trees."""

    root: Path

    @property
    def challenges(self) -> Path:
        return self.root / "challenges"

    @property
    def content(self) -> Path:
        return self.root / "content"


def load_site(root: Path) -> tuple[Site, list[Problem]]:
    paths = Paths(Path(root))
    problems: list[Problem] = []
    programs: dict[str, Program] = {}
    raw_challenges: list[tuple[Challenge, Document]] = []

    languages, problems = site_languages.read(paths.root)
    publish_at(site_languages.site_address(paths.root))
    if not languages:
        return Site(programs={}, challenges=[], glossary=[], pages={}), problems
    urls.use_default_language(languages[0])
    pages = _content_pages(paths, languages, problems)
    glossary = _load_glossary(paths.content / GLOSSARY_FILE, languages, problems)
    publisher, contact, accessibility = _load_site_file(paths.content / SITE_FILE, languages, problems)
    _check_contact_markers(pages, paths.content / SITE_FILE, contact, problems)
    checks = _load_checks(paths.content, pages, accessibility, problems)

    if not paths.challenges.is_dir():
        problems.append(Problem(paths.challenges, 1, "", S_("the challenges folder is missing"), S_("create it")))
    else:
        for folder in sorted(p for p in paths.challenges.iterdir() if p.is_dir()):
            program = _load_program(folder, languages, problems)
            if program is None:
                continue
            programs[program.id] = program
            for md in sorted(folder.glob("*.md")):
                loaded = _load_challenge(md, program, languages, problems)
                if loaded is not None:
                    raw_challenges.append(loaded)
        for stray in sorted(paths.challenges.glob("*.md")):
            problems.append(
                Problem(
                    stray,
                    1,
                    "",
                    S_("a challenge file is outside any program folder"),
                    S_("move it into challenges/<program>/"),
                )
            )

    challenges = _check_ids(raw_challenges, problems)
    # Generated pages that every site has are linkable too (the "my votes" page: site_builder/pages/my_votes.py).
    linkable = set(pages) | ({"glossary"} if glossary else set()) | {"my-votes"}
    _check_page_links(pages, linkable, problems)
    _check_links(challenges, raw_challenges, linkable, problems)
    titles = {name: {lang: _heading(path) for lang, path in by_lang.items()} for name, by_lang in pages.items()}
    site = Site(
        programs=programs,
        challenges=challenges,
        glossary=glossary,
        pages=pages,
        page_titles=titles,
        languages=languages,
        publisher=publisher,
        contact=contact,
        accessibility=accessibility,
        checks=checks,
    )
    # Exported results (results/<program>/results.json), checked against the published challenges.
    site.results, found = load_results(paths.root / RESULTS_FOLDER, site)
    problems.extend(found)
    return site, sorted(set(problems))


def _content_pages(paths: Paths, languages: tuple[str, ...], problems: list[Problem]) -> dict[str, dict[str, Path]]:
    pages: dict[str, dict[str, Path]] = {}
    for lang in languages:
        folder = paths.content / lang
        for md in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            pages.setdefault(md.stem, {})[lang] = md
    for name, by_lang in sorted(pages.items()):
        for lang in languages:
            if lang not in by_lang:
                have = next(iter(by_lang.values()))
                problems.append(
                    Problem(
                        have,
                        1,
                        "",
                        S_("missing translation: there is no content/{lang}/{name}.md"),
                        S_("add content/{lang}/{name}.md with the page in that language"),
                        (("lang", lang), ("name", name)),
                    )
                )
    return pages


def _load_site_file(
    path: Path, languages: tuple[str, ...], problems: list[Problem]
) -> tuple[dict[str, str], dict[str, str], dict]:
    """The publisher, contacts and accessibility block of content/site.yml (optional: a site without it shows no
    contact and no statement)."""
    if not path.exists():
        return {}, {}, {}
    doc, found = parse_yaml(path.read_text(encoding="utf-8"), path)
    problems.extend(found)
    if doc is None:
        return {}, {}, {}
    ck = Checker(doc, languages)
    data = cs.SITE.check(doc.data, (), ck)
    problems.extend(ck.problems)
    if data is INVALID:
        return {}, {}, {}
    return data["publisher"], data["contact"], data.get("accessibility", {})


def _load_checks(
    content: Path, pages: dict[str, dict[str, Path]], accessibility: dict, problems: list[Problem]
) -> dict:
    """The automated checks recorded by `python -m tests.browser.accessibility_record`, when a page shows the
    statement: it needs them, and content/site.yml's accessibility block."""
    shown = [p for by_lang in pages.values() for p in by_lang.values() if STATEMENT_MARKER in p.read_text("utf-8")]
    if not shown:
        return {}
    path = content / CHECKS_FILE
    record = S_("run: python -m tests.browser.accessibility_record (it runs axe-core on every page type and writes it)")
    if not accessibility:
        problems.append(
            Problem(
                content / SITE_FILE,
                1,
                "accessibility",
                S_("{page} shows the accessibility statement, but the site declares nothing for it"),
                S_("add 'accessibility:' to content/site.yml (non_conformities, derogations, plan, actions)"),
                (("page", shown[0].name),),
            )
        )
    if not path.exists():
        problems.append(Problem(path, 1, "", S_("the accessibility checks were never recorded"), record))
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        dt.date.fromisoformat(data["date"])
        tools = [(str(t["name"]), str(t["version"])) for t in data["tools"]]
        pages_checked = [(p["path"], int(p["width"]), list(p["violations"])) for p in data["pages"]]
        int(data["violations"])
    except (ValueError, KeyError, TypeError) as error:
        problems.append(
            Problem(path, 1, "", S_("the recorded checks cannot be read ({error})"), record, (("error", repr(error)),))
        )
        return {}
    if not tools or not pages_checked:
        problems.append(Problem(path, 1, "pages", S_("no page or no tool was recorded"), record))
        return {}
    return data


def _check_contact_markers(
    pages: dict[str, dict[str, Path]], site_file: Path, contact: dict[str, str], problems: list[Problem]
) -> None:
    """Every contact a content page shows is declared, so no page is built with a hole or a placeholder."""
    site_fields = tuple(cs.SITE_CONTACT.fields)
    program_fields = tuple(cs.PROGRAM_CONTACT.fields)
    for by_lang in pages.values():
        for path in by_lang.values():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for m in CONTACT_MARKER.finditer(line):
                    which, name = m.group(1), m.group(2)
                    allowed = site_fields if which == "contact" else program_fields
                    if name not in allowed:
                        problems.append(
                            Problem(
                                path,
                                number,
                                which,
                                S_("unknown contact '{name}'{hint}"),
                                S_("write one of {allowed}"),
                                (
                                    ("name", name),
                                    ("hint", did_you_mean(name, allowed)),
                                    ("allowed", listed(allowed, "or")),
                                ),
                            )
                        )
                    elif not contact.get(name):
                        problems.append(
                            Problem(
                                path,
                                number,
                                which,
                                S_("the page shows the site's {name} contact, which is not declared"),
                                S_("declare contact.{name} in {file}"),
                                (("name", name), ("file", f"{site_file.parent.name}/{site_file.name}")),
                            )
                        )


# A Markdown link or image `[text](target)` / `![alt](target)` (its target up to a space or the closing bracket).
MARKDOWN_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)")
FENCE = re.compile(r"^\s*(```|~~~)")


def relative_links(text: str, first_line: int = 1):
    """(line, is_image, target) of each link of a Markdown text that is not a web address, an absolute path or an
    anchor of the same page: the ones `mkdocs build --strict` resolves among the generated files. Code is skipped."""
    fenced = False
    for offset, line in enumerate(text.splitlines()):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for m in MARKDOWN_LINK.finditer(re.sub(r"`[^`]*`", "", line)):
            target = m.group(2)
            if target.startswith(("#", "/")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                continue
            yield first_line + offset, bool(m.group(1)), target


def _check_page_links(pages: dict[str, dict[str, Path]], linkable: set[str], problems: list[Problem]) -> None:
    """A content page links to another content page of its language by its file name (`privacy.md`): anything
    else relative stops the strict build, which names the generated file, so it is refused here at its line."""
    for by_lang in pages.values():
        for path in by_lang.values():
            for number, is_image, target in relative_links(path.read_text(encoding="utf-8")):
                name = target.split("#", 1)[0]
                if not is_image and name.endswith(".md") and name[:-3] in linkable:
                    continue
                problems.append(
                    Problem(
                        path,
                        number,
                        "",
                        S_("the link '{target}' leads to no page of the site{hint}"),
                        S_(
                            "link another page by its file name in content/<language>/ (e.g. privacy.md), or write a full web address (https://...)"
                        ),
                        (
                            ("target", target),
                            ("hint", did_you_mean(name[:-3], linkable) if name.endswith(".md") else ""),
                        ),
                    )
                )


def _heading(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()


def _load_glossary(path: Path, languages: tuple[str, ...], problems: list[Problem]) -> list[GlossaryEntry]:
    if not path.exists():
        return []
    doc, found = parse_yaml(path.read_text(encoding="utf-8"), path)
    problems.extend(found)
    if doc is None:
        return []
    ck = Checker(doc, languages)
    data = cs.GLOSSARY.check(doc.data, (), ck)
    problems.extend(ck.problems)
    if data is INVALID:
        return []
    entries, seen = [], set()
    for i, term in enumerate(data["terms"]):
        if term["id"] in seen:
            problems.append(
                Problem(
                    path,
                    doc.line(("terms", i, "id")),
                    f"terms[{i}].id",
                    S_("duplicate id '{id}'"),
                    S_("give each term its own id"),
                    (("id", term["id"]),),
                )
            )
            continue
        seen.add(term["id"])
        aliases = term.get("aliases", {})
        entries.append(GlossaryEntry(term["id"], term["term"], term["short"], term["explanation"], aliases))
    return entries


def _load_program(folder: Path, languages: tuple[str, ...], problems: list[Problem]) -> Program | None:
    path = folder / PROGRAM_FILE
    if not SLUG_RE.match(folder.name):
        problems.append(
            Problem(
                folder,
                1,
                "",
                S_("folder name '{folder}' is not a valid program id"),
                S_("rename it with lowercase letters, digits and hyphens, e.g. paris-2017"),
                (("folder", folder.name),),
            )
        )
        return None
    if not path.exists():
        others = [p.name for p in folder.glob("*.y*ml")]
        hint = words(S_(" (found {files}: rename it)"), files=listed(others)) if others else ""
        problems.append(
            Problem(
                path,
                1,
                "",
                S_("the program file is missing{hint}"),
                S_("add {file} describing the program"),
                (("hint", hint), ("file", f"{folder.name}/{PROGRAM_FILE}")),
            )
        )
        return None
    doc, found = parse_yaml(path.read_text(encoding="utf-8"), path)
    problems.extend(found)
    if doc is None:
        return None
    # The program's texts are checked in its own languages (when they are readable), the site's otherwise.
    declared = doc.data.get("languages") if isinstance(doc.data, dict) else None
    own = tuple(declared) if isinstance(declared, list) and declared and set(declared) <= set(languages) else ()
    ck = Checker(doc, tuple(lang for lang in languages if lang in own) or languages, languages)
    data = cs.PROGRAM.check(doc.data, (), ck)
    problems.extend(ck.problems)
    if data is INVALID:
        return None
    window = _window(data["consultation"], data["consultation"]["timezone"], doc, ("consultation",), problems)
    if window is None:
        return None
    participation = data.get("participation", ("anonymous",))
    if ("oidc" in participation) != ("oidc" in data):
        where = ("participation",) if "oidc" in participation else ("oidc",)
        problems.append(
            Problem(
                doc.path,
                doc.line(where),
                ".".join(where),
                S_("oidc is in participation but the file has no oidc provider")
                if "oidc" in participation
                else S_("an oidc provider is set but participation does not offer oidc"),
                S_("add an oidc block with issuer, client_id and name, or take oidc out of participation")
                if "oidc" in participation
                else S_("add oidc to participation, or remove the oidc block"),
            )
        )
        return None
    return Program(
        id=folder.name,
        city=data["city"],
        season=data["season"],
        title=data["title"],
        description=data["description"],
        # In the site's order, so that pages and the catalog list them alike whatever the file's order.
        languages=[lang for lang in languages if lang in data["languages"]],
        window=window,
        moderation=data["moderation"],
        tallies=data.get("tallies", "live"),
        partners=[Partner(p["name"], p.get("url")) for p in data.get("partners", [])],
        path=path,
        contact=data.get("contact", {}),
        participation=participation,
        oidc=data.get("oidc", {}),
    )


def _window(fields: dict, timezone: str, doc: Document, where: tuple, problems: list[Problem]) -> Window | None:
    window = Window.from_fields(fields["opens"], fields["closes"], timezone)
    if window.closes <= window.opens:
        problems.append(
            Problem(
                doc.path,
                doc.line(where + ("closes",)),
                ".".join(where + ("closes",)),
                S_("the window closes before it opens"),
                S_("make 'closes' later than 'opens' (dates are YYYY-MM-DD)"),
            )
        )
        return None
    return window


# What a draft's unfinished parts are marked with (`datacity proposal to-challenge` writes them): a challenge
# still carrying one cannot be published.
UNFINISHED = "TODO:"


def _load_challenge(
    path: Path, program: Program, site_langs: tuple[str, ...], problems: list[Problem]
) -> tuple[Challenge, Document] | None:
    text = path.read_text(encoding="utf-8")
    md, found = parse_markdown(text, path)
    problems.extend(found)
    if md.front is None:
        return None
    doc = md.front
    ck = Checker(doc, tuple(program.languages), site_langs)
    data = cs.CHALLENGE.check(doc.data, (), ck)
    problems.extend(ck.problems)
    body = _split_body(md.body, md.body_first_line, path, tuple(program.languages), site_langs, problems)
    if data is INVALID or body is None:
        return None
    ok = _finished(text, data["status"], path, problems)
    if data["id"] != path.stem:
        problems.append(
            Problem(
                path,
                doc.line(("id",)),
                "id",
                S_("id '{id}' does not match the file name '{file}'"),
                S_("rename the file to {id}.md or set id: {stem}"),
                (("id", data["id"]), ("file", path.name), ("stem", path.stem)),
            )
        )
        ok = False
    window, overridden = program.window, False
    if "window" in data:
        window = _window(data["window"], program.window.timezone, doc, ("window",), problems)
        overridden = True
        ok = ok and window is not None
    image = None
    if "image" in data:
        image = _image(data["image"], path, doc, problems)
        ok = ok and image is not None
    if not ok:
        return None
    links = [
        Link(kind, link[kind], link.get("title"))
        for link in data.get("links", [])
        for kind in ("url", "challenge", "page")
        if kind in link
    ]
    for i, link in enumerate(links):
        if link.kind == "url" and link.title is None:
            problems.append(
                Problem(
                    path,
                    doc.line(("links", i)),
                    f"links[{i}].title",
                    S_("a web link needs a title"),
                    S_("add 'title: {example}'"),
                    (("example", "{" + ", ".join(f"{lang}: ..." for lang in program.languages) + "}"),),
                )
            )
            return None
    challenge = Challenge(
        id=data["id"],
        program=program.id,
        status=data["status"],
        title=data["title"],
        summary=data["summary"],
        themes=data["themes"],
        sdgs=data["sdgs"],
        window=window,
        window_overridden=overridden,
        partners=[Partner(p["name"], p.get("url")) for p in data.get("partners", [])],
        image=image,
        links=links,
        body=body,
        path=path,
        origin=_origin(data.get("origin")),
    )
    return challenge, doc


def _finished(text: str, status: str, path: Path, problems: list[Problem]) -> bool:
    """A challenge that is not a draft must not keep the draft's "TODO:" marks (untranslated or unchecked parts)."""
    if status == "draft" or UNFINISHED not in text:
        return True
    for number, line in enumerate(text.splitlines(), 1):
        if UNFINISHED in line:
            mark = line[line.index(UNFINISHED) :].strip().removesuffix("-->").strip()
            problems.append(
                Problem(
                    path,
                    number,
                    "status",
                    S_("the challenge is '{status}' but this line is still marked '{mark}'"),
                    S_("finish that part (translate, check) and delete the TODO mark, or keep status: draft"),
                    (("status", status), ("mark", mark[:60])),
                )
            )
    return False


def _origin(data: dict | None) -> Origin | None:
    if data is None:
        return None
    day = data["proposed_on"]
    return Origin(data["kind"], data["proposal"], day.date() if isinstance(day, dt.datetime) else day)


def _image(data: dict, path: Path, doc: Document, problems: list[Problem]) -> Image | None:
    src = path.parent / data["src"]
    line = doc.line(("image", "src"))
    if Path(data["src"]).is_absolute() or ".." in Path(data["src"]).parts:
        problems.append(
            Problem(
                path,
                line,
                "image.src",
                S_("the image must be inside the program folder"),
                S_("put it in images/ next to the challenge and write images/<file>"),
            )
        )
        return None
    if src.suffix.lower() not in IMAGE_EXTENSIONS:
        problems.append(
            Problem(
                path,
                line,
                "image.src",
                S_("'{suffix}' images are not supported"),
                S_("use one of {extensions}"),
                (("suffix", src.suffix), ("extensions", listed(IMAGE_EXTENSIONS, "or"))),
            )
        )
        return None
    if not src.is_file():
        nearby = [
            p.relative_to(path.parent).as_posix()
            for p in path.parent.rglob("*")
            if p.suffix.lower() in IMAGE_EXTENSIONS
        ]
        problems.append(
            Problem(
                path,
                line,
                "image.src",
                S_("the image file '{src}' does not exist{hint}"),
                S_("add the file or correct the path (relative to the challenge file)"),
                (("src", data["src"]), ("hint", did_you_mean(data["src"], nearby))),
            )
        )
        return None
    size = intrinsic_size(src)
    if size is None:
        problems.append(
            Problem(
                path,
                line,
                "image.src",
                S_("the size of '{src}' cannot be read from the file"),
                S_(
                    "for an SVG, give its root element a viewBox (or width and height in pixels); "
                    "otherwise save the image again as PNG, JPEG or WebP"
                ),
                (("src", data["src"]),),
            )
        )
        return None
    return Image(src, data["alt"], size)


_REPORTED = "\0reported"


def _split_body(
    body: str,
    first_line: int,
    path: Path,
    languages: tuple[str, ...],
    site_langs: tuple[str, ...],
    problems: list[Problem],
) -> dict[str, str] | None:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    ok = True
    for lineno, _is_image, target in relative_links(body, first_line):
        # The challenge's page is generated elsewhere than its file and no file is copied next to it: a relative
        # link to anything but a generated page (`quiet-streets.md#participate`, `../../glossary.md`) leads nowhere.
        if target.split("#", 1)[0].endswith(".md"):
            continue
        problems.append(
            Problem(
                path,
                lineno,
                "body",
                S_("the link '{target}' leads nowhere from the challenge's page"),
                S_(
                    "show an image with image:, link a file by its full web address (https://...), or link a page or a challenge"
                ),
                (("target", target),),
            )
        )
    for offset, line in enumerate(body.splitlines()):
        lineno = first_line + offset
        marker = LANG_MARKER.match(line)
        if marker:
            lang = marker.group(1).lower()
            if lang not in languages:
                known = lang in site_langs
                problems.append(
                    Problem(
                        path,
                        lineno,
                        "body",
                        S_("'{lang}' is not one of the program's languages ({languages})")
                        if known
                        else S_("unknown language marker '{marker}'{hint}"),
                        S_("remove this text, or add {lang} to the program's languages in program.yml")
                        if known
                        else S_("use one of: {markers}"),
                        (
                            ("lang", lang),
                            ("languages", listed(languages)),
                            ("marker", marker.group(1)),
                            ("hint", did_you_mean(lang, languages)),
                            ("markers", listed((f"<!-- {code} -->" for code in languages), "or")),
                        ),
                    )
                )
                ok, current = False, _REPORTED  # its text is not reported again line by line
                continue
            if lang in sections:
                problems.append(
                    Problem(
                        path,
                        lineno,
                        "body",
                        S_("the '{lang}' text starts twice"),
                        S_("keep a single <!-- {lang} --> line"),
                        (("lang", lang),),
                    )
                )
                ok = False
            current = lang
            sections.setdefault(lang, [])
            continue
        if current is _REPORTED:
            continue
        if current is None:
            if line.strip():
                problems.append(
                    Problem(
                        path,
                        lineno,
                        "body",
                        S_("text before the first language marker"),
                        S_("start each language's text with a line {markers}"),
                        (("markers", listed((f"<!-- {code} -->" for code in languages), "or")),),
                    )
                )
                ok = False
            continue
        sections[current].append(line)
    for lang in languages:
        if not "\n".join(sections.get(lang, [])).strip():
            problems.append(
                Problem(
                    path,
                    first_line,
                    "body",
                    S_("missing translation: no '{lang}' text"),
                    S_("add a line <!-- {lang} --> followed by the text in that language"),
                    (("lang", lang),),
                )
            )
            ok = False
    if not ok:
        return None
    return {lang: "\n".join(lines).strip() + "\n" for lang, lines in sections.items()}


def _check_ids(loaded: list[tuple[Challenge, Document]], problems: list[Problem]) -> list[Challenge]:
    first: dict[str, Challenge] = {}
    out = []
    for challenge, doc in loaded:
        if challenge.id in first:
            other = first[challenge.id]
            problems.append(
                Problem(
                    challenge.path,
                    doc.line(("id",)),
                    "id",
                    S_("duplicate id '{id}', already used by {other}"),
                    S_("choose another id (ids are unique across programs)"),
                    (("id", challenge.id), ("other", f"{other.path.parent.name}/{other.path.name}")),
                )
            )
            continue
        first[challenge.id] = challenge
        out.append(challenge)
    return out


def _check_links(
    challenges: list[Challenge], loaded: list[tuple[Challenge, Document]], pages: set[str], problems: list[Problem]
) -> None:
    by_id = {c.id: c for c in challenges}
    docs = {id(c): d for c, d in loaded}
    for challenge in challenges:
        doc = docs[id(challenge)]
        for i, link in enumerate(challenge.links):
            where = ("links", i, link.kind)
            if link.kind == "challenge":
                target = by_id.get(link.target)
                if target is None:
                    problems.append(
                        Problem(
                            challenge.path,
                            doc.line(where),
                            f"links[{i}].challenge",
                            S_("no challenge has the id '{target}'{hint}"),
                            S_("use the id of an existing challenge"),
                            (("target", link.target), ("hint", did_you_mean(link.target, by_id))),
                        )
                    )
                elif not target.published and challenge.published:
                    problems.append(
                        Problem(
                            challenge.path,
                            doc.line(where),
                            f"links[{i}].challenge",
                            S_("'{target}' is a draft and is not published"),
                            S_("link to it once it is published, or remove the link"),
                            (("target", link.target),),
                        )
                    )
            elif link.kind == "page" and link.target not in pages:
                problems.append(
                    Problem(
                        challenge.path,
                        doc.line(where),
                        f"links[{i}].page",
                        S_("there is no page '{target}'{hint}"),
                        S_("use the file name of a page in content/{lang}/ without .md"),
                        (
                            ("target", link.target),
                            ("hint", did_you_mean(link.target, pages)),
                            ("lang", urls.default_language()),
                        ),
                    )
                )
