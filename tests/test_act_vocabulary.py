"""The act vocabulary is ontology/acts.yaml: the ontology declares what it names, and the
stages that name acts (graph, facts, analyze) read it rather than spell it."""
from __future__ import annotations

from pathlib import Path

from rdflib import RDFS, Graph

from kg import knowledge
from kg.rdf.namespaces import KGO

ROOT = Path(__file__).resolve().parent.parent


def test_kg_ttl_declares_each_act_as_acts_yaml_names_it():
    g = Graph().parse(ROOT / "ontology" / "kg.ttl")
    declared = {str(c)[len(str(KGO)):]: str(g.value(c, KGO.directProperty))[len(str(KGO)):]
                for c in g.subjects(RDFS.subClassOf, KGO.Act)}
    assert declared == {a.cls: a.prop for a in knowledge.acts().values()}


def test_the_views_read_the_vocabulary():
    from kg.views import analyze, facts
    acts = knowledge.acts()
    assert facts._contract_names() == {a.prop: a.name for a in acts.values()}
    assert analyze.ACT_SIGNS == {a.prop: a.sign for a in acts.values()}
    assert set(analyze.PATH_RELATIONS) <= {a.prop for a in acts.values()}


def test_no_module_of_graph_facts_analyze_spells_an_act():
    """Outside extraction (whose rules name the acts they make), no string constant of kg
    is an act's class or property name."""
    import ast
    names = {a.cls for a in knowledge.acts().values()} | {a.prop for a in knowledge.acts().values()
                                                         if a.prop != a.name}
    found = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        if "extract" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                found.append(f"{path.relative_to(ROOT)} line {node.lineno}: {node.value!r}")
    assert not found, found
