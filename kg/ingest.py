"""Stage 1 — ingest: bytes on disk to clean Simplified-Chinese articles.

Each article keeps its ``original`` text (the decoded file, or the JSONL
record) and, for every character of the cleaned ``text``, the span of the
original it came from. Later stages work on ``text``; provenance always
points back into ``original`` through :meth:`Article.original_span`.
"""
from __future__ import annotations

import codecs
import html
import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from kg import knowledge

SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}


class IngestError(Exception):
    """A source that cannot be read as an article; the message names the problem."""


# --------------------------------------------------------------------------
# Text with a map back to the original


@dataclass
class Mapped:
    """A string plus, per character, the [start, end) span it came from."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    @classmethod
    def slice_of(cls, source: str, start: int, end: int) -> "Mapped":
        return cls(source[start:end], list(range(start, end)), list(range(start + 1, end + 1)))

    def append(self, other: "Mapped") -> None:
        self.text += other.text
        self.starts += other.starts
        self.ends += other.ends

    def add_char(self, ch: str, start: int, end: int) -> None:
        self.text += ch
        self.starts.append(start)
        self.ends.append(end)

    def sub(self, start: int, end: int) -> "Mapped":
        return Mapped(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def strip(self) -> "Mapped":
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        return self.sub(left, max(left, right))


# --------------------------------------------------------------------------
# Decoding

_COMMON_HANZI = set("的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年就要会可以对生能而下过天去着")
_COMMON_HANZI |= set("們為這個來說時對國會過於與")  # the same words in Traditional script


def _hanzi_score(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    common = sum(ch in _COMMON_HANZI for ch in sample)
    bad = sample.count("\ufffd") + sum(0xE000 <= ord(ch) <= 0xF8FF for ch in sample)
    return (common - 10 * bad) / len(sample)


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). BOMs first, then strict UTF-8, then the CJK legacy codecs."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise IngestError(f"starts with a {enc} byte-order mark but is not valid {enc}: {e.reason} at byte {e.start}")
    if b"\x00" in data[:4096] and not _looks_utf16(data):
        raise IngestError("binary data (NUL bytes), not text")
    if _looks_utf16(data):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        candidates = []
        for enc in ("gb18030", "big5"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            candidates.append((_hanzi_score(text), enc, text))
        if candidates:
            score, enc, text = max(candidates)
            if score > 0.01:
                return text, enc
        raise IngestError(
            f"not UTF-8 (invalid byte at offset {utf8_error.start}) and not GB18030 or Big5 Chinese text")


def _looks_utf16(data: bytes) -> bool:
    head = data[:4096]
    if len(head) < 4:
        return False
    even_nul = head[0::2].count(0) / (len(head) / 2)
    odd_nul = head[1::2].count(0) / (len(head) / 2)
    # Chinese UTF-16 has few NULs; Latin has many in one lane. Either way one lane dominates.
    return (odd_nul > 0.3 and even_nul < 0.05) or (even_nul > 0.3 and odd_nul < 0.05)


# --------------------------------------------------------------------------
# Traditional → Simplified with an offset map


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc
    return opencc.OpenCC(config)


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Han characters change under t2s."""
    han = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han)
    converted = _converter("t2s").convert(sample)
    changed = sum(a != b for a, b in zip(sample, converted))
    return changed / len(han) > 0.03


def simplify(m: Mapped, config: str = "t2s") -> Mapped:
    """Convert with OpenCC, keeping the map even where a phrase changes length.

    t2s is used for every article: tw2sp also rewrites Taiwanese vocabulary and
    gets some of it wrong (首席執行官 → 首席运行官), so regional forms such as
    辉达 and 晶片 are covered by the catalog and the lexicon instead.
    """
    conv = _converter(config).convert
    out = Mapped()
    for line in _split_keep(m):
        target = conv(line.text)
        if len(target) == len(line.text):
            out.append(Mapped(target, line.starts, line.ends))
            continue
        # Align against a character-by-character conversion, which keeps lengths.
        charwise = "".join(conv(ch) if len(conv(ch)) == 1 else ch for ch in line.text)
        matcher = SequenceMatcher(None, charwise, target, autojunk=False)
        for tag, a0, a1, b0, b1 in matcher.get_opcodes():
            if tag == "equal":
                out.append(Mapped(target[b0:b1], line.starts[a0:a1], line.ends[a0:a1]))
            elif b1 > b0:
                start = line.starts[a0] if a1 > a0 else (line.ends[a0 - 1] if a0 else line.starts[0])
                end = line.ends[a1 - 1] if a1 > a0 else start
                for ch in target[b0:b1]:
                    out.add_char(ch, start, end)
    return out


