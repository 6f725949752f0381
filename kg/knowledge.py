"""The data files under ``ontology/``, read into a typed :class:`Knowledge`.

Knowledge lives in those files so that an analyst adds an actor or a trigger
word without touching Python. :func:`load` reads a folder into a Knowledge (each
part on first use, once); the stages are handed one (kg.pipeline keeps one per
folder and process). ``KG_ONTOLOGY`` names another folder for the command line.

The module functions ``catalog()``, ``clutter()``, ``name_rules()``, ``acts()`` and
``scoring_rules()`` read the Knowledge of :func:`ontology_dir` (:func:`default`):
the bridge for the code that is not handed one (the views' tables, rule functions
that are not handed extraction's Vocabulary).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from kg.chinese import converter

CLASSES = ("Person", "Company", "GovernmentBody", "Country", "Media", "Product")
SIDES = ("us", "cn", "other")
SCOPES = ("export", "import", "other")


class KnowledgeError(Exception):
    """A data file under ontology/ is malformed; the message names file and entry."""


def ontology_dir() -> Path:
    return Path(os.environ.get("KG_ONTOLOGY") or Path(__file__).resolve().parent.parent / "ontology")


#: libyaml's safe loader where PyYAML has it (several times faster than the pure-Python one)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(name: str, folder: Path | None = None):
    """The YAML file ``name`` of the ontology folder, parsed (KnowledgeError if missing or malformed)."""
    path = (folder or ontology_dir()) / name
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: missing") from None
    except yaml.YAMLError as e:
        raise KnowledgeError(f"{path}: not valid YAML: {e}") from None




def read_clutter(folder: Path) -> dict:
    """ontology/clutter.yaml compiled: end markers, dropped lines, the masthead, source lines."""
    raw = load_yaml("clutter.yaml", folder)
    try:
        return {
            "end_markers": [re.compile(p) for p in raw["end_markers"]],
            "drop_lines": [re.compile(p) for p in raw["drop_lines"]],
            "masthead": re.compile(raw["masthead"]),
            "source_lines": _source_lines(raw["source_lines"]),
        }
    except (KeyError, TypeError, ValueError, re.error) as e:
        raise KnowledgeError(f"{folder / 'clutter.yaml'}: {e}") from None


def _source_lines(raw: dict) -> dict:
    """The labels of source lines (clutter.yaml: source_lines) as one pattern each, in both scripts."""
    def pattern(labels: list[str]) -> re.Pattern:
        forms = {form for label in labels for form in (label, converter("s2t").convert(label))}
        alternatives = "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
        return re.compile(rf"(?:^|\s)(?:{alternatives})\s*[:\uff1a]\s*([^\s\u3000]+)")
    return {"head_lines": int(raw["head_lines"]), "url": pattern(raw["url_labels"]),
            "outlet": pattern(raw["outlet_labels"])}


@dataclass
class Entity:
    key: str
    cls: str
    labels: dict[str, str]            # language tag -> label
    aliases: list[str] = field(default_factory=list)
    nicknames: list[str] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    produced_by: str | None = None
    side: str | None = None           # us | cn | other: the side of the US–China table it sits on
    decides: list[str] = field(default_factory=list)   # decision scopes it can take (export, import, other)

    @property
    def label_zh(self) -> str:
        return self.labels.get("zh-Hans") or self.aliases[0]


@dataclass
class Catalog:
    entities: dict[str, Entity]
    surface: dict[str, str]                  # simplified surface form -> key (unambiguous)
    ambiguous: dict[str, list[str]]          # surface form -> candidate keys, default first
    titles: list[str]
    nicknames: set[str]
    blocked: set[str] = field(default_factory=set)   # forms that name no actor (苹果应用商店): matched, then ignored

    def all_forms(self) -> list[str]:
        """Every surface form the matcher looks for (for the segmenter's user dictionary too)."""
        return sorted(set(self.surface) | set(self.ambiguous) | set(self.titles) | self.blocked)


def _simplified_forms(text: str) -> set[str]:
    return {text, converter("t2s").convert(text)}


def read_catalog(folder: Path) -> Catalog:
    """ontology/catalog.yaml checked: keys, classes, sides, powers, forms (KnowledgeError names the entry)."""
    path = folder / "catalog.yaml"
    raw = load_yaml("catalog.yaml", folder) or {}
    entities: dict[str, Entity] = {}
    surface: dict[str, str] = {}
    nick: set[str] = set()
    for n, row in enumerate(raw.get("entities") or [], 1):
        key = row.get("key") if isinstance(row, dict) else None
        if not key or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(key)):
            raise KnowledgeError(f"{path}: entity #{n} has no valid key (lowercase letters, digits, hyphens)")
        if key in entities:
            raise KnowledgeError(f"{path}: key {key} appears twice")
        cls = row.get("class")
        if cls not in CLASSES:
            raise KnowledgeError(f"{path}: {key}: class {cls!r} is not one of {', '.join(CLASSES)}")
        labels = {k: str(v) for k, v in (row.get("label") or {}).items()}
        aliases = [str(a) for a in row.get("aliases") or []]
        nicknames = [str(a) for a in row.get("nicknames") or []]
        if labels.get("zh-Hans"):
            aliases.insert(0, labels["zh-Hans"])
        if not aliases:
            raise KnowledgeError(f"{path}: {key}: needs a zh-Hans label or at least one alias")
        side = str(row["side"]).strip().lower() if row.get("side") is not None else None
        if side is not None and str(side) not in SIDES:
            raise KnowledgeError(f"{path}: {key}: side {side!r} is not one of {', '.join(SIDES)}")
        decides = row.get("decides") or []
        if isinstance(decides, str):
            decides = [decides]
        bad = [d for d in decides if str(d) not in SCOPES]
        if bad:
            raise KnowledgeError(f"{path}: {key}: decides {bad!r}: scopes are {', '.join(SCOPES)}")
        ent = Entity(key, cls, labels, aliases, nicknames, list(row.get("posts") or []), row.get("produced_by"),
                     str(side) if side is not None else None, [str(d) for d in decides])
        entities[key] = ent
        forms = set()
        for a in aliases + nicknames + ([labels["zh-Hant"]] if labels.get("zh-Hant") else []):
            forms |= _simplified_forms(a)
        for form in forms:
            other = surface.get(form)
            if other and other != key:
                raise KnowledgeError(f"{path}: alias {form!r} names both {other} and {key}; "
                                     f"list it under 'ambiguous' instead")
            surface[form] = key
        for a in nicknames:
            nick |= _simplified_forms(a)
    ambiguous = {}
    for form, keys in (raw.get("ambiguous") or {}).items():
        keys = [str(k) for k in keys or []]
        for k in keys:
            if k not in entities:
                raise KnowledgeError(f"{path}: ambiguous {form!r}: unknown key {k}")
        for f in _simplified_forms(str(form)):
            surface.pop(f, None)
            ambiguous[f] = keys
    for ent in entities.values():
        for post in ent.posts:
            if post.get("org") and post["org"] not in entities:
                raise KnowledgeError(f"{path}: {ent.key}: post in unknown organisation {post['org']}")
        if ent.produced_by and ent.produced_by not in entities:
            raise KnowledgeError(f"{path}: {ent.key}: produced_by unknown key {ent.produced_by}")
    titles = sorted({t for title in raw.get("titles") or [] for t in _simplified_forms(str(title))},
                    key=lambda t: (-len(t), t))
    blocked = {f for form in raw.get("not_entities") or [] for f in _simplified_forms(str(form))}
    for form in blocked:
        if form in surface or form in ambiguous:
            raise KnowledgeError(f"{path}: not_entities {form!r} is also an alias of {surface.get(form) or ambiguous[form]}")
    return Catalog(entities, surface, ambiguous, titles, nick, blocked)


