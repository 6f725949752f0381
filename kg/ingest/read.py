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
import json
import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator

from kg.chinese import converter
from kg.knowledge import Knowledge, default
from kg.ingest.clean import clean, metadata_date, source_lines, source_url
from kg.ingest.decode import MAX_ARTICLE_CHARS, IngestError, decode_report
from kg.ingest.html import html_page as html_page_of
from kg.ingest.mapped import Mapped, is_traditional, simplify
from kg.records import Article

SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}
MAX_ID_CHARS = 200           # a longer document id is replaced by its start and a hash (with a warning)

# Limits that keep a messy folder from exhausting memory or time (README: "Bad input and exit codes").
MAX_FILE_MB = 10             # a .txt/.html file larger than this is refused without being read
MAX_LINE_MB = 10             # JSONL files are read as a stream; a record line larger than this is refused


# --------------------------------------------------------------------------
# Reading sources


def build_article(doc_id: str, source: str, original: str, *, encoding: str = "utf-8",
                  html_page: bool = False, title: str | None = None, date: str | None = None,
                  url: str | None = None, line: int | None = None,
                  knowledge: Knowledge | None = None) -> Article:
    """One article from its decoded ``original``, cleaned by the clutter rules of ``knowledge``
    (by default those of kg.knowledge.default())."""
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
    site = page_url = None
    if html_page:
        try:
            page = html_page_of(original, warnings)
        except IngestError:
            raise
        except Exception:  # html.parser gives up on some malformed <![ declarations (AssertionError)
            try:  # read them as bogus comments instead; same length, so the offsets still hold
                page = html_page_of(original.replace("<![", "<!-"), warnings)
            except IngestError:
                raise
            except Exception as e:
                raise IngestError(f"malformed HTML: {one_line(str(e))[:200]}") from None
        body = page.body
        if len(body.text) > MAX_ARTICLE_CHARS:
            raise IngestError(f"article too long ({len(body.text):,} characters of visible text > "
                              f"{MAX_ARTICLE_CHARS:,} limit)")
        title = title or page.title
        date = date or page.date
        page_url, site = source_url(page.url), page.site
    else:
        body = Mapped.slice_of(original, 0, len(original))
    rules = (knowledge or default()).clutter
    line_url, line_outlet = source_lines(body.text, rules)
    url, outlet = url or page_url or line_url, line_outlet or site   # a JSONL url is taken as given
    kept, found_title, found_date, date_source = clean(body, rules, date)
    if date and date_source != "label" and metadata_date(date):
        found_date, date_source = metadata_date(date), "metadata"
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
                   traditional=traditional, url=url, outlet=outlet, line=line, warnings=warnings)


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


def read_file(path: Path, knowledge: Knowledge | None = None) -> Iterator[Article]:
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
        yield from _read_jsonl(path, source, knowledge)
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
    art = build_article(os_text(path.stem), source, text, encoding=encoding, knowledge=knowledge,
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


def _read_jsonl(path: Path, source: str, knowledge: Knowledge | None) -> Iterator[Article]:
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
            art = build_article(doc_id, source, original, encoding="utf-8", knowledge=knowledge,
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
