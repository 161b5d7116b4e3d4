"""A validation problem, printed as `path:line: field: what is wrong; how to fix it`."""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass
from pathlib import Path

from .staff_text import S_, Words, show, words


@dataclass(frozen=True)
class Problem:
    """`message` and `fix` are English, marked with S_ (or SP_, counted by the value `n`) where written
    (staff_text), their {placeholders} filled from `values` (pairs) when shown, in the staff's language."""

    path: Path
    line: int
    field: str
    message: str | tuple[str, str]
    fix: str | tuple[str, str] = ""
    values: tuple = ()

    def __lt__(self, other: Problem) -> bool:
        # By file, line and field; then by the English texts (a plural message is a pair, a value may be Words).
        return self._order() < other._order()

    def _order(self) -> tuple:
        return (self.path, self.line, self.field, repr(self.message), repr(self.fix), repr(self.values))

    def words(self, lang: str | None = None) -> tuple[str, str]:
        """The message and the fix in the staff's language (or `lang`)."""
        values = dict(self.values)
        message = show(self.message, lang, **values)
        return message, show(self.fix, lang, **values) if self.fix else ""

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


def did_you_mean(word: str, choices) -> Words | str:
    """' (did you mean "x"?)' for a close match, shown in the problem's language; else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return words(S_(' (did you mean "{word}"?)'), word=close[0]) if close else ""
