"""Modality: whether a trigger states an act done — hedged, negated, reported, recalled,
generic, or what a push is about — and who can make a trade decision."""
from __future__ import annotations

import re

from kg.extract.clauses import SentenceView
from kg.extract.vocabulary import ACTOR_CLASSES
from kg.nlp import Mention


class Modality:
    """Mixed into DocExtractor: methods that read ``self.text``, ``self.refs``, ``self.lex``."""

    def hedged(self, sv: SentenceView, ts: int) -> bool:
        """A supposition, wish or question: a hedge word before the trigger in its clause, a
        conditional earlier in the sentence (whole words for one-character ones such as 拟,
        which also sits inside 模拟), or a question. A clause with no subject of its own
        continues the one before it, and so does that clause's hedge (可能会与…商谈协议，允许…)."""
        ci = sv.clause_of(ts)
        ca, _ = sv.clauses[ci]
        own = ca
        if self.subject_of_clause(sv, ci, ts) is None:
            for cj in range(ci - 1, -1, -1):
                ca = sv.clauses[cj][0]
                if self.subject_of_clause(sv, cj) is not None:
                    break

        def found(words, start):
            head = self.text[start:ts]
            tokens = set(sv.tokens_between(start, ts))
            return any(w in tokens if len(w) == 1 else w in head for w in words)
        te = ts + len(self._trigger_at(ts))
        return found(self.lex.get("hedges") or [], ca) or found(self.lex.get("conditionals") or [], sv.start) \
            or found(self.lex.get("concessives") or [], own) \
            or sv.text.rstrip().endswith(("?", "?", "吗")) \
            or any(self.text.startswith(w, te) for w in self.lex.get("plan_nouns") or [])   # 限制计划: a plan

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

    def speaker_of(self, sv: SentenceView, ts: int) -> Mention | None:
        """The subject of the last speech verb before ts in the sentence (特朗普周一表示，将允许…):
        who says the words the trigger is in."""
        verbs = set(self.lex.get("speech_verbs") or [])
        at = [a for a, b in sv.tokens if sv.start <= a and b <= ts and self.text[a:b] in verbs]
        if not at:
            return None
        return self.subject_of_clause(sv, sv.clause_of(at[-1]), at[-1])

    def recalled(self, ts: int) -> bool:
        """这波拒绝, 美方的封锁: the trigger is used as a noun for something already done."""
        head = self.text[max(0, ts - 3):ts]
        return any(head.endswith(m) for m in self.lex.get("nominal_markers") or [])

    def generic(self, sv: SentenceView, ts: int) -> bool:
        ca, _ = sv.clauses[sv.clause_of(ts)]
        return any(q in self.text[max(ca, ts - 8):ts] for q in self.lex.get("generic_quantifiers") or [])

    # -- the whole document ---------------------------------------------------

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
                # (要求H20出口中国须取得许可: a rule on a product, not a demand made of China)
                asked = [r for r in sv.refs if t < r.start and r.end <= ts and not self.is_modifier(r, sv)]
                if asked and asked[0].cls in ACTOR_CLASSES and self.can_decide(asked[0]):
                    return True
        return False

    def decision_reference(self, a: int, b: int) -> re.Match | None:
        """此举, 这一决定, 这项扩散规则 between a and b: words that point back at a decision told."""
        pattern = self.lex.get("_decision_reference")
        return pattern.search(self.text, a, b) if pattern is not None else None

    def recalled_decision(self, sv: SentenceView, a: int, b: int) -> bool:
        return self.decision_reference(a, b) is not None

    def can_decide(self, ref: Mention) -> bool:
        """Who can make a trade decision: a body the catalog gives powers (``decides``), a
        person holding a post in such a body, a country; a government body the catalog does
        not list yet. Members of a legislature or a committee urge; they do not decide."""
        ent = self.vocab.catalog.entities.get(ref.key)
        if ref.cls == "Country":
            return True
        if ent is None:
            return ref.cls == "GovernmentBody"
        return bool(ent.decides) or ref.cls == "Person" and self.vocab.decides(ref.key)
