"""HTML to lines of visible text, each character mapped to its offset in the page."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from kg.ingest.decode import MAX_ARTICLE_CHARS, IngestError
from kg.ingest.mapped import Mapped

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
        self.meta = {}          # canonical, og:url, og:site_name: the first of each

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
            if name in {"og:url", "og:site_name"} and d.get("content"):
                self.meta.setdefault(name, d["content"].strip())
            if name in {"article:published_time", "pubdate", "publishdate", "datepublished",
                        "og:published_time", "publish_date", "date"} and d.get("content"):
                self.meta_date = self.meta_date or d["content"]
        if tag == "link":
            d = dict(attrs)
            if "canonical" in (d.get("rel") or "").lower().split() and d.get("href"):
                self.meta.setdefault("canonical", d["href"].strip())
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


@dataclass(frozen=True)
class Page:
    """What an HTML page gives beside its text: title, date, canonical URL, site name."""
    body: Mapped
    title: str
    date: str | None
    url: str | None = None          # <link rel="canonical">, else <meta property="og:url">
    site: str | None = None         # <meta property="og:site_name">


def html_page(source: str, warnings: list | None = None) -> Page:
    """The page read (see :func:`html_to_lines`), with its canonical URL and site name."""
    parser = _parse(source, warnings)
    body, title, date = _result(parser)
    meta = parser.meta
    return Page(body, title, date, url=meta.get("canonical") or meta.get("og:url"), site=meta.get("og:site_name"))


def html_to_lines(source: str, warnings: list | None = None) -> tuple[Mapped, str, str | None]:
    """Lines of visible text (mapped to page offsets), the title and the metadata date."""
    return _result(_parse(source, warnings))


def _result(parser: "_HtmlText") -> tuple[Mapped, str, str | None]:
    return parser.out, re.sub(r"\s+", " ", html.unescape(parser.title)).strip(), parser.meta_date


def _parse(source: str, warnings: list | None) -> "_HtmlText":
    parser = _HtmlText(source)
    parser.feed(source)
    rest = parser.rawdata
    if len(rest) > MAX_HTML_UNCLOSED:
        what = (f"<{parser.cdata_elem}> element" if parser.cdata_elem else "comment '<!--'"
                if rest.startswith("<!--") else f"construct {' '.join(rest[:12].split())!r}")
        if warnings is not None:
            warnings.append(f"HTML: an unclosed {what} at character {len(source) - len(rest):,} hides the "
                            f"remaining {len(rest):,} characters; they are not read")
    else:
        parser.close()
    return parser
