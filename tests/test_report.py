"""kg report: Markdown, self-contained HTML (checked in headless Chromium), GraphML, GEXF."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kg.views import analyze as an
from kg.views import report as rp
from kg.cli import app
from kg.rdf.namespaces import KGO
from test_analyze import busan_decision, h200_decision

PAYLOAD = '<script>alert(1)</script> """ <img src=x onerror=alert(2)> &amp; 注入'


@pytest.fixture(scope="module")
def seed_report(seed_build, tmp_path_factory) -> Path:
    """`kg report` on the seed build, through the CLI."""
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(app, ["report", str(seed_build / "graph.ttl"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def seed_nx(seed_graph) -> nx.MultiDiGraph:
    return an.to_networkx(seed_graph)


@pytest.fixture(scope="module")
def hostile_report(seed_build, tmp_path_factory) -> Path:
    """The seed graph with markup and quotes put into an article's headline and into the
    evidence of a stance and of a decision report, as a hostile article would bring them."""
    from kg.rdf.io import load_graph
    g = load_graph(seed_build / "graph.ttl")
    stance = next(g.subjects(KGO.stance, Literal("against")))
    sent = g.value(stance, KGO.evidence)
    g.set((sent, KGO.text, Literal(g.value(sent, KGO.text) + PAYLOAD, lang="zh-Hans")))
    report = next(g.subjects(KGO.reports, None))
    for s in g.objects(report, KGO.evidence):
        g.set((s, KGO.text, Literal(PAYLOAD + str(g.value(s, KGO.text)), lang="zh-Hans")))
    art = next(g.subjects(KGO.docId, None))
    g.set((art, URIRef("https://schema.org/headline"), Literal(PAYLOAD, lang="zh-Hans")))
    out = tmp_path_factory.mktemp("hostile")
    rp.write_report(an.to_networkx(g), out, source="hostile.ttl")
    return out


def _sections(md: str) -> dict[str, str]:
    """Markdown text by the decision key in each ### heading."""
    out = {}
    for part in re.split(r"^### ", md, flags=re.M)[1:]:
        m = re.search(r"`(d-[^`]+)`", part.splitlines()[0])
        if m:
            out[m.group(1)] = part.split("\n## ", 1)[0]
    return out


# --------------------------------------------------------------------------
# Files


def test_report_writes_every_file(seed_report, seed_nx):
    for name in ("report.md", "report.html", "network.graphml", "network.gexf",
                 "influence.svg", "centrality.svg", "timeline.svg"):
        assert (seed_report / name).stat().st_size > 0, name
    for reader, name in ((nx.read_graphml, "network.graphml"), (nx.read_gexf, "network.gexf")):
        H = reader(seed_report / name)
        assert H.number_of_nodes() == seed_nx.number_of_nodes(), name
        assert H.number_of_edges() == seed_nx.number_of_edges(), name
    H = nx.read_graphml(seed_report / "network.graphml")
    signs = {d["sign"] for *_, d in H.edges(data=True)}
    assert signs <= {-1, 0, 1} and -1 in signs and 1 in signs
    assert {d["kind"] for _, d in H.nodes(data=True)} == {"actor", "product", "decision"}


def test_markdown_has_the_sections_people_read(seed_report):
    md = (seed_report / "report.md").read_text(encoding="utf-8")
    for heading in ("## Influence on decisions", "## Centrality of actors", "## Camps",
                    "## Timeline of decisions", "## Articles", "](influence.svg)",
                    "](centrality.svg)", "](timeline.svg)", "PageRank", "Leetaru and Schrodt 2013",
                    "Bansal, Blum and Chawla 2004"):
        assert heading in md, heading


def test_markdown_busan_section(seed_report, seed_nx):
    dec = busan_decision(seed_nx)
    section = _sections((seed_report / "report.md").read_text(encoding="utf-8"))[dec["decision"]]
    rows = [line for line in section.splitlines() if line.startswith("| for ") or line.startswith("| against ")]
    for side, key in (("for", "marco-rubio"), ("for", "jamieson-greer"), ("for", "howard-lutnick"),
                      ("against", "jensen-huang")):
        row = next((r for r in rows if f"`{key}`" in r), None)
        assert row is not None, f"{key} missing from the table of {dec['decision']}"
        assert row.startswith(f"| {side} "), row
        label = seed_nx.nodes[key]["label"]
        quote = section.split(f"Evidence that {label} pushed {side} it (", 1)[1].split("\n\n", 1)[1]
        assert quote.startswith("> [`0"), f"no evidence quoted for {key}"
    assert "| against | Jensen Huang" in section and "lobbies the decider" in section


def test_markdown_h200_section(seed_report, seed_nx):
    dec = h200_decision(seed_nx)
    section = _sections((seed_report / "report.md").read_text(encoding="utf-8"))[dec["decision"]]
    assert "Conditions: revenue share 25 %" in section
    assert section.startswith("Trump allows H200 exports to China, 25 % of sales to the US (2025-12-08)")
    assert f"Reported in {dec['num_articles']} article(s)" in section
    for doc in dec["articles"]:
        assert re.search(rf"^- \[[^\n]+\]\(#s-[^)]+\)[^\n]* \(`{doc}`\)", section, flags=re.M), doc
    assert "25%" in section.split("What the articles say about the decision (", 1)[1]


def test_html_is_self_contained_and_has_no_script(seed_report):
    page = (seed_report / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "Content-Security-Policy" in page
    for attr in re.findall(r'\b(?:src|href)="([^"]*)"', page):
        assert attr.startswith("#"), attr[:60]          # links within the page only
    assert not re.search(r"\b(?:src|href)=[^\"]", page)
    assert len(re.findall(r"<svg ", page)) == 3 and "<img" not in page
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_html_escapes_article_text(hostile_report):
    page = (hostile_report / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&quot;&quot; &lt;img src=x onerror=alert(2)&gt; " \
           "&amp;amp; 注入" in page
    md = (hostile_report / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and r"\<script\>alert(1)\</script\>" in md


def test_markdown_escape_keeps_tables_whole():
    assert rp.md_escape("a|b\nc") == r"a\|b c"
    assert rp.md_escape("[x](javascript:1) *y* `z`") == r"\[x\](javascript:1) \*y\* \`z\`"
    assert rp.md_escape("&lt;") == r"\&lt;"


def test_cli_report_on_a_missing_graph(tmp_path):
    result = CliRunner().invoke(app, ["report", str(tmp_path / "nope.ttl"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert not (tmp_path / "r" / "report.html").exists()


def test_report_of_an_empty_graph(tmp_path):
    from rdflib import Graph
    paths = rp.write_report(an.to_networkx(Graph()), tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    assert "0 articles, 0 actors, 0 decisions" in page


# --------------------------------------------------------------------------
# In a browser

BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1300,2400", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium driven through chromedriver (the Debian packages; nothing downloaded)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.fail("chromium and chromedriver are needed: run `bash .ci/install-debian.sh`")
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in BROWSER_FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    opts.unhandled_prompt_behavior = "ignore"
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(driver, path: Path) -> tuple[bool, list[dict]]:
    """Load a page; return (an alert opened, console messages of level SEVERE)."""
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
    driver.get_log("browser")  # drop what earlier pages logged
    alerted = False
    try:
        driver.get(path.resolve().as_uri())
    except UnexpectedAlertPresentException:
        alerted = True
    try:
        driver.switch_to.alert.accept()
        alerted = True
    except NoAlertPresentException:
        pass
    return alerted, [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _colours(png: bytes) -> int:
    from PIL import Image
    img = Image.open(io.BytesIO(png)).convert("RGB")
    return len(img.getcolors(maxcolors=1 << 20) or [])


@pytest.mark.integration
def test_html_renders_in_chromium(browser, seed_report):
    alerted, errors = _open(browser, seed_report / "report.html")
    assert not alerted
    assert errors == [], errors
    figures = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure > svg')).map(s => "
        "[s.getAttribute('aria-label'), s.getBoundingClientRect().width, s.getBoundingClientRect().height]);")
    assert len(figures) == 3
    for label, width, height in figures:
        assert width > 100 and height > 100, (label, width, height)
    shot = browser.get_screenshot_as_png()
    (seed_report / "screenshot.png").write_bytes(shot)
    assert _colours(shot) > 64, "the page screenshot is (nearly) blank"
    from selenium.webdriver.common.by import By
    for img in browser.find_elements(By.CSS_SELECTOR, "figure > svg"):
        browser.execute_script("arguments[0].scrollIntoView();", img)
        assert _colours(img.screenshot_as_png) > 16, img.get_attribute("aria-label")
    text = browser.execute_script("return document.body.innerText;")
    assert "Influence on decisions" in text and "Jensen Huang" in text and "特朗普" in text


@pytest.mark.integration
def test_alert_detection_works(browser, tmp_path):
    """The check below would see a script that ran: an unescaped page does raise the alert."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>alert(1)</script></body></html>")
    alerted, _ = _open(browser, page)
    assert alerted


@pytest.mark.integration
def test_article_markup_shows_as_text_in_chromium(browser, hostile_report):
    alerted, errors = _open(browser, hostile_report / "report.html")
    assert not alerted, "a script from an article ran"
    assert errors == [], errors
    assert browser.execute_script("return document.getElementsByTagName('script').length;") == 0
    assert browser.execute_script("return document.querySelectorAll('[onerror]').length;") == 0
    assert browser.execute_script("return document.querySelectorAll('figure > svg').length;") == 3
    text = browser.execute_script("return document.body.innerText;")
    assert "<script>alert(1)</script>" in text
    assert '"""' in text and "<img src=x onerror=alert(2)>" in text and "&amp; 注入" in text
