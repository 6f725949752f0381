"""Names the catalog lacks, found by the patterns of ontology/names.yaml.

Each rule reads the text and the mentions found so far (:class:`~kg.nlp.found.Found`)
and claims only free spans; :class:`~kg.nlp.entities.EntityFinder` runs them in a fixed
order, the surest first. A rule returns nothing: it adds to ``found``.
"""
from __future__ import annotations

import re

from kg.nlp.chars import is_han
from kg.nlp.found import Found, new_key
from kg.nlp.rules import NameRules
from kg.records import Mention, NewEntity


def title_names(f: Found, title_spans: list[tuple[int, int]]) -> None:
    """Names right after a post title: 美国商务部长卢特尼克, 外交部发言人林剑, 议员格雷戈里·米克斯."""
    r, text = f.rules, f.text
    for ts, te in title_spans:
        name = name_after(r, text, te, f.starts)
        if name and f.free(te, te + len(name)):
            f.add_new(name, "Person", te, te + len(name), "title-name")
        elif name is None:
            latin = r.latin_person.match(text, te)       # 分析师Dylan Patel
            if latin and f.free(te, latin.end()) and not text[latin.end():latin.end() + 1].isalnum():
                f.add_new(latin.group(), "Person", te, latin.end(), "title-name")


def cue_orgs(f: Found) -> None:
    """Organisations after a word that says what they are: 研究机构SemiAnalysis, 网络设备商迈络思（Mellanox）."""
    r, text = f.rules, f.text
    for cue, cls in r.org_cues:
        for m in re.finditer(re.escape(cue), text):
            pos = m.end()
            latin = r.latin_org.match(text, pos)
            if latin and f.free(pos, latin.end()) and latin.group() not in r.not_company_names:
                f.add_new(latin.group(), cls, pos, latin.end(), "cue-org")
                continue
            han = re.match(r"[\u4e00-\u9fff]{2,6}(?=[（(][A-Z])", text[pos:pos + 8])
            if han and f.free(pos, pos + han.end()):
                f.add_new(han.group(), cls, pos, pos + han.end(), "cue-org")


def suffix_orgs(f: Found) -> None:
    """A transliterated name before an organisation suffix: 哈德逊研究所, 霍士商业频道."""
    r, text = f.rules, f.text
    for suffix, cls in r.org_suffixes:
        for m in re.finditer(re.escape(suffix), text):
            run = translit_run_before(r, text, m.start(), f.free)
            s, e = m.start() - len(run), m.end()
            if len(run) >= 2 and f.free(s, e) and (s == 0 or not is_han(text[s - 1])
                                                   or text[s - 1] in r.list_breaks or not f.free(s - 1, s)
                                                   or any(text.endswith(w, 0, s) for w in r.org_lead_words)):
                f.add_new(text[s:e], cls, s, e, "suffix-org")


def cited_media(f: Found) -> None:
    """Outlets cited as sources that the catalog lacks: 据The Verge报道, 据《商业内幕》报道."""
    r, text = f.rules, f.text
    for pattern in r.media_cites:
        for m in pattern.finditer(text):
            s, e = m.span("m")
            name = m.group("m").strip()
            if name and f.free(s, e) and name not in r.not_company_names:
                f.add_new(name, "Media", s, e, "cited-media")


def cue_people(f: Found) -> None:
    """Names after a word that marks a person without a post: 新加坡男子温国杰及韦兆伦."""
    r, text = f.rules, f.text
    for cue in r.person_cues:
        for m in re.finditer(re.escape(cue), text):
            pos = m.end()
            while pos < len(text):
                name = name_after(r, text, pos, f.starts, han_only=True)
                if not name or not f.free(pos, pos + len(name)):
                    break
                f.add_new(name, "Person", pos, pos + len(name), "cue-name")
                pos += len(name)
                if text[pos:pos + 1] in ("及", "和", "与", "、"):
                    pos += 1
                else:
                    break


