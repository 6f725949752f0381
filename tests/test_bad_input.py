"""Messy folders: every bad input gets one line naming the file and the problem, the
other files are still built, and the exit code says what happened (0 all good,
1 some inputs failed, 2 usage error or nothing built).

One `kg build` runs over a folder holding every kind of bad input next to good
articles; each test below checks one input in its result.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ingest import IngestError, MAX_ARTICLE_CHARS, MAX_FILE_MB, decode_report, read_file

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SEED = (RAW / "001_7758fd081aa54a25.txt").read_text(encoding="utf-8")
SEED2 = (RAW / "003_60e52b6b8ef099fe.txt").read_text(encoding="utf-8")
SURROGATE_SENTENCE = "英伟达\ud800首席执行官黄仁勋游说特朗普\udfff。"
ODD_NAME = os.fsdecode(b'odd \xff name #%?<>"{}|^`\\ .txt')


def _traditional(text: str) -> str:
    import opencc
    return opencc.OpenCC("s2t").convert(text)


def _make_corpus(folder: Path) -> dict[str, Path]:
    """Write every bad input (and a few good ones); return name -> path."""
    rng = random.Random(20251104)
    f = {}

    def put(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        f[name] = path
        return path

    body = SEED.encode("utf-8")
    put("empty.txt", b"")
    put("blank.txt", b" \n\t\r\n  ")
    put("binary.txt", bytes(rng.randrange(256) for _ in range(20000)))
    put("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(8000)))
    put("latin1-noise.txt", bytes(rng.randrange(0x80, 0x100) for _ in range(5000)))
    put("gbk.txt", SEED.encode("gbk", "replace"))          # (© and nbsp are not in GBK)
    put("big5.txt", _traditional(SEED2).encode("big5", "replace"))
    put("utf16-bom.txt", SEED2.encode("utf-16"))
    put("utf16le-no-bom.txt", SEED.encode("utf-16-le"))
    put("invalid-utf8.txt", SEED[:1000].encode() + b"\xff\xfe" + SEED[1000:2000].encode() + b"\xc3"
        + SEED[2000:].encode())
    put("huge.txt", (SEED * ((50 << 20) // len(body) + 1)).encode("utf-8")[:50 << 20])
    with open(folder / "huge.jsonl", "wb") as out:        # one 50 MB record, then a good one
        out.write(b'{"id": "huge-record", "text": "')
        chunk = ("美国商务部宣布限制英伟达芯片出口。" * 20000).encode("utf-8")
        while out.tell() < (50 << 20):
            out.write(chunk)
        out.write(b'"}\n' + json.dumps({"id": "after-huge", "text": SEED2}, ensure_ascii=False).encode() + b"\n")
    f["huge.jsonl"] = folder / "huge.jsonl"
    sentences = [s + "。" for s in SEED.replace("\n", "").split("。") if s]
    line = "".join(sentences)
    put("one-line-million.txt", (line * (1_000_000 // len(line) + 1))[:1_000_000].encode("utf-8"))
    put("one-line-30k.txt", (line * (30_000 // len(line) + 1))[:30_000].encode("utf-8"))
    put("records.jsonl", "\n".join([
        json.dumps({"id": "rec-good-1", "title": "美国限制芯片出口", "text": SEED}, ensure_ascii=False),
        '{"id": "rec-broken", "text": "英伟达',                                   # malformed
        json.dumps({"id": "rec-good-2", "text": SEED2}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
        "[" * 100000 + "]" * 100000,                                               # nested too deeply
    ]).encode("utf-8") + b"\n")
    put("surrogates.jsonl", json.dumps({"id": "rec-surrogate", "text": SURROGATE_SENTENCE + SEED2}).encode() + b"\n")
    put("scripts.html", (
        "<!DOCTYPE html><html><head><title>页面</title>"
        + "<style>body{color:red} .x::before{content:'美国禁止出口'}</style>" * 200
        + "<script>var s = '特朗普批准出口H20芯片'; document.write(s);</script>" * 200
        + "</head><body><nav>首页 新闻</nav><script>alert('特朗普')</script><noscript>请启用脚本</noscript>"
        + "".join(f"<p>{p}</p>" for p in SEED2.splitlines() if p.strip())
        + "<style>p{}</style><script src='x.js'></script></body></html>").encode("utf-8"))
    put("malformed.html", ("<html><body><p>" + SEED2.replace("\n", "</p><![ odd <p>") + "</p></body></html>").encode())
    put("english.txt", b"The US Commerce Department restricted exports of Nvidia chips to China.\n" * 40)
    put(ODD_NAME, SEED2.encode("utf-8"))
    put("line\nbreak.txt", SEED.encode("utf-8"))
    unreadable = folder / "unreadable.txt"
    if os.geteuid() == 0:
        # root reads a file whatever its mode: use one the kernel refuses to read (EIO)
        unreadable.symlink_to("/proc/self/mem")
    else:
        unreadable.write_bytes(body)
        unreadable.chmod(0)
    f["unreadable.txt"] = unreadable
    os.mkfifo(folder.parent / "pipe.txt")       # given on the command line: reading it would block
    f["pipe.txt"] = folder.parent / "pipe.txt"
    return f


# (file, what kg must say on its line of stderr, or "" when the file is read without a problem)
FAILED = [
    ("empty.txt", "empty file"),
    ("blank.txt", "empty file (only white space)"),
    ("binary.txt", "binary data"),
    ("image.html", "binary data"),
    ("latin1-noise.txt", "not UTF-8 (invalid byte at offset 0) and not GB18030, Big5 or UTF-16 Chinese text"),
    ("huge.txt", f"file too large (50.0 MB > {MAX_FILE_MB} MB limit)"),
    ("huge.jsonl", "line 1: line too long (more than 10 MB)"),
    ("one-line-million.txt", f"article too long (1,000,000 characters > {MAX_ARTICLE_CHARS:,} limit)"),
    ("records.jsonl", "line 2: Unterminated string"),
    ("english.txt", "no Chinese text in the article body"),
    ("unreadable.txt", "cannot read: "),
    ("pipe.txt", "not a regular file"),
]
READ = [  # (file, a document id it must give)
    ("gbk.txt", "gbk"), ("big5.txt", "big5"), ("utf16-bom.txt", "utf16-bom"),
    ("utf16le-no-bom.txt", "utf16le-no-bom"), ("invalid-utf8.txt", "invalid-utf8"),
    ("huge.jsonl", "after-huge"), ("one-line-30k.txt", "one-line-30k"),
    ("records.jsonl", "rec-good-1"), ("records.jsonl", "rec-good-2"), ("surrogates.jsonl", "rec-surrogate"),
    ("scripts.html", "scripts"), ("malformed.html", "malformed"),
    (ODD_NAME, 'odd \\xff name #%?<>"{}|^`\\ '), ("line\nbreak.txt", "line\nbreak"),
]
WARNED = [
    ("invalid-utf8.txt", "invalid UTF-8: 3 byte sequences replaced with U+FFFD "
                         f"(first at byte {len(SEED[:1000].encode())})"),
    ("surrogates.jsonl", "lone surrogate code points"),
]


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """`kg build` over the messy folder (and the FIFO, named on the command line)."""
    base = tmp_path_factory.mktemp("messy")
    folder = base / "in"
    folder.mkdir()
    files = _make_corpus(folder)
    out = base / "out"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(folder), str(files["pipe.txt"]),
                           "--out", str(out)], capture_output=True, cwd=ROOT, timeout=900)
    stderr = proc.stderr.decode("utf-8", "replace")
    return {"files": files, "out": out, "rc": proc.returncode, "stderr": stderr,
            "lines": stderr.replace("\r", "\n").split("\n")}


def _display(path: Path) -> str:
    from kg.ingest import one_line, os_text
    return one_line(os_text(str(path)))


def _doc_ids(out: Path) -> set[str]:
    from rdflib import Graph
    from kg.rdf.namespaces import KGO
    g = Graph().parse(out / "graph.ttl", format="turtle")
    return {str(o) for o in g.objects(None, KGO.docId)}


def test_exit_code_is_1_and_nothing_crashed(messy):
    assert messy["rc"] == 1, messy["stderr"]
    assert "Traceback" not in messy["stderr"]
    assert "internal error" not in messy["stderr"]


@pytest.mark.parametrize("name,problem", FAILED)
def test_each_bad_input_gets_one_line_naming_file_and_problem(messy, name, problem):
    prefix = _display(messy["files"][name]) + ": "
    lines = [line for line in messy["lines"] if line.startswith(prefix) and ": warning: " not in line]
    assert len(lines) == 1, (prefix, messy["stderr"])
    assert problem in lines[0][len(prefix):], lines[0]
    report = (messy["out"] / "build-report.md").read_text(encoding="utf-8")
    assert f"- `{prefix[:-2]}`: " in report


@pytest.mark.parametrize("name,doc_id", READ)
def test_readable_inputs_are_built(messy, name, doc_id):
    assert doc_id in _doc_ids(messy["out"])


@pytest.mark.parametrize("name,message", WARNED)
def test_repaired_inputs_get_a_warning(messy, name, message):
    prefix = _display(messy["files"][name]) + ": warning: "
    assert any(line.startswith(prefix) and message in line for line in messy["lines"]), messy["stderr"]


def test_script_and_style_text_never_reaches_the_graph(messy):
    ttl = (messy["out"] / "graph.ttl").read_text(encoding="utf-8")
    for junk in ("document.write", "alert(", "color:red", "请启用脚本", "特朗普批准出口H20芯片"):
        assert junk not in ttl


def test_encodings_are_recorded(messy):
    from rdflib import Graph
    from kg.rdf.namespaces import KGO
    g = Graph().parse(messy["out"] / "graph.ttl", format="turtle")
    found = {str(g.value(a, KGO.docId)): (str(g.value(a, KGO.encoding)), str(g.value(a, KGO.script)))
             for a in g.subjects(KGO.docId, None)}
    assert found["gbk"] == ("gb18030", "zh-Hans")
    assert found["big5"] == ("big5", "zh-Hant")
    assert found["utf16le-no-bom"][0] == "utf-16-le"
    assert found["utf16-bom"][0] == "utf-16"
    sentences = {str(o) for o in g.objects(None, KGO.text)}
    assert SURROGATE_SENTENCE.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd") in sentences


def test_graph_parses_and_every_iri_is_valid(messy):
    import pyoxigraph
    import rdflib
    data = (messy["out"] / "graph.ttl").read_bytes()
    g = rdflib.Graph().parse(data=data, format="turtle")
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE)     # strict about IRIs
    assert len(store) == len(g) > 1000
    for term in {t for triple in g for t in triple if isinstance(t, rdflib.URIRef)}:
        iri = str(term)
        assert iri.startswith(("https://", "http://")) and not any(c in iri for c in ' <>"{}|\\^`\n'), iri


# --------------------------------------------------------------------------
# Smaller cases, in this process or without the model


def test_nothing_readable_exits_2_and_leaves_the_output_alone(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "english.txt").write_text("Only English here.\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(tmp_path / "in"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 2
    assert f"{tmp_path / 'in' / 'empty.txt'}: empty file" in proc.stderr
    assert "nothing written" in proc.stderr
    assert (out / "graph.ttl").read_text() == "<http://x/a> <http://x/b> <http://x/c> .\n"
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]


@pytest.mark.parametrize("args", [["build", "{tmp}/nothing-here"], ["build", "{raw}", "--format", "xml"]])
def test_usage_errors_exit_2(tmp_path, args):
    args = [a.format(tmp=tmp_path, raw=RAW) for a in args]
    proc = subprocess.run([sys.executable, "-m", "kg.cli", *args, "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert not (tmp_path / "out").exists()


def test_utf16_without_bom_and_many_bad_bytes():
    text, enc, warnings = decode_report(SEED.encode("utf-16-be"))
    assert (text, enc, warnings) == (SEED, "utf-16-be", [])
    broken = bytearray(SEED.encode("utf-8"))
    for i in range(100, len(broken), 150):     # far too many bad bytes to be a cut character
        broken[i] = 0xFF
    with pytest.raises(IngestError, match="not UTF-8"):
        decode_report(bytes(broken))


def test_a_50mb_jsonl_is_read_in_bounded_memory(tmp_path):
    """Reading a 50 MB JSONL (one oversized record, then a good one) does not load it whole."""
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as out:
        out.write(b'{"id": "big", "text": "')
        chunk = ("美国商务部宣布限制英伟达芯片出口。" * 20000).encode("utf-8")
        while out.tell() < (50 << 20):
            out.write(chunk)
        out.write(b'"}\n' + json.dumps({"id": "small", "text": SEED2}, ensure_ascii=False).encode() + b"\n")
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from kg.ingest import read_file, IngestError, build_article\n"
        "build_article('warm', 'warm.txt', '美国限制芯片出口。')\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "ids, err = [], ''\n"
        "try:\n"
        "    for a in read_file(Path(sys.argv[1])):\n"
        "        ids.append(a.doc_id)\n"
        "except IngestError as e:\n"
        "    err = str(e)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(ids, err, (after - before) // 1024)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ids, rest = proc.stdout.split("] ", 1)
    assert ids == "['small'"
    assert "line 1: line too long (more than 10 MB)" in rest
    grown_mb = int(rest.rsplit(" ", 1)[1])
    assert grown_mb < 40, f"peak memory grew by {grown_mb} MB reading a 50 MB file"


def test_an_internal_error_in_one_article_skips_only_that_article(tmp_path, monkeypatch):
    from kg import extract, pipeline
    real = extract.extract

    def flaky(analysis, *knowledge):
        if analysis.article.doc_id.startswith("003"):
            raise RuntimeError("boom\nsecond line")
        return real(analysis, *knowledge)

    monkeypatch.setattr(extract, "extract", flaky)
    paths = [RAW / "001_7758fd081aa54a25.txt", RAW / "003_60e52b6b8ef099fe.txt"]
    result = pipeline.build(paths)
    assert result.articles == 1
    assert result.failures == [(str(paths[1]), "internal error, skipped: RuntimeError: boom\\nsecond line")]


def test_each_jsonl_problem_names_its_line(tmp_path):
    path = tmp_path / "r.jsonl"
    lines = [json.dumps({"text": SEED2}, ensure_ascii=False), "{oops", "", json.dumps({"text": 5}),
             json.dumps({"text": "Only English."}), json.dumps({"text": SEED, "id": "x"}, ensure_ascii=False)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = []
    with pytest.raises(IngestError) as e:
        for art in read_file(path):
            got.append((art.doc_id, art.line))
    assert got == [("r-1", 1), ("x", 6)]
    message = str(e.value)
    assert message.startswith("line 2: Expecting property name") and "\n" not in message
    assert "line 4: a JSON object with a string field 'text' is required" in message
    assert "line 5: no Chinese text in the article body" in message


def test_unicode_line_separators_inside_a_jsonl_record_do_not_split_it(tmp_path):
    path = tmp_path / "sep.jsonl"
    record = json.dumps({"id": "sep", "text": SEED2.replace("。", "。\u2028", 3) + "\x85\x0b\x1c"},
                        ensure_ascii=False)
    path.write_text(record + "\n", encoding="utf-8")
    assert [a.doc_id for a in read_file(path)] == ["sep"]


def test_a_fact_that_violates_the_shapes_drops_only_its_article(monkeypatch):
    """kg's own mistake (here: a Production whose target is a company, forced past the
    act signature) costs that article, named with the violation, not the whole build."""
    from kg import extract, pipeline
    real = extract.extract

    def wrong(analysis, *knowledge):
        acts = real(analysis, *knowledge)
        if analysis.article.doc_id.startswith("003"):
            acts.acts.append(extract.Act("produces", "nvidia", "huawei", 0, "", None, 0.5))
        return acts

    monkeypatch.setattr(extract, "extract", wrong)
    paths = [RAW / "001_7758fd081aa54a25.txt", RAW / "003_60e52b6b8ef099fe.txt"]
    result = pipeline.build(paths)
    assert result.articles == 1
    assert result.shacl.conforms
    assert len(result.failures) == 1
    source, reason = result.failures[0]
    assert source == str(paths[1])
    assert reason.startswith("dropped: a fact kg made violates the shapes (kgs:")
    assert "entity/huawei>: Value does not have class kgo:Product" in reason
    assert b"003_60e52b6b8ef099fe" not in result.serialize("nt")
