"""notebooks/explore.ipynb runs headless (nbclient + ipykernel) on the seed build and shows what it says."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def executed(seed_build):
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, "commit the notebook without outputs"
    old = os.environ.get("KG_GRAPH")
    os.environ["KG_GRAPH"] = str(seed_build / "graph.ttl")   # the kernel inherits it
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    finally:
        if old is None:
            os.environ.pop("KG_GRAPH", None)
        else:
            os.environ["KG_GRAPH"] = old
    return {tag: cell for cell in nb.cells for tag in cell.metadata.get("tags", [])}


def _html(cell) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


def _text(cell) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def test_no_cell_failed(executed):
    for tag, cell in executed.items():
        assert not [o for o in cell.outputs if o.output_type == "error"], tag


def test_loads_the_graph_it_was_given(executed, seed_build):
    assert str(seed_build / "graph.ttl") in _text(executed["load"]) and " triples" in _text(executed["load"])


@pytest.mark.parametrize("tag,columns", [
    ("decisions", ["decision", "decider", "scope", "direction", "date", "revenueShare", "numArticles"]),
    ("stances", ["actor", "decision", "stance", "via", "doc", "evidence"]),
    ("influence", ["decision", "actor", "side", "how", "evidence", "prevailed"]),
    ("centrality", ["degree", "pagerank", "betweenness", "hubs", "authorities"]),
    ("camps", ["camp", "members", "pushes for"]),
    ("timeline", ["when", "decision", "num_articles"]),
])
def test_dataframes(executed, tag, columns):
    html = _html(executed[tag])
    assert "<table" in html and "dataframe" in html, f"{tag}: no DataFrame shown"
    for col in columns:
        assert f"<th>{col}</th>" in html, f"{tag}: no column {col}"
    assert html.count("<tr>") >= 2, f"{tag}: no rows"


def test_influence_shows_the_busan_decision(executed):
    text = _text(executed["influence-text"])
    sections = {}
    for line in text.splitlines():
        if not line.startswith(" "):
            current = sections.setdefault(line, [])
        else:
            current.append(line.strip())
    busan = [lines for head, lines in sections.items() if head.startswith("Trump restricts chip exports to China (")
             and any(x.startswith("against  Jensen Huang") for x in lines)]
    assert busan, text[:800]
    lines = busan[0]
    for name in ("Marco Rubio", "Jamieson Greer", "Howard Lutnick"):
        assert any(x.startswith(f"for      {name}") for x in lines), name
    assert any(x.startswith("000_") for x in lines)   # evidence sentences are shown
    html = _html(executed["influence"])
    assert "jensen-huang" in html and "against" in html


def test_centrality_ranks_the_decider(executed):
    html = _html(executed["centrality"])
    body = html[html.index("<tbody>"):]
    order = re.findall(r"<th>([a-z0-9-]+)</th>", body)
    assert "donald-trump" in order[:3], order[:5]


def test_pictures(executed):
    assert any("image/png" in o.get("data", {}) for o in executed["pagerank-plot"].outputs)
    svg = "".join(o.get("data", {}).get("image/svg+xml", "") for o in executed["network"].outputs)
    assert svg.count("<path") > 50, "the network drawing is empty"


def test_the_python_api_cells(executed):
    """kg.load() in the notebook: the six tables, the network, and who influenced a decision."""
    text = _text(executed["api-tables"])
    counts = dict(re.findall(r"'(\w+)': (\d+)", text))
    assert set(counts) == {"articles", "entities", "mentions", "acts", "decisions", "stances"}
    assert all(int(n) > 0 for n in counts.values()) and re.search(r"network: \d+ nodes, \d+ edges", text)
    html = _html(executed["api-tables"])
    assert "<th>first_date</th>" in html and "2025-" in html
    acts = _html(executed["api-acts"])
    assert "conflictual" in acts and "cooperative" in acts
    influence = _html(executed["api-influence"])
    assert "marco-rubio" in influence and "jensen-huang" in influence and "against" in influence