def dotted_names(f: Found) -> None:
    """Transliterated names joined by a middle dot anywhere: 格雷戈里·米克斯."""
    r, text = f.rules, f.text
    for m in r.dotted_name.finditer(text):
        s, e = m.span()
        if text[s - 1:s] == "《" and text[e:e + 1] == "》":
            continue    # a title (《哈利·波特》), not a person
        if f.free(s, e) and len(m.group()) >= 4:
            f.add_new(m.group(), "Person", s, e, "dotted-name")


def bracketed(f: Found) -> None:
    """A name and its original in brackets: 里基茨（Pete Ricketts）, 特朗普（Donald Trump，又译川普）.

    A new entity that turns out to be a catalogued one (马斯特（Brian Mast）) takes the
    catalog's key, in every mention found so far."""
    renames = _bracketed(f)
    if renames:
        f.mentions[:] = [m if m.key not in renames else
                         Mention(renames[m.key], m.cls, m.start, m.end, m.surface, m.sent, m.how)
                         for m in f.mentions]
        for key in renames:
            f.new.pop(key, None)


def _bracketed(f: Found) -> dict[str, str]:
    """Latin originals and inline aliases in brackets after a name. Returns the new
    entities that turned out to be catalogued ones (new key -> catalog key)."""
    r, text = f.rules, f.text
    by_end, by_start, renames = {}, {}, {}
    for m in f.mentions:
        by_end.setdefault(m.end, m)
        by_start.setdefault(m.start, m)
    for b in re.finditer(r"[（(]([^（）()\n]{1,80})[）)]", text):
        pos, inner = b.start(), b.group(1)
        istart = b.start(1)
        parts = re.split(r"[，,；;]\s*", inner)
        latin = parts[0].strip()
        before = by_end.get(pos)
        ls = istart + inner.index(latin) if latin else -1
        known = by_start.get(ls) if latin else None          # the Latin form is in the catalog
        if known is not None and (known.end != ls + len(latin) or known.key not in r.known_keys):
            known = None
        if before is None:
            # an unlisted transliterated name right before the bracket: 芮基兹（Pete Ricketts）
            run = translit_run_before(r, text, pos, f.free)
            if run and f.free(pos - len(run), pos) and (
                    known is not None and known.cls == "Person" or known is None and r.latin_person.fullmatch(latin)):
                if known is not None:
                    f.add(known.key, "Person", pos - len(run), pos, "bracket-name")
                    before = Mention(known.key, "Person", pos - len(run), pos, run, 0, "bracket-name")
                else:
                    key = f.add_new(run, "Person", pos - len(run), pos, "bracket-name")
                    before = Mention(key, "Person", pos - len(run), pos, run, 0, "bracket-name")
                by_end[pos] = before
        elif known is not None and before.key not in r.known_keys and known.cls == before.cls:
            # 马斯特（Brian Mast）: the name found after a title is the catalog's Brian Mast
            renames[before.key] = known.key
            continue
        if before is None or before.cls not in ("Person", "Company", "Media", "GovernmentBody", "Product"):
            continue
        # the Latin original: a mention of the same entity
        if latin and re.fullmatch(r"[A-Za-z][A-Za-z0-9 .&'\-]{1,60}", latin) and not latin.isupper() \
                or latin and latin.isupper() and 2 <= len(latin) <= 8 and before.cls != "Person":
            ls = istart + inner.index(latin)
            if f.free(ls, ls + len(latin)) and latin not in r.not_company_names:
                f.add(before.key, before.cls, ls, ls + len(latin), "bracket-original")
        # 又译川普, 台湾译辉达: an alias given inline
        for part in parts:
            for marker in r.alias_markers:
                if part.startswith(marker):
                    alias = part[len(marker):].strip().strip("“”「」\"'")
                    if 2 <= len(alias) <= 12:
                        a0 = istart + inner.index(part) + inner[inner.index(part):].index(alias)
                        if f.free(a0, a0 + len(alias)):
                            f.add(before.key, before.cls, a0, a0 + len(alias), "inline-alias")
                    break
    return renames


