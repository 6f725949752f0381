"""kg/rdf/namespaces.py is the only place IRIs are spelled, and its term lists follow the ontology."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kg.rdf.namespaces import KGO, KGS, PREFIXES, sparql_prefixes
from kg.rdf.terms import K

ROOT = Path(__file__).resolve().parent.parent
#: terms kg writes that ontology/kg.ttl does not declare (yet), each with where it is used
UNDECLARED = {"reportedIn": "the merged decisions' articles (kg/rdf/decisions.py), required by shapes.ttl"}


def _declared(path: Path, ns) -> set[str]:
    g = Graph().parse(path)
    return {str(s)[len(str(ns)):] for s in g.subjects()
            if isinstance(s, URIRef) and str(s).startswith(str(ns)) and len(str(s)) > len(str(ns))}


def test_the_ontology_terms_are_those_of_kg_ttl():
    listed = set(KGO.__annotations__)
    assert listed - set(UNDECLARED) == _declared(ROOT / "ontology" / "kg.ttl", KGO)
    assert set(UNDECLARED) <= listed


def test_the_shape_names_are_those_of_shapes_ttl():
    assert set(KGS.__annotations__) == _declared(ROOT / "ontology" / "shapes.ttl", KGS)


def test_a_misspelt_term_fails():
    assert str(KGO.agent).endswith("#agent") and K.agent == f"<{KGO.agent}>"
    with pytest.raises(AttributeError):
        KGO.agnet
    with pytest.raises(AttributeError):
        K.agnet


def test_no_iri_is_spelled_outside_the_namespaces_module():
    """Namespace IRIs appear in kg/ only in kg/rdf/namespaces.py (docstrings and messages aside)."""
    import ast
    found = []
    for path in sorted((ROOT / "kg").rglob("*.py")):
        if path.name == "namespaces.py" and path.parent.name == "rdf":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for ns in PREFIXES.values():
                    if ns in node.value and "…" not in node.value:
                        found.append(f"{path.relative_to(ROOT)} line {node.lineno}: {ns}")
    assert not found, found


def test_sparql_prefixes():
    assert sparql_prefixes("kgo") == f"PREFIX kgo: <{KGO}>\n"
