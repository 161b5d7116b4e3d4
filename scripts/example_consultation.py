#!/usr/bin/env python3
"""Regenerate the example results of Paris 2017 (results/paris-2017/) by running its consultation for real.

Nothing here writes a result by hand. The product runs end to end, as in production but on one machine:

- the site is built from a private copy of the repository with the clock pinned inside the window
  (`DATACITY_NOW`), and `api/serve.py` serves it with the API on the SQLite store;
- residents come back on five days of the window: they vote, withdraw a vote, comment, report comments and
  propose challenges over HTTP, as the site's pages do (same origin, the `dc_voter` cookie);
- staff moderate the comments and decide on the proposals with the `datacity moderate` commands, and import a
  workshop's sheet and a town hall's paper forms with `datacity import-workshop`;
- the server restarts with its clock after the close, on the same data, and staff export the final results and
  the vote log with `datacity results export` and `datacity vote-log export`.

    .venv/bin/python scripts/example_consultation.py            # rewrites results/paris-2017/
    .venv/bin/python scripts/example_consultation.py --out DIR  # somewhere else
    .venv/bin/python scripts/example_consultation.py --check    # exit 1 if the committed files differ

Reproducible: the residents and what they do come from a fixed seed, each resident's voter token is derived from
it (sent as the `dc_voter` cookie from the first request: the API only ever stores its keyed hash), and the
server's keys are fixed example keys (`DATA_DIR/secret.json`), so the vote log, the tallies, the moderation
record and the comments are the same on every run. Only the ids the API gives online comments are random, and
`--check` ignores them.

The repository as it stood during the consultation: challenges that staff marked `selected` or `closed` after it
were `open` then (a challenge with a window of its own, such as water-leak-detection, still closes on its date).
The results are exported from the site as it is now.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "paris-2017"
SOURCES = ("mkdocs.yml", "content", "challenges", "overrides")  # what a site build reads
DEFAULT_OUT = ROOT / "results" / PROGRAM
EXPORTED = ("results.json", "results.csv", "comments.csv", "datapackage.json", "vote-log.json", "vote-log.csv")
SEED = 2017
# Example keys, for this example only: fixed so that the vote log's salts and entries are the same on every run.
EXAMPLE_KEYS = {
    "hash_key": base64.urlsafe_b64encode(hashlib.sha256(b"datacity example consultation: hash key").digest()).decode(),
    "email_key": base64.urlsafe_b64encode(
        hashlib.sha256(b"datacity example consultation: email key").digest()
    ).decode(),
}
# Every resident here comes from 127.0.0.1, which would otherwise look like one very busy person.
RAISED_IP_LIMITS = {f"RATE_{action}_PER_IP": "100000" for action in ("VOTES", "COMMENTS", "REPORTS", "PROPOSALS")}
START_TIMEOUT = 60.0  # seconds for the server to answer /api/health
STAFF_NAME = "Équipe DataCity Paris (exemple)"
CLOSED = "2017-11-07T09:30:00+01:00"  # the window closed at the end of 6 November, Paris time
# The resident whose voter code results/README.md gives, to try `verify_tally.py --token` (they cast three votes).
FEATURED = 3

# How popular each challenge is with the example's online residents (a resident picks 1 to 5 of them).
POPULARITY = {
    "cool-spots-heatwave": 10,
    "cycling-safety": 9,
    "air-quality-sensors": 8,
    "last-mile-delivery": 7,
    "step-free-journeys": 7,
    "digital-help-older-residents": 6,
    "neighbourhood-noise": 6,
    "urban-farming-food-waste": 5,
    "waste-sorting-guide": 5,
    "building-energy-renovation": 4,
    "water-leak-detection": 4,
    "smart-street-lighting": 3,
    "public-space-open-data": 2,
}
HOW_MANY = ((1, 3), (2, 4), (3, 3), (4, 2), (5, 1))  # (votes per resident, weight)


@dataclass
class Comment:
    challenge: str
    text: str
    name: str | None = None
    reports: tuple[str, ...] = ()  # one reason per reporting resident
    decision: tuple[str, ...] | None = None  # what staff do once it is reported: (action, reason, note)


@dataclass
class Proposal:
    title: str
    description: str
    theme: str | None
    email: str | None = None
    decision: tuple[str, ...] | None = None  # decided at the next visit: ("approve",) or ("reject", reason, note)


@dataclass
class Sheet:
    """Votes and comments collected offline on one day, typed up by staff in the import format."""

    name: str
    channel: str
    collected_on: str
    votes: dict[str, int]
    comments: list[tuple[str, str, str]]  # (challenge, text, display name or "")

    def csv(self) -> bytes:
        """The file `datacity import-workshop` reads (docs/staff.md, "Offline participation")."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["channel", "challenge", "kind", "text", "display_name", "collected_on"])
        for challenge, count in self.votes.items():
            writer.writerows([self.channel, challenge, "vote", "", "", self.collected_on] for _ in range(count))
        for challenge, text, name in self.comments:
            writer.writerow([self.channel, challenge, "comment", text, name, self.collected_on])
        return out.getvalue().encode("utf-8")


