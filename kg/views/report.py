"""Stage 6 — report: the analyses as Markdown and a self-contained HTML page, with pictures.

``write_report(G, out)`` writes

* ``report.md`` (pictures beside it as SVG files),
* ``report.html``: one file, no scripts, no external URLs; the pictures are inline
  SVG (hover titles, links to the sections), long evidence sits in ``<details>``,
  and every string from an article is escaped,
* ``network.graphml`` and ``network.gexf`` for Gephi (the whole typed, signed
  graph of :func:`kg.analyze.to_networkx`).

Both documents are rendered from one list of blocks (heading, paragraph, list,
table, figure, evidence, details, sentences in context), so they always say the
same thing. The pictures are drawn here as SVG with text measured in DejaVu Sans,
so labels are wrapped, never cut, and laid out where they cannot overlap.
"""
from __future__ import annotations

import html
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import networkx as nx

from kg.views import analyze as an
from kg.views import network_files
from kg.rdf.io import write_atomic
from kg.ingest import md_code, md_escape   # (with one_line: text shown to people, escaped)

# --------------------------------------------------------------------------
# A tiny document model


@dataclass
class Code:
    """Inline code (keys, document ids)."""
    text: str


@dataclass
class Link:
    """An inline link to an anchor of the page (``#…``)."""
    text: object
    href: str


@dataclass
class Heading:
    level: int
    text: object
    anchor: str = ""


@dataclass
class Para:
    parts: object


@dataclass
class Bullets:
    items: list


@dataclass
class Table:
    headers: list
    rows: list
    css: str = ""


@dataclass
class Figure:
    """A picture: inline SVG in the page, a file beside report.md."""
    name: str
    alt: str
    svg: str


@dataclass
class Evidence:
    """Evidence sentences: each item has ``source`` (inline), ``href`` (its sentence in
    context) and ``segments`` ((text, role) pairs; role actor | trigger | target | None)."""
    items: list = field(default_factory=list)


@dataclass
class Details:
    """A summary line with blocks folded under it (``<details>`` in the page)."""
    summary: object
    blocks: list


@dataclass
class Sentences:
    """An article's sentences in context: dicts with ``anchor`` (cited ones), ``index``,
    ``start``, ``end``, ``text``, ``file``; None stands for sentences left out."""
    items: list


def _parts(inline) -> list:
    if isinstance(inline, (list, tuple)):
        return list(inline)
    return [inline]


ROLE_NAMES = {"actor": "actor", "trigger": "trigger", "target": "target"}


# ---- Markdown

def _render(inline, code, link, text) -> str:
    """Inline parts through one renderer per kind (Code, Link, plain text)."""
    return "".join(code(p) if isinstance(p, Code) else link(p) if isinstance(p, Link) else text(p)
                   for p in _parts(inline))


def _md_inline(inline, table: bool = False) -> str:
    return _render(inline, lambda p: md_code(p.text, table),
                   lambda p: f"[{_md_inline(p.text, table)}]({p.href})", md_escape)


def _md_segments(segments) -> str:
    # a zero-width space keeps two marked words apart (****: no emphasis at all)
    return "\u200b".join(f"**{md_escape(t)}**" if role else md_escape(t) for t, role in segments)


def _md_blocks(blocks: list) -> list[str]:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f'<a id="{b.anchor}"></a>' if b.anchor else ""
            lines += ["#" * b.level + " " + _md_inline(b.text) + (" " + anchor if anchor else ""), ""]
        elif isinstance(b, Para):
            lines += [_md_inline(b.parts), ""]
        elif isinstance(b, Bullets):
            lines += ["- " + _md_inline(i) for i in b.items] + [""]
        elif isinstance(b, Table):
            lines.append("| " + " | ".join(_md_inline(h, True) for h in b.headers) + " |")
            lines.append("|" + "|".join("---" for _ in b.headers) + "|")
            lines += ["| " + " | ".join(_md_inline(c, True) for c in row) + " |" for row in b.rows]
            lines.append("")
        elif isinstance(b, Figure):
            lines += [f"![{md_escape(b.alt)}]({b.name})", ""]
        elif isinstance(b, Evidence):
            lines += [f"> {_md_inline(Link(it['source'], it['href']))}: {_md_segments(it['segments'])}  "
                      for it in b.items] + [""]
        elif isinstance(b, Details):
            lines += [_md_inline(b.summary), ""] + _md_blocks(b.blocks)
        elif isinstance(b, Sentences):
            for it in b.items:
                if it is None:
                    lines.append("- …")
                elif it.get("anchor"):
                    lines.append(f'- <a id="{it["anchor"]}"></a>**#{it["index"]}** '
                                 f"(characters {it['start']}–{it['end']}): {md_escape(it['text'])}")
                else:
                    lines.append(f"- #{it['index']}: {md_escape(it['text'])}")
            lines.append("")
    return lines


def to_markdown(blocks: list) -> str:
    return "\n".join(_md_blocks(blocks)).rstrip() + "\n"


# ---- HTML

def esc(text) -> str:
    return html.escape(str(text), quote=True)


def _html_inline(inline) -> str:
    return _render(inline, lambda p: f"<code>{esc(p.text)}</code>",
                   lambda p: f'<a href="{esc(p.href)}">{_html_inline(p.text)}</a>', esc)


def _html_segments(segments) -> str:
    return "".join(f'<mark class="{role}">{esc(t)}<span class="role">{ROLE_NAMES[role]}</span></mark>'
                   if role else esc(t) for t, role in segments)


