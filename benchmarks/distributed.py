"""Distributed build on two local workers vs one worker, same input.

    python -m benchmarks.distributed [--filings FOLDER] [--repeat 1]

For 1 and then 2 workers, a local Dask cluster is started the way a user starts one
(``dask scheduler --scheduler-file F`` and ``dask worker --nworkers 1 --nthreads 1
--scheduler-file F`` per worker; ``local_cluster``), the workers import the readers, and
the build's loading step runs on it as ``medwh build --engine dask`` runs it: every document
read on the cluster, its Parquet part written to the store and loaded by this process into
the raw tables of a scratch DuckDB file (``load_folder`` with ``medwh.cluster.DaskEngine``).
dbt is left out: it runs the same after either, on this machine. The result is the time of
each and the speed-up, one worker's time ÷ two workers' (target ≥ 1.7×). By default the
input is ``../shared/real-filings`` and ``../shared/real-corpus`` together (3,300 pages, linked
file by file into one scratch folder): on the 465 pages of real-filings alone the cluster's
fixed costs (connecting, checking the workers, the store) are a visible share of a short run. ``make bench``
(``benchmarks.run``) calls ``measure_distributed_scaling`` and reports it in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from benchmarks.run import loadavg

ROOT = Path(__file__).resolve().parent.parent
REAL_FILINGS = ROOT.parent / "shared" / "real-filings"
REAL_FOLDERS = (REAL_FILINGS, ROOT.parent / "shared" / "real-corpus")
TARGET_SPEEDUP = 1.7  # two workers vs one, same input
DASK = Path(sys.executable).parent / "dask"


# =========================================================================== a local cluster, as a user starts one
class LocalCluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.scheduler_file = folder / "scheduler.json"
        self.address = ""
        self.procs: list[subprocess.Popen] = []  # the scheduler, then each worker's nanny

    def client(self):
        from distributed import Client

        return Client(scheduler_file=str(self.scheduler_file), set_as_default=False, timeout=30)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:] for p in sorted(self.folder.glob("*.log"))
        )

    def _start(self, cmd: list[str], log: str) -> subprocess.Popen:
        with open(self.folder / log, "wb") as fh:
            # its own process group: stopped with whatever it started (a worker's nanny and its process)
            proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start(self, workers: int) -> "LocalCluster":
        if not DASK.exists():
            raise RuntimeError(f"{DASK} is missing: install the dask extra (pip install -e '.[dask]')")
        self.folder.mkdir(parents=True, exist_ok=True)
        scheduler = self._start(
            [str(DASK), "scheduler", "--scheduler-file", str(self.scheduler_file), "--host", "127.0.0.1",
             "--port", "0", "--dashboard-address", ":0"],  # port 0: a free port
            "scheduler.log",
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.address = json.loads(self.scheduler_file.read_text())["address"]
                break
            except (OSError, ValueError, KeyError):  # not written yet, or half written
                if time.monotonic() > deadline or scheduler.poll() is not None:
                    raise RuntimeError(f"the Dask scheduler did not start:\n{self.logs()}") from None
                time.sleep(0.1)
        for i in range(workers):
            self._start(
                [str(DASK), "worker", "--nworkers", "1", "--nthreads", "1", "--scheduler-file", str(self.scheduler_file),
                 "--dashboard-address", ":0", "--death-timeout", "60", "--local-directory", str(self.folder / f"worker{i}")],
                f"worker{i}.log",
            )
        from loaders.parts import warm_up

        with self.client() as client:
            client.wait_for_workers(workers, timeout=120)
            client.run(warm_up)  # the readers' imports, before anything is timed
        return self

    def stop(self) -> None:
        for proc in reversed(self.procs):
            for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
                if proc.poll() is not None:
                    break
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    continue
            try:  # a worker process left behind by a nanny that went first
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
        self.procs.clear()


@contextmanager
def local_cluster(folder: Path, workers: int) -> Iterator[LocalCluster]:
    """A scheduler and ``workers`` single-threaded worker processes, stopped however the block ends."""
    cluster = LocalCluster(folder)
    try:
        yield cluster.start(workers)
    finally:
        cluster.stop()


# =========================================================================== the measurement
def distributed_load(filings: Path, cluster: LocalCluster, work: Path) -> dict:
    """The loading step of ``medwh build --engine dask`` on ``cluster``, into a scratch file."""
    from loaders.load import load_folder, open_new_warehouse
    from medwh.cluster import DaskEngine

    warehouse = work / "scratch.duckdb"
    for p in (warehouse, Path(f"{warehouse}.wal")):
        p.unlink(missing_ok=True)
    busy: dict[str, float] = {}  # worker process → seconds its tasks took (reading, staging, writing the part)

    def timed(paths, root, cached, progress):
        for r in engine(paths, root, cached, progress):
            busy[r.worker] = busy.get(r.worker, 0.0) + r.seconds
            yield r

    import resource

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    engine = DaskEngine.connect(filings, warehouse, scheduler_file=str(cluster.scheduler_file), say=lambda *a: None)
    try:
        con = open_new_warehouse(warehouse)
        try:
            summary = load_folder(filings, con, engine=timed)
        finally:
            con.close()
    finally:
        engine.close()
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    for p in (warehouse, Path(f"{warehouse}.wal")):
        p.unlink(missing_ok=True)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    return {"seconds": seconds, "files": summary.files, "loaded": summary.loaded, "pages": summary.pages,
            "bytes": summary.bytes, "rows": sum(summary.rows.values()), "build_cpu_seconds": round(cpu, 2),
            "task_seconds_by_worker": sorted(round(v, 2) for v in busy.values())}


def measure_distributed_scaling(filings: Optional[Path] = None, repeat: int = 1, say=print) -> dict:
    """One worker vs two on the same input: seconds of each (best of ``repeat``) and the speed-up.

    Returns ``{"skipped": reason}`` when Dask is not installed or the input is absent.
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        return {"skipped": "Dask is not installed (pip install -e '.[dask]')"}
    work = Path(tempfile.mkdtemp(prefix="medwh-bench-dask-"))
    if filings is None:
        absent = [str(f) for f in REAL_FOLDERS if not f.is_dir()]
        if absent:
            shutil.rmtree(work, ignore_errors=True)
            return {"skipped": f"{', '.join(absent)} absent"}
        filings = link_files(REAL_FOLDERS, work / "filings")
        described = " + ".join(f"../shared/{f.name}" for f in REAL_FOLDERS)
    else:
        described = str(filings)
    filings = Path(filings)
    if not filings.is_dir():
        shutil.rmtree(work, ignore_errors=True)
        return {"skipped": f"{filings} is absent"}
    filings = filings.resolve()
    result: dict = {"filings": described, "target": TARGET_SPEEDUP, "runs": {}}
    try:
        for workers in (1, 2):
            with local_cluster(work / f"cluster{workers}", workers) as cluster:
                times = []
                for i in range(repeat):
                    before = loadavg()
                    run = distributed_load(filings, cluster, work)
                    run.update(loadavg_before=before, loadavg_after=loadavg())
                    times.append(run)
                    say(f"distributed load, {workers} worker(s), run {i + 1}: {run['seconds']:.1f} s "
                        f"({run['files']} files, {run['pages']} pages; task seconds per worker "
                        f"{run['task_seconds_by_worker']}; the build's own CPU {run['build_cpu_seconds']} s; "
                        f"load average {before} → {run['loadavg_after']})")
            result["runs"][workers] = min(times, key=lambda r: r["seconds"])
        one, two = result["runs"][1]["seconds"], result["runs"][2]["seconds"]
        result["speedup"] = one / two
        result["pass"] = result["speedup"] >= TARGET_SPEEDUP
        result["cpus"] = os.cpu_count()
        say(f"two workers vs one: {one:.1f} s → {two:.1f} s, {result['speedup']:.2f}× (target ≥ {TARGET_SPEEDUP}×)")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def link_files(folders, dest: Path) -> Path:
    """One folder of links to every file of ``folders`` (not their READMEs), in their own sub-folders."""
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.name != "README.md":
                link = dest / folder.name / p.relative_to(folder)
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(p.resolve())
    return dest


