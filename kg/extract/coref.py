"""Coreference: pronouns, definite descriptions and bare titles that stand for a named actor.

News names an actor once and then refers back: 他/她, 该公司/这家芯片巨头, 该部,
上述发言人, a bare 总统 with no name after it. Each such form is resolved to a
mention before it, by the rules a reader applies:

* the class must fit (ontology/names.yaml ``pronouns`` gives each form's class);
* never an actor named in the pronoun's own clause (他说服川普: 他 is not 川普);
* the subject of an earlier clause first (the most salient), else the nearest
  mention, within ``pronoun_window`` sentences;
* a bare title (发言人, 总统, 部长) stands for the last person written with that
  title before (白宫发言人德赛 … 发言人说);
* a capital used as an actor (北京此举, 华府还限制…) stands for its government;
* 我们, 我方 in reported words stand for the last one who spoke (the
  ministry whose spokesperson 表示…);
* a plural (两人, 他们) stands for the last coordinated subject of two or more
  people (A与B联名致函…; 两人在信中批评…).

The resolved mention counts as the argument: it is a Mention with how="pronoun".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.nlp import Mention

ACTOR_CLASSES = ("Person", "Company", "GovernmentBody", "Country", "Media")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    sent: int


class Resolver:
    """Resolves referring forms in one article's text, given its mentions and clauses."""

    def __init__(self, forms: dict[str, str], titles: list[str], window: int, object_preps: set[str],
                 entities: dict, coordination: list[str], speech_verbs: list[str] = (),
                 spokesperson_titles: list[str] = (), capitals: dict | None = None,
                 place_words: list[str] = (), capital_stops: list[str] = (),
                 capital_acts: list[str] = ()):
        self.forms = sorted(forms.items(), key=lambda kv: -len(kv[0]))
        self.form_class = dict(self.forms)
        # the forms as one alternation, longest first: the scan jumps from one to the next
        self.form_pattern = re.compile("|".join(re.escape(f) for f, _ in self.forms)) if self.forms else None
        self.titles = sorted(set(titles), key=len, reverse=True)
        self.window = window
        self.object_preps = object_preps
        self.entities = entities
        self.coordination = list(coordination)
        self.speech_verbs = list(speech_verbs)
        self.spokesperson_titles = list(spokesperson_titles)
        self.capitals = dict(capitals or {})
        self.place_words = list(place_words)
        self.capital_stops = list(capital_stops)
        self.capital_acts = list(capital_acts)

    def _clause_of(self, clauses: list[Clause], offset: int) -> Clause | None:
        for c in clauses:
            if c.start <= offset < c.end:
                return c
        return None

    def _subjects(self, mentions: list[Mention], clauses: list[Clause], text: str) -> set[int]:
        """Start offsets of the mentions that open their clause as its subject."""
        starts = set()
        for c in clauses:
            inside = [m for m in mentions if c.start <= m.start < c.end and m.cls in ACTOR_CLASSES]
            for k, m in enumerate(inside):
                if text[max(c.start, m.start - 1):m.start] in self.object_preps:
                    continue
                if text[m.end:m.end + 1] == "的":
                    continue
                # 参议院银行委员会民主党首席议员华伦: the person after the organisation's post is the head
                nxt = next((x for x in inside[k + 1:] if x.key != m.key), None)
                if m.cls != "Person" and nxt is not None and nxt.cls == "Person" and nxt.start - m.end <= 12 \
                        and not any(j in text[m.end:nxt.start] for j in self.coordination):
                    m = nxt
                starts.add(m.start)
                break
        return starts

    def resolve(self, text: str, mentions: list[Mention], clauses: list[Clause],
                sentence_of, covered: list[tuple[int, int]]
                ) -> tuple[list[Mention], dict[tuple[int, int], list[Mention]]]:
        """Mentions for every referring form of the text that can be resolved, and the members
        each plural stands for, by its span."""
        ordered = sorted(mentions, key=lambda m: m.start)
        subjects = self._subjects(ordered, clauses, text)
        groups: dict[tuple[int, int], list[Mention]] = {}
        taken = sorted(covered)
        out: list[Mention] = []
        i = 0
        n = len(text)
        while i < n and self.form_pattern is not None:
            found = self.form_pattern.search(text, i)
            if found is None:
                break
            i, form = found.start(), found.group()
            if any(a <= i < b for a, b in taken):
                i += 1
                continue
            cls = self.form_class[form]
            end = i + len(form)
            sent = sentence_of(i)
            # a title followed by a name is a title, not a reference (总统川普, 商务部长提名人卢特尼克)
            if cls == "title" and any(end <= m.start <= end + 4 and m.cls == "Person" for m in ordered):
                i = end
                continue
            if cls == "capital":
                gov = self.capitals.get(form)
                if gov in self.entities and self._acts_as_capital(text, i, end):
                    out.append(Mention(gov, self.entities[gov].cls, i, end, form, sent, "capital"))
                i = end
                continue
            if cls == "speaker":
                spk = self._speaker(text, i, sent, ordered, clauses)
                if spk is not None:
                    out.append(Mention(spk.key, spk.cls, i, end, form, sent, "speaker"))
                i = end
                continue
            if cls == "group":
                members = self._group(text, i, sent, ordered, clauses, subjects)
                if members:
                    out.append(Mention(members[0].key, members[0].cls, i, end, form, sent, "group"))
                    groups[(i, end)] = members
                i = end
                continue
            ant = self._antecedent(text, form, cls, i, end, sent, ordered, clauses, subjects, sentence_of)
            if ant is not None:
                out.append(Mention(ant.key, ant.cls, i, end, form, sent, "pronoun"))
            i = end
        return out, groups

    def _acts_as_capital(self, text: str, start: int, end: int) -> bool:
        """北京此举, 华府同月还限制…: a capital standing for its government, not a place (在北京,
        赴华府), a time (北京时间) or a dateline (北京4月17日电); 北京的做法 is the government's."""
        before = text[max(0, start - 2):start]
        after = text[end:end + 4]
        if any(before.endswith(w) for w in self.place_words):
            return False
        if any(text.startswith("的" + w, end) for w in self.capital_acts):
            return True                         # 北京的做法: the government's doing
        if any(after.startswith(w) for w in self.capital_stops) or (after[:1].isdigit()):
            return False
        return True

    def _speaker(self, text, start, sent, ordered, clauses) -> Mention | None:
        """我们, 我方 in reported words: the last one who spoke (the actor before a speech verb in its
        clause: 商务部新闻发言人表示 -> 商务部), within the window."""
        best = None
        for c in clauses:                       # a spokesperson speaks for the whole Q&A: no window
            if c.start >= start or c.sent == sent:   # 美方嘴上说…，我们反对: not the one quoted here
                continue
            for verb in self.speech_verbs:
                at = text.find(verb, c.start, c.end)
                if at < 0:
                    continue
                before = [m for m in ordered if c.start <= m.start and m.end <= at and m.cls in ACTOR_CLASSES
                          and m.how not in ("pronoun", "speaker")]
                if not before:
                    continue
                # an official voice (商务部新闻发言人表示) outranks anyone else who spoke
                official = any(text.startswith(t, m.end) for m in before for t in self.spokesperson_titles)
                rank = (official, at)
                if best is None or rank > best[0]:
                    best = (rank, before[0])
        return best[1] if best else None

    def _group(self, text, start, sent, ordered, clauses, subjects) -> list[Mention]:
        """两人, 他们: the last coordinated subject of two or more people (A与B联名致函…)."""
        joiners = self.coordination
        for c in reversed([c for c in clauses if c.end <= start and sent - c.sent <= self.window]):
            people = [m for m in ordered if c.start <= m.start < c.end and m.cls == "Person" and m.how != "pronoun"]
            if len(people) < 2 or people[0].start not in subjects:
                continue
            group = [people[0]]
            for a, b in zip(people, people[1:]):
                gap = text[a.end:b.start]
                gap = gap[gap.rfind("）") + 1:] if "）" in gap else gap
                if any(j in gap for j in joiners) and len(gap) <= 40:
                    group.append(b)
                else:
                    break
            keys = []
            for m in group:
                if m.key not in [k.key for k in keys]:
                    keys.append(m)
            if len(keys) >= 2:
                return keys
        return []

    def _antecedent(self, text, form, cls, start, end, sent, ordered, clauses, subjects, sentence_of):
        own = self._clause_of(clauses, start)
        in_own = {m.key for m in ordered if own and own.start <= m.start < own.end and m.start != start}
        as_object = False
        if own is not None and start > own.start and cls == "Person" \
                and not any(own.start <= m.start < start and m.cls in ACTOR_CLASSES for m in ordered):
            # …联署致函黄仁勋，要求他…: a pronoun after the verb of a clause whose subject is carried
            # over is that subject's object, so not the subject (nor those coordinated with it)
            prev = [c for c in clauses if c.sent == own.sent and c.end <= own.start]
            as_object = bool(prev)
            if prev:
                in_own |= {m.key for m in self._group(text, own.start, own.sent, ordered, [prev[-1]], subjects)}
                in_own |= {m.key for m in ordered if prev[-1].start <= m.start < prev[-1].end and m.start in subjects}
        if cls == "title":
            title = form
            for m in reversed([m for m in ordered if m.end <= start and m.cls == "Person"]):
                if text[max(0, m.start - len(title)):m.start] == title and m.key not in in_own:
                    return m
            return None
        cands = [m for m in ordered if m.end <= start and m.cls == cls and sent - m.sent <= self.window
                 and m.key not in in_own and m.how != "pronoun"]
        if not cands:
            return None
        # an object pronoun (致函黄仁勋，要求他…) is the one just addressed: the nearest, not a subject
        subj = [] if as_object else [m for m in cands if m.start in subjects]
        best = subj[-1] if subj else cands[-1]
        # in doubt: another actor of the class as salient and as near (two subjects in one sentence)
        rivals = {m.key for m in (subj or cands) if m.sent == best.sent}
        if len(rivals) > 1 and best.sent != sent and not subj:
            return None
        return best


