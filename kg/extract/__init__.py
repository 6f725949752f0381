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

import re
from dataclasses import replace

from kg import dates
from kg.extract import decisions, stances
from kg.extract.clauses import SentenceView, clause_spans, without_glosses
from kg.extract.coref import Clause, Resolver, counted_groups
from kg.extract.modality import Modality
from kg.extract.pushes import Pushes
from kg.extract.records import Act, DecisionReport, DocActs, Push, StanceFact
from kg.extract.roles import Roles
from kg.extract.vocabulary import ACTOR_CLASSES, Vocabulary, lexicon, side, vocabulary
from kg.knowledge import Knowledge
from kg.nlp import Analysis, Mention

__all__ = ["extract", "DocExtractor", "DocActs", "Act", "DecisionReport", "Push", "StanceFact", "side", "lexicon"]






def resolve_references(analysis: Analysis, lex: dict, finder: Resolver) -> tuple[list[Mention], dict]:
    """Pronouns, definite descriptions and bare titles of the article as mentions of whom they
    stand for; and the members each plural (两人) stands for, by its span."""
    text = analysis.article.text
    clauses = [Clause(a, b, i) for i, s in enumerate(analysis.sentences)
               for a, b in clause_spans(text, s.start, s.end, lex["_breaks"])]
    covered = [(m.start, m.end) for m in analysis.mentions]
    found, groups = finder.resolve(text, analysis.mentions, clauses, analysis.sentence_of, covered)
    spans = [(s.start, s.end) for s in analysis.sentences]
    for start, end, sent, members in counted_groups(text, spans, analysis.mentions,
                                                    lex.get("counted_group_nouns") or [], lex["_coordination"]):
        if not any(start < m.end and m.start < end for m in analysis.mentions + found):
            found.append(Mention(members[0].key, "Person", start, end, text[start:end], sent, "group"))
            groups[(start, end)] = members
    return [m for m in found if m.cls in ACTOR_CLASSES or m.cls == "Product"], groups


# --------------------------------------------------------------------------
# One sentence at a time


