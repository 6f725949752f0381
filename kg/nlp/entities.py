"""Stage 2 — nlp: segmentation, sentences and entity mentions.

A spaCy ``Chinese`` pipeline with the pkuseg segmenter (see :mod:`kg.model`),
whose user dictionary is the catalog's surface forms, followed by two small
components registered by name:

``kg_sentences``
    sentence boundaries at 。!?… and line breaks, closing quotes kept.
``kg_entities``
    catalog mentions (longest match, token boundaries respected, ambiguous
    aliases resolved by the rest of the document), then actors and products
    the catalog lacks (names after post titles, chip model codes, Latin names
    before 公司), then pronouns resolved to the nearest clear antecedent.

The result of :func:`analyse` is plain data (:class:`Analysis`), so later
stages do not depend on spaCy objects.
"""
from __future__ import annotations

import bisect
import gc
import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg import knowledge
from kg.nlp import model
from kg.ingest import Article

SENTENCE_END = set("。!?!?…")
CLOSERS = set("”’」』)】》\"'")
MAX_SENTENCE_CHARS = 400   # extraction is superlinear in sentence length; real sentences are far shorter


@dataclass(frozen=True)
class Mention:
    key: str
    cls: str
    start: int          # offsets into Article.text
    end: int
    surface: str
    sent: int           # index of the sentence it is in
    how: str            # catalog | nickname | ambiguous | title-name | product-code | company-name | pronoun


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class NewEntity:
    key: str
    cls: str
    label: str
    how: str


@dataclass
class Analysis:
    article: Article
    tokens: list[tuple[int, int]]
    sentences: list[Sentence]
    mentions: list[Mention]                 # names as written (no pronouns)
    pronouns: list[Mention] = field(default_factory=list)
    new_entities: dict[str, NewEntity] = field(default_factory=dict)

    def sentence_of(self, offset: int) -> int:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


# --------------------------------------------------------------------------
# Sentence splitting


