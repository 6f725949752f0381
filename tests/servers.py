"""External servers and parsers for integration tests (stdlib only, no pytest).

Virtuoso
--------
``virtuoso_server(tmpdir)`` starts a *private* Virtuoso (Debian package
``virtuoso-opensource``, binary ``virtuoso-t``) in the foreground with its own
``virtuoso.ini`` and database under ``tmpdir/virtuoso-XXXX/``, listening only on
127.0.0.1 with free ports; it never touches the system instance
(/etc/virtuoso-opensource-7, /var/lib/virtuoso-opensource-7, ports 1111/8890)::

    with virtuoso_server(tmp_path) as vt:
        vt.sparql_url        # http://127.0.0.1:PORT/sparql (anonymous, read-only)
        vt.graph_store_url   # http://127.0.0.1:PORT/sparql-graph-crud-auth
        vt.auth              # ("dba", password): HTTP *digest* auth for writes
        vt.sparql_auth_url   # http://127.0.0.1:PORT/sparql-auth (digest; SPARQL Update)
        vt.isql("SPARQL CLEAR GRAPH <http://example.org/g>")

Writes go through the SPARQL 1.1 Graph Store HTTP Protocol endpoint
``/sparql-graph-crud-auth?graph-uri=<G>`` (PUT replaces, POST adds, DELETE,
GET), authenticated with HTTP digest auth as ``dba`` (urllib:
``HTTPDigestAuthHandler``).  Send ``Content-Type: text/turtle; charset=utf-8``
(with this ini, whose [HTTPServer] Charset is UTF-8, a bare text/turtle was
decoded as UTF-8 too, but do not rely on it).  The anonymous
``/sparql`` endpoint is kept read-only (the SPARQL user has no SPARQL_UPDATE).

A fresh database takes ~3 s to create and start (2 cores); stopping takes
~0.03 s (SIGTERM -> "quick shutdown").  Use one server per test session or
module, and a separate named graph per test where possible.

Virtuoso 7.2.5 quirks seen here (compare results accordingly):

* language tags come back lower-cased: "黄仁勋"@zh-Hans -> xml:lang "zh-hans"
  (RDF says tags are case-insensitive; ``FILTER(lang(?o) = "zh-Hans")``
  matches nothing, use langMatches or LCASE); STRLANG(s, "zh-hans") fails
  (any tag with a subtag), STRLANG(s, "zh") works;
* JSON results use the old ``"type": "typed-literal"`` for datatyped values;
  a stored "x"^^xsd:string keeps its datatype and does not equal "x";
* typed values are canonicalised: "true"^^xsd:boolean -> "1", "1.50" -> "1.5",
  "007"^^xsd:integer -> "7", "1.0e0"^^xsd:double -> "1.0"; ill-typed
  literals ("notadate"^^xsd:date) are accepted as-is;
* Turtle/N-Triples output escapes all non-ASCII as \\uXXXX;
* BNODE() is not implemented; ENCODE_FOR_URI on non-ASCII appends "%00";
  SERVICE is forbidden for the anonymous user; text/tab-separated-values
  results are really CSV; a CONSTRUCT asked for as JSON results uses "lang";
* SPARQL Update on the anonymous /sparql fails with HTTP 500 (not 401/403).

Oxigraph
--------
``oxigraph_server()`` starts Oxigraph's own server (PyPI ``oxigraph``, binary ``oxigraph``,
installed with kg's test extra) in memory on a free loopback port, without authentication::

    with oxigraph_server() as ox:
        ox.query_url   # http://127.0.0.1:PORT/query   (SPARQL 1.1 Protocol)
        ox.store_url   # http://127.0.0.1:PORT/store   (Graph Store HTTP Protocol)

Its default graph is a graph of its own (not the union of the named graphs); language tags
come back lower-cased, as with pyoxigraph. It starts in well under a second.

Parsers
-------
``find_rapper()`` -> ``["/usr/bin/rapper"]`` or None (raptor2-utils).
``find_riot()`` -> command list for Jena's riot or None.  Debian's
``libapache-jena-java`` ships only jars, no ``riot`` script, so this returns
``[java, ..., "-cp", <jars>, "riotcmd.riot"]``.  Debian 12's jena-core 4.5.0 jar
also has a packaging bug (the shaded xerces classes live in ``xerces/`` but
their message resources in ``org/apache/jena/ext/xerces/``; without them any
XSD datatype init fails with "RuntimeException: internal error"), so a small
directory with the relocated resources is built once in the temp dir and put
on the class path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence, Tuple, Union

__all__ = [
    "OxigraphServer",
    "oxigraph_server",
    "find_oxigraph",
    "VirtuosoServer",
    "ServerStartError",
    "virtuoso_server",
    "find_virtuoso",
    "find_isql",
    "find_rapper",
    "find_riot",
    "run_parser_count",
]

PathLike = Union[str, "os.PathLike[str]"]

DEFAULT_DBA_PASSWORD = "kg-test-dba"


class ServerStartError(RuntimeError):
    """The server did not come up; the message includes the tail of its log."""


# --------------------------------------------------------------------------
# locating binaries


def find_virtuoso() -> Optional[str]:
    """Path of the Virtuoso server binary (``$VIRTUOSO_BIN`` or virtuoso-t)."""
    env = os.environ.get("VIRTUOSO_BIN")
    if env:
        return env if os.access(env, os.X_OK) else None
    for name in ("virtuoso-t", "virtuoso"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_isql() -> Optional[str]:
    """Path of Virtuoso's isql client (Debian names it isql-vt)."""
    for name in ("isql-vt", "isql-v"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_rapper() -> Optional[list]:
    """Command list for raptor's ``rapper`` or None.

    Usage: ``find_rapper() + ["-i", "turtle", "-c", path]`` (the count is
    printed on stderr as "rapper: Parsing returned N triples").
    """
    path = shutil.which("rapper")
    return [path] if path else None


_JENA_DIR = Path("/usr/share/java")
# Jars that riot needs from Debian's libapache-jena-java and its dependencies
# (the unversioned symlinks).  Do not use "/usr/share/java/*": it mixes slf4j
# bindings and log4j-over-slf4j, and Jena dies at start-up.
_JENA_JARS = (
    "jena-cmds", "jena-arq", "jena-core", "jena-base", "jena-iri",
    "jena-shacl", "jena-shex", "jena-rdfconnection", "jena-tdb", "jena-tdb2",
    "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage",
    "jena-dboe-trans-data", "jena-dboe-transaction",
    "commons-cli", "commons-codec", "commons-compress", "commons-csv",
    "commons-io", "commons-lang3", "commons-logging", "dexx.collection",
    "gson", "guava", "httpclient", "httpcore", "jackson-core",
    "jackson-databind", "jackson-annotations", "jsonld-java",
    "jakarta.json-api", "titanium-json-ld", "protobuf", "thrift",
    "slf4j-api", "slf4j-simple",
)
_XERCES_SHADED = "org/apache/jena/ext/xerces/"


def _jena_xerces_shim(jena_core: Path) -> Optional[Path]:
    """Directory with jena-core's xerces resources at the path its classes use.

    Returns None when the jar does not need it (upstream jars are fine).
    """
    real = jena_core.resolve()
    with zipfile.ZipFile(real) as zf:
        names = zf.namelist()
        if "xerces/impl/Constants.class" not in names:
            return None  # classes are where the resources are
        if "xerces/impl/msg/XMLSchemaMessages.properties" in names:
            return None
        st = real.stat()
        key = hashlib.sha1(f"{real}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]
        target = Path(tempfile.gettempdir()) / f"kg-jena-xerces-shim-{os.getuid()}-{key}"
        if (target / "xerces/impl/msg/XMLSchemaMessages.properties").is_file():
            return target
        work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        for name in names:
            if name.startswith(_XERCES_SHADED) and not name.endswith(("/", ".class")):
                dest = work / "xerces" / name[len(_XERCES_SHADED):]
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(zf.read(name))
    try:
        os.rename(work, target)
    except OSError:  # another process won the race (or a stale dir exists)
        shutil.rmtree(work, ignore_errors=True)
        if not (target / "xerces/impl/msg/XMLSchemaMessages.properties").is_file():
            shutil.rmtree(target, ignore_errors=True)
            return _jena_xerces_shim(jena_core)
    return target


def find_riot() -> Optional[list]:
    """Command list to run Apache Jena's ``riot`` or None.

    Prefers a ``riot`` on PATH (upstream Jena distribution); otherwise runs
    ``riotcmd.riot`` from Debian's jars with java.  Usage:
    ``find_riot() + ["--count", path]`` (prints "<file> : Triples = N") or
    ``find_riot() + ["--validate", path]``.  JVM start-up costs ~1 s per call.
    """
    path = shutil.which("riot")
    if path:
        return [path]
    java = shutil.which("java")
    if not java:
        return None
    jars = [_JENA_DIR / f"{name}.jar" for name in _JENA_JARS]
    if not all(j.exists() for j in jars):
        return None
    classpath = [str(j) for j in jars]
    try:
        shim = _jena_xerces_shim(_JENA_DIR / "jena-core.jar")
    except (OSError, zipfile.BadZipFile):
        return None
    if shim is not None:
        classpath.append(str(shim))
    return [
        java,
        "-Xshare:auto",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Dfile.encoding=UTF-8",
        "-cp",
        os.pathsep.join(classpath),
        "riotcmd.riot",
    ]


# --------------------------------------------------------------------------
# Oxigraph


def find_oxigraph() -> Optional[str]:
    """Path of the Oxigraph server binary: ``$OXIGRAPH_BIN``, next to this Python, or on PATH."""
    env = os.environ.get("OXIGRAPH_BIN")
    if env:
        return env if os.access(env, os.X_OK) else None
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@dataclass
class OxigraphServer:
    """A running in-memory Oxigraph server; see the module docstring."""

    host: str
    port: int
    process: subprocess.Popen = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"


@contextlib.contextmanager
def oxigraph_server(*, start_timeout: float = 60.0, stop_timeout: float = 10.0) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` in memory on 127.0.0.1 and a free port; stop it on exit."""
    binary = find_oxigraph()
    if not binary:
        raise ServerStartError("oxigraph not found: pip install oxigraph (kg's test extra)")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    server = OxigraphServer("127.0.0.1", port, proc)
    try:
        deadline = time.monotonic() + start_timeout
        while not _http_ready(server.query_url):
            if proc.poll() is not None:
                raise ServerStartError(f"oxigraph exited with code {proc.returncode}: "
                                       + proc.stderr.read().decode("utf-8", "replace")[-2000:])
            if time.monotonic() > deadline:
                raise ServerStartError(f"Oxigraph {server.query_url} did not answer within {start_timeout:g} s")
            time.sleep(0.05)
        yield server
    finally:
        _stop_process(proc, stop_timeout)
        proc.stderr.close()


# --------------------------------------------------------------------------
# Virtuoso


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_INI_TEMPLATE = """\
; private test instance written by tests/servers.py
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {dir}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = {dir}/vad/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 512M
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DeferInferenceRulesInit    = 0
"""


@dataclass
class VirtuosoServer:
    """A running private Virtuoso; see the module docstring."""

    host: str
    http_port: int
    sql_port: int
    directory: Path
    password: str
    process: subprocess.Popen = field(repr=False)
    user: str = "dba"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """Anonymous SPARQL query endpoint (GET or POST, read-only)."""
        return self.base_url + "/sparql"

    @property
    def sparql_auth_url(self) -> str:
        """SPARQL endpoint as dba (digest auth); accepts SPARQL Update."""
        return self.base_url + "/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        """Graph Store HTTP Protocol endpoint (``?graph-uri=``), digest auth."""
        return self.base_url + "/sparql-graph-crud-auth"

    @property
    def auth(self) -> Optional[Tuple[str, str]]:
        """(user, password) for HTTP digest auth on the *-auth endpoints."""
        return (self.user, self.password)

    @property
    def log_path(self) -> Path:
        return self.directory / "virtuoso.log"

    def log_tail(self, lines: int = 40) -> str:
        return _log_tail(self.directory, lines)

    def isql(self, sql: str, timeout: float = 60.0) -> str:
        """Run SQL (e.g. ``SPARQL CLEAR GRAPH <g>``) as dba via isql-vt."""
        return _run_isql(self.sql_port, self.user, self.password, sql, timeout)


def _log_tail(directory: Path, lines: int = 40) -> str:
    parts = []
    seen = None
    for name in ("virtuoso.log", "stdout.log"):  # stdout usually repeats the log
        path = directory / name
        if path.exists():
            tail = path.read_text("utf-8", errors="replace").splitlines()[-lines:]
            if tail and tail != seen:
                parts.append(f"--- {path} (last {lines} lines) ---")
                parts.extend(tail)
                seen = tail
    return "\n".join(parts) if parts else f"(no log in {directory})"


def _run_isql(port: int, user: str, password: str, sql: str, timeout: float) -> str:
    isql = find_isql()
    if not isql:
        raise RuntimeError("isql-vt not found (Debian package virtuoso-opensource-7-bin)")
    stmt = sql.strip()
    if not stmt.endswith(";"):
        stmt += ";"
    proc = subprocess.run(
        [isql, f"127.0.0.1:{port}", user, password, "VERBOSE=OFF", "BANNER=OFF",
         f"EXEC={stmt}"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    out = proc.stdout.decode("utf-8", errors="replace")
    err = proc.stderr.decode("utf-8", errors="replace")
    if proc.returncode != 0 or "*** Error" in out or "*** Error" in err:
        raise RuntimeError(f"isql failed (rc={proc.returncode}) for {sql!r}:\n{out}\n{err}")
    return out


def _http_ready(url: str, timeout: float = 2.0) -> bool:
    req = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": "ASK {}"}),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _stop_process(proc: subprocess.Popen, term_timeout: float, kill_timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=term_timeout)
        return
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    proc.wait(timeout=kill_timeout)


def _start_once(
    binary: str, directory: Path, password: str, start_timeout: float, stop_timeout: float
) -> VirtuosoServer:
    directory.mkdir(parents=True)
    (directory / "vsp").mkdir()
    http_port = _free_port()
    sql_port = _free_port()
    while sql_port == http_port:
        sql_port = _free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        _INI_TEMPLATE.format(dir=directory, sql_port=sql_port, http_port=http_port),
        encoding="utf-8",
    )
    with open(directory / "stdout.log", "wb") as out:
        proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the terminal does not reach it
        )
    server = VirtuosoServer(
        host="127.0.0.1",
        http_port=http_port,
        sql_port=sql_port,
        directory=directory,
        password="dba",
        process=proc,
    )
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise ServerStartError(
                    f"virtuoso-t exited with code {proc.returncode} during start-up\n"
                    + _log_tail(directory)
                )
            if _http_ready(server.sparql_url):
                break
            if time.monotonic() > deadline:
                raise ServerStartError(
                    f"Virtuoso HTTP endpoint {server.sparql_url} did not answer within "
                    f"{start_timeout:g} s\n" + _log_tail(directory)
                )
            time.sleep(0.1)
        if password != "dba":
            server.isql(f"USER_SET_PASSWORD ('dba', '{password}')")  # new db: dba/dba
            server.password = password
    except BaseException:
        _stop_process(proc, stop_timeout)
        raise
    return server


@contextlib.contextmanager
def virtuoso_server(
    tmpdir: PathLike,
    *,
    password: str = DEFAULT_DBA_PASSWORD,
    start_timeout: float = 90.0,
    stop_timeout: float = 20.0,
    attempts: int = 3,
) -> Iterator[VirtuosoServer]:
    """Start a private Virtuoso under ``tmpdir``; stop it on exit.

    ``password`` is set for ``dba`` after start-up (plain word: letters,
    digits, ``-`` or ``_``); ``"dba"`` keeps the default and skips that step.
    Raises ServerStartError (with the log tail) if it does not answer within
    ``start_timeout`` seconds; a port clash is retried with new ports up to
    ``attempts`` times.  On exit: SIGTERM, then SIGKILL after ``stop_timeout``.
    """
    if not password.replace("-", "").replace("_", "").isalnum():
        raise ValueError("password must be letters, digits, '-' or '_'")
    binary = find_virtuoso()
    if not binary:
        raise ServerStartError(
            "virtuoso-t not found: run .ci/install-debian.sh (package virtuoso-opensource)"
        )
    base = Path(tmpdir).resolve()
    base.mkdir(parents=True, exist_ok=True)
    server: Optional[VirtuosoServer] = None
    for attempt in range(1, attempts + 1):
        directory = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=base))
        directory.rmdir()  # _start_once creates it
        try:
            server = _start_once(binary, directory, password, start_timeout, stop_timeout)
            break
        except ServerStartError as exc:
            log = _log_tail(directory, 200)
            port_clash = any(
                s in log for s in ("Failed HTTP listen", "Failed to start listening",
                                   "Address already in use")
            )
            if attempt == attempts or not port_clash:
                raise exc
    assert server is not None
    try:
        yield server
    finally:
        _stop_process(server.process, stop_timeout)


def run_parser_count(cmd: Sequence[str], path: PathLike, timeout: float = 120.0) -> int:
    """Triple count of a Turtle file by ``find_rapper()`` or ``find_riot()``.

    Raises RuntimeError on a non-zero exit; note riot exits 1 on *warnings*
    too (e.g. an ill-typed literal such as "notadate"^^xsd:date).
    """
    import re

    exe = os.path.basename(cmd[0])
    if exe == "rapper":
        args = list(cmd) + ["-i", "turtle", "-c", str(path)]
        pattern = r"returned (\d+) triples"
    else:
        args = list(cmd) + ["--count", str(path)]
        pattern = r"Triples = (\d[\d,.\u00a0\u202f']*)"   # riot groups digits: "6,730" (locale-dependent)
    proc = subprocess.run(args, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    text = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    m = re.search(pattern, text)
    if proc.returncode != 0 or not m:
        raise RuntimeError(f"{args!r} failed (rc={proc.returncode}):\n{text}")
    return int(re.sub(r"\D", "", m.group(1)))