class DocExtractor(Roles, Modality, Pushes):

    def __init__(self, analysis: Analysis, vocab: Vocabulary | None = None):
        self.analysis = analysis
        self.vocab = vocab or vocabulary()      # the words and readers of the Knowledge it is handed
        self.lex = self.vocab.lexicon
        self.text = analysis.article.text
        self.doc_date = analysis.article.date
        #: what partial dates are read against: the article's date, else a placeholder year
        #: that still orders them (dates of that year are dropped from the facts, see run)
        self.calendar = self.doc_date or dates.UNKNOWN_YEAR_DATE
        references, self.groups = resolve_references(analysis, self.lex, self.vocab.resolver)
        self.refs = sorted(without_glosses(analysis.mentions, self.text) + references,
                           key=lambda m: (m.start, m.end))
        self.token_starts = [ts for ts, _ in analysis.tokens]
        self.token_ends = [te for _, te in analysis.tokens]
        self.result = DocActs(analysis)
        self.pushes: list[Push] = []
        self.letter_authors: list[Mention] = []    # the writers of the last letter told
        #: the moves told, in reading order: (sentence, open|close, key of who made it or "")
        self.direction_trail: list[tuple[int, str, str]] = []
        self.title_gap = self.vocab.title_gap
        #: the key the article gave each ambiguous form (商务部 -> mofcom or the US department)
        self.resolved_forms = {}
        for m in analysis.mentions:
            if m.how == "ambiguous":
                self.resolved_forms.setdefault(m.surface, m.key)

    # -- reference helpers --------------------------------------------------

    def run(self) -> DocActs:
        self._resolve_qi()
        for idx in range(len(self.analysis.sentences)):
            sv = SentenceView(self, idx)
            self._member_of(sv)
            self._produces(sv)
            demands = self.demand_span(sv)
            self._triggers(sv, demands)
            if demands:
                self._demands(sv, demands)
            self._speech(sv)
            self._summits(sv)
            self._voice(sv)
            self._judgements(sv)
            self._retaliation(sv)
        self._produces_document()
        self.result.decisions = decisions.merge(self.result.decisions, self.refs, self.vocab.side)
        self._restricts_from_decisions()
        decisions.conditions(self.analysis.sentences, self.result.decisions, self.lex)
        self.result.stances = stances.attach(self.pushes, self.result.decisions, self.refs, self.lex,
                                             self.vocab.side, self.vocab)
        self.result.acts = sorted(set(self.result.acts), key=lambda a: (a.sent, a.predicate, a.agent, a.target))
        self._drop_placeholder_years()
        return self.result

    def _summits(self, sv: SentenceView) -> None:
        """30日的川习会上: a summit named by the leaders' one-character names is their meeting."""
        spec = self.lex.get("summit_compounds") or {}
        leaders, cat = spec.get("leaders") or {}, self.vocab.catalog.entities
        if not leaders:
            return
        chars = "".join(map(re.escape, leaders))
        stop = "".join(map(re.escape, spec.get("not_after") or []))
        for m in re.finditer(f"([{chars}])([{chars}])会(?![{stop}])" if stop else f"([{chars}])([{chars}])会",
                             sv.text):
            a, b = leaders[m.group(1)], leaders[m.group(2)]
            if a == b or a not in cat or b not in cat:
                continue
            at = sv.start + m.start()
            first = Mention(a, cat[a].cls, at, at + 1, m.group(1), sv.idx, "compound")
            second = Mention(b, cat[b].cls, at + 1, at + 2, m.group(2), sv.idx, "compound")
            self._add_act("meets", first, second, sv.idx, m.group(0), 0.8, self._date_for(sv, at))

    def _drop_placeholder_years(self) -> None:
        """Dates read in the placeholder year ordered the facts; they are not written out
        (a decision key keeps the month: d-us-export-close-h20-04)."""
        if self.doc_date:
            return
        self.result.acts = [a if dates.year_known(a.date) or not a.date else replace(a, date=None)
                            for a in self.result.acts]
        renamed = {}
        for r in self.result.decisions:
            if r.date and not dates.year_known(r.date):
                renamed[r.key] = r.key.replace(f"-{r.date[:4]}-", "-")
                r.date = None
        for r in self.result.decisions:
            r.key = renamed.get(r.key, r.key)
        self.result.stances = [replace(st, decision=renamed.get(st.decision, st.decision))
                               for st in self.result.stances]

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
                    subj = self.subject_of_clause(sv, ci, ts if sv.clauses[ci][1] > ts else None, makers=True)
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
        kind = self.vocab.acts[pred]
        if not kind.allows(agent.cls, target.cls):
            return                                  # the ontology's domain and range (ontology/acts.yaml)
        if kind.by_power and agent.cls == "Person" and not self.can_decide(agent):
            return                                  # 参议员要求限制H20: urged, not done
        a, t = agent.key, target.key
        if kind.symmetric and a > t:
            a, t = t, a
        self.result.acts.append(Act(pred, a, t, sent, trigger, date, conf))

    def _date_for(self, sv: SentenceView, ts: int) -> str | None:
        """The nearest date before the trigger in its clause, else the nearest one before it in the
        sentence (5月13日宣布，将撤销…今年1月发布的框架: the 1月 is the later verb's), else the
        clause's, else the sentence's first."""
        ca, cb = sv.clauses[sv.clause_of(ts)]
        found = [d for d in dates.find(sv.text, self.calendar) if not d.deadline]
        in_clause = [d for d in found if ca <= sv.start + d.start < cb]
        before = [d for d in found if sv.start + d.end <= ts]
        pick = [d for d in before if d in in_clause][-1:] or before[-1:] or in_clause[:1] or found[:1]
        return pick[0].value if pick else None

    def _member_of(self, sv: SentenceView) -> None:
        for m in self.vocab.post_reader.read(self.text, sv.start, sv.refs, self.resolved_forms):
            org = Mention(m.org_key, m.org_cls, m.person.start, m.person.start, "", sv.idx, "title")
            self._add_act("member_of", m.person, org, sv.idx, m.title, 0.9)

    def _produces(self, sv: SentenceView) -> None:
        cat = self.vocab.catalog.entities
        companies = [r for r in sv.refs if r.cls == "Company"]
        for prod in (r for r in sv.refs if r.cls == "Product"):
            maker = cat[prod.key].produced_by if prod.key in cat else None
            for c in companies:
                adjacent = re.fullmatch(r"(的|[^,。]{0,12}的)?", self.text[c.end:prod.start] if c.end <= prod.start else "x")
                if c.key == maker or (maker is None and adjacent):
                    self._add_act("produces", c, prod, sv.idx, "", 0.8 if adjacent else 0.6)

    def _produces_document(self) -> None:
        """A product and the company the catalog says makes it, named in neighbouring sentences."""
        cat = self.vocab.catalog.entities
        done = {(a.agent, a.target) for a in self.result.acts if a.predicate == "produces"}
        for prod in (r for r in self.refs if r.cls == "Product" and r.key in cat):
            maker = cat[prod.key].produced_by
            near = [r for r in self.refs if r.key == maker and abs(r.sent - prod.sent) <= 1]
            if maker and near and (maker, prod.key) not in done:
                self._add_act("produces", near[0], prod, prod.sent, "", 0.5)
                done.add((maker, prod.key))

    def _titles_with_triggers(self) -> re.Pattern | None:
        """The catalog's post titles that hold a trigger word (谈判代表 holds 谈判), as one
        pattern built once: _scan runs it on every sentence."""
        if "_titles_with_triggers" not in self.lex:
            words = self.lex["triggers"]
            titles = sorted((t for t in self.vocab.catalog.titles if t not in words and any(w in t for w in words)),
                            key=lambda t: (-len(t), t))
            self.lex["_titles_with_triggers"] = re.compile("|".join(map(re.escape, titles))) if titles else None
        return self.lex["_titles_with_triggers"]

    def _scan(self, sv: SentenceView):
        """Longest-match trigger occurrences in a sentence, outside names."""
        triggers = self.lex["triggers"]
        longest = self.lex["_trigger_max"]
        firsts = self.lex["_trigger_firsts"]
        inside = [(r.start, r.end) for r in sv.refs]
        # 国际贸易谈判代表李成钢: a word of a post title is no trigger
        titles = self._titles_with_triggers()
        inside += [(sv.start + m.start(), sv.start + m.end()) for m in titles.finditer(sv.text)] if titles else []
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

    def _triggers(self, sv: SentenceView, demands: tuple[int, int] | None = None) -> None:
        for ts, te, word, spec in self._scan(sv):
            if demands and ts >= demands[1]:
                if self.text[te:te + 1] != "的":
                    continue                        # an item of a list of demands: urged (see _demands)
                # …1月出台的规则 inside an item: a move told, on what its item names
                a = max([demands[1]] + [m.end() + demands[1] for m in re.finditer(r"[、，,；;]", self.text[demands[1]:ts])])
                b = min([sv.end] + [m.start() + ts for m in re.finditer(r"[、，,；;]", self.text[ts:sv.end])][:1])
                spec = dict(spec, item=(a, b))
            ca, cb = sv.clauses[sv.clause_of(ts)]
            if spec.get("needs") and not any(w in self.text[ca:cb] for w in spec["needs"]):
                continue
            if spec.get("direction") in ("reverse", "object"):
                # 撤销…规则 opens, 推出…出口管制规则 closes: the direction of what is acted on;
                # 实施禁令，之后又撤回: undoing with no object undoes the sentence's last move
                what = self._words_direction(self.text[te:cb])
                undone = ""
                if spec["direction"] == "reverse":
                    if not what:
                        what = next((d for i, d, _ in reversed(self.direction_trail) if i == sv.idx), "")
                    undone = what
                    what = {"open": "close", "close": "open"}.get(what, "")
                spec = {k: v for k, v in spec.items() if k != "direction"}
                if undone:
                    spec["undoes"] = undone
                if what:
                    spec["direction"] = what
            negated = self.negated(sv, ts)
            hedged = self.hedged(sv, ts)
            agents, how, passive_target = self.agent_for(sv, ts)
            if how in ("vague", "none") and spec.get("push") in ("content", "oppose"):
                # 发言人指，荷方干预企业内部事务…，敦促荷方撤销: who says the words urges in them
                speaker = self.speaker_of(sv, ts)
                if speaker is not None and speaker.cls in ACTOR_CLASSES and speaker.cls != "Media":
                    agents, how = self.group_of(speaker, sv), "carried"
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
            if not targets and agents and spec.get("act") in ("investigates", "summons", "sanctions"):
                targets = [s for s in self.suspects(sv) if s not in agents][:1]
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
            # — nor one carried over from a speaker who cannot decide it (特朗普表示，将允许… is his)
            own_words = how == "carried" and agents and all(self.can_decide(a) for a in agents) \
                and self.speaker_of(sv, ts) in agents
            if spec.get("direction") and (how in ("subject", "passive") or own_words or not self.in_speech(sv, ts)) \
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
            # A与B、C举行磋商: A meets B and C, who came together (not each other); A、B和C会谈: all pairs
            gap = self.text[agents[0].end:agents[1].start]
            hosts = agents[:1] if any(w in gap for w in ("与", "同", "跟")) else agents
            for i, a in enumerate(hosts):
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
                    cat = self.vocab.catalog.entities
                    a = Mention(keys[0], cat[keys[0]].cls, ca, ca, word_pair, sv.idx, "pair")
                    b = Mention(keys[1], cat[keys[1]].cls, ca, ca, word_pair, sv.idx, "pair")
                    self._add_act("meets", a, b, sv.idx, word, conf, date)
                    return

    def _partners(self, sv: SentenceView, ts: int) -> list[Mention]:
        """A跟特朗普达成协议: the one dealt with (after 跟/与/和/同)."""
        ca, _ = sv.clauses[sv.clause_of(ts)]
        found = [r for r in sv.refs if ca <= r.start and r.end <= ts and r.cls in ACTOR_CLASSES
                 and (sv.tokens_between(ca, r.start)[-1:] or [""])[0] in (self.lex.get("comitative") or [])]
        return found

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
        if spec.get("item"):
            a, b = spec["item"]
            products = tuple(sorted({r.key for r in sv.refs if r.cls == "Product" and a <= r.start < b}))
        if not products and spec.get("undoes"):
            # 实施禁令，之后又撤回 / 4月禁止H20出口，7月撤销禁令: what is undone is the sentence's
            # last move that way, on its products
            products = next((d.products for d in reversed(self.result.decisions)
                             if d.sent == sv.idx and d.direction == spec["undoes"]), ())
        if not products and deciders and not spec.get("nominal") and "undoes" not in spec:
            # 4月要求H20出口须获许可…；7月当局又改口放行: a turn with no product of its own turns
            # the sentence's last opposite move by the same side, on its products
            turned = {"open": "close", "close": "open"}.get(spec["direction"])
            side = self.vocab.side(deciders[0].key)
            products = next((d.products for d in reversed(self.result.decisions)
                             if d.sent == sv.idx and d.direction == turned and d.products and not d.background
                             and self.vocab.side(d.decider) == side), ())
        home = self.vocab.names.get("home_government")
        cat = self.vocab.catalog.entities
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
            if (scope, self.vocab.side(decider.key)) in (("export", "cn"), ("import", "us")):
                scope = "other"                     # China's export controls, US import rules
        if not scope:
            scope = {"us": "export", "cn": "import"}.get(self.vocab.side(decider.key), "other")
        self.result.decisions.append(DecisionReport(decider.key, scope, spec["direction"], products, sv.idx,
                                                    word, date, None, background))

    def _restricts_from_decisions(self) -> None:
        """A close decision on named products restricts them (特朗普宣布限制芯片对华出口 about the H20)."""
        cat = self.vocab.catalog.entities
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


def extract(analysis: Analysis, knowledge: Knowledge | None = None) -> DocActs:
    """What ``analysis`` states, read with the words of ``knowledge`` (by default kg.knowledge.default())."""
    return DocExtractor(analysis, vocabulary(knowledge)).run()
