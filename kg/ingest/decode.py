"""Bytes to text: byte-order marks, strict UTF-8, then the best of the CJK legacy codecs."""
from __future__ import annotations

import codecs


MAX_ARTICLE_CHARS = 100_000  # an article longer than this (for HTML: its visible text) is refused


class IngestError(Exception):
    """A source that cannot be read as an article; the message names the problem."""


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


#: every byte but the C0 controls that _control_share counts (deleted, the rest are counted)
_NOT_COUNTED = bytes(b for b in range(256) if not (b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B)))


def _control_share(head: bytes) -> float:
    """Share of C0 control bytes other than tab, newline, form feed, carriage return and escape."""
    if not head:
        return 0.0
    return len(head.translate(None, _NOT_COUNTED)) / len(head)


def _looks_utf16(data: bytes) -> bool:
    head = data[:4096]
    if len(head) < 4:
        return False
    even_nul = head[0::2].count(0) / (len(head) / 2)
    odd_nul = head[1::2].count(0) / (len(head) / 2)
    # Chinese UTF-16 has few NULs; Latin has many in one lane. Either way one lane dominates.
    return (odd_nul > 0.3 and even_nul < 0.05) or (even_nul > 0.3 and odd_nul < 0.05)
