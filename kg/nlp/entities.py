"""Entity mentions in one text: the catalog's names, then the names it lacks, then the
ambiguous forms read by context, then pronouns. Pure Python, no spaCy objects.

The rules live in their own modules and run in this order, each claiming only the
spans the earlier ones left free:

1. :mod:`kg.nlp.scan` — catalog forms and post titles, longest match;
2. :mod:`kg.nlp.names` — names after titles, organisations after cue words and before
   suffixes, cited outlets, people after cue words, dotted names, bracketed originals
   and aliases, chip model codes, Latin company names, recurrences, surname + 氏,
   the home government;
3. :mod:`kg.nlp.ambiguous` — 商务部 and its like, by context;
4. :mod:`kg.nlp.references` — the publisher dropped, pronouns resolved.
"""
from __future__ import annotations

from kg.knowledge import Catalog
from kg.nlp import ambiguous, names, references
from kg.nlp.found import Found
from kg.nlp.rules import NameRules
from kg.nlp.scan import catalog_spans
from kg.records import Mention, NewEntity


class EntityFinder:
    """Finds the mentions of one text with the rules of a catalog and names.yaml."""

    def __init__(self, catalog: Catalog, name_rules: dict):
        self.rules = NameRules(catalog, name_rules)

    def find(self, text: str, tokens: list[tuple[int, int]], sentences: list[tuple[int, int]]
             ) -> tuple[list[Mention], list[Mention], dict[str, NewEntity]]:
        """(mentions, pronouns, new entities) of ``text``, given its token and sentence spans."""
        r = self.rules
        f = Found(r, text, tokens, sentences)
        title_spans, pending = self._catalog(f)
        names.title_names(f, title_spans)
        names.cue_orgs(f)
        names.suffix_orgs(f)
        names.cited_media(f)
        names.cue_people(f)
        names.dotted_names(f)
        names.bracketed(f)
        names.product_codes(f)
        names.company_names(f)
        names.recurrences(f)
        names.surname_refs(f)
        names.home_government(f)
        ambiguous.resolve_all(f, pending, title_spans)
        mentions = f.mentions
        publishers = references.publishers(r, text, mentions)
        if publishers:
            mentions = [m for m in mentions if m.key not in publishers]
        pronouns = references.pronouns(r, text, tokens, mentions, f.sent_of)
        return mentions, pronouns, f.new

    def _catalog(self, f: Found) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The catalog's mentions added to ``f``; returns the spans of post titles and those
        of ambiguous forms (resolved once every name is known). Titles, ambiguous forms
        and forms that name no actor (苹果应用商店) take their spans too."""
        r, text = self.rules, f.text
        title_spans: list[tuple[int, int]] = []
        blocked: list[tuple[int, int]] = []
        pending: list[tuple[int, int]] = []
        for s, e, key, is_title in list(catalog_spans(r, text, f.low, f.starts, f.ends)):
            if is_title:
                title_spans.append((s, e))
                continue
            if key == "":                             # a phrase that names no actor
                blocked.append((s, e))
                continue
            if key == "?":
                pending.append((s, e))
                continue
            how = "nickname" if f.low[s:e] in r.nicknames else "catalog"
            ent = r.catalog.entities[key]
            if ent.cls == "Person" and names.inside_dotted_name(r, text, s, e):
                continue    # 沃纳 in 沃纳·赫尔佐格, 特朗普 in 梅拉尼娅·特朗普: another person's full name
            f.mentions.append(Mention(key, ent.cls, s, e, text[s:e], f.sent_of(s), how))
        f.taken = [(m.start, m.end) for m in f.mentions] + title_spans + blocked + pending
        return title_spans, pending
