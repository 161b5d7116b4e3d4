"""A program's results page, from its exported results (site_builder/results.py): figures, charts and tables.

Every chart is an inline SVG followed by a data table with the same numbers. The SVG has role="img" and a
short name (its <title>, referenced by aria-labelledby) that says what it shows and that the table below holds
the figures: the W3C WAI "complex images" pattern (a short text alternative that identifies the image and points
to its long description). We do not hide it with aria-hidden: people who use a screen reader with some sight, or
who navigate by images, then still learn that the chart is there and where its numbers are, while role="img"
keeps its dozens of text fragments from being read out one by one. Segments of stacked bars differ by pattern
(plain, stripes, dots, lines) as well as by colour, with a legend, so colour is never the only cue (WCAG 1.4.1);
each fill has at least 3:1 contrast with the white page (1.4.11) and the text at least 4.5:1 (1.4.3).
Everything is static HTML: it works without JavaScript.
"""

from __future__ import annotations

import zoneinfo
from html import escape
from typing import Any

from babel.numbers import format_percent

from .. import urls
from ..blocks import Html
from ..i18n import N_, NP_, date, direction, gettext, locale, nt
from ..i18n import number as number
from ..i18n import t as ui
from ..model import Challenge, Program
from ..results import REASONS, Results
from ..vocabulary import CHANNELS, RECORD_CATEGORIES, SDGS, THEMES, VERIFICATION_METHODS
from .common import breadcrumb, front_matter, link, md_heading
from .listing import label as facet_label

# Messages by key, in English; translated by the catalogs (site_builder/i18n.py).
TEXT: dict[str, Any] = {
    "title": N_("Results – {program}"),
    "crumb": N_("Results"),
    "badge_final": N_("Final results"),
    "badge_provisional": N_("Provisional results"),
    "final_note": N_("These results are final: the consultation has closed. They were compiled on {date}."),
    "provisional_note": N_(
        "These results are provisional: they were compiled on {date}, before the consultation closed. The figures will still change."
    ),
    "intro": N_(
        "How many people voted for each challenge, online and offline, what they said about them, and how comments were moderated. All the data can be downloaded at the bottom of the page."
    ),
    "key_figures": N_("Key figures"),
    "kpi_votes": NP_("vote", "votes"),
    "kpi_comments": NP_("published comment", "published comments"),
    "kpi_proposals": NP_("challenge proposal received", "challenge proposals received"),
    "kpi_challenges": NP_("challenge put to the vote", "challenges put to the vote"),
    "by_channel": N_("Votes by way of taking part"),
    "channel_note": N_("Votes collected in workshops, on paper or by phone count as much as online votes."),
    "channel_line": N_("{channel}: {n} ({share})"),
    "by_challenge": N_("Votes by challenge"),
    "by_challenge_note": N_("From the challenge with the most votes to the one with the fewest."),
    "chart_challenges": N_(
        "Bar chart of the votes by challenge, from most to fewest. The same figures are in the table that follows."
    ),
    "chart_themes": N_("Bar chart of the votes by theme. The same figures are in the table that follows."),
    "chart_sdgs": N_(
        "Bar chart of the votes by Sustainable Development Goal. The same figures are in the table that follows."
    ),
    "legend": N_("Legend"),
    "caption_challenges": N_("Votes and comments by challenge, from most to fewest votes"),
    "caption_themes": N_("Votes and comments by theme"),
    "caption_sdgs": N_("Votes and comments by Sustainable Development Goal"),
    "rank": N_("Rank"),
    "challenge": N_("Challenge"),
    "theme": N_("Theme"),
    "sdg": N_("Sustainable Development Goal"),
    "challenges_n": N_("Challenges"),
    "total": N_("Total votes"),
    "comments": N_("Comments"),
    "all": N_("All challenges together"),
    "by_theme": N_("Votes by theme"),
    "theme_note": N_(
        "A challenge may belong to several themes: its votes then count in each of them. These totals therefore do not add up."
    ),
    "by_sdg": N_("Votes by Sustainable Development Goal (SDG)"),
    "sdg_note": N_("A challenge may contribute to several goals: its votes then count in each of them."),
    "moderation": N_("Moderation of comments"),
    "moderation_intro": N_(
        "What the moderation team decided, in numbers of comments. The text of removed comments is never published."
    ),
    "m_published": N_("Published comments: {n}"),
    "m_pending": N_("Waiting to be read: {n}"),
    "m_hidden": N_("Hidden after being published: {n}"),
    "m_rejected": N_("Refused before publication: {n}"),
    "m_none": N_("No comment was hidden or refused."),
    "caption_moderation": N_("Comments hidden or refused, by reason"),
    "reason": N_("Reason"),
    "hidden": N_("Hidden"),
    "rejected": N_("Refused"),
    "proposals": N_("Challenge proposals"),
    "verification": N_("Confirming residence"),
    "v_intro": N_("One vote per resident: residents confirmed that they live here before voting."),
    "v_email": N_("By email"),
    "v_oidc": N_("With an identity provider"),
    "v_line": N_("{method}: votes {votes}; confirmations asked {requested}, completed {completed}, refused {refused}."),
    "p_received": N_("Received: {n}"),
    "p_approved": N_("Accepted: {n}"),
    "p_rejected": N_("Not accepted: {n}"),
    "p_pending": N_("Being considered: {n}"),
    "open_data": N_("Open data"),
    "licence_etalab-2.0": N_(
        "This data is published under Etalab's {licence}: you may copy, adapt and reuse it freely, including for commercial purposes, provided you credit the source (DataCity, {program}) and the date it was last updated."
    ),
    "licence_ODbL-1.0": N_(
        "This data is published under the {licence}: you may reuse it freely provided you credit the source (DataCity, {program}) and share databases derived from it under the same licence."
    ),
    "no_personal_data": N_("It contains no personal data: no names, no email addresses, no voter identifiers."),
    "downloads": N_("Download the data"),
    "file_results.json": N_("Complete results"),
    "file_results.csv": N_("Results by challenge, for a spreadsheet"),
    "file_comments.csv": N_("Published comments, for a spreadsheet"),
    "file_datapackage.json": N_("Description of the files and their columns (Frictionless Data)"),
    "file_vote-log.csv": N_("Pseudonymous vote log, to recount the results yourself"),
    "file_vote-log.json": N_("Pseudonymous vote log, with each challenge's salt"),
    "kb": N_("{n} KB"),
    "home_heading": N_("Results"),
    "home_final": N_("The consultation has closed: its results are published, with the data to download."),
    "home_provisional": N_("Provisional results are published, with the data to download."),
    "home_link": N_("See the results"),
}

