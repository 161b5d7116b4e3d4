"""Read YAML and Markdown-with-front-matter files, keeping the line of every value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem
from .staff_text import S_

Path_ = tuple[Any, ...]


@dataclass
class Document:
    """Plain data from a YAML document, with the 1-based file line of each value by path."""

    path: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, where: Path_) -> int:
        """Line of the value at `where`, or of its nearest ancestor that has one."""
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), self.first_line)


class _Constructor(yaml.SafeLoader):
    pass


# libyaml composes about 20 times faster than pure Python and reports the same marks; fall back without it.
_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document; syntax errors become problems rather than exceptions."""
    try:
        loader = _Composer(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = (exc.problem or exc.context or "invalid YAML").strip()
        return None, [
            Problem(
                path,
                line,
                "",
                S_("YAML syntax error: {what}"),
                S_("check the indentation and quote values that contain ':' or '#'"),
                (("what", what),),
            )
        ]
    except yaml.YAMLError as exc:
        return None, [
            Problem(path, first_line, "", S_("YAML error: {error}"), S_("fix the file's syntax"), (("error", exc),))
        ]
    doc = Document(path, None, first_line=first_line)
    problems: list[Problem] = []
    if node is None:
        doc.data = {}
        return doc, problems
    constructor = _Constructor("")
    doc.data = _build(node, (), doc, constructor, problems, first_line - 1)
    return doc, problems


def _build(node, where, doc, constructor, problems, offset):
    doc.lines[where] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, where, doc, constructor, problems, offset)
            if not isinstance(key, (str, int)):
                key = str(key)
            line = key_node.start_mark.line + 1 + offset
            if key in out:
                problems.append(
                    Problem(
                        doc.path,
                        line,
                        _dotted(where + (key,)),
                        S_("this field appears twice"),
                        S_("keep one of them"),
                    )
                )
                continue
            out[key] = _build(value_node, where + (key,), doc, constructor, problems, offset)
            doc.lines[where + (key,)] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, where + (i,), doc, constructor, problems, offset) for i, item in enumerate(node.value)]
    return _scalar(node, where, doc, constructor, problems, offset)


_STR_TAG = "tag:yaml.org,2002:str"


def _scalar(node, where, doc, constructor, problems, offset):
    if not isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if node.tag == _STR_TAG:
        return node.value  # what SafeConstructor.construct_yaml_str returns, without its per-node bookkeeping
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError) as exc:
        # Typically an impossible date such as 2017-02-30: keep the text, report it.
        problems.append(
            Problem(
                doc.path,
                node.start_mark.line + 1 + offset,
                _dotted(where),
                S_("'{value}' is not a valid value ({error})"),
                S_("write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
                (("value", node.value), ("error", exc)),
            )
        )
        return InvalidScalar(node.value)


class InvalidScalar(str):
    """A scalar YAML could not construct; already reported, ignored by later checks."""


def _dotted(where: Path_) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)


@dataclass
class MarkdownFile:
    front: Document | None
    body: str
    body_first_line: int


def parse_markdown(text: str, path: Path) -> tuple[MarkdownFile, list[Problem]]:
    """Split front matter from body; front matter starts on line 2."""
    match = _FRONT.match(text)
    if not match:
        return MarkdownFile(None, text, 1), [
            Problem(
                path,
                1,
                "",
                S_("the file does not start with front matter"),
                S_("start it with a line '---', the fields, then another line '---'"),
            )
        ]
    front_text = match.group(1)
    doc, problems = parse_yaml(front_text, path, first_line=2)
    body_first_line = text.count("\n", 0, match.end()) + 1
    return MarkdownFile(doc, text[match.end() :], body_first_line), problems
