"""Time of HTML text extraction (kg.ingest.html_to_lines) for pages of growing size.

    .venv/bin/python -m benchmarks.html_extraction [--sizes 100000,1000000,4000000]

Three pages of each size (in characters): one visible paragraph of that size (over
MAX_ARTICLE_CHARS of visible text, it is refused while it is parsed, the rest of the
page unread), dense markup (a div and a span around each letter), and an unclosed
comment full of '<' (the rest of the page is not read). Printed: seconds, and seconds
per MB, which stays flat while the time grows linearly with the page.
"""
from __future__ import annotations

import argparse
import time

from kg.ingest import IngestError, html_to_lines


def pages(size: int) -> dict[str, str]:
    head = "<html><body><p>黄仁勋游说特朗普。</p>"
    return {
        "visible text": head + "<p>" + "A" * size + "</p></body></html>",
        "markup": head + ('<div class="x"><span>a</span></div>' * (size // 36)) + "</body></html>",
        "unclosed comment": head + "<!--" + "<a" * (size // 2),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000,4000000")
    args = ap.parse_args(argv)
    print(f"{'page':<18}{'size':>10}{'seconds':>10}{'s per MB':>10}  result")
    for size in (int(s) for s in args.sizes.split(",")):
        for name, page in pages(size).items():
            t = time.perf_counter()
            try:
                body, _, _ = html_to_lines(page, [])
                what = f"{len(body.text):,} characters"
            except IngestError as e:
                what = str(e)
            s = time.perf_counter() - t
            print(f"{name:<18}{len(page):>10,}{s:>10.3f}{s / (len(page) / 1e6):>10.3f}  {what}")


if __name__ == "__main__":
    main()