def product_codes(f: Found) -> None:
    """Chip model codes in a sentence about chips (names.yaml: product_code, product_context)."""
    r, text = f.rules, f.text
    for m in r.product_code.finditer(text):
        s, e = m.span(1)
        if not f.free(s, e):
            continue
        sent = f.sentences[f.sent_of(s)] if f.sentences else (0, len(text))
        if not any(w in text[sent[0]:sent[1]] for w in r.product_context):
            continue
        code = m.group(1)
        key = r.product_keys.get(code.lower()) or new_key(r, code, "Product")
        if key not in r.known_keys:
            f.new.setdefault(key, NewEntity(key, "Product", code, "product-code"))
        f.add(key, "Product", s, e, "product-code")


def company_names(f: Found) -> None:
    """Capitalised Latin names before 公司 (Anthropic公司), or right after it (的公司Luxuriate Your Life)."""
    r, text = f.rules, f.text
    for suffix in r.company_suffixes:
        for m in re.finditer(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&.\-]{1,30})" + re.escape(suffix), text):
            s, e = m.span(1)
            if not f.free(s, e):
                continue
            name = m.group(1)
            if len(name) < 3 or name in r.not_company_names:
                continue
            f.add_new(name, "Company", s, e, "company-name")
    for prefix in r.company_prefixes:
        for m in re.finditer(re.escape(prefix) + r"([A-Z][A-Za-z0-9&.\-]+(?: [A-Z][A-Za-z0-9&.\-]+){0,4})"
                             r"(?![A-Za-z0-9])", text):
            s, e = m.span(1)
            name = m.group(1)
            if f.free(s, e) and len(name) >= 3 and name not in r.not_company_names:
                f.add_new(name, "Company", s, e, "company-name")


def recurrences(f: Found) -> None:
    """The rest of the article: a name found once names the same entity wherever it recurs,
    and so does the last part of a dotted name (米克斯 after 格雷戈里·米克斯)."""
    r, text = f.rules, f.text
    forms: dict[str, tuple[str, str]] = {}
    for m in f.mentions:
        if m.how in ("pronoun",) or m.cls != "Person" and m.how == "catalog":
            continue
        surface = m.surface
        if m.how != "catalog" and m.how != "nickname" and not surface.isascii():
            forms.setdefault(surface, (m.key, m.cls))
        if m.cls == "Person":
            for d in r.dots:
                if d in surface:
                    last = surface.rsplit(d, 1)[1]
                    if len(last) >= 2 and not last.isascii():
                        forms.setdefault(last, (m.key, m.cls))
    for form, (key, cls) in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(re.escape(form), text):
            s, e = m.span()
            if not f.free(s, e):
                continue
            if len(form) < 3 and not (s in f.starts and e in f.ends):
                continue
            if s and text[s - 1] in r.translit and is_han(text[s - 1]) and len(form) < 3:
                continue
            f.add(key, cls, s, e, "recurrence")


def surname_refs(f: Found) -> None:
    """穆氏 for 穆勒纳尔: surname + 氏 names the one person of that surname mentioned before."""
    r, text = f.rules, f.text
    if not r.surname_suffix:
        return
    for m in re.finditer(r"([\u4e00-\u9fff])" + re.escape(r.surname_suffix), text):
        s, e = m.span()
        if not f.free(s, e) or s and is_han(text[s - 1]) and s not in f.starts:
            continue
        people = {p.key for p in f.mentions if p.cls == "Person" and p.end <= s and p.how != "pronoun"
                  and p.surface[:1] == m.group(1)}
        if len(people) == 1 and text[e:e + 1] not in ("度", "族"):
            key = people.pop()
            f.add(key, "Person", s, e, "surname")


