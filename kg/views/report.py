"""Stage 6 — report: the analyses as Markdown and a self-contained HTML page, with pictures.

``write_report(G, out)`` writes

* ``report.md`` (pictures beside it as SVG files),
* ``report.html``: one file, no scripts, no external URLs; the pictures are
  inline ``data:`` images and every string from an article is escaped,
* ``network.graphml`` and ``network.gexf`` for Gephi (the whole typed, signed
  graph of :func:`kg.analyze.to_networkx`).

Both documents are rendered from one list of blocks (heading, paragraph,
list, table, image), so they always say the same thing.
"""
from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import networkx as nx

from kg.views import analyze as an
from kg.views import network_files
from kg.rdf.io import write_atomic
from kg.ingest import md_code, md_escape   # (with one_line: text shown to people, escaped)

# --------------------------------------------------------------------------
# A tiny document model


@dataclass
class Code:
    """Inline code (keys, document ids)."""
    text: str



@dataclass
class Heading:
    level: int
    text: object
    anchor: str = ""


@dataclass
class Para:
    parts: object


@dataclass
class Bullets:
    items: list


@dataclass
class Table:
    headers: list
    rows: list
    css: str = ""


@dataclass
class Image:
    name: str
    alt: str
    svg: bytes


@dataclass
class Quote:
    """Evidence sentences: (source, text) pairs."""
    items: list = field(default_factory=list)


def _parts(inline) -> list:
    if isinstance(inline, (list, tuple)):
        return list(inline)
    return [inline]


# ---- Markdown

def _md_inline(inline, table: bool = False) -> str:
    return "".join(md_code(p.text, table) if isinstance(p, Code) else md_escape(p) for p in _parts(inline))


def to_markdown(blocks: list) -> str:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines += ["#" * b.level + " " + _md_inline(b.text), ""]
        elif isinstance(b, Para):
            lines += [_md_inline(b.parts), ""]
        elif isinstance(b, Bullets):
            lines += ["- " + _md_inline(i) for i in b.items] + [""]
        elif isinstance(b, Table):
            lines.append("| " + " | ".join(_md_inline(h, True) for h in b.headers) + " |")
            lines.append("|" + "|".join("---" for _ in b.headers) + "|")
            lines += ["| " + " | ".join(_md_inline(c, True) for c in row) + " |" for row in b.rows]
            lines.append("")
        elif isinstance(b, Image):
            lines += [f"![{md_escape(b.alt)}]({b.name})", ""]
        elif isinstance(b, Quote):
            lines += [f"> {_md_inline(src)}: {md_escape(text)}  " for src, text in b.items] + [""]
    return "\n".join(lines).rstrip() + "\n"


# ---- HTML

def esc(text) -> str:
    return html.escape(str(text), quote=True)


def _html_inline(inline) -> str:
    return "".join(f"<code>{esc(p.text)}</code>" if isinstance(p, Code) else esc(p) for p in _parts(inline))


CSS = """
body{font-family:"Liberation Sans","WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif;margin:2em auto;
     max-width:1200px;padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444}h2{border-bottom:1px solid #bbb;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f0f0f0}tr.for td:first-child{color:#1a7f37;font-weight:bold}
tr.against td:first-child{color:#c62828;font-weight:bold}
blockquote{margin:.3em 0 1em 0;padding:.2em .8em;border-left:4px solid #ddd;color:#333;font-size:.92em}
blockquote p{margin:.25em 0}code{background:#f4f4f4;padding:0 .2em}
img{max-width:100%;height:auto;border:1px solid #eee;margin:.5em 0}
"""

