"""Write a generated tree to disk, touching only files whose bytes changed, and removing stale ones.

Unchanged files keep their timestamps, so `mkdocs serve` does not rebuild in a loop.
"""

from __future__ import annotations

from pathlib import Path


def sync_tree(root: Path, tree: dict[str, bytes]) -> int:
    """Make `root` hold exactly `tree` (dot-files excepted); return how many files were written."""
    root.mkdir(parents=True, exist_ok=True)
    written = 0
    for rel, data in tree.items():
        target = root / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        written += 1
    wanted = {root / rel for rel in tree}
    for path in sorted(root.rglob("*"), reverse=True):
        if path.name.startswith("."):
            continue
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written
