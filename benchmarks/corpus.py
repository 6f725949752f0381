"""A synthetic corpus for the benchmarks, made at run time from the seed articles.

The sentences of the cleaned seed articles (``data/raw``, read with
:mod:`kg.ingest`) are recombined, with a seeded random generator, into
articles of a title line and 10–30 sentences in paragraphs of 1–5. The same
``(n, seed)`` gives the same files byte for byte; no two files are identical.
Nothing is committed: the files go to a folder the caller names (a temporary
one by default).

    python -m benchmarks.corpus 1000 /tmp/corpus1k
"""
from __future__ import annotations

import hashlib
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.ingest import find_inputs, read_file

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "raw"

#: a sentence: text up to 。!? (full or half width) or …, with any closing quotes after it
_SENTENCE = re.compile(r"[^。!?!?…\n]*(?:[。!?!?]+|…+)[”’」』)】》\"']*")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Pool:
    titles: list[str]
    sentences: list[str]


def sentence_pool(seeds: Path = SEEDS) -> Pool:
    """Titles and sentences of the cleaned seed articles (in file order, duplicates dropped)."""
    titles, sentences, seen = [], [], set()
    for path in find_inputs([seeds]):
        for art in read_file(path):
            if art.title:
                titles.append(art.title.strip())
            body = art.text[len(art.title):] if art.title and art.text.startswith(art.title) else art.text
            for line in body.splitlines():
                for m in _SENTENCE.finditer(line):
                    s = m.group().strip()
                    if len(s) >= 6 and _HAN.search(s) and s not in seen:
                        seen.add(s)
                        sentences.append(s)
    if not sentences:
        raise SystemExit(f"no sentences found in {seeds}")
    return Pool(titles, sentences)


def article(rng: random.Random, pool: Pool, i: int) -> str:
    """One article: a title line, a blank line, then 10–30 sentences in paragraphs."""
    k = rng.randint(10, 30)
    body = rng.sample(pool.sentences, min(k, len(pool.sentences)))
    # a title: a seed title, or the opening clause of one of the article's sentences
    if pool.titles and rng.random() < 0.5:
        title = rng.choice(pool.titles)
    else:
        clause = re.split(r"[,,;;:。!?!?]", body[0])[0]
        title = clause[:40] if len(clause) >= 6 else body[0].rstrip("。!?!?”’")[:40]
    paragraphs, j = [], 0
    while j < len(body):
        n = rng.randint(1, 5)
        paragraphs.append("".join(body[j:j + n]))
        j += n
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def generate(n: int, folder: Path | None = None, seed: int = 0, pool: Pool | None = None) -> Path:
    """Write ``n`` articles ``bench-00000.txt`` … into ``folder`` (a new temporary folder if None)."""
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix=f"kg-bench-{n}-"))
    folder.mkdir(parents=True, exist_ok=True)
    pool = pool or sentence_pool()
    rng = random.Random(seed)
    digests: set[bytes] = set()
    width = max(5, len(str(n - 1)))
    for i in range(n):
        while True:
            data = article(rng, pool, i).encode("utf-8")
            digest = hashlib.sha256(data).digest()
            if digest not in digests:
                digests.add(digest)
                break
        (folder / f"bench-{i:0{width}d}.txt").write_bytes(data)
    return folder


def main(argv: list[str]) -> None:
    if not argv or len(argv) > 3:
        raise SystemExit("usage: python -m benchmarks.corpus N [FOLDER] [SEED]")
    n = int(argv[0])
    folder = generate(n, Path(argv[1]) if len(argv) > 1 else None, int(argv[2]) if len(argv) > 2 else 0)
    print(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