def sentence_spans(text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans over token boundaries: after 。!?… (plus closing quotes) and at line breaks."""
    spans, start, i = [], None, 0
    n = len(tokens)
    while i < n:
        s, e = tokens[i]
        tok = text[s:e]
        if tok.isspace():
            if "\n" in tok and start is not None:
                spans.append((start, s))
                start = None
            i += 1
            continue
        if start is None:
            start = s
        elif e - start > MAX_SENTENCE_CHARS:   # a run with no sentence end: cut it at a token boundary
            spans.append((start, s))
            start = s
        if tok[-1] in SENTENCE_END or tok in SENTENCE_END:
            j = i + 1
            while j < n and (text[tokens[j][0]:tokens[j][1]] in CLOSERS
                             or text[tokens[j][0]:tokens[j][1]] in SENTENCE_END):
                j += 1
            end = tokens[j - 1][1]
            spans.append((start, end))
            start = None
            i = j
            continue
        i += 1
    if start is not None:
        spans.append((start, tokens[-1][1]))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# --------------------------------------------------------------------------
# Entity mentions


class EntityFinder:
    """Catalog and pattern matching over one text; pure Python, no spaCy objects."""

    def __init__(self):
        cat = knowledge.catalog()
        rules = knowledge.name_rules()
        self.catalog = cat
        self.forms: dict[str, str] = {}           # lower-cased form -> key or "?" for ambiguous
        for form, key in cat.surface.items():
            self.forms[_lower(form)] = key
        for form in cat.ambiguous:
            self.forms[_lower(form)] = "?"
        for form in cat.blocked:
            self.forms.setdefault(_lower(form), "")    # matched as a unit, then dropped
        self.ambiguous = {_lower(f): keys for f, keys in cat.ambiguous.items()}
        self.ambiguous_raw = cat.ambiguous
        self.titles = set(cat.titles)
        self.maxlen = max((len(f) for f in list(self.forms) + list(self.titles)), default=1)
        self.nicknames = {_lower(n) for n in cat.nicknames}
        self.translit = set("".join(rules.get("transliteration", "").split()))
        self.surnames = set("".join(rules.get("surnames", "").split()))
        self.not_names = set(rules.get("not_names") or []) | set(rules.get("not_names_more") or [])
        self.dots = set(rules.get("name_dots") or "·")
        tr = re.escape("".join(sorted(self.translit)))
        dots = re.escape("".join(sorted(self.dots)))
        self.dotted_name = re.compile(f"[{tr}]{{1,8}}(?:[{dots}][{tr}]{{1,8}})+") if self.translit else re.compile(r"(?!x)x")
        self.latin_person = re.compile(rules.get("latin_person_name") or r"(?!x)x")
        self.alias_markers = sorted(rules.get("alias_markers") or [], key=len, reverse=True)
        self.person_cues = sorted(rules.get("person_cues") or [], key=len, reverse=True)
        self.list_breaks = set(rules.get("list_breaks") or "、，,与和及的是")
        self.media_cites = [re.compile(p) for p in rules.get("media_cite_patterns") or []]
        self.org_cues = sorted((rules.get("org_cues") or {}).items(), key=lambda kv: -len(kv[0]))
        self.org_suffixes = sorted((rules.get("org_suffixes") or {}).items(), key=lambda kv: -len(kv[0]))
        self.org_lead_words = list(rules.get("org_lead_words") or [])
        self.latin_org = re.compile(r"[A-Z][A-Za-z0-9.&'\-]+(?: [A-Z][A-Za-z0-9.&'\-]+){0,3}(?![A-Za-z0-9])")
        self.surname_suffix = rules.get("surname_suffix") or ""
        self.home_not_before = list(rules.get("home_government_not_before") or [])
        self.place_sides = dict(rules.get("place_sides") or {})
        self.whole_governments = set(rules.get("whole_governments") or [])
        self.perspective = dict(rules.get("perspective_forms") or {})
        self.publisher_lines = [re.compile(p.replace("{m}", "\uE000")) for p in rules.get("publisher_lines") or []]
        self.product_code = re.compile(rules.get("product_code", r"(?!x)x"))
        self.product_context = list(rules.get("product_context") or [])
        self.company_suffixes = sorted(rules.get("company_suffixes") or [], key=len, reverse=True)
        self.company_prefixes = sorted(rules.get("company_prefixes") or [], key=len, reverse=True)
        self.not_company_names = set(rules.get("not_company_names") or [])
        self.pronouns = dict(rules.get("pronouns") or {})
        self.pronoun_window = int(rules.get("pronoun_window", 2))
        self.home_government = rules.get("home_government")
        self.home_words = list(rules.get("home_government_words") or [])
        known_keys = set(cat.entities)
        self.product_keys = {_lower(a): e.key for e in cat.entities.values() if e.cls == "Product"
                             for a in e.aliases}
        self.known_keys = known_keys
        # for the scan: the lengths of the forms and titles that start with each character
        # (longest first), and a character class that jumps to the next place one can start
        lengths: dict[str, set[int]] = {}
        for f in list(self.forms) + list(self.titles):
            if f:
                lengths.setdefault(f[0], set()).add(len(f))
        self.lengths_from = {c: sorted(n, reverse=True) for c, n in lengths.items()}
        firsts = sorted(set(self.lengths_from) | {_lower(c) for c in self.lengths_from})
        self.next_start = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]" if firsts else r"(?!x)x")

    # -- catalog ----------------------------------------------------------
    def _catalog_spans(self, text: str, low: str, starts: set[int], ends: set[int]):
        """Longest-match scan; yields (start, end, key-or-'?', is_title)."""
        i, n = 0, len(text)
        while i < n:
            hit = None
            found = self.next_start.search(low, i)
            if found is None:
                return
            i = found.start()
            lengths = self.lengths_from.get(low[i], ())
            if text[i] != low[i] and text[i] in self.lengths_from:
                lengths = sorted(set(lengths) | set(self.lengths_from[text[i]]), reverse=True)
            for length in lengths:
                if length > n - i:
                    continue
                piece = low[i:i + length]
                if piece in self.forms or text[i:i + length] in self.titles:
                    if self._boundary_ok(text, i, i + length, starts, ends):
                        hit = (i, i + length, self.forms.get(piece), piece not in self.forms)
                        break
            if hit and not hit[3]:
                hit = self._yield_to_title(text, low, hit, starts, ends)
            if hit:
                yield hit
                i = hit[1]
            else:
                i += 1

    def _yield_to_title(self, text, low, hit, starts, ends):
        """美国商务部长卢特尼克: a post title overlapping the end of a name wins the overlap."""
        s, e = hit[0], hit[1]
        for j in range(s + 1, e):
            for length in range(min(self.maxlen, len(text) - j), e - j, -1):
                if text[j:j + length] in self.titles:
                    piece = low[s:j]
                    if piece in self.forms and self._boundary_ok(text, s, j, starts, ends):
                        return (s, j, self.forms[piece], False)
        return hit

    @staticmethod
    def _boundary_ok(text: str, s: int, e: int, starts: set[int], ends: set[int]) -> bool:
        piece = text[s:e]
        if piece[0].isascii() and piece[0].isalnum() or piece[-1].isascii() and piece[-1].isalnum():
            before = text[s - 1] if s else ""
            after = text[e] if e < len(text) else ""
            if before.isascii() and before.isalnum():
                return False
            if after.isascii() and after.isdigit():
                return False
            if after.isascii() and after.isalpha() and not (text.startswith("AI", e) or text.startswith("GPU", e)):
                return False
            return True
        if len(piece) >= 3:
            return True
        return s in starts and e in ends

    def find(self, text: str, tokens: list[tuple[int, int]], sentences: list[tuple[int, int]]):
        low = _lower(text)
        starts = {s for s, _ in tokens}
        ends = {e for _, e in tokens}
        sent_starts = [s for s, _ in sentences]

        def sent_of(offset: int) -> int:
            return max(0, bisect.bisect_right(sent_starts, offset) - 1)

        raw_hits = list(self._catalog_spans(text, low, starts, ends))
        mentions: list[Mention] = []
        title_spans: list[tuple[int, int]] = []
        blocked: list[tuple[int, int]] = []
        pending: list[tuple[int, int]] = []          # ambiguous forms, resolved once every name is known
        for s, e, key, is_title in raw_hits:
            if is_title:
                title_spans.append((s, e))
                continue
            if key == "":                             # a phrase that names no actor (苹果应用商店)
                blocked.append((s, e))
                continue
            if key == "?":
                pending.append((s, e))
                continue
            how = "nickname" if low[s:e] in self.nicknames else "catalog"
            ent = self.catalog.entities[key]
            if ent.cls == "Person" and self._inside_dotted_name(text, s, e):
                continue    # 沃纳 in 沃纳·赫尔佐格, 特朗普 in 梅拉尼娅·特朗普: another person's full name
            mentions.append(Mention(key, ent.cls, s, e, text[s:e], sent_of(s), how))

        taken = [(m.start, m.end) for m in mentions] + title_spans + blocked + pending
        new: dict[str, NewEntity] = {}

        def free(s, e):
            return all(e <= a or s >= b for a, b in taken)

        def add(key, cls, s, e, how):
            mentions.append(Mention(key, cls, s, e, text[s:e], sent_of(s), how))
            taken.append((s, e))

        def add_new(name, cls, s, e, how):
            key = self._new_key(name, cls, new)
            new.setdefault(key, NewEntity(key, cls, name, how))
            add(key, cls, s, e, how)
            return key

        # names right after a post title: 美国商务部长卢特尼克, 外交部发言人林剑, 议员格雷戈里·米克斯
        for ts, te in title_spans:
            name = self._name_after(text, te, starts)
            if name and free(te, te + len(name)):
                add_new(name, "Person", te, te + len(name), "title-name")
            elif name is None:
                latin = self.latin_person.match(text, te)       # 分析师Dylan Patel
                if latin and free(te, latin.end()) and not text[latin.end():latin.end() + 1].isalnum():
                    add_new(latin.group(), "Person", te, latin.end(), "title-name")
        # organisations after a word that says what they are: 研究机构SemiAnalysis, 网络设备商迈络思（Mellanox）
        for cue, cls in self.org_cues:
            for m in re.finditer(re.escape(cue), text):
                pos = m.end()
                latin = self.latin_org.match(text, pos)
                if latin and free(pos, latin.end()) and latin.group() not in self.not_company_names:
                    add_new(latin.group(), cls, pos, latin.end(), "cue-org")
                    continue
                han = re.match(r"[\u4e00-\u9fff]{2,6}(?=[（(][A-Z])", text[pos:pos + 8])
                if han and free(pos, pos + han.end()):
                    add_new(han.group(), cls, pos, pos + han.end(), "cue-org")
        # a transliterated name before an organisation suffix: 哈德逊研究所, 霍士商业频道
        for suffix, cls in self.org_suffixes:
            for m in re.finditer(re.escape(suffix), text):
                run = self._translit_run_before(text, m.start(), free)
                s, e = m.start() - len(run), m.end()
                if len(run) >= 2 and free(s, e) and (s == 0 or not _is_han(text[s - 1])
                                                     or text[s - 1] in self.list_breaks or not free(s - 1, s)
                                                     or any(text.endswith(w, 0, s) for w in self.org_lead_words)):
                    add_new(text[s:e], cls, s, e, "suffix-org")
        # outlets cited as sources that the catalog lacks: 据The Verge报道, 据《商业内幕》报道
        for pattern in self.media_cites:
            for m in pattern.finditer(text):
                s, e = m.span("m")
                name = m.group("m").strip()
                if name and free(s, e) and name not in self.not_company_names:
                    add_new(name, "Media", s, e, "cited-media")
        # names after a word that marks a person without a post: 新加坡男子温国杰及韦兆伦
        for cue in self.person_cues:
            for m in re.finditer(re.escape(cue), text):
                pos = m.end()
                while pos < len(text):
                    name = self._name_after(text, pos, starts, han_only=True)
                    if not name or not free(pos, pos + len(name)):
                        break
                    add_new(name, "Person", pos, pos + len(name), "cue-name")
                    pos += len(name)
                    if text[pos:pos + 1] in ("及", "和", "与", "、") :
                        pos += 1
                    else:
                        break
        # transliterated names joined by a middle dot anywhere: 格雷戈里·米克斯
        for m in self.dotted_name.finditer(text):
            s, e = m.span()
            if text[s - 1:s] == "《" and text[e:e + 1] == "》":
                continue    # a title (《哈利·波特》), not a person
            if free(s, e) and len(m.group()) >= 4:
                add_new(m.group(), "Person", s, e, "dotted-name")
        # a name and its original in brackets: 里基茨（Pete Ricketts）, 特朗普（Donald Trump，又译川普）
        renames = self._bracketed(text, mentions, free, add, add_new)
        if renames:
            mentions[:] = [m if m.key not in renames else
                           Mention(renames[m.key], m.cls, m.start, m.end, m.surface, m.sent, m.how) for m in mentions]
            for key in renames:
                new.pop(key, None)
        # chip model codes in a sentence about chips
        for m in self.product_code.finditer(text):
            s, e = m.span(1)
            if not free(s, e):
                continue
            sent = sentences[sent_of(s)] if sentences else (0, len(text))
            if not any(w in text[sent[0]:sent[1]] for w in self.product_context):
                continue
            code = m.group(1)
            key = self.product_keys.get(code.lower()) or self._new_key(code, "Product", new)
            if key not in self.known_keys:
                new.setdefault(key, NewEntity(key, "Product", code, "product-code"))
            add(key, "Product", s, e, "product-code")
        # capitalised Latin names before 公司: Anthropic公司
        for suffix in self.company_suffixes:
            for m in re.finditer(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&.\-]{1,30})" + re.escape(suffix), text):
                s, e = m.span(1)
                if not free(s, e):
                    continue
                name = m.group(1)
                if len(name) < 3 or name in self.not_company_names:
                    continue
                add_new(name, "Company", s, e, "company-name")
        # a Latin name right after 公司 (的公司Luxuriate Your Life): a company
        for prefix in self.company_prefixes:
            for m in re.finditer(re.escape(prefix) + r"([A-Z][A-Za-z0-9&.\-]+(?: [A-Z][A-Za-z0-9&.\-]+){0,4})"
                                 r"(?![A-Za-z0-9])", text):
                s, e = m.span(1)
                name = m.group(1)
                if free(s, e) and len(name) >= 3 and name not in self.not_company_names:
                    add_new(name, "Company", s, e, "company-name")
        # the rest of the article: a name found once names the same entity wherever it recurs,
        # and so does the last part of a dotted name (米克斯 after 格雷戈里·米克斯)
        self._recurrences(text, low, mentions, free, add, starts, ends)
        # 穆氏 for 穆勒纳尔: surname + 氏 names the one person of that surname mentioned before
        self._surname_refs(text, mentions, free, add, starts, ends)
        # 官方 alone: the authorities of the country the news comes from
        if self.home_government in self.catalog.entities:
            home = self.catalog.entities[self.home_government]
            for word in self.home_words:
                for m in re.finditer(re.escape(word), text):
                    s, e = m.span()
                    if any(text.startswith(w, e) for w in self.home_not_before):
                        continue
                    if s in starts and e in ends and free(s, e) and not any(b == s for _, b in taken):
                        add(home.key, home.cls, s, e, "home-government")
        # ambiguous forms (商务部): the side of the table the article is on at that point
        mentions.sort(key=lambda m: (m.start, m.end))
        chosen = [(s, e, self._resolve(text, low, s, e, mentions, title_spans, sent_of)) for s, e in pending]
        # one reading per article where the context is silent: the reading the other
        # occurrences of the form were given, else the side of the dateline, else the catalog's
        # default (in Chinese news a bare 商务部 is the Chinese ministry unless the text says otherwise)
        for s, e, key in chosen:
            if key is None:
                form = low[s:e]
                votes: dict[str, int] = {}
                for s2, e2, k2 in chosen:
                    if k2 and low[s2:e2] == form:
                        votes[k2] = votes.get(k2, 0) + 1
                candidates = self.ambiguous[form]
                side = self._dateline_side(text)
                if votes:
                    key = max(candidates, key=lambda k: (votes.get(k, 0), -candidates.index(k)))
                else:
                    key = next((k for k in candidates if side and self._side(k) == side), candidates[0])
            ent = self.catalog.entities[key]
            mentions.append(Mention(key, ent.cls, s, e, text[s:e], sent_of(s), "ambiguous"))
        mentions.sort(key=lambda m: (m.start, m.end))
        # the outlet that publishes the page is not a source
        publishers = self._publishers(text, mentions)
        if publishers:
            mentions = [m for m in mentions if m.key not in publishers]
        pronouns = self._pronouns(text, tokens, mentions, sent_of)
        return mentions, pronouns, new

    # -- names the catalog lacks ----------------------------------------
    def _inside_dotted_name(self, text: str, s: int, e: int) -> bool:
        before = s >= 2 and text[s - 1] in self.dots and text[s - 2] in self.translit
        after = e + 1 < len(text) and text[e] in self.dots and text[e + 1] in self.translit
        return before or after

    def _bracketed(self, text, mentions, free, add, add_new):
        """Latin originals and inline aliases in brackets after a name. Returns the new
        entities that turned out to be catalogued ones (new key -> catalog key)."""
        by_end, by_start, renames = {}, {}, {}
        for m in mentions:
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
            if known is not None and (known.end != ls + len(latin) or known.key not in self.known_keys):
                known = None
            if before is None:
                # an unlisted transliterated name right before the bracket: 芮基兹（Pete Ricketts）
                run = self._translit_run_before(text, pos, free)
                if run and free(pos - len(run), pos) and (
                        known is not None and known.cls == "Person" or known is None and self.latin_person.fullmatch(latin)):
                    if known is not None:
                        add(known.key, "Person", pos - len(run), pos, "bracket-name")
                        before = Mention(known.key, "Person", pos - len(run), pos, run, 0, "bracket-name")
                    else:
                        key = add_new(run, "Person", pos - len(run), pos, "bracket-name")
                        before = Mention(key, "Person", pos - len(run), pos, run, 0, "bracket-name")
                    by_end[pos] = before
            elif known is not None and before.key not in self.known_keys and known.cls == before.cls:
                # 马斯特（Brian Mast）: the name found after a title is the catalog's Brian Mast
                renames[before.key] = known.key
                continue
            if before is None or before.cls not in ("Person", "Company", "Media", "GovernmentBody", "Product"):
                continue
            # the Latin original: a mention of the same entity
            if latin and re.fullmatch(r"[A-Za-z][A-Za-z0-9 .&'\-]{1,60}", latin) and not latin.isupper() \
                    or latin and latin.isupper() and 2 <= len(latin) <= 8 and before.cls != "Person":
                ls = istart + inner.index(latin)
                if free(ls, ls + len(latin)) and latin not in self.not_company_names:
                    add(before.key, before.cls, ls, ls + len(latin), "bracket-original")
            # 又译川普, 台湾译辉达: an alias given inline
            for part in parts:
                for marker in self.alias_markers:
                    if part.startswith(marker):
                        alias = part[len(marker):].strip().strip("“”「」\"'")
                        if 2 <= len(alias) <= 12:
                            a0 = istart + inner.index(part) + inner[inner.index(part):].index(alias)
                            if free(a0, a0 + len(alias)):
                                add(before.key, before.cls, a0, a0 + len(alias), "inline-alias")
                        break
        return renames

    def _translit_run_before(self, text: str, pos: int, free) -> str:
        i = pos
        while i > 0 and free(i - 1, i) and (text[i - 1] in self.translit or text[i - 1] in self.dots
                                             and i - 1 > 0 and text[i - 2] in self.translit):
            i -= 1
        # a Chinese surname before a short run, right after a break (、李德（Jack Reed）)
        if pos - i <= 2 and i > 0 and text[i - 1] in self.surnames and free(i - 1, i) and (
                i == 1 or not _is_han(text[i - 2]) or text[i - 2] in self.list_breaks or not free(i - 2, i - 1)):
            i -= 1
        run = text[i:pos].lstrip("".join(self.dots))
        if len(run) < 2 or len(run) > 12:
            return ""
        for bad in self.not_names:
            if len(bad) > 1 and run.startswith(bad):
                return ""
        return run

    def _recurrences(self, text, low, mentions, free, add, starts, ends):
        forms: dict[str, tuple[str, str]] = {}
        for m in mentions:
            if m.how in ("pronoun",) or m.cls != "Person" and m.how == "catalog":
                continue
            surface = m.surface
            if m.how != "catalog" and m.how != "nickname" and not surface.isascii():
                forms.setdefault(surface, (m.key, m.cls))
            if m.cls == "Person":
                for d in self.dots:
                    if d in surface:
                        last = surface.rsplit(d, 1)[1]
                        if len(last) >= 2 and not last.isascii():
                            forms.setdefault(last, (m.key, m.cls))
        for form, (key, cls) in sorted(forms.items(), key=lambda kv: -len(kv[0])):
            for m in re.finditer(re.escape(form), text):
                s, e = m.span()
                if not free(s, e):
                    continue
                if len(form) < 3 and not (s in starts and e in ends):
                    continue
                if s and text[s - 1] in self.translit and _is_han(text[s - 1]) and len(form) < 3:
                    continue
                add(key, cls, s, e, "recurrence")

    def _surname_refs(self, text, mentions, free, add, starts, ends):
        if not self.surname_suffix:
            return
        for m in re.finditer(r"([\u4e00-\u9fff])" + re.escape(self.surname_suffix), text):
            s, e = m.span()
            if not free(s, e) or s and _is_han(text[s - 1]) and s not in starts:
                continue
            people = {p.key for p in mentions if p.cls == "Person" and p.end <= s and p.how != "pronoun"
                      and p.surface[:1] == m.group(1)}
            if len(people) == 1 and text[e:e + 1] not in ("度", "族"):
                key = people.pop()
                add(key, "Person", s, e, "surname")

    # -- ambiguous forms ------------------------------------------------
    def _side(self, key: str) -> str | None:
        ent = self.catalog.entities.get(key)
        return ent.side if ent else None

    def _dateline_side(self, text: str) -> str | None:
        """The side of the place in the article's dateline (新华社北京…电, 中央社华盛顿…专电)."""
        for line in text[:400].split("\n"):
            if not re.search(r"(?:电|讯|报道|报导)", line):
                continue
            for place, side in self.place_sides.items():
                if re.search(re.escape(place) + r"\s*(?:\d{1,2}月)?\d{1,2}日", line):
                    return side
        return None

    def _resolve(self, text, low, s, e, mentions, title_spans, sent_of) -> str | None:
        """The candidate of an ambiguous form that its context points to, or None.

        In order: a person named right after it (商务部部长王文涛 — through the post title),
        a word for the other side in its own clause (商务部批评美方 is not the US department),
        a candidate named unambiguously before it in the same or the previous sentence, the
        nearest official or body with a side before it in this or the two previous sentences,
        the nearest one after it in the same sentence. Countries and the two governments as a
        whole (美方, 中方) are not evidence: each side's news names the other side as often as
        its own."""
        candidates = self.ambiguous[low[s:e]]
        sides = {self._side(k): k for k in reversed(candidates) if self._side(k)}
        here = sent_of(s)

        def evidence(m):
            return (m.how != "pronoun" and m.cls in ("Person", "GovernmentBody") and m.key not in candidates
                    and m.key not in self.whole_governments and self._side(m.key) in sides)
        # 1. the person the form introduces
        pos = e
        titles = {a: b for a, b in title_spans}
        while pos in titles:
            pos = titles[pos]
            if text[pos:pos + 1] in ("兼", "、"):
                pos += 1
        if pos > e:
            after = next((m for m in mentions if m.start == pos and m.cls == "Person"), None)
            if after is not None and self._side(after.key) in sides:
                return sides[self._side(after.key)]
        # 2. a body that speaks of 美方 in its own clause is not American (中方 likewise)
        clause_end = min([i for i in (text.find(c, e) for c in "，。；！？\n") if i >= 0] or [len(text)])
        for m in mentions:
            if e <= m.start < clause_end and m.surface in self.perspective:
                other = self.perspective[m.surface]
                rest = [k for k in candidates if self._side(k) != other]
                if len(rest) == 1:
                    return rest[0]
        # 3. a candidate named before it, in the same sentence or the previous one
        before = [m for m in mentions if m.end <= s and here - 2 <= m.sent <= here]
        for m in reversed(before):
            if m.key in candidates and m.sent >= here - 1:
                return m.key
        # 4. the nearest official or body with a side, before it, then after it in its sentence
        for m in reversed(before):
            if evidence(m):
                return sides[self._side(m.key)]
        for m in mentions:
            if m.start >= e and m.sent == here and evidence(m):
                return sides[self._side(m.key)]
        return None

    # -- the publisher ----------------------------------------------------
    def _publishers(self, text: str, mentions: list[Mention]) -> set[str]:
        out = set()
        for m in mentions:
            if m.cls != "Media" or m.key in out:
                continue
            ls = text.rfind("\n", 0, m.start) + 1
            le = text.find("\n", m.end)
            le = len(text) if le < 0 else le
            line = text[ls:m.start] + "\uE000" + text[m.end:le]
            if any(p.search(line) for p in self.publisher_lines):
                out.add(m.key)
        return out

    def _name_after(self, text: str, pos: int, starts: set[int], han_only: bool = False) -> str | None:
        run = ""
        i = pos
        while not han_only and i < len(text) and i - pos < 16:
            ch = text[i]
            if ch in self.translit:
                run += ch
            elif ch in self.dots and run and i + 1 < len(text) and text[i + 1] in self.translit:
                run += ch
            else:
                break
            if len(run) >= 5 and not any(d in run for d in self.dots) and \
                    not (i + 1 < len(text) and text[i + 1] in self.dots):
                break
            i += 1
        for bad in sorted(self.not_names, key=len, reverse=True):
            if run.startswith(bad):
                return None
        # trim to a token boundary (or to where a word that is no name begins: 霍利|罕见),
        # never at a middle dot; keep 2 characters or more
        for length in range(len(run), 1, -1):
            end = pos + length
            nxt = text[end:end + 1]
            if run[length - 1] in self.dots or nxt in self.dots:
                continue
            if end in starts or end == len(text) or not _is_han(nxt) or \
                    any(text.startswith(b, end) for b in self.not_names):
                return run[:length]
        # a Chinese name: surname + one or two characters, ending at a token boundary
        if pos < len(text) and text[pos] in self.surnames:
            for length in (3, 2):
                cand = text[pos:pos + length]
                # the name ends a token, or (after a cue word) a function word follows it (李明则被控)
                ends_here = pos + length in starts or han_only and text[pos + length:pos + length + 1] in self.not_names
                if len(cand) == length and all(_is_han(c) for c in cand) and ends_here \
                        and not any(cand.startswith(b) or cand.endswith(b) for b in self.not_names):
                    return cand
        return None

    def _new_key(self, name: str, cls: str, new: dict) -> str:
        if all(c.isascii() for c in name):
            base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        else:
            from pypinyin import lazy_pinyin  # local: pypinyin (0.25 s) only for a name the catalog lacks
            base = "".join(lazy_pinyin(name))
            base = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
        base = base or "entity"
        key = base if base not in self.known_keys else f"{base}-{cls.lower()}"
        return key

    def _pronouns(self, text, tokens, mentions, sent_of) -> list[Mention]:
        out = []
        by_start = sorted(mentions, key=lambda m: m.start)
        forms = sorted(self.pronouns, key=len, reverse=True)
        firsts = {f[0] for f in forms}
        for ts, te in tokens:
            if text[ts] not in firsts:
                continue
            tok = text[ts:te]
            form = next((f for f in forms if text.startswith(f, ts) and (tok == f or len(f) > 1)), None)
            if form is None or (len(form) == 1 and tok != form):
                continue
            cls = self.pronouns[form]
            here = sent_of(ts)
            before = [m for m in by_start if m.end <= ts and m.cls == cls
                      and here - m.sent <= self.pronoun_window]
            if not before:
                continue
            last = before[-1]
            # in doubt when another entity of the class appears in the same sentence as the antecedent
            rivals = {m.key for m in before if m.sent == last.sent}
            if len(rivals) > 1 and last.sent != here:
                continue
            out.append(Mention(last.key, cls, ts, ts + len(form), form, here, "pronoun"))
        return out


def _lower(text: str) -> str:
    """Lower case, one character for one (offsets stay valid): a character whose lower
    case is longer (İ) stays as it is."""
    low = text.lower()
    if len(low) == len(text):        # no character grew, so each maps to one
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_han(ch: str) -> bool:
    """A CJK ideograph, the extensions included (郭明錤 becomes 郭明𫓹 under t2s)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0003134f"


# --------------------------------------------------------------------------
# The spaCy pipeline


@lru_cache(maxsize=1)
def _finder() -> EntityFinder:
    return EntityFinder()


def _token_spans(doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the tokens, computed once per doc (reading Token
    objects one by one is slow) and kept in ``doc.user_data``."""
    spans = doc.user_data.get("kg_tokens")
    if spans is None:
        from spacy.attrs import IDX, LENGTH  # local: spaCy loads only with the pipeline (see pipeline())
        if len(doc):
            starts_lengths = doc.to_array([IDX, LENGTH])
            spans = list(zip(starts_lengths[:, 0].tolist(), (starts_lengths[:, 0] + starts_lengths[:, 1]).tolist()))
        else:
            spans = []
        doc.user_data["kg_tokens"] = spans
    return spans


def _doc_text(doc) -> str:
    """``doc.text``, which spaCy rebuilds from every token on each access, read once per doc."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def _sent_spans(doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of ``doc.sents`` (as set by kg_sentences), without making a Span
    and Token objects for every sentence each time they are needed."""
    spans = doc.user_data.get("kg_sents")
    if spans is None:
        from spacy.attrs import SENT_START  # local: spaCy loads only with the pipeline
        tokens = _token_spans(doc)
        firsts = [i for i, v in enumerate(doc.to_array([SENT_START]).tolist()) if i == 0 or v == 1]
        spans = [(tokens[i][0], tokens[j - 1][1]) for i, j in zip(firsts, firsts[1:] + [len(tokens)])]
        doc.user_data["kg_sents"] = spans
    return spans


def _register() -> None:
    # local: spaCy (and numpy) take seconds to import; only the commands that analyse text need them
    import numpy
    from spacy.attrs import SENT_START
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("kg_mentions"):
        Doc.set_extension("kg_mentions", default=None)
        Doc.set_extension("kg_pronouns", default=None)
        Doc.set_extension("kg_new", default=None)

    if "kg_sentences" not in Language.factories:
        @Language.component("kg_sentences")
        def kg_sentences(doc):
            tokens = _token_spans(doc)
            starts = {s for s, _ in sentence_spans(_doc_text(doc), tokens)}
            # set all sentence starts at once: Token.is_sent_start checks the whole doc on every call
            flags = numpy.array([1 if i == 0 or s in starts else -1 for i, (s, _) in enumerate(tokens)],
                                dtype="int64").astype("uint64").reshape(-1, 1)
            if len(doc):
                doc.from_array([SENT_START], flags)
            return doc

        @Language.component("kg_entities")
        def kg_entities(doc):
            tokens = _token_spans(doc)
            sents = _sent_spans(doc)
            mentions, pronouns, new = _finder().find(_doc_text(doc), tokens, sents)
            doc._.kg_mentions, doc._.kg_pronouns, doc._.kg_new = mentions, pronouns, new
            spans = []
            for m in mentions:
                span = doc.char_span(m.start, m.end, label=m.cls, kb_id=m.key, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
            from spacy.util import filter_spans  # local: spaCy loads only with the pipeline
            doc.ents = filter_spans(spans)
            return doc


def build_pipeline():
    """A new spaCy pipeline (about 6 s and 1 GB), with the catalog of the ontology folder
    as it is now as the segmenter's user dictionary."""
    import spacy  # local: spaCy takes seconds to import; only the commands that analyse text need it

    model.setup(log=lambda msg: print(msg, flush=True))
    _register()
    nlp = spacy.load(model.pipeline_dir())
    nlp.tokenizer.pkuseg_update_user_dict(knowledge.catalog().all_forms(), reset=False)
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_entities")
    return nlp


@lru_cache(maxsize=1)
def pipeline():
    """The process's spaCy pipeline, built once (see build_pipeline)."""
    return build_pipeline()


def release() -> None:
    """Drop the loaded pipeline when no more articles will be analysed, so that what
    comes next (graph assembly, SHACL) has its memory (about 700 MB goes back)."""
    if pipeline.cache_info().currsize:
        pipeline.cache_clear()
        gc.collect()


def analyse_doc(article: Article, doc) -> Analysis:
    text = _doc_text(doc)
    sentences = [Sentence(s, e, text[s:e]) for s, e in _sent_spans(doc) if text[s:e].strip()]
    sentences = [Sentence(*_trim(article.text, s.start, s.end)) for s in sentences]
    mentions = doc._.kg_mentions
    # re-index sentences after trimming empty ones
    result = Analysis(article, _token_spans(doc), sentences, [], [], doc._.kg_new)
    result.mentions = [_resent(m, result) for m in mentions]
    result.pronouns = [_resent(m, result) for m in doc._.kg_pronouns]
    return result


def _trim(text: str, s: int, e: int) -> tuple[int, int, str]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e, text[s:e]


def _resent(m: Mention, a: Analysis) -> Mention:
    return Mention(m.key, m.cls, m.start, m.end, m.surface, a.sentence_of(m.start), m.how)


def analyse(articles, batch_size: int = 16):
    """Analyse articles in a stream (generator in, generator out)."""
    nlp = pipeline()
    arts = iter(articles)

    def texts():
        for a in arts:
            pending.append(a)
            doc = nlp.make_doc(a.text)
            # the components read the text often; spaCy's doc.text rebuilds it from every token
            # (make_doc keeps the text exactly: spaCy checks its words and spaces against it)
            doc.user_data["kg_text"] = a.text
            yield doc

    pending: list[Article] = []
    for doc in nlp.pipe(texts(), batch_size=batch_size):
        yield analyse_doc(pending.pop(0), doc)
