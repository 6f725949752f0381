"""The pkuseg segmentation model: fetched once, checked, cached as a spaCy pipeline.

spacy-pkuseg downloads its models from GitHub at run time, which fails
offline. The original ``pkuseg`` wheel on PyPI carries a pretrained model, so
``kg setup`` downloads that wheel (pinned by sha256), initialises spaCy's
Chinese tokenizer from it once and saves the pipeline with ``nlp.to_disk``.
That writes the features as msgpack, so nothing is unpickled at run time.
The saved files are hashed into a manifest; a cache that no longer matches it
is rebuilt.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "pkuseg-0.0.22-cp37-cp37m-manylinux1_x86_64.whl"
WHEEL_SHA256 = "945a66b15480fef23c45f74727bdf4bdfd350f0d3ab6d155bd679c4c43b9912e"
PIP_ARGS = ["download", "pkuseg==0.0.22", "--no-deps", "--only-binary", ":all:",
            "--python-version", "3.7", "--platform", "manylinux1_x86_64"]
MODEL_MEMBERS = ("pkuseg/models/default/features.pkl", "pkuseg/models/default/weights.npz")
MANIFEST = "kg-manifest.json"
# what spaCy loads; a manifest that does not list them all is not trusted
REQUIRED_FILES = ("config.cfg", "meta.json", "tokenizer/cfg", "tokenizer/pkuseg_model/features.msgpack",
                  "tokenizer/pkuseg_model/weights.npz", "tokenizer/pkuseg_processors")


class ModelError(Exception):
    """The segmentation model cannot be fetched or prepared."""


def cache_dir() -> Path:
    return Path(os.environ.get("KG_CACHE") or Path.home() / ".cache" / "kg")


def pipeline_dir() -> Path:
    return cache_dir() / "zh_pkuseg"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _sha256(p)
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != MANIFEST}


def check(deep: bool = True) -> str | None:
    """None when the cached pipeline is present and intact, else what is wrong.

    The manifest must come from the pinned wheel and list every file spaCy needs;
    ``deep`` compares each file's sha256 with the manifest, otherwise only sizes."""
    root = pipeline_dir()
    manifest = root / MANIFEST
    if not manifest.is_file():
        return f"no segmentation model in {root}"
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{manifest} is corrupt"
    if not isinstance(recorded, dict) or not isinstance(recorded.get("files"), dict) \
            or not isinstance(recorded.get("sizes", {}), dict):
        return f"{manifest} is corrupt"
    if recorded.get("wheel_sha256") != WHEEL_SHA256:
        return "cached model was built from another wheel"
    files = recorded["files"]
    lacking = [name for name in REQUIRED_FILES if name not in files]
    if lacking:
        return f"{manifest} does not list {', '.join(lacking)}"
    for name, digest in sorted(files.items()):
        path = root / name
        if not path.is_file():
            return f"{path} is missing"
        try:
            if deep and _sha256(path) != digest:
                return f"{path} does not match its recorded sha256"
            if not deep and path.stat().st_size != recorded.get("sizes", {}).get(name):
                return f"{path} has the wrong size"
        except OSError as e:
            return f"{path} cannot be read: {e.strerror or e}"
    return None


def _fetch_wheel(dest: Path, log) -> Path:
    wheel = dest / WHEEL
    cached = cache_dir() / WHEEL
    if cached.is_file() and _sha256(cached) == WHEEL_SHA256:
        shutil.copy(cached, wheel)
        return wheel
    log("downloading the pkuseg wheel from PyPI (50 MB) ...")
    cmd = [sys.executable, "-m", "pip", *PIP_ARGS, "-d", str(dest), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not wheel.is_file():
        raise ModelError(f"pip download of pkuseg failed:\n{proc.stderr.strip()[-2000:]}")
    digest = _sha256(wheel)
    if digest != WHEEL_SHA256:
        raise ModelError(f"{WHEEL} has sha256 {digest}, expected {WHEEL_SHA256}")
    cache_dir().mkdir(parents=True, exist_ok=True)
    shutil.copy(wheel, cached)
    return wheel


def setup(force: bool = False, log=print) -> Path:
    """Make sure the cached pipeline exists and is intact; build it if not."""
    problem = None if force else check()
    if problem is None and not force:
        return pipeline_dir()
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / ".setup.lock", "w") as lock:
        # worker processes starting together: one rebuilds, the others wait and find it done
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and check() is None:
            return pipeline_dir()
        if problem:
            log(f"segmentation model: {problem}; preparing it")
        return _rebuild(log)


def _rebuild(log) -> Path:
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        tmp = Path(tmp)
        wheel = _fetch_wheel(tmp, log)
        with zipfile.ZipFile(wheel) as zf:
            for member in MODEL_MEMBERS:
                zf.extract(member, tmp)
        model = tmp / "pkuseg" / "models" / "default"
        log("initialising spaCy's Chinese tokenizer with pkuseg (once) ...")
        from spacy.lang.zh import Chinese  # local: spaCy takes seconds to import; only a rebuild needs it here
        nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
        nlp.tokenizer.initialize(pkuseg_model=str(model))
        staged = tmp / "zh_pkuseg"
        nlp.to_disk(staged)
        hashes = _tree_hashes(staged)
        sizes = {name: (staged / name).stat().st_size for name in hashes}
        (staged / MANIFEST).write_text(json.dumps(
            {"wheel": WHEEL, "wheel_sha256": WHEEL_SHA256, "files": hashes, "sizes": sizes},
            indent=1, sort_keys=True))
        target = pipeline_dir()
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staged.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    log(f"segmentation model ready in {pipeline_dir()}")
    return pipeline_dir()
