"""Stage 1 — ingest: bytes on disk to clean Simplified-Chinese articles.

Each article keeps its ``original`` text (the decoded file, or the JSONL
record) and, for every character of the cleaned ``text``, the span of the
original it came from. Later stages work on ``text``; provenance always
points back into ``original`` through :meth:`Article.original_span`.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import html
import json
import os
import re
import stat
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from kg import knowledge
from kg.chinese import converter

SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}

# Limits that keep a messy folder from exhausting memory or time (README: "Bad input and exit codes").
MAX_FILE_MB = 10             # a .txt/.html file larger than this is refused without being read
MAX_LINE_MB = 10             # JSONL files are read as a stream; a record line larger than this is refused
MAX_ARTICLE_CHARS = 100_000  # an article longer than this (for HTML: its visible text) is refused
MAX_ID_CHARS = 200           # a longer document id is replaced by its start and a hash (with a warning)


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
    text, encoding, _ = decode_report(data)
    return text, encoding


def decode_report(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings); raise IngestError for data that is not text.

    Order: byte-order marks; binary data (NUL bytes or control characters, unless it
    is UTF-16 without a BOM); strict UTF-8; then the best of GB18030, Big5, UTF-16
    and UTF-8 with its few invalid byte sequences replaced by U+FFFD (a warning).
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, []
            except UnicodeDecodeError as e:
                raise IngestError(f"starts with a {enc} byte-order mark but is not valid {enc}: "
                                  f"{e.reason} at byte {e.start}") from None
    head = data[:4096]
    if b"\x00" in head or _control_share(head) > 0.05:
        if _looks_utf16(data):
            for enc in ("utf-16-le", "utf-16-be"):
                try:
                    return data.decode(enc), enc, []
                except UnicodeDecodeError:
                    pass
        found = _best_of(data, ("utf-16-le", "utf-16-be"))
        if found:
            return found
        raise IngestError("binary data (NUL bytes or control characters), not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as utf8_error:
        found = _best_of(data, ("gb18030", "big5", "utf-16-le", "utf-16-be"), utf8_error)
        if found:
            return found
        raise IngestError(
            f"not UTF-8 (invalid byte at offset {utf8_error.start}) and not GB18030, Big5 or UTF-16 "
            f"Chinese text") from None


def _best_of(data: bytes, encodings, utf8_error: UnicodeDecodeError | None = None):
    """(text, encoding, warnings) of the decoding that reads most like Chinese, or None.

    UTF-8 with replacements competes when the invalid sequences are few (at most
    8, or one in 200 of the non-ASCII characters): a scraped page cut in the middle
    of a character is still read, with a warning naming the first bad byte."""
    candidates = []
    for enc in encodings:
        if enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_hanzi_score(text), enc, text, []))
    if utf8_error is not None:
        text = data.decode("utf-8", "replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
        non_ascii = sum(1 for ch in text if ord(ch) > 127)
        if bad <= max(8, non_ascii // 200):
            warning = (f"invalid UTF-8: {bad} byte sequence{'s' if bad != 1 else ''} replaced with U+FFFD "
                       f"(first at byte {utf8_error.start})")
            candidates.append((_hanzi_score(text), "utf-8", text, [warning]))
    if not candidates:
        return None
    score, enc, text, warnings = max(candidates, key=lambda c: c[0])
    return (text, enc, warnings) if score > 0.01 else None


def _control_share(head: bytes) -> float:
    """Share of C0 control bytes other than tab, newline, form feed, carriage return and escape."""
    if not head:
        return 0.0
    return sum(b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B) for b in head) / len(head)


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


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Han characters change under t2s."""
    han = [ch for ch in text[:20000] if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han)
    converted = converter("t2s").convert(sample)
    changed = sum(a != b for a, b in zip(sample, converted))
    return changed / len(han) > 0.03


def simplify(m: Mapped, config: str = "t2s") -> Mapped:
    """Convert with OpenCC, keeping the map even where a phrase changes length.

    t2s is used for every article: tw2sp also rewrites Taiwanese vocabulary and
    gets some of it wrong (首席執行官 → 首席运行官), so regional forms such as
    辉达 and 晶片 are covered by the catalog and the lexicon instead.
    """
    conv = converter(config).convert
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
              "iframe", "svg", "button", "select", "template", "head", "menu",
              "figcaption"}   # image captions are page furniture, not the article (gold guidelines)
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "table", "section", "article", "blockquote", "pre", "dd", "dt", "figcaption", "hr",
               "title", "main", "time"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
              "source", "track", "wbr"}