def read_names(folder: Path) -> dict:
    """Patterns for actors and products the catalog lacks (ontology/names.yaml)."""
    return load_yaml("names.yaml", folder) or {}


@dataclass(frozen=True)
class ActType:
    """One act of ontology/acts.yaml: its names in the contract and the ontology, and its signature."""
    name: str
    cls: str
    prop: str
    sign: int
    agent: frozenset
    target: frozenset
    symmetric: bool = False
    by_power: bool = False              # only someone who can decide does it

    def allows(self, agent_cls: str, target_cls: str) -> bool:
        return agent_cls in self.agent and target_cls in self.target


def read_acts(folder: Path) -> dict[str, ActType]:
    """The act vocabulary by contract name (lobbies, reports_to, …)."""
    path = folder / "acts.yaml"
    raw = load_yaml("acts.yaml", folder) or {}
    out: dict[str, ActType] = {}
    for row in raw.get("acts") or []:
        try:
            act = ActType(str(row["name"]), str(row["class"]), str(row["property"]), int(row["sign"]),
                          frozenset(row["agent"]), frozenset(row["target"]), bool(row.get("symmetric")),
                          bool(row.get("by_power")))
        except (KeyError, TypeError, ValueError) as e:
            raise KnowledgeError(f"{path}: act {row!r}: {e}") from None
        bad = (act.agent | act.target) - set(CLASSES)
        if bad:
            raise KnowledgeError(f"{path}: act {act.name}: unknown classes {sorted(bad)}")
        out[act.name] = act
    return out


