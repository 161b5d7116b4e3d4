#!/usr/bin/env python3
"""Benchmark the site build at scale: 1,000 synthetic bilingual challenges.

Not a test: a script that prints a report (and writes it as JSON) with PASS/FAIL against the targets:

* validation (`site_builder.load.load_site`) of 1,000 challenges in under 1 s;
* `mkdocs build --strict` of our site at most 1.2x the time of a bare mkdocs-material build of the
  same number of plain Markdown pages (measured in the same run, interleaved, so machine noise cancels out);
* no built page heavier than 60 KB of HTML (1 KB = 1024 bytes).

It also builds the same synthetic programs in two site languages (French, English) and in three (French, English,
Catalan: every program and challenge text in each), interleaved in the same run, and reports them side by side
with the ratio three / two (`--no-languages` skips it).

Usage (from the repository root, with the project's virtual environment):

    make bench                                                    # 3 runs, report in bench-out/bench_site.json
    .venv/bin/python scripts/bench_site.py --runs 5 --json /tmp/bench.json
    .venv/bin/python scripts/bench_site.py --profile bench-out/build.prof  # also profile one build of each site

Builds run in subprocesses, interleaved (ours, bare, ours, bare...), each into an empty site/; wall and CPU time
of each are recorded. Validation is timed in-process, after a warm-up, over max(--runs, 5) runs. Everything happens
in a temporary folder; nothing in the repository is written except the JSON report (and the profiles, if asked
for). See docs/benchmarks.md for figures and analysis.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.blocks import inline  # noqa: E402
from site_builder.generate import generate, navigation  # noqa: E402
from site_builder.i18n import gettext  # noqa: E402
from site_builder.load import load_site  # noqa: E402
from site_builder.vocabulary import THEMES  # noqa: E402

TARGET_VALIDATION_S = 1.0
TARGET_BUILD_RATIO = 1.2
TARGET_MAX_HTML_KB = 60.0
KB = 1024
DEFAULT_NOW = "2026-11-26T12:00:00+00:00"
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "Markdown", "pymdown-extensions", "Jinja2", "PyYAML")

# --------------------------------------------------------------------------------------------------------------
# Synthetic content
# --------------------------------------------------------------------------------------------------------------

CITIES = [
    ("lyon", "Lyon", "Lyon"),
    ("paris", "Paris", "Paris"),
    ("lille", "Lille", "Lille"),
    ("nantes", "Nantes", "Nantes"),
    ("marseille", "Marseille", "Marseille"),
    ("bordeaux", "Bordeaux", "Bordeaux"),
    ("toulouse", "Toulouse", "Toulouse"),
    ("strasbourg", "Strasbourg", "Strasbourg"),
]

DISTRICTS = [
    "la Croix-Rousse",
    "Belleville",
    "Wazemmes",
    "l'île de Nantes",
    "le Panier",
    "les Chartrons",
    "Saint-Cyprien",
]

GLOSSARY = {
    "terms": [
        {
            "id": "sensor",
            "term": {"fr": "capteur", "en": "sensor", "ca": "sensor"},
            "aliases": {"fr": ["capteurs"], "en": ["sensors"], "ca": ["sensors"]},
            "short": {
                "fr": "Un petit appareil qui mesure quelque chose.",
                "en": "A small device that measures something.",
                "ca": "Un petit aparell que mesura alguna cosa.",
            },
            "explanation": {
                "fr": "Un capteur mesure une grandeur (bruit, température, pollution) et envoie la valeur.",
                "en": "A sensor measures a quantity (noise, temperature, pollution) and sends the value.",
                "ca": "Un sensor mesura una magnitud (soroll, temperatura, contaminació) i n'envia el valor.",
            },
        },
        {
            "id": "open-data",
            "term": {"fr": "données ouvertes", "en": "open data", "ca": "dades obertes"},
            "short": {
                "fr": "Des données publiées pour que chacun puisse les réutiliser librement.",
                "en": "Data published so that anyone can reuse it freely.",
                "ca": "Dades publicades perquè tothom les pugui reutilitzar lliurement.",
            },
            "explanation": {
                "fr": "Les données ouvertes sont publiées sous une licence libre, dans un format lisible par un programme.",
                "en": "Open data is published under a free licence, in a format a program can read.",
                "ca": "Les dades obertes es publiquen amb una llicència lliure, en un format que un programa pot llegir.",
            },
        },
        {
            "id": "api",
            "term": {"fr": "API", "en": "API", "ca": "API"},
            "short": {
                "fr": "Une porte d'entrée qui permet à un programme d'en interroger un autre.",
                "en": "A door through which one program can query another.",
                "ca": "Una porta per on un programa en pot consultar un altre.",
            },
            "explanation": {
                "fr": "Une API décrit comment demander des données ou un service à un logiciel.",
                "en": "An API describes how to ask a piece of software for data or a service.",
                "ca": "Una API descriu com demanar dades o un servei a un programa.",
            },
        },
        {
            "id": "iot",
            "term": {"fr": "IoT", "en": "IoT", "ca": "IoT"},
            "short": {
                "fr": "L'internet des objets : des objets reliés au réseau.",
                "en": "The Internet of Things: objects connected to the network.",
                "ca": "La internet de les coses: objectes connectats a la xarxa.",
            },
            "explanation": {
                "fr": "L'internet des objets désigne des objets du quotidien reliés au réseau, comme des compteurs.",
                "en": "The Internet of Things means everyday objects connected to the network, such as meters.",
                "ca": "La internet de les coses són objectes de cada dia connectats a la xarxa, com els comptadors.",
            },
        },
    ]
}

TITLE_PATTERNS = {
    "fr": [
        "{theme} : mieux comprendre ce qui se passe à {district}",
        "{theme} : une solution simple pour les habitants de {district}",
        "Mesurer et partager : {theme} dans les quartiers",
        "{theme} : agir avec les écoles et les associations",
        "Des outils ouverts pour {theme_lower} à {district}",
    ],
    "en": [
        "{theme}: understanding what happens in {district}",
        "{theme}: a simple solution for the residents of {district}",
        "Measure and share: {theme} in the neighbourhoods",
        "{theme}: acting with schools and local groups",
        "Open tools for {theme_lower} in {district}",
    ],
    "ca": [
        "{theme}: entendre millor què passa a {district}",
        "{theme}: una solució senzilla per als veïns de {district}",
        "Mesurar i compartir: {theme} als barris",
        "{theme}: actuar amb les escoles i les entitats",
        "Eines obertes per a {theme_lower} a {district}",
    ],
}

SUMMARIES = {
    "fr": "Comment la ville peut-elle faire mieux en matière de {theme_lower}, avec les habitants de {district} ? "
    "Nous cherchons des idées concrètes, testables en quelques mois.",
    "en": "How can the city do better on {theme_lower}, together with the residents of {district}? "
    "We are looking for concrete ideas that can be tested within a few months.",
    "ca": "Com pot millorar la ciutat en {theme_lower}, amb els veïns de {district}? "
    "Busquem idees concretes que es puguin provar en pocs mesos.",
}

HEADINGS = {
    "fr": [
        "Le contexte",
        "Ce que nous cherchons",
        "Ce que nous ne voulons pas",
        "Les données disponibles",
        "Le calendrier",
    ],
    "en": ["The context", "What we are looking for", "What we do not want", "The data available", "The timeline"],
    "ca": ["El context", "Què busquem", "Què no volem", "Les dades disponibles", "El calendari"],
}

SENTENCES = {
    "fr": [
        "La ville dispose déjà de quelques mesures, mais elles sont trop rares pour décrire ce que vivent les habitants de {district}.",
        "Les équipes municipales veulent tester une solution pendant six mois, puis décider avec les habitants de la suite à donner.",
        "Un réseau de capteurs peu coûteux pourrait compléter les stations existantes, à condition d'être fiable et facile à entretenir.",
        "Les mesures seront publiées en données ouvertes, avec une API documentée, pour que chacun puisse les réutiliser.",
        "Nous attendons des propositions qui tiennent compte des personnes âgées, des enfants et des personnes en situation de handicap.",
        "Le projet doit respecter la vie privée : aucune donnée ne doit permettre d'identifier une personne.",
        "Les solutions fondées sur l'IoT sont bienvenues si leur consommation d'énergie reste faible et leur durée de vie longue.",
        "Les écoles, les associations de quartier et les commerçants seront associés dès le début de l'expérimentation.",
        "Un tableau de bord public montrera les résultats, rue par rue, dans un langage simple et sans jargon.",
        "Le budget de l'expérimentation est limité : nous privilégions le matériel réparable et les logiciels libres.",
        "Les habitants pourront signaler un problème ou proposer une amélioration directement depuis leur téléphone.",
        "À la fin de la saison, un bilan sera présenté en réunion publique et publié sur ce site.",
        "Les partenaires mettront à disposition leurs équipes techniques et un accès aux données historiques.",
        "Nous voulons comprendre les écarts entre les quartiers, et pas seulement les moyennes à l'échelle de la ville.",
    ],
    "en": [
        "The city already has a few measurements, but they are too sparse to describe what the residents of {district} experience.",
        "The city teams want to test a solution for six months, then decide with residents what to do next.",
        "A network of low-cost sensors could complement the existing stations, provided it is reliable and easy to maintain.",
        "The readings will be published as open data, with a documented API, so that anyone can reuse them.",
        "We expect proposals that take older people, children and people with disabilities into account.",
        "The project must respect privacy: no data may make it possible to identify a person.",
        "Solutions based on IoT are welcome if their energy use stays low and their lifetime long.",
        "Schools, neighbourhood associations and shopkeepers will be involved from the start of the trial.",
        "A public dashboard will show the results, street by street, in plain words and without jargon.",
        "The trial's budget is limited: we favour repairable hardware and free software.",
        "Residents will be able to report a problem or suggest an improvement straight from their phone.",
        "At the end of the season, the results will be presented at a public meeting and published on this site.",
        "The partners will provide their technical teams and access to historical data.",
        "We want to understand the gaps between neighbourhoods, not only the averages across the city.",
    ],
    "ca": [
        "La ciutat ja té algunes mesures, però són massa escasses per descriure el que viuen els veïns de {district}.",
        "Els equips municipals volen provar una solució durant sis mesos i després decidir amb els veïns com continuar.",
        "Una xarxa de sensors de baix cost podria completar les estacions existents, si és fiable i fàcil de mantenir.",
        "Les mesures es publicaran com a dades obertes, amb una API documentada, perquè tothom les pugui reutilitzar.",
        "Esperem propostes que tinguin en compte la gent gran, els infants i les persones amb discapacitat.",
        "El projecte ha de respectar la privacitat: cap dada no ha de permetre identificar una persona.",
        "Les solucions basades en l'IoT són benvingudes si consumeixen poca energia i duren molt de temps.",
        "Les escoles, les associacions de veïns i els comerços hi participaran des del començament de la prova.",
        "Un tauler públic mostrarà els resultats, carrer per carrer, amb paraules senzilles i sense argot.",
        "El pressupost de la prova és limitat: donem prioritat al material reparable i al programari lliure.",
        "Els veïns podran avisar d'un problema o proposar una millora directament des del telèfon.",
        "Al final de la temporada, es presentarà un balanç en una reunió pública i es publicarà en aquest lloc.",
        "Els socis posaran a disposició els seus equips tècnics i l'accés a les dades històriques.",
        "Volem entendre les diferències entre barris, no només les mitjanes de tota la ciutat.",
    ],
}

# What the programs and challenges say besides their generated texts, in each language the benchmark writes.
PROGRAM_TEXTS = {
    "fr": {
        "title": "DataCity {city} {season}",
        "description": "La saison {season} de DataCity à {city} : la ville, des entreprises et des startups "
        "travaillent sur des défis urbains concrets, et les habitants votent et commentent.",
        "alt": "Une rue de la ville, vue de loin.",
        "portal": "Le portail de données",
        "home": "Accueil",
    },
    "en": {
        "title": "DataCity {city} {season}",
        "description": "DataCity's {season} season in {city}: the city, companies and startups work on "
        "concrete urban challenges, and residents vote and comment.",
        "alt": "A city street, seen from afar.",
        "portal": "The data portal",
        "home": "Home",
    },
    "ca": {
        "title": "DataCity {city} {season}",
        "description": "La temporada {season} de DataCity a {city}: la ciutat, empreses i empreses emergents "
        "treballen en reptes urbans concrets, i els veïns voten i comenten.",
        "alt": "Un carrer de la ciutat, vist de lluny.",
        "portal": "El portal de dades",
        "home": "Inici",
    },
}
TWO_LANGUAGES = ("fr", "en")
THREE_LANGUAGES = ("fr", "en", "ca")

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" role="img">'
    '<rect width="320" height="160" fill="#e8f1fb"/><rect y="120" width="320" height="40" fill="#5b6770"/>'
    '<circle cx="160" cy="60" r="30" fill="#0b6e4f"/></svg>\n'
)


def _body(rng: random.Random, lang: str, district: str) -> str:
    """150-250 words of prose with two or three `##` headings."""
    target = rng.randint(150, 250)
    headings = rng.sample(HEADINGS[lang], rng.choice((2, 3)))
    words, paragraphs = 0, []
    sentences = SENTENCES[lang]
    while words < target:
        para = " ".join(s.format(district=district) for s in rng.sample(sentences, rng.randint(2, 3)))
        paragraphs.append(para)
        words += len(para.split())
    # Spread the headings over the paragraphs (the first heading comes after the opening paragraph).
    out = [paragraphs[0]]
    rest = paragraphs[1:]
    per = max(1, len(rest) // len(headings))
    for i, heading in enumerate(headings):
        chunk = rest[i * per : (i + 1) * per] if i < len(headings) - 1 else rest[i * per :]
        out.append(f"## {heading}")
        out.extend(chunk or [sentences[i].format(district=district)])
    return "\n\n".join(out)


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def glossary_in(langs: tuple[str, ...]) -> dict:
    """The synthetic glossary with its texts in `langs` only (a site refuses texts in a language it lacks)."""

    def keep(value):
        return {k: v for k, v in value.items() if k in langs} if isinstance(value, dict) else value

    return {"terms": [{key: keep(value) for key, value in term.items()} for term in GLOSSARY["terms"]]}


def write_programs(
    root: Path, n_challenges: int, n_programs: int, seed: int, now: dt.datetime, langs: tuple[str, ...] = TWO_LANGUAGES
) -> dict:
    """Write challenges/<program>/{program.yml,<id>.md,images/illustration.svg}, every text in each of `langs`;
    return counts. The same seed gives the same programs and challenges whatever the languages."""
    rng = random.Random(seed)
    themes = list(THEMES)
    per_program = [n_challenges // n_programs + (1 if i < n_challenges % n_programs else 0) for i in range(n_programs)]
    counts = {"programs": n_programs, "challenges": 0, "drafts": 0, "by_status": {}}
    for p in range(n_programs):
        slug, city_fr, city_en = CITIES[p % len(CITIES)]
        season = now.year - p
        program_id = f"{slug}-{season}" if p < len(CITIES) else f"{slug}-{season}-{p}"
        folder = root / "challenges" / program_id
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "illustration.svg").write_text(SVG, encoding="utf-8")
        # The newest program is open at `now`; the older ones are closed.
        if p == 0:
            opens, closes = now.date() - dt.timedelta(days=20), now.date() + dt.timedelta(days=20)
        else:
            opens, closes = dt.date(season, 10, 1), dt.date(season, 11, 15)
        city = {"fr": city_fr, "en": city_en, "ca": city_fr}
        program = {
            "city": {lang: city[lang] for lang in langs},
            "season": season,
            "title": {lang: PROGRAM_TEXTS[lang]["title"].format(city=city[lang], season=season) for lang in langs},
            "description": {
                lang: PROGRAM_TEXTS[lang]["description"].format(city=city[lang], season=season) for lang in langs
            },
            "languages": list(langs),
            "consultation": {"opens": opens, "closes": closes, "timezone": "Europe/Paris"},
            "moderation": "post" if p % 2 == 0 else "pre",
            "tallies": "live" if p % 2 == 0 else "after-close",
            "partners": [{"name": f"Ville de {city_fr}", "url": f"https://www.{slug}.example.org"}, {"name": "NUMA"}],
        }
        (folder / "program.yml").write_text(_dump(program), encoding="utf-8")

        n = per_program[p]
        ids = [f"{program_id}-{themes[(p * 7 + i) % len(themes)]}-{i:03d}" for i in range(n)]
        drafts = {i for i in range(n) if i % 50 == 49}  # a few drafts: 2% of challenges
        for i, cid in enumerate(ids):
            main = themes[(p * 7 + i) % len(themes)]
            extra = rng.sample([t for t in themes if t != main], rng.randint(0, 2))
            district = rng.choice(DISTRICTS)
            if i in drafts:
                status = "draft"
            elif p == 0:
                status = "open" if i % 5 else "selected"
            else:
                status = "selected" if i % 4 == 0 else "closed"
            counts["by_status"][status] = counts["by_status"].get(status, 0) + 1
            names = {lang: gettext(lang, THEMES[main]) for lang in langs}
            fm: dict = {
                "id": cid,
                "status": status,
                "title": {
                    lang: (rng if lang in TWO_LANGUAGES else random.Random(f"{seed}-{cid}-{lang}-title"))
                    .choice(TITLE_PATTERNS[lang])
                    .format(theme=names[lang], theme_lower=names[lang].lower(), district=district)
                    for lang in langs
                },
                "summary": {
                    lang: SUMMARIES[lang].format(theme_lower=names[lang].lower(), district=district) for lang in langs
                },
                "themes": [main, *extra],
                "sdgs": sorted(rng.sample(range(1, 18), rng.randint(1, 3))),
            }
            if p == 0 and i % 25 == 3:  # a few challenges with their own window
                fm["window"] = {"opens": opens, "closes": closes - dt.timedelta(days=5)}
            if i % 3 != 2:
                fm["partners"] = [{"name": f"Partenaire {i % 17}", "url": f"https://partner{i % 17}.example.org"}]
            if i % 3 != 1:
                fm["image"] = {
                    "src": "images/illustration.svg",
                    "alt": {lang: PROGRAM_TEXTS[lang]["alt"] for lang in langs},
                }
            links: list[dict] = [{"page": "glossary"}]
            neighbour = (i + 1) % n
            if i % 2 == 0 and neighbour not in drafts and neighbour != i:
                links.append({"challenge": ids[neighbour]})
            if i % 4 == 0:
                links.append(
                    {
                        "url": "https://data.example.org",
                        "title": {lang: PROGRAM_TEXTS[lang]["portal"] for lang in langs},
                    }
                )
            fm["links"] = links
            # French and English from the corpus's generator, as before Catalan existed (the same corpus as earlier
            # runs); another language from its own, so that adding it leaves the others' texts unchanged.
            bodies = {
                lang: _body(rng if lang in TWO_LANGUAGES else random.Random(f"{seed}-{cid}-{lang}"), lang, district)
                for lang in langs
            }
            text = "---\n" + _dump(fm) + "---\n" + "".join(f"\n<!-- {lang} -->\n\n{bodies[lang]}\n" for lang in langs)
            (folder / f"{cid}.md").write_text(text, encoding="utf-8")
            counts["challenges"] += 1
            counts["drafts"] += i in drafts
    return counts


def write_minimal_content(content: Path, langs: tuple[str, ...] = TWO_LANGUAGES) -> None:
    """Stand-in content/ (when the repository's is not valid yet, and for the languages comparison): a home page
    per language and a glossary."""
    shutil.rmtree(content, ignore_errors=True)
    for lang in langs:
        (content / lang).mkdir(parents=True)
        (content / lang / "index.md").write_text(
            f"# {PROGRAM_TEXTS[lang]['home']}\n\n<!-- programs -->\n", encoding="utf-8"
        )
    (content / "glossary.yml").write_text(_dump(glossary_in(langs)), encoding="utf-8")


LANGUAGES_BLOCK = re.compile(r"^      languages:\n(?:        .*\n)+", re.M)


def config_in(langs: tuple[str, ...]) -> str:
    """The repository's mkdocs.yml with the site's languages set to `langs` (the first the default)."""
    from babel import Locale

    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if not LANGUAGES_BLOCK.search(text):
        raise SystemExit("mkdocs.yml's i18n languages block moved: update config_in() in scripts/bench_site.py")
    entries = "".join(
        f"        - locale: {lang}\n          name: {Locale.parse(lang).get_display_name(lang)}\n"
        + ("          default: true\n" if i == 0 else "")
        for i, lang in enumerate(langs)
    )
    return LANGUAGES_BLOCK.sub("      languages:\n" + entries, text)


def language_root(work: Path, args: argparse.Namespace, now: dt.datetime, langs: tuple[str, ...]) -> dict:
    """The same synthetic programs (same seed) on a site in `langs`: minimal content pages in each language, so
    that the two sites compared differ only by the languages."""
    root = work / f"site-{'-'.join(langs)}"
    root.mkdir()
    (root / "mkdocs.yml").write_text(config_in(langs), encoding="utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides")
    write_minimal_content(root / "content", langs)
    (root / ".build" / "docs").mkdir(parents=True)
    info = write_programs(root, args.challenges, args.programs, args.seed, now, langs)
    _, problems = load_site(root)
    if problems:
        lines = "\n".join(p.format(root) for p in problems[:20])
        raise SystemExit(f"the {'+'.join(langs)} root has {len(problems)} problem(s):\n{lines}")
    return {"root": root, "languages": list(langs), "challenges": info["challenges"]}


def _content_problems(snapshot: Path, work: Path, env: dict[str, str], now: dt.datetime) -> list[str]:
    """Why the repository's content/ cannot be used as is ([] if it can): validate it with a small synthetic
    program, then build that small site with --strict (catches e.g. links to pages not written yet)."""
    probe = work / "content-probe"
    probe.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", probe / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", probe / "overrides")
    shutil.copytree(snapshot, probe / "content")
    (probe / ".build" / "docs").mkdir(parents=True)
    write_programs(probe, 6, 1, 1, now)
    _, problems = load_site(probe)
    if problems:
        return [p.format(probe) for p in problems]
    log = work / "content-probe.log"
    try:
        build(probe, env, True, log)
    except BuildFailed:
        text = log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if line.startswith(("WARNING", "ERROR"))] or ["build failed"]
    return []


def make_root(work: Path, args: argparse.Namespace, now: dt.datetime, env: dict[str, str]) -> dict:
    """The synthetic content root: the repository's mkdocs.yml, overrides/ and content/, plus generated challenges."""
    # One snapshot of content/: others may be editing it while the benchmark runs.
    snapshot = work / "content-snapshot"
    if (REPO / "content").is_dir():
        shutil.copytree(REPO / "content", snapshot)
    else:
        snapshot.mkdir()
    content_note = "repository content/"
    if not (snapshot / "glossary.yml").exists():
        # Challenges link to the glossary page and the glossary feeds the tooltips on every page: keep both measured.
        (snapshot / "glossary.yml").write_text(_dump(GLOSSARY), encoding="utf-8")
        content_note = "repository content/ + synthetic glossary.yml (the repository has none yet)"
    unusable = _content_problems(snapshot, work, env, now)
    if unusable:
        write_minimal_content(snapshot)
        content_note = (
            f"synthetic minimal content/ (the repository's content/ does not build yet: {len(unusable)} problem(s), "
            f"first: {unusable[0]})"
        )

    root = work / "site-root"
    root.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(snapshot, root / "content")
    (root / ".build" / "docs").mkdir(parents=True)
    info = write_programs(root, args.challenges, args.programs, args.seed, now)
    _, problems = load_site(root)
    if problems:
        lines = "\n".join(p.format(root) for p in problems[:20])
        raise SystemExit(f"the synthetic content root has {len(problems)} problem(s):\n{lines}")
    info["content"] = content_note
    info["content_pages"] = sorted(p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.md"))
    info["root"] = str(root)
    return info


# --------------------------------------------------------------------------------------------------------------
# The bare mkdocs-material reference site
# --------------------------------------------------------------------------------------------------------------


def generated_tree(work: Path, site, now: dt.datetime) -> Path:
    """The docs tree our plugin generates (same code, same clock), written out to count and size its pages.

    The plugin writes it to a private temporary folder that is gone once the build ends, so it is made again here.
    """
    kwargs = {}
    if "api_base" in inspect.signature(generate).parameters:
        kwargs["api_base"] = os.environ.get("DATACITY_API_BASE", "/api").rstrip("/")
    out = work / "ours-docs"
    for rel, data in generate(site, now, **kwargs).items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return out


def make_bare(work: Path, our_docs: Path, our_config: Path, nav_entries: int, seed: int) -> tuple[Path, int]:
    """A plain mkdocs-material site with one Markdown page per page of ours, at the same paths and of similar length.

    The length is that of our page with its HTML blocks in place (site_builder/blocks.py), as our pages were
    before the blocks left the Markdown: the bare pages stay what they were, whatever travels in our files.
    """
    rng = random.Random(seed + 1)
    bare = work / "bare"
    docs = bare / "docs"
    pages = sorted(p.relative_to(our_docs) for p in our_docs.rglob("*.md"))
    for rel in pages:
        size = len(inline((our_docs / rel).read_text(encoding="utf-8")).encode("utf-8"))
        lang = rel.parts[0] if rel.parts[0] in SENTENCES else "en"
        out = [f"# Page {rel.with_suffix('').as_posix()}", ""]
        length, heading = 0, 0
        while length < size:
            if length and rng.random() < 0.25:
                out += [f"## {HEADINGS[lang][heading % len(HEADINGS[lang])]} {heading}", ""]
                heading += 1
            para = " ".join(s.format(district="le quartier") for s in rng.sample(SENTENCES[lang], 3))
            out += [para, ""]
            length += len(para) + 2
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(out), encoding="utf-8")
    from mkdocs.utils.yaml import yaml_load  # understands MkDocs' !ENV and !relative tags

    ours_cfg = yaml_load(our_config.read_text(encoding="utf-8"))
    # Like ours, a short explicit navigation: MkDocs' automatic one would embed every page in every page.
    nav = [p.as_posix() for p in pages if p.name == "index.md"][:nav_entries]
    config = {
        "site_name": "Bare",
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "strict": True,
        "theme": {"name": "material", "font": False},
        "markdown_extensions": ours_cfg.get("markdown_extensions", []),
        "plugins": ["search"],
        "nav": nav,
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (bare / "mkdocs.yml").write_text(_dump(config), encoding="utf-8")
    return bare, len(pages)


# --------------------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------------------


def _env(now: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DATACITY_NOW"] = now
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


class BuildFailed(SystemExit):
    pass


# `python -m mkdocs` that also writes, as it exits, its own CPU time and peak memory apart from those of the processes
# it ran (our build runs Pagefind): wait4 adds the children's CPU time to the build's, and gives the larger of the
# peak memories (on 2026-12-02 the 278 MB of "our build" were Pagefind's, our process's 143 MB).
MKDOCS_WITH_USAGE = """
import json, os, resource, runpy
try:
    runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
finally:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.environ["DATACITY_BENCH_USAGE"], "w") as f:
        json.dump({"own_cpu_s": own.ru_utime + own.ru_stime, "own_max_rss_mb": own.ru_maxrss / 1024,
                   "children_cpu_s": children.ru_utime + children.ru_stime,
                   "children_max_rss_mb": children.ru_maxrss / 1024}, f)
"""


def build(
    site_root: Path,
    env: dict[str, str],
    clean_docs: bool,
    log: Path,
    prefix: list[str] | None = None,
    extra: list[str] | None = None,
) -> dict:
    """One clean `mkdocs build --strict` in a subprocess: wall time, CPU time and peak memory of the child (and,
    without `prefix`, of its own process apart from the processes it ran)."""
    shutil.rmtree(site_root / "site", ignore_errors=True)
    if clean_docs:
        docs = site_root / ".build" / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir(parents=True)
    usage_file = log.with_suffix(".usage.json")
    usage_file.unlink(missing_ok=True)
    env = {**env, "DATACITY_BENCH_USAGE": str(usage_file)}
    cmd = [sys.executable, *(prefix or ["-c", MKDOCS_WITH_USAGE]), "build", "--strict", *(extra or [])]
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=site_root, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BuildFailed(f"build failed in {site_root} (exit {proc.returncode}):\n{tail}")
    result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024}
    if usage_file.is_file():
        result.update(json.loads(usage_file.read_text(encoding="utf-8")))
    return result


def time_validation(root: Path, runs: int) -> dict:
    load_site(root)  # warm-up: imports, file cache
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        site, problems = load_site(root)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert not problems
    return {
        "runs_s": times,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "cpu_runs_s": cpu,
        "median_cpu_s": statistics.median(cpu),
    }


def html_sizes(site_dir: Path) -> dict:
    sizes = sorted((p.stat().st_size, p.relative_to(site_dir).as_posix()) for p in site_dir.rglob("index.html"))
    values = [s for s, _ in sizes]
    kb = [v / KB for v in values]

    def pct(q: float) -> float:
        # Nearest-rank percentile.
        return kb[max(0, min(len(kb) - 1, int(round(q * len(kb) + 0.5)) - 1))]

    by_kind: dict[str, list[float]] = {}
    for size, path in sizes:
        parts = path.split("/")
        if parts[0] == "en":
            parts = parts[1:]
        if "challenges" in parts:
            kind = "challenge"
        elif len(parts) >= 3 and parts[1] in ("all", "theme", "sdg", "status"):
            kind = "listing"
        elif len(parts) == 2:
            kind = "program home / content page" if parts[0] not in ("glossary",) else "glossary"
        else:
            kind = "home / other"
        by_kind.setdefault(kind, []).append(size / KB)
    index = site_dir / "search" / "search_index.json"
    search = None
    if index.is_file():
        docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
        search = {"mb": index.stat().st_size / KB / KB, "entries": len(docs)}
    return {
        "pages": len(values),
        "search_index": search,
        "median_kb": statistics.median(kb),
        "p95_kb": pct(0.95),
        "max_kb": kb[-1],
        "total_mb": sum(values) / KB / KB,
        "largest": [{"path": p, "kb": s / KB} for s, p in reversed(sizes[-5:])],
        "by_kind": {
            k: {"pages": len(v), "median_kb": statistics.median(v), "max_kb": max(v)}
            for k, v in sorted(by_kind.items())
        },
    }


# Functions whose cumulative time tells where a build goes (file suffix, function name) -> label.
PROFILE_PARTS = [
    (("site_builder/mkdocs_plugin.py", "on_config"), "datacity: load + validate + generate + write docs tree"),
    (("site_builder/load.py", "load_site"), "  of which load_site (validation)"),
    (("site_builder/generate.py", "generate"), "  of which generate (Markdown of every page)"),
    (("site_builder/output.py", "sync_tree"), "  of which sync_tree (write the docs tree)"),
    (
        ("site_builder/mkdocs_plugin.py", "on_page_markdown"),
        "datacity: page hook (glossary, typography, blocks split off)",
    ),
    (("site_builder/mkdocs_plugin.py", "on_page_content"), "datacity: page hook (HTML blocks put back)"),
    (
        ("site_builder/mkdocs_plugin.py", "index_for_search"),
        "datacity: Pagefind's index (its process's CPU is not here)",
    ),
    (("mkdocs/structure/files.py", "get_files"), "mkdocs: collect files"),
    (("mkdocs/structure/pages.py", "read_source"), "mkdocs: read page sources"),
    (("mkdocs/structure/pages.py", "render"), "mkdocs: Markdown -> HTML (Python-Markdown)"),
    (("markdown/preprocessors.py", "run", 86), "  of which Python-Markdown raw-HTML block extraction"),
    (("mkdocs/structure/pages.py", "run", 527), "  of which MkDocs raw-HTML anchor scan"),
    (("markdown/extensions/abbr.py", "run"), "  of which abbr (glossary tooltips)"),
    (("mkdocs/commands/build.py", "_build_page"), "mkdocs: page events + templates (material) + write"),
    (("material/plugins/search/plugin.py", "on_page_context"), "  of which material search: index each page"),
    (("mkdocs/contrib/search/__init__.py", "on_page_context"), "  of which search: index each page"),
    (("mkdocs/commands/build.py", "_build_theme_template"), "mkdocs: theme templates (404, sitemap)"),
    (("mkdocs/contrib/search/__init__.py", "on_post_build"), "search: write search_index.json"),
    (("material/plugins/search/plugin.py", "on_post_build"), "material search: write search_index.json"),
    (("mkdocs_static_i18n/reconfigure.py", "reconfigure_files"), "i18n: per-language file tree + alternates"),
    (("mkdocs_static_i18n/reconfigure.py", "reconfigure_page_context"), "i18n: language switcher per page"),
    (("mkdocs_static_i18n/reconfigure.py", "reconfigure_search_index"), "i18n: merge the languages' search entries"),
    (("mkdocs_static_i18n/reconfigure.py", "reconfigure_search_duplicates"), "  of which de-duplication (O(n^2))"),
    (("mkdocs_static_i18n/plugin.py", "on_post_build"), "i18n: on_post_build (builds the other language(s))"),
]


def profile_build(site_root: Path, env: dict[str, str], out: Path, log: Path, top: int) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    result = build(site_root, env, True, log, prefix=["-m", "cProfile", "-o", str(out), "-m", "mkdocs"])
    import pstats

    stats = pstats.Stats(str(out))
    total = stats.total_tt
    raw = stats.stats  # (file, line, name) -> (cc, nc, tt, ct, callers)
    parts = []
    for (suffix, name, *line), label in PROFILE_PARTS:
        hits = [
            v
            for (f, ln, n), v in raw.items()
            if n == name and f.replace(os.sep, "/").endswith(suffix) and (not line or ln == line[0])
        ]
        if hits:
            parts.append(
                {
                    "label": label,
                    "function": f"{suffix}:{name}",
                    "calls": sum(v[1] for v in hits),
                    "cum_s": sum(v[3] for v in hits),
                }
            )

    def short(f: str) -> str:
        f = f.replace(os.sep, "/")
        for marker in ("site-packages/", str(REPO) + "/"):
            if marker in f:
                return f.split(marker, 1)[1]
        return re.sub(r"^.*/lib/python3\.\d+/", "", f)

    # The command-line wrappers (runpy, click, mkdocs' main) only add noise at the top of the cumulative list.
    wrappers = ("runpy", "click/", "mkdocs/__main__.py", "<string>", "cProfile.py", "profile.py")
    skip = lambda f, name: any(w in f for w in wrappers) or name in ("<built-in method builtins.exec>",)  # noqa: E731
    rows = sorted(raw.items(), key=lambda kv: kv[1][3], reverse=True)
    top_rows = [
        {"function": f"{short(f)}:{line}({name})", "calls": nc, "tot_s": tt, "cum_s": ct}
        for (f, line, name), (_, nc, tt, ct, _) in rows
        if not skip(f, name)
    ][:top]
    self_rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    top_self = [
        {"function": f"{short(f)}:{line}({name})", "calls": nc, "tot_s": tt, "cum_s": ct}
        for (f, line, name), (_, nc, tt, ct, _) in self_rows
    ]
    return {
        "file": str(out),
        "wall_s": result["wall_s"],
        "total_s": total,
        "parts": parts,
        "top_cumulative": top_rows,
        "top_self": top_self,
    }


# --------------------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------------------


def compare_languages(
    work: Path, args: argparse.Namespace, now: dt.datetime, env: dict[str, str], logs: Path, say, summary
) -> dict:
    """The same programs built on a site in French and English and on one in French, English and Catalan,
    interleaved (two, three, two, three...) like ours and bare, so that the machine's noise hits both alike."""
    say("generating the same programs in two and in three languages ...")
    sites = {
        "two": language_root(work, args, now, TWO_LANGUAGES),
        "three": language_root(work, args, now, THREE_LANGUAGES),
    }
    if not args.no_warmup:
        for key, info in sites.items():
            say(f"warm-up build in {'+'.join(info['languages'])} ...")
            build(info["root"], env, True, logs / f"{key}-warmup.log")
    runs: dict[str, list[dict]] = {"two": [], "three": []}
    pages: dict[str, int] = {}
    for i in range(args.runs):
        for key, info in sites.items():
            say(f"run {i + 1}/{args.runs}: build in {'+'.join(info['languages'])} ...")
            runs[key].append(build(info["root"], env, True, logs / f"{key}-{i}.log"))
            pages[key] = sum(1 for _ in (info["root"] / "site").rglob("index.html"))
    out = {
        key: {"languages": info["languages"], "pages": pages[key], **summary(runs[key])} for key, info in sites.items()
    }
    two, three = out["two"], out["three"]
    out["ratio_wall"] = three["median_wall_s"] / two["median_wall_s"]
    out["ratio_cpu"] = three["median_cpu_s"] / two["median_cpu_s"]
    out["ratio_per_run"] = [t["wall_s"] / w["wall_s"] for w, t in zip(runs["two"], runs["three"], strict=True)]
    out["ratio_pages"] = three["pages"] / two["pages"]
    out["challenges"] = sites["two"]["challenges"]
    return out


def machine() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "load_avg_at_start": list(os.getloadavg()),
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def language_lines(lg: dict) -> list[str]:
    def line(x: dict) -> str:
        return (
            f"    {'+'.join(x['languages']):9s} median {x['median_wall_s']:7.2f} s wall, {x['median_cpu_s']:7.2f} s CPU, "
            f"peak RSS {x['max_rss_mb']:.0f} MB, {x['pages']} pages "
            f"(wall runs: {', '.join(f'{w:.2f}' for w in x['wall_s'])})"
        )

    return [
        f"(e) languages: the same {lg['challenges']} challenges, every text in each language, minimal content pages",
        line(lg["two"]),
        line(lg["three"]),
        f"    ratio three / two languages: {lg['ratio_wall']:.2f} (wall medians), {lg['ratio_cpu']:.2f} (CPU medians), "
        f"per-run wall ratios {', '.join(f'{x:.2f}' for x in lg['ratio_per_run'])}; pages x{lg['ratio_pages']:.2f}",
    ]


def own_and_children(x: dict) -> list[str]:
    """The build's own process apart from those it ran (Pagefind), when measured."""
    if "median_own_cpu_s" not in x:
        return []
    return [
        f"    of which the build's own process {x['median_own_cpu_s']:.2f} s CPU, peak RSS {x['own_max_rss_mb']:.0f} MB; "
        f"the processes it ran (Pagefind) {x['median_children_cpu_s']:.2f} s CPU, "
        f"peak RSS {x['children_max_rss_mb']:.0f} MB"
    ]


def render_report(r: dict) -> str:
    m, c, v, b, h = r["machine"], r["content"], r["validation"], r["build"], r["html"]
    lines = [
        f"DataCity site benchmark — {r['date']}  (runs: {r['runs']}, medians; DATACITY_NOW={r['now']})",
        f"machine: {m['nproc']} CPU(s), Python {m['python']}, {m['platform']}, load avg at start "
        + " ".join(f"{x:.2f}" for x in m["load_avg_at_start"]),
        "packages: " + ", ".join(f"{k} {val}" for k, val in m["packages"].items()),
        "",
        f"content: {c['challenges']} challenges ({c['drafts']} drafts) in {c['programs']} programs in French and English; "
        f"statuses {c['by_status']}; {c['content']}",
        f"our build: {b['ours_pages']} Markdown pages generated by the datacity plugin, {h['pages']} index.html pages",
        "",
        f"(a) validation, load_site:     median {v['median_s'] * 1000:8.1f} ms wall, {v['median_cpu_s'] * 1000:.1f} ms CPU "
        f"(wall runs: {', '.join(f'{x * 1000:.0f}' for x in v['runs_s'])} ms)",
        f"(b) ours   mkdocs build --strict: median {b['ours']['median_wall_s']:7.2f} s wall, "
        f"{b['ours']['median_cpu_s']:7.2f} s CPU, peak RSS {b['ours']['max_rss_mb']:.0f} MB   "
        f"(wall runs: {', '.join(f'{x:.2f}' for x in b['ours']['wall_s'])})",
        *own_and_children(b["ours"]),
        f"(c) bare   mkdocs-material build: median {b['bare']['median_wall_s']:7.2f} s wall, "
        f"{b['bare']['median_cpu_s']:7.2f} s CPU, peak RSS {b['bare']['max_rss_mb']:.0f} MB   "
        f"(wall runs: {', '.join(f'{x:.2f}' for x in b['bare']['wall_s'])}) on {b['bare_pages']} pages",
        f"    ratio ours/bare: {b['ratio_wall']:.2f} (wall medians), {b['ratio_cpu']:.2f} (CPU medians), "
        f"per-run wall ratios {', '.join(f'{x:.2f}' for x in b['ratio_per_run'])}",
        *(
            [
                f"    ratio of our build's own process (without Pagefind) to the bare build: {b['ratio_own_cpu']:.2f} (CPU)"
            ]
            if "ratio_own_cpu" in b
            else []
        ),
        f"(d) HTML per page: median {h['median_kb']:.1f} KB, p95 {h['p95_kb']:.1f} KB, max {h['max_kb']:.1f} KB "
        f"(total {h['total_mb']:.1f} MB; 1 KB = 1024 bytes)",
        *(
            [
                f"    search/search_index.json: {h['search_index']['mb']:.1f} MB, {h['search_index']['entries']} entries "
                "(fetched by the search worker on every first visit)"
            ]
            if h.get("search_index")
            else []
        ),
        "    largest pages:",
        *[f"      {x['kb']:7.1f} KB  {x['path']}" for x in h["largest"]],
        "    by kind:",
        *[
            f"      {k:32s} {x['pages']:5d} pages, median {x['median_kb']:6.1f} KB, max {x['max_kb']:6.1f} KB"
            for k, x in h["by_kind"].items()
        ],
        *(language_lines(r["languages"]) if r.get("languages") else []),
        "",
        "targets:",
        *[f"  {t['verdict']}  {t['name']}: {t['measured']} (target {t['target']})" for t in r["targets"]],
    ]
    for key, title in (
        ("profile", "one build"),
        ("profile_bare", "one bare mkdocs-material build"),
    ):
        p = r.get(key)
        if not p:
            continue
        lines += [
            "",
            f"profile of {title} (cProfile, {p['total_s']:.1f} s profiled; {p['file']}):",
            *[
                f"  {x['cum_s']:7.2f} s  {x['cum_s'] / p['total_s'] * 100:5.1f} %  {x['label']}  [{x['calls']} calls]"
                for x in p["parts"]
            ],
            "  top cumulative:",
            *[
                f"    {x['cum_s']:7.2f} s cum {x['tot_s']:7.2f} s self {x['calls']:9d}  {x['function']}"
                for x in p["top_cumulative"]
            ],
            "  top self time:",
            *[
                f"    {x['tot_s']:7.2f} s self {x['cum_s']:7.2f} s cum {x['calls']:9d}  {x['function']}"
                for x in p["top_self"]
            ],
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="measured runs per build and validation; medians are reported (default 3)"
    )
    parser.add_argument("--challenges", type=int, default=1000, help="number of synthetic challenges (default 1000)")
    parser.add_argument("--programs", type=int, default=5, help="number of programs they are spread over (default 5)")
    parser.add_argument("--seed", type=int, default=2017, help="random seed of the synthetic content")
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"DATACITY_NOW for the builds (default {DEFAULT_NOW})")
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench-out" / "bench_site.json", help="where to write the JSON report"
    )
    parser.add_argument("--profile", type=Path, help="also run one build under cProfile and write the stats here")
    parser.add_argument("--profile-top", type=int, default=25, help="rows of the profile summary (default 25)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the unmeasured warm-up build of each site")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    parser.add_argument("--fail-on-target", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--no-languages", action="store_true", help="skip the two- and three-language builds side by side"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    now = dt.datetime.fromisoformat(args.now)
    env = _env(args.now)
    os.environ["DATACITY_NOW"] = args.now
    work = Path(tempfile.mkdtemp(prefix="datacity-bench-"))
    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    try:
        mach = machine()
        say(f"generating {args.challenges} challenges in {work} ...")
        content = make_root(work, args, now, env)
        root = Path(content["root"])

        say("timing validation ...")
        validation = time_validation(root, max(args.runs, 5))

        logs = work / "logs"
        logs.mkdir()
        site, _ = load_site(root)
        our_docs = generated_tree(work, site, now)
        ours_pages = sum(1 for _ in our_docs.rglob("*.md"))
        bare, bare_pages = make_bare(
            work, our_docs, root / "mkdocs.yml", len(navigation(site, site.languages[0])), args.seed
        )
        if not args.no_warmup:
            say("warm-up build of our site ...")
            build(root, env, True, logs / "ours-warmup.log")
            say("warm-up build of the bare site ...")
            build(bare, env, False, logs / "bare-warmup.log")

        ours, bare_runs = [], []
        for i in range(args.runs):
            # Interleaved, so that a noisy neighbour slows all the builds alike.
            say(f"run {i + 1}/{args.runs}: our build ...")
            ours.append(build(root, env, True, logs / f"ours-{i}.log"))
            html = html_sizes(root / "site")
            say(f"run {i + 1}/{args.runs}: bare build ...")
            bare_runs.append(build(bare, env, False, logs / f"bare-{i}.log"))

        def summary(rs: list[dict]) -> dict:
            return {
                "wall_s": [x["wall_s"] for x in rs],
                "cpu_s": [x["cpu_s"] for x in rs],
                "median_wall_s": statistics.median(x["wall_s"] for x in rs),
                "median_cpu_s": statistics.median(x["cpu_s"] for x in rs),
                "max_rss_mb": max(x["max_rss_mb"] for x in rs),
                **(
                    {
                        "median_own_cpu_s": statistics.median(x["own_cpu_s"] for x in rs),
                        "own_max_rss_mb": max(x["own_max_rss_mb"] for x in rs),
                        "median_children_cpu_s": statistics.median(x["children_cpu_s"] for x in rs),
                        "children_max_rss_mb": max(x["children_max_rss_mb"] for x in rs),
                    }
                    if all("own_cpu_s" in x for x in rs)
                    else {}
                ),
            }

        b_ours, b_bare = summary(ours), summary(bare_runs)
        build_info = {
            "ours_pages": ours_pages,
            "bare_pages": bare_pages,
            "clean": "site/ removed before every build; our plugin generates its whole docs tree again in each build",
            "ours": b_ours,
            "bare": b_bare,
            "ratio_wall": b_ours["median_wall_s"] / b_bare["median_wall_s"],
            "ratio_cpu": b_ours["median_cpu_s"] / b_bare["median_cpu_s"],
            # Our build's own process against the whole bare build (whose search index is made in-process).
            **(
                {"ratio_own_cpu": b_ours["median_own_cpu_s"] / b_bare["median_cpu_s"]}
                if "median_own_cpu_s" in b_ours
                else {}
            ),
            "ratio_per_run": [o["wall_s"] / b["wall_s"] for o, b in zip(ours, bare_runs, strict=True)],
        }
        languages = None
        if not args.no_languages:
            languages = compare_languages(work, args, now, env, logs, say, summary)
        targets = [
            {
                "name": f"validation of {content['challenges']} challenges",
                "measured": f"{validation['median_s']:.3f} s",
                "target": f"< {TARGET_VALIDATION_S:g} s",
                "ok": validation["median_s"] < TARGET_VALIDATION_S,
            },
            {
                "name": "build time ours / bare mkdocs-material",
                "measured": f"{build_info['ratio_wall']:.2f}",
                "target": f"<= {TARGET_BUILD_RATIO:g}",
                "ok": build_info["ratio_wall"] <= TARGET_BUILD_RATIO,
            },
            {
                "name": "largest HTML page",
                "measured": f"{html['max_kb']:.1f} KB",
                "target": f"<= {TARGET_MAX_HTML_KB:g} KB",
                "ok": html["max_kb"] <= TARGET_MAX_HTML_KB,
            },
        ]
        for t in targets:
            t["verdict"] = verdict(t["ok"])
        report = {
            "date": dt.date.today().isoformat(),
            "now": args.now,
            "runs": args.runs,
            "machine": mach,
            "content": {k: v for k, v in content.items() if k != "root"},
            "validation": validation,
            "build": build_info,
            "html": html,
            "languages": languages,
            "targets": targets,
        }
        if args.profile:
            say("profiled build ...")
            report["profile"] = profile_build(root, env, args.profile.resolve(), logs / "profile.log", args.profile_top)
            say("profiled bare build ...")
            report["profile_bare"] = profile_build(
                bare, env, args.profile.resolve().with_suffix(".bare.prof"), logs / "profile-bare.log", args.profile_top
            )
        report["machine"]["load_avg_at_end"] = list(os.getloadavg())

        print(render_report(report))
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nJSON report: {args.json}")
        return 1 if args.fail_on_target and not all(t["ok"] for t in targets) else 0
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