_WHITE_TO_SPACE = str.maketrans("\r\n\t", "   ")


class _HtmlText(HTMLParser):
    """Visible text of an HTML page with the source offset of every character."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        # visible text as chunks and offset lists, joined once at the end (a str grown one
        # character at a time is quadratic); MAX_ARTICLE_CHARS is enforced while parsing
        self._chunks: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._titles: list[str] = []
        self._title_chars = 0
        self.skip_depth = 0
        self.in_title = False
        self.meta_date = None

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    @property
    def out(self) -> Mapped:
        return Mapped("".join(self._chunks), self._starts, self._ends)

    @property
    def title(self) -> str:
        return "".join(self._titles)

    def _add(self, text: str, starts, ends) -> None:
        if len(self._starts) + len(text) > MAX_ARTICLE_CHARS:
            raise IngestError(f"article too long (more than {MAX_ARTICLE_CHARS:,} characters of visible text)")
        self._chunks.append(text)
        self._starts.extend(starts)
        self._ends.extend(ends)

    def _newline(self) -> None:
        if self._chunks and not self._chunks[-1].endswith("\n"):
            p = self._pos()
            self._add("\n", (p,), (p,))

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
            self._title_chars += len(text)
            if self._title_chars > MAX_ARTICLE_CHARS:
                raise IngestError(f"title too long (more than {MAX_ARTICLE_CHARS:,} characters)")
            self._titles.append(text)
            return
        if self.skip_depth or not text:
            return
        if raw_len is None:
            self._add(text.translate(_WHITE_TO_SPACE), range(start, start + len(text)),
                      range(start + 1, start + len(text) + 1))
        else:
            self._add(text, (start,) * len(text), (start + raw_len,) * len(text))

    def handle_data(self, data):
        self._emit(data, self._pos())

    def handle_entityref(self, name):
        raw = f"&{name};"
        self._emit(html.unescape(raw), self._pos(), len(raw))

    def handle_charref(self, name):
        raw = f"&#{name};"
        self._emit(html.unescape(raw), self._pos(), len(raw))


# html.parser stops at the first construct that is not closed (a comment, tag or declaration)
# and reads the rest only on close(), with a search to the end of the page from every '<':
# quadratic. A rest longer than this is not read, as a browser shows none of it.
MAX_HTML_UNCLOSED = 8192


def html_to_lines(source: str, warnings: list | None = None) -> tuple[Mapped, str, str | None]:
    parser = _HtmlText(source)
    parser.feed(source)
    rest = parser.rawdata
    if len(rest) > MAX_HTML_UNCLOSED:
        what = (f"<{parser.cdata_elem}> element" if parser.cdata_elem else "comment '<!--'"
                if rest.startswith("<!--") else f"construct {one_line(rest[:12])!r}")
        if warnings is not None:
            warnings.append(f"HTML: an unclosed {what} at character {len(source) - len(rest):,} hides the "
                            f"remaining {len(rest):,} characters; they are not read")
    else:
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
    warnings: list[str] = field(default_factory=list)   # read, but with a problem worth reporting

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
    return converter("t2s").convert(line.strip().replace(":", ":").replace("\u3000", " "))


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
    warnings = []
    if _has_surrogates(original):
        # only JSON escapes (\ud800) can make these; they cannot be written as UTF-8
        original = _no_surrogates(original)
        warnings.append("lone surrogate code points (\\ud800-\\udfff) replaced with U+FFFD")
    doc_id, source = _no_surrogates(doc_id), _no_surrogates(source)
    if len(doc_id) > MAX_ID_CHARS:
        short = f"{doc_id[:40]}…{hashlib.sha256(doc_id.encode('utf-8')).hexdigest()[:16]}"
        warnings.append(f"document id too long ({len(doc_id):,} characters > {MAX_ID_CHARS} limit): "
                        f"{short!r} used instead")
        doc_id = short
    title, date, url = (_no_surrogates(v) if v is not None else None for v in (title, date, url))
    if not html_page and len(original) > MAX_ARTICLE_CHARS:
        raise IngestError(f"article too long ({len(original):,} characters > {MAX_ARTICLE_CHARS:,} limit)")
    if html_page:
        try:
            body, html_title, meta_date = html_to_lines(original, warnings)
        except IngestError:
            raise
        except Exception:  # html.parser gives up on some malformed <![ declarations (AssertionError)
            try:  # read them as bogus comments instead; same length, so the offsets still hold
                body, html_title, meta_date = html_to_lines(original.replace("<![", "<!-"), warnings)
            except IngestError:
                raise
            except Exception as e:
                raise IngestError(f"malformed HTML: {one_line(str(e))[:200]}") from None
        if len(body.text) > MAX_ARTICLE_CHARS:
            raise IngestError(f"article too long ({len(body.text):,} characters of visible text > "
                              f"{MAX_ARTICLE_CHARS:,} limit)")
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
                   title=converter("t2s").convert(title_text.strip()),
                   date=found_date, date_source=date_source, encoding=encoding,
                   traditional=traditional, url=url, line=line, warnings=warnings)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _no_surrogates(text: str) -> str:
    """Lone surrogates (from JSON escapes) as U+FFFD, so that the text can be written as UTF-8."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text) if _has_surrogates(text) else text