@dataclass
class Visit:
    """One moment of the window when residents come, and what staff do then."""

    at: str
    residents: int  # new residents who vote
    comments: list[Comment] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    withdrawals: int = 0  # residents of earlier visits who come back and withdraw one vote
    sheet: Sheet | None = None  # imported by staff during this visit


VISITS = [
    Visit(
        "2017-10-20T19:00:00+02:00",
        residents=18,
        comments=[
            Comment(
                "cycling-safety",
                "Le carrefour au bout de ma rue est terrifiant aux heures de pointe. Pouvoir signaler en ligne les "
                "frayeurs, pas seulement les accidents, serait déjà un grand pas.",
                "Karim",
            ),
            Comment(
                "air-quality-sensors",
                "Des capteurs près des écoles, oui, mais à condition que les mesures soient publiées tout de suite "
                "et compréhensibles par les parents.",
            ),
            Comment(
                "cool-spots-heatwave",
                "Pendant la canicule de juin, je ne savais pas que la bibliothèque du quartier était climatisée. "
                "Une carte simple aurait tout changé.",
                "Martine, 71 ans",
            ),
        ],
    ),
    Visit(
        "2017-10-24T12:30:00+02:00",
        residents=22,
        comments=[
            Comment(
                "step-free-journeys",
                "Avec une poussette, la moitié des stations de ma ligne sont impossibles. Indiquez les ascenseurs en "
                "panne en temps réel, s'il vous plaît !",
                "Claire",
            ),
            Comment(
                "last-mile-delivery",
                "Les camionnettes garées en double file bloquent la piste cyclable tous les matins. Des consignes à "
                "colis dans le quartier, ce serait bien.",
            ),
            Comment(
                "smart-street-lighting",
                "Gagnez 500 € par jour depuis chez vous !!! Tout est expliqué sur mon profil, contactez-moi vite",
                "Offre spéciale",
                reports=("spam", "spam", "spam"),  # three reports hide it until staff decide
                decision=("reject", "spam", "publicité"),
            ),
            Comment(
                "digital-help-older-residents",
                "Encore un projet numérique pour des gens qui n'ont pas d'ordinateur. Commencez par rouvrir des "
                "guichets avec de vraies personnes.",
                "Josette",
                reports=("abuse",),
                decision=("approve", None, "critique, mais respectueuse : elle reste publiée"),
            ),
            Comment(
                "urban-farming-food-waste",
                "Our building's courtyard could take a compost bin and a few vegetable beds. Who should we talk to "
                "at the city?",
                "Emma",
            ),
        ],
        proposals=[
            Proposal(
                "Des fontaines d'eau potable dans chaque square",
                "L'été, il faut parfois marcher longtemps pour trouver de l'eau. Une fontaine par square, et une "
                "carte pour les trouver.",
                "water",
                email="habitante.exemple@example.org",
                decision=("approve",),
            ),
            Proposal(
                "Plus de capteurs de pollution près des écoles",
                "Mesurer l'air devant chaque école et prévenir les parents les jours de pic.",
                "air-quality",
                decision=("reject", "duplicate", "déjà couvert par le défi air-quality-sensors"),
            ),
        ],
    ),
    Visit(
        "2017-10-28T10:00:00+02:00",
        residents=16,
        comments=[
            Comment(
                "waste-sorting-guide",
                "Les consignes changent d'un immeuble à l'autre, on s'y perd. Une seule règle, bien expliquée, pour "
                "tout Paris.",
            ),
            Comment(
                "cycling-safety",
                "Le feu en bas de chez moi est dangereux, appelez-moi au 06 39 98 12 34 pour en parler.",
                "Sylvie",
                reports=("personal-data",),
                decision=("hide", "personal-data", "numéro de téléphone"),
            ),
            Comment(
                "building-energy-renovation",
                "Dans notre copropriété, personne ne sait par où commencer pour isoler. Un diagnostic gratuit et "
                "expliqué simplement aiderait beaucoup.",
                "Paul",
            ),
            Comment(
                "water-leak-detection",
                "Une fuite a coulé trois jours dans notre rue avant d'être réparée. Des capteurs sur le réseau, "
                "c'est une bonne idée.",
            ),
        ],
        proposals=[
            Proposal(
                "Des toilettes publiques accessibles, signalées sur une carte",
                "Pour les personnes âgées, les enfants et les personnes malades, savoir où trouver des toilettes "
                "propres et accessibles change tout.",
                "public-space",
                decision=("approve",),
            ),
        ],
        sheet=Sheet(
            "atelier-mediatheque-2017-10-26.csv",
            "workshop",
            "2017-10-26",
            {
                "cool-spots-heatwave": 6,
                "digital-help-older-residents": 5,
                "step-free-journeys": 5,
                "air-quality-sensors": 4,
                "neighbourhood-noise": 3,
                "waste-sorting-guide": 3,
                "cycling-safety": 2,
                "water-leak-detection": 2,
            },
            [
                (
                    "step-free-journeys",
                    "Les personnes âgées présentes voudraient un numéro de téléphone pour signaler les ascenseurs "
                    "en panne.",
                    "",
                ),
                (
                    "cool-spots-heatwave",
                    "Plusieurs participants demandent des bancs à l'ombre près des arrêts de bus.",
                    "",
                ),
                ("air-quality-sensors", "Expliquer la pollution avec des couleurs simples, comme la météo.", ""),
            ],
        ),
    ),
    Visit(
        "2017-11-03T18:00:00+01:00",
        residents=18,
        withdrawals=4,
        comments=[
            Comment(
                "neighbourhood-noise",
                "Ceux qui se plaignent du bruit n'ont qu'à aller vivre à la campagne, bande d'égoïstes.",
                reports=("abuse", "abuse"),
                decision=("hide", "abuse", "insulte envers d'autres participants"),
            ),
            Comment(
                "public-space-open-data",
                "Quelqu'un sait quand la piscine du quartier rouvre après les travaux ?",
                reports=("off-topic",),
                decision=("hide", "off-topic", None),
            ),
            Comment(
                "air-quality-sensors",
                "I cycle to work every day and would love to pick the least polluted route. Open data from these "
                "sensors would make that possible.",
                "Tom",
            ),
            Comment(
                "cool-spots-heatwave",
                "Ouvrir les cours d'école le week-end en été serait une solution simple et pas chère.",
                "Nadia",
            ),
        ],
        sheet=Sheet(
            "bulletins-mairie-2017-11-02.csv",
            "paper",
            "2017-11-02",
            {
                "digital-help-older-residents": 4,
                "step-free-journeys": 3,
                "cool-spots-heatwave": 3,
                "building-energy-renovation": 2,
                "urban-farming-food-waste": 2,
            },
            [
                (
                    "digital-help-older-residents",
                    "Je n'ai pas internet. Merci d'avoir mis des bulletins à la mairie.",
                    "",
                ),
                ("waste-sorting-guide", "Plus de poubelles de tri dans les parcs.", "M. Bernard"),
            ],
        ),
    ),
    Visit(
        "2017-11-05T20:30:00+01:00",
        residents=24,
        comments=[
            Comment(
                "step-free-journeys",
                "Merci pour ce défi. Les annonces sonores dans les bus aident aussi beaucoup les personnes "
                "malvoyantes.",
                "Hervé",
            ),
            Comment(
                "last-mile-delivery",
                "Les livraisons en vélo cargo marchent très bien dans notre quartier, il faut les encourager.",
            ),
            Comment(
                "digital-help-older-residents",
                "Ma mère a appris à faire ses démarches grâce à un atelier à la mairie. Il en faudrait plus, et "
                "près de chez soi.",
                "Leïla",
            ),
            Comment(
                "smart-street-lighting",
                "Baisser l'éclairage la nuit, d'accord, mais pas dans les rues où l'on rentre seule à pied.",
                "Inès",
            ),
            Comment(
                "cycling-safety",
                "- Des pistes séparées des voitures\n- Des feux pour les vélos\n- Moins de camions aux heures d'école",
                "Lucas",
            ),
        ],
        proposals=[
            Proposal(
                "Une appli pour trouver une place de stationnement libre",
                "Des capteurs sur les places de stationnement diraient lesquelles sont libres, pour moins tourner "
                "en rond.",
                "mobility",
            ),
        ],
    ),
]


