"""Readable tables for staff, and the same data as JSON for scripts."""

from __future__ import annotations

import json

import click

from site_builder.staff_text import S_, text

MAX_CELL = 60


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return text(S_("yes")) if value else text(S_("no"))
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    flat = " ".join(str(value).split())
    return flat if len(flat) <= MAX_CELL else flat[: MAX_CELL - 1] + "…"


def table(rows: list[dict], columns: list[str]) -> str:
    """A plain-text table of `columns` (those empty in every row are left out)."""
    columns = [c for c in columns if any(cell(row.get(c)) for row in rows)] or columns
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
