#!/usr/bin/env python3
"""Recompute the tallies of a DataCity consultation from its published vote log, and compare with its results.

Vérifie les résultats d'une consultation DataCity à partir du journal des votes publié.
Standard library only: anyone with Python 3.9 or newer can run it on the downloaded files.

    python3 verify_tally.py results/paris-2017/            # vote-log.csv (or .json) and results.json there
    python3 verify_tally.py vote-log.csv --results results.json
    python3 verify_tally.py vote-log.json --token 2NS8-GNSG-…   # the challenges my voter code voted for

Exit status: 0 when every tally matches, 1 on any difference (printed), 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

HEX64 = re.compile(r"^[0-9a-f]{64}$")
# The voter code as the site shows it (api/chalicelib/votes/receipts.py, the same lines): the cookie's 16 bytes in
# Crockford's base32 and two check characters (the number modulo 1021), in groups of four. The cookie's own form
# (22 characters of URL-safe base64) is accepted too.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
OLD_FORM = re.compile(r"^[A-Za-z0-9_-]{22}$")
RESULTS_FORMAT = "datacity-results/1"
VOTE_LOG_FORMAT = "datacity-vote-log/1"


class Unreadable(Exception):
    """A file that cannot be used; the message says which and why."""


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise Unreadable(f"{path}: cannot read it ({exc.strerror})") from None
    except ValueError as exc:
        raise Unreadable(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise Unreadable(f"{path}: not a DataCity document")
    return data


def read_log(path: Path) -> list[tuple[str, str, str]]:
    """(challenge, channel, entry) for every vote in vote-log.csv or vote-log.json."""
    if path.suffix.lower() == ".json":
        doc = read_json(path)
        if doc.get("format") != VOTE_LOG_FORMAT:
            raise Unreadable(f"{path}: not a {VOTE_LOG_FORMAT} document")
        try:
            return [
                (str(c["id"]), str(e["channel"]), str(e["entry"]))
                for c in doc["challenges"]
                for e in c.get("entries", [])
            ]
        except (KeyError, TypeError) as exc:
            raise Unreadable(f"{path}: an entry lacks {exc}") from None
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"challenge", "channel", "entry"} - set(reader.fieldnames or [])
            if missing:
                raise Unreadable(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
            return [(row["challenge"], row["channel"], row["entry"]) for row in reader]
    except OSError as exc:
        raise Unreadable(f"{path}: cannot read it ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise Unreadable(f"{path}: not a UTF-8 CSV file ({exc})") from None


def compare(log: list[tuple[str, str, str]], results: dict) -> list[str]:
    """Every difference between the vote log and results.json, as readable lines (empty: they match)."""
    if results.get("format") != RESULTS_FORMAT:
        return [f"results.json is not a {RESULTS_FORMAT} document"]
    differences = []
    channels = list(results.get("channels") or [])
    counted = Counter((challenge, channel) for challenge, channel, _ in log)
    seen = Counter((challenge, entry) for challenge, _, entry in log)
    for (challenge, entry), times in sorted(seen.items()):
        if times > 1:
            differences.append(f"{challenge}: the entry {entry[:12]}… appears {times} times (one vote each)")
    for challenge, _channel, entry in log:
        if not HEX64.match(entry):
            differences.append(f"{challenge}: '{entry}' is not an entry (64 hexadecimal characters)")
            break
    published = {}
    for item in results.get("challenges") or []:
        published[item["id"]] = item
    for challenge in sorted({c for c, _ in counted} - set(published)):
        total = sum(n for (c, _), n in counted.items() if c == challenge)
        differences.append(f"{challenge}: {total} vote(s) in the log, but no such challenge in results.json")
    for channel in sorted({ch for _, ch in counted} - set(channels)):
        differences.append(f"channel '{channel}' is in the log but not in results.json's channels")
    for cid, item in sorted(published.items()):
        votes = item.get("votes") or {}
        for channel in channels:
            announced = int(votes.get(channel, 0))
            found = counted.get((cid, channel), 0)
            if announced != found:
                differences.append(
                    f"{cid} [{channel}]: results.json says {announced}, the vote log has {found} "
                    f"({found - announced:+d})"
                )
        total = item.get("votes_total")
        if total is not None and int(total) != sum(int(v) for v in votes.values()):
            differences.append(f"{cid}: votes_total {total} is not the sum of its channels")
    return differences


def token_from_code(text: str) -> str | None:
    """The cookie token of a voter code; None for a code with a wrong character. Text of another shape is taken as
    the token itself, as before codes existed."""
    text = text.strip()
    compact = re.sub(r"[\s-]", "", text).upper().translate(str.maketrans("OIL", "011"))
    if OLD_FORM.match(text) or len(compact) != 28:
        return text
    if any(ch not in ALPHABET for ch in compact):
        return None
    value = 0
    for ch in compact:
        value = value * 32 + ALPHABET.index(ch)
    number, check = value >> 10, value & 1023
    if number >> 128 or number % 1021 != check:
        return None
    return base64.urlsafe_b64encode(number.to_bytes(16, "big")).rstrip(b"=").decode()


def voted_with(token: str, vote_log: dict) -> list[tuple[str, str]]:
    """(challenge, channel) of the entries of vote-log.json that this voter token produced."""
    found = []
    for challenge in vote_log.get("challenges") or []:
        salt = str(challenge.get("salt") or "")
        if not HEX64.match(salt):
            continue
        receipt = hashlib.sha256(bytes.fromhex(salt) + token.encode("utf-8")).hexdigest()
        for entry in challenge.get("entries") or []:
            if entry.get("entry") == receipt:
                found.append((str(challenge["id"]), str(entry.get("channel", ""))))
    return sorted(found)


def _locate(target: Path, want_json: bool) -> Path:
    if not target.is_dir():
        return target
    names = ("vote-log.json",) if want_json else ("vote-log.csv", "vote-log.json")
    for name in names:
        if (target / name).is_file():
            return target / name
    raise Unreadable(f"{target}: no {' or '.join(names)} in this folder")


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Recompute DataCity tallies from the vote log and compare them with results.json.",
    )
    parser.add_argument(
        "log",
        nargs="?",
        default=".",
        help="vote-log.csv or vote-log.json, or the folder holding them (default: the current folder)",
    )
    parser.add_argument("--results", help="results.json (default: next to the vote log)")
    parser.add_argument(
        "--token",
        help="your voter code (the site's 'my votes' page shows it): list the challenges it voted for",
    )
    args = parser.parse_args(argv)
    try:
        log_path = _locate(Path(args.log), want_json=bool(args.token))
        if args.token:
            if log_path.suffix.lower() != ".json":
                log_path = log_path.with_suffix(".json")
            doc = read_json(log_path)
            if doc.get("format") != VOTE_LOG_FORMAT:
                raise Unreadable(f"{log_path}: not a {VOTE_LOG_FORMAT} document")
            token = token_from_code(args.token)
            if token is None:
                print(
                    "This is not a voter code: check every character (it has 28, in groups of four). / "
                    "Ce n'est pas un code de vote : vérifiez chaque caractère (il y en a 28, par groupes de quatre).",
                    file=sys.stderr,
                )
                return 2
            found = voted_with(token, doc)
            if not found:
                print("No vote in this log matches that token. / Aucun vote de ce journal ne correspond à ce jeton.")
                return 0
            print(f"Your token voted for {len(found)} challenge(s) / Votre jeton a voté pour {len(found)} défi(s):")
            for challenge, channel in found:
                print(f"  {challenge} ({channel})")
            return 0
        log = read_log(log_path)
        results_path = Path(args.results) if args.results else log_path.with_name("results.json")
        results = read_json(results_path)
    except Unreadable as exc:
        print(f"error / erreur: {exc}", file=sys.stderr)
        return 2
    differences = compare(log, results)
    if differences:
        print(f"MISMATCH / ÉCART: {log_path} and {results_path} disagree:")
        for line in differences:
            print(f"  - {line}")
        return 1
    challenges = len(results.get("challenges") or [])
    print(
        f"OK: {len(log)} vote(s) in {log_path.name} match {results_path.name} for {challenges} challenge(s) "
        f"and {len(results.get('channels') or [])} channel(s). / Les totaux correspondent."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