CSS = """
body{font-family:"DejaVu Sans","Liberation Sans","WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif;
     margin:2em auto;max-width:1200px;padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444}h2{border-bottom:1px solid #bbb;margin-top:2em}
h3{margin-top:1.8em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f0f0f0}tr.for td:first-child{color:#1a7f37;font-weight:bold}
tr.against td:first-child{color:#c62828;font-weight:bold}
ul.evidence{margin:.3em 0 1em 0;padding:.2em .8em;border-left:4px solid #ddd;list-style:none;font-size:.92em}
ul.evidence li{margin:.35em 0}code{background:#f4f4f4;padding:0 .2em}
mark{padding:.05em .2em;border-radius:.3em;line-height:1.9}
mark .role{font-size:.62em;font-weight:bold;text-transform:uppercase;margin-left:.3em;vertical-align:middle;
           color:#333}
mark.actor{background:#cfe3ff}mark.trigger{background:#ffe0a6}mark.target{background:#d9f2d0}
details{margin:.3em 0 .6em}summary{cursor:pointer;color:#333}
figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.9em;color:#555}.charts{display:flex;flex-wrap:wrap;gap:1em}
ol.context{font-size:.92em;list-style:none;padding-left:.5em}
ol.context li{margin:.2em 0;color:#777}ol.context li.cited{color:#222}
ol.context li:target{background:#fff4c2}.where{color:#666;font-size:.85em}
"""

# No script may run, no resource may load from anywhere but the page itself.
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _html_blocks(blocks: list) -> list[str]:
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f' id="{esc(b.anchor)}"' if b.anchor else ""
            body.append(f"<h{b.level}{anchor}>{_html_inline(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            body.append(f"<p>{_html_inline(b.parts)}</p>")
        elif isinstance(b, Bullets):
            body.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{_html_inline(h)}</th>" for h in b.headers)
            rows = []
            for row in b.rows:
                css = ""
                if b.css == "sides" and row and isinstance(row[0], str) and row[0] in ("for", "against"):
                    css = f' class="{esc(row[0])}"'
                rows.append(f"<tr{css}>" + "".join(f"<td>{_html_inline(c)}</td>" for c in row) + "</tr>")
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif isinstance(b, Figure):
            body.append(f'<figure>{b.svg}<figcaption>{esc(b.alt)}</figcaption></figure>')
        elif isinstance(b, Evidence):
            body.append('<ul class="evidence">' + "".join(
                f'<li class="fact"><a class="ctx" href="{esc(it["href"])}">{_html_inline(it["source"])}</a>: '
                f'{_html_segments(it["segments"])}</li>' for it in b.items) + "</ul>")
        elif isinstance(b, Details):
            body.append(f"<details><summary>{_html_inline(b.summary)}</summary>"
                        + "\n".join(_html_blocks(b.blocks)) + "</details>")
        elif isinstance(b, Sentences):
            items = []
            for it in b.items:
                if it is None:
                    items.append("<li>…</li>")
                elif it.get("anchor"):
                    items.append(f'<li class="cited" id="{esc(it["anchor"])}" data-file="{esc(it["file"])}" '
                                 f'data-start="{it["start"]}" data-end="{it["end"]}">'
                                 f'<span class="where">#{it["index"]} · characters {it["start"]}–{it["end"]}</span> '
                                 f'<q>{esc(it["text"])}</q></li>')
                else:
                    items.append(f'<li><span class="where">#{it["index"]}</span> {esc(it["text"])}</li>')
            body.append('<ol class="context">' + "".join(items) + "</ol>")
    return body


def to_html(blocks: list, title: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(_html_blocks(blocks)) + "\n</body></html>\n")


# --------------------------------------------------------------------------
# SVG pictures: text measured in DejaVu Sans (the font the page asks for), wrapped to fit

FONT_FAMILY = "DejaVu Sans, sans-serif"
FONT_PX = 12
LINE_PX = 15
WIDTH = 1160            # the page's column (max-width 1200 px less padding)
OPEN_COLOUR, CLOSE_COLOUR = "#1a7f37", "#c62828"
SIDE_COLOUR = {"for": OPEN_COLOUR, "against": CLOSE_COLOUR}


@lru_cache(maxsize=4)
def _font(px: int):
    # local: PIL and matplotlib's font folder only when a picture is drawn
    import matplotlib
    from PIL import ImageFont
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), px)


@lru_cache(maxsize=8192)
def _char_width(ch: str, px: int) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return float(px)          # Han and full-width forms: one em in any CJK font
    return float(_font(px).getlength(ch))


def text_width(text: str, px: int = FONT_PX) -> float:
    """Width of ``text`` in pixels, a little generous (kerning ignored, 6 % spare)."""
    return 1.06 * sum(_char_width(c, px) for c in text)


def wrap(text: str, width: float, px: int = FONT_PX) -> list[str]:
    """Lines of at most ``width`` pixels: breaks at spaces, or anywhere in a word too long
    for a line (and between Han characters)."""
    tokens = re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+",
                        text)
    lines, line = [], ""
    for tok in tokens:
        if tok.isspace():
            if line:
                line += " "
            continue
        while text_width(tok, px) > width:   # a token longer than a line: cut it where it must
            cut = max(1, max(i for i in range(1, len(tok) + 1) if text_width(tok[:i], px) <= width or i == 1))
            if line.strip():
                lines.append(line.rstrip())
                line = ""
            lines.append(tok[:cut])
            tok = tok[cut:]
        if text_width(line + tok, px) <= width:
            line += tok
        else:
            lines.append(line.rstrip())
            line = tok
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class Svg:
    """An SVG picture built element by element; every text is escaped."""

    def __init__(self, width: float, label: str):
        self.width, self.height, self.label, self.parts = width, 0.0, label, []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(self, x: float, y: float, lines: list[str], anchor: str = "start", px: int = FONT_PX,
             css: str = "label", fill: str = "#222", weight: str = "normal", href: str = "",
             title: str = "") -> float:
        """Lines of text whose first baseline is at ``y``; returns the y below the last line."""
        spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE_PX}">{esc(line)}</tspan>'
                        for i, line in enumerate(lines))
        tip = f"<title>{esc(title)}</title>" if title else ""
        el = (f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" font-size="{px}" text-anchor="{anchor}" '
              f'fill="{fill}" font-weight="{weight}">{tip}{spans}</text>')
        self.add(f'<a href="{esc(href)}">{el}</a>' if href else el)
        return y + LINE_PX * (len(lines) - 1) + (LINE_PX - px)

    def markup(self) -> str:
        h = math.ceil(self.height)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" height="{h}" '
                f'viewBox="0 0 {self.width:.0f} {h}" font-family="{FONT_FAMILY}" role="img" '
                f'aria-label="{esc(self.label)}"><title>{esc(self.label)}</title>'
                + "".join(self.parts) + "</svg>")


