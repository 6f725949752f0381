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

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg import knowledge
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
        self.ambiguous = {_lower(f): keys for f, keys in cat.ambiguous.items()}
        self.ambiguous_raw = cat.ambiguous
        self.titles = set(cat.titles)
        self.maxlen = max((len(f) for f in list(self.forms) + list(self.titles)), default=1)
        self.nicknames = {_lower(n) for n in cat.nicknames}
        self.translit = set("".join(rules.get("transliteration", "").split()))
        self.surnames = set("".join(rules.get("surnames", "").split()))
        self.not_names = set(rules.get("not_names") or [])
        self.product_code = re.compile(rules.get("product_code", r"(?!x)x"))
        self.product_context = list(rules.get("product_context") or [])
        self.company_suffixes = sorted(rules.get("company_suffixes") or [], key=len, reverse=True)
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
            import bisect
            return max(0, bisect.bisect_right(sent_starts, offset) - 1)

        raw_hits = list(self._catalog_spans(text, low, starts, ends))
        # an ambiguous alias (商务部) takes the candidate named unambiguously in its own or the
        # previous sentence (美国商务部宣布…。商务部还表示…), else the catalog's default
        named = [(sent_of(s), key) for s, _, key, is_title in raw_hits if key and key != "?" and not is_title]
        mentions: list[Mention] = []
        title_spans: list[tuple[int, int]] = []
        for s, e, key, is_title in raw_hits:
            if is_title:
                title_spans.append((s, e))
                continue
            how = "nickname" if low[s:e] in self.nicknames else "catalog"
            if key == "?":
                candidates = self.ambiguous[low[s:e]]
                here = sent_of(s)
                near = [k for idx, k in named if k in candidates and here - 1 <= idx <= here]
                key = near[-1] if near else candidates[0]
                how = "ambiguous"
            ent = self.catalog.entities[key]
            mentions.append(Mention(key, ent.cls, s, e, text[s:e], sent_of(s), how))

        taken = [(m.start, m.end) for m in mentions] + title_spans
        new: dict[str, NewEntity] = {}

        def free(s, e):
            return all(e <= a or s >= b for a, b in taken)

        # names right after a post title: 美国商务部长卢特尼克, 外交部发言人林剑
        for ts, te in title_spans:
            name = self._name_after(text, te, starts)
            if name and free(te, te + len(name)):
                key = self._new_key(name, "Person", new)
                new.setdefault(key, NewEntity(key, "Person", name, "title-name"))
                mentions.append(Mention(key, "Person", te, te + len(name), name, sent_of(te), "title-name"))
                taken.append((te, te + len(name)))
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
            mentions.append(Mention(key, "Product", s, e, code, sent_of(s), "product-code"))
            taken.append((s, e))
        # capitalised Latin names before 公司: Anthropic公司
        for suffix in self.company_suffixes:
            for m in re.finditer(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9&.\-]{1,30})" + re.escape(suffix), text):
                s, e = m.span(1)
                if not free(s, e):
                    continue
                name = m.group(1)
                if len(name) < 3 or name in self.not_company_names:
                    continue
                key = self._new_key(name, "Company", new)
                new.setdefault(key, NewEntity(key, "Company", name, "company-name"))
                mentions.append(Mention(key, "Company", s, e, name, sent_of(s), "company-name"))
                taken.append((s, e))
        # 官方 alone: the authorities of the country the news comes from
        if self.home_government in self.catalog.entities:
            home = self.catalog.entities[self.home_government]
            for word in self.home_words:
                for m in re.finditer(re.escape(word), text):
                    s, e = m.span()
                    if s in starts and e in ends and free(s, e) and not any(b == s for _, b in taken):
                        mentions.append(Mention(home.key, home.cls, s, e, word, sent_of(s), "home-government"))
                        taken.append((s, e))
        mentions.sort(key=lambda m: (m.start, m.end))
        pronouns = self._pronouns(text, tokens, mentions, sent_of)
        return mentions, pronouns, new

    def _name_after(self, text: str, pos: int, starts: set[int]) -> str | None:
        run = ""
        for ch in text[pos:pos + 5]:
            if ch in self.translit:
                run += ch
            else:
                break
        for bad in sorted(self.not_names, key=len, reverse=True):
            if run.startswith(bad):
                return None
        # trim to a token boundary, keep 2-5 characters
        for length in range(len(run), 1, -1):
            if pos + length in starts or pos + length == len(text) or not _is_han(text[pos + length]):
                cand = run[:length]
                if len(cand) >= 3 or (len(cand) == 2 and pos + 2 in starts):
                    return cand
        # a Chinese name: surname + one or two characters, ending at a token boundary
        if pos < len(text) and text[pos] in self.surnames:
            for length in (3, 2):
                cand = text[pos:pos + length]
                if len(cand) == length and all(_is_han(c) for c in cand) and (pos + length in starts) \
                        and not any(cand.startswith(b) or cand.endswith(b) for b in self.not_names):
                    return cand
        return None

    def _new_key(self, name: str, cls: str, new: dict) -> str:
        if all(c.isascii() for c in name):
            base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        else:
            from pypinyin import lazy_pinyin
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
    return "\u4e00" <= ch <= "\u9fff"


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
        from spacy.attrs import IDX, LENGTH
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
        from spacy.attrs import SENT_START
        tokens = _token_spans(doc)
        firsts = [i for i, v in enumerate(doc.to_array([SENT_START]).tolist()) if i == 0 or v == 1]
        spans = [(tokens[i][0], tokens[j - 1][1]) for i, j in zip(firsts, firsts[1:] + [len(tokens)])]
        doc.user_data["kg_sents"] = spans
    return spans


def _register() -> None:
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
            from spacy.util import filter_spans
            doc.ents = filter_spans(spans)
            return doc


@lru_cache(maxsize=1)
def pipeline():
    """The loaded spaCy pipeline (about 6 s and 1 GB the first time)."""
    import spacy
    from kg import model

    model.setup(log=lambda msg: print(msg, flush=True))
    _register()
    nlp = spacy.load(model.pipeline_dir())
    nlp.tokenizer.pkuseg_update_user_dict(knowledge.catalog().all_forms(), reset=False)
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_entities")
    return nlp


def release() -> None:
    """Drop the loaded pipeline when no more articles will be analysed, so that what
    comes next (graph assembly, SHACL) has its memory (about 700 MB goes back)."""
    import gc
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
