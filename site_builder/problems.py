"""A validation problem, printed as `path:line: field: what is wrong; how to fix it`."""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    field: str
    message: str
    fix: str = ""

    def format(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                shown = self.path.resolve().relative_to(root.resolve())
        where = f"{shown.as_posix()}:{self.line}: "
        head = f"{self.field}: " if self.field else ""
        tail = f"; {self.fix}" if self.fix else ""
        return f"{where}{head}{self.message}{tail}"

    def github_annotation(self, root: Path | None = None) -> str:
        """The same problem as a GitHub Actions annotation on the offending line."""
        text = self.format(root)
        shown = text.split(":", 1)[0]
        body = text.split(": ", 1)[1] if ": " in text else text
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={shown},line={self.line}::{body}"


def did_you_mean(word: str, choices) -> str:
    """' (did you mean "x"?)' for a close match, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