def _split_keep(m: Mapped) -> Iterator[Mapped]:
    """Split at newlines (kept), so phrase conversion never crosses a line."""
    start = 0
    for i, ch in enumerate(m.text):
        if ch == "\n":
            yield m.sub(start, i + 1)
            start = i + 1
    if start < len(m.text):
        yield m.sub(start, len(m.text))


# --------------------------------------------------------------------------
# HTML to lines


_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "iframe", "svg", "button", "select", "template", "head", "menu"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "table", "section", "article", "blockquote", "pre", "dd", "dt", "figcaption", "hr",
               "title", "main", "time"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
              "source", "track", "wbr"}


class _HtmlText(HTMLParser):
    """Visible text of an HTML page with the source offset of every character."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.out = Mapped()
        self.skip_depth = 0
        self.title = ""
        self.in_title = False
        self.meta_date = None

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _newline(self) -> None:
        if self.out.text and not self.out.text.endswith("\n"):
            p = self._pos()
            self.out.add_char("\n", p, p)

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            d = dict(attrs)
            name = (d.get("property") or d.get("name") or d.get("itemprop") or "").lower()
            if name in {"article:published_time", "pubdate", "publishdate", "datepublished",
                        "og:published_time", "publish_date", "date"} and d.get("content"):
                self.meta_date = self.meta_date or d["content"]
        if tag == "time" and not self.meta_date:
            d = dict(attrs)
            if d.get("datetime"):
                self.meta_date = d["datetime"]
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self._newline()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth -= 1

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self._newline()

    def _emit(self, text: str, start: int, raw_len: int | None = None) -> None:
        if self.in_title:
            self.title += text
            return
        if self.skip_depth:
            return
        if raw_len is None:
            for i, ch in enumerate(text):
                ch = " " if ch in "\r\n\t" else ch
                self.out.add_char(ch, start + i, start + i + 1)
        else:
            for ch in text:
                self.out.add_char(ch, start, start + raw_len)

    def handle_data(self, data):
        self._emit(data, self._pos())

    def handle_entityref(self, name):
        raw = f"&{name};"
        self._emit(html.unescape(raw), self._pos(), len(raw))

    def handle_charref(self, name):
        raw = f"&#{name};"
        self._emit(html.unescape(raw), self._pos(), len(raw))


def html_to_lines(source: str) -> tuple[Mapped, str, str | None]:
    parser = _HtmlText(source)
    parser.feed(source)
    parser.close()
    return parser.out, re.sub(r"\s+", " ", html.unescape(parser.title)).strip(), parser.meta_date


# --------------------------------------------------------------------------
# Clutter, title and date


@dataclass
class Article:
    doc_id: str
    source: str              # the path it was read from
    original: str            # the decoded original text that offsets point into
    text: str                # title and body, cleaned, Simplified
    starts: list[int]
    ends: list[int]
    title: str = ""
    date: str | None = None          # ISO date (YYYY-MM-DD) the article was published
    date_source: str = ""            # label | byline | metadata | latest-on-page
    encoding: str = "utf-8"
    traditional: bool = False
    url: str | None = None
    line: int | None = None          # JSONL line number

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of text[start:end]."""
        return self.starts[start], self.ends[end - 1]


_DATE_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})(?!\d)")
_LABELLED_DATE = re.compile(r"(更新时间|发布时间|发表时间|发布于|发布日期|日期|时间)\s*[:]\s*")


def _iso(m: re.Match) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _normal_line(line: str) -> str:
    """The form clutter patterns are written against: Simplified, ASCII colons, trimmed."""
    return _converter("t2s").convert(line.strip().replace(":", ":").replace("\u3000", " "))


def _lines(m: Mapped) -> list[Mapped]:
    """Lines, each with paragraph breaks made from runs of spaces (web text often glues paragraphs)."""
    out = []
    for line in _split_keep(m):
        line = Mapped(line.text.rstrip("\r\n"), line.starts[:len(line.text.rstrip("\r\n"))],
                      line.ends[:len(line.text.rstrip("\r\n"))])
        start = 0
        for gap in re.finditer(r"[ \u3000\u00a0\t]{2,}", line.text):
            out.append(line.sub(start, gap.start()).strip())
            start = gap.end()
        out.append(line.sub(start, len(line.text)).strip())
    return out


