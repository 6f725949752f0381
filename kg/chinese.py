"""Chinese script conversion shared by the stages (OpenCC).

The lowest layer of the package: the knowledge loader (catalog surface forms),
ingest (Traditional articles) and evaluate (gold mentions) all convert with it,
so it imports nothing of kg.
"""
from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=None)
def converter(config: str) -> opencc.OpenCC:
    """The OpenCC converter for ``config`` ("t2s", "s2t" …), made once per process.

    Cached because building one reads OpenCC's dictionaries from disk (about a
    millisecond each time), and it is asked for every catalog form, every title
    and line of an article, every gold mention.
    """
    return opencc.OpenCC(config)