# Fill of each channel's bar segments: a colour with >= 3:1 contrast on white (WCAG 1.4.11) and a white
# pattern of its own, so that channels differ without colour (1.4.1).
CHANNEL_STYLE = {
    "online": ("#0b5c44", ""),  # plain green, 7.7:1
    "workshop": ("#8a3b00", "stripes"),  # brown with diagonal stripes, 7.3:1
    "paper": ("#0a5a8a", "dots"),  # blue with dots, 7.0:1
    "phone": ("#5b2d8e", "lines"),  # purple with horizontal lines, 9.4:1
}
# Geometry of the charts, in CSS pixels; widths are percentages so that a chart follows its column.
LABEL_LINE = 18
BAR = 20
ROW_GAP = 14
BAR_SPACE = 78  # % of the width for the longest bar; the rest holds its number
WRAP = 42  # characters per label line: fits a 375 px phone at the chart's 14 px text


def text(lang: str, key: str, **values: object) -> str:
    message = gettext(lang, TEXT[key])
    return message.format(**values) if values else message


def percent(lang: str, part: int, whole: int) -> str:
    """'12 %' / '12%' as CLDR writes it; a share that rounds to 0 but is not nothing is '< 1 %', never '0 %'."""
    share = round(100 * part / whole) if whole else 0
    shown = format_percent(share / 100, locale=locale(lang))
    if part and share == 0:
        shown = "<\u00a0" + format_percent(0.01, locale=locale(lang))
    return shown


Row = tuple[str, str | None, dict[str, int], int, int, int]  # label, url, votes by channel, total, comments, n


