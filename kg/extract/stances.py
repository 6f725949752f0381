"""Stances: which way each push stands on the article's decisions.

A push (someone lobbying, urging, opposing, criticising …) is for the decisions it agrees
with and against those it opposes, among the ones it can concern: made by the side it
addressed, on the products its sentence names, near it in the text. Pushes before a
decision are influence; agreeing with a decision already made is a reaction, not a stance.
"""
from __future__ import annotations

from kg.dates import comparable
from kg.extract.records import DecisionReport, Push, StanceFact
from kg.extract.vocabulary import Vocabulary, vocabulary
from kg.nlp import Mention

#: how many sentences away a push may stand from the decision it concerns
STANCE_REACH = 20


def attach(pushes: list[Push], decisions: list[DecisionReport], refs: list[Mention], lex: dict,
           side, vocab: Vocabulary | None = None) -> list[StanceFact]:
    """Each push stands for every decision of the article it agrees with and against every
    one it opposes, among the decisions it can concern: made by the side it addressed (or,
    unaddressed, by the actor's own side when the catalog gives one), on the products the
    push sentence names (when both name products). One stance per actor and decision."""
    found: list[StanceFact] = []
    sent_products: dict[int, set[str]] = {}
    sent_sides: dict[int, set[str]] = {}
    for m in refs:
        if m.cls == "Product":
            sent_products.setdefault(m.sent, set()).add(m.key)
        elif side(m.key) in ("us", "cn") and m.cls != "Country":    # a country is often a market
            sent_sides.setdefault(m.sent, set()).add(side(m.key))
    vocab = vocab or vocabulary()
    cat = vocab.catalog.entities
    governments = [(c, g) for c, g in (lex.get("governments") or {}).items()]
    for p in pushes:
        aimed = cat.get(p.target) if p.target else None
        if aimed is not None and aimed.cls not in ("Product", "Country", "GovernmentBody") \
                and not vocab.decides(p.target):
            continue                            # 要求黄仁勋避免…: not a push on a trade decision
        # a country is its government, and a ministry is part of it: none of them pushes its own
        # side's decisions. A decision told as background takes the stances pushed in its own
        # sentence only; the others, those pushed within STANCE_REACH sentences of it.
        selves = {p.actor} | {a for pair in governments for a in pair if p.actor in pair}
        others = [r for r in decisions if r.decider not in selves and side(r.decider) != p.actor
                  and not (side(r.decider) == side(p.actor) and (cat[p.actor].cls == "Country"
                                                                   or cat[p.actor].cls == "GovernmentBody"
                                                                   and bool(cat[p.actor].decides))
                           if p.actor in cat else False)]
        cands = [r for r in others if (r.sent == p.sent if r.background else abs(r.sent - p.sent) <= STANCE_REACH)]
        if p.about is not None:
            # on the decision the words point back at alone (whoever made it, however far back):
            # for it when the push goes its way
            told = [r for r in others if (r.sent, r.direction) == p.about]
            if told:
                found += [StanceFact(p.actor, r.key, "for" if p.direction == r.direction else "against",
                                     p.sent, p.via) for r in told]
                continue
        if p.target and side(p.target) in ("us", "cn"):
            cands = [r for r in cands if side(r.decider) == side(p.target)]
        elif side(p.actor) in ("us", "cn") and p.direction != "accept":
            cands = [r for r in cands if side(r.decider) == side(p.actor)]
        elif p.direction != "accept":
            # an actor of no side pushing no one in particular (黄仁勋在华府的游说): the side its
            # sentence names, when it names one
            named_sides = sent_sides.get(p.sent, set())
            if len(named_sides) == 1:
                cands = [r for r in cands if side(r.decider) in named_sides]
        near = set()
        for k in range(p.sent - 1, p.sent + 2):
            near |= sent_products.get(k, set())
        named = sent_products.get(p.sent, set()) or near
        if named:
            cands = [r for r in cands if not r.products or set(r.products) & named]
            if p.sent in sent_products and any(r.products for r in cands):
                # 敦促对H20实施出口管制: on the decisions about the H20, not a rule that names no product
                cands = [r for r in cands if r.products]
        if p.direction in ("open", "close"):
            # against every move it opposes; for the moves told with it, else the nearest
            opposed = [r for r in cands if r.direction != p.direction]
            # for a move told with it, or dated after it (a push before a decision is influence;
            # one after a move it agrees with is a reaction), else for the nearest one
            same = [r for r in cands if r.direction == p.direction]
            agreeing = [r for r in same if r.sent == p.sent or (comparable(p.date, r.date) and r.date[:7] >= p.date[:7])]
            if not agreeing:
                agreeing = sorted((r for r in same if not comparable(p.date, r.date)
                                   and (abs(r.sent - p.sent) <= 3 or not opposed)),
                                  key=lambda r: (abs(r.sent - p.sent), r.sent))[:1]
        elif p.direction == "":                 # criticism of a decider: against the nearest of its decisions
            agreeing = []
            opposed = sorted((r for r in cands if abs(r.sent - p.sent) <= 8),
                             key=lambda r: (abs(r.sent - p.sent), r.sent))[:1]
            if not opposed and named:
                # 穆勒纳尔直言H200会…，呼吁商务部说明: the last decision told on the products it names
                opposed = sorted((r for r in cands if r.products and r.sent < p.sent),
                                 key=lambda r: -r.sent)[:1]
        else:                                   # accept: the decision given in to, nearest
            agreeing = sorted(cands, key=lambda r: abs(r.sent - p.sent))[:1]
            opposed = []
        for r in agreeing:
            found.append(StanceFact(p.actor, r.key, "for", p.sent, p.via))
        for r in opposed:
            found.append(StanceFact(p.actor, r.key, "against", p.sent, p.via))
    # one stance per actor and decision: the first stated, with every sentence that agrees
    first: dict[tuple[str, str], StanceFact] = {}
    evidence: dict[tuple[str, str], list[int]] = {}
    for st in sorted(found, key=lambda st: st.sent):
        k = (st.actor, st.decision)
        first.setdefault(k, st)
        if st.stance == first[k].stance and st.sent not in evidence.setdefault(k, []):
            evidence[k].append(st.sent)
    return [StanceFact(st.actor, st.decision, st.stance, st.sent, st.via,
                                      tuple(sorted(evidence[k]))) for k, st in first.items()]
