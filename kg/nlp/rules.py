"""What the entity rules look for, read once from the catalog and ontology/names.yaml.

:class:`NameRules` holds the catalog's surface forms (lower-cased, for the scan),
its titles and the patterns for names the catalog lacks, compiled. It is built
from the knowledge it is given and never reads a file itself.
"""
from __future__ import annotations

import re

from kg.knowledge import Catalog
from kg.nlp.chars import lower


class NameRules:
    """The catalog and names.yaml as the entity finder reads them."""

    def __init__(self, cat: Catalog, rules: dict):
        self.catalog = cat
        self.forms: dict[str, str] = {}           # lower-cased form -> key or "?" for ambiguous
        for form, key in cat.surface.items():
            self.forms[lower(form)] = key
        for form in cat.ambiguous:
            self.forms[lower(form)] = "?"
        for form in cat.blocked:
            self.forms.setdefault(lower(form), "")    # matched as a unit, then dropped
        self.ambiguous = {lower(f): keys for f, keys in cat.ambiguous.items()}
        self.titles = set(cat.titles)
        self.maxlen = max((len(f) for f in list(self.forms) + list(self.titles)), default=1)
        self.nicknames = {lower(n) for n in cat.nicknames}
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
        self.pronoun_forms = dict(rules.get("pronouns") or {})
        self.pronoun_window = int(rules.get("pronoun_window", 2))
        self.home_government = rules.get("home_government")
        self.home_words = list(rules.get("home_government_words") or [])
        known_keys = set(cat.entities)
        self.product_keys = {lower(a): e.key for e in cat.entities.values() if e.cls == "Product"
                             for a in e.aliases}
        self.known_keys = known_keys
        # for the scan: the lengths of the forms and titles that start with each character
        # (longest first), and a character class that jumps to the next place one can start
        lengths: dict[str, set[int]] = {}
        for f in list(self.forms) + list(self.titles):
            if f:
                lengths.setdefault(f[0], set()).add(len(f))
        self.lengths_from = {c: sorted(n, reverse=True) for c, n in lengths.items()}
        firsts = sorted(set(self.lengths_from) | {lower(c) for c in self.lengths_from})
        self.next_start = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]" if firsts else r"(?!x)x")