def challenge_rows(results: Results, challenges: dict[str, Challenge], lang: str) -> list[Row]:
    """One row per challenge, most votes first (ties by title)."""
    rows = []
    for tally in results.challenges:
        challenge = challenges[tally.id]
        url = urls.url_of(urls.challenge_page(lang, results.program, tally.id))
        rows.append((challenge.title[lang], url, tally.votes, tally.total, tally.comments, 1))
    return sorted(rows, key=lambda r: (-r[3], r[0].casefold()))


def facet_rows(results: Results, challenges: dict[str, Challenge], lang: str, facet: str) -> list[Row]:
    """Sums over the challenges of each theme (facet 'theme') or SDG ('sdg') that has any, most votes first."""
    values = list(THEMES) if facet == "theme" else list(SDGS)
    rows = []
    for order, value in enumerate(values):
        members = [
            tally
            for tally in results.challenges
            if value in (challenges[tally.id].themes if facet == "theme" else challenges[tally.id].sdgs)
        ]
        if not members:
            continue
        votes = {ch: sum(m.votes[ch] for m in members) for ch in results.channels}
        url = urls.url_of(urls.listing(lang, results.program, facet, str(value)))
        label = facet_label(lang, facet, str(value))
        total, comments = sum(m.total for m in members), sum(m.comments for m in members)
        rows.append(((label, url, votes, total, comments, len(members)), order))
    return [row for row, _order in sorted(rows, key=lambda r: (-r[0][3], r[1]))]


def render(program: Program, challenges: list[Challenge], results: Results, lang: str) -> str:
    here = urls.results_page(lang, program.id)
    home = urls.url_of(urls.content_page(lang, "index"))
    program_url = urls.url_of(urls.program_home(lang, program.id))
    by_id = {c.id: c for c in challenges}
    title = text(lang, "title", program=program.title[lang])
    state = "final" if results.final else "provisional"
    compiled = results.generated_at.astimezone(zoneinfo.ZoneInfo(program.window.timezone))
    out = [
        front_matter(title, description=text(lang, "intro")[:300]),
        breadcrumb(
            lang, here, [(ui(lang, "home"), home), (program.title[lang], program_url), (text(lang, "crumb"), None)]
        ),
        "\n",
        md_heading(title),
        "\n",
        f'<p class="dc-status"><span class="dc-badge dc-badge--results-{state}">'
        f"{escape(text(lang, 'badge_' + state))}</span></p>\n\n",
        f'<p class="dc-lead">{escape(text(lang, state + "_note", date=date(lang, compiled, with_time=True)))}</p>\n\n',
        f"<p>{escape(text(lang, 'intro'))}</p>\n\n",
        _section(lang, "key_figures", "key-figures", _key_figures(results, lang)),
        _section(lang, "by_channel", "channels", _channels(results, lang)),
    ]
    rows = challenge_rows(results, by_id, lang)
    out.append(
        _section(
            lang,
            "by_challenge",
            "challenges",
            f'<p class="dc-note">{escape(text(lang, "by_challenge_note"))}</p>'
            + chart("chart-challenges", text(lang, "chart_challenges"), rows, results.channels, lang)
            + table(lang, here, "challenges", rows, results.channels, ranked=True, totals=results),
        )
    )
    for facet, key, anchor in (("theme", "by_theme", "themes"), ("sdg", "by_sdg", "sdgs")):
        facet_table = facet_rows(results, by_id, lang, facet)
        out.append(
            _section(
                lang,
                key,
                anchor,
                f'<p class="dc-note">{escape(text(lang, facet + "_note"))}</p>'
                + chart(f"chart-{anchor}", text(lang, f"chart_{anchor}"), facet_table, results.channels, lang)
                + table(lang, here, anchor, facet_table, results.channels),
            )
        )
    out.append(_section(lang, "moderation", "moderation", _moderation(results, lang)))
    if results.proposals:
        items = "".join(
            f"<li>{escape(text(lang, 'p_' + key, n=number(lang, n)))}</li>" for key, n in results.proposals.items()
        )
        out.append(_section(lang, "proposals", "proposals", f"<ul>{items}</ul>"))
    if results.verification:
        v = results.verification
        methods = [m for m in VERIFICATION_METHODS if m in v["votes"] or m in v["verifications"]]
        items = "".join(
            "<li>"
            + escape(
                text(
                    lang,
                    "v_line",
                    method=text(lang, "v_" + m),
                    votes=number(lang, v["votes"].get(m, 0)),
                    **{
                        o: number(lang, v["verifications"].get(m, {}).get(o, 0))
                        for o in ("requested", "completed", "refused")
                    },
                )
            )
            + "</li>"
            for m in methods
        )
        body = f"<p>{escape(text(lang, 'v_intro'))}</p><ul>{items}</ul>"
        out.append(_section(lang, "verification", "verification", body))
    out.append(_section(lang, "open_data", "open-data", _open_data(program, results, lang, here)))
    return "".join(out)


