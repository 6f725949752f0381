"""Page furniture dropped (ontology/clutter.yaml); title and date found."""
from __future__ import annotations

import re

from kg.chinese import converter
from kg.ingest.mapped import Mapped, split_keep

_DATE_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})(?!\d)")
_LABELLED_DATE = re.compile(r"(更新时间|发布时间|发表时间|发布于|发布日期|日期|时间)\s*[:]\s*")


def _iso(m: re.Match) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _normal_line(line: str) -> str:
    """The form clutter patterns are written against: Simplified, ASCII colons, trimmed."""
    return converter("t2s").convert(line.strip().replace(":", ":").replace("\u3000", " "))


def _lines(m: Mapped) -> list[Mapped]:
    """Lines, each with paragraph breaks made from runs of spaces (web text often glues paragraphs)."""
    out = []
    for line in split_keep(m):
        line = Mapped(line.text.rstrip("\r\n"), line.starts[:len(line.text.rstrip("\r\n"))],
                      line.ends[:len(line.text.rstrip("\r\n"))])
        start = 0
        for gap in re.finditer(r"[ \u3000\u00a0\t]{2,}", line.text):
            out.append(line.sub(start, gap.start()).strip())
            start = gap.end()
        out.append(line.sub(start, len(line.text)).strip())
    return out


def clean(m: Mapped, rules: dict, extra_date: str | None = None) -> tuple[list[Mapped], str, str | None, str]:
    """Drop page furniture. Returns (kept lines, title, date, date_source)."""
    lines = _lines(m)
    normals = [_normal_line(line.text) for line in lines]

    date, date_source = None, ""
    for n in normals:
        lm = _LABELLED_DATE.search(n)
        if lm:
            dm = _DATE_RE.match(n, lm.end())
            if dm and _iso(dm):
                date, date_source = _iso(dm), "label"
                break
    if not date and extra_date and metadata_date(extra_date):
        date, date_source = metadata_date(extra_date), "metadata"

    kept: list[Mapped] = []
    kept_norm: list[str] = []
    for line, n in zip(lines, normals):
        if not n:
            continue
        if any(p.match(n) for p in rules["end_markers"]) and kept:
            break
        if any(p.match(n) for p in rules["drop_lines"]):
            continue
        if not kept and rules["masthead"].match(n) and len(n) <= 12:
            continue
        kept.append(line)
        kept_norm.append(n)

    title = ""
    # the title is the first line, or the first after a time stamp (科技 | 2025年12月9日 08:41)
    at = 1 if len(kept) > 1 and _is_stamp(kept_norm[0]) else 0
    if kept and _is_title(kept_norm[at]):
        title = kept[at].text
        # a title that only repeats the opening of the first paragraph is not kept twice
        if len(kept) > at + 1 and kept_norm[at + 1].startswith(kept_norm[at].rstrip("…. ")) \
                and len(kept_norm[at]) >= 8:
            del kept[at]
    if not date:
        # a time stamp before the first paragraph, alone or in a byline (工商时报 吴瑞达 / 2025.11.08 05:10)
        for n in normals[:60]:
            if "。" in n and len(n) > 40:
                break                           # the body has begun: its dates are what it tells
            dm = _DATE_RE.match(n) or (_DATE_RE.search(n) if len(n) <= 40 and "。" not in n else None)
            if dm and _iso(dm) and (len(n) <= 25 or dm.start() > 0):
                date, date_source = _iso(dm), "byline"
                break

    if not date:
        found = [d for d in (_iso(x) for x in _DATE_RE.finditer("\n".join(normals))) if d]
        if found:
            date, date_source = max(found), "latest-on-page"
    return kept, title, date, date_source


_TIME_RE = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)|星期[一二三四五六日天]|周[一二三四五六日]")


def _is_stamp(n: str) -> bool:
    """A line that dates the page (科技 | 2025年12月9日 星期二 08:41 BJT), not a headline."""
    return len(n) <= 40 and bool(_DATE_RE.search(n)) and bool(_TIME_RE.search(n))


_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_VALUE_END = ")）]】」』,，。;；、"
MAX_URL_CHARS = 2000


def source_url(value: str | None) -> str | None:
    """``value`` if it is an absolute http(s) URL that can stand as an xsd:anyURI, else None."""
    value = (value or "").strip()
    return value if len(value) <= MAX_URL_CHARS and _URL.match(value) else None


def source_lines(text: str, rules: dict) -> tuple[str | None, str | None]:
    """(source URL, outlet) from the labelled lines at the top of ``text`` (clutter.yaml:
    source_lines), e.g. ``URL: https://…`` or ``来源：新华网``; read only, the text is not changed."""
    found = rules["source_lines"]
    url = outlet = None
    head = [line.strip() for line in text[:20_000].split("\n") if line.strip()][:found["head_lines"]]
    for line in head:
        for value in found["url"].findall(line):
            url = url or source_url(value.rstrip(_VALUE_END))
        for value in found["outlet"].findall(line):
            value = value.rstrip(_VALUE_END)
            if value and not source_url(value) and not value.startswith(("http:", "https:")):
                outlet = outlet or value
    return url, outlet


def _is_title(n: str) -> bool:
    return 4 <= len(n) <= 80 and not re.search(r"[。!?!?;…」”\"]$", n)


def metadata_date(value: str) -> str | None:
    """The ISO date in a date given with the source (JSONL ``date``, HTML metadata), if any."""
    dm = _DATE_RE.search(value)
    return _iso(dm) if dm else None
