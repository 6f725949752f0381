"""Character tests the entity rules share: lower case that keeps offsets, Han ideographs."""
from __future__ import annotations


def lower(text: str) -> str:
    """Lower case, one character for one (offsets stay valid): a character whose lower
    case is longer (İ) stays as it is."""
    low = text.lower()
    if len(low) == len(text):        # no character grew, so each maps to one
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def is_han(ch: str) -> bool:
    """A CJK ideograph, the extensions included (郭明錤 becomes 郭明𫓹 under t2s)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0003134f"