def _box_height(lines: int) -> float:
    return LINE_PX * lines + 8


def influence_figure(influence: list[dict]) -> str:
    """Decision-centred influence diagram: the decisions someone pushed, in time order, down the
    middle; who pushed for them on the left, against on the right; edge width by influence weight."""
    decs = [d for d in influence if d["for"] or d["against"]]
    svg = Svg(WIDTH, "Who pushed each decision, and how hard")
    label_w, gap, box_w = 300.0, 110.0, 320.0
    box_x = label_w + gap
    right_x = box_x + box_w + gap
    top = max((e["weight"] for d in decs for side in ("for", "against") for e in d[side]), default=1.0) or 1.0
    y = 6.0
    svg.text(label_w, y + FONT_PX, ["pushed for ←"], anchor="end", weight="bold", fill=OPEN_COLOUR)
    svg.text(box_x + box_w / 2, y + FONT_PX, ["decision (in time order)"], anchor="middle", weight="bold")
    svg.text(right_x, y + FONT_PX, ["→ pushed against"], weight="bold", fill=CLOSE_COLOUR)
    y += LINE_PX + 14
    if not decs:
        svg.text(4, y + FONT_PX, ["No actor is recorded pushing any decision."])
        svg.height = y + 2 * LINE_PX
        return svg.markup()
    for d in decs:
        box_lines = wrap(d["label"], box_w - 16)
        sides = {}
        for side in ("for", "against"):
            sides[side] = [(e, wrap(f"{e['label']} · {e['weight']:.2g}", label_w - 10)) for e in d[side]]
        stack = {side: sum(_box_height(len(lines)) - 4 for _, lines in rows) for side, rows in sides.items()}
        box_h = _box_height(len(box_lines))
        row_h = max(box_h, stack["for"], stack["against"])
        box_y = y + (row_h - box_h) / 2
        fill = "#e3f4e6" if d["direction"] == "open" else "#fbe3e3"
        anchor = f"#{d['decision']}"
        svg.add(f'<a href="{esc(anchor)}"><rect x="{box_x:.1f}" y="{box_y:.1f}" width="{box_w:.1f}" '
                f'height="{box_h:.1f}" rx="5" fill="{fill}" stroke="#555"><title>{esc(d["label"])} '
                f'({esc(d["decision"])}): the {esc(d["prevailed"])} side prevailed</title></rect></a>')
        svg.text(box_x + box_w / 2, box_y + 4 + FONT_PX, box_lines, anchor="middle", href=anchor)
        for side, rows in sides.items():
            ty = y + (row_h - stack[side]) / 2
            for e, lines in rows:
                h = _box_height(len(lines)) - 4
                mid = ty + h / 2
                width = 1 + 7 * e["weight"] / top
                x0, x1 = (label_w + 6, box_x) if side == "for" else (right_x - 6, box_x + box_w)
                tip = (f"{e['label']} pushed {side} it: weight {e['weight']:.3g} from {e['evidence_count']} "
                       f"sentence(s) in {len(e['articles'])} article(s); {'; '.join(e['how'])}")
                svg.add(f'<path d="M{x0:.1f},{mid:.1f} C{(x0 + x1) / 2:.1f},{mid:.1f} '
                        f'{(x0 + x1) / 2:.1f},{box_y + box_h / 2:.1f} {x1:.1f},{box_y + box_h / 2:.1f}" '
                        f'fill="none" stroke="{SIDE_COLOUR[side]}" stroke-opacity="0.7" '
                        f'stroke-width="{width:.1f}"><title>{esc(tip)}</title></path>')
                tx = label_w if side == "for" else right_x
                svg.text(tx, ty + 2 + FONT_PX, lines, anchor="end" if side == "for" else "start",
                         href=anchor, title=tip)
                ty += h
        y += row_h + 12
        svg.add(f'<line x1="0" x2="{WIDTH}" y1="{y - 6:.1f}" y2="{y - 6:.1f}" stroke="#eee"/>')
    svg.height = y + 4
    return svg.markup()


def _when(value: str | None) -> date | None:
    span = an.date_interval(value)
    return span[0] if span else None


#: a gap between decisions longer than this many days is folded (a broken axis)
FOLD_DAYS = 180


def _segments(days: list[date]) -> list[tuple[date, date]]:
    """The dates cut into runs with no gap longer than FOLD_DAYS, each padded a little."""
    days = sorted(set(days))
    runs = [[days[0], days[0]]]
    for d in days[1:]:
        if (d - runs[-1][1]).days > FOLD_DAYS:
            runs.append([d, d])
        else:
            runs[-1][1] = d
    pad = timedelta(days=12)
    return [(a - pad, b + pad) for a, b in runs]


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    """Month starts (or year starts, on long runs) inside [lo, hi], labelled."""
    if (hi - lo).days > 3 * 365:
        return [(date(y, 1, 1), str(y)) for y in range(lo.year + 1, hi.year + 1)]
    out, y, m = [], lo.year, lo.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = date(y, m, 1)
        if d > hi:
            return out
        out.append((d, f"{y}-{m:02d}"))


