"""The locked dependency files agree with what the project asks for (offline; `make lock` rewrites them from PyPI).

    python -m infra.lock      # exit 1, naming each problem, if a lock file is stale or has an unhashed line

requirements/tools.txt must pin, with hashes, every dependency pyproject.toml declares (with the [api] and [test]
extras) and requirements/build.in's, at a version inside the declared range; requirements/lambda.txt likewise for
api/requirements.txt (what the API function runs).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {
    "requirements/tools.txt": ("pyproject.toml", "requirements/build.in"),
    "requirements/lambda.txt": ("api/requirements.txt",),
    "requirements/audit.txt": ("requirements/audit.in",),
}
EXTRAS = ("api", "test")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: Path) -> tuple[dict[str, str], list[str]]:
    """name -> pinned version, and the problems of the file (a requirement without hashes, or not pinned)."""
    found: dict[str, str] = {}
    problems = []
    entries = re.split(r"\n(?=\S)", lock.read_text(encoding="utf-8"))
    for entry in entries:
        first = entry.strip().splitlines()[0] if entry.strip() else ""
        if not first or first.startswith("#"):
            continue
        match = _PIN.match(first)
        if not match:
            problems.append(f"{lock.name}: '{first}' is not pinned with ==")
            continue
        if "--hash=sha256:" not in entry:
            problems.append(f"{lock.name}: {match.group(1)} has no --hash")
        found[canonicalize_name(match.group(1))] = match.group(2)
    return found, problems


def declared(source: Path) -> list[Requirement]:
    if source.name == "pyproject.toml":
        project = tomllib.loads(source.read_text(encoding="utf-8"))["project"]
        texts = list(project.get("dependencies", []))
        for extra in EXTRAS:
            texts += project.get("optional-dependencies", {}).get(extra, [])
    else:
        texts = [line.split("#")[0].strip() for line in source.read_text(encoding="utf-8").splitlines()]
    return [Requirement(text) for text in texts if text]


def problems(root: Path = ROOT) -> list[str]:
    found = []
    for lock_name, sources in LOCKS.items():
        lock = root / lock_name
        if not lock.is_file():
            found.append(f"{lock_name} is missing")
            continue
        pinned, bad = pins(lock)
        found += bad
        for source in sources:
            for requirement in declared(root / source):
                if requirement.marker and not requirement.marker.evaluate():
                    continue
                version = pinned.get(canonicalize_name(requirement.name))
                if version is None:
                    found.append(f"{source} asks for {requirement}, which {lock_name} does not pin")
                elif not requirement.specifier.contains(version, prereleases=True):
                    found.append(f"{source} asks for {requirement}, but {lock_name} pins {requirement.name}=={version}")
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(f"lock: {problem}", file=sys.stderr)
    if found:
        print("lock: run `make lock` (needs PyPI) and commit requirements/*.txt", file=sys.stderr)
        return 1
    print("lock: requirements/*.txt pin, with hashes, everything the project declares")
    return 0


if __name__ == "__main__":
    sys.exit(main())