class Failure(Exception):
    """The consultation did not go as planned; the message says where."""


def voter_token(number: int) -> str:
    """The example resident's dc_voter token: 22 URL-safe characters, like the ones the API issues."""
    digest = hashlib.sha256(f"{PROGRAM} example resident {number}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


# --- the product ------------------------------------------------------------------------------------------------


def copy_sources(dest: Path, during: bool) -> Path:
    """A private copy of what a build reads; `during`: the statuses as they were while the window was open."""
    (dest / ".build" / "docs").mkdir(parents=True)
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, dest / name)
    if during:
        for path in sorted((dest / "challenges" / PROGRAM).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(?m)^status: (selected|closed)$", "status: open", text, count=1), "utf-8")
    return dest


def build(source: Path, dest: Path, now: str) -> Path:
    env = {**os.environ, "DATACITY_NOW": now, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(source / "mkdocs.yml"), "-d", str(dest)]
    done = subprocess.run(cmd, cwd=source, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise Failure(f"the site build failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return dest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """api/serve.py on a free port of 127.0.0.1, with the clock pinned at `now`."""

    def __init__(self, site: Path, data: Path, now: str, log: Path):
        self.now = now
        env = {
            **os.environ,
            **RAISED_IP_LIMITS,
            "DATA_DIR": str(data),
            "CATALOG_PATH": str(site / "catalog.json"),
            "DATACITY_NOW": now,
            "DATACITY_QUIET": "1",
            "STORE": "sqlite",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("SITE_ORIGIN", None)  # serve.py sets it from the port
        self.log = log
        for _attempt in range(3):  # another process may take the port between the check and the bind
            port = free_port()
            self.origin = f"http://127.0.0.1:{port}"
            cmd = [sys.executable, str(ROOT / "api" / "serve.py"), "--site", str(site)]
            cmd += ["--host", "127.0.0.1", "--port", str(port)]
            with log.open("ab") as out:
                self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and self.process.poll() is None:
                if self.request("GET", "/api/health")[0] == 200:
                    return
                time.sleep(0.1)
            self.stop()
        raise Failure(f"the server did not start; its log:\n{log.read_text(errors='replace')[-3000:]}")

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
        """One request as the site's own pages make it: same Origin, the resident's cookie, JSON."""
        headers = {"Origin": self.origin, "Accept-Language": "fr"}
        data = b"" if method != "GET" else None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Cookie"] = f"dc_voter={token}"
        conn = http.client.HTTPConnection("127.0.0.1", int(self.origin.rsplit(":", 1)[1]), timeout=30)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except OSError:
            return 0, {}
        finally:
            conn.close()
        try:
            return response.status, json.loads(text) if text else {}
        except ValueError:
            return response.status, {"text": text}

    def expect(self, status: int, method: str, path: str, body: dict | None = None, token: str | None = None):
        got, answer = self.request(method, path, body, token)
        if got != status:
            raise Failure(f"{method} {path} at {self.now}: expected {status}, got {got}: {answer}")
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Staff:
    """The `datacity` staff commands, run as a staff member runs them, with a token of their own."""

    def __init__(self, data: Path):
        self.command = Path(sys.executable).with_name("datacity")
        if not self.command.is_file():
            raise Failure(f"{self.command} not found: run this script with the project's Python (.venv/bin/python)")
        self.api = self.token = ""  # the API's address changes at each restart
        self.token = self.run("staff-token", "create", "-p", PROGRAM, "--name", STAFF_NAME, "--data-dir", str(data))

    def run(self, *args: str) -> str:
        env = {**os.environ, "DATACITY_API": self.api, "DATACITY_STAFF_TOKEN": self.token}
        done = subprocess.run(
            [str(self.command), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise Failure(f"datacity {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done.stdout.strip()

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json"))


# --- the consultation -------------------------------------------------------------------------------------------


@dataclass
class Resident:
    number: int
    token: str
    votes: list[str] = field(default_factory=list)


def open_challenges(catalog: dict, at: str) -> list[str]:
    """The challenges a resident can vote for at `at`, in POPULARITY's order (a stable order: no sets)."""
    now = dt.datetime.fromisoformat(at)
    windows = {
        c["id"]: (dt.datetime.fromisoformat(c["window"]["opens"]), dt.datetime.fromisoformat(c["window"]["closes"]))
        for c in catalog["challenges"]
        if c["program"] == PROGRAM and c["status"] == "open"
    }
    return [c for c in POPULARITY if c in windows and windows[c][0] <= now < windows[c][1]]


def pick(rng: random.Random, choices: list[str], count: int) -> list[str]:
    """`count` different challenges, drawn by popularity."""
    left, chosen = list(choices), []
    for _ in range(min(count, len(left))):
        weights = [POPULARITY[c] for c in left]
        chosen.append(left.pop(rng.choices(range(len(left)), weights)[0]))
    return chosen


def say(message: str) -> None:
    print(message, flush=True)


def run_consultation(work: Path, out: Path) -> None:
    rng = random.Random(SEED)
    data = work / "data"
    data.mkdir()
    # Written before the first start, so the API uses these keys instead of making random ones.
    (data / "secret.json").write_text(json.dumps(EXAMPLE_KEYS), encoding="utf-8")
    os.chmod(data / "secret.json", 0o600)

    say("Building the site as it was during the consultation, and as it is now...")
    during = build(copy_sources(work / "src-during", during=True), work / "site-during", VISITS[0].at)
    after = build(copy_sources(work / "src-after", during=False), work / "site-after", CLOSED)
    catalog = json.loads((during / "catalog.json").read_text(encoding="utf-8"))
    staff = Staff(data)
    residents: list[Resident] = []
    pending_decisions: list[tuple[str, Proposal]] = []

    for visit in VISITS:
        server = Server(during, data, visit.at, work / "server.log")
        staff.api = server.origin + "/api"
        try:
            choices = open_challenges(catalog, visit.at)
            # New residents vote.
            arrived = []
            for _ in range(visit.residents):
                resident = Resident(len(residents) + 1, voter_token(len(residents) + 1))
                residents.append(resident)
                arrived.append(resident)
                count = rng.choices([n for n, _ in HOW_MANY], [w for _, w in HOW_MANY])[0]
                for challenge in pick(rng, choices, count):
                    server.expect(200, "PUT", f"/api/challenges/{challenge}/vote", token=resident.token)
                    resident.votes.append(challenge)
            # Some residents of earlier visits come back and take a vote back.
            returning = [r for r in residents if r not in arrived and len(r.votes) > 1]
            for resident in rng.sample(returning, min(visit.withdrawals, len(returning))):
                challenge = next((c for c in reversed(resident.votes) if c in choices), None)
                if challenge:
                    server.expect(200, "DELETE", f"/api/challenges/{challenge}/vote", token=resident.token)
                    resident.votes.remove(challenge)
            # Comments, and the reports of other residents.
            reported = False
            for index, comment in enumerate(visit.comments):
                author = arrived[index % len(arrived)]
                body = {"text": comment.text, **({"display_name": comment.name} if comment.name else {})}
                answer = server.expect(201, "POST", f"/api/challenges/{comment.challenge}/comments", body, author.token)
                if answer.get("status") != "published":
                    raise Failure(f"a comment on {comment.challenge} is {answer.get('status')}, not published")
                for offset, reason in enumerate(comment.reports, 1):
                    reporter = arrived[(index + offset) % len(arrived)]
                    server.expect(
                        201, "POST", f"/api/comments/{answer['id']}/reports", {"reason": reason}, reporter.token
                    )
                    reported = True
            # Proposals.
            for index, proposal in enumerate(visit.proposals):
                author = arrived[-1 - index]
                body = {"title": proposal.title, "description": proposal.description}
                if proposal.theme:
                    body["theme"] = proposal.theme
                if proposal.email:
                    body.update(email=proposal.email, consent=True)
                answer = server.expect(201, "POST", f"/api/programs/{PROGRAM}/proposals", body, author.token)
                if proposal.decision:
                    pending_decisions.append((answer["proposal"], proposal))
            # Staff: the reported comments, the proposals received before this visit, a workshop's sheet.
            if reported:
                moderate(staff, visit)
            for proposal_id, proposal in [p for p in pending_decisions if p[1] not in visit.proposals]:
                action, *rest = proposal.decision
                args = ["moderate", f"{action}-proposal", proposal_id]
                if rest:
                    args += ["--reason", rest[0], "--note", rest[1]]
                staff.run(*args)
                pending_decisions.remove((proposal_id, proposal))
            if visit.sheet:
                path = work / visit.sheet.name
                path.write_bytes(visit.sheet.csv())
                staff.run("import-workshop", "-p", PROGRAM, str(path))
            votes = sum(len(r.votes) for r in residents)
            say(f"  {visit.at}: {len(arrived)} new residents, {votes} online votes so far")
        finally:
            server.stop()

    say(f"After the close ({CLOSED}): exporting the results and the vote log...")
    server = Server(after, data, CLOSED, work / "server.log")
    staff.api = server.origin + "/api"
    try:
        staff.run("results", "export", "-p", PROGRAM, "--out", str(out))
        staff.run("vote-log", "export", "-p", PROGRAM, "--out", str(out))
    finally:
        server.stop()
    featured = residents[FEATURED - 1]
    say(f"Resident {FEATURED} kept their voter code {featured.token}: {', '.join(sorted(featured.votes))}")


def moderate(staff: Staff, visit: Visit) -> None:
    """Staff read the reported queue and decide on each reported comment of this visit, by its text."""
    queue = staff.json("moderate", "queue", "-p", PROGRAM, "--kind", "reported")
    by_text = {item["text"]: item["id"] for item in queue}
    for comment in visit.comments:
        if not comment.reports:
            continue
        if comment.text not in by_text:
            raise Failure(f"the reported comment on {comment.challenge} is not in the reported queue: {queue}")
        action, reason, note = comment.decision
        args = ["moderate", action, by_text[comment.text]]
        if reason:
            args += ["--reason", reason]
        if note:
            args += ["--note", note]
        staff.run(*args)


# --- comparing two exports --------------------------------------------------------------------------------------


def comparable(folder: Path) -> dict[str, object]:
    """The exported files with the ids of online comments (random, from the API) blanked."""
    found: dict[str, object] = {}
    for name in EXPORTED:
        path = folder / name
        if not path.is_file():
            found[name] = None
            continue
        if name == "results.json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            for comment in doc.get("comments", []):
                if comment.get("channel") == "online":
                    comment["id"] = "(random)"
            found[name] = doc
        elif name == "comments.csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            channel = rows[0].index("channel") if rows else 0
            found[name] = [rows[0]] + [["(random)" if r[channel] == "online" else r[0], *r[1:]] for r in rows[1:]]
        else:
            found[name] = path.read_bytes()
    return found


def differences(expected: Path, actual: Path) -> list[str]:
    left, right = comparable(expected), comparable(actual)
    return [name for name in EXPORTED if left[name] != right[name]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Folder to write (default: results/paris-2017/).")
    parser.add_argument("--check", action="store_true", help="Regenerate aside and compare with --out; write nothing.")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="datacity-example-") as tmp:
        work = Path(tmp)
        fresh = work / "export"
        try:
            run_consultation(work, fresh)
        except Failure as exc:
            print(f"example_consultation: {exc}", file=sys.stderr)
            return 1
        if args.check:
            changed = differences(args.out, fresh)
            if changed:
                print(
                    f"{args.out}: {', '.join(changed)} differ from a fresh run; regenerate them with "
                    "`.venv/bin/python scripts/example_consultation.py` and commit the result.",
                    file=sys.stderr,
                )
                return 1
            say(f"{args.out}: the committed example is what the consultation produces.")
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        for name in EXPORTED:
            shutil.copy2(fresh / name, args.out / name)
    say(f"Wrote {args.out}/ in {time.monotonic() - started:.0f} s: {', '.join(EXPORTED)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