def timeline_figure(rows: list[dict]) -> str:
    """Decisions over time, one row each: filled = dated by the articles, hollow = placed at the
    first report; size = articles; green opens, red closes. Long empty stretches are folded
    (the axis breaks, marked //), so a lone early decision does not squeeze the rest."""
    placed = [(r, _when(r["when"])) for r in rows]
    placed = [(r, d) for r, d in placed if d]
    svg = Svg(WIDTH, "Decision timeline")
    if not placed:
        svg.text(4, FONT_PX + 4, ["No dated decisions."])
        svg.height = LINE_PX + 10
        return svg.markup()
    label_w, plot_x0, plot_x1 = 430.0, 470.0, WIDTH - 70.0
    segs = _segments([d for _, d in placed])
    break_px = 26.0
    avail = plot_x1 - plot_x0 - break_px * (len(segs) - 1)
    spans = [max((b - a).days, 1) for a, b in segs]
    min_px = 90.0
    widths = [max(min_px, avail * s / sum(spans)) for s in spans]
    scale = avail / sum(widths)
    widths = [w * scale for w in widths]
    starts, x = [], plot_x0
    for w in widths:
        starts.append(x)
        x += w + break_px

    def xpos(d: date) -> float:
        for (a, b), x0, w in zip(segs, starts, widths):
            if a <= d <= b:
                return x0 + w * (d - a).days / max((b - a).days, 1)
        return plot_x0

    y = 4.0
    for i, (r, d) in enumerate(placed):
        lines = wrap(r["label"], label_w - 8)
        radius = 4 + 2 * math.sqrt(max(r["num_articles"], 1))
        h = max(_box_height(len(lines)), 2 * radius + 6)
        if i % 2 == 0:
            svg.add(f'<rect x="0" y="{y:.1f}" width="{WIDTH}" height="{h:.1f}" fill="#000" fill-opacity="0.035"/>')
        colour = OPEN_COLOUR if r["direction"] == "open" else CLOSE_COLOUR
        svg.text(4, y + 4 + FONT_PX, lines, href=f"#{r['decision']}")
        cx, cy = xpos(d), y + h / 2
        when = r["date"] or f"first reported {r['first_reported']}"
        tip = f"{r['label']}: {when}; {r['num_articles']} article(s), {r['num_mentions']} mention(s)"
        svg.add(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{colour if r["dated"] else "white"}" '
                f'stroke="{colour}" stroke-width="2"><title>{esc(tip)}</title></circle>')
        note = f"{r['num_articles']} art."
        right = cx + radius + 4 + text_width(note) <= WIDTH - 2
        svg.text(cx + radius + 4 if right else cx - radius - 4, cy + FONT_PX / 2 - 1, [note],
                 anchor="start" if right else "end", fill="#555", css="note")
        y += h
    axis_y = y + 6
    for (a, b), x0, w in zip(segs, starts, widths):
        svg.add(f'<line x1="{x0:.1f}" x2="{x0 + w:.1f}" y1="{axis_y:.1f}" y2="{axis_y:.1f}" stroke="#444"/>')
    for x0 in starts[1:]:
        for dx in (-16, -10):
            svg.add(f'<line x1="{x0 + dx:.1f}" x2="{x0 + dx + 6:.1f}" y1="{axis_y + 5:.1f}" y2="{axis_y - 5:.1f}" '
                    f'stroke="#444"/>')
    last_right, grid = -1e9, []
    for (a, b), x0, w in zip(segs, starts, widths):
        ticks = _ticks(a, b) or [(a + (b - a) / 2, f"{(a + (b - a) / 2).year}")]
        for d, text in ticks:
            tx = xpos(d)
            half = text_width(text) / 2
            if tx - half < last_right + 8 or tx + half > WIDTH - 2 or tx - half < label_w:
                continue
            grid.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="4" y2="{axis_y + 4:.1f}" stroke="#ddd"/>')
            svg.text(tx, axis_y + 6 + FONT_PX, [text], anchor="middle", fill="#444", css="tick")
            last_right = tx + half
    svg.parts[:0] = grid          # behind the rows
    svg.height = axis_y + 8 + LINE_PX
    return svg.markup()


MEASURE_TITLES = {"degree": "Degree (evidence-weighted)", "pagerank": "PageRank",
                  "betweenness": "Betweenness", "hubs": "HITS hubs", "authorities": "HITS authorities"}
#: a measure is charted when at least this many actors score above zero …
SPREAD_MIN_ACTORS = 3
#: … and its top scores differ by at least this share of the highest
SPREAD_MIN_RANGE = 0.2


def has_spread(values: list[float]) -> bool:
    """Whether a measure's top scores tell actors apart: enough actors above zero, and not all alike."""
    values = sorted((v for v in values if v > 0), reverse=True)
    return len(values) >= SPREAD_MIN_ACTORS and (values[0] - values[-1]) >= SPREAD_MIN_RANGE * values[0]


def centrality_figure(G: nx.MultiDiGraph, top: dict, measures: list[str]) -> str:
    """Bars of the top actors for each measure with spread, two charts a row."""
    svg = Svg(WIDTH, "Top actors per centrality measure")
    chart_w, label_w = (WIDTH - 40) / 2, 200.0
    y_row, x_col = 4.0, [0.0, chart_w + 40]
    row_bottom = y_row
    for i, m in enumerate(measures):
        x0 = x_col[i % 2]
        if i % 2 == 0:
            y_row = row_bottom + (12 if i else 0)
        y = svg.text(x0, y_row + FONT_PX, [MEASURE_TITLES[m]], weight="bold") + 6
        rows = top.get(m, [])
        high = max((v for _, v in rows), default=1.0) or 1.0
        bar_x0, bar_x1 = x0 + label_w + 8, x0 + chart_w - 60
        for key, v in rows:
            lines = wrap(G.nodes[key]["label"], label_w - 4)
            h = _box_height(len(lines)) - 2
            svg.text(x0 + label_w, y + 3 + FONT_PX, lines, anchor="end")
            w = max((bar_x1 - bar_x0) * v / high, 1)
            svg.add(f'<rect x="{bar_x0:.1f}" y="{y + 3:.1f}" width="{w:.1f}" height="{LINE_PX - 2}" fill="#4e79a7">'
                    f'<title>{esc(G.nodes[key]["label"])}: {v:.4g}</title></rect>')
            svg.text(bar_x0 + w + 4, y + 3 + FONT_PX - 1, [f"{v:.3g}"], fill="#444", css="value")
            y += h
        row_bottom = max(row_bottom, y)
    svg.height = row_bottom + 6
    return svg.markup()


# --------------------------------------------------------------------------
# Pictures (matplotlib, Agg, SVG with text as paths: no fonts needed to view them)

def _pyplot():
    # local: matplotlib takes most of a second to import; only reports with pictures need it
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    plt.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "kg", "text.parse_math": False,
                         "font.family": "DejaVu Sans"})
    return plt


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt  # local: see _pyplot
    plt.close(fig)
    return buf.getvalue()