def home_block(program: Program, results: Results, lang: str) -> Html:
    """The section of a program's home page that links to its results (program.py puts it before the partners)."""
    here = urls.program_home(lang, program.id)
    target = urls.url_of(urls.results_page(lang, program.id))
    sentence = text(lang, "home_final" if results.final else "home_provisional")
    return Html(
        f'<h2 id="results">{escape(text(lang, "home_heading"))}</h2>\n'
        f"<p>{escape(sentence)}</p>\n"
        f"<p>{link(here, target, text(lang, 'home_link'), css='md-button md-button--primary')}</p>"
    )


def _section(lang: str, key: str, anchor: str, html: str) -> str:
    """A Markdown heading (so that the table of contents lists it) over one block of generated HTML."""
    return "\n" + md_heading(text(lang, key), 2, anchor) + "\n" + f'<div class="dc-results-block">{html}</div>\n\n'


def _key_figures(results: Results, lang: str) -> str:
    figures = [
        (results.votes(), "kpi_votes"),
        (results.comments, "kpi_comments"),
    ]
    if results.proposals and "received" in results.proposals:
        figures.append((results.proposals["received"], "kpi_proposals"))
    figures.append((len(results.challenges), "kpi_challenges"))
    items = "".join(
        f'<li><span class="dc-kpi__n">{number(lang, n)}</span> '
        f'<span class="dc-kpi__label">{escape(nt(lang, TEXT[key], n))}</span></li>'
        for n, key in figures
    )
    return f'<ul class="dc-kpis">{items}</ul>'


def _channels(results: Results, lang: str) -> str:
    total = results.votes()
    items = "".join(
        f"<li>{_swatch(channel, 'channels')} "
        + escape(
            text(
                lang,
                "channel_line",
                channel=gettext(lang, CHANNELS[channel]),
                n=number(lang, results.votes(channel)),
                share=percent(lang, results.votes(channel), total),
            )
        )
        + "</li>"
        for channel in results.channels
    )
    return f'<ul class="dc-channels">{items}</ul><p>{escape(text(lang, "channel_note"))}</p>'