def clean(m: Mapped, extra_date: str | None = None) -> tuple[list[Mapped], str, str | None, str]:
    """Drop page furniture. Returns (kept lines, title, date, date_source)."""
    rules = knowledge.clutter()
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
    if not date and extra_date:
        dm = _DATE_RE.search(extra_date)
        if dm and _iso(dm):
            date, date_source = _iso(dm), "metadata"

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
    if kept and _is_title(kept_norm[0]):
        title = kept[0].text
        # a title that only repeats the opening of the first paragraph is not kept twice
        if len(kept) > 1 and kept_norm[1].startswith(kept_norm[0].rstrip("…. ")) and len(kept_norm[0]) >= 8:
            kept = kept[1:]
        if not date:
            # a time stamp directly under the title
            for n in normals[:12]:
                dm = _DATE_RE.match(n)
                if dm and _iso(dm) and len(n) <= 25:
                    date, date_source = _iso(dm), "byline"
                    break

    if not date:
        found = [d for d in (_iso(x) for x in _DATE_RE.finditer("\n".join(normals))) if d]
        if found:
            date, date_source = max(found), "latest-on-page"
    return kept, title, date, date_source


def _is_title(n: str) -> bool:
    return 4 <= len(n) <= 80 and not re.search(r"[。!?!?;…」”\"]$", n)


# --------------------------------------------------------------------------
# Reading sources


def build_article(doc_id: str, source: str, original: str, *, encoding: str = "utf-8",
                  html_page: bool = False, title: str | None = None, date: str | None = None,
                  url: str | None = None, line: int | None = None) -> Article:
    if html_page:
        body, html_title, meta_date = html_to_lines(original)
        title = title or html_title
        date = date or meta_date
    else:
        body = Mapped.slice_of(original, 0, len(original))
    kept, found_title, found_date, date_source = clean(body, date)
    if date and date_source != "label":
        dm = _DATE_RE.search(date)
        if dm and _iso(dm):
            found_date, date_source = _iso(dm), "metadata"
    joined = Mapped()
    for i, line_m in enumerate(kept):
        if i:
            p = line_m.starts[0] if line_m.starts else 0
            joined.add_char("\n", p, p)
        joined.append(line_m)
    if not re.search(r"[\u4e00-\u9fff]", joined.text):
        raise IngestError("no Chinese text in the article body" if joined.text.strip() else "empty: no article text")
    traditional = is_traditional(joined.text)
    simple = simplify(joined, "t2s")
    title_text = found_title or (title or "")
    return Article(doc_id=doc_id, source=source, original=original, text=simple.text,
                   starts=simple.starts, ends=simple.ends,
                   title=_converter("t2s").convert(title_text.strip()),
                   date=found_date, date_source=date_source, encoding=encoding,
                   traditional=traditional, url=url, line=line)


def read_file(path: Path) -> Iterator[Article]:
    """Articles of one file; raises IngestError for a file that yields none."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise IngestError("empty file")
    text, encoding = decode(data)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, text, encoding)
    else:
        yield build_article(path.stem, str(path), text, encoding=encoding,
                            html_page=suffix in {".html", ".htm"} or _looks_html(text))


def _looks_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def _read_jsonl(path: Path, text: str, encoding: str) -> Iterator[Article]:
    errors = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise ValueError("a JSON object with a string field 'text' is required")
        except ValueError as e:
            errors.append(f"line {n}: {e}")
            continue
        title = rec.get("title") if isinstance(rec.get("title"), str) else None
        original = f"{title}\n\n{rec['text']}" if title else rec["text"]
        doc_id = str(rec.get("id") or f"{path.stem}-{n}")
        try:
            yield build_article(doc_id, str(path), original, encoding=encoding,
                                html_page=_looks_html(rec["text"]), title=title,
                                date=rec.get("date") if isinstance(rec.get("date"), str) else None,
                                url=rec.get("url") if isinstance(rec.get("url"), str) else None, line=n)
        except IngestError as e:
            errors.append(f"line {n}: {e}")
    if errors:
        raise IngestError("; ".join(errors))


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files to read, in a stable order; directories are searched recursively."""
    found = []
    for p in paths:
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            found.append(p)
    return found
