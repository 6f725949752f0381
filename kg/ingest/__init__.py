"""Stage 1 — ingest: bytes on disk to clean Simplified-Chinese articles (:class:`kg.records.Article`).

``decode`` turns bytes into text, ``html`` a page into lines of visible text, ``clean``
drops page furniture and finds title and date, ``mapped`` converts to Simplified
keeping a map back to the original, ``read`` reads files (.txt, .html, .jsonl) into
articles. Every offset of an Article points back into its ``original``.
"""
from kg.ingest.clean import clean
from kg.ingest.decode import MAX_ARTICLE_CHARS, IngestError, decode, decode_report
from kg.ingest.html import MAX_HTML_UNCLOSED, html_to_lines
from kg.ingest.mapped import Mapped, is_traditional, simplify
from kg.ingest.read import (MAX_FILE_MB, MAX_ID_CHARS, MAX_LINE_MB, SUFFIXES, build_article, find_inputs, md_code,
                            md_escape, one_line, os_text, read_file)
from kg.records import Article

__all__ = ["MAX_ARTICLE_CHARS", "MAX_FILE_MB", "MAX_HTML_UNCLOSED", "MAX_ID_CHARS", "MAX_LINE_MB", "SUFFIXES", "Article", "IngestError", "Mapped",
           "build_article", "clean", "decode", "decode_report", "find_inputs", "html_to_lines", "is_traditional",
           "md_code", "md_escape", "one_line", "os_text", "read_file", "simplify"]
