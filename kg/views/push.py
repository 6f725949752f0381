"""``kg push``: upload a graph to a SPARQL server through the SPARQL 1.1 Graph
Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/).

``PUT ENDPOINT?graph=IRI`` replaces that named graph (``POST`` adds to it) with
a Turtle body sent as ``text/turtle; charset=utf-8``. That works with Fuseki
(``/DATASET/data``), GraphDB (``/repositories/REPO/rdf-graphs/service``),
Oxigraph server (``/store``) and Virtuoso (``/sparql-graph-crud-auth``, whose
parameter is ``graph-uri``: detected from the path, or ``--graph-param``).

A Turtle or N-Triples file goes to one graph (``--graph IRI``; without it the
server's default graph, ``?default``). A TriG or N-Quads file from
``kg build --format trig`` goes graph by graph, each to its own IRI, so one
article's facts can later be replaced by pushing again or dropped with
``DELETE``.

Authentication: ``--user``/``--password`` with HTTP digest or basic auth
(``auto`` answers whichever challenge the server sends; ``basic`` sends the
credentials up front).
"""
from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.views import query as sparql
from kg.ingest import one_line

CONTENT_TYPE = "text/turtle; charset=utf-8"
OK_STATUSES = {200, 201, 204}
AUTH_SCHEMES = ("auto", "digest", "basic")
METHODS = ("PUT", "POST")


class PushError(Exception):
    """The upload failed; the message says where and why (HTTP status and body)."""


@dataclass
class Upload:
    graph: URIRef | None        # None: the server's default graph
    data: bytes                 # Turtle
    triples: int


def graph_param(endpoint: str, override: str | None = None) -> str:
    """The query parameter that names the graph: ``graph`` (the standard) or
    Virtuoso's ``graph-uri`` for its /sparql-graph-crud endpoints."""
    if override:
        return override
    path = urllib.parse.urlsplit(endpoint).path
    return "graph-uri" if "sparql-graph-crud" in path else "graph"


def target_url(endpoint: str, graph: URIRef | None, param: str) -> str:
    query = urllib.parse.urlencode({param: str(graph)}) if graph is not None else "default"
    return endpoint + ("&" if urllib.parse.urlsplit(endpoint).query else "?") + query


def _check_iri(iri: str) -> URIRef:
    try:
        term = sparql.parse_term(f"<{iri}>")
    except sparql.QueryError as e:
        raise PushError(f"--graph: {e}") from None
    return term


