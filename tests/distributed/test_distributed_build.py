"""Issue "Scale": a build on a Dask cluster gives the warehouse a local build gives.

A real local cluster (``conftest.py``: ``dask scheduler`` and two ``dask worker``
processes) builds (a) the samples, (b) ../shared/real-filings and (c) a folder whose
reading outlasts a worker SIGKILLed after the first task result arrived; each is compared
with a local build of the same folder, every row of every table of every schema
(``compare.py``: only ``audit.build_info``'s time and durations are left out). A document
whose workers all die stops the build with one line, and so do a missing extra, an
unreachable scheduler and cluster options without ``--engine dask``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from medwh.build import build_warehouse
from medwh.cli import main as cli
from tests.conftest import FILINGS, REAL_FILINGS, require_shared
from tests.distributed.compare import differences

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
COPIES = 16  # copies of each sample: 80 more documents to read, so that a worker can die while some are pending


def _local(folder: Path, out: Path):
    return build_warehouse(folder, out / "wh.duckdb", quiet=True, target_path=out / "target")


def _same(a: Path, b: Path) -> dict[str, int]:
    problems, counts = differences(a, b)
    assert problems == [], "\n".join(problems)
    return counts


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("wh.duckdb") and p.name != "wh.duckdb")


# --------------------------------------------------------------------------- (a) the samples
@pytest.fixture(scope="module")
def local_samples(one_duckdb_thread, tmp_path_factory):
    return _local(FILINGS, tmp_path_factory.mktemp("local_samples"))


@pytest.fixture(scope="module")
def dask_samples(one_duckdb_thread, cluster, tmp_path_factory):
    out = tmp_path_factory.mktemp("dask_samples")
    code = cli(["build", "--engine", "dask", "--scheduler-file", str(cluster.scheduler_file), "--quiet",
                "--filings", str(FILINGS), "--warehouse", str(out / "wh.duckdb")])
    assert code == 0, cluster.logs()
    return out / "wh.duckdb"


def test_samples_built_on_the_cluster_equal_a_local_build(local_samples, dask_samples):
    counts = _same(local_samples.warehouse, dask_samples)
    assert counts["raw.filings"] == 5 and counts["raw.budget_lines"] > 0 and counts["raw.table_cells"] > 0
    assert counts["marts.fact_budget_line"] > 0 and counts["marts.fact_target"] > 0
    assert len(counts) >= 40  # raw, staging, intermediate, marts, audit and reference tables
    assert _debris(dask_samples.parent) == []  # the parts folder beside the warehouse is gone with the build


# --------------------------------------------------------------------------- (b) real filings
@pytest.fixture(scope="module")
def local_real(one_duckdb_thread, tmp_path_factory):
    require_shared(REAL_FILINGS)
    return _local(REAL_FILINGS, tmp_path_factory.mktemp("local_real"))


def test_real_filings_built_on_the_cluster_equal_a_local_build(local_real, one_duckdb_thread, cluster, tmp_path):
    require_shared(REAL_FILINGS)
    store = tmp_path / "shared-store"  # a store of the user's choosing, as an fsspec URL
    result = build_warehouse(
        REAL_FILINGS, tmp_path / "wh.duckdb", quiet=True, target_path=tmp_path / "target",
        engine="dask", address=cluster.address, store=f"file://{store}",
    )
    assert (result.load.loaded, result.load.files) == (local_real.load.loaded, local_real.load.files)
    counts = _same(local_real.warehouse, result.warehouse)
    assert counts["raw.filings"] == 23 and counts["marts.fact_budget_line"] > 1000
    assert list(store.iterdir()) == []  # the build's folder in the store is removed; the store itself is the user's


# --------------------------------------------------------------------------- (c) a worker killed mid-run
@pytest.fixture(scope="module")
def slow_folder(tmp_path_factory):
    """The samples and COPIES byte-identical copies of each: every copy is a task that reads and
    parses (the build decides it is a duplicate only when storing), in all 85 documents."""
    folder = tmp_path_factory.mktemp("copies") / "filings"
    shutil.copytree(FILINGS, folder)
    for p in sorted(FILINGS.glob("*.txt")):
        for k in range(COPIES):
            dest = folder / "copies" / f"{k:02d}" / p.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, dest)
    return folder


@pytest.fixture(scope="module")
def local_copies(one_duckdb_thread, slow_folder, tmp_path_factory):
    return _local(slow_folder, tmp_path_factory.mktemp("local_copies"))


def _build_process(args: list[str], env: dict) -> tuple[subprocess.Popen, list[str]]:
    """`medwh build …` in a child process; its stderr lines collected as they come. Its stdout
    (dbt's node-by-node lines) is read too, and dropped: a pipe nobody reads fills up (64 KiB)
    and blocks the build once dbt has written enough."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "medwh.cli", "build", *args], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []

    def pump(stream, keep: bool):
        for line in stream:
            if keep:
                lines.append(line.rstrip("\n"))

    threading.Thread(target=pump, args=(proc.stderr, True), daemon=True).start()
    threading.Thread(target=pump, args=(proc.stdout, False), daemon=True).start()
    return proc, lines


def _kill_a_busy_worker(client, run_files: int, deadline: float) -> dict:
    """Once the first task result has arrived and tasks are still pending, SIGKILL the process
    of a worker that is reading a document; returns what the scheduler showed then."""

    def ours(dask_scheduler):  # runs on the scheduler (pickled by value: a closure)
        out = {}
        for key, ts in dask_scheduler.tasks.items():
            if str(key).startswith("medwh-read-"):
                out[str(key)] = (ts.state, ts.processing_on.address if ts.processing_on else None)
        return out

    while time.monotonic() < deadline:
        tasks = client.run_on_scheduler(ours)
        pending = [k for k, (state, _) in tasks.items() if state in ("processing", "queued", "waiting", "no-worker")]
        done = run_files - len(pending) if tasks else 0  # a gathered result is released, then forgotten
        busy = sorted({w for state, w in tasks.values() if state == "processing" and w})
        if done >= 1 and busy and len(pending) >= 10:
            victim = busy[0]
            pid = client.run(os.getpid, workers=[victim])[victim]
            os.kill(pid, signal.SIGKILL)
            return {"done": done, "pending": len(pending), "victim": victim, "pid": pid}
        time.sleep(0.01)
    raise AssertionError("no task result arrived while others were pending")


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(local_copies, slow_folder, one_duckdb_thread, cluster, tmp_path):
    env = dict(os.environ, DASK_SCHEDULER_ADDRESS=cluster.address)  # the engine's own variable, no --address
    files = 5 * (COPIES + 1)
    with cluster.client() as client:
        proc, err = _build_process(
            ["--engine", "dask", "--filings", str(slow_folder), "--warehouse", str(tmp_path / "wh.duckdb")], env,
        )
        try:
            killed = _kill_a_busy_worker(client, files, time.monotonic() + 120)
            proc.wait(timeout=900)  # a guard against a hang only
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    time.sleep(0.2)  # the stderr pump reads the last lines
    text = "\n".join(err)
    assert proc.returncode == 0, text + cluster.logs()
    assert killed["done"] >= 1 and killed["pending"] >= 10
    with pytest.raises(ProcessLookupError):
        os.kill(killed["pid"], 0)  # it is gone; its nanny starts a new worker process
    assert f"worker {killed['victim']} left the cluster" in text
    # progress as the local build prints it: every 5 % of the files, and the last
    reads = [line for line in err if line.startswith("  read ")]
    assert reads[-1].startswith(f"  read {files}/{files} files") and len(reads) >= 20
    assert f"loaded 5 filings (0 unchanged, reused; 0 unrecognised; {5 * COPIES} duplicates; 0 failed)" in text
    counts = _same(local_copies.warehouse, tmp_path / "wh.duckdb")
    assert counts["raw.filings"] == files  # each document once: none lost, none doubled
    assert _debris(tmp_path) == []


def test_a_document_whose_workers_all_die_stops_the_build_with_one_line(slow_folder, cluster, tmp_path):
    """After ``distributed.scheduler.allowed-failures`` deaths (0 here, to need one kill) Dask
    gives up on the task: KilledWorker. The build names the document and publishes nothing."""

    def allowed(n):
        def set_it(dask_scheduler):
            old = dask_scheduler.allowed_failures
            dask_scheduler.allowed_failures = n
            return old

        return set_it

    files = 5 * (COPIES + 1)
    with cluster.client() as client:
        before = client.run_on_scheduler(allowed(0))
        try:
            # the worker is killed while the scheduler shows it reading a document; on a loaded machine
            # that document may be finished by the time the signal lands (a sample reads in ~20 ms), and
            # then nothing failed and the build succeeds: such an attempt did not test this, try again
            for attempt in range(3):
                out = tmp_path / f"attempt{attempt}"
                out.mkdir()
                client.wait_for_workers(2, timeout=120)  # the worker killed before is back
                proc, err = _build_process(
                    ["--engine", "dask", "--address", cluster.address, "--quiet", "--filings", str(slow_folder),
                     "--warehouse", str(out / "wh.duckdb")], dict(os.environ),
                )
                try:
                    _kill_a_busy_worker(client, files, time.monotonic() + 120)
                    proc.wait(timeout=900)  # a guard against a hang only
                finally:
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
                if proc.returncode != 0:
                    break
        finally:
            client.run_on_scheduler(allowed(before))
    time.sleep(0.2)
    lines = [line for line in err if line.strip()]
    assert proc.returncode == 2, "\n".join(lines)
    assert len(lines) == 1 and lines[0].startswith("medwh: error: ")
    assert "the Dask workers reading it died 1 time, more than distributed.scheduler.allowed-failures (0) allows" in lines[0]
    assert "left as it was" in lines[0]
    assert not (out / "wh.duckdb").exists() and _debris(out) == []


# --------------------------------------------------------------------------- one-line errors (no cluster)
def _one_line(capsys) -> str:
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("medwh: error: "), err
    return err[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MEDWH_DASK_CONNECT_TIMEOUT", "2")
    address = f"tcp://127.0.0.1:{_free_port()}"
    code = cli(["build", "--engine", "dask", "--address", address, "--quiet",
                "--filings", str(FILINGS), "--warehouse", str(tmp_path / "wh.duckdb")])
    line = _one_line(capsys)
    assert code == 2 and f"cannot reach the Dask scheduler at {address}" in line and "dask scheduler" in line
    assert list(tmp_path.iterdir()) == []


def test_without_the_dask_extra_the_error_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # `import dask` raises ImportError
    monkeypatch.setitem(sys.modules, "distributed", None)
    code = cli(["build", "--engine", "dask", "--address", "tcp://127.0.0.1:1", "--quiet",
                "--filings", str(FILINGS), "--warehouse", str(tmp_path / "wh.duckdb")])
    line = _one_line(capsys)
    assert code == 2 and "pip install -e '.[dask]'" in line
    assert list(tmp_path.iterdir()) == []


def test_the_local_build_never_imports_dask(tmp_path):
    code = (
        "import sys; from medwh.cli import main; "
        f"assert main(['load', '--filings', {str(FILINGS)!r}, '--warehouse', {str(tmp_path / 'raw.duckdb')!r}]) == 0; "
        "assert 'distributed' not in sys.modules and 'dask' not in sys.modules, 'dask was imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)


def test_a_cluster_build_needs_a_scheduler_and_cluster_options_need_the_engine(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    args = ["--quiet", "--filings", str(FILINGS), "--warehouse", str(tmp_path / "wh.duckdb")]
    assert cli(["build", "--engine", "dask", *args]) == 2
    assert "needs a scheduler: pass --address tcp://host:8786 or --scheduler-file FILE" in _one_line(capsys)
    assert cli(["build", "--engine", "dask", "--scheduler-file", str(tmp_path / "nope.json"), *args]) == 2
    assert "does not exist: start the scheduler with `dask scheduler --scheduler-file" in _one_line(capsys)
    assert cli(["build", "--address", "tcp://127.0.0.1:8786", "--store", "/tmp/x", *args]) == 2
    assert "--address, --store only apply to a build on a cluster: add --engine dask" in _one_line(capsys)
    assert list(tmp_path.iterdir()) == []