# No script may run, no resource may load from anywhere but the page itself.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def to_html(blocks: list, title: str) -> str:
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f' id="{esc(b.anchor)}"' if b.anchor else ""
            body.append(f"<h{b.level}{anchor}>{_html_inline(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            body.append(f"<p>{_html_inline(b.parts)}</p>")
        elif isinstance(b, Bullets):
            body.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{_html_inline(h)}</th>" for h in b.headers)
            rows = []
            for row in b.rows:
                css = ""
                if b.css == "sides" and row and isinstance(row[0], str) and row[0] in ("for", "against"):
                    css = f' class="{esc(row[0])}"'
                rows.append(f"<tr{css}>" + "".join(f"<td>{_html_inline(c)}</td>" for c in row) + "</tr>")
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif isinstance(b, Image):
            data = base64.b64encode(b.svg).decode("ascii")
            body.append(f'<figure><img alt="{esc(b.alt)}" src="data:image/svg+xml;base64,{data}">'
                        f"<figcaption>{esc(b.alt)}</figcaption></figure>")
        elif isinstance(b, Quote):
            body.append("<blockquote>" + "".join(f"<p>{_html_inline(src)}: {esc(text)}</p>"
                                                 for src, text in b.items) + "</blockquote>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


# --------------------------------------------------------------------------
# Pictures (matplotlib, Agg, SVG with text as paths: no fonts needed to view them)

def _pyplot():
    # local: matplotlib takes most of a second to import; only reports with pictures need it
    import matplotlib
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    plt.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "kg", "text.parse_math": False,
                         "font.family": "DejaVu Sans"})
    return plt


