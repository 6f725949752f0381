"""Stage 1 — ingest: bytes on disk to clean Simplified-Chinese articles."""
from kg.ingest.read import (MAX_ARTICLE_CHARS, MAX_FILE_MB, MAX_LINE_MB, SUFFIXES, Article, IngestError,
                            Mapped, build_article, clean, decode, decode_report, find_inputs, html_to_lines,
                            is_traditional, one_line, os_text, read_file, simplify)

__all__ = ["MAX_ARTICLE_CHARS", "MAX_FILE_MB", "MAX_LINE_MB", "SUFFIXES", "Article", "IngestError", "Mapped",
           "build_article", "clean", "decode", "decode_report", "find_inputs", "html_to_lines", "is_traditional",
           "one_line", "os_text", "read_file", "simplify"]
