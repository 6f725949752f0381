"""Pushes: which way trade words point (the first word governs; undoing turns it round), and
the pushes of lobbying, urging, opposing, supporting and criticising, in someone's words or
in a spokesperson's voice."""
from __future__ import annotations

import re

from kg.extract.clauses import SentenceView, first_word, occurrences
from kg.extract.records import Push
from kg.extract.vocabulary import ACTOR_CLASSES, PUSH_VIA
from kg.nlp import Mention


#: what referenced_decision gives for a decision pointed at that the article does not tell
UNTOLD = (-1, "")


class Pushes:
    """Mixed into DocExtractor: methods that read ``self.text``, ``self.refs``, ``self.lex``."""

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
        # 放宽出口将威胁…: a threat before the next trade word (…禁令是正确的决定，要求说明放行理由，
        # 并警告…强化中国: the threat is the 放行's)
        following = first_word(rest, self._direction_words())
        window = rest[:following[0]] if following else rest
        if any(w in window for w in self.lex.get("threat_words") or []):
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
        agents = [a for a in agents if a.key != tkey]   # 该部…要求该部: no one pushes on itself
        if spec.get("orders") and agents and all(self.can_decide(a) for a in agents) \
                and not (targets and targets[0].cls in ACTOR_CLASSES and self.can_decide(targets[0])):
            return                              # 美国政府要求H20出口须获许可: a rule made, not a push
        if not targets and self._in_legislature(sv, ts):
            return                              # 在国会打赢一场游说战: about its bills, not a trade decision
        about = self.referenced_decision(sv, ca, cb) if kind in ("oppose", "support") else None
        if about == UNTOLD:
            return                              # 抨击前总统拜登的管制政策: no decision of this article
        if about is not None:
            # 英伟达公开批评该规则, 此举招致…批评, 支持这一决定: on the decision pointed back at
            direction = about[1] if kind == "support" else ""
            for a in agents:
                self.pushes.append(Push(a.key, direction, sv.idx, spec.get("act") or PUSH_VIA[kind], tkey,
                                        self._date_for(sv, ts), about))
            return
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
            asked = self.text[te:nested[0] if nested else sv.end]
            if not direction and any(w in asked for w in self.lex.get("explain_words") or []) \
                    and self.can_decide(targets[0]):
                # 致函卢特尼克，要求说明决策依据: calling a decider to account pushes against its decision;
                # 要求白宫交代协议细节 / 交代解禁细节: against the one that went the way the words say
                way = self._noun_direction(asked)
                told = [r for r in self.result.decisions if r.direction == way and self.vocab.side(r.decider) == self.vocab.side(tkey)]
                if way and not told:
                    return
                about = (told[-1].sent, told[-1].direction) if told else None
                for a in agents:
                    self.pushes.append(Push(a.key, "", sv.idx, spec.get("act") or PUSH_VIA[kind], tkey,
                                            self._date_for(sv, ts), about))
                return
            recalled = self.referenced_decision(sv, te, nested[0] if nested else sv.end)
            if direction and recalled not in (None, UNTOLD):
                # 要求加固这项扩散规则: also on that rule itself (for it when the advice goes its way)
                for a in agents:
                    self.pushes.append(Push(a.key, direction, sv.idx, spec.get("act") or PUSH_VIA[kind], tkey,
                                            self._date_for(sv, ts), recalled))
        elif kind == "support":                # 都支持放行H200: the direction of what is supported
            direction = self._words_direction(self.text[te:cb])
            if not direction and self.text.startswith("下", te):
                # 在萨克斯的支持下，黄仁勋…力陈开放H200: behind the move the rest of the sentence pushes
                direction = self._words_direction(self.text[cb:sv.end])
            if not direction:
                latest = self._latest_direction(sv.idx, exclude=[a.key for a in agents])
                direction = latest if self.recalled_decision(sv, te, cb) else ""
        elif kind == "oppose":                 # against what is opposed, else against the latest move
            direction = self._words_direction(self.text[te:cb])
            if direction:
                direction = "close" if direction == "open" else "open"
            elif not any(sv.idx - 2 <= i <= sv.idx and (not who or self.vocab.side(who) == self.vocab.side(tkey))
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

    def demand_span(self, sv: SentenceView) -> tuple[int, int] | None:
        """两人开出了一张清单，包括加固…规则、限制H20…: where a list of demands starts (the noun) and
        where its items start (after the opener), lexicon ``demand_lists``."""
        spec = self.lex.get("demand_lists") or {}
        openers = "|".join(map(re.escape, spec.get("openers") or []))
        for noun in spec.get("nouns") or [] if openers else []:
            for at in occurrences(noun, sv.text):
                after = sv.start + at + len(noun)
                m = re.compile(r"[，,：:]?\s*(?:" + openers + ")").match(self.text, after, sv.end)
                if m:
                    return sv.start + at, m.end()
        return None

    def _demands(self, sv: SentenceView, span: tuple[int, int]) -> None:
        """Each item of a list of demands that points trade one way is a push by the list's
        authors; an item that names a decision told in it (加固拜登政府1月出台的规则) is on that one."""
        noun, start = span
        authors = self.agent_for(sv, noun)[0]
        date = self._date_for(sv, noun)
        for m in re.finditer(r"[^、，,；;]+", self.text[start:sv.end]):
            item = m.group(0)
            for part in re.split("以及", item):
                direction = self._words_direction(part)
                if not direction:
                    continue
                told = [r for r in self.result.decisions if r.sent == sv.idx and r.trigger in part]
                about = (told[-1].sent, told[-1].direction) if told else None
                for a in authors:
                    self.pushes.append(Push(a.key, direction, sv.idx, "advises", None, date, about))

    def _retaliation(self, sv: SentenceView) -> None:
        """特朗普扬言加征关税，以回应北京收紧稀土出口 / 中方公布的管制措施曾令特朗普扬言…: answering a
        decision with a threat or a counter-move pushes against it (lexicon ``retaliation``)."""
        spec = self.lex.get("retaliation") or {}
        here = [(self.text.find(r.trigger, sv.start, sv.end), r) for r in self.result.decisions if r.sent == sv.idx]
        for word in spec.get("responses") or []:
            for at in occurrences(word, sv.text):
                p = sv.start + at
                answered = [r for t, r in here if t >= p + len(word)]      # the decision answered follows
                agents = self.agent_for(sv, p)[0]
                if answered and agents:
                    self._pushes_against(sv, agents, answered[0], p)
                    return
        threats = spec.get("threats") or []
        for word in spec.get("provokers") or []:
            for at in occurrences(word, sv.text):
                p = sv.start + at + len(word)
                who = next((r for r in sv.refs if r.start == p and r.cls in ACTOR_CLASSES), None)
                if who is None or not any(self.text.startswith(t, who.end) for t in threats):
                    continue
                provoking = [r for t, r in here if 0 <= t < p] or \
                    [r for r in self.result.decisions if r.sent == sv.idx - 1]
                if provoking:
                    self._pushes_against(sv, [who], provoking[-1], p)
                    return

    def _pushes_against(self, sv: SentenceView, agents: list[Mention], decision, at: int) -> None:
        for a in agents:
            if self.vocab.side(a.key) != self.vocab.side(decision.decider):
                self.pushes.append(Push(a.key, "", sv.idx, "criticizes", None, self._date_for(sv, at),
                                        (decision.sent, decision.direction)))

    def _in_legislature(self, sv: SentenceView, ts: int) -> bool:
        """The trigger's clause places it in a legislature or a body that decides nothing (在国会,
        在参议院): what is pushed there is a bill."""
        ca, _ = sv.clauses[sv.clause_of(ts)]
        houses = set(self.lex.get("legislatures") or [])
        return any(r.cls == "GovernmentBody" and (r.key in houses or not self.vocab.decides(r.key))
                   and self.text[r.start - 1:r.start] == "在"
                   for r in sv.refs if ca <= r.start and r.end <= ts)

    def _latest_direction(self, upto: int, exclude: list[str]) -> str:
        """The latest move on trade before a sentence: a decision word, else someone's push."""
        moves = [(s, d) for s, d, who in self.direction_trail if s <= upto and who not in exclude]
        if not moves:
            moves = [(p.sent, p.direction) for p in self.pushes
                     if p.sent <= upto and p.direction in ("open", "close") and p.actor not in exclude]
        # the latest in reading order (of two moves in one sentence, the later one)
        return max(enumerate(moves), key=lambda im: (im[1][0], im[0]))[1][1] if moves else ""

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
        if subj is None or subj.how == "speaker" or self.vocab.side(subj.key) == self.vocab.side(speaker.key):
            return
        self._add_act("criticizes", speaker, subj, sv.idx, "", 0.6, self._date_for(sv, sv.start))
        self.pushes.append(Push(speaker.key, "", sv.idx, "criticizes", subj.key))

    def _noun_direction(self, text: str) -> str:
        """open | close | '': the way a decision noun in text says it went (协议 opens, 禁令 closes)."""
        return next((d for n, d in (self.lex.get("decision_noun_directions") or {}).items() if n in text), "")

    def referenced_decision(self, sv: SentenceView, a: int, b: int) -> tuple[int, str] | None:
        """此举, 这项协议, 该规则 between a and b, or a decider's 做法/协议 (川普的做法): the decision
        told last before it (by the side of the name written right before the word: 北京此举; the
        way the noun says: a deal opens), as (sentence, direction); UNTOLD for a person's decision
        the article does not tell."""
        ref = self.decision_reference(a, b)
        at = ref.start() if ref else -1
        if ref:
            owner = next((r for r in sv.refs if r.end == at and r.cls in ACTOR_CLASSES), None)
            said = ref.group(0)
        else:
            # 川普的做法, 特朗普政府的分成协议: a decider's decision named by its noun
            nouns = "|".join(map(re.escape, self.lex.get("decision_nouns") or []))
            pattern = re.compile("的" + self.lex["_no_break"] + "{0,4}?(?:" + nouns + ")") if nouns else None
            found = [(r, m.group(0)) for r in sv.refs if a <= r.start and r.end < b and r.cls in ACTOR_CLASSES
                     and self.can_decide(r) for m in [pattern.match(self.text, r.end, b) if pattern else None] if m]
            if not found:
                return None
            owner, said = found[0]
        way = self._noun_direction(said)
        told = [r for r in self.result.decisions if r.sent <= sv.idx and r.direction == (way or r.direction)]
        if at < 0 and owner.cls == "Person":
            # 川普的做法: his, or of the body the article says he holds a post in (美国总统川普:
            # the United States and its government); 前总统拜登的管制政策 is not Trump's
            bodies = {x.target for x in self.result.acts if x.predicate == "member_of" and x.agent == owner.key}
            for country, government in (self.lex.get("governments") or {}).items():
                if country in bodies or government in bodies:
                    bodies |= {country, government}
            told = [r for r in told if r.decider == owner.key or r.decider in bodies]
            return (told[-1].sent, told[-1].direction) if told else UNTOLD
        if owner is not None:
            told = [r for r in told if self.vocab.side(r.decider) == self.vocab.side(owner.key)]
        return (told[-1].sent, told[-1].direction) if told else None

    def _judgements(self, sv: SentenceView) -> None:
        """帕迪拉形容这项协议史无前例又危险, 贝森特声称北京此举是在同全世界作对: judging a decision
        pointed back at with negative or threatening words pushes against it. The judge is the
        clause's subject, else carried over (not the name that owns the decision, 北京此举)."""
        judging = (self.lex.get("negative") or []) + (self.lex.get("threat_words") or []) \
            + (self.lex.get("judging_words") or [])
        for ci, (ca, cb) in enumerate(sv.clauses):
            ref = self.decision_reference(ca, cb)
            at = ref.start() if ref else -1
            if at < 0 or not any(w in self.text[at:sv.end] for w in judging):
                continue
            if any(ca <= t < cb and self.lex["triggers"][self._trigger_at(t)].get("push") for t in sv.trigger_starts):
                continue                        # a push word of the clause has made its push on it
            if any(w in self.text[sv.start:at] for w in self.lex.get("reaction_words") or []):
                continue
            about = self.referenced_decision(sv, ca, cb)
            if about == UNTOLD:
                continue
            judges = [j for j in self.agent_for(sv, at)[0] if j.end != at]
            if about is None or not judges:
                continue
            for j in judges:
                self.pushes.append(Push(j.key, "", sv.idx, "criticizes", None, self._date_for(sv, at), about))
            return

    # -- decisions --------------------------------------------------------
