"""Dates in Chinese news text, resolved against the article's publication date.

Absolute (2025年12月8日), partial (12月8日 takes the document's year), ranges
(9月15日至16日 is dated by its start), relative (今年7月, 上月, 8月份, 去年).
Values are ISO strings of three precisions: YYYY-MM-DD (xsd:date),
YYYY-MM (xsd:gYearMonth) and YYYY (xsd:gYear).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from rdflib import XSD, Literal

_NUM = r"(\d{1,4}|[〇零一二三四五六七八九十两]{1,3})"
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}

PATTERN = re.compile(
    r"(?P<iso>(?<!\d)(?P<iy>(?:19|20)\d{2})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d))"
    r"|(?P<rel>今年|去年|前年|明年|本月|上月|上个月|下月|下个月|昨天|昨日|今天|今日|前天|上周|本周)"
    r"(?:(?P<rm>" + _NUM + r")月(?:份)?(?:(?P<rd>" + _NUM + r")[日号])?)?"
    r"|(?:(?P<y>(?:19|20)\d{2})年)(?:(?P<m>" + _NUM + r")月(?:份)?(?:(?P<d>" + _NUM + r")[日号])?)?"
    r"|(?<![\d年])(?P<m2>" + _NUM + r")月(?:份)?(?:(?P<d2>" + _NUM + r")[日号])?"
    r"|(?<![\d月年至到\-~—])(?P<d3>\d{1,2})日(?=[,,电讯晚早上下中宣表发称])"
)
_RANGE_TAIL = re.compile(r"\s*(?:至|到|-|—|~)\s*(?:\d{1,2}月)?\d{1,2}[日号]")
_DEADLINE_BEFORE = ("至", "到", "截至", "直到", "直至", "期限", "延至", "推迟到")


#: An article that gives no date of its own still orders what it tells (1月13日 before
#: 2月3日): its partial dates are read in this placeholder year, which is never written out.
UNKNOWN_YEAR_DATE = "0004-12-31"


def year_known(value: str | None) -> bool:
    """False for a value read in the placeholder year of an undated article."""
    return bool(value) and value[:4] >= "1000"          # 去年 in the placeholder year is 0003


def comparable(a: str | None, b: str | None) -> bool:
    """Both dates known and of the same calendar (both real, or both of one undated article)."""
    return bool(a) and bool(b) and year_known(a) == year_known(b)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: str        # YYYY, YYYY-MM or YYYY-MM-DD
    deadline: bool    # introduced by 至/截至: a time limit, not when the act happened


def _int(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        if ch not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[ch]
    return value


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if m is not None and not 1 <= m <= 12:
        return None
    if d is not None:
        try:
            return date(y, m, d).isoformat()
        except (ValueError, TypeError):
            return None
    return f"{y:04d}-{m:02d}" if m else f"{y:04d}"


def find(text: str, doc_date: str | None) -> list[DateMention]:
    """Every date expression in text; partial and relative ones need doc_date to resolve."""
    ref = date.fromisoformat(doc_date) if doc_date else None
    # in the placeholder year only month and day are known: 本月, 昨天 or 25日 say nothing
    undated = ref is not None and not year_known(doc_date)
    out = []
    for m in PATTERN.finditer(text):
        value = None
        if m.group("iso"):
            value = _fmt(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        elif m.group("y"):
            value = _fmt(int(m.group("y")), _int(m.group("m")), _int(m.group("d")))
        elif m.group("rel") and ref and not (undated and m.group("rel") not in ("今年", "去年", "前年", "明年")):
            value = _relative(m.group("rel"), _int(m.group("rm")), _int(m.group("rd")), ref)
        elif m.group("m2") and ref:
            month, day = _int(m.group("m2")), _int(m.group("d2"))
            if month and 1 <= month <= 12:
                year = ref.year
                # a month well after publication was last year's (an article in January about 12月)
                if month > ref.month + 1:
                    year -= 1
                value = _fmt(year, month, day)
        elif m.group("d3") and ref and not undated:
            # a day alone (25日宣布) is in the month of publication, or the one before
            day = int(m.group("d3"))
            y, mo = (ref.year, ref.month) if day <= ref.day else divmod(ref.year * 12 + ref.month - 2, 12)
            value = _fmt(y, mo if day <= ref.day else mo + 1, day)
        if not value:
            continue
        before = text[max(0, m.start() - 4):m.start()]
        deadline = before.endswith(_DEADLINE_BEFORE) and not _is_range_end(text, m.start())
        out.append(DateMention(m.start(), m.end(), value, deadline))
    return out


def _is_range_end(text: str, start: int) -> bool:
    """True for the 16日 of 9月15日至16日 (a range), False for 至12月16日 (a deadline)."""
    head = text[max(0, start - 12):start]
    return bool(re.search(r"\d[日号]\s*(?:至|到)$", head))


def _relative(word: str, month: int | None, day: int | None, ref: date) -> str | None:
    if word in ("今年", "去年", "前年", "明年"):
        year = ref.year + {"今年": 0, "去年": -1, "前年": -2, "明年": 1}[word]
        return _fmt(year, month, day)
    if word in ("本月", "上月", "上个月", "下月", "下个月"):
        shift = {"本月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}[word]
        y, mth = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
        return _fmt(y, mth + 1)
    days = {"昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "前天": -2}
    if word in days:
        return (ref + timedelta(days=days[word])).isoformat()
    if word in ("上周", "本周"):
        d = ref - timedelta(days=7 if word == "上周" else 0)
        return _fmt(d.year, d.month)
    return None


def literal(value: str) -> Literal:
    """Typed literal for an ISO value of any of the three precisions."""
    if len(value) == 10:
        return Literal(value, datatype=XSD.date)
    if len(value) == 7:
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.gYear)
