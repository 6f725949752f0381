"""Knowledge is data: a US agency, or a coordination word, is added in ontology/ alone.

Each test copies ``ontology/`` to a temporary folder, points ``KG_ONTOLOGY`` at it,
edits a file there as an analyst would, and sees the new entry used; no Python
changes. The loaders read the folder once and cache what they read, so the
fixture clears those caches when it switches folders and again when it switches
back.
"""
from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, extract_text

AGENCY = {"key": "us-export-review-office", "class": "GovernmentBody", "side": "us", "decides": ["export"],
          "label": {"zh-Hans": "出口审查办公室", "en": "Export Review Office (made up for this test)"}}
AGENCY_SENTENCE = "出口审查办公室宣布禁止H20芯片对华出口。"
COORDINATED = "鲁比奥暨格里尔游说特朗普。"
BOTH = {("marco-rubio", "lobbies", "donald-trump"), ("jamieson-greer", "lobbies", "donald-trump")}


def clear_knowledge_caches() -> None:
    """Forget everything read from ontology/: every lru_cache of kg's modules (the loaders
    of kg.knowledge; kg.extract's lexicon, post_reader, _resolver, _title_gap; kg.nlp's
    entity finder; graph and pipeline helpers), except the spaCy pipeline itself, which
    the tests that need a new one build with ``nlp.build_pipeline``."""
    for name, module in list(sys.modules.items()):
        if name != "kg" and not name.startswith("kg."):
            continue
        for attr, value in list(vars(module).items()):
            if isinstance(value, functools._lru_cache_wrapper) and getattr(value, "__module__", None) == name \
                    and (name, attr) != ("kg.nlp.analysis", "_built"):
                value.cache_clear()


@pytest.fixture
def ontology(tmp_path, monkeypatch) -> Path:
    """A copy of ontology/ in use (KG_ONTOLOGY); the real one is in use again afterwards."""
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    monkeypatch.setenv("KG_ONTOLOGY", str(folder))
    clear_knowledge_caches()
    yield folder
    monkeypatch.undo()          # KG_ONTOLOGY (and any patched pipeline) back before the caches go
    clear_knowledge_caches()


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    clear_knowledge_caches()


def add_agency(folder: Path) -> None:
    edit_yaml(folder / "catalog.yaml", lambda cat: cat["entities"].append(dict(AGENCY)))


def use_fresh_pipeline(monkeypatch) -> None:
    """The segmenter's user dictionary is the catalog as it was when the pipeline was built:
    build one for the edited catalog, for this test only (the session's stays cached)."""
    from kg import nlp
    built = nlp.build_pipeline()
    monkeypatch.setattr(nlp.analysis, "pipeline", lambda *_: built)


def test_the_copy_is_what_the_loaders_read(ontology):
    from kg import knowledge
    assert knowledge.ontology_dir() == ontology
    assert "us-export-review-office" not in knowledge.catalog().entities
    add_agency(ontology)
    assert "us-export-review-office" in knowledge.catalog().entities


def test_a_new_us_agency_takes_its_side_from_the_catalog(ontology):
    from kg import extract, knowledge
    assert extract.side("us-export-review-office") != "us"
    add_agency(ontology)
    ent = knowledge.catalog().entities["us-export-review-office"]
    assert (ent.cls, ent.side, ent.decides) == ("GovernmentBody", "us", ["export"])
    assert knowledge.catalog().surface["出口审查办公室"] == "us-export-review-office"
    assert extract.side("us-export-review-office") == "us"


def test_the_environment_is_restored():
    """Runs after the tests above (file order): the real ontology/ is read again."""
    from kg import extract, knowledge
    assert knowledge.ontology_dir() == ROOT / "ontology"
    assert "us-export-review-office" not in knowledge.catalog().entities
    assert extract.side("us-export-review-office") == "us-export-review-office"


@pytest.mark.slow
def test_a_new_us_agency_decides_us_exports(ontology, monkeypatch):
    before = extract_text(AGENCY_SENTENCE)
    assert "us-export-review-office" not in {d.decider for d in before.decisions}
    add_agency(ontology)
    use_fresh_pipeline(monkeypatch)
    after = extract_text(AGENCY_SENTENCE)
    decisions = [(d.decider, d.scope, d.direction, tuple(d.products)) for d in after.decisions]
    assert ("us-export-review-office", "export", "close", ("h20",)) in decisions


@pytest.mark.slow
def test_a_new_coordination_word_joins_two_agents(ontology):
    before = {(a.agent, a.predicate, a.target) for a in extract_text(COORDINATED).acts}
    assert not BOTH <= before, "暨 already coordinates: pick a word the lexicon lacks"
    edit_yaml(ontology / "lexicon.yaml", lambda lex: lex["coordination"].append("暨"))
    after = {(a.agent, a.predicate, a.target) for a in extract_text(COORDINATED).acts}
    assert BOTH <= after


@pytest.mark.slow
def test_the_session_pipeline_reads_the_real_ontology_again():
    """After the tests above: the cached pipeline and finder know nothing of the copies."""
    acts = {(a.agent, a.predicate, a.target) for a in extract_text(COORDINATED).acts}
    assert not BOTH <= acts
    assert "us-export-review-office" not in {d.decider for d in extract_text(AGENCY_SENTENCE).decisions}
