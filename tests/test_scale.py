"""Parallel, incremental and Dask builds give the same graph as a serial build."""
import shutil
from pathlib import Path

import pytest

from kg import pipeline

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def serial_ttl(seed_build):
    return (seed_build / "graph.ttl").read_bytes()


def test_two_worker_processes_give_identical_output(serial_ttl):
    built = pipeline.build([RAW], workers=2)
    assert built.serialize("ttl") == serial_ttl


def test_dask_local_cluster_gives_identical_output(serial_ttl):
    pytest.importorskip("dask.distributed")
    built = pipeline.build([RAW], dask="", workers=2)
    assert built.serialize("ttl") == serial_ttl


def test_update_processes_only_new_articles(tmp_path, serial_ttl):
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    for f in seeds[:3]:
        shutil.copy(f, src)
    cache = tmp_path / "cache"
    first = pipeline.build([src], cache=cache)
    assert first.reused == 0
    for f in seeds[3:]:
        shutil.copy(f, src)
    second = pipeline.build([src], cache=cache, update=True)
    assert (second.articles, second.reused) == (5, 3)
    assert second.serialize("ttl") == serial_ttl


def test_changed_article_is_processed_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("黄仁勋游说特朗普。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    pipeline.build([src], cache=cache)
    (src / "a.txt").write_text("黄仁勋游说拜登。\n", encoding="utf-8")
    again = pipeline.build([src], cache=cache, update=True)
    assert again.reused == 0
    assert "joe-biden" in again.serialize("ttl").decode()