def os_text(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as surrogates) as \\xNN."""
    if not _has_surrogates(name):
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def one_line(text: str) -> str:
    """Control characters and line separators shown as escapes, so a message stays on one line."""
    return re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: repr(m.group())[1:-1], text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown punctuation (CommonMark renders ``\\<`` as ``<``);
    newlines become spaces so a cell stays on its row."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def md_code(text: str, table: bool = False) -> str:
    """A code span no text can leave: its fence is one backtick longer than the longest run
    of backticks inside, padded with a space where the text starts or ends with a backtick or
    a space (CommonMark strips one); in a table cell pipes are escaped (GFM splits cells at
    ``|`` even inside a code span). Newlines become spaces."""
    text = str(text).replace("\r", " ").replace("\n", " ")
    if table:
        text = text.replace("|", "\\|")
    if not text:
        return ""
    tick = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{tick}{pad}{text}{pad}{tick}"


def read_file(path: Path) -> Iterator[Article]:
    """Articles of one file; raises IngestError for a file that yields none.

    A .txt or .html file larger than MAX_FILE_MB is refused without being read.
    A .jsonl file is read line by line (memory bounded by MAX_LINE_MB); its good
    records are yielded, then one IngestError lists the bad lines.
    """
    source = os_text(str(path))
    try:
        info = path.stat()
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}") from None
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, source)
        return
    limit = MAX_FILE_MB << 20
    if info.st_size > limit:
        raise IngestError(f"file too large ({info.st_size / (1 << 20):.1f} MB > {MAX_FILE_MB} MB limit)")
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}") from None
    if len(data) > limit:
        raise IngestError(f"file too large (more than {MAX_FILE_MB} MB)")
    if not data.strip():
        raise IngestError("empty file" if not data else "empty file (only white space)")
    text, encoding, warnings = decode_report(data)
    art = build_article(os_text(path.stem), source, text, encoding=encoding,
                        html_page=suffix in {".html", ".htm"} or _looks_html(text))
    art.warnings[:0] = warnings
    yield art


def _looks_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def _stream_encoding(head: bytes) -> str | None:
    """The encoding to decode JSONL lines with, from the first 64 KB; None for UTF-16/32,
    whose lines cannot be split on the byte 0x0A."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            or b"\x00" in head:
        return None
    cut = head[:head.rfind(b"\n") + 1] or head
    try:
        codecs.getincrementaldecoder("utf-8")().decode(cut)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return decode_report(cut)[1]
    except IngestError:
        return "utf-8"      # each line reports its own problem