def uploads(path: Path, graph: str | None = None) -> list[Upload]:
    """What to send: one Turtle body per graph of the file."""
    path = Path(path)
    if not path.is_file():
        raise PushError(f"{path}: no such file")
    try:
        fmt = sparql.graph_format(path)
    except sparql.QueryError as e:
        raise PushError(str(e)) from None
    if fmt in ("trig", "nquads"):
        if graph:
            raise PushError(f"{path}: a {fmt} file names its own graphs; --graph is only for Turtle or N-Triples")
        ds = Dataset()
        try:
            ds.parse(path, format=fmt)
        except Exception as e:  # rdflib's parsers raise many types
            raise PushError(f"{path}: cannot parse as {fmt}: {e}") from None
        out = []
        for ctx in sorted(ds.graphs(), key=lambda c: str(c.identifier)):
            if len(ctx) == 0:
                continue
            g = Graph()
            for prefix, ns in ds.namespaces():
                g.bind(prefix, ns, override=True, replace=True)
            for t in ctx:
                g.add(t)
            name = None if ctx.identifier == DATASET_DEFAULT_GRAPH_ID else URIRef(ctx.identifier)
            out.append(Upload(name, g.serialize(format="turtle", encoding="utf-8"), len(g)))
        if not out:
            raise PushError(f"{path}: no triples")
        return out
    g = Graph()
    try:
        g.parse(path, format=fmt)
    except Exception as e:
        raise PushError(f"{path}: cannot parse as {fmt}: {e}") from None
    if len(g) == 0:
        raise PushError(f"{path}: no triples")
    # Turtle and N-Triples are sent as they are (N-Triples is Turtle); others re-serialised
    data = path.read_bytes() if fmt in ("turtle", "nt") else g.serialize(format="turtle", encoding="utf-8")
    return [Upload(_check_iri(graph) if graph else None, data, len(g))]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """An upload never follows a redirect: urllib would re-send it as a GET without its body
    (the upload lost, yet HTTP 200), with the credentials, to whatever host the server names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None          # urllib then raises HTTPError for the 3xx status


def _opener(url: str, user: str | None, password: str | None, auth: str):
    handlers = [_NoRedirect()]
    if user is not None and auth in ("auto", "digest", "basic"):
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password or "")
        if auth in ("auto", "digest"):
            handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
        if auth == "auto":
            handlers.append(urllib.request.HTTPBasicAuthHandler(mgr))
    return urllib.request.build_opener(*handlers)


def redact(url: str) -> str:
    """``url`` with the password of its user information (``user:password@``) replaced by ***."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _within(seconds: float, call: Callable):
    """``call()`` in a thread, as a deadline for the whole request: a socket timeout bounds each
    read only, and a server that trickles a header every few seconds never trips it."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no complete answer within {seconds:g} s (--timeout is for the whole request)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def call(req: urllib.request.Request, user: str | None = None, password: str | None = None,
         auth: str = "auto", timeout: float = 120.0) -> tuple[int, urllib.error.HTTPError | None, bytes, str]:
    """One HTTP request within ``timeout`` seconds in all, redirects not followed:
    (status, the HTTPError or None, body, content type). Basic auth is sent up front."""
    if user is not None and auth == "basic":
        token = base64.b64encode(f"{user}:{password or ''}".encode("utf-8")).decode("ascii")
        req.add_header("Authorization", f"Basic {token}")

    def request():
        try:
            with _opener(req.full_url, user, password, auth).open(req, timeout=timeout) as resp:
                return resp.status, None, resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            return e.code, e, e.read(4096), ""

    return _within(timeout, request)


def http_failure(what: str, e: urllib.error.HTTPError, body: bytes, user: str | None, not_found: str,
                 sent: str = "an upload") -> str:
    """One line for a failed request: status, a hint (``not_found`` for 404, 405, 501), what the
    server said (escaped, cut at 300 characters)."""
    hint = ""
    if e.code == 401:
        hint = (" (authentication failed: check --user/--password and --auth)" if user is not None
                else " (the endpoint needs --user and --password)")
    elif 300 <= e.code < 400:
        hint = (f" (a redirect to {redact(e.headers.get('Location', '?'))!r}: {sent} is not sent on, "
                "nor are credentials; pass the final URL as --endpoint)")
    elif e.code in (404, 405, 501):
        hint = f" ({not_found})"
    said = one_line(body.decode("utf-8", "replace").strip())   # escape sequences shown, not sent to the terminal
    said = said[:300] + (" …" if len(said) > 300 else "")
    return one_line(f"{what}: HTTP {e.code} {e.reason}{hint}") + (f"; the server said: {said}" if said else "")


def send(url: str, upload: Upload, method: str = "PUT", user: str | None = None,
         password: str | None = None, auth: str = "auto", timeout: float = 120.0) -> int:
    """One request, within ``timeout`` seconds in all; returns the HTTP status or raises PushError."""
    req = urllib.request.Request(url, data=upload.data, method=method, headers={"Content-Type": CONTENT_TYPE})
    shown = redact(url)
    try:
        status, e, body, _ = call(req, user, password, auth, timeout)
    except urllib.error.URLError as e:
        raise PushError(f"{method} {shown}: cannot connect: {e.reason}") from None
    except (OSError, ValueError) as e:   # timeouts, bad URLs, digest algorithms urllib lacks
        raise PushError(f"{method} {shown}: {e}") from None
    if e is not None:
        raise PushError(http_failure(f"{method} {shown}", e, body, user,
                                     "is this the Graph Store endpoint? Virtuoso: /sparql-graph-crud-auth; "
                                     "Fuseki: /DATASET/data"))
    if status not in OK_STATUSES:
        raise PushError(f"{method} {shown}: unexpected HTTP {status}")
    return status


def credentials(endpoint: str, user: str | None, password: str | None) -> tuple[str, str | None, str | None]:
    """(endpoint without user information, user, password): ``user:password@`` in the URL is taken
    as --user/--password (those given win) and never shown."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"--endpoint {redact(endpoint)!r}: expected an http:// or https:// URL")
    if "@" in parts.netloc:
        if user is None and parts.username:
            user = urllib.parse.unquote(parts.username)
            password = urllib.parse.unquote(parts.password or "") if password is None else password
        endpoint = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return endpoint, user, password


def push(path: Path, endpoint: str, graph: str | None = None, param: str | None = None,
         user: str | None = None, password: str | None = None, auth: str = "auto",
         method: str = "PUT", timeout: float = 120.0,
         log: Callable[[str], None] = lambda s: None) -> list[tuple[URIRef | None, int, int]]:
    """Upload every graph of ``path``; returns (graph, triples, HTTP status) per request."""
    endpoint, user, password = credentials(endpoint, user, password)
    if auth not in AUTH_SCHEMES:
        raise PushError(f"--auth {auth!r}: use one of {', '.join(AUTH_SCHEMES)}")
    method = method.upper()
    if method not in METHODS:
        raise PushError(f"--method {method!r}: use PUT (replace the graph) or POST (add to it)")
    name = graph_param(endpoint, param)
    todo = uploads(path, graph)
    if name == "graph-uri" and any(u.graph is None for u in todo):
        raise PushError("Virtuoso's graph store takes no default graph: pass --graph IRI")
    done = []
    for u in todo:
        url = target_url(endpoint, u.graph, name)
        status = send(url, u, method, user, password, auth, timeout)
        log(f"{method} {'<' + str(u.graph) + '>' if u.graph is not None else 'default graph'}: "
            f"{u.triples} triples -> HTTP {status}")
        done.append((u.graph, u.triples, status))
    return done
