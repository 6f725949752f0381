"""Parallel, incremental and Dask builds give the same graph as a serial build."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import pipeline

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def serial_ttl(seed_build):
    return (seed_build / "graph.ttl").read_bytes()


def test_two_worker_processes_give_identical_output(serial_ttl):
    built = pipeline.build([RAW], workers=2)
    assert built.serialize("ttl") == serial_ttl


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two workers started with the ``dask`` command on loopback, as on
    real machines (one thread each); stopped at the end."""
    pytest.importorskip("dask.distributed")
    dask = Path(sys.executable).with_name("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    commands = [[str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]]
    commands += [[str(dask), "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                  "--name", f"w{i}"] for i in (1, 2)]
    procs = []
    try:
        for i, cmd in enumerate(commands):
            log = open(tmp_path / f"dask-{i}.log", "wb")
            procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path))
            log.close()
            if i == 0:
                time.sleep(1.0)          # the scheduler listens before the workers dial it
        from dask.distributed import Client
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.integration
def test_a_dask_cluster_of_two_workers_gives_identical_output(serial_ttl, dask_cluster):
    """kg build --dask ADDRESS against a scheduler and two ``dask worker`` processes: the
    batches are spread over both, the graph is the serial build's byte for byte."""
    from dask.distributed import Client
    built = pipeline.build([RAW], dask=dask_cluster, batch_size=1)
    assert built.serialize("ttl") == serial_ttl
    with Client(dask_cluster) as client:       # both workers took part (five batches of one article)
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(n >= 1 for n in executed.values()), executed


def test_an_unreachable_scheduler_is_one_clear_error():
    with pytest.raises(pipeline.ClusterError, match="cannot reach the Dask scheduler"):
        pipeline.build([RAW], dask=f"tcp://127.0.0.1:{_free_port()}")


def test_update_processes_only_new_articles(tmp_path, serial_ttl):
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(RAW.glob("*.txt"))
    for f in seeds[:3]:
        shutil.copy(f, src)
    cache = tmp_path / "cache"
    first = pipeline.build([src], cache=cache)
    assert first.reused == 0
    for f in seeds[3:]:
        shutil.copy(f, src)
    second = pipeline.build([src], cache=cache, update=True)
    assert (second.articles, second.reused) == (5, 3)
    assert second.serialize("ttl") == serial_ttl


def test_changed_article_is_processed_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("黄仁勋游说特朗普。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    pipeline.build([src], cache=cache)
    (src / "a.txt").write_text("黄仁勋游说拜登。\n", encoding="utf-8")
    again = pipeline.build([src], cache=cache, update=True)
    assert again.reused == 0
    assert "joe-biden" in again.serialize("ttl").decode()
