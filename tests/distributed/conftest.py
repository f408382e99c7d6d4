"""A real local Dask cluster, started the way a user starts one: ``dask scheduler
--scheduler-file F`` and two ``dask worker --nworkers 1 --nthreads 1 --scheduler-file F``
processes (the scheduler on a free port the OS picks). Torn down however the tests end: each
process leads its own process group, and the group is stopped by its id."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loaders.parts import warm_up

DASK = Path(sys.executable).parent / "dask"  # the `dask` command of the environment running the tests


@dataclass
class LocalCluster:
    folder: Path
    scheduler_file: Path
    address: str = ""
    procs: list = field(default_factory=list)  # the scheduler first, then the workers (their nannies)

    def client(self):
        from distributed import Client

        return Client(scheduler_file=str(self.scheduler_file), set_as_default=False, timeout=30)

    def logs(self) -> str:
        out = []
        for p in sorted(self.folder.glob("*.log")):
            out.append(f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:])
        return "\n".join(out)

    def stop(self) -> None:
        for proc in reversed(self.procs):  # workers first, then the scheduler
            _stop_group(proc)
        self.procs.clear()


def _stop_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)  # the nanny and the worker process it started
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=5)
    try:  # a worker process whose nanny died first would have left the group alive
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _start(cmd: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def start_cluster(folder: Path, workers: int = 2) -> LocalCluster:
    if not DASK.exists():
        pytest.fail(f"{DASK} is missing: the test extra installs dask[distributed] (make install)")
    folder.mkdir(parents=True, exist_ok=True)
    cluster = LocalCluster(folder, folder / "scheduler.json")
    try:
        cluster.procs.append(_start(
            [str(DASK), "scheduler", "--scheduler-file", str(cluster.scheduler_file), "--host", "127.0.0.1",
             "--port", "0", "--dashboard-address", ":0"],
            folder / "scheduler.log",
        ))
        deadline = time.monotonic() + 60
        while not cluster.scheduler_file.exists() or not cluster.scheduler_file.stat().st_size:
            if time.monotonic() > deadline or cluster.procs[0].poll() is not None:
                raise RuntimeError(f"the Dask scheduler did not start:\n{cluster.logs()}")
            time.sleep(0.1)
        time.sleep(0.2)  # written, then complete
        cluster.address = json.loads(cluster.scheduler_file.read_text())["address"]
        for i in range(workers):
            cluster.procs.append(_start(
                [str(DASK), "worker", "--nworkers", "1", "--nthreads", "1", "--scheduler-file",
                 str(cluster.scheduler_file), "--dashboard-address", ":0", "--death-timeout", "60",
                 "--local-directory", str(folder / f"worker{i}")],
                folder / f"worker{i}.log",
            ))
        with cluster.client() as client:
            client.wait_for_workers(workers, timeout=120)
            client.run(warm_up)  # import the readers now, not inside the first task
        return cluster
    except BaseException:
        cluster.stop()
        raise


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = start_cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def one_duckdb_thread():
    """dbt with one DuckDB thread, for the builds these tests compare.

    With more, ``audit.reconciliation.scope`` (and the ``check_id`` made from it) can differ
    between two *local* builds of the same folder: ``check__row_columns_sum`` takes
    ``any_value(line_key)`` over rows whose physical order a parallel query leaves open.
    That is a model's nondeterminism, not the engine's; one thread makes every build of a
    folder reproducible, so that the comparisons below can demand every row of every table.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDWH_DUCKDB_THREADS", "1")
        yield