def _svg(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt  # local: see _pyplot
    plt.close(fig)
    return buf.getvalue()


CAMP_COLOURS = ["#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
EDGE_STYLE = {"supports": ("#1a7f37", "solid"), "opposes": ("#c62828", "solid"),
              "decides": ("#222222", "dashed")}


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _layout(H: nx.MultiDiGraph, G: nx.MultiDiGraph) -> dict:
    """Kamada–Kawai per connected component (those with a decision in them), the
    largest on the left and the others stacked to its right, each scaled by its size."""
    simple = nx.Graph(H.to_undirected())
    comps = [c for c in nx.connected_components(simple)
             if any(G.nodes[n].get("kind") == "decision" for n in c)]
    comps.sort(key=lambda c: (-len(c), sorted(c)))
    pos: dict = {}
    if not comps:
        return pos
    big = len(comps[0])
    y = 1.0
    for i, comp in enumerate(comps):
        sub = simple.subgraph(comp)
        local = nx.kamada_kawai_layout(sub, weight=None) if len(comp) > 2 else \
            {n: (j * 0.6 - 0.3, 0.0) for j, n in enumerate(sorted(comp))}
        scale = (len(comp) / big) ** 0.5
        if i == 0:
            pos.update({n: (x * 1.0, yy * 1.0) for n, (x, yy) in local.items()})
        else:
            h = max(scale, 0.25)
            pos.update({n: (1.55 + x * scale * 0.5, y - h / 2 + yy * scale * 0.5) for n, (x, yy) in local.items()})
            y -= h + 0.1
    return pos


def network_figure(G: nx.MultiDiGraph, camps: list[dict], scores: dict) -> bytes:
    """The actors (coloured by camp, sized by PageRank) with the decisions (squares):
    green = supports, red = opposes, dashed = decides, grey = acts between actors."""
    plt = _pyplot()
    H = nx.MultiDiGraph()
    for u, v, k, e in G.edges(keys=True, data=True):
        kinds = (G.nodes[u].get("kind"), G.nodes[v].get("kind"))
        if kinds == ("actor", "actor") or kinds == ("actor", "decision"):
            H.add_edge(u, v, key=k, **e)
    fig, ax = plt.subplots(figsize=(16, 11))
    ax.set_axis_off()
    if len(H) == 0:
        ax.text(0.5, 0.5, "no actors or decisions in this graph", ha="center")
        return _svg(fig)
    pos = _layout(H, G)
    H = H.subgraph(pos).copy()
    camp = an.camp_of(camps)
    pr = scores.get("pagerank", {})
    top_pr = max(pr.values(), default=0) or 1
    for rel in ("act", "supports", "opposes", "decides"):
        edges = [(u, v) for u, v, k, e in H.edges(keys=True, data=True)
                 if (e["type"] == "act" if rel == "act" else k == rel)]
        if not edges:
            continue
        colour, style = EDGE_STYLE.get(rel, ("#9a9a9a", "solid"))
        widths = [min(1 + H.get_edge_data(u, v)[next(iter(H.get_edge_data(u, v)))]["weight"] * 0.6, 5)
                  for u, v in edges]
        nx.draw_networkx_edges(H, pos, edgelist=edges, ax=ax, edge_color=colour, style=style, width=widths,
                               arrows=True, arrowsize=12, alpha=0.75, node_size=500,
                               connectionstyle="arc3,rad=0.08")
    acts = [n for n in H if G.nodes[n].get("kind") == "actor"]
    decs = [n for n in H if G.nodes[n].get("kind") == "decision"]
    nx.draw_networkx_nodes(H, pos, nodelist=acts, ax=ax, node_shape="o",
                           node_size=[250 + 2200 * pr.get(n, 0) / top_pr for n in acts],
                           node_color=[CAMP_COLOURS[camp[n] % len(CAMP_COLOURS)] if n in camp else "#cccccc"
                                       for n in acts], edgecolors="#333333", linewidths=0.8)
    nx.draw_networkx_nodes(H, pos, nodelist=decs, ax=ax, node_shape="s", node_size=420,
                           node_color=["#c8e6c9" if G.nodes[d].get("direction") == "open" else "#ffcdd2"
                                       for d in decs], edgecolors="#333333", linewidths=0.8)
    labels = {n: _short(G.nodes[n]["label"], 40 if G.nodes[n].get("kind") == "decision" else 28) for n in H}
    nx.draw_networkx_labels(H, pos, labels=labels, ax=ax, font_size=8,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    from matplotlib.lines import Line2D  # local: see _pyplot
    legend = [Line2D([0], [0], color="#1a7f37", lw=2, label="supports decision"),
              Line2D([0], [0], color="#c62828", lw=2, label="opposes decision"),
              Line2D([0], [0], color="#222222", lw=1.5, ls="--", label="decides"),
              Line2D([0], [0], color="#9a9a9a", lw=1.5, label="act (lobbies, advises, criticizes, …)"),
              Line2D([0], [0], marker="s", color="w", markerfacecolor="#c8e6c9", markeredgecolor="#333",
                     markersize=10, label="decision: open"),
              Line2D([0], [0], marker="s", color="w", markerfacecolor="#ffcdd2", markeredgecolor="#333",
                     markersize=10, label="decision: close")]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=True)
    ax.set_title("Actors and decisions (actor colour = camp, size = PageRank)")
    return _svg(fig)


MEASURE_TITLES = {"degree": "Degree (evidence-weighted)", "pagerank": "PageRank",
                  "betweenness": "Betweenness", "hubs": "HITS hubs", "authorities": "HITS authorities"}


def centrality_figure(G: nx.MultiDiGraph, top: dict) -> bytes:
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(an.MEASURES), figsize=(17, 4.8))
    for ax, m in zip(axes, an.MEASURES):
        rows = list(reversed(top.get(m, [])))
        ax.barh([_short(G.nodes[k]["label"], 22) for k, _ in rows], [v for _, v in rows], color="#4e79a7")
        ax.set_title(MEASURE_TITLES[m], fontsize=10)
        ax.tick_params(labelsize=8)
        if not rows:
            ax.text(0.5, 0.5, "all zero", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    return _svg(fig)


def _as_date(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def timeline_figure(rows: list[dict]) -> bytes:
    """Decisions over time: filled = dated by the articles, hollow = placed at the first
    report; size = number of articles; green = opens, red = closes."""
    plt = _pyplot()
    placed = [(r, _as_date(r["when"])) for r in rows]
    placed = [(r, d) for r, d in placed if d]
    fig, ax = plt.subplots(figsize=(13, 0.9 + 0.42 * max(len(placed), 1)))
    if not placed:
        ax.text(0.5, 0.5, "no dated decisions", ha="center")
        ax.set_axis_off()
        return _svg(fig)
    for i, (r, d) in enumerate(placed):
        colour = "#1a7f37" if r["direction"] == "open" else "#c62828"
        size = 60 + 90 * r["num_articles"]
        ax.scatter([d], [i], s=size, color=colour if r["dated"] else "white", edgecolors=colour, linewidths=2,
                   zorder=3)
        ax.annotate(f"{r['num_articles']} art.", (d, i), xytext=(10, 0), textcoords="offset points",
                    fontsize=8, va="center")
    ax.set_yticks(range(len(placed)))
    ax.set_yticklabels([_short(r["label"], 45) for r, _ in placed], fontsize=8)
    ax.grid(axis="x", color="#e6e6e6")
    ax.invert_yaxis()
    ax.set_title("Decision timeline (filled: dated in the text; hollow: date of first report; "
                 "size: articles; green opens, red closes)", fontsize=10)
    lo = min(d for _, d in placed)
    hi = max(d for _, d in placed)
    pad = max((hi - lo) / 12, timedelta(days=20))
    ax.set_xlim(lo - pad, hi + pad * 2)
    fig.autofmt_xdate()
    return _svg(fig)


# --------------------------------------------------------------------------
# The report


def _pct(share: float | None) -> str:
    if share is None:
        return ""
    return f"{share * 100:g}%"


def _evidence_items(G, evidence: list[dict]) -> list:
    arts = G.graph.get("articles", {})
    items = []
    for e in evidence:
        date_ = arts.get(e["doc"], {}).get("date", "")
        items.append(([Code(f"{e['doc']}#{e['sentence']}")] + ([f" ({date_})"] if date_ else []), e["text"]))
    return items


def _article_line(a: dict) -> list:
    parts = [Code(a["doc"])]
    if a.get("date"):
        parts.append(f" {a['date']}")
    if a.get("headline"):
        parts.append(f" — {a['headline']}")
    return parts


def decision_blocks(G: nx.MultiDiGraph, dec: dict) -> list:
    """One decision: what, who decided, conditions, the articles, who pushed which way."""
    arts = G.graph.get("articles", {})
    blocks: list = [Heading(3, [dec["label"], " — ", Code(dec["decision"])], anchor=dec["decision"])]
    facts = [["Decider: ", dec["decider_label"], " (", Code(dec["decider"]), ")"],
             f"Scope: {dec['scope']}; direction: {dec['direction']}"]
    if dec["products"]:
        facts.append("Products: " + ", ".join(G.nodes[p]["label"] for p in dec["products"]))
    facts.append(f"Date: {dec['date']}" if dec["date"] else "Date: not given in the articles")
    if dec["revenue_share"] is not None:
        facts.append(f"Conditions: revenue share {_pct(dec['revenue_share'])} paid to the government")
    facts.append(f"Reported in {dec['num_articles']} article(s), {dec['num_mentions']} mention(s)")
    blocks.append(Bullets(facts))
    if dec["articles"]:
        blocks.append(Para("Articles that report it:"))
        items = []
        for doc in dec["articles"]:
            a = arts.get(doc, {"doc": doc})
            rep = next((r for r in dec["reports"] if r["doc"] == doc), None)
            line = _article_line(a)
            if rep:
                extra = []
                if rep.get("date"):
                    extra.append(f"dates it {rep['date']}")
                if rep.get("revenue_share") is not None:
                    extra.append(f"revenue share {_pct(rep['revenue_share'])}")
                if rep.get("background"):
                    extra.append("mentions it in passing")
                if extra:
                    line = line + [" (" + "; ".join(extra) + ")"]
            items.append(line)
        blocks.append(Bullets(items))
    reports_ev = [e for r in dec["reports"] for e in r["evidence"]]
    if reports_ev:
        blocks.append(Para("What the articles say about the decision:"))
        blocks.append(Quote(_evidence_items(G, reports_ev)))
    pushed = dec["for"] + dec["against"]
    if pushed:
        blocks.append(Para(f"Who pushed it (the side that prevailed: {dec['prevailed']}):"))
        rows = [[en["side"], [en["label"], " (", Code(en["actor"]), ")"], "; ".join(en["how"]),
                 str(en["evidence_count"]), str(len(en["articles"])), "yes" if en["prevailed"] else "no"]
                for en in pushed]
        blocks.append(Table(["Side", "Actor", "How", "Evidence", "Articles", "Prevailed"], rows, css="sides"))
        for en in pushed:
            blocks.append(Para([f"Evidence that {en['label']} pushed {en['side']} it:"]))
            blocks.append(Quote(_evidence_items(G, en["evidence"])))
    else:
        blocks.append(Para("No actor is recorded pushing for or against it."))
    if dec["contacts"]:
        blocks.append(Para("Also lobbied or advised the decider in these articles (direction not stated):"))
        blocks.append(Table(["Actor", "How", "Evidence"],
                            [[[en["label"], " (", Code(en["actor"]), ")"], "; ".join(en["how"]),
                              str(en["evidence_count"])] for en in dec["contacts"]]))
        for en in dec["contacts"]:
            blocks.append(Quote(_evidence_items(G, en["evidence"])))
    return blocks


def build_blocks(G: nx.MultiDiGraph, result: dict, source: str = "") -> tuple[list, dict[str, bytes]]:
    """The report as blocks, and its pictures (file name → SVG)."""
    pictures = {"network.svg": network_figure(G, result["camps"], result["centrality"]),
                "centrality.svg": centrality_figure(G, result["top"]),
                "timeline.svg": timeline_figure(result["timeline"])}
    arts = G.graph.get("articles", {})
    n_actors = len(an.actors(G))
    n_decisions = len(an.decisions(G))
    n_stances = sum(1 for *_, t in G.edges(data="type") if t == "stance")
    n_acts = sum(1 for *_, t in G.edges(data="type") if t == "act")
    blocks: list = [Heading(1, "Who influenced which chip export decision")]
    intro = [f"{len(arts)} articles, {n_actors} actors, {n_decisions} decisions, "
             f"{n_stances} actor–decision stances, {n_acts} kinds of act between entities"]
    if source:
        intro += [" (from ", Code(source), ")"]
    blocks.append(Para(intro + ["."]))
    blocks.append(Para("Every claim below cites the sentence it rests on as document#sentence. "
                       "Evidence counts are distinct sentences. Exports for Gephi: "
                       "network.graphml, network.gexf."))
    blocks.append(Image("network.svg", "The actor network with decision nodes", pictures["network.svg"]))

    blocks.append(Heading(2, "Influence on decisions", anchor="influence"))
    blocks.append(Para("For each decision (in time order): the actors who pushed for it and against it, "
                       "ranked by evidence, with how they pushed (a stance of their own, or lobbying or "
                       "advising the decider) and whether their side prevailed. A decision reported as "
                       "made is the for side's win."))
    blocks.append(Table(["Date", "Decision", "Key", "For", "Against", "Articles"],
                        [[dec["date"] or "—", dec["label"], Code(dec["decision"]),
                          ", ".join(e["label"] for e in dec["for"]) or "—",
                          ", ".join(e["label"] for e in dec["against"]) or "—", str(dec["num_articles"])]
                         for dec in result["influence"]]))
    for dec in result["influence"]:
        blocks += decision_blocks(G, dec)

    blocks.append(Heading(2, "Centrality of actors", anchor="centrality"))
    blocks.append(Para("On the actor graph: an edge u→v sums the evidence of u's acts on v and of u's "
                       "stances on decisions v took. Degree is evidence-weighted; PageRank (Page et al. "
                       "1999) and HITS (Kleinberg 1999) use evidence as weight; betweenness (Brandes 2001) "
                       "uses 1/evidence as distance."))
    blocks.append(Image("centrality.svg", "Top actors per centrality measure", pictures["centrality.svg"]))
    top_rows = []
    for m in an.MEASURES:
        top_rows.append([MEASURE_TITLES[m], ", ".join(f"{G.nodes[k]['label']} ({v:.3g})"
                                                      for k, v in result["top"][m][:5]) or "—"])
    blocks.append(Table(["Measure", "Top actors"], top_rows))
    blocks.append(Table(["Actor", "Degree", "PageRank", "Betweenness", "Hub", "Authority"],
                        [[[r["label"], " (", Code(r["actor"]), ")"], f"{r['degree']:g}", f"{r['pagerank']:.3f}",
                          f"{r['betweenness']:.3f}", f"{r['hubs']:.3f}", f"{r['authorities']:.3f}"]
                         for r in result["centrality_table"]]))

    blocks.append(Heading(2, "Camps", anchor="camps"))
    blocks.append(Para("Communities (Louvain, Blondel et al. 2008) of the cooperation graph: actors tied "
                       "by taking the same side of a decision (a decider is for its own decision) or by "
                       "advising, reporting to or belonging to one another."))
    if result["camps"]:
        rows = []
        for i, c in enumerate(result["camps"], 1):
            rows.append([str(i), ", ".join(c["labels"]),
                         ", ".join(G.nodes[d]["label"] for d in c["for"]) or "—",
                         ", ".join(G.nodes[d]["label"] for d in c["against"]) or "—"])
        blocks.append(Table(["Camp", "Members", "Pushed for", "Pushed against"], rows))
    else:
        blocks.append(Para("No two actors push the same way in this graph."))
    if result["conflicts"]:
        blocks.append(Para("Actors on opposite sides of a decision:"))
        blocks.append(Table(["Actor", "Actor", "Evidence"],
                            [[G.nodes[u]["label"], G.nodes[v]["label"], str(w)]
                             for (u, v), w in sorted(result["conflicts"].items(), key=lambda kv: (-kv[1], kv[0]))]))

    blocks.append(Heading(2, "Timeline of decisions", anchor="timeline"))
    blocks.append(Image("timeline.svg", "Decision timeline", pictures["timeline.svg"]))
    blocks.append(Table(["Date", "Decision", "Key", "Conditions", "Articles", "Mentions", "Reported in"],
                        [[(t["date"] or f"(first reported {t['first_reported'] or '?'})"), t["label"],
                          Code(t["decision"]),
                          f"revenue share {_pct(t['revenue_share'])}" if t["revenue_share"] is not None else "",
                          str(t["num_articles"]), str(t["num_mentions"]),
                          ", ".join(f"{a['doc']} ({a['date']})" if a["date"] else a["doc"]
                                    for a in t["articles"])]
                         for t in result["timeline"]]))

    blocks.append(Heading(2, "Articles", anchor="articles"))
    blocks.append(Bullets([_article_line(a) for _, a in sorted(arts.items())]))
    return blocks, pictures


def write_report(G: nx.MultiDiGraph, out: Path, source: str = "", top: int = 10) -> dict[str, Path]:
    """Write report.md, report.html, the pictures, network.graphml and network.gexf into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = an.analyse(G, top=top)
    blocks, pictures = build_blocks(G, result, source)
    paths = {"md": out / "report.md", "html": out / "report.html",
             "graphml": out / "network.graphml", "gexf": out / "network.gexf"}
    for name, svg in pictures.items():
        write_atomic(out / name, svg)
        paths[name] = out / name
    write_atomic(paths["md"], to_markdown(blocks).encode("utf-8"))
    write_atomic(paths["html"], to_html(blocks, "kg report").encode("utf-8"))
    network_files.write(G, result, paths["graphml"], paths["gexf"])
    return paths
