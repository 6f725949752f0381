"""kg report on the seeds and ../shared/dev built together: what an analyst reads.

The H200 approval's section names the actors the gold gives for and against it, with
evidence; camps never hold two actors with opposite stances on a decision; every fact
links to a sentence whose offsets slice the original file to the quoted text; in headless
Chromium at 1400 px the page logs no error and no two SVG labels overlap or are cut.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.views import analyze as an
from kg.views import report as rp
from conftest import RAW, ROOT, SHARED
from test_analyze import h200_decision
from test_report import _open, _sections, browser  # noqa: F401  (browser: the Chromium fixture)

DEV = SHARED / "dev"
GOLD_DIRS = (SHARED / "gold", DEV / "gold")


@pytest.fixture(scope="module")
def dev_build(seed_build, tmp_path_factory) -> Path:
    """`kg build data/raw ../shared/dev/texts` once (the seeds' article cache reused)."""
    if not (DEV / "texts").is_dir():
        pytest.fail(f"{DEV / 'texts'} is not beside the repo")
    out = tmp_path_factory.mktemp("dev_build")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(RAW), str(DEV / "texts"), "--out", str(out),
                           "--update", "--cache", str(seed_build / ".kg-cache")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def dev_nx(dev_build):
    return an.load(dev_build / "graph.ttl")


@pytest.fixture(scope="module")
def dev_report(dev_nx, dev_build) -> Path:
    out = dev_build / "report"
    rp.write_report(dev_nx, out, source="graph.ttl")
    return out


def _gold_stances(decision: str) -> dict[str, str]:
    """actor -> for | against, as the gold of the seeds and the dev articles gives it."""
    out = {}
    for folder in GOLD_DIRS:
        for path in sorted(folder.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line) if line.strip() else {}
                if row.get("type") == "stance" and row.get("decision") == decision:
                    out[row["actor"]] = row["stance"]
    return out


def test_h200_section_names_the_gold_sides_with_evidence(dev_report, dev_nx):
    gold = _gold_stances("d-h200-open")
    assert {"for", "against"} <= set(gold.values()) and len(gold) >= 6, gold
    dec = h200_decision(dev_nx)
    section = _sections((dev_report / "report.md").read_text(encoding="utf-8"))[dec["decision"]]
    assert section.startswith("Trump allows H200 exports to China, 25 % of sales to the US (2025-12-08)")
    for actor, side in sorted(gold.items()):
        label = dev_nx.nodes[actor]["label"]
        assert re.search(rf"^\| {side} \| {re.escape(label)} \(`{actor}`\) \|", section, flags=re.M), \
            f"{actor} is not on the {side} side of {dec['decision']}"
        heads = [f"Evidence that {label} pushed {side} it (", f"{label} reacted, {side} it"]
        quotes = [section.split(h, 1)[1].split("\n\n", 2)[1] for h in heads if h in section]
        assert any(q.startswith("> [`") for q in quotes), f"no evidence quoted for {actor}"


def test_camps_never_hold_opposite_stances(dev_nx):
    result = an.analyse(dev_nx)
    camp = an.camp_of(result["camps"])
    pushed = an.pushes(dev_nx)
    assert sum(len(c["members"]) > 1 for c in result["camps"]) >= 3
    for d, sides in pushed.items():
        camps_for = {camp[a] for a in sides["for"]}
        camps_against = {camp[a] for a in sides["against"]}
        assert not camps_for & camps_against, (d, sides)
    for c in result["camps"]:
        assert c["name"].startswith("for ") and not re.search(r"\bcamp \d", c["name"]), c["name"]
        for d in c["for"] + c["against"]:
            decider = dev_nx.nodes[d]["decider"]
            # the camp pushed d through some member other than its decider
            assert set(c["members"]) & (set(pushed[d]["for"]) | set(pushed[d]["against"])) - {decider}
    # the hawks of the H20 and H200 decisions are one camp; Jensen Huang is in another
    assert camp["john-moolenaar"] == camp["elizabeth-warren"] != camp["jensen-huang"]
    assert len({c["name"] for c in result["camps"]}) == len(result["camps"])


class _Facts(HTMLParser):
    """The fact links of the report and the sentences in context they point to."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.sentences: dict[str, dict] = {}
        self._in_q: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "ctx" in (a.get("class") or "").split():
            self.links.append(a["href"])
        if tag == "li" and "cited" in (a.get("class") or "").split():
            self.sentences[a["id"]] = {"file": a["data-file"], "start": int(a["data-start"]),
                                       "end": int(a["data-end"]), "text": ""}
            self._current = a["id"]
        if tag == "q" and getattr(self, "_current", None):
            self._in_q = self.sentences[self._current]

    def handle_endtag(self, tag):
        if tag == "q":
            self._in_q, self._current = None, None

    def handle_data(self, data):
        if self._in_q is not None:
            self._in_q["text"] += data


def _original(name: str) -> str:
    from kg.ingest.decode import decode_report
    for folder in (RAW, DEV / "texts"):
        if (folder / name).exists():
            return decode_report((folder / name).read_bytes())[0]
    raise AssertionError(f"no source file {name}")


def test_every_fact_links_to_a_sentence_that_slices_the_original(dev_report):
    from kg.chinese import converter
    facts = _Facts()
    facts.feed((dev_report / "report.html").read_text(encoding="utf-8"))
    assert len(facts.links) > 200
    t2s = converter("t2s")
    for href in sorted(set(facts.links)):
        assert href.startswith("#") and href[1:] in facts.sentences, href
        s = facts.sentences[href[1:]]
        cut = _original(s["file"])[s["start"]:s["end"]]
        if s["file"].endswith(".html"):
            import html
            cut = html.unescape(re.sub(r"<[^>]*>", "", cut))
        assert t2s.convert(cut) == s["text"], (href, cut, s["text"])


def test_the_report_is_byte_identical_when_written_again(dev_nx, dev_report, tmp_path):
    again = rp.write_report(dev_nx, tmp_path, source="graph.ttl")
    for key in ("md", "html", "influence.svg", "timeline.svg"):
        assert again[key].read_bytes() == (dev_report / again[key].name).read_bytes(), key


# --------------------------------------------------------------------------
# In Chromium at 1400 px

LABELS_JS = """
return Array.from(document.querySelectorAll('figure > svg')).map(svg => {
  const box = svg.getBoundingClientRect();
  const texts = Array.from(svg.querySelectorAll('text')).map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left, r.top, r.right, r.bottom];
  });
  return [svg.getAttribute('aria-label'), [box.left, box.top, box.right, box.bottom], texts];
});
"""


@pytest.mark.integration
def test_report_in_chromium_at_1400px(browser, dev_report, dev_nx):
    browser.set_window_size(1400, 1800)
    alerted, errors = _open(browser, dev_report / "report.html")
    assert not alerted and errors == [], errors
    assert browser.execute_script("return document.getElementsByTagName('script').length;") == 0
    assert browser.execute_script("return document.documentElement.scrollWidth;") <= 1400
    figures = browser.execute_script(LABELS_JS)
    assert len(figures) == 3
    for name, (left, top, right, bottom), texts in figures:
        assert len(texts) > 10, name
        for text, l, t, r, b in texts:
            assert l >= left - 0.5 and r <= right + 0.5 and t >= top - 0.5 and b <= bottom + 0.5, \
                f"{name}: {text!r} is cut"
            assert "…" not in text, f"{name}: {text!r} is shortened"
        boxes = sorted(texts, key=lambda x: (x[2], x[1]))
        for i, (text, l, t, r, b) in enumerate(boxes):
            for other, l2, t2, r2, b2 in boxes[i + 1:]:
                if t2 >= b:
                    break
                assert r <= l2 + 0.5 or r2 <= l + 0.5 or b <= t2 + 0.5, f"{name}: {text!r} overlaps {other!r}"
    # every pusher's whole name is drawn (wrapped lines join without their space)
    drawn = re.sub(r"\s+", "", "".join(t for _, _, texts in figures for t, *_ in texts))
    for dec in an.influence(dev_nx):
        for en in dec["for"] + dec["against"]:
            assert re.sub(r"\s+", "", en["label"]) in drawn, en["label"]
    # screenshots to look at: the top of the page, and each figure
    browser.save_screenshot(str(dev_report / "screenshot-top.png"))
    from selenium.webdriver.common.by import By
    for i, svg in enumerate(browser.find_elements(By.CSS_SELECTOR, "figure > svg")):
        browser.execute_script("arguments[0].scrollIntoView();", svg)
        (dev_report / f"screenshot-figure-{i}.png").write_bytes(svg.screenshot_as_png)
    # a fact link lands on its sentence in context
    first = browser.find_element(By.CSS_SELECTOR, "li.fact a.ctx")
    target = first.get_attribute("href").rsplit("#", 1)[1]
    browser.get((dev_report / "report.html").resolve().as_uri() + "#" + target)
    assert browser.execute_script(f"return document.getElementById({json.dumps(target)}).matches(':target');")