def _join(run: dict) -> str:
    return " + ".join(f"{x:.1f} s" for x in run.get("task_seconds_by_worker", [])) or "–"


def render(result: dict) -> list[str]:
    """The BENCHMARKS.md section."""
    L = ["## Distributed build: two local workers vs one", ""]
    if "skipped" in result:
        return L + [f"Not measured: {result['skipped']}.", ""]
    one, two = result["runs"][1], result["runs"][2]
    status = "**PASS**" if result["pass"] else "**FAIL**"
    L += [
        f"`benchmarks.distributed.measure_distributed_scaling` on `{result['filings']}` "
        f"({one['files']} files, {one['pages']} pages): the loading step of `medwh build --engine dask` "
        "(every document read on a local Dask cluster, written as a Parquet part, loaded into the raw tables by the "
        "build) with one `dask worker --nthreads 1` and with two; dbt, the same after either, is left out. "
        f"The scheduler, the workers and the build share this machine's {result.get('cpus')} CPUs.",
        "",
        "| | 1 worker | 2 workers |",
        "|---|---|---|",
        f"| loading step | {one['seconds']:.1f} s | {two['seconds']:.1f} s |",
        f"| task seconds per worker (read, stage, write the part) | {_join(one)} | {_join(two)} |",
        f"| CPU of the build process (collect, read the parts back, store) | {one.get('build_cpu_seconds', '–')} s | "
        f"{two.get('build_cpu_seconds', '–')} s |",
        f"| load average before → after | {one['loadavg_before']} → {one['loadavg_after']} | "
        f"{two['loadavg_before']} → {two['loadavg_after']} |",
        "",
        "Equal task seconds per worker mean the documents were shared evenly; task seconds that grow with two "
        "workers mean they competed for the CPUs (a shared machine: see the load average).",
        "",
        "| target | measured | status |",
        "|---|---|---|",
        f"| two workers at least {TARGET_SPEEDUP}× one worker | {result['speedup']:.2f}× | {status} |",
        "",
    ]
    return L


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.distributed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--filings", type=Path, default=None,
                    help="a folder of filings (default: ../shared/real-filings and real-corpus together)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per worker count (the best is kept)")
    args = ap.parse_args(argv)
    result = measure_distributed_scaling(args.filings, args.repeat, say=lambda *a: print(*a, file=sys.stderr, flush=True))
    print(json.dumps(result, indent=1, default=str))
    return 0 if result.get("pass", "skipped" in result) else 1


if __name__ == "__main__":
    sys.exit(main())
