"""Roles: who does what to whom in a clause — subjects (carried over, passive, the owner of a
nominal, the members of an inclusion), targets (after a preposition, a direct object), the
names coordinated with them, and what a restriction or a criticism falls on."""
from __future__ import annotations

import re

from kg.extract.clauses import SentenceView
from kg.extract.vocabulary import ACTOR_CLASSES
from kg.nlp import Mention


class Roles:
    """Mixed into DocExtractor: methods that read ``self.text``, ``self.refs``, ``self.lex``."""

    def before(self, ref: Mention, n: int = 2) -> str:
        return self.text[max(0, ref.start - n):ref.start]

    def is_object(self, ref: Mention, sv: SentenceView) -> bool:
        """Introduced by a preposition (向X, 对X, 在X), so not a subject."""
        preps = self.lex.get("object_prepositions") or []
        prev = sv.tokens_between(sv.start, ref.start)[-1:] or [""]
        return prev[0] in preps or any(self.before(ref, len(p)) == p for p in preps if len(p) > 1)

    def is_modifier(self, ref: Mention, sv: SentenceView) -> bool:
        """Stands before another name it qualifies (英伟达CEO黄仁勋, 华为昇腾, 美国《华尔街日报》) or
        before a noun it qualifies (美国宪法, lexicon ``qualified_heads``)."""
        if ref.cls != "Product" and any(self.text.startswith(h, ref.end) for h in self.lex.get("qualified_heads") or []):
            return True
        nxt = [r for r in sv.refs if r.start >= ref.end]
        if not nxt:
            return False
        gap = self.text[ref.end:nxt[0].start]
        if nxt[0].cls == "Person" and ref.cls in ("GovernmentBody", "Company", "Media") and gap \
                and any((ref.surface + gap).endswith(t) and len(t) > len(gap) for t in self.vocab.catalog.titles):
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
            elif members[-1] is not ref and actors[i + 1].cls == "Person" and (
                    gap.startswith("的") and self.title_gap.match(gap[1:])
                    or self.is_modifier(actors[i], sv)):
                # 和该委员会的民主党首席议员克里希纳穆尔蒂, 、美国商务部长卢特尼克: the member is the person
                members[-1] = actors[i + 1]
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
                country = next((f for f in self.vocab.post_reader.country_forms if rest.startswith(f)), "")
                rest = rest[len(country):]           # 、美国贸易代表格里尔
                return rest == "" or bool(self.title_gap.match(rest))
        return False

    def vague_between(self, a: int, b: int) -> bool:
        """A vague group (议员, 企业 …) between a and b, not counting the post of a named person
        (同党众议员阿莫 is a person, not a vague group)."""
        seg = list(self.text[a:b])
        for r in self.refs:
            if a <= r.start <= b and r.cls == "Person":
                t = self.vocab.post_reader.title_before(self.text, r.start, a) or ""
                for k in range(r.start - len(t) - a, r.start - a):
                    seg[k] = "　"
        seg = "".join(seg)
        return any(v in seg for v in self.lex.get("vague_groups") or [])

    # -- agents and targets -------------------------------------------------

    def subject_of_clause(self, sv: SentenceView, ci: int, before: int | None = None,
                          after: int | None = None, makers: bool = False) -> Mention | None:
        """The first actor of the clause that stands before its verb, with no preposition before it
        (from ``after`` on: the content of a telling verb has a subject of its own). The maker
        before 芯片 (美国晶片训练…) is not the subject, except as what 其 stands for (``makers``)."""
        a, b = sv.clauses[ci]
        b = min(b, before) if before is not None else b
        a = max(a, after) if after is not None else a
        enders = set(self.lex.get("subject_enders") or [])
        # a trigger inside a description that ends in 的 before a person (曾在商务部主管出口管制事务的
        # 帕迪拉) is not the clause's verb
        described = [r.start for r in sv.refs if r.cls == "Person" and a <= r.start < b
                     and self.text[r.start - 1:r.start] == "的"]
        verb = min([t for t in sv.trigger_starts if a <= t < b
                    and not any(t < d <= t + 16 for d in described)] +
                   [ts for ts, te in sv.tokens if a <= ts < b and self.text[ts:te] in enders
                    and any(a <= r.start and r.end <= ts for r in sv.refs)], default=b)   # not 同属…的
        cands = [r for r in sv.refs if a <= r.start and r.end <= verb and r.cls in ACTOR_CLASSES
                 and not self.is_object(r, sv) and not self.is_modifier(r, sv)
                 and not self.text[r.end:r.end + 1] == "的"
                 and (makers or not any(self.text.startswith(n, r.end) for n in self.lex.get("product_nouns") or []))]
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
            if r.cls == "Product" and re.fullmatch(r"(芯片|产品|系列)?的" + nb + "{0,6}", gap) \
                    and not self.is_object(r, sv):     # not 就H20的风险约谈: a topic, not what was decided
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
        # carried over from an earlier clause of the sentence (not from a suspect's: 总局表示，
        # 高通涉嫌…，决定立案调查 is the bureau's decision)
        suspects = self.suspects(sv)
        for cj in range(ci - 1, -1, -1):
            pa, pb = sv.clauses[cj]
            if any(pa <= x.start < pb for x in suspects):
                continue
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

    def suspects(self, sv: SentenceView) -> list[Mention]:
        """The actors a sentence says are suspected (高通涉嫌违反…, 指高通…涉嫌触犯…): the
        subject of a clause that holds a suspect word, or the actor 指 points at before it."""
        words = self.lex.get("suspect_words") or []
        out: list[Mention] = []
        for ci, (ca, cb) in enumerate(sv.clauses):
            at = min((self.text.find(w, ca, cb) for w in words if self.text.find(w, ca, cb) >= 0), default=-1)
            if at < 0:
                continue
            subj = self.subject_of_clause(sv, ci, at)
            if subj is not None and (at - subj.end > 4 or "以" in self.text[subj.end:at]):
                continue                            # 总局以涉嫌违反…为由: the one who suspects
            if subj is None:
                # 指高通收购…时没有申报，涉嫌触犯…: the actor right after 指 in the clause before
                for cj in range(ci - 1, -1, -1):
                    pa, pb = sv.clauses[cj]
                    if not self.text.startswith("指", pa):
                        continue
                    after = [r for r in sv.refs if pa < r.start <= pa + 10 and r.end <= pb
                             and r.cls in ACTOR_CLASSES]
                    # 指美国芯片商高通: the last of the names that qualify one another
                    subj = next((r for i, r in enumerate(after)
                                 if i + 1 == len(after) or after[i + 1].start - r.end > 4), None)
                    break
            if subj is not None and subj not in out:
                out.append(subj)
        return out

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
            products = [r for r in sv.refs if targets[-1].end <= r.start and r.end <= cb and r.cls == "Product"]
            if products and any(w in after for w in flows):
                return products
            # 停止订购英伟达为中国市场定制的RTX Pro 6000D: the maker heads a clause on the product
            if products and "的" in self.text[targets[-1].end:products[0].start] \
                    and not any(targets[-1].end <= r.start < products[0].start and r.cls in ACTOR_CLASSES
                                for r in sv.refs):
                return products
        if not targets or all(t.cls == "Country" and t.start >= te for t in targets):
            # H200不被允许进入中国: the country after it is where, the product before it is what
            start = max((a.end for a in agents if ca <= a.start), default=ca)
            products = [r for r in sv.refs if start <= r.start and r.end <= ts and r.cls == "Product"]
            return products or targets
        return targets

    def _titles(self) -> list[str]:
        return self.vocab.catalog.titles

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
