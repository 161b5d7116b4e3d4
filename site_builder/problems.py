"""A validation problem, printed as `path:line: field: what is wrong; how to fix it`."""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass
from pathlib import Path

from .staff_text import S_, text


@dataclass(frozen=True, order=True)
class Problem:
    """`message` and `fix` are English, marked with S_ where written (staff_text), their {placeholders} filled from
    `values` (pairs) when shown, in the staff's language."""

    path: Path
    line: int
    field: str
    message: str
    fix: str = ""
    values: tuple = ()

    def words(self, lang: str | None = None) -> tuple[str, str]:
        """The message and the fix in the staff's language (or `lang`)."""
        values = dict(self.values)
        message = text(self.message, lang, **values)
        return message, text(self.fix, lang, **values) if self.fix else ""

    def format(self, root: Path | None = None, lang: str | None = None) -> str:
        shown = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                shown = self.path.resolve().relative_to(root.resolve())
        where = f"{shown.as_posix()}:{self.line}: "
        head = f"{self.field}: " if self.field else ""
        message, fix = self.words(lang)
        tail = f"; {fix}" if fix else ""
        return f"{where}{head}{message}{tail}"

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
    return text(S_(' (did you mean "{word}"?)'), word=close[0]) if close else ""
