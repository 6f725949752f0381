"""Hostile or unlucky inputs from issue 14 ("Hardening"), one test (or a few) per item.

Each builds real files and, where a server is needed, starts it on loopback here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import FUZZ, piece, words   # the fuzz run's settings (KG_FUZZ_EXAMPLES) and strategies

from kg.ingest import MAX_ARTICLE_CHARS, IngestError, build_article

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SEED_NAME = "001_7758fd081aa54a25.txt"
GOOD = "<p>英伟达首席执行官黄仁勋游说特朗普放宽芯片出口。</p>"


def kg(*args, cwd=ROOT, timeout=300, **kw) -> subprocess.CompletedProcess:
    """``kg ARGS`` in a child process (stdout and stderr as text)."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, **kw)


def lines_naming(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


# --------------------------------------------------------------------------
# 1. One HTML file must not stop the build (quadratic text extraction, limit checked late)

def _big_page(n: int) -> str:
    return "<html><body>" + GOOD + "<p>" + "A" * n + "</p></body></html>"


def test_html_visible_text_limit_is_checked_while_parsing():
    with pytest.raises(IngestError, match=r"article too long \(more than 100,000 characters of visible text\)"):
        build_article("big", "big.html", _big_page(4 << 20), html_page=True)
    with pytest.raises(IngestError, match="title too long"):
        build_article("t", "t.html", "<title>" + "A" * (MAX_ARTICLE_CHARS + 1) + "</title>" + GOOD,
                      html_page=True)


@pytest.mark.parametrize("tail", ["<!--" + "A" * (2 << 20), "<!--" + "<a" * (1 << 20),
                                  "<!--x>" * 350_000, "<script>" + "A<" * (1 << 20), "<b " * 350_000])
def test_html_unclosed_construct_hides_the_rest(tail):
    """html.parser reads what follows an unclosed comment or tag with a search to the end of the
    page from every '<'; a long rest is not read (a browser shows none of it), with a warning."""
    art = build_article("u", "u.html", "<html><body>" + GOOD + tail, html_page=True)
    assert "黄仁勋游说特朗普" in art.text and "AAAA" not in art.text
    assert len(art.warnings) == 1 and "HTML: an unclosed" in art.warnings[0]
    assert "hides the remaining" in art.warnings[0]


def test_html_short_unclosed_comment_still_read_as_before():
    art = build_article("u", "u.html", "<html><body>" + GOOD + "<!--" + "美国" * 10, html_page=True)
    assert "美国美国" in art.text and not art.warnings


@pytest.mark.slow
def test_huge_html_page_does_not_stop_the_batch(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.html").write_text(_big_page(4 << 20), encoding="utf-8")
    (src / "comment.html").write_text("<html><body>" + GOOD + "<!--" + "<a" * (1 << 20), encoding="utf-8")
    (src / SEED_NAME).write_bytes((RAW / SEED_NAME).read_bytes())
    proc = kg("build", src, "--out", tmp_path / "out", timeout=240)
    assert proc.returncode == 1, proc.stderr
    big = lines_naming(proc.stderr, "big.html")
    assert len(big) == 1 and "article too long" in big[0]
    assert len(lines_naming(proc.stderr, "comment.html")) == 1          # the warning
    assert "2 articles" in proc.stderr
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0


# --------------------------------------------------------------------------
# 2. kg push never follows a redirect, never sends credentials to another host

TINY_TTL = "<https://example.org/s> <https://example.org/p> \"黄仁勋\"@zh-Hans .\n"


class Recorder:
    """A loopback HTTP server that records every request and answers with ``respond(handler)``
    (status, headers, body); started and stopped by the test (a context manager)."""

    def __init__(self, respond, host: str = "127.0.0.1"):
        import http.server
        import threading
        self.requests: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _any(self):
                n = int(self.headers.get("Content-Length") or 0)
                outer.requests.append({"method": self.command, "path": self.path,
                                       "headers": dict(self.headers), "body": self.rfile.read(n)})
                respond(self)

            do_GET = do_PUT = do_POST = do_DELETE = _any

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def answer(status: int, headers: dict | None = None, body: bytes = b""):
    def respond(h):
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
    return respond


@pytest.fixture
def tiny_graph(tmp_path) -> Path:
    path = tmp_path / "g.ttl"
    path.write_text(TINY_TTL, encoding="utf-8")
    return path


@pytest.mark.parametrize("method,status", [("POST", 302), ("POST", 307), ("PUT", 301), ("PUT", 308)])
@pytest.mark.parametrize("auth", ["basic", "auto"])
def test_push_does_not_follow_redirects(tiny_graph, method, status, auth):
    # the other host on 127.0.0.2, so that a redirect leads off the endpoint's host
    with Recorder(answer(200), host="127.0.0.2") as other, \
            Recorder(answer(status, {"Location": other.url + "/data"})) as endpoint:
        proc = kg("push", tiny_graph, "--endpoint", endpoint.url + "/data", "--method", method,
                  "--user", "alice", "--password", "s3cret", "--auth", auth, "--timeout", "10")
    assert proc.returncode == 2, proc.stderr
    assert f"HTTP {status}" in proc.stderr and "redirect" in proc.stderr
    assert other.requests == []                       # nothing (no credentials, no GET) went there
    assert len(endpoint.requests) == 1 and endpoint.requests[0]["body"] == TINY_TTL.encode()
    assert "s3cret" not in proc.stderr


# --------------------------------------------------------------------------
# 3. Markdown injection: everything from the input escaped in build-report.md and report.md

SCRIPT = "<script>alert(1)</script>"


def _rendered(markdown: str) -> str:
    """HTML of a CommonMark renderer with GFM tables (markdown-it-py, which typer brings)."""
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").enable("table").render(markdown)


def _no_markup_from_input(html: str) -> None:
    """Only the elements the reports make themselves; nothing from the input became markup."""
    from html.parser import HTMLParser
    tags: set[str] = set()

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.add(tag)
            if tag == "img":     # the report's own pictures, nothing else
                assert dict(attrs).get("src", "").endswith(".svg") and not any(k.startswith("on") for k, _ in attrs)
            if tag == "a":       # the report's own anchors and links within the page
                assert {k for k, _ in attrs} <= {"id", "href"}, attrs
                assert all(v.startswith("#") for k, v in attrs if k == "href"), attrs

    Tags().feed(html)
    assert tags <= {"p", "code", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "h1", "h2", "h3",
                    "blockquote", "br", "img", "a"}, (tags, html)


HOSTILE_IDS = ["doc`</code><script>alert(1)</script>`", "``x``<script>alert(1)</script>", "`", "a|b<script>x",
               " ` ", "x\n<script>alert(1)</script>"]


@pytest.mark.parametrize("text", HOSTILE_IDS)
def test_report_markdown_code_spans_cannot_be_left(text):
    from kg.views.report import Code, Para, Table, to_markdown
    md = to_markdown([Para(["doc ", Code(text), " ", SCRIPT]),
                      Table(["id", "x"], [[Code(text), SCRIPT], [[Code(text), "|", SCRIPT], "y"]])])
    html = _rendered(md)
    _no_markup_from_input(html)
    assert html.count("<td>") == 4                     # the table keeps its two columns
    assert text.replace("\n", " ").strip() in html.replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"').replace("&amp;", "&") or text.strip() == "`"


def test_build_report_escapes_sentences_names_and_paths():
    from kg.pipeline import BuildResult, report_markdown
    r = BuildResult(files=2, articles=1)
    r.failures.append(("in/a`</code>" + SCRIPT + ".txt", "line 2: " + SCRIPT))
    r.warnings.append(("in/b``" + SCRIPT + ".txt", "invalid " + SCRIPT))
    r.new_entities["zx9000"] = {"class": "Product", "label": "ZX9000" + SCRIPT, "count": 1, "docs": {"d"},
                                "example": "英伟达出售芯片ZX9000" + SCRIPT + "|<img src=x onerror=alert(1)>。",
                                "how": "product-code"}
    md = report_markdown(r, Path("out`" + SCRIPT))
    html = _rendered(md)
    _no_markup_from_input(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.slow
def test_build_and_report_markdown_escape_an_article(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rec = {"id": "doc`</code><script>alert(1)</script>`",
           "text": "英伟达将向中国出售新款芯片ZX9000<script>alert(1)</script>。美国商务部长卢特尼克说,"
                   "英伟达首席执行官黄仁勋游说特朗普放宽芯片出口。"}
    (src / "a.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    proc = kg("build", src, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    build_md = (tmp_path / "out" / "build-report.md").read_text(encoding="utf-8")
    assert "zx9000" in build_md
    _no_markup_from_input(_rendered(build_md))
    proc = kg("report", tmp_path / "out" / "graph.ttl", "--out", tmp_path / "report")
    assert proc.returncode == 0, proc.stderr
    report_md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "alert(1)" in report_md
    _no_markup_from_input(_rendered(report_md))


# --------------------------------------------------------------------------
# 4. GraphML and GEXF (and every RDF format) well-formed whatever the text, C0 controls included

C0 = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\ufffe", "\uffff"]


def _all_outputs_well_formed(text: str) -> None:
    """text as an article through every stage; every output format must parse again."""
    import io
    import xml.etree.ElementTree as ET

    import networkx as nx
    import rdflib

    from kg import extract, nlp
    from kg.rdf import assemble, decisions
    from kg.rdf import graph as rdf
    from kg.rdf.io import FORMATS
    from kg.rdf.terms import Minter, TripleSink
    from kg.views import analyze
    try:
        art = build_article("c0", "c0.txt", text)
    except IngestError:
        return
    analysis = next(nlp.analyse([art]))
    acts = extract.extract(analysis)
    g = TripleSink()
    mint = Minter()
    rdf.add_article(g, mint, analysis, acts.argument_keys())
    rdf.add_doc_events(g, mint, acts)
    built = assemble.assemble([("c0", g.ntriples(), decisions.reported("c0", acts.decisions))], mint)
    for fmt in ("ttl", "nt", "trig", "nq", "jsonld"):
        data = built.serialize(fmt, mint)
        if fmt in ("trig", "nq"):
            rdflib.Dataset().parse(data=data, format=FORMATS[fmt])
        else:
            assert len(rdflib.Graph().parse(data=data, format=FORMATS[fmt])) == len(built.union)
    H = analyze.for_export(analyze.to_networkx(built.rdflib_graph()))
    for writer, reader in ((nx.write_graphml, nx.read_graphml), (nx.write_gexf, nx.read_gexf)):
        buf = io.BytesIO()
        writer(H, buf)
        ET.fromstring(buf.getvalue())                       # well-formed XML 1.0
        back = reader(io.BytesIO(buf.getvalue()))
        assert back.number_of_nodes() == H.number_of_nodes()


@pytest.mark.slow
@pytest.mark.parametrize("control", C0, ids=[f"U+{ord(c):04X}" for c in C0])
def test_graphml_and_gexf_well_formed_with_each_control(control):
    _all_outputs_well_formed(f"美国商务部宣布{control}限制英伟达芯片出口。英伟达首席执行官黄仁勋{control}游说特朗普。")


C0_TEXT = st.tuples(words(), st.lists(st.one_of(st.sampled_from(C0), st.sampled_from(C0), piece),
                                      min_size=1, max_size=20).map("".join), words()).map("".join)


@pytest.mark.slow
@FUZZ
@given(C0_TEXT)
def test_every_output_format_well_formed_for_any_text(text):
    """Hypothesis: RDF in every format, GraphML and GEXF parse again (KG_FUZZ_EXAMPLES, as test_fuzz)."""
    _all_outputs_well_formed(text)


# --------------------------------------------------------------------------
# 5. Document ids: bounded, long ones minted by hash; no dot segments in IRIs

def _iris(ttl: str) -> list[str]:
    import rdflib
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    return sorted({str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef)})


def test_minted_iri_parts_are_bounded_and_never_dot_segments():
    from kg.rdf.terms import MAX_IRI_PART, Minter
    mint = Minter()
    for part in (".", "..", "x" * 20_000, "黄" * 100):
        iri = str(mint.article(part))
        tail = iri[len(mint.base):].split("/", 1)[1]
        assert tail not in (".", "..") and len(tail) <= MAX_IRI_PART + 40, iri
    assert mint.article("x" * 20_000) != mint.article("x" * 20_001)
    assert str(mint.article("a.b")).endswith("/article/a.b")        # ordinary ids are minted as before


@pytest.mark.slow
def test_long_and_dot_document_ids(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = "英伟达首席执行官黄仁勋游说特朗普放宽对华芯片出口。美国商务部宣布限制英伟达芯片出口。"
    long_id = "L" * 2_000
    records = [{"id": i, "text": f"{n}。{text}"} for n, i in enumerate([long_id, ".", ".."])]   # distinct texts
    (src / "ids.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    proc = kg("build", src, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    warned = lines_naming(proc.stderr, "ids.jsonl")
    assert len(warned) == 1 and "document id too long (2,000 characters > 200 limit)" in warned[0], proc.stderr
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert long_id not in ttl
    iris = _iris(ttl)
    assert max(map(len, iris)) < 400
    assert not [i for i in iris if "/./" in i or "/../" in i or i.endswith(("/.", "/.."))]
    assert "3 articles" in proc.stderr


# --------------------------------------------------------------------------
# 6. kg query stays on this machine unless --allow-network

@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_query_service_is_refused(tiny_graph, engine):
    with Recorder(answer(200, {"Content-Type": "application/sparql-results+json"},
                         b'{"head":{"vars":[]},"results":{"bindings":[]}}')) as remote:
        for query in (f"SELECT * WHERE {{ SERVICE <{remote.url}/sparql> {{ ?s ?p ?o }} }}",
                      f"select * {{ ?s ?p ?o optional {{ service silent <{remote.url}/sparql> {{ ?s ?p ?x }} }} }}"):
            proc = kg("query", tiny_graph, query, "--engine", engine)
            assert proc.returncode == 2, proc.stderr
            assert proc.stderr.count("\n") == 1 and "SERVICE" in proc.stderr and "--allow-network" in proc.stderr
        assert remote.requests == []


def test_query_from_does_not_fetch(tiny_graph):
    with Recorder(answer(200, {"Content-Type": "text/turtle"}, TINY_TTL.encode())) as remote:
        proc = kg("query", tiny_graph, f"SELECT * FROM <{remote.url}/g.ttl> WHERE {{ ?s ?p ?o }}",
                  "--engine", "rdflib")
        assert "Traceback" not in proc.stderr
        assert remote.requests == []


def test_query_service_allowed_by_flag_fails_cleanly(tiny_graph):
    with Recorder(answer(500, {}, b"no")) as remote:
        for engine in ("rdflib", "oxigraph"):
            proc = kg("query", tiny_graph, f"SELECT * WHERE {{ SERVICE <{remote.url}/sparql> {{ ?s ?p ?o }} }}",
                      "--engine", engine, "--allow-network")
            assert "Traceback" not in proc.stderr and proc.returncode == 2, proc.stderr
        assert len(remote.requests) >= 2


# --------------------------------------------------------------------------
# 7. --update: the cache key covers everything that reaches the graph (url, encoding …)

@pytest.mark.slow
def test_update_sees_a_changed_url_and_encoding(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    text = "英伟达首席执行官黄仁勋游说特朗普放宽对华芯片出口。美国商务部宣布限制英伟达芯片出口。"
    rec = {"id": "u1", "text": text, "url": "https://example.org/old"}
    (src / "a.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (src / "b.txt").write_bytes(text.encode("utf-8"))
    assert kg("build", src, "--out", out).returncode == 0
    rec["url"] = "https://example.org/new"
    (src / "a.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (src / "b.txt").write_bytes(text.encode("gb18030"))            # re-saved: same text, another encoding
    proc = kg("build", src, "--out", out, "--update")
    assert proc.returncode == 0, proc.stderr
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "https://example.org/new" in ttl and "https://example.org/old" not in ttl
    assert '"gb18030"' in ttl
    fresh = kg("build", src, "--out", tmp_path / "fresh")
    assert (tmp_path / "fresh" / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes(), fresh.stderr


# --------------------------------------------------------------------------
# 8. --base validated as an absolute IRI (RFC 3987), one clear line

@pytest.mark.parametrize("base,problem", [("http://ex.org/a b/", "' ' is not allowed at character 16"),
                                          ("http://ex.org/a>b/", "'>' is not allowed at character 16"),
                                          ("http://ex.org/a%zz/", "bad percent-encoding at character 16"),
                                          ("ex.org/id/", "it must start with a scheme")])
def test_bad_base_is_one_line(tmp_path, base, problem):
    proc = kg("build", RAW / SEED_NAME, "--out", tmp_path / "out", "--base", base)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and problem in proc.stderr and "--base" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_good_bases_pass():
    from kg.rdf.namespaces import DEFAULT_BASE
    from kg.rdf.terms import check_base
    for base in (DEFAULT_BASE, "http://例子.中国/实体#", "urn:x:kg:", "http://[::1]:8080/id/", "https://x.org/a%2Fb/"):
        assert check_base(base) == base


# --------------------------------------------------------------------------
# 9. I/O errors: one line and the documented exit code; a cache that cannot be written is skipped

@pytest.fixture
def small_fs(tmp_path):
    """mount(size) -> a folder on a tmpfs of that many bytes (real ENOSPC, and remount read-only)."""
    mounted = []

    def mount(size: int, name: str = "fs") -> Path:
        where = tmp_path / name
        where.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True, text=True)
        if proc.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _one_seed(tmp_path) -> Path:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    (src / SEED_NAME).write_bytes((RAW / SEED_NAME).read_bytes())
    return src


@pytest.mark.slow
def test_disk_full_for_the_graph_keeps_the_old_one(tmp_path, small_fs):
    out = small_fs(64 << 10)
    (out / "graph.ttl").write_text("OLD", encoding="utf-8")
    proc = kg("build", _one_seed(tmp_path), "--out", out, "--cache", tmp_path / "cache")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    line, = lines_naming(proc.stderr, "cannot write")
    assert "graph.ttl: No space left on device" in line and "is as it was" in line
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]       # no temporary file left


@pytest.mark.slow
def test_read_only_out_is_one_line(tmp_path, small_fs):
    out = small_fs(1 << 20)
    (out / "graph.ttl").write_text("OLD", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    proc = kg("build", _one_seed(tmp_path), "--out", out, "--cache", tmp_path / "cache")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    line, = lines_naming(proc.stderr, "cannot write")
    assert "Read-only file system" in line
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "OLD"


@pytest.mark.slow
def test_cache_that_cannot_be_written_is_skipped(tmp_path, small_fs):
    """A full cache disk, and a .kg-cache that is a file: a warning, the build is written, exit 0."""
    src = _one_seed(tmp_path)
    full = small_fs(16 << 10, "cache")
    proc = kg("build", src, "--out", tmp_path / "a", "--cache", full)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines_naming(proc.stderr, "cannot write the cache (No space left on device)")) == 1
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / ".kg-cache").write_text("not a folder", encoding="utf-8")
    proc = kg("build", src, "--out", tmp_path / "b", "--update")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert len(lines_naming(proc.stderr, "cannot write the cache")) == 1
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()


@pytest.mark.slow
def test_damaged_cache_entries_are_misses(tmp_path):
    src, out = _one_seed(tmp_path), tmp_path / "out"
    assert kg("build", src, "--out", out).returncode == 0
    before = (out / "graph.ttl").read_bytes()
    for meta in (out / ".kg-cache").glob("*.json"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        del data["mentions"]
        meta.write_text(json.dumps(data), encoding="utf-8")
    proc = kg("build", src, "--out", out, "--update")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert (out / "graph.ttl").read_bytes() == before


# --------------------------------------------------------------------------
# 10. Unreadable subfolders, broken and looping symbolic links: each named, like an unreadable file

NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]   # root that obeys file modes


@pytest.mark.slow
def test_unreadable_folders_and_bad_links_are_named(tmp_path):
    import shutil
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is needed to read as a root without CAP_DAC_OVERRIDE")
    src = _one_seed(tmp_path)
    (src / "locked").mkdir()
    (src / "locked" / "hidden.txt").write_bytes((RAW / SEED_NAME).read_bytes())
    (src / "locked").chmod(0)
    (src / "broken.txt").symlink_to("/nonexistent/x.txt")
    (src / "loop1.txt").symlink_to("loop2.txt")
    (src / "loop2.txt").symlink_to("loop1.txt")
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to("..")
    try:
        proc = subprocess.run(NO_DAC + [sys.executable, "-m", "kg.cli", "build", str(src), "--out",
                                        str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT,
                              timeout=300)
    finally:
        (src / "locked").chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    expect = {"locked": "cannot read folder: Permission denied",
              "broken.txt": "broken symbolic link (to /nonexistent/x.txt)",
              "loop1.txt": "looping symbolic link", "loop2.txt": "looping symbolic link",
              "up": "symbolic link to a folder already searched (a loop)"}
    for name, problem in expect.items():
        found = [line for line in proc.stderr.splitlines() if line.startswith(f"{src}/") and
                 line.split(": ", 1)[0].endswith("/" + name)]
        assert len(found) == 1 and problem in found[0], (name, proc.stderr)
    assert "1 articles" in proc.stderr


# --------------------------------------------------------------------------
# 11. kg push: --timeout is a deadline, no password echoed, the server's body escaped and cut short

def _trickle(h):
    """One header line every 2 s, 12 of them (the server stops by itself)."""
    import time
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for i in range(12):
        try:
            h.wfile.write(f"X-Slow-{i}: 1\r\n".encode())
            h.wfile.flush()
        except OSError:
            return
        time.sleep(2)
    h.close_connection = True


def test_push_timeout_is_a_deadline(tiny_graph):
    import time
    with Recorder(_trickle) as slow:
        t = time.monotonic()
        proc = kg("push", tiny_graph, "--endpoint", slow.url + "/data", "--timeout", "5")
        took = time.monotonic() - t
    assert proc.returncode == 2, proc.stderr
    assert "no complete answer within 5 s" in proc.stderr
    assert took < 20, took                     # the trickle lasts 24 s; each read alone is within 5 s


def test_push_redacts_the_password_and_escapes_the_body(tiny_graph):
    body = b"\x1b[2J\x1b[31mboom\x1b[0m\r\nline two\x07" + b"x" * 5000
    with Recorder(answer(500, {"Content-Type": "text/plain"}, body)) as bad:
        url = bad.url.replace("http://", "http://alice:s3cret@") + "/data"
        proc = kg("push", tiny_graph, "--endpoint", url)
    assert proc.returncode == 2
    assert "s3cret" not in proc.stderr, proc.stderr      # the credentials are taken out of the URL
    from kg.views.push import redact
    assert redact("http://alice:s3cret@h:1/x?y") == "http://alice:***@h:1/x?y"
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr and "\\x1b[31mboom" in proc.stderr
    assert proc.stderr.count("\n") == 1 and len(proc.stderr) < 700, proc.stderr
    assert len(bad.requests) == 1 and bad.requests[0]["body"] == TINY_TTL.encode()


# --------------------------------------------------------------------------
# 12. Minor: the same article under two names, a missing input, a file named like a ready query

@pytest.mark.slow
def test_same_text_under_two_names_is_counted_once(tmp_path):
    import rdflib
    from kg.rdf.namespaces import KGO
    src = tmp_path / "in"
    src.mkdir()
    text = "美国商务部宣布限制英伟达芯片出口。英伟达首席执行官黄仁勋游说特朗普放宽芯片出口。"
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "copy-of-a.txt").write_text(text, encoding="utf-8")
    proc = kg("build", src, tmp_path / "missing.txt", "--out", tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    warned = lines_naming(proc.stderr, "copy-of-a.txt")
    assert len(warned) == 1 and "the same text as" in warned[0] and "a.txt" in warned[0], proc.stderr
    assert len(lines_naming(proc.stderr, "missing.txt")) == 1, proc.stderr       # named once
    g = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl")
    counts = [int(n) for n in g.objects(None, KGO.numArticles)]
    assert counts and all(n == 1 for n in counts), counts
    assert len(set(g.subjects(KGO.reportedIn, None))) == len(counts)


@pytest.fixture(scope="module")
def a_graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("g") / "g.ttl"
    path.write_text(TINY_TTL, encoding="utf-8")
    return path


def test_file_named_like_a_ready_query(tmp_path, a_graph):
    (tmp_path / "lobbying").write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    proc = kg("query", a_graph, "lobbying", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == "true", proc.stderr
    assert "running the file" in proc.stderr and "ready:lobbying" in proc.stderr
    proc = kg("query", a_graph, "ready:lobbying", cwd=tmp_path)
    assert proc.returncode == 0 and "row" in proc.stdout and proc.stderr == "", proc.stderr
    proc = kg("query", a_graph, "ready:nonesuch", cwd=tmp_path)
    assert proc.returncode == 2 and "no such ready query" in proc.stderr
