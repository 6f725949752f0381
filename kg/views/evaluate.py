"""``kg eval``: precision, recall and F1 of fact lines against hand-annotated gold.

Follows the contract's matching rules (contract/FACTS.md and eval/score.py):
entities match one-to-one by key, then by a shared mention; relations as
(s, p, o) triples with ``meets`` unordered; decisions by decider side, scope,
direction, overlapping products and a date within a month; stances through
the decision matching.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from kg import knowledge
from kg.chinese import converter

KINDS = ("entity", "relation", "decision", "stance")
_RULES = knowledge.scoring_rules()
SAME_AS: dict[str, str] = _RULES["same_as"]
UNORDERED: set[str] = _RULES["unordered"]
SIDES: dict[str, str] = _RULES["sides"]            # key -> US | CN


def read_rows(path: Path) -> list[dict]:
    files = sorted(Path(path).glob("*.jsonl")) if Path(path).is_dir() else [Path(path)]
    rows = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise ValueError(f"{f}:{n}: not JSON: {e}") from None
    return rows


def _canon(key: str) -> str:
    return SAME_AS.get(key, key)


def _side(key: str) -> str:
    key = _canon(key)
    return SIDES.get(key, key)


def _forms(row: dict) -> set[str]:
    t2s = converter("t2s").convert
    return {t2s(m) for m in row.get("mentions", [])}


def _month(date) -> int | None:
    if not date or len(date) < 7:
        return None
    return int(date[:4]) * 12 + int(date[5:7])


def _prf(tp: int, n_sys: int, n_gold: int) -> dict:
    p = tp / n_sys if n_sys else (0.0 if n_gold else 1.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "sys": n_sys, "gold": n_gold, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _align_entities(gold: list[dict], system: list[dict]) -> dict[str, str]:
    """system id -> gold id, one-to-one; keys first, then shared mentions."""
    pairs: dict[str, str] = {}
    taken: set[int] = set()
    for by_key in (True, False):
        for g in gold:
            if g["id"] in pairs.values():
                continue
            for i, s in enumerate(system):
                if i in taken:
                    continue
                if (_canon(s["id"]) == _canon(g["id"])) if by_key else bool(_forms(s) & _forms(g)):
                    pairs[s["id"]] = g["id"]
                    taken.add(i)
                    break
    return pairs


def _decision_matches(g: dict, s: dict, ents: dict[str, str]) -> bool:
    if _side(ents.get(s.get("decider", ""), s.get("decider", ""))) != _side(g.get("decider", "")):
        return False
    if (s.get("scope"), s.get("direction")) != (g.get("scope"), g.get("direction")):
        return False
    gp = {_canon(p) for p in g.get("products", [])}
    sp = {_canon(ents.get(p, p)) for p in s.get("products", [])}
    if gp and sp and not gp & sp:
        return False
    gm, sm = _month(g.get("date")), _month(s.get("date"))
    return gm is None or sm is None or abs(gm - sm) <= 1


def score(gold_rows: list[dict], sys_rows: list[dict]) -> tuple[dict, list[str]]:
    def group(rows):
        out = {k: defaultdict(list) for k in KINDS}
        for r in rows:
            if r.get("type") in out:
                out[r["type"]][r["doc"]].append(r)
        for doc, ents in out["entity"].items():    # a country and its government are one entity
            merged: dict[str, dict] = {}
            for r in ents:
                k = _canon(r["id"])
                if k in merged:
                    merged[k] = dict(merged[k], mentions=sorted(set(merged[k].get("mentions", []))
                                                                | set(r.get("mentions", []))))
                else:
                    merged[k] = r
            out["entity"][doc] = list(merged.values())
        return out

    G, S = group(gold_rows), group(sys_rows)
    counts = {k: [0, 0, 0] for k in KINDS}
    per_predicate = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    merged = defaultdict(set)
    influence_gold: set[tuple] = set()      # (actor, decision, for/against) over the whole corpus
    influence_sys: set[tuple] = set()
    for doc in sorted({r["doc"] for r in gold_rows}):
        ents = _align_entities(G["entity"][doc], S["entity"][doc])
        _count(counts["entity"], len(ents), len(S["entity"][doc]), len(G["entity"][doc]))
        misses += [f"[entity] {doc}: missed {g['id']} {g.get('mentions')}"
                   for g in G["entity"][doc] if g["id"] not in ents.values()]
        misses += [f"[entity] {doc}: extra {s['id']} {s.get('mentions')}"
                   for s in S["entity"][doc] if s["id"] not in ents]

        def triple(r, m):
            a, b = _canon(m.get(r["s"], r["s"])), _canon(m.get(r["o"], r["o"]))
            return (min(a, b), r["p"], max(a, b)) if r["p"] in UNORDERED else (a, r["p"], b)
        gt = {triple(r, {}) for r in G["relation"][doc]}
        st = {triple(r, ents) for r in S["relation"][doc]}
        _count(counts["relation"], len(gt & st), len(st), len(gt))
        for t in sorted(gt | st):
            _count(per_predicate[t[1]], int(t in gt and t in st), int(t in st), int(t in gt))
            if t not in st:
                misses.append(f"[relation] {doc}: missed {t}")
            elif t not in gt:
                misses.append(f"[relation] {doc}: extra {t}")

        decisions: dict[str, str] = {}
        for g in G["decision"][doc]:
            s = next((s for s in S["decision"][doc]
                      if s["id"] not in decisions and _decision_matches(g, s, ents)), None)
            if s is None:
                misses.append(f"[decision] {doc}: missed {g['id']}")
                continue
            decisions[s["id"]] = g["id"]
            merged[g["id"]].add(s["id"])
        misses += [f"[decision] {doc}: extra {s['id']} {s.get('decider')} {s.get('scope')}/"
                   f"{s.get('direction')} {s.get('products')}"
                   for s in S["decision"][doc] if s["id"] not in decisions]
        _count(counts["decision"], len(decisions), len(S["decision"][doc]), len(G["decision"][doc]))

        gs = {(_canon(r["actor"]), r["decision"], r["stance"]) for r in G["stance"][doc]}
        ss = {(_canon(ents.get(r["actor"], r["actor"])), decisions.get(r["decision"], "?" + r["decision"]),
               r["stance"]) for r in S["stance"][doc]}
        _count(counts["stance"], len(gs & ss), len(ss), len(gs))
        influence_gold |= gs
        influence_sys |= ss
        misses += [f"[stance] {doc}: missed {x}" for x in sorted(gs - ss)]
        misses += [f"[stance] {doc}: extra {x}" for x in sorted(ss - gs)]

    result = {k: _prf(*v) for k, v in counts.items()}
    result["per_predicate"] = {p: _prf(*v) for p, v in sorted(per_predicate.items())}
    told_often = [g for g in merged
                  if sum(r["id"] == g for rows in G["decision"].values() for r in rows) > 1]
    result["consolidation"] = (round(sum(len(merged[g]) == 1 for g in told_often) / len(told_often), 3)
                               if told_often else 1.0)
    result["influence"] = _prf(len(influence_gold & influence_sys), len(influence_sys), len(influence_gold))
    result["docs"] = len({r["doc"] for r in gold_rows})
    return result, misses


def _count(c: list[int], tp: int, n_sys: int, n_gold: int) -> None:
    c[0] += tp
    c[1] += n_sys
    c[2] += n_gold


def format_result(result: dict) -> str:
    lines = []
    for k in KINDS:
        v = result[k]
        lines.append(f"{k:9} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   "
                     f"({v['tp']} of {v['sys']} system, {v['gold']} gold)")
    for p, v in result["per_predicate"].items():
        lines.append(f"  {p:13} P {v['p']:.3f}  R {v['r']:.3f}  ({v['tp']}/{v['sys']}/{v['gold']})")
    lines.append(f"consolidation {result['consolidation']:.3f} (decisions told by several documents given one id)")
    v = result["influence"]
    lines.append(f"influence P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (who pushed which way on which "
                 f"decision, over the whole corpus: {v['tp']} of {v['sys']} system, {v['gold']} gold)")
    lines.append(" | ".join(f"{k} F1 {result[k]['f1']:.3f}" for k in KINDS + ("influence",)))
    return "\n".join(lines)
