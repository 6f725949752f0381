"""What is not a name: the publisher's own outlet, and pronouns resolved to an antecedent."""
from __future__ import annotations

from kg.nlp.rules import NameRules
from kg.records import Mention


def publishers(r: NameRules, text: str, mentions: list[Mention]) -> set[str]:
    """The outlets that publish the page (names.yaml: publisher_lines): not sources of it."""
    out = set()
    for m in mentions:
        if m.cls != "Media" or m.key in out:
            continue
        ls = text.rfind("\n", 0, m.start) + 1
        le = text.find("\n", m.end)
        le = len(text) if le < 0 else le
        line = text[ls:m.start] + "\uE000" + text[m.end:le]
        if any(p.search(line) for p in r.publisher_lines):
            out.add(m.key)
    return out


def pronouns(r: NameRules, text, tokens, mentions, sent_of) -> list[Mention]:
    """He, she, it … as mentions of the nearest clear antecedent of their class, within
    ``pronoun_window`` sentences (names.yaml: pronouns)."""
    out = []
    by_start = sorted(mentions, key=lambda m: m.start)
    forms = sorted(r.pronoun_forms, key=len, reverse=True)
    firsts = {f[0] for f in forms}
    for ts, te in tokens:
        if text[ts] not in firsts:
            continue
        tok = text[ts:te]
        form = next((f for f in forms if text.startswith(f, ts) and (tok == f or len(f) > 1)), None)
        if form is None or (len(form) == 1 and tok != form):
            continue
        cls = r.pronoun_forms[form]
        here = sent_of(ts)
        before = [m for m in by_start if m.end <= ts and m.cls == cls
                  and here - m.sent <= r.pronoun_window]
        if not before:
            continue
        last = before[-1]
        # in doubt when another entity of the class appears in the same sentence as the antecedent
        rivals = {m.key for m in before if m.sent == last.sent}
        if len(rivals) > 1 and last.sent != here:
            continue
        out.append(Mention(last.key, cls, ts, ts + len(form), form, here, "pronoun"))
    return out

