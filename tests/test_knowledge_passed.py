"""Knowledge is handed to the stages: a Knowledge of another folder is what they use,
with nothing cached or read from the environment in between (no spaCy model needed)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kg import knowledge
from kg.ingest import build_article
from kg.nlp.entities import EntityFinder
from kg.nlp.sentences import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
AGENCY = {"key": "us-export-review-office", "class": "GovernmentBody", "side": "us", "decides": ["export"],
          "label": {"zh-Hans": "出口审查办公室", "en": "Export Review Office (made up for this test)"}}


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", folder)
    return folder


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_ingest_cleans_with_the_knowledge_it_is_given(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "clutter.yaml", lambda c: c["drop_lines"].append("本文由测试专用$"))
    text = "美国宣布新的芯片出口管制措施。\n本文由测试专用\n商务部回应称将采取措施。"
    assert "本文由测试专用" in build_article("t", "t.txt", text).text
    assert "本文由测试专用" not in build_article("t", "t.txt", text, knowledge=knowledge.load(folder)).text


def test_the_entity_finder_reads_the_catalog_it_is_given(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "catalog.yaml", lambda c: c["entities"].append(dict(AGENCY)))
    given = knowledge.load(folder)
    assert given.catalog.entities["us-export-review-office"].side == "us"
    assert "us-export-review-office" not in knowledge.default().catalog.entities
    text = "出口审查办公室宣布禁止芯片对华出口。"
    tokens = [(i, i + 1) for i in range(len(text))]
    mentions, _, _ = EntityFinder(given.catalog, given.names).find(text, tokens, sentence_spans(text, tokens))
    assert ("us-export-review-office", 0, 7) in {(m.key, m.start, m.end) for m in mentions}


def test_a_knowledge_reads_each_file_once(tmp_path):
    folder = _copy(tmp_path)
    given = knowledge.load(folder)
    first = given.catalog
    _edit(folder / "catalog.yaml", lambda c: c["entities"].append(dict(AGENCY)))
    assert given.catalog is first and "us-export-review-office" not in given.catalog.entities
    assert "us-export-review-office" in knowledge.load(folder).catalog.entities


@pytest.mark.slow
def test_extraction_reads_the_lexicon_it_is_given(tmp_path):
    """A coordination word added to a copy's lexicon.yaml is used by extract(analysis, that
    Knowledge), with the environment and the process's default Knowledge untouched."""
    from conftest import analyse_text
    from kg import extract
    analysis = analyse_text("鲁比奥暨格里尔游说特朗普。")
    both = {("marco-rubio", "lobbies", "donald-trump"), ("jamieson-greer", "lobbies", "donald-trump")}
    assert not both <= {(a.agent, a.predicate, a.target) for a in extract.extract(analysis).acts}
    folder = _copy(tmp_path)
    _edit(folder / "lexicon.yaml", lambda lex: lex["coordination"].append("暨"))
    given = extract.extract(analysis, knowledge.load(folder))
    assert both <= {(a.agent, a.predicate, a.target) for a in given.acts}
    assert not both <= {(a.agent, a.predicate, a.target) for a in extract.extract(analysis).acts}