def home_government(f: Found) -> None:
    """官方 alone: the authorities of the country the news comes from (names.yaml: home_government)."""
    r, text = f.rules, f.text
    if r.home_government not in r.catalog.entities:
        return
    home = r.catalog.entities[r.home_government]
    for word in r.home_words:
        for m in re.finditer(re.escape(word), text):
            s, e = m.span()
            if any(text.startswith(w, e) for w in r.home_not_before):
                continue
            if s in f.starts and e in f.ends and f.free(s, e) and not any(b == s for _, b in f.taken):
                f.add(home.key, home.cls, s, e, "home-government")


# --------------------------------------------------------------------------
# What the rules share


def inside_dotted_name(r: NameRules, text: str, s: int, e: int) -> bool:
    """[s, e) is one part of a longer dotted name (沃纳 in 沃纳·赫尔佐格)."""
    before = s >= 2 and text[s - 1] in r.dots and text[s - 2] in r.translit
    after = e + 1 < len(text) and text[e] in r.dots and text[e + 1] in r.translit
    return before or after


def translit_run_before(r: NameRules, text: str, pos: int, free) -> str:
    """The transliterated run (2 to 12 characters) that ends at ``pos``, over free characters, or ""."""
    i = pos
    while i > 0 and free(i - 1, i) and (text[i - 1] in r.translit or text[i - 1] in r.dots
                                         and i - 1 > 0 and text[i - 2] in r.translit):
        i -= 1
    # a Chinese surname before a short run, right after a break (、李德（Jack Reed）)
    if pos - i <= 2 and i > 0 and text[i - 1] in r.surnames and free(i - 1, i) and (
            i == 1 or not is_han(text[i - 2]) or text[i - 2] in r.list_breaks or not free(i - 2, i - 1)):
        i -= 1
    run = text[i:pos].lstrip("".join(r.dots))
    if len(run) < 2 or len(run) > 12:
        return ""
    for bad in r.not_names:
        if len(bad) > 1 and run.startswith(bad):
            return ""
    return run


def name_after(r: NameRules, text: str, pos: int, starts: set[int], han_only: bool = False) -> str | None:
    """The person's name that starts at ``pos`` (transliterated, or a Chinese surname and given
    name), or None; ``han_only``: only the Chinese form."""
    run = ""
    i = pos
    while not han_only and i < len(text) and i - pos < 16:
        ch = text[i]
        if ch in r.translit:
            run += ch
        elif ch in r.dots and run and i + 1 < len(text) and text[i + 1] in r.translit:
            run += ch
        else:
            break
        if len(run) >= 5 and not any(d in run for d in r.dots) and \
                not (i + 1 < len(text) and text[i + 1] in r.dots):
            break
        i += 1
    for bad in sorted(r.not_names, key=len, reverse=True):
        if run.startswith(bad):
            return None
    # trim to a token boundary (or to where a word that is no name begins: 霍利|罕见),
    # never at a middle dot; keep 2 characters or more
    for length in range(len(run), 1, -1):
        end = pos + length
        nxt = text[end:end + 1]
        if run[length - 1] in r.dots or nxt in r.dots:
            continue
        if end in starts or end == len(text) or not is_han(nxt) or \
                any(text.startswith(b, end) for b in r.not_names):
            return run[:length]
    # a Chinese name: surname + one or two characters, ending at a token boundary
    if pos < len(text) and text[pos] in r.surnames:
        for length in (3, 2):
            cand = text[pos:pos + length]
            # the name ends a token, or (after a cue word) a function word follows it (李明则被控)
            ends_here = pos + length in starts or han_only and text[pos + length:pos + length + 1] in r.not_names
            if len(cand) == length and all(is_han(c) for c in cand) and ends_here \
                    and not any(cand.startswith(b) or cand.endswith(b) for b in r.not_names):
                return cand
    return None