def _pattern_defs(prefix: str, channels: tuple[str, ...]) -> str:
    defs = []
    for channel in channels:
        colour, pattern = CHANNEL_STYLE[channel]
        if not pattern:
            continue
        if pattern == "stripes":
            marks = '<rect x="0" y="0" width="3" height="8" fill="#ffffff"/>'
            size, transform = 8, ' patternTransform="rotate(45)"'
        elif pattern == "dots":
            marks = '<circle cx="3" cy="3" r="1.5" fill="#ffffff"/>'
            size, transform = 6, ""
        else:
            marks = '<rect x="0" y="0" width="6" height="2" fill="#ffffff"/>'
            size, transform = 6, ""
        defs.append(
            f'<pattern id="{prefix}-{channel}" width="{size}" height="{size}" patternUnits="userSpaceOnUse"{transform}>'
            f'<rect width="{size}" height="{size}" fill="{colour}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(prefix: str, channel: str) -> str:
    colour, pattern = CHANNEL_STYLE[channel]
    return f"url(#{prefix}-{channel})" if pattern else colour


def _swatch(channel: str, where: str) -> str:
    """A small sample of a channel's fill, for legends; decorative (the channel's name follows it).

    `where` makes the ids of its pattern unique in the page.
    """
    prefix = f"swatch-{where}"
    return (
        f'<svg class="dc-swatch" width="28" height="16" aria-hidden="true" focusable="false">'
        f"{_pattern_defs(prefix, (channel,))}"
        f'<rect x="0.5" y="0.5" width="27" height="15" fill="{_fill(prefix, channel)}" stroke="{CHANNEL_STYLE[channel][0]}"/>'
        "</svg>"
    )


def _wrap(label: str, width: int = WRAP) -> list[str]:
    lines, current = [], ""
    for word in label.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + ([current] if current else [])


def chart(chart_id: str, title: str, rows: list[Row], channels: tuple[str, ...], lang: str) -> str:
    """A horizontal bar chart, bars stacked by channel, each bar labelled with its name and its total."""
    largest = max((r[3] for r in rows), default=0) or 1
    # A right-to-left language reads the chart mirrored: bars grow from the right edge. The SVG's text inherits
    # the page's direction, so its default anchor (start) is already the right end of each label and value.
    rtl = direction(lang) == "rtl"
    edge = "100%" if rtl else "0"
    parts, y = [], 0
    for label, _url, votes, total, _comments, _n in rows:
        lines = _wrap(label)
        tspans = "".join(
            f'<tspan x="{edge}" dy="{LABEL_LINE if i else 0}">{escape(line)}</tspan>' for i, line in enumerate(lines)
        )
        parts.append(f'<text class="dc-chart__label" x="{edge}" y="{y + 14}">{tspans}</text>')
        y += LABEL_LINE * len(lines) + 4
        x = 0.0
        for channel in channels:
            if votes[channel] == 0:
                continue
            width = BAR_SPACE * votes[channel] / largest
            left = 100 - x - width if rtl else x
            parts.append(
                f'<rect x="{left:.3f}%" y="{y}" width="{width:.3f}%" height="{BAR}" '
                f'fill="{_fill(chart_id, channel)}" stroke="#ffffff" stroke-width="1"/>'
            )
            x += width
        parts.append(
            f'<text class="dc-chart__value" x="{100 - x if rtl else x:.3f}%" dx="{-6 if rtl else 6}" y="{y + BAR - 5}">'
            f"{escape(number(lang, total))}</text>"
        )
        y += BAR + ROW_GAP
    height = max(y - ROW_GAP + 2, 1)
    legend = ""
    if len(channels) > 1:
        items = "".join(f"<li>{_swatch(ch, chart_id)} {escape(gettext(lang, CHANNELS[ch]))}</li>" for ch in channels)
        legend = (
            f'<figcaption class="dc-chart__legend"><span class="dc-visually-hidden">{escape(text(lang, "legend"))}'
            f"</span><ul>{items}</ul></figcaption>"
        )
    return (
        f'<figure class="dc-chart">'
        f'<svg class="dc-chart__svg" width="100%" height="{height}" role="img" aria-labelledby="{chart_id}-title" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f"{_pattern_defs(chart_id, channels)}{''.join(parts)}</svg>{legend}</figure>"
    )


def _ranks(rows: list[Row]) -> list[int]:
    """Competition ranking: equal totals share a rank (1, 2, 2, 4)."""
    ranks = []
    for i, row in enumerate(rows):
        ranks.append(ranks[-1] if i and row[3] == rows[i - 1][3] else i + 1)
    return ranks


def table(
    lang: str,
    here: str,
    kind: str,
    rows: list[Row],
    channels: tuple[str, ...],
    ranked: bool = False,
    totals: Results | None = None,
) -> str:
    """The chart's numbers as a data table, in a container that scrolls on its own on narrow screens."""
    caption_id = f"table-{kind}"
    first = {"challenges": "challenge", "themes": "theme", "sdgs": "sdg"}[kind]
    head = [text(lang, "rank")] if ranked else []
    head += [text(lang, first)]
    head += [] if kind == "challenges" else [text(lang, "challenges_n")]
    head += [gettext(lang, CHANNELS[ch]) for ch in channels] + [text(lang, "total"), text(lang, "comments")]
    name_column = 1 if ranked else 0
    numeric = ' class="dc-num"'
    ths = "".join(f'<th scope="col"{"" if i == name_column else numeric}>{escape(h)}</th>' for i, h in enumerate(head))
    body = []
    for rank, (label, url, votes, total, comments, n) in zip(_ranks(rows), rows, strict=True):
        cells = [f'<td class="dc-num">{rank}</td>'] if ranked else []
        name = link(here, url, label) if url else escape(label)
        cells.append(f'<th scope="row">{name}</th>')
        if kind != "challenges":
            cells.append(f'<td class="dc-num">{number(lang, n)}</td>')
        cells += [f'<td class="dc-num">{number(lang, votes[ch])}</td>' for ch in channels]
        cells += [f'<td class="dc-num"><strong>{number(lang, total)}</strong></td>']
        cells += [f'<td class="dc-num">{number(lang, comments)}</td>']
        body.append(f"<tr>{''.join(cells)}</tr>")
    foot = ""
    if totals is not None:
        cells = ["<td></td>"] if ranked else []
        cells.append(f'<th scope="row">{escape(text(lang, "all"))}</th>')
        cells += [f'<td class="dc-num">{number(lang, totals.votes(ch))}</td>' for ch in channels]
        cells += [f'<td class="dc-num"><strong>{number(lang, totals.votes())}</strong></td>']
        cells += [f'<td class="dc-num">{number(lang, totals.comments)}</td>']
        foot = f"<tfoot><tr>{''.join(cells)}</tr></tfoot>"
    return (
        f'<div class="dc-table-scroll" role="region" aria-labelledby="{caption_id}" tabindex="0">'
        f'<table class="dc-data"><caption id="{caption_id}">{escape(text(lang, "caption_" + kind))}</caption>'
        f"<thead><tr>{ths}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table></div>"
    )


def _moderation(results: Results, lang: str) -> str:
    record = results.moderation
    hidden, rejected = sum(record.hidden.values()), sum(record.rejected.values())
    items = [text(lang, "m_published", n=number(lang, record.published))]
    if record.pending:
        items.append(text(lang, "m_pending", n=number(lang, record.pending)))
    items += [text(lang, "m_hidden", n=number(lang, hidden)), text(lang, "m_rejected", n=number(lang, rejected))]
    out = f"<p>{escape(text(lang, 'moderation_intro'))}</p><ul>{''.join(f'<li>{escape(i)}</li>' for i in items)}</ul>"
    reasons = [r for r in REASONS if record.hidden.get(r) or record.rejected.get(r)]
    if not reasons:
        return out + f"<p>{escape(text(lang, 'm_none'))}</p>"
    rows = "".join(
        f'<tr><th scope="row">{escape(gettext(lang, RECORD_CATEGORIES[r]))}</th>'
        f'<td class="dc-num">{number(lang, record.hidden.get(r, 0))}</td>'
        f'<td class="dc-num">{number(lang, record.rejected.get(r, 0))}</td></tr>'
        for r in reasons
    )
    return out + (
        '<div class="dc-table-scroll" role="region" aria-labelledby="table-moderation" tabindex="0">'
        f'<table class="dc-data"><caption id="table-moderation">{escape(text(lang, "caption_moderation"))}</caption>'
        f'<thead><tr><th scope="col">{escape(text(lang, "reason"))}</th>'
        f'<th scope="col" class="dc-num">{escape(text(lang, "hidden"))}</th>'
        f'<th scope="col" class="dc-num">{escape(text(lang, "rejected"))}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _open_data(program: Program, results: Results, lang: str, here: str) -> str:
    licence = f'<a href="{escape(results.licence.path)}" rel="noopener license">{escape(results.licence.title)}</a>'
    statement = escape(text(lang, "licence_" + results.licence.name, licence="\0", program=program.title[lang]))
    items = []
    for name in results.files:
        size = max(1, round((results.folder / name).stat().st_size / 1024))
        kind = name.rsplit(".", 1)[1].upper()
        href = urls.relative(here, urls.results_file(program.id, name))
        items.append(
            f'<li><a href="{escape(href)}" type="{"text/csv" if kind == "CSV" else "application/json"}">'
            f"{escape(name)}</a> – {escape(text(lang, 'file_' + name))} "
            f'<span class="dc-note">({kind}, {escape(text(lang, "kb", n=number(lang, size)))})</span></li>'
        )
    return (
        f"<p>{statement.replace(chr(0), licence)} {escape(text(lang, 'no_personal_data'))}</p>"
        f'<h3 id="downloads">{escape(text(lang, "downloads"))}</h3><ul class="dc-downloads">{"".join(items)}</ul>'
    )