def _jsonl_lines(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text or None, problem or warning) for every line of a JSONL file."""
    limit = MAX_LINE_MB << 20
    try:
        f = open(path, "rb")
    except OSError as e:
        raise IngestError(f"cannot read: {e.strerror or e}") from None
    with f:
        try:
            head = f.read(1 << 16)
            f.seek(0)
            encoding = _stream_encoding(head)
            if encoding is None:
                size = os.fstat(f.fileno()).st_size
                if size > limit:
                    raise IngestError(f"file too large ({size / (1 << 20):.1f} MB > {MAX_LINE_MB} MB limit "
                                      f"for a UTF-16 or UTF-32 JSONL file, which cannot be read as a stream)")
                text, _, warnings = decode_report(f.read())
                for n, line in enumerate(text.split("\n"), 1):
                    yield n, line[:-1] if line.endswith("\r") else line, "; ".join(warnings) if n == 1 else ""
                return
            n = 0
            while True:
                raw = f.readline(limit + 1)
                if not raw:
                    return
                n += 1
                if len(raw) > limit and not raw.endswith(b"\n"):
                    while True:
                        chunk = f.readline(1 << 20)
                        if not chunk or chunk.endswith(b"\n"):
                            break
                    yield n, None, f"line too long (more than {MAX_LINE_MB} MB)"
                    continue
                if n == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                raw = raw[:-1] if raw.endswith(b"\n") else raw
                raw = raw[:-1] if raw.endswith(b"\r") else raw
                if not raw.strip():
                    continue
                try:
                    yield n, raw.decode(encoding), ""
                except UnicodeDecodeError:
                    try:
                        text, _, warnings = decode_report(raw)
                    except IngestError as e:
                        yield n, None, str(e)
                        continue
                    yield n, text, "; ".join(warnings)
        except OSError as e:
            raise IngestError(f"cannot read: {e.strerror or e}") from None


def _read_jsonl(path: Path, source: str) -> Iterator[Article]:
    errors = []
    found = False
    for n, line, note in _jsonl_lines(path):
        if line is None:
            errors.append(f"line {n}: {note}")
            continue
        if not line.strip():
            continue
        found = True
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise ValueError("a JSON object with a string field 'text' is required")
        except (ValueError, RecursionError) as e:
            errors.append(f"line {n}: {'nested too deeply' if isinstance(e, RecursionError) else e}")
            continue
        title = rec.get("title") if isinstance(rec.get("title"), str) else None
        original = f"{title}\n\n{rec['text']}" if title else rec["text"]
        doc_id = str(rec.get("id") or f"{os_text(path.stem)}-{n}")
        try:
            art = build_article(doc_id, source, original, encoding="utf-8",
                                html_page=_looks_html(rec["text"]), title=title,
                                date=rec.get("date") if isinstance(rec.get("date"), str) else None,
                                url=rec.get("url") if isinstance(rec.get("url"), str) else None, line=n)
        except IngestError as e:
            errors.append(f"line {n}: {e}")
            continue
        if note:
            art.warnings.insert(0, note)
        yield art
    if errors:
        more = f" (and {len(errors) - 5} more bad lines)" if len(errors) > 5 else ""
        raise IngestError("; ".join(errors[:5]) + more)
    if not found:
        raise IngestError("empty file")


def find_inputs(paths: Iterable[Path], problems: dict[Path, str] | None = None) -> list[Path]:
    """Files to read, in a stable order; directories are searched recursively (symbolic links
    to folders followed). A subfolder that cannot be read and a broken or looping symbolic link
    are listed too, with what is wrong in ``problems`` (path -> message)."""
    problems = {} if problems is None else problems
    found = []
    for p in paths:
        if p.is_dir():
            found += sorted(_walk(p, problems))
        else:
            found.append(p)
    return found


def _walk(top: Path, problems: dict[Path, str]) -> Iterator[Path]:
    """Input files below ``top``, and the paths that could not be searched (named in ``problems``)."""
    seen: set[str] = set()
    todo = [top]
    while todo:
        folder = todo.pop()
        real = os.path.realpath(folder)
        if real in seen:
            problems[folder] = "symbolic link to a folder already searched (a loop); not searched again"
            yield folder
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as e:
            problems[folder] = f"cannot read folder: {e.strerror or e}"
            yield folder
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    path.stat()                  # raises for a broken or looping link
                if entry.is_dir():
                    todo.append(path)
                elif entry.is_file() and path.suffix.lower() in SUFFIXES:
                    yield path
            except OSError as e:
                if entry.is_symlink():
                    kind = "looping" if e.errno == errno.ELOOP else "broken"
                    problems[path] = f"{kind} symbolic link (to {os_text(os.readlink(path))}): {e.strerror}"
                else:
                    problems[path] = f"cannot read: {e.strerror or e}"
                yield path