def read_scoring(folder: Path) -> dict:
    """The facts contract's matching rules (ontology/scoring.yaml), for ``kg eval``."""
    raw = load_yaml("scoring.yaml", folder) or {}
    return {"same_as": {str(k): str(v) for k, v in (raw.get("same_as") or {}).items()},
            "unordered": {str(x) for x in raw.get("unordered") or []},
            "sides": {str(k): side for side, keys in (raw.get("sides") or {}).items() for k in keys}}


# --------------------------------------------------------------------------
# Knowledge: one folder read once


class Knowledge:
    """What ``ontology/`` (or another folder) says, typed; each part is read on first use.

    >>> k = load()
    >>> k.catalog.entities["mofcom"].side
    'cn'
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"Knowledge({str(self.folder)!r})"

    @cached_property
    def catalog(self) -> Catalog:
        """Actors and products, with their forms, sides and powers (catalog.yaml)."""
        return read_catalog(self.folder)

    @cached_property
    def names(self) -> dict:
        """How to find names the catalog lacks; pronouns and referring forms (names.yaml)."""
        return read_names(self.folder)

    @cached_property
    def clutter(self) -> dict:
        """Page furniture (clutter.yaml), compiled."""
        return read_clutter(self.folder)

    @cached_property
    def acts(self) -> dict[str, ActType]:
        """The act vocabulary by contract name (acts.yaml)."""
        return read_acts(self.folder)

    @cached_property
    def scoring(self) -> dict:
        """The facts contract's matching rules (scoring.yaml)."""
        return read_scoring(self.folder)

    def yaml(self, name: str):
        """Another data file of the folder, parsed (not kept)."""
        return load_yaml(name, self.folder)

    def derived(self, name: str, make):
        """What a stage builds from this Knowledge (its readers, compiled tables): ``make(self)``,
        once per Knowledge and name."""
        made = self.__dict__.setdefault("_derived", {})
        if name not in made:
            made[name] = make(self)
        return made[name]


def load(folder: Path | None = None) -> Knowledge:
    """The Knowledge of ``folder`` (default: :func:`ontology_dir`). A new one each call:
    whoever needs it once per process keeps it (kg.pipeline does)."""
    return Knowledge(folder or ontology_dir())


@lru_cache(maxsize=None)
def _of(folder: Path) -> Knowledge:
    return Knowledge(folder)


def default() -> Knowledge:
    """The Knowledge of :func:`ontology_dir`, one per folder and process: for the code that
    is not handed one (see the module doc)."""
    return _of(ontology_dir())


def catalog() -> Catalog:
    return default().catalog


def clutter() -> dict:
    return default().clutter


def name_rules() -> dict:
    return default().names


def acts() -> dict[str, ActType]:
    return default().acts


def scoring_rules() -> dict:
    return default().scoring
