"""Stage 3 — extract: acts, decisions and stances from analysed sentences.

Everything the rules look for (trigger words, hedges, vague groups,
prepositions, scope words) is in ``ontology/lexicon.yaml``. The rules are
about how Chinese news states acts:

* the agent is the clause subject (the nearest actor before the trigger that
  no preposition introduces), carried over from an earlier clause of the same
  sentence when the clause has none; the owner of a nominal trigger
  (在A和B等人的反对下); the agent after 被 in a passive;
* the target is introduced by a preposition before the trigger (A向B游说,
  对X的行为进行谴责) or is the first actor after it (A游说B);
* coordination (A和B, A、B与C) spreads an act to every member;
* a quotation after a speech verb that starts with an actor and carries a
  negative word is criticism of that actor;
* hedged (可能, 试图, 如果 …), negated and vague-group acts are dropped.

Decisions are acts of deciders that open or close trade; stances are pushes
(lobbying, opposing, warning, criticising, allying) attached to the nearest
decision.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from kg import dates, knowledge
from kg.extract import decisions, stances
from kg.extract.clauses import clause_spans, first_word, occurrences, without_glosses
from kg.extract.coref import Clause, Resolver, counted_groups
from kg.extract.posts import PostReader
from kg.extract.records import Act, DecisionReport, DocActs, Push, StanceFact
from kg.nlp import Analysis, Mention

__all__ = ["extract", "DocExtractor", "DocActs", "Act", "DecisionReport", "Push", "StanceFact", "side", "lexicon"]

ACTOR_CLASSES = {"Person", "Company", "GovernmentBody", "Country", "Media"}
DECIDER_CLASSES = {"Person", "GovernmentBody", "Country"}


#: how a push is named (kgo:via) when its trigger word is not an act of its own
PUSH_VIA = {"open": "campaigns", "close": "campaigns", "content": "urges", "oppose": "opposes",
            "support": "supports"}

@lru_cache(maxsize=None)
def lexicon() -> dict:
    raw = knowledge.load_yaml("lexicon.yaml") or {}
    triggers = raw.get("triggers") or {}
    for word, spec in triggers.items():
        if not isinstance(spec, dict):
            raise knowledge.KnowledgeError(f"lexicon.yaml: trigger {word!r} needs a mapping of fields")
    raw["_trigger_max"] = max((len(w) for w in triggers), default=1)
    raw["_trigger_firsts"] = {w[0] for w in triggers if w}
    raw["_breaks"] = set(raw.get("clause_breaks", ",;:"))
    # longest first, so that 以及 is read before 及
    raw["_coordination"] = sorted(raw.get("coordination") or [], key=len, reverse=True)
    raw["_no_break"] = "[^" + re.escape("".join(sorted(raw["_breaks"] | {"。"}))) + "的]"
    return raw


@lru_cache(maxsize=1)
def _resolver() -> Resolver:
    rules = knowledge.name_rules()
    forms = {**(rules.get("pronouns") or {}), **(rules.get("references") or {})}
    return Resolver(forms, knowledge.catalog().titles, int(rules.get("pronoun_window", 2)),
                    set(lexicon().get("object_prepositions") or []), knowledge.catalog().entities,
                    lexicon()["_coordination"], rules.get("speaker_verbs") or [],
                    rules.get("spokesperson_titles") or [], rules.get("capitals") or {},
                    rules.get("capital_place_words") or [], rules.get("capital_stops") or [])


def resolve_references(analysis: Analysis, lex: dict) -> tuple[list[Mention], dict]:
    """Pronouns, definite descriptions and bare titles of the article as mentions of whom they
    stand for; and the members each plural (两人) stands for, by its span."""
    text = analysis.article.text
    clauses = [Clause(a, b, i) for i, s in enumerate(analysis.sentences)
               for a, b in clause_spans(text, s.start, s.end, lex["_breaks"])]
    covered = [(m.start, m.end) for m in analysis.mentions]
    resolver = _resolver()
    found = resolver.resolve(text, analysis.mentions, clauses, analysis.sentence_of, covered)
    groups = dict(resolver.groups)
    spans = [(s.start, s.end) for s in analysis.sentences]
    for start, end, sent, members in counted_groups(text, spans, analysis.mentions,
                                                    lex.get("counted_group_nouns") or [], lex["_coordination"]):
        if not any(start < m.end and m.start < end for m in analysis.mentions + found):
            found.append(Mention(members[0].key, "Person", start, end, text[start:end], sent, "group"))
            groups[(start, end)] = members
    return [m for m in found if m.cls in ACTOR_CLASSES or m.cls == "Product"], groups


@lru_cache(maxsize=1)
def post_reader() -> PostReader:
    cat = knowledge.catalog()
    return PostReader(cat.titles, cat.surface, cat.ambiguous, cat.entities, lexicon().get("posts") or {}, side)


def side(key: str) -> str:
    """us | cn | the key itself: which side of the table a body is on (the catalog's ``side``)."""
    ent = knowledge.catalog().entities.get(key)
    if ent is not None and ent.side in ("us", "cn"):
        return ent.side
    return key


# --------------------------------------------------------------------------
# One sentence at a time


class SentenceView:
    """A sentence with its clauses, tokens and entity references."""

    def __init__(self, doc: "DocExtractor", idx: int):
        a = doc.analysis
        self.doc = doc
        self.idx = idx
        s = a.sentences[idx]
        self.start, self.end, self.text = s.start, s.end, a.article.text[s.start:s.end]
        self.refs = [m for m in doc.refs if s.start <= m.start and m.end <= s.end]
        # the tokens inside the sentence (tokens are sorted and do not overlap)
        self.tokens = a.tokens[bisect.bisect_left(doc.token_starts, s.start):
                               bisect.bisect_right(doc.token_ends, s.end)]
        self.clauses = clause_spans(a.article.text, s.start, s.end, doc.lex["_breaks"])
        self.trigger_starts = [ts for ts, _, _, _ in doc._scan(self)]

    def clause_of(self, offset: int) -> int:
        for i, (a, b) in enumerate(self.clauses):
            if a <= offset < b or (offset == b and i == len(self.clauses) - 1):
                return i
        return len(self.clauses) - 1

    def tokens_between(self, a: int, b: int) -> list[str]:
        t = self.doc.analysis.article.text
        return [t[ts:te] for ts, te in self.tokens if a <= ts and te <= b]


@lru_cache(maxsize=1)
def _title_gap() -> re.Pattern:
    """Only joiners and post titles between a name and what follows (美国总统特朗普)."""
    titles = knowledge.catalog().titles
    joiners = lexicon().get("title_joiners") or []
    if not titles:
        return re.compile("(?!x)x")
    posts = lexicon().get("posts") or {}
    title = "(?:" + "|".join(map(re.escape, titles)) + ")"
    bracket = r"(?:（[^（）]{1,30}）|\([^()]{1,30}\))?"
    joined = "(?:" + "|".join(map(re.escape, joiners)) + ")*"
    chain = "(?:" + "|".join(map(re.escape, (posts.get("title_chain") or ["兼"]) + ["、"])) + ")"
    nominee = "(?:" + "|".join(map(re.escape, posts.get("nominee_words") or ["人选"])) + ")?"
    # (gloss) [party, 公司 …] title [兼|、 [party …] title]* [nominee]
    return re.compile("^" + bracket + joined + title + "(?:" + chain + joined + title + ")*" + nominee + "$")


class DocExtractor:
    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.lex = lexicon()
        self.text = analysis.article.text
        self.doc_date = analysis.article.date
        references, self.groups = resolve_references(analysis, self.lex)
        self.refs = sorted(without_glosses(analysis.mentions, self.text) + references,
                           key=lambda m: (m.start, m.end))
        self.token_starts = [ts for ts, _ in analysis.tokens]
        self.token_ends = [te for _, te in analysis.tokens]
        self.result = DocActs(analysis)
        self.pushes: list[Push] = []
        self.letter_authors: list[Mention] = []    # the writers of the last letter told
        #: the moves told, in reading order: (sentence, open|close, key of who made it or "")
        self.direction_trail: list[tuple[int, str, str]] = []
        self.title_gap = _title_gap()
        #: the key the article gave each ambiguous form (商务部 -> mofcom or the US department)
        self.resolved_forms = {}
        for m in analysis.mentions:
            if m.how == "ambiguous":
                self.resolved_forms.setdefault(m.surface, m.key)

    # -- reference helpers --------------------------------------------------
    def before(self, ref: Mention, n: int = 2) -> str:
        return self.text[max(0, ref.start - n):ref.start]

    def is_object(self, ref: Mention, sv: SentenceView) -> bool:
        """Introduced by a preposition (向X, 对X, 在X), so not a subject."""
        preps = self.lex.get("object_prepositions") or []
        prev = sv.tokens_between(sv.start, ref.start)[-1:] or [""]
        return prev[0] in preps or any(self.before(ref, len(p)) == p for p in preps if len(p) > 1)

    def is_modifier(self, ref: Mention, sv: SentenceView) -> bool:
        """Stands before another name it qualifies: 英伟达CEO黄仁勋, 华为昇腾, 美国《华尔街日报》."""
        nxt = [r for r in sv.refs if r.start >= ref.end]
        if not nxt:
            return False
        gap = self.text[ref.end:nxt[0].start]
        if nxt[0].cls == "Person" and ref.cls in ("GovernmentBody", "Company", "Media") and gap \
                and any((ref.surface + gap).endswith(t) and len(t) > len(gap) for t in knowledge.catalog().titles):
            return True                             # 美国财政部|长贝森特: the title runs into the name
        return gap in ("", "《", "的") and nxt[0].cls != "Product" and ref.cls != "Product" \
            or gap in ("", "的") and nxt[0].cls == "Product" and ref.cls == "Company" \
            or bool(self.title_gap.match(gap)) and nxt[0].cls != "Product"

    def group_of(self, ref: Mention, sv: SentenceView) -> list[Mention]:
        """ref and the names coordinated with it (A和B, A、B及C), titles between allowed."""
        members = [ref]
        actors = [r for r in sv.refs if r.cls in ACTOR_CLASSES]
        pos = actors.index(ref) if ref in actors else -1
        if pos < 0:
            return members
        i = pos
        while i > 0:
            gap = self.text[actors[i - 1].end:actors[i].start]
            if self._is_joiner_gap(gap):
                members.insert(0, actors[i - 1])
                i -= 1
            elif self.title_gap.match(gap) or gap == "":
                i -= 1                      # 美国国务卿鲁比奥: skip the modifier
            else:
                break
        i = pos
        while i + 1 < len(actors):
            gap = self.text[actors[i].end:actors[i + 1].start]
            if self._is_joiner_gap(gap):
                members.append(actors[i + 1])
                i += 1
            elif members[-1] is not ref and gap.startswith("的") and actors[i + 1].cls == "Person" \
                    and self.title_gap.match(gap[1:]):
                members[-1] = actors[i + 1]     # 和该委员会的民主党首席议员克里希纳穆尔蒂: the member is the person
                i += 1
            else:
                break
        kept = [m for m in members if not self.is_modifier(m, sv)] or [ref]
        out = []
        for m in kept:                          # 两人 stands for A and B
            out += [Mention(g.key, g.cls, m.start, m.end, m.surface, m.sent, "pronoun")
                    for g in self.groups.get((m.start, m.end), [])] if m.how == "group" else [m]
        return out

    def _is_joiner_gap(self, gap: str) -> bool:
        gap = re.sub(r"^(?:（[^（）]{0,30}）|\([^()]{0,30}\))", "", gap)
        for j in self.lex["_coordination"]:
            if gap.startswith(j):
                rest = gap[len(j):]
                country = next((f for f in post_reader().country_forms if rest.startswith(f)), "")
                rest = rest[len(country):]           # 、美国贸易代表格里尔
                return rest == "" or bool(self.title_gap.match(rest))
        return False

    def vague_between(self, a: int, b: int) -> bool:
        """A vague group (议员, 企业 …) between a and b, not counting the post of a named person
        (同党众议员阿莫 is a person, not a vague group)."""
        seg = list(self.text[a:b])
        titles = self._titles()
        for r in self.refs:
            if a <= r.start <= b and r.cls == "Person":
                t = next((t for t in titles if self.text.startswith(t, r.start - len(t)) and r.start - len(t) >= a), "")
                for k in range(r.start - len(t) - a, r.start - a):
                    seg[k] = "　"
        seg = "".join(seg)
        return any(v in seg for v in self.lex.get("vague_groups") or [])

    # -- agents and targets -------------------------------------------------
    def subject_of_clause(self, sv: SentenceView, ci: int, before: int | None = None,
                          after: int | None = None) -> Mention | None:
        """The first actor of the clause that stands before its verb, with no preposition before it
        (from ``after`` on: the content of a telling verb has a subject of its own)."""
        a, b = sv.clauses[ci]
        b = min(b, before) if before is not None else b
        a = max(a, after) if after is not None else a
        enders = set(self.lex.get("subject_enders") or [])
        verb = min([t for t in sv.trigger_starts if a <= t < b] +
                   [ts for ts, te in sv.tokens if a <= ts < b and self.text[ts:te] in enders], default=b)
        cands = [r for r in sv.refs if a <= r.start and r.end <= verb and r.cls in ACTOR_CLASSES
                 and not self.is_object(r, sv) and not self.is_modifier(r, sv)
                 and not self.text[r.end:r.end + 1] == "的"]
        first = next((r for r in sv.refs if a <= r.start and r.end <= b), None)
        if not cands or (first is not None and first.cls == "Product" and first.start < cands[0].start):
            return None                               # a clause about a product (H20晶片出口中国…)
        subj = cands[0]
        # 哈德逊研究所中美关系专家索博利克: the person a description ends with is the head
        for nxt in cands[1:]:
            gap = self.text[subj.end:nxt.start]
            if nxt.cls == "Person" and subj.cls != "Person" and (
                    len(gap) <= 12 and not any(j in gap for j in self.lex["_coordination"])
                    or self._post_chain(gap, subj.end, nxt.start)):
                subj = nxt
            break
        # 包括A在内的约20名专家: the named members are the subject, not the vague group
        frame = self._inclusion(sv, a, verb)
        if frame is not None:
            return frame
        # 美国企业, 中国芯片企业: a vague group right after the name is the subject (not the name);
        # 中国下令本国企业…: one after a directive verb is its object
        area = min(verb, self._subject_area_end(sv, subj.end, b), subj.end + 10)
        directive = [self.text.find(w, subj.end, area) for w in self.lex.get("directive_verbs") or []]
        area = min([area] + [d for d in directive if d >= 0])
        if self.vague_between(subj.end, area):
            return None
        return subj

    def _told_from(self, sv: SentenceView, ca: int, ts: int) -> int | None:
        """表示商务部4月禁售H20: where the words told by a speech or telling verb before the
        trigger begin, in the trigger's clause (None when there is no such verb)."""
        verbs = set(self.lex.get("speech_verbs") or []) | {
            w for w, spec in self.lex["triggers"].items() if spec.get("push") == "content" and spec.get("frame") == "prep"}
        ends = [te for tstart, te in sv.tokens if ca <= tstart and te <= ts and self.text[tstart:te] in verbs]
        return max(ends) if ends else None

    def _post_chain(self, gap: str, a: int, b: int) -> bool:
        """委员、国务院副总理: only posts, the bodies they are in and enumeration commas."""
        for m in self.refs:
            if a <= m.start and m.end <= b and m.cls in ("GovernmentBody", "Company", "Media"):
                gap = gap.replace(m.surface, "", 1)
        parts = gap.split("、")
        return len(parts) > 1 and all(p and self.title_gap.match(p) for p in parts)

    def _inclusion(self, sv: SentenceView, a: int, b: int) -> Mention | None:
        """The last actor named inside 包括…在内 (and the like, lexicon ``inclusion_frames``)."""
        for opener, closer in self.lex.get("inclusion_frames") or []:
            i = self.text.find(opener, a, b)
            j = self.text.find(closer, i + 1, b) if i >= 0 else -1
            if i >= 0 and j > i:
                inside = [r for r in sv.refs if i < r.start and r.end <= j and r.cls in ACTOR_CLASSES]
                if inside:
                    return inside[-1]
        return None

    def _subject_area_end(self, sv: SentenceView, a: int, b: int) -> int:
        """Where the subject area ends: at the first preposition (the rest is the object's)."""
        preps = set(self.lex.get("object_prepositions") or [])
        for ts, te in sv.tokens:
            if a <= ts < b and self.text[ts:te] in preps:
                return ts
        return b

    def agent_for(self, sv: SentenceView, ts: int) -> tuple[list[Mention], str, Mention | None]:
        """(agents, how, passive-target) for a trigger starting at ts."""
        ci = sv.clause_of(ts)
        ca, cb = sv.clauses[ci]
        nb = self.lex["_no_break"]
        # nominal: X(等人)的[…]trigger
        for r in reversed([r for r in sv.refs if ca <= r.start and r.end <= ts]):
            gap = self.text[r.end:ts]
            if r.cls == "Product" and re.fullmatch(r"(芯片|产品|系列)?的" + nb + "{0,6}", gap):
                return [], "nominal", None          # H20芯片的解禁: what was decided, not who
            if re.fullmatch(r"(等人|等官员|等)?的" + nb + "{0,6}", gap) and r.cls in ACTOR_CLASSES \
                    and not self.is_object(r, sv):
                if self.vague_between(r.end, ts):
                    return [], "vague", None
                return self.group_of(r, sv), "nominal", None
            break
        if self.text[max(ca, ts - 6):ts].endswith("的") or re.search("的" + nb + "{0,4}$", self.text[ca:ts]):
            if self.vague_between(ca, ts) and not any(ca <= r.start < ts for r in sv.refs):
                return [], "vague", None
        # passive: X被A[…]V
        toks = sv.tokens_between(ca, ts)
        if "被" in toks:
            bei = self.text.rfind("被", ca, ts)
            after = [r for r in sv.refs if bei < r.start and r.end <= ts and r.cls in ACTOR_CLASSES]
            before = [r for r in sv.refs if ca <= r.start and r.end <= bei and r.cls in ACTOR_CLASSES]
            if after:
                return self.group_of(after[0], sv), "passive", before[-1] if before else None
        told = self._told_from(sv, ca, ts)
        subj = self.subject_of_clause(sv, ci, ts, told) if told is not None else None
        if subj is None:
            subj = self.subject_of_clause(sv, ci, ts)
        if subj is None and self.vague_between(ca, self._subject_area_end(sv, ca, ts)):
            return [], "vague", None
        if subj is not None:
            return self.group_of(subj, sv), "subject", None
        # carried over from an earlier clause of the sentence
        for cj in range(ci - 1, -1, -1):
            pa, pb = sv.clauses[cj]
            subj = self.subject_of_clause(sv, cj)
            if subj is not None:
                return self.group_of(subj, sv), "carried", None
            if self.vague_between(pa, self._subject_area_end(sv, pa, pb)):
                return [], "vague", None
        # 信中要求…: what a letter or statement says is said by those who wrote it
        head = self.text[sv.start:ts]
        if self.letter_authors and any(head.startswith(w) or w in head[:8]
                                       for w in self.lex.get("letter_references") or []):
            return list(self.letter_authors), "carried", None
        return [], "none", None

    def target_for(self, sv: SentenceView, ts: int, te: int, agents: list[Mention], spec: dict
                   ) -> list[Mention]:
        ci = sv.clause_of(ts)
        ca, cb = sv.clauses[ci]
        agent_end = max((a.end for a in agents), default=ca)
        preps = self.lex.get("target_prepositions") or []
        heads = self.lex.get("possessed_heads") or []
        # a preposition before the trigger: 向X游说, 对X的行为进行谴责, 在X身边吹风
        for r in [r for r in sv.refs if max(agent_end, ca) <= r.start and r.end <= ts]:
            if r in agents or self.is_modifier(r, sv):
                continue
            prev = sv.tokens_between(ca, r.start)[-1:] or [""]
            if prev[0] in preps or (prev[0] == "在" and self.text.startswith("身边", r.end)):
                tail = self.text[r.end:ts]
                if tail.startswith("的"):
                    if self.vague_between(r.end, ts):
                        return []
                    if not any(h in tail for h in heads) and r.cls != "Country":
                        continue
                return self.group_of(r, sv)
            # 对原产于美国的…发起调查, 就美国对华…措施发起调查: a name inside the 对/就 phrase
            phrase_start = max(self.text.rfind("对", ca, r.start), self.text.rfind("就", ca, r.start))
            if phrase_start >= agent_end and not self.vague_between(r.end, ts) and spec.get("act") in (
                    "investigates", "sanctions", "restricts", "criticizes"):
                return [r]
        if spec.get("frame") == "prep":
            return []
        # the first name after the trigger in its clause (right after it for an "object" frame)
        after = [r for r in sv.refs if te <= r.start and r.end <= cb and r not in agents]
        for r in after:
            if self.is_modifier(r, sv):
                continue
            if spec.get("frame") == "object" and not self._object_gap(te, r):
                return []
            nxt = self.text[r.end:cb]
            if self.vague_between(r.end, min(cb, r.end + 8)) and not nxt.startswith("公司"):
                return []
            return self.group_of(r, sv)
        return []

    def _enacted_on(self, sv: SentenceView, ts: int, targets: list[Mention]) -> bool:
        """对H20芯片实施的出口管制: a policy noun after an enacting verb, aimed with 对 at what it
        restricts, states the act."""
        head = self.text[max(sv.clauses[sv.clause_of(ts)][0], ts - 8):ts]
        enacting = any(v in head for v in self.lex.get("enacting_verbs") or [])
        return enacting and any(t.end <= ts and self.text[max(0, t.start - 1):t.start] == "对"
                                or t.end <= ts and t.cls == "Product" for t in targets)

    def _incurred_by(self, sv: SentenceView, agents: list[Mention]) -> list[Mention]:
        """此举招致穆勒纳尔批评, 遭到中方谴责: the one who drew the criticism is the subject of the
        clause before (its 此举), the target of a criticism that names none."""
        ci = sv.clause_of(agents[0].start)
        ca, _ = sv.clauses[ci]
        head = self.text[ca:agents[0].start]
        if not any(w in head for w in self.lex.get("incurring_verbs") or []):
            return []
        for cj in range(ci - 1, -1, -1):
            subj = self.subject_of_clause(sv, cj)
            if subj is not None:
                return [subj]
        return []

    def _restricted(self, sv: SentenceView, ts: int, te: int, agents: list[Mention],
                    targets: list[Mention]) -> list[Mention]:
        """What a restriction is on: 禁止英伟达向中国销售H20 restricts the H20 sold, not the seller;
        美国政府要求H20芯片出口须获得许可 restricts the product its clause names."""
        ca, cb = sv.clauses[sv.clause_of(ts)]
        flows = self.lex.get("flow_words") or []
        if targets and all(t.cls == "Company" for t in targets):
            after = self.text[targets[-1].end:cb]
            if any(w in after for w in flows):
                products = [r for r in sv.refs if targets[-1].end <= r.start and r.end <= cb and r.cls == "Product"]
                if products:
                    return products
        if not targets or all(t.cls == "Country" and t.start >= te for t in targets):
            # H200不被允许进入中国: the country after it is where, the product before it is what
            start = max((a.end for a in agents if ca <= a.start), default=ca)
            products = [r for r in sv.refs if start <= r.start and r.end <= ts and r.cls == "Product"]
            return products or targets
        return targets

    @staticmethod
    def _titles() -> list[str]:
        return knowledge.catalog().titles

    def _object_gap(self, te: int, r: Mention) -> bool:
        """Only a post title, a country or a joiner word between a verb and its object (敦促总统川普)."""
        gap = self.text[te:r.start]
        for m in self.refs:
            if te <= m.start and m.end <= r.start:
                gap = gap.replace(m.surface, "")
        gap = re.sub("^(了|给|过|到)", "", gap)
        if "的" in gap and len(gap) <= 24:         # 写信给当时仍在等待确认的商务部长人选卢特尼克
            rest = gap[gap.rindex("的") + 1:]
            if rest == "" or self.title_gap.match(rest):
                return True
        return gap == "" or bool(self.title_gap.match(gap)) or len(gap) <= 2

    # -- hedges and negation ------------------------------------------------
    def hedged(self, sv: SentenceView, ts: int) -> bool:
        """A supposition, wish or question: a hedge word before the trigger in its clause, a
        conditional earlier in the sentence (whole words for one-character ones such as 拟,
        which also sits inside 模拟), or a question."""
        ca, _ = sv.clauses[sv.clause_of(ts)]

        def found(words, start):
            head = self.text[start:ts]
            tokens = set(sv.tokens_between(start, ts))
            return any(w in tokens if len(w) == 1 else w in head for w in words)
        return found(self.lex.get("hedges") or [], ca) or found(self.lex.get("conditionals") or [], sv.start) \
            or sv.text.rstrip().endswith(("?", "?", "吗"))

    def negated(self, sv: SentenceView, ts: int) -> bool:
        ca, _ = sv.clauses[sv.clause_of(ts)]
        neg = set(self.lex.get("negations") or [])
        head = self.text[ca:ts]
        for phrase in self.lex.get("not_negations") or []:
            head = head.replace(phrase, "　" * len(phrase))
        return any(t in neg and head[a - ca:b - ca] == t
                   for (a, b), t in zip(((a, b) for a, b in sv.tokens if ca <= a and b <= ts),
                                        sv.tokens_between(ca, ts)))

    def in_speech(self, sv: SentenceView, ts: int) -> bool:
        """After a speech or advice verb of the sentence: what someone says, not what is done."""
        verbs = set(self.lex.get("speech_verbs") or [])
        verbs |= {w for w, spec in self.lex["triggers"].items()
                  if spec.get("push") == "content" and spec.get("frame") != "object"}
        return any(t in verbs for t in sv.tokens_between(sv.start, ts))

    def recalled(self, ts: int) -> bool:
        """这波拒绝, 美方的封锁: the trigger is used as a noun for something already done."""
        head = self.text[max(0, ts - 3):ts]
        return any(head.endswith(m) for m in self.lex.get("nominal_markers") or [])

    def generic(self, sv: SentenceView, ts: int) -> bool:
        ca, _ = sv.clauses[sv.clause_of(ts)]
        return any(q in self.text[max(ca, ts - 8):ts] for q in self.lex.get("generic_quantifiers") or [])

    # -- the whole document ---------------------------------------------------
    def run(self) -> DocActs:
        self._resolve_qi()
        for idx in range(len(self.analysis.sentences)):
            sv = SentenceView(self, idx)
            self._member_of(sv)
            self._produces(sv)
            self._triggers(sv)
            self._speech(sv)
            self._voice(sv)
        self._produces_document()
        self.result.decisions = decisions.merge(self.result.decisions, self.refs, side)
        self._restricts_from_decisions()
        decisions.conditions(self.analysis.sentences, self.result.decisions, self.lex)
        self.result.stances = stances.attach(self.pushes, self.result.decisions, self.refs, self.lex, side)
        self.result.acts = sorted(set(self.result.acts), key=lambda a: (a.sent, a.predicate, a.agent, a.target))
        return self.result

    def _resolve_qi(self) -> None:
        """其 after a preposition (对其, 将其) is the subject of the nearest earlier clause."""
        extra = []
        for ts, te in self.analysis.tokens:
            if self.text[ts:te] != "其" or self.text[ts - 1:ts] not in ("对", "将", "把", "向", "与"):
                continue
            sent = self.analysis.sentence_of(ts)
            for idx in range(sent, max(-1, sent - 3), -1):
                sv = SentenceView(self, idx)
                found = None
                for ci in range(len(sv.clauses) - 1, -1, -1):
                    if sv.clauses[ci][0] >= ts:
                        continue
                    subj = self.subject_of_clause(sv, ci, ts if sv.clauses[ci][1] > ts else None)
                    if subj is not None and subj.start < ts and sv.clause_of(ts) != ci if idx == sent else subj:
                        found = subj
                        break
                if found:
                    extra.append(Mention(found.key, found.cls, ts, te, "其", sent, "pronoun"))
                    break
        if extra:
            self.refs = sorted(self.refs + extra, key=lambda m: (m.start, m.end))

    def _add_act(self, pred, agent: Mention, target: Mention, sent, trigger, conf, date=None):
        if agent.key == target.key:
            return
        kind = knowledge.acts()[pred]
        if not kind.allows(agent.cls, target.cls):
            return                                  # the ontology's domain and range (ontology/acts.yaml)
        if kind.by_power and agent.cls == "Person" and not self.can_decide(agent):
            return                                  # 参议员要求限制H20: urged, not done
        a, t = agent.key, target.key
        if kind.symmetric and a > t:
            a, t = t, a
        self.result.acts.append(Act(pred, a, t, sent, trigger, date, conf))

    def _date_for(self, sv: SentenceView, ts: int) -> str | None:
        """The date of the trigger's clause, else the nearest one before it in the sentence, else after."""
        ca, cb = sv.clauses[sv.clause_of(ts)]
        found = [d for d in dates.find(sv.text, self.doc_date) if not d.deadline]
        in_clause = [d for d in found if ca <= sv.start + d.start < cb]
        before = [d for d in found if sv.start + d.end <= ts]
        pick = in_clause[:1] or before[-1:] or found[:1]
        return pick[0].value if pick else None

    def _member_of(self, sv: SentenceView) -> None:
        for m in post_reader().read(self.text, sv.start, sv.refs, self.resolved_forms):
            org = Mention(m.org_key, m.org_cls, m.person.start, m.person.start, "", sv.idx, "title")
            self._add_act("member_of", m.person, org, sv.idx, m.title, 0.9)

    def _produces(self, sv: SentenceView) -> None:
        cat = knowledge.catalog().entities
        companies = [r for r in sv.refs if r.cls == "Company"]
        for prod in (r for r in sv.refs if r.cls == "Product"):
            maker = cat[prod.key].produced_by if prod.key in cat else None
            for c in companies:
                adjacent = re.fullmatch(r"(的|[^,。]{0,12}的)?", self.text[c.end:prod.start] if c.end <= prod.start else "x")
                if c.key == maker or (maker is None and adjacent):
                    self._add_act("produces", c, prod, sv.idx, "", 0.8 if adjacent else 0.6)

    def _produces_document(self) -> None:
        """A product and the company the catalog says makes it, named in neighbouring sentences."""
        cat = knowledge.catalog().entities
        done = {(a.agent, a.target) for a in self.result.acts if a.predicate == "produces"}
        for prod in (r for r in self.refs if r.cls == "Product" and r.key in cat):
            maker = cat[prod.key].produced_by
            near = [r for r in self.refs if r.key == maker and abs(r.sent - prod.sent) <= 1]
            if maker and near and (maker, prod.key) not in done:
                self._add_act("produces", near[0], prod, prod.sent, "", 0.5)
                done.add((maker, prod.key))

    def _scan(self, sv: SentenceView):
        """Longest-match trigger occurrences in a sentence, outside names."""
        triggers = self.lex["triggers"]
        longest = self.lex["_trigger_max"]
        firsts = self.lex["_trigger_firsts"]
        inside = [(r.start, r.end) for r in sv.refs]
        i = sv.start
        while i < sv.end:
            if self.text[i] not in firsts:   # no trigger starts with this character
                i += 1
                continue
            for n in range(min(longest, sv.end - i), 0, -1):
                word = self.text[i:i + n]
                if word in triggers and not any(a <= i < b for a, b in inside):
                    yield i, i + n, word, triggers[word]
                    i += n
                    break
            else:
                i += 1

    def _triggers(self, sv: SentenceView) -> None:
        for ts, te, word, spec in self._scan(sv):
            ca, cb = sv.clauses[sv.clause_of(ts)]
            if spec.get("needs") and not any(w in self.text[ca:cb] for w in spec["needs"]):
                continue
            if spec.get("direction") in ("reverse", "object"):
                # 撤销…规则 opens, 推出…出口管制规则 closes: the direction of what is acted on;
                # 实施禁令，之后又撤回: undoing with no object undoes the sentence's last move
                what = self._words_direction(self.text[te:cb])
                if spec["direction"] == "reverse":
                    if not what:
                        what = next((d for i, d, _ in reversed(self.direction_trail) if i == sv.idx), "")
                    what = {"open": "close", "close": "open"}.get(what, "")
                spec = {k: v for k, v in spec.items() if k != "direction"}
                if what:
                    spec["direction"] = what
            negated = self.negated(sv, ts)
            hedged = self.hedged(sv, ts)
            agents, how, passive_target = self.agent_for(sv, ts)
            if spec.get("direction") and not negated and not self.pushed_about(sv, ts):
                mover = agents[0].key if agents else ""
                self.direction_trail.append((sv.idx, spec["direction"], mover))   # even hinted moves
            if negated:
                continue
            if spec.get("push"):
                self._push(sv, ts, te, spec, agents, word)
            if hedged or self.generic(sv, ts):
                continue
            conf = {"subject": 0.9, "passive": 0.85, "nominal": 0.7, "carried": 0.75}.get(how, 0.5)
            if any(a.how == "pronoun" for a in agents):
                conf -= 0.1
            targets = [passive_target] if passive_target else self.target_for(sv, ts, te, agents, spec)
            if spec.get("act_by_decider") and agents and all(self.can_decide(a) for a in agents):
                # 网信办通知企业停止采购: a government telling buyers to stop restricts the product
                spec = dict(spec, act=spec["act_by_decider"])
            if spec.get("act") == "restricts":
                targets = self._restricted(sv, ts, te, agents, targets)
            if not targets and agents and spec.get("act") == "criticizes":
                targets = self._incurred_by(sv, agents)
            date = self._date_for(sv, ts)
            if agents and any(w in sv.text for w in self.lex.get("letter_markers") or []) \
                    and spec.get("act") == "advises" and how in ("subject", "carried"):
                self.letter_authors = list(agents)     # who wrote the letter the next sentences quote
            if spec.get("act") == "meets":
                self._meets(sv, ts, agents, targets, word, conf, date)
            elif spec.get("nominal") and not any(t.start >= te and self.text[te:t.start] in ("", "了", "住")
                                                 for t in targets) and not self._enacted_on(sv, ts, targets):
                pass                                # a policy noun (出口管制只会…): no act of its own
            elif spec.get("act") and agents and targets:
                for a in agents:
                    for t in targets:
                        if spec.get("orders") and t.cls == "Company" and self.can_decide(a):
                            continue                # 网信办要求英伟达说明: a regulator's order, not advice
                        self._add_act(spec["act"], a, t, sv.idx, word, conf, date)
            # a decision told in someone's words counts when its clause names its own decider
            # (特朗普发文说，美国将允许…); one carried over from the speaker does not; nor one
            # that is what a push is about (阻止政府进一步放宽, 要求撤销, 支持放行)
            if spec.get("direction") and (how in ("subject", "passive") or not self.in_speech(sv, ts)) \
                    and not self.pushed_about(sv, ts):
                if spec.get("decider") == "partner":
                    agents = [p for p in self._partners(sv, ts) if self.can_decide(p)] or agents
                self._decision(sv, ts, te, word, spec, agents, how, date)

    def _meets(self, sv, ts, agents, targets, word, conf, date):
        ca, _ = sv.clauses[sv.clause_of(ts)]
        # 与[美国财政部长]贝森特、…及格里尔举行会谈: the names after 与 (their titles skipped)
        with_whom = []
        for r in sv.refs:
            if not (ca <= r.start and r.end <= ts) or r in agents or r.cls not in ACTOR_CLASSES \
                    or self.is_modifier(r, sv):
                continue
            pre = self.text[max(ca, r.start - 12):r.start]
            at = max(pre.rfind(w) for w in self.lex.get("comitative") or [])
            if at < 0:
                continue
            lead = written = pre[at + 1:]
            for m in [m for m in sv.refs if r.start - len(lead) <= m.start and m.end <= r.start]:
                lead = lead.replace(m.surface, "", 1)
            if lead == "" or self.title_gap.match(lead) or any(written.endswith(t) for t in self._titles()):
                # the partner and those coordinated after it (the 与 itself is not "and" here)
                with_whom = [m for m in self.group_of(r, sv) if m not in agents and r.start <= m.start and m.end <= ts]
                break
        if with_whom:                           # A与B会面: A is the one written before 与
            first = min(with_whom, key=lambda m: m.start)
            places = self.lex.get("place_prepositions") or []
            before = [r for r in sv.refs if ca <= r.start and r.end <= first.start and r.cls in ACTOR_CLASSES
                      and r not in with_whom and not self.is_modifier(r, sv)
                      and not any(self.text[max(ca, r.start - len(w)):r.start] == w for w in places)
                      and not (r.cls != "Person" and self.text[r.start - 1:r.start] == "在")]   # 在白宫与…
            if before:
                agents = self.group_of(before[-1], sv)
        if agents and not with_whom:            # 会见X (not 会晤期间…谈及台湾: a country after it is a topic)
            with_whom = [t for t in targets if t.start >= ts and t.cls != "Country"]
        if agents and with_whom:
            for a in agents:
                for t in with_whom:
                    self._add_act("meets", a, t, sv.idx, word, conf, date)
            return
        if len(agents) > 1:
            for i, a in enumerate(agents):
                for t in agents[i + 1:]:
                    self._add_act("meets", a, t, sv.idx, word, conf, date)
            return
        # 中美在马德里举行会谈: a pair word as the subject of a meeting that is held
        pairs = self.lex.get("pairs") or {}
        head = self.text[ca:ts]
        nb = self.lex["_no_break"]
        verbs = self.lex.get("pair_verbs") or []
        for word_pair, keys in pairs.items():
            if head.startswith(word_pair) or re.match("^" + nb + "{0,12}" + re.escape(word_pair), head):
                # 中美两国元首在釜山会晤: the pair opens the clause; else a verb of holding talks
                if head.startswith(word_pair) or any(v in head for v in verbs):
                    cat = knowledge.catalog().entities
                    a = Mention(keys[0], cat[keys[0]].cls, ca, ca, word_pair, sv.idx, "pair")
                    b = Mention(keys[1], cat[keys[1]].cls, ca, ca, word_pair, sv.idx, "pair")
                    self._add_act("meets", a, b, sv.idx, word, conf, date)
                    return

    def _speech(self, sv: SentenceView) -> None:
        """贝森特直言,“中方的调查时机选择的非常不佳”: criticism of the actor the quotation opens with."""
        negative = self.lex.get("negative") or []
        for verb in self.lex.get("speech_verbs") or []:
            for at in occurrences(verb, sv.text):
                ts = sv.start + at
                rest = self.text[ts + len(verb):sv.end]
                lead = re.match(r"[,，:：\s“‘\"「『]*", rest)
                qs = ts + len(verb) + lead.end()
                opener = [r for r in sv.refs if r.start == qs and r.cls in ACTOR_CLASSES]
                if not opener or not any(w in self.text[qs:sv.end] for w in negative):
                    continue
                agents, how, _ = self.agent_for(sv, ts)
                if self.hedged(sv, ts):
                    continue
                for a in agents:
                    self._add_act("criticizes", a, opener[0], sv.idx, verb, 0.7, self._date_for(sv, ts))
                    self.pushes.append(Push(a.key, "", sv.idx, "criticizes", opener[0].key))

    def _voice(self, sv: SentenceView) -> None:
        """美方…搞的是单边主义和霸凌行径…我们对此坚决反对: a sentence in a speaker's voice (我们)
        that opens with an actor and judges it with negative words criticises that actor."""
        speakers = [r for r in sv.refs if r.how == "speaker"]
        if not speakers:
            return
        negative = self.lex.get("negative") or []
        if not any(w in sv.text for w in negative):
            return
        speaker = speakers[0]
        subj = next((self.subject_of_clause(sv, ci) for ci in range(len(sv.clauses))
                     if self.subject_of_clause(sv, ci) is not None), None)
        if subj is None or subj.how == "speaker" or side(subj.key) == side(speaker.key):
            return
        self._add_act("criticizes", speaker, subj, sv.idx, "", 0.6, self._date_for(sv, sv.start))
        self.pushes.append(Push(speaker.key, "", sv.idx, "criticizes", subj.key))

    # -- decisions --------------------------------------------------------
    def _partners(self, sv: SentenceView, ts: int) -> list[Mention]:
        """A跟特朗普达成协议: the one dealt with (after 跟/与/和/同)."""
        ca, _ = sv.clauses[sv.clause_of(ts)]
        found = [r for r in sv.refs if ca <= r.start and r.end <= ts and r.cls in ACTOR_CLASSES
                 and (sv.tokens_between(ca, r.start)[-1:] or [""])[0] in (self.lex.get("comitative") or [])]
        return found

    def can_decide(self, ref: Mention) -> bool:
        """Who can make a trade decision: a body the catalog gives powers (``decides``), a
        person holding a post in such a body, a country; a government body the catalog does
        not list yet. Members of a legislature or a committee urge; they do not decide."""
        cat = knowledge.catalog().entities
        ent = cat.get(ref.key)
        if ref.cls == "Country":
            return True
        if ent is None:
            return ref.cls == "GovernmentBody"
        if ent.decides:
            return True
        if ref.cls != "Person":
            return False
        return any(cat.get(p.get("org", "")) is not None and cat[p["org"]].decides for p in ent.posts)

    def _products_for(self, sv: SentenceView, ts: int) -> tuple[str, ...]:
        """Products of the trigger's clause; else the product the sentence opens with
        (这批H20芯片,…); else the first product after the trigger with no other decision word between."""
        ca, cb = sv.clauses[sv.clause_of(ts)]
        here = {r.key for r in sv.refs if r.cls == "Product" and ca <= r.start < cb}
        if not here and sv.clauses:
            fa, fb = sv.clauses[0]
            here = {r.key for r in sv.refs if r.cls == "Product" and fa <= r.start < min(fb, fa + 6)}
        if not here:
            later = [r for r in sv.refs if r.cls == "Product" and r.start > ts]
            deciding = [t for t in sv.trigger_starts
                        if t > ts and self.lex["triggers"][self._trigger_at(t)].get("direction")]
            # not across a clause with a decider of its own (…只准用国产芯片，特朗普也放话Blackwell…)
            if later:
                cj = sv.clause_of(later[0].start)
                subjects = [self.subject_of_clause(sv, k) for k in range(sv.clause_of(ts) + 1, cj + 1)]
                own = any(x is not None and self.can_decide(x) for x in subjects)
                if not own and not any(t < later[0].start for t in deciding):
                    here = {later[0].key}
        return tuple(sorted(here))

    def _trigger_at(self, offset: int) -> str:
        longest = self.lex["_trigger_max"]
        for n in range(longest, 0, -1):
            if self.text[offset:offset + n] in self.lex["triggers"]:
                return self.text[offset:offset + n]
        return ""

    def _decision(self, sv, ts, te, word, spec, agents, how, date) -> None:
        ca, cb = sv.clauses[sv.clause_of(ts)]
        clause = self.text[ca:cb]
        deciders = [a for a in agents if self.can_decide(a)]
        products = self._products_for(sv, ts)
        home = knowledge.name_rules().get("home_government")
        cat = knowledge.catalog().entities
        frames = self.lex.get("background_frames") or {}
        background = how == "nominal" or any(self.text[ca:ts].startswith(f) for f in frames.get("openers") or []) \
            or any(self.text[te:cb].endswith(f) for f in frames.get("closers") or []) \
            or any(re.match(p, self.text[sv.start:ts]) for p in frames.get("spans") or []) \
            or any(w in self.text[ca:ts] for w in frames.get("recalls") or [])
        enacted = any(self.text[max(ca, ts - 6):ts].endswith(v) or self.text[max(ca, ts - 6):ts - 2].endswith(v)
                      for v in self.lex.get("enacting_verbs") or [])
        if spec.get("nominal") and not enacted and not any(r.start == te or self.text[te:r.start] in ("了", "住")
                                                           for r in sv.refs):
            background = True                       # a policy named, not a decision taken here
        if self.recalled(ts):
            background = True
        if agents and not deciders:
            return                                  # a company or a medium does not decide trade
        if how == "nominal" and not agents and not products:
            return
        if not deciders:
            if any(w in sv.text for w in self.lex.get("notice_words") or []) and home in cat:
                deciders = [Mention(home, cat[home].cls, ts, ts, "", sv.idx, "implicit")]
            elif products and spec.get("act") != "rejects" and self.lex.get("export_government") in cat:
                # a product's export opened or closed with no one named: the exporting government
                gov = self.lex["export_government"]
                deciders = [Mention(gov, cat[gov].cls, ts, ts, "", sv.idx, "implicit")]
                background = True
            else:
                return
        decider = deciders[0]
        scope = spec.get("scope")
        if not scope:
            words = self.lex.get("scope_words") or {}
            scope = next((name for name in ("other", "import", "export")
                          if any(w in clause for w in words.get(name, []))), None)
            if (scope, side(decider.key)) in (("export", "cn"), ("import", "us")):
                scope = "other"                     # China's export controls, US import rules
        if not scope:
            scope = {"us": "export", "cn": "import"}.get(side(decider.key), "other")
        self.result.decisions.append(DecisionReport(decider.key, scope, spec["direction"], products, sv.idx,
                                                    word, date, None, background))

    def _restricts_from_decisions(self) -> None:
        """A close decision on named products restricts them (特朗普宣布限制芯片对华出口 about the H20)."""
        cat = knowledge.catalog().entities
        have = {(a.agent, a.target) for a in self.result.acts if a.predicate == "restricts"}
        for r in self.result.decisions:
            if r.direction != "close" or self.lex["triggers"][r.trigger].get("act") != "restricts" \
                    or (r.background and self.lex["triggers"][r.trigger].get("nominal")):
                continue
            if any(a.sent == r.sent and a.predicate == "restricts" for a in self.result.acts):
                continue
            for p in r.products:
                if (r.decider, p) not in have and r.decider in cat:
                    self.result.acts.append(Act("restricts", r.decider, p, r.sent, r.trigger, r.date, 0.6))

    # -- which way trade words point, pushes ----------------------------
    def _words_direction(self, text: str) -> str:
        """open | close | '' from the first trade word of a piece of text: the word that governs
        the rest (限制…对华销售 closes, 允许…出售 opens). A word that undoes what follows turns
        the next one round (撤回允许…: close), and so does a threat word after it (放宽出口将
        威胁…: close)."""
        found = first_word(text, self._direction_words())
        if found is None:                      # a flow no word governs (反对对华出售…): the flow itself
            flows = [w for w in self.lex.get("flow_words") or [] if w in text]
            return "open" if flows and not any(w in text for w in self.lex.get("threat_words") or []) \
                else "close" if flows else ""
        at, word, kind = found
        rest = text[at + len(word):]
        if kind in ("open", "close") and any(text[max(0, at - len(w) - 1):at].find(w) >= 0
                                             for w in self.lex.get("challenge_words") or []):
            return "close" if kind == "open" else "open"     # 说明为何批准…: challenging the move
        if kind == "reverse":
            undone = self._words_direction(rest[:30])
            return {"open": "close", "close": "open"}.get(undone, "")
        if any(w in rest for w in self.lex.get("threat_words") or []):
            return "close" if kind == "open" else "open"
        return kind

    def _direction_words(self) -> list[tuple[str, str]]:
        lex = self.lex
        if "_direction_words" not in lex:
            words = [(w, "open") for w in lex.get("open_words") or []]
            words += [(w, "close") for w in lex.get("close_words") or []]
            words += [(w, "reverse") for w in lex.get("reversal_words") or []]
            lex["_direction_words"] = sorted(words, key=lambda x: -len(x[0]))
        return lex["_direction_words"]

    def _push(self, sv, ts, te, spec, agents, word) -> None:
        kind = spec["push"]
        ca, cb = sv.clauses[sv.clause_of(ts)]
        if any(w in self.text[sv.start:ts] for w in self.lex.get("reaction_words") or []):
            return                              # 为这项安排辩护，表示…: defending a move made is a reaction
        targets = self.target_for(sv, ts, te, agents, {"act": spec.get("act") or "lobbies"})
        tkey = targets[0].key if targets else None
        if kind == "ally":
            allies = [r for r in sv.refs if ca <= r.start and r.end <= ts and r.cls == "Person"]
            last = next((p for p in reversed(self.pushes) if p.direction in ("open", "close")), None)
            if last:
                for r in allies:
                    self.pushes.append(Push(r.key, last.direction, sv.idx, "ally", None))
            return
        if kind == "accept":
            # 向中方妥协: the one given in to (after the preposition) pushed for the decision
            givers = self.target_for(sv, ts, te, agents, {"frame": "prep"})
            for r in givers[:1]:
                self.pushes.append(Push(r.key, "accept", sv.idx, "accept", None))
            return
        if kind == "content":                  # 向特朗普表示,放宽出口将威胁…: the advice's own direction
            if not targets:
                return
            triggers = self.lex["triggers"]
            nested = [t for t in sv.trigger_starts
                      if te <= t and triggers[self._trigger_at(t)].get("push") in ("oppose", "support")]
            # 致函…，批评特朗普放宽…: the words after a nested criticism are the criticism's, not the letter's
            direction = self._words_direction(self.text[te:nested[0] if nested else sv.end])
        elif kind == "support":                # 都支持放行H200: the direction of what is supported
            direction = self._words_direction(self.text[te:cb])
            if not direction:
                latest = self._latest_direction(sv.idx, exclude=[a.key for a in agents])
                direction = latest if self.recalled_decision(sv, te, cb) else ""
        elif kind == "oppose":                 # against what is opposed, else against the latest move
            direction = self._words_direction(self.text[te:cb])
            if direction:
                direction = "close" if direction == "open" else "open"
            elif not any(sv.idx - 2 <= i <= sv.idx and (not who or side(who) == side(tkey))
                         for i, _, who in self.direction_trail) \
                    and targets and self.can_decide(targets[0]):
                # 批评川普…: against what the one criticised decided (the nearest of its decisions)
                for a in agents:
                    self.pushes.append(Push(a.key, "", sv.idx, spec.get("act") or PUSH_VIA[kind], tkey,
                                            self._date_for(sv, ts)))
                return
            else:
                latest = self._latest_direction(sv.idx, exclude=[a.key for a in agents])
                direction = {"open": "close", "close": "open"}.get(latest, "")
        else:
            direction = kind
            if direction == "open" and self._words_direction(self.text[te:sv.end]) == "close":
                direction = "close"
        if not direction:
            return
        for a in agents:
            self.pushes.append(Push(a.key, direction, sv.idx, spec.get("act") or PUSH_VIA[kind], tkey,
                                    self._date_for(sv, ts)))

    def pushed_about(self, sv: SentenceView, ts: int) -> bool:
        """A push word earlier in the trigger's clause governs it: the move is urged or
        opposed, not made."""
        ca, _ = sv.clauses[sv.clause_of(ts)]
        triggers = self.lex["triggers"]
        for t in sv.trigger_starts:
            if not ca <= t < ts:
                continue
            kind = triggers[self._trigger_at(t)].get("push")
            if kind in ("oppose", "support"):
                return True
            if kind == "content" and triggers[self._trigger_at(t)].get("frame") == "object":
                # 要求商务部撤销: urged on a decider; 要求(企业)停止采购: the demand is the decision
                asked = [r for r in sv.refs if t < r.start and r.end <= ts and r.cls in ACTOR_CLASSES
                         and not self.is_modifier(r, sv)]
                if asked and self.can_decide(asked[0]):
                    return True
        return False

    def recalled_decision(self, sv: SentenceView, a: int, b: int) -> bool:
        """此举, 这一决定, 该协议: the words point back at a decision already told."""
        return any(w in self.text[a:b] for w in self.lex.get("decision_references") or [])

    def _latest_direction(self, upto: int, exclude: list[str]) -> str:
        """The latest move on trade before a sentence: a decision word, else someone's push."""
        moves = [(s, d) for s, d, who in self.direction_trail if s <= upto and who not in exclude]
        if not moves:
            moves = [(p.sent, p.direction) for p in self.pushes
                     if p.sent <= upto and p.direction in ("open", "close") and p.actor not in exclude]
        return max(moves, key=lambda m: m[0])[1] if moves else ""


def extract(analysis: Analysis) -> DocActs:
    return DocExtractor(analysis).run()
