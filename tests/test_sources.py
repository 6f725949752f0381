"""Where an article comes from: its source URL and outlet, read from the file and carried
into the graph (schema:url, kgo:outlet) without changing the text that is analysed."""
from __future__ import annotations

import json

from kg.ingest import build_article, read_file

BODY = "美国商务部宣布限制英伟达芯片出口。\n\n英伟达表示将遵守规定。"


def test_txt_url_and_source_lines():
    head = "URL: https://news.example.com/a/1.html\n2025年04月17日 22:06\u3000来源：新华网\n\n"
    art = build_article("t", "t.txt", head + BODY)
    assert art.url == "https://news.example.com/a/1.html"
    assert art.outlet == "新华网"
    assert art.text.endswith(build_article("b", "b.txt", BODY).text)   # the analysed text keeps its body


def test_source_line_with_a_url_is_the_url_not_the_outlet():
    art = build_article("t", "t.txt", "來源：https://www.example.com.hk/news/2\n\n" + BODY)
    assert art.url == "https://www.example.com.hk/news/2" and art.outlet is None


def test_source_words_inside_a_sentence_or_far_down_are_not_read():
    art = build_article("t", "t.txt", BODY + "\n（图片来源：视觉中国）\n" + "\n".join(["段落。"] * 20)
                        + "\n来源：后面的网\nURL: https://late.example.com/")
    assert art.url is None and art.outlet is None


def test_html_canonical_og_url_and_site_name():
    page = ('<html><head><link rel="canonical" href="https://www.hk01.com/即時國際/1/">'
            '<meta property="og:url" content="https://other.example/x">'
            '<meta property="og:site_name" content="香港01"></head>'
            f'<body><p>{BODY}</p></body></html>')
    art = build_article("h", "h.html", page, html_page=True)
    assert art.url == "https://www.hk01.com/即時國際/1/" and art.outlet == "香港01"
    og = build_article("h", "h.html", page.replace('rel="canonical"', 'rel="alternate"'), html_page=True)
    assert og.url == "https://other.example/x"
    relative = build_article("h", "h.html", page.replace("https://www.hk01.com/即時國際/1/", "/1/")
                             .replace('property="og:url"', 'property="og:x"'), html_page=True)
    assert relative.url is None          # a relative link names no page


def test_jsonl_url_wins_over_the_page(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "j", "url": "https://given.example/1",
                                "text": "URL: https://inside.example/2\n" + BODY}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    (art,) = read_file(path)
    assert art.url == "https://given.example/1"


def test_url_and_outlet_reach_the_graph():
    from kg.rdf.graph import add_article
    from kg.rdf.terms import Minter, TripleSink
    from kg.records import Analysis
    art = build_article("t", "t.txt", "URL: https://news.example.com/a/1\n来源：新华网\n\n" + BODY)
    g = TripleSink()
    add_article(g, Minter(), Analysis(article=art, tokens=[], sentences=[], mentions=[], pronouns=[],
                                      new_entities={}))
    text = g.ntriples().decode("utf-8")
    assert '<https://schema.org/url> "https://news.example.com/a/1"^^<http://www.w3.org/2001/XMLSchema#anyURI>' in text
    assert '<https://w3id.org/kg-chips/ontology#outlet> "新华网"' in text
