"""The package's shape, read from its source with ``ast`` (fast: nothing of kg is imported).

Every import between kg modules points down the data flow below; none imports
another module's private name; there is no cycle. Function-local imports count
as much as module-level ones: they run too, only later.

And knowledge lives in ``ontology/``: no catalog key is written in the code.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "kg"

#: The stage order, lowest first. A module may import any module of a lower layer;
#: within a layer only the pairs of SIDEWAYS (and kg.extract's modules among
#: themselves). A module belongs to the longest entry that names it or a package
#: above it, so a stage folder can order its own modules (its __init__, which
#: re-exports them, sits above them). A new module has to be placed here, which is
#: the point: say where it sits in the data flow.
LAYERS: list[tuple[str, list[str]]] = [
    ("script", ["kg.chinese",                    # OpenCC conversion; imports nothing of kg
                "kg.progress"]),                 # status lines for long phases; imports nothing of kg
    ("knowledge", ["kg.knowledge",               # ontology/ loaded: catalog, clutter, acts, names, scoring
                   "kg.dates",                   # Chinese date expressions to ISO dates
                   "kg.nlp.model"]),             # the cached segmentation model
    ("records", ["kg.records"]),                 # what the stages hand each other; imports nothing of kg
    ("ingest: text", ["kg.ingest.decode",        # bytes to text
                      "kg.ingest.mapped"]),      # text mapped to the original; Traditional to Simplified
    ("ingest: lines", ["kg.ingest.html",         # a page's visible text
                       "kg.ingest.clean"]),      # page furniture, title, date
    ("ingest: read", ["kg.ingest.read"]),        # files to Articles
    ("ingest", ["kg.ingest"]),                   # its public names
    ("nlp: text", ["kg.nlp.sentences",           # sentence boundaries
                   "kg.nlp.chars"]),             # lower case that keeps offsets, Han characters
    ("nlp: rules", ["kg.nlp.rules"]),            # the catalog and names.yaml as the finder reads them
    ("nlp: found", ["kg.nlp.scan",               # the catalog's forms, longest match
                    "kg.nlp.found"]),            # one text's mentions so far
    ("nlp: names", ["kg.nlp.names",              # names the catalog lacks
                    "kg.nlp.references"]),       # publishers, pronouns
    ("nlp: ambiguous", ["kg.nlp.ambiguous"]),    # 商务部 by context
    ("nlp: finder", ["kg.nlp.entities"]),        # the rules in order
    ("nlp: spaCy", ["kg.nlp.components"]),       # kg_sentences, kg_entities (Language.factory)
    ("nlp: run", ["kg.nlp.analysis"]),           # the pipeline built and run: Analysis records
    ("nlp", ["kg.nlp"]),                         # its public names
    ("extract", ["kg.extract"]),                 # acts, decisions, stances; and its submodules
    ("rdf: namespaces", ["kg.rdf",               # (its __init__ imports nothing)
                         "kg.rdf.namespaces"]),  # the only place IRIs and prefixes are written
    ("rdf: terms", ["kg.rdf.terms",              # minted IRIs, N-Triples terms and literals
                    "kg.rdf.io",                 # formats, Turtle writer, atomic writes, loading
                    "kg.rdf.validate"]),         # SHACL
    ("rdf: decisions", ["kg.rdf.decisions"]),    # decisions read per article, merged across articles
    ("rdf: triples", ["kg.rdf.graph"]),          # each article's triples
    ("rdf: assemble", ["kg.rdf.assemble"]),      # the articles merged, decisions merged, serialised
    ("pipeline", ["kg.pipeline"]),               # the stages run over many articles
    ("views", ["kg.views", "kg.views.facts",     # the contract view
               "kg.views.evaluate",              # and its scores
               "kg.views.query", "kg.views.push"]),  # SPARQL on a file; upload to a server
    ("tables", ["kg.views.tables",               # the graph as tables (CSV, Parquet, pandas)
                "kg.views.remote"]),             # SPARQL at a server (the protocol's POST)
    ("analyze", ["kg.views.analyze"]),           # networkx: influence, centrality, camps
    ("network files", ["kg.views.network_files"]),   # GraphML and GEXF for Gephi and Cytoscape
    ("report", ["kg.views.report"]),             # Markdown, HTML, GraphML, GEXF
    ("api", ["kg.api"]),                         # kg.load(): the graph as networkx, pandas, answers
    ("cli", ["kg.cli"]),                         # the command line
]

#: Imports within one layer that are allowed, each with its reason.
SIDEWAYS = {
    ("kg.views.push", "kg.views.query"): "push uploads the graph files query reads (formats, IRI parsing)",
}

#: A package whose modules may import each other (cycles still fail).
OPEN_PACKAGES = ("kg.extract",)


@dataclass(frozen=True)
class Import:
    importer: str        # kg.x
    target: str          # the kg module it loads
    name: str | None     # the name taken from it (from kg.x import name), if any
    line: int
    local: bool          # inside a function

    def where(self) -> str:
        return f"{self.importer} line {self.line}{' (function-local)' if self.local else ''}"


def module_files() -> dict[str, Path]:
    out = {}
    for path in sorted(KG.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = module_files()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"), str(MODULES[module]))
    found: list[Import] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name == "kg" or alias.name.startswith("kg."):
                        found.append(Import(module, alias.name, None, child.lineno, local))
            elif isinstance(child, ast.ImportFrom):
                if child.level:          # relative: from . import x, from .coref import y
                    package = module if _is_package(module) else module.rpartition(".")[0]
                    for _ in range(child.level - 1):
                        package = package.rpartition(".")[0]
                    base = package + ("." + child.module if child.module else "")
                else:
                    base = child.module or ""
                if base == "kg" or base.startswith("kg."):
                    for alias in child.names:
                        sub = f"{base}.{alias.name}"
                        if sub in MODULES:                  # from kg import graph: the module kg.graph
                            found.append(Import(module, sub, None, child.lineno, local))
                        else:                               # from kg.ingest import Article: a name of kg.ingest
                            found.append(Import(module, base, alias.name, child.lineno, local))
            visit(child, inner)

    visit(tree, False)
    return found


def _attribute_uses(module: str) -> list[tuple[str, str, int]]:
    """(target module, attribute, line) for ``alias.attr`` where alias is a kg module imported here."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if f"{node.module}.{a.name}" in MODULES:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.asname and a.name in MODULES:
                    aliases[a.asname] = a.name
    return [(aliases[n.value.id], n.attr, n.lineno) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in aliases]