_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def counted_groups(text: str, sentences: list[tuple[int, int]], mentions: list[Mention], nouns: list[str],
                   coordination: list[str]) -> list[tuple[int, int, int, list[Mention]]]:
    """美国6名民主党籍参议员…敦促… / 联署者包括A、B、C…: a counted group of people (数 + 名/位 +
    a group noun) stands for the people listed by name in the sentence before or the two
    after it, when two or more are listed (and no more than the count). Returns (start, end,
    sentence, members) for each group resolved."""
    if not nouns:
        return []
    pattern = re.compile(r"(\d+|[两二三四五六七八九十]+)\s*(?:名|位)[^，,。；;：:]{0,8}?(?:"
                         + "|".join(map(re.escape, sorted(nouns, key=len, reverse=True))) + ")")
    people = sorted((m for m in mentions if m.cls == "Person" and m.how != "pronoun"), key=lambda m: m.start)
    out = []
    for si, (a, b) in enumerate(sentences):
        for found in pattern.finditer(text, a, b):
            count = int(found.group(1)) if found.group(1).isdigit() else _NUMERALS.get(found.group(1), 0)
            for sj in (si, si + 1, si + 2, si - 1):
                if not 0 <= sj < len(sentences):
                    continue
                sa, sb = sentences[sj]
                listed = _listed(text, [m for m in people if sa <= m.start < sb and not found.start() <= m.start < found.end()],
                                 coordination)
                if len(listed) >= 2 and (not count or len(listed) <= count):
                    out.append((found.start(), found.end(), si, listed))
                    break
    return out


def _listed(text: str, people: list[Mention], coordination: list[str]) -> list[Mention]:
    """The longest run of people joined by coordination words (glosses in brackets between)."""
    best: list[Mention] = []
    run: list[Mention] = []
    for m in people:
        if run and m.key in {x.key for x in run}:
            continue                            # 舒默（Chuck Schumer）: the gloss of one listed
        if run:
            gap = re.sub(r"（[^（）]*）|\([^()]*\)", "", text[run[-1].end:m.start])
            if any(j in gap for j in coordination) and len(gap) <= 20:
                run.append(m)
            else:
                run = [m]
        else:
            run = [m]
        if len(run) > len(best):
            best = list(run)
    return best if len(best) >= 2 else []
