"""Stage 1: decoding, page clutter, title and date, Traditional → Simplified with offsets."""
from pathlib import Path

import pytest

from kg.ingest import IngestError, build_article, decode, read_file

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEEDS = {p.stem: p for p in RAW.glob("*.txt")}


def seed(prefix):
    path = next(p for stem, p in SEEDS.items() if stem.startswith(prefix))
    return next(read_file(path))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "big5", "utf-16"])
def test_decode_detects_chinese_encodings(encoding):
    text = "英伟达首席执行官黄仁勋游说特朗普,希望放宽对华芯片出口。" if encoding != "big5" else \
        "輝達執行長黃仁勳遊說川普,希望放寬對華晶片出口。"
    decoded, found = decode(text.encode(encoding))
    assert decoded == text
    assert found.replace("-", "").lower().startswith(encoding.replace("-", "")[:4]) or encoding == "gbk"


@pytest.mark.parametrize("prefix,gone", [
    ("000", ["相关推荐", "石破茂", "斯塔默", "特别声明", "网易首页", "分享至", "桑启红原"]),
    ("001", ["展开阅读全文", "标签", "推荐阅读", "闽ICP备"]),
    ("002", ["参考资料", "光明网", "新浪财经", "更新时间"]),
    ("003", ["DC娱乐网"]),
    ("004", ["参考", "观察者网", "特别声明", "![]()", "文/编辑"]),
])
def test_clutter_is_stripped_from_every_seed(prefix, gone):
    art = seed(prefix)
    for text in gone:
        assert text not in art.text, f"{text!r} left in {art.doc_id}"


@pytest.mark.parametrize("prefix,title_start,date,source", [
    ("000", "黄仁勋游说失败", "2025-11-14", "latest-on-page"),
    ("001", "果然不出中方所料", "2025-09-18", "label"),
    ("002", "中企收到通知", "2025-09-23", "label"),
    ("003", "美国被中国再度拒绝了", "2025-12-08", "latest-on-page"),
    ("004", "", "2025-12-09", "latest-on-page"),
])
def test_title_and_date(prefix, title_start, date, source):
    art = seed(prefix)
    assert art.title.startswith(title_start)
    assert (art.date, art.date_source) == (date, source)


def test_body_keeps_the_last_paragraph_before_the_notice():
    assert seed("000").text.endswith("最终将反噬自身、损人害己。")
    assert seed("004").text.endswith("相信国产芯片的成熟也只是时间问题。")


def test_traditional_is_simplified_with_an_offset_map():
    art = seed("004")
    assert art.traditional
    assert "英伟达首席执行官黄仁勋" in art.text
    i = art.text.index("英伟达首席执行官黄仁勋")
    start, end = art.original_span(i, i + len("英伟达首席执行官黄仁勋"))
    assert art.original[start:end] == "英偉達首席執行官黃仁勛"


def test_offsets_survive_a_conversion_that_changes_length():
    # OpenCC t2s turns some phrases into strings of another length; the map must still slice.
    art = build_article("x", "x.txt", "標題\n\n乾隆皇帝與著名的蘋果公司,一起討論晶片出口。")
    for i, ch in enumerate(art.text):
        s, e = art.original_span(i, i + 1)
        assert 0 <= s <= e <= len(art.original)


def test_html_page_keeps_article_and_drops_scripts_and_navigation():
    page = """<!doctype html><html><head><title>商务部回应</title>
    <meta property="article:published_time" content="2025-10-09T08:00:00+08:00">
    <script>var x = "特朗普";</script><style>p{color:red}</style></head>
    <body><nav>首页 &gt; 新闻</nav><h1>商务部回应芯片管制</h1>
    <p>中国商务部&amp;发言人何亚东表示,美方应停止打压。</p>
    <footer>版权所有</footer></body></html>"""
    art = build_article("h", "h.html", page, html_page=True)
    assert "中国商务部&发言人何亚东表示" in art.text
    assert "var x" not in art.text and "首页" not in art.text and "版权" not in art.text
    assert art.date == "2025-10-09"
    i = art.text.index("何亚东")
    s, e = art.original_span(i, i + 3)
    assert art.original[s:e] == "何亚东"


def test_jsonl_records_become_articles(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text('{"id": "a1", "title": "标题", "text": "英伟达宣布新芯片。", "date": "2025-08-01"}\n'
                 '{"text": "华为发布昇腾芯片。"}\n', encoding="utf-8")
    arts = list(read_file(f))
    assert [a.doc_id for a in arts] == ["a1", "feed-2"]
    assert arts[0].date == "2025-08-01" and arts[0].title == "标题"


def test_a_time_stamp_line_is_not_the_title():
    a = build_article("t", "t.txt", "路透中文网\n科技 | 2025年12月9日 星期二 08:41 BJT\n\n"
                      "特朗普放行英伟达H200对华出口\n\n美国总统特朗普周一表示，将允许英伟达出售H200芯片。")
    assert a.title == "特朗普放行英伟达H200对华出口" and a.date == "2025-12-09"


def test_a_byline_date_after_the_menus_dates_the_page_not_a_date_in_the_body(tmp_path):
    menus = "".join(f"<li>{w}</li>" for w in ["即时", "财经", "股市", "科技", "两岸", "国际", "观点", "生活"] * 2)
    page = (f"<html><body><ul>{menus}</ul><h1>稀土管制暂停一年</h1><div>工商时报 吴瑞达 / 2025.11.08 05:10</div>"
            "<p>大陆商务部7日发布公告，宣布暂停实施10月9日公布的多项稀土相关出口管制措施，暂停期为一年，"
            "至2026年11月10日止。这是会谈后北京兑现承诺的具体动作。</p></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    assert [a.date for a in read_file(tmp_path / "p.html")] == ["2025-11-08"]
