"""Posts held: ``member_of`` read from the titles written before a person's name.

Chinese news writes a person's post before the name, most often with the
organisation in front of the post (英伟达CEO黄仁勋, 白宫AI主管萨克斯), sometimes
inside it (商务部长卢特尼克: 商务部 + 长), and sometimes as a chain of posts
(中共中央政治局委员、国务院副总理何立峰; 总裁兼首席执行官). The guidelines:

* a title that names an organisation gives ``member_of`` that organisation;
* a head-of-state post after a country (美国总统特朗普, 中国国家主席习近平) gives
  ``member_of`` that country (its government);
* a bare post (国务卿鲁比奥, 贸易代表格里尔) gives none.

The walk goes backwards from the name: an optional nominee word (人选,
提名人), a post title (several joined by 兼), then what stands before the
title: an organisation mention (possibly followed by an English name in
brackets and a joiner such as 公司), an enumeration comma that starts another
post, or nothing. The words (titles, joiners, nominee words, head-of-state
posts) are data: catalog.yaml ``titles`` and lexicon.yaml ``posts``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.nlp import Mention

ORG_CLASSES = ("Company", "GovernmentBody", "Media")


@dataclass(frozen=True)
class Membership:
    """One post found before a name: the person, the organisation, the title that says so."""
    person: Mention
    org_key: str
    org_cls: str
    title: str


class PostReader:
    """Reads the posts written before names, with the catalog's titles and forms."""

    def __init__(self, titles: list[str], surface: dict[str, str], ambiguous: dict[str, list[str]],
                 entities: dict, words: dict, side_of):
        self.titles = sorted(set(titles), key=lambda t: (-len(t), t))
        self.surface = surface
        self.ambiguous = ambiguous
        self.entities = entities
        self.side_of = side_of
        self.joiners = list(words.get("title_joiners") or [])
        self.nominee = sorted(words.get("nominee_words") or [], key=len, reverse=True)
        self.head_posts = set(words.get("head_of_state_posts") or [])
        self.chain = list(words.get("title_chain") or ["兼"])
        bracket = r"(?:（[^（）]{1,30}）|\([^()]{1,30}\))?"
        self.gap = re.compile("^" + bracket + "(?:" + "|".join(map(re.escape, self.joiners)) + ")*$") \
            if self.joiners else re.compile("^" + bracket + "$")
        self.country_forms = sorted((f for f, k in surface.items() if k in entities and entities[k].cls == "Country"),
                                    key=len, reverse=True)
        self.org_forms = sorted((f for f in list(surface) + list(ambiguous)
                                 if self._is_org_form(f)), key=len, reverse=True)

    def _is_org_form(self, form: str) -> bool:
        keys = self.ambiguous.get(form) or ([self.surface[form]] if form in self.surface else [])
        return any(self.entities[k].cls in ORG_CLASSES for k in keys if k in self.entities)

    # ------------------------------------------------------------------
    def title_before(self, text: str, end: int, start: int) -> str | None:
        """The longest title ending at ``end`` (not reaching before ``start``)."""
        for t in self.titles:
            if end - len(t) >= start and text.startswith(t, end - len(t)):
                return t
        return None

    def _org_in_title(self, title: str) -> str | None:
        """商务部长 -> 商务部: an organisation's form the title starts with (not the whole title)."""
        for f in self.org_forms:
            if title.startswith(f) and len(f) < len(title):
                return f
        return None

    def _resolve(self, form: str, person: Mention, country: str | None) -> str | None:
        keys = self.ambiguous.get(form) or [self.surface[form]]
        if len(keys) == 1:
            return keys[0]
        ent = self.entities.get(person.key)
        held = {p.get("org") for p in (ent.posts if ent else [])}
        for k in keys:
            if k in held:
                return k
        if country:
            for k in keys:
                if self.side_of(k) == self.side_of(country):
                    return k
        return None

    def read(self, text: str, sent_start: int, refs: list[Mention], resolved: dict[str, str]) -> list[Membership]:
        """Every membership stated by titles in one sentence. ``refs`` are the sentence's
        mentions in order; ``resolved`` maps an ambiguous form to the key the article chose."""
        out: list[Membership] = []
        # 该公司执行长黄仁勋: a company pointed back at holds the post as its name would
        by_end = {r.end: r for r in refs if r.cls in ORG_CLASSES + ("Country",)
                  and (r.how != "pronoun" or r.cls == "Company")}
        for p in refs:
            if p.cls != "Person" or p.how == "pronoun":
                continue
            pos = p.start
            for w in self.nominee:
                if text.startswith(w, pos - len(w)) and pos - len(w) >= sent_start:
                    pos -= len(w)
                    break
            while True:
                titles = []
                t = self.title_before(text, pos, sent_start)
                while t:
                    titles.append(t)
                    pos -= len(t)
                    joined = next((c for c in self.chain if text.startswith(c, pos - len(c))), None)
                    if not joined:
                        break
                    t2 = self.title_before(text, pos - len(joined), sent_start)
                    if not t2:
                        break
                    pos -= len(joined)
                    t = t2
                if not titles:
                    break
                head = titles[-1]                    # the first title written
                org = None
                # what stands before the title: an organisation or a country mention
                before = None
                for e in range(pos, max(sent_start, pos - 40) - 1, -1):
                    if e in by_end and self.gap.match(text[e:pos]):
                        before = by_end[e]
                        break
                if before is None:              # a country the matcher left unmarked (中国国家主席)
                    form = next((f for f in self.country_forms if text.startswith(f, pos - len(f))
                                 and pos - len(f) >= sent_start), None)
                    if form:
                        key = self.surface[form]
                        before = Mention(key, "Country", pos - len(form), pos, form, p.sent, "catalog")
                inner = [self._org_in_title(t) for t in titles]
                for t, form in zip(titles, inner):
                    if form:
                        country = before.key if before is not None and before.cls == "Country" else None
                        key = resolved.get(form) if form in self.ambiguous and not country else None
                        key = self._resolve(form, p, country) or key
                        if key and key in self.entities:
                            out.append(Membership(p, key, self.entities[key].cls, t))
                            org = key
                if before is not None:
                    if before.cls == "Country":
                        if org is None and any(t in self.head_posts for t in titles):
                            out.append(Membership(p, before.key, "Country", head))
                    elif org is None:
                        out.append(Membership(p, before.key, before.cls, text[before.end:p.start]))
                    pos = before.start
                # 中共中央政治局委员、国务院副总理何立峰: another post before an enumeration comma
                if pos > sent_start and text[pos - 1] == "、" and before is not None:
                    pos -= 1
                    continue
                break
        return out
