"""HTML to lines of visible text, each character mapped to its offset in the page."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from kg.ingest.mapped import Mapped

_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "iframe", "svg", "button", "select", "template", "head", "menu",
              "figcaption"}   # image captions are page furniture, not the article (gold guidelines)
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