CAMP_COLOURS = ["#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
EDGE_STYLE = {"supports": ("#1a7f37", "solid"), "opposes": ("#c62828", "solid"),
              "decides": ("#222222", "dashed")}


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _layout(H: nx.MultiDiGraph, G: nx.MultiDiGraph) -> dict:
    """Kamada–Kawai per connected component (those with a decision in them), the
    largest on the left and the others stacked to its right, each scaled by its size."""
    simple = nx.Graph(H.to_undirected())
    comps = [c for c in nx.connected_components(simple)
             if any(G.nodes[n].get("kind") == "decision" for n in c)]
    comps.sort(key=lambda c: (-len(c), sorted(c)))
    pos: dict = {}
    if not comps:
        return pos
    big = len(comps[0])
    y = 1.0
    for i, comp in enumerate(comps):
        sub = simple.subgraph(comp)
        local = nx.kamada_kawai_layout(sub, weight=None) if len(comp) > 2 else \
            {n: (j * 0.6 - 0.3, 0.0) for j, n in enumerate(sorted(comp))}
        scale = (len(comp) / big) ** 0.5
        if i == 0:
            pos.update({n: (x * 1.0, yy * 1.0) for n, (x, yy) in local.items()})
        else:
            h = max(scale, 0.25)
            pos.update({n: (1.55 + x * scale * 0.5, y - h / 2 + yy * scale * 0.5) for n, (x, yy) in local.items()})
            y -= h + 0.1
    return pos


def network_figure(G: nx.MultiDiGraph, camps: list[dict], scores: dict) -> bytes:
    """The actors (coloured by camp, sized by PageRank) with the decisions (squares):
    green = supports, red = opposes, dashed = decides, grey = acts between actors."""
    plt = _pyplot()
    H = nx.MultiDiGraph()
    for u, v, k, e in G.edges(keys=True, data=True):
        kinds = (G.nodes[u].get("kind"), G.nodes[v].get("kind"))
        if kinds == ("actor", "actor") or kinds == ("actor", "decision"):
            H.add_edge(u, v, key=k, **e)
    fig, ax = plt.subplots(figsize=(16, 11))
    ax.set_axis_off()
    if len(H) == 0:
        ax.text(0.5, 0.5, "no actors or decisions in this graph", ha="center")
        return _svg(fig)
    pos = _layout(H, G)
    H = H.subgraph(pos).copy()
    camp = an.camp_of(camps)
    pr = scores.get("pagerank", {})
    top_pr = max(pr.values(), default=0) or 1
    for rel in ("act", "supports", "opposes", "decides"):
        edges = [(u, v) for u, v, k, e in H.edges(keys=True, data=True)
                 if (e["type"] == "act" if rel == "act" else k == rel)]
        if not edges:
            continue
        colour, style = EDGE_STYLE.get(rel, ("#9a9a9a", "solid"))
        widths = [min(1 + H.get_edge_data(u, v)[next(iter(H.get_edge_data(u, v)))]["weight"] * 0.6, 5)
                  for u, v in edges]
        nx.draw_networkx_edges(H, pos, edgelist=edges, ax=ax, edge_color=colour, style=style, width=widths,
                               arrows=True, arrowsize=12, alpha=0.75, node_size=500,
                               connectionstyle="arc3,rad=0.08")
    acts = [n for n in H if G.nodes[n].get("kind") == "actor"]
    decs = [n for n in H if G.nodes[n].get("kind") == "decision"]
    nx.draw_networkx_nodes(H, pos, nodelist=acts, ax=ax, node_shape="o",
                           node_size=[250 + 2200 * pr.get(n, 0) / top_pr for n in acts],
                           node_color=[CAMP_COLOURS[camp[n] % len(CAMP_COLOURS)] if n in camp else "#cccccc"
                                       for n in acts], edgecolors="#333333", linewidths=0.8)
    nx.draw_networkx_nodes(H, pos, nodelist=decs, ax=ax, node_shape="s", node_size=420,
                           node_color=["#c8e6c9" if G.nodes[d].get("direction") == "open" else "#ffcdd2"
                                       for d in decs], edgecolors="#333333", linewidths=0.8)
    labels = {n: _short(G.nodes[n]["label"], 40 if G.nodes[n].get("kind") == "decision" else 28) for n in H}
    nx.draw_networkx_labels(H, pos, labels=labels, ax=ax, font_size=8,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    from matplotlib.lines import Line2D  # local: see _pyplot
    legend = [Line2D([0], [0], color="#1a7f37", lw=2, label="supports decision"),
              Line2D([0], [0], color="#c62828", lw=2, label="opposes decision"),
              Line2D([0], [0], color="#222222", lw=1.5, ls="--", label="decides"),
              Line2D([0], [0], color="#9a9a9a", lw=1.5, label="act (lobbies, advises, criticizes, …)"),
              Line2D([0], [0], marker="s", color="w", markerfacecolor="#c8e6c9", markeredgecolor="#333",
                     markersize=10, label="decision: open"),
              Line2D([0], [0], marker="s", color="w", markerfacecolor="#ffcdd2", markeredgecolor="#333",
                     markersize=10, label="decision: close")]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=True)
    ax.set_title("Actors and decisions (actor colour = camp, size = PageRank)")
    return _svg(fig)


# --------------------------------------------------------------------------
# The report


def _pct(share: float | None) -> str:
    if share is None:
        return ""
    return f"{share * 100:g} %"


def sentence_anchor(doc: str, index: int) -> str:
    """The page anchor of a sentence: ``s-DOC-INDEX``, with any character of DOC outside
    [A-Za-z0-9_-] written as _hex_ (so any document id gives a valid, unique id)."""
    safe = re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", doc)
    return f"s-{safe}-{index}"


def highlight(G: nx.MultiDiGraph, ev: dict, actors: set[str], targets: set[str],
              report: bool = False) -> list[tuple[str, str | None]]:
    """The sentence of ``ev`` cut into (text, role) segments: the mentions of ``actors`` and
    ``targets`` where kg found them (their offsets, relative to the sentence's), and the
    trigger words that fired there: of the decision reports (``report``), else of the acts
    of ``actors``."""
    sent = G.graph.get("sentences", {}).get(ev["iri"])
    text = ev["text"]
    if not sent or not text:
        return [(text, None)]
    spans: list[tuple[int, int, str]] = []
    same_length = sent["start"] is not None and sent["end"] is not None and sent["end"] - sent["start"] == len(text)
    for start, end, key, surface in sent["mentions"]:
        role = "actor" if key in actors else "target" if key in targets else None
        if role is None:
            continue
        lo = start - sent["start"] if same_length else text.find(surface)
        if lo < 0 or (surface and text[lo:lo + len(surface)] != surface and not same_length):
            continue
        spans.append((lo, lo + (end - start if same_length else len(surface)), role))
    for trigger, agent in sent["triggers"]:
        if (agent == "") != report or (agent and agent not in actors):
            continue
        for m in re.finditer(re.escape(trigger), text):
            spans.append((m.start(), m.end(), "trigger"))
    spans.sort(key=lambda s: (s[0], -s[1], s[2]))
    segments, at = [], 0
    for lo, hi, role in spans:
        if lo < at or hi <= lo:
            continue            # overlaps one already marked (the longer, earlier one wins)
        if lo > at:
            segments.append((text[at:lo], None))
        segments.append((text[lo:hi], role))
        at = hi
    if at < len(text):
        segments.append((text[at:], None))
    return segments


def _evidence(G, evidence: list[dict], actors: set[str], targets: set[str], cited: set[str],
              report: bool = False) -> Evidence:
    arts = G.graph.get("articles", {})
    items = []
    for e in evidence:
        cited.add(e["iri"])
        date_ = arts.get(e["doc"], {}).get("date", "")
        source = [Code(f"{e['doc']}#{e['sentence']}")] + ([f" ({date_})"] if date_ else [])
        if e.get("timing") == "before" and e.get("days_before") is not None:
            source.append(f", {e['days_before']} days before")
        items.append({"source": source, "href": "#" + sentence_anchor(e["doc"], e["sentence"]),
                      "segments": highlight(G, e, actors, targets, report)})
    return Evidence(items)


def sentences_of(G: nx.MultiDiGraph, doc: str) -> list[dict]:
    """The sentences of one article in order, from an index made once per graph (each
    article line of the report asks for them: scanning every sentence each time made the
    report quadratic in the corpus)."""
    index = G.graph.get("_sentences_by_doc")
    if index is None:
        index = {}
        for s in G.graph.get("sentences", {}).values():
            index.setdefault(s["doc"], []).append(s)
        for sents in index.values():
            sents.sort(key=lambda s: s["sentence"])
        G.graph["_sentences_by_doc"] = index
    return index.get(doc, [])


def article_title(G: nx.MultiDiGraph, doc: str) -> str:
    """The headline, unless it is missing or only a site's name, date or menu
    (report.yaml ``not_titles``); then the article's first sentence."""
    a = G.graph.get("articles", {}).get(doc, {})
    headline = (a.get("headline") or "").strip()
    if headline and not any(re.search(p, headline) for p in an.report_words().get("not_titles", [])):
        return headline
    first = [s for s in sentences_of(G, doc) if s["text"]]
    opening = first[0]["text"] if first else ""
    return f"untitled; opens: {opening[:60]}{'…' if len(opening) > 60 else ''}" if opening else "untitled"


def article_outlet(G: nx.MultiDiGraph, doc: str) -> str:
    """The outlet, when the headline or the first sentences give it away (report.yaml ``outlets``)."""
    a = G.graph.get("articles", {}).get(doc, {})
    first = sentences_of(G, doc)[:3]
    text = " ".join([a.get("headline") or ""] + [s["text"] for s in first])
    for outlet in an.report_words().get("outlets", []):
        if any(form in text for form in outlet["forms"]):
            return outlet["name"]
    return ""


def _article_line(G, doc: str) -> list:
    a = G.graph.get("articles", {}).get(doc, {"doc": doc})
    parts = [Link(article_title(G, doc), f"#{sentence_anchor(doc, -1)}")]
    outlet = article_outlet(G, doc)
    extra = [x for x in (outlet, a.get("date")) if x]
    if extra:
        parts.append(" — " + ", ".join(extra))
    parts += [" (", Code(doc), ")"]
    return parts


def _actor(en: dict) -> list:
    return [en["label"], " (", Code(en["actor"]), ")"]


def decision_blocks(G: nx.MultiDiGraph, dec: dict, cited: set[str]) -> list:
    """One decision: what, who decided, conditions, the articles, who pushed which way and how
    hard, the reactions after it."""
    blocks: list = [Heading(3, [dec["label"], " — ", Code(dec["decision"])], anchor=dec["decision"])]
    facts = [["Decider: ", dec["decider_label"], " (", Code(dec["decider"]), ")"],
             f"Scope: {dec['scope']}; direction: {dec['direction']}"]
    if dec["products"]:
        facts.append("Products: " + ", ".join(G.nodes[p]["label"] for p in dec["products"]))
    facts.append(f"Date: {dec['date']}" if dec["date"] else "Date: not given in the articles")
    if dec["revenue_share"] is not None:
        facts.append(f"Conditions: revenue share {_pct(dec['revenue_share'])} paid to the government")
    facts.append(f"Reported in {dec['num_articles']} article(s), {dec['num_mentions']} mention(s)")
    blocks.append(Bullets(facts))
    reps = {r["doc"]: r for r in dec["reports"]}
    if dec["articles"]:
        items = []
        for doc in dec["articles"]:
            line = _article_line(G, doc)
            rep = reps.get(doc)
            extra = []
            if rep and rep.get("date"):
                extra.append(f"dates it {rep['date']}")
            if rep and rep.get("revenue_share") is not None:
                extra.append(f"revenue share {_pct(rep['revenue_share'])}")
            if rep and rep.get("background"):
                extra.append("mentions it in passing")
            items.append(line + ([" — " + "; ".join(extra)] if extra else []))
        blocks += [Para("Articles that report it:"), Bullets(items)]
    decider_keys = {dec["decider"]} | set(G.nodes[dec["decider"]].get("posts", []) if dec["decider"] in G else [])
    reports_ev = [e for r in dec["reports"] for e in r["evidence"]]
    if reports_ev:
        blocks.append(Details(f"What the articles say about the decision ({len(reports_ev)} sentences)",
                              [_evidence(G, reports_ev, decider_keys, set(dec["products"]), cited, report=True)]))
    pushed = dec["for"] + dec["against"]
    if pushed:
        blocks.append(Para(f"Who pushed it before it was made (the side that prevailed: {dec['prevailed']}):"))
        rows = [[en["side"], _actor(en), "; ".join(en["how"]), f"{en['weight']:.3g}", str(en["evidence_count"]),
                 str(len(en["articles"])), "yes" if en["prevailed"] else "no"] for en in pushed]
        blocks.append(Table(["Side", "Actor", "How", "Weight", "Sentences", "Articles", "Prevailed"], rows,
                            css="sides"))
        for en in pushed:
            blocks.append(Details([f"Evidence that {en['label']} pushed {en['side']} it "
                                   f"({en['evidence_count']} sentence(s), weight {en['weight']:.3g})"],
                                  [_evidence(G, en["evidence"], {en["actor"]}, decider_keys | set(dec["products"]),
                                             cited)]))
    else:
        blocks.append(Para("No actor is recorded pushing for or against it before it was made."))
    if dec["reactions"]:
        blocks.append(Para("Reactions after it was made (not counted as influence):"))
        blocks.append(Table(["Side", "Actor", "Sentences"],
                            [[en["side"], _actor(en), str(len(en["reaction_evidence"]))] for en in dec["reactions"]],
                            css="sides"))
        for en in dec["reactions"]:
            blocks.append(Details([f"{en['label']} reacted, {en['side']} it"],
                                  [_evidence(G, en["reaction_evidence"], {en["actor"]},
                                             decider_keys | set(dec["products"]), cited)]))
    if dec["contacts"]:
        blocks.append(Para("Also lobbied or advised the decider in these articles (direction not stated):"))
        blocks.append(Table(["Actor", "How", "Sentences"],
                            [[_actor(en), "; ".join(en["how"]), str(en["evidence_count"])]
                             for en in dec["contacts"]]))
        for en in dec["contacts"]:
            blocks.append(Details([f"Evidence that {en['label']} was in contact"],
                                  [_evidence(G, en["evidence"], {en["actor"]}, decider_keys, cited)]))
    return blocks


INFLUENCE_METHOD = (
    "Influence weight of an actor on a decision (docs/REPORT.md): each distinct sentence stating the "
    "push before the decision counts its act weight (lobbying, advising, urging 1.0; criticising, "
    "opposing 0.8; campaigning, supporting 0.6; siding with others 0.5; giving in 0.3 — "
    "ontology/report.yaml), times 1.5 when the push addresses the decider (or a body the decider holds a "
    "post in) directly, times a time factor (1 up to 90 days before the decision, 90/days earlier, at "
    "least 0.25); the sum is multiplied by 1 + ln(articles), so the same push told by several outlets "
    "weighs more than one article repeating it. This is a weighted event count in the manner of GDELT "
    "(Leetaru and Schrodt 2013: events weighted by mentions and articles, act types ordered as on the "
    "Goldstein 1992 scale). Pushes dated after the decision are reactions, shown apart, and weigh "
    "nothing. A decision reported as made is the for side's win.")

CAMP_METHOD = (
    "Camps are clusters of the signed graph of stances (Harary 1953; Cartwright and Harary 1956): two "
    "actors are tied positively by the decisions they pushed the same way and negatively by those they "
    "pushed opposite ways. Camps are joined greedily, most shared evidence first, and never across a "
    "negative tie — correlation clustering under cannot-link constraints (Bansal, Blum and Chawla 2004; "
    "Doreian and Mrvar 1996 on partitioning signed networks). So two actors on opposite sides of any "
    "decision never share a camp, and a decider is in no camp by its own decisions. Each camp is named "
    "by what its members pushed for, most evidence first.")


def _article_blocks(G: nx.MultiDiGraph, cited: set[str]) -> list:
    """Every article with its cited sentences and their neighbours, in order: where each fact's
    link lands (the offsets slice the original file)."""
    arts = G.graph.get("articles", {})
    blocks: list = []
    for doc in sorted(arts):
        a = arts[doc]
        blocks.append(Heading(3, [article_title(G, doc), " — ", Code(doc)],
                              anchor=sentence_anchor(doc, -1)))
        where = [x for x in (article_outlet(G, doc), a.get("date"), a.get("file")) if x]
        if where:
            blocks.append(Para("; ".join(where)))
        sents = sentences_of(G, doc)
        keep = {i for i, s in enumerate(sents) if s["iri"] in cited}
        near = {j for i in keep for j in (i - 1, i, i + 1) if 0 <= j < len(sents)}
        items, last = [], -1
        for i, s in enumerate(sents):
            if i not in near:
                continue
            if last >= 0 and i > last + 1 or last < 0 < i:
                items.append(None)
            items.append({"anchor": sentence_anchor(doc, s["sentence"]) if i in keep else "",
                          "index": s["sentence"], "start": s["start"], "end": s["end"], "text": s["text"],
                          "file": a.get("file", "")})
            last = i
        if items:
            blocks.append(Sentences(items))
        else:
            blocks.append(Para("No sentence of it is cited above."))
    return blocks


def charted_measures(top: dict) -> list[str]:
    return [m for m in an.MEASURES if has_spread([v for _, v in top.get(m, [])])]


def build_blocks(G: nx.MultiDiGraph, result: dict, source: str = "") -> tuple[list, dict[str, str]]:
    """The report as blocks, and its pictures (file name → SVG)."""
    measures = charted_measures(result["top"])
    pictures = {"influence.svg": influence_figure(result["influence"]),
                "timeline.svg": timeline_figure(result["timeline"])}
    if measures:
        pictures["centrality.svg"] = centrality_figure(G, result["top"], measures)
    arts = G.graph.get("articles", {})
    cited: set[str] = set()
    n_actors = len(an.actors(G))
    n_decisions = len(an.decisions(G))
    n_stances = sum(1 for *_, t in G.edges(data="type") if t == "stance")
    n_acts = sum(1 for *_, t in G.edges(data="type") if t == "act")
    blocks: list = [Heading(1, "Who influenced which chip export decision")]
    intro = [f"{len(arts)} articles, {n_actors} actors, {n_decisions} decisions, "
             f"{n_stances} actor–decision stances, {n_acts} kinds of act between entities"]
    if source:
        intro += [" (from ", Code(source), ")"]
    blocks.append(Para(intro + ["."]))
    blocks.append(Para(["Every fact below links to its sentence in context (", Link("Articles", "#articles"),
                        "), where the character offsets into the original file are given. In evidence, "
                        "the actor, the trigger word and the target are marked. Exports for Gephi: "
                        "network.graphml, network.gexf."]))

    blocks.append(Heading(2, "Influence on decisions", anchor="influence"))
    blocks.append(Para(INFLUENCE_METHOD))
    blocks.append(Figure("influence.svg", "Who pushed each decision before it was made: for on the left, "
                         "against on the right, line width by influence weight (hover for the numbers)",
                         pictures["influence.svg"]))
    blocks.append(Table(["Date", "Decision", "For (weight)", "Against (weight)", "Prevailed", "Articles"],
                        [[dec["date"] or "—", Link(dec["label"], f"#{dec['decision']}"),
                          ", ".join(f"{e['label']} ({e['weight']:.2g})" for e in dec["for"]) or "—",
                          ", ".join(f"{e['label']} ({e['weight']:.2g})" for e in dec["against"]) or "—",
                          dec["prevailed"] if dec["for"] or dec["against"] else "—", str(dec["num_articles"])]
                         for dec in result["influence"]]))
    for dec in result["influence"]:
        blocks += decision_blocks(G, dec, cited)

    blocks.append(Heading(2, "Camps", anchor="camps"))
    blocks.append(Para(CAMP_METHOD))
    groups = [c for c in result["camps"] if len(c["members"]) > 1]
    alone = [c for c in result["camps"] if len(c["members"]) == 1]
    if groups:
        blocks.append(Table(["Camp", "Members", "Pushed for", "Pushed against"],
                            [[c["name"], ", ".join(c["labels"]),
                              [x for d in c["for"] for x in (Link(G.nodes[d]["label"], f"#{d}"), "; ")][:-1] or "—",
                              [x for d in c["against"] for x in (Link(G.nodes[d]["label"], f"#{d}"), "; ")][:-1]
                              or "—"] for c in groups]))
    else:
        blocks.append(Para("No two actors pushed the same way on a decision."))
    if alone:
        blocks.append(Para("In no camp with anyone: " + "; ".join(f"{c['labels'][0]} ({c['name']})"
                                                                   for c in alone) + "."))
    if result["conflicts"]:
        pairs = sorted(result["conflicts"].items(), key=lambda kv: (-kv[1], kv[0]))
        blocks.append(Details(f"Actors on opposite sides of a decision ({len(pairs)} pairs; a decider counts "
                              "for its own decision)",
                              [Table(["Actor", "Actor", "Evidence"],
                                     [[G.nodes[u]["label"], G.nodes[v]["label"], str(w)] for (u, v), w in pairs])]))

    blocks.append(Heading(2, "Timeline of decisions", anchor="timeline"))
    blocks.append(Figure("timeline.svg", "Decision timeline (filled: dated in the text; hollow: date of the "
                         "first report; size: articles; green opens, red closes; // folds a long empty stretch)",
                         pictures["timeline.svg"]))
    blocks.append(Table(["Date", "Decision", "Key", "Conditions", "Articles", "Mentions"],
                        [[(t["date"] or f"(first reported {t['first_reported'] or '?'})"),
                          Link(t["label"], f"#{t['decision']}"), Code(t["decision"]),
                          f"revenue share {_pct(t['revenue_share'])}" if t["revenue_share"] is not None else "",
                          str(t["num_articles"]), str(t["num_mentions"])]
                         for t in result["timeline"]]))

    blocks.append(Heading(2, "Centrality of actors", anchor="centrality"))
    blocks.append(Para("On the actor graph: an edge u→v sums the evidence of u's acts on v and of u's "
                       "stances on decisions v took. Degree is evidence-weighted; PageRank (Page et al. "
                       "1999) and HITS (Kleinberg 1999) use evidence as weight; betweenness (Brandes 2001) "
                       f"uses 1/evidence as distance. A measure is charted when at least {SPREAD_MIN_ACTORS} "
                       "actors score above zero and its top scores differ by at least "
                       f"{SPREAD_MIN_RANGE:.0%} of the highest."))
    left_out = [MEASURE_TITLES[m] for m in an.MEASURES if m not in measures]
    if left_out:
        blocks.append(Para("Not charted, for lack of spread: " + ", ".join(
            f"{MEASURE_TITLES[m]} ({len(result['top'][m])} actor(s) above zero)" for m in an.MEASURES
            if m not in measures) + "."))
    if measures:
        blocks.append(Figure("centrality.svg", "Top actors per centrality measure", pictures["centrality.svg"]))
        shown = sorted({k for m in measures for k, _ in result["top"][m]})
        rows = [r for r in result["centrality_table"] if r["actor"] in shown]
        blocks.append(Table(["Actor"] + [MEASURE_TITLES[m] for m in measures],
                            [[[r["label"], " (", Code(r["actor"]), ")"]] + [f"{r[m]:.3g}" for m in measures]
                             for r in rows]))

    blocks.append(Heading(2, "Articles", anchor="articles"))
    blocks.append(Para("Each article with the sentences cited above (marked with their character offsets into "
                       "the original file) and their neighbours."))
    blocks += _article_blocks(G, cited)
    return blocks, pictures


def write_report(G: nx.MultiDiGraph, out: Path, source: str = "", top: int = 10) -> dict[str, Path]:
    """Write report.md, report.html, the pictures, network.graphml and network.gexf into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = an.analyse(G, top=top)
    blocks, pictures = build_blocks(G, result, source)
    paths = {"md": out / "report.md", "html": out / "report.html",
             "graphml": out / "network.graphml", "gexf": out / "network.gexf"}
    for name, svg in pictures.items():
        write_atomic(out / name, svg.encode("utf-8"))
        paths[name] = out / name
    write_atomic(paths["md"], to_markdown(blocks).encode("utf-8"))
    write_atomic(paths["html"], to_html(blocks, "kg report").encode("utf-8"))
    network_files.write(G, result, paths["graphml"], paths["gexf"])
    return paths