IMPORTS = [imp for module in MODULES for imp in _imports_of(module)]


def _edges() -> dict[str, set[str]]:
    """Who loads whom. Loading kg.a.b from outside kg.a runs kg/a/__init__.py too."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        targets = {imp.target}
        parts = imp.target.split(".")
        for i in range(2, len(parts)):
            parent = ".".join(parts[:i])
            if not (imp.importer == parent or imp.importer.startswith(parent + ".")):
                targets.add(parent)
        graph[imp.importer] |= {t for t in targets if t != imp.importer and t != "kg"}
    return graph


def _layer_of(module: str) -> int | None:
    """The layer of the longest LAYERS entry that is ``module`` or a package above it."""
    best, found = -1, None
    for i, (_, members) in enumerate(LAYERS):
        for m in members:
            if (module == m or module.startswith(m + ".")) and len(m) > best:
                best, found = len(m), i
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_package(importer: str, target: str) -> bool:
    """kg.extract (or one of its modules) importing a private submodule of kg.extract."""
    package = target.rpartition(".")[0]
    return importer == package or importer.startswith(package + ".")


def test_the_walk_sees_the_package():
    """Guard for the tests below: the walk finds the stages and their imports."""
    assert {"kg.knowledge", "kg.ingest", "kg.nlp", "kg.extract", "kg.pipeline", "kg.cli"} <= set(MODULES)
    edges = _edges()

    def reached(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for t in edges.get(todo.pop(), ()):
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen
    assert "kg.knowledge" in reached("kg.ingest") and "kg.nlp" in edges["kg.extract"]
    assert "kg.ingest" in reached("kg.pipeline") and "kg.rdf" in reached("kg.pipeline")
    assert any(imp.local for imp in IMPORTS), "function-local imports are part of the walk"


def test_every_module_has_a_layer():
    missing = [m for m in MODULES if m != "kg" and _layer_of(m) is None]
    assert not missing, f"place these modules in LAYERS (tests/test_structure.py): {missing}"
    stale = [m for _, members in LAYERS for m in members if m not in MODULES]
    assert not stale, f"LAYERS names modules that do not exist: {stale}"


def test_no_import_cycle():
    edges = _edges()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}          # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for t in sorted(edges.get(m, ())):
            if state.get(t) == 1:
                cycles.append(path[path.index(t):] + [t])
            elif t not in state:
                visit(t)
        path.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_no_import_of_another_modules_private_name():
    bad = []
    for imp in IMPORTS:
        if imp.name is not None and _private(imp.name):
            bad.append(f"{imp.where()}: from {imp.target} import {imp.name}")
        elif imp.name is None and _private(imp.target.rpartition(".")[2]) \
                and not _own_package(imp.importer, imp.target):
            bad.append(f"{imp.where()}: imports the private module {imp.target}")
    assert not bad, "private names imported from another module:\n" + "\n".join(bad)


#: Known uses of another module's private attribute, each to be removed by the work named
#: (none now). The test fails when one is gone, so that the entry goes too.
KNOWN_PRIVATE_USES: dict[tuple[str, str, str], str] = {}


def test_no_use_of_another_modules_private_attribute():
    """``knowledge._x(...)`` reaches into a module as much as ``from kg.knowledge import _x``."""
    seen, bad = set(), []
    for module in MODULES:
        for target, attr, line in _attribute_uses(module):
            if _private(attr):
                if (module, target, attr) in KNOWN_PRIVATE_USES:
                    seen.add((module, target, attr))
                else:
                    bad.append(f"{module} line {line}: {target}.{attr}")
    assert not bad, "private names of another module used:\n" + "\n".join(bad)
    gone = set(KNOWN_PRIVATE_USES) - seen
    assert not gone, f"no longer used, remove from KNOWN_PRIVATE_USES: {sorted(gone)}"


def test_imports_point_down_the_stage_order():
    bad = []
    for imp in IMPORTS:
        if imp.target == "kg":
            continue
        a, b = _layer_of(imp.importer), _layer_of(imp.target)
        if a is None or b is None:
            continue                    # test_every_module_has_a_layer reports it
        if b < a:
            continue
        if any(imp.importer.startswith(p) and imp.target.startswith(p) for p in OPEN_PACKAGES):
            continue
        if (imp.importer, imp.target) in SIDEWAYS:
            continue
        kind = "sideways" if a == b else "upward"
        bad.append(f"{imp.where()}: {kind} import of {imp.target} "
                   f"({LAYERS[a][0]} -> {LAYERS[b][0]})")
    assert not bad, "imports against the stage order:\n" + "\n".join(bad)


def test_sideways_pairs_are_still_used():
    """An allowed pair that no module uses any more is removed, so the list stays honest."""
    used = {(imp.importer, imp.target) for imp in IMPORTS}
    assert set(SIDEWAYS) <= used, f"unused SIDEWAYS entries: {sorted(set(SIDEWAYS) - used)}"
    for a, b in SIDEWAYS:
        assert _layer_of(a) == _layer_of(b), f"{a} -> {b} is not within one layer"


# --------------------------------------------------------------------------
# Knowledge is data: no catalog key in the code

#: Catalog keys that are also ordinary words of the code (``cls`` is Cailian Press and
#: the networkx attribute for an actor's class; ``most`` is China's science ministry).
CODE_WORDS = {"cls", "most"}


def _checked_keys() -> dict[str, str]:
    """Keys that can only mean the entity: hyphenated ones, and people, bodies, countries
    and media (single-word company keys such as ``meta`` or ``apple`` collide with words)."""
    raw = yaml.safe_load((ROOT / "ontology" / "catalog.yaml").read_text(encoding="utf-8"))
    return {row["key"]: row["class"] for row in raw["entities"]
            if ("-" in row["key"] or row["class"] in ("Person", "GovernmentBody", "Country", "Media"))
            and row["key"] not in CODE_WORDS}


def test_no_catalog_key_in_the_code():
    keys = _checked_keys()
    assert "donald-trump" in keys and "mofcom" in keys
    found = []
    for module, path in MODULES.items():
        if module == "kg.knowledge":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
                found.append(f"{path.relative_to(ROOT)} line {node.lineno}: {node.value!r} ({keys[node.value]})")
    assert not found, "catalog keys written in the code (put the knowledge in ontology/):\n" + "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ("from kg.ingest import _converter\n", ["from kg.ingest import _converter"]),
    ("from kg import knowledge\n", []),
    ("def f():\n    from kg.ingest import _one_line\n", ["from kg.ingest import _one_line"]),
])
def test_the_private_name_check_catches_what_it_should(tmp_path, monkeypatch, source, expected):
    """The walk on a made-up module: function-local imports are seen as well."""
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    monkeypatch.setitem(MODULES, "kg.probe", path)
    found = [f"from {i.target} import {i.name}" for i in _imports_of("kg.probe") if i.name and _private(i.name)]
    assert found == expected
