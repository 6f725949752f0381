"""Text with a map back to the original, and Traditional → Simplified keeping that map.

Each character of a :class:`Mapped` string knows the [start, end) span of the
original it came from, so that every offset of the graph points into the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Iterator

from kg.chinese import converter


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


_HAN = re.compile("[\u4e00-\u9fff]")


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Han characters change under t2s."""
    sample = "".join(_HAN.findall(text[:20000]))
    if not sample:
        return False
    converted = converter("t2s").convert(sample)
    changed = sum(map(str.__ne__, sample, converted))
    return changed / len(sample) > 0.03


def simplify(m: Mapped, config: str = "t2s") -> Mapped:
    """Convert with OpenCC, keeping the map even where a phrase changes length.

    t2s is used for every article: tw2sp also rewrites Taiwanese vocabulary and
    gets some of it wrong (首席執行官 → 首席运行官), so regional forms such as
    辉达 and 晶片 are covered by the catalog and the lexicon instead.
    """
    conv = converter(config).convert
    out = Mapped()
    for line in split_keep(m):
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


def split_keep(m: Mapped) -> Iterator[Mapped]:
    """Split at newlines (kept), so phrase conversion never crosses a line."""
    start = 0
    text = m.text
    while (i := text.find("\n", start)) >= 0:
        yield m.sub(start, i + 1)
        start = i + 1
    if start < len(text):
        yield m.sub(start, len(text))
