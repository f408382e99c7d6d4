"""Throughput benchmark: synthetic corpora → warehouses → BENCHMARKS.md.

    python -m benchmarks.run [--sizes 1000,10000] [--out BENCHMARKS.md] [--seed S] [--no-profile] [--no-distributed]

For each size N a corpus is generated with ``benchmarks.corpus`` (cached under
``build/bench/N``: reused when its manifest has the same seed, size and generator
version) and, from the same run:

* the floor: the time Python needs merely to read, decode and split the same files
  into lines (``loaders.text.decode_filing`` on each file), in one process and in
  as many processes as the loader uses;
* a full build (``medwh.build.build_warehouse`` into a new file, in a child
  process): loader seconds, MB/s and filings/s, dbt build seconds, end-to-end wall
  time, and peak memory of the whole process tree (the child, its process-pool
  workers and dbt): the largest single process (``getrusage``) and the sum over the
  tree (PSS, sampled every 0.1 s from /proc);
* a rebuild with nothing changed and one with 1 % of the files changed (a line
  appended; the originals are put back afterwards): ``build_warehouse`` again on
  the same warehouse path;
* on the largest warehouse, the time of each ``analyses/*.sql`` query (compiled by
  ``dbt compile``, run in DuckDB and fetched as Arrow, as BI tools and pandas
  receive results: the first run and the median of five more; fetching the same
  result as Python tuples is reported beside it).

With ``--distributed`` (the default) ``benchmarks.distributed.measure_distributed_scaling``
times the loading step of ``medwh build --engine dask`` on ../shared/real-filings + real-corpus with two
local Dask workers and with one (target: at least 1.7× faster with two).

With ``--profile`` (the default) the loader also runs once more, in one process,
under cProfile on the smallest corpus, and the hotspots go into the report.

Then the scale issue's measurements (:mod:`benchmarks.scale`): the PDF readers' pages/s
per core on every real PDF (our reader, pdfplumber ``extract_tables``, PDFium's plain
text), ``../shared/real-filings`` + ``../shared/real-corpus`` built end to end, a
mixed-format synthetic corpus (text exports and PDF/Word/Excel originals, ``--mixed N``),
the distributed build (unless ``--no-distributed``), and a paper estimate of a
national build from the measured costs. The real-file parts are skipped, saying why,
when ``../shared`` is absent (or with ``--no-real``). Every build reports the CPU seconds
of each kind of process (loader parent, loader workers, dbt) besides its wall time: on a
shared machine the CPU time is the number other jobs do not inflate.

Results, the machine and the date are written to BENCHMARKS.md with PASS/FAIL per
target. The machine may be shared: the load average before and after each
measurement is reported with it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "build" / "bench"
DEFAULT_SIZES = (1000, 10000)
DEFAULT_SEED = 20240601

TARGET_END_TO_END_S = 180.0  # 10,000 filings end to end
TARGET_FLOOR_RATIO = 5.0  # loader within 5× the floor
TARGET_PEAK_BYTES = 1.5 * 1024**3  # peak memory under 1.5 GB
TARGET_FLAT_RATIO = 1.5  # "flat": the largest corpus's peak at most 1.5× the smallest's
TARGET_NOCHANGE_SHARE = 0.10  # no-change rebuild under 10 % of a full build
TARGET_ANALYSIS_S = 0.200  # each analysis under 200 ms


# =========================================================================== corpora
def ensure_corpus(n: int, seed: int, say=print, formats: tuple[str, ...] = ("txt",)) -> Path:
    """build/bench/N (build/bench/N-txt-pdf-docx-xlsx for other formats) with N filings of ``seed``,
    generated unless a matching one is there."""
    from benchmarks.corpus import GENERATOR_VERSION, generate

    formats = tuple(formats)
    folder = BENCH_DIR / (str(n) if formats == ("txt",) else f"{n}-{'-'.join(formats)}")
    manifest = folder / "truth" / "manifest.json"
    if manifest.exists():
        try:
            m = json.loads(manifest.read_text(encoding="utf-8"))
            files = sum(1 for p in (folder / "filings").rglob("*") if p.is_file())
            if (m.get("seed"), m.get("n"), m.get("generator_version"), m.get("files"), tuple(m.get("formats", ()))) == (
                seed, n, GENERATOR_VERSION, files, formats
            ):
                say(f"corpus {n} ({','.join(formats)}): cached in {folder}")
                return folder
        except (OSError, ValueError):
            pass
    say(f"corpus {n} ({','.join(formats)}): generating into {folder}")
    generate(n, folder, seed=seed, quiet=True, formats=formats)
    return folder


# =========================================================================== memory of a process tree
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes of one process (PSS from smaps_rollup when readable)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
        return rss, pss
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0, 0
    return rss, rss


_CLK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_of(pid: int) -> Optional[float]:
    """CPU seconds (user + system) a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        fields = stat[stat.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / _CLK
    except (OSError, ValueError, IndexError):
        return None


def _role(pid: int, root: int) -> str:
    """What a process of the measured tree is: the build (loader parent), a loader worker, dbt."""
    if pid == root:
        return "build_warehouse (loader parent)"
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "?"
    if "dbt.cli.main" in cmd:
        return "dbt build"
    if "resource_tracker" in cmd:
        return "multiprocessing resource tracker"
    return "loader worker" if "python" in cmd else cmd.split(" ", 1)[0]


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and all its descendants, and the
    peak RSS of each kind of process in the tree."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.by_role: dict[str, int] = {}  # role → peak RSS of one such process
        self.roles: dict[int, str] = {}
        self.cpu: dict[int, float] = {}  # pid → CPU seconds at its last sample
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = _tree(self.pid)
            rss = pss = 0
            for p in pids:
                r, s = _memory_of(p)
                rss += r
                pss += s
                role = self.roles.get(p) or self.roles.setdefault(p, _role(p, self.pid))
                self.by_role[role] = max(self.by_role.get(role, 0), r)
                c = _cpu_of(p)
                if c is not None:
                    self.cpu[p] = c
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds used by each kind of process of the tree (as last sampled: a process that ended
        between two samples loses at most 0.1 s)."""
        out: dict[str, float] = {}
        for pid, c in self.cpu.items():
            role = self.roles.get(pid, "?")
            out[role] = out.get(role, 0.0) + c
        return out


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run_child(spec: dict) -> dict:
    """Run one measurement in a child process, sampling the memory of its process tree."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    spec = dict(spec, result=str(out))
    before = loadavg()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.run", "--child", json.dumps(spec)], cwd=ROOT)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - started
    sampler.stop()
    try:
        result = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result = {}
    finally:
        out.unlink(missing_ok=True)
    if code != 0 or not result.get("ok"):
        raise RuntimeError(f"benchmark step {spec['mode']} failed (exit {code}): {result.get('error', '')}")
    result.update(process_wall=wall, tree_peak_rss=sampler.peak_rss, tree_peak_pss=sampler.peak_pss,
                  tree_peak_procs=sampler.peak_procs, peak_by_role=sampler.by_role, cpu_by_role=sampler.cpu_by_role(),
                  loadavg_before=before,
                  loadavg_after=loadavg())
    return result


# =========================================================================== what the child does
def _decode(path: str) -> tuple[int, int]:
    from loaders.text import DecodeError, decode_filing

    data = Path(path).read_bytes()
    try:
        return len(data), len(decode_filing(data).lines)
    except DecodeError:
        return len(data), 0


def child_floor(spec: dict) -> dict:
    """Read, decode and split every file into lines: the floor of any loader."""
    from concurrent.futures import ProcessPoolExecutor

    from loaders.load import discover_files

    folder = Path(spec["filings"])
    workers = spec["workers"]
    started = time.perf_counter()
    paths = [str(p) for p in discover_files(folder)]
    if workers <= 1:
        res = [_decode(p) for p in paths]
    else:
        chunk = max(1, min(64, len(paths) // (workers * 8) or 1))  # as the loader chunks
        with ProcessPoolExecutor(max_workers=workers) as pool:
            res = list(pool.map(_decode, paths, chunksize=chunk))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "files": len(paths), "bytes": sum(b for b, _ in res), "lines": sum(n for _, n in res)}


def child_build(spec: dict) -> dict:
    import resource

    from medwh.build import build_warehouse

    started = time.perf_counter()
    r = build_warehouse(Path(spec["filings"]), Path(spec["warehouse"]), quiet=True,
                        target_path=Path(spec["target"]), workers=spec.get("workers"))
    seconds = time.perf_counter() - started
    load = r.load
    return {
        "seconds": seconds, "load_seconds": load.seconds, "dbt_seconds": r.dbt_seconds, "files": load.files,
        "mode": r.mode, "mode_reason": r.mode_reason,
        "loaded": load.loaded, "reused": getattr(load, "reused", None), "duplicates": load.duplicates,
        "failed": load.failed, "bytes": load.bytes, "rows": load.rows, "tests": r.tests,
        "pages": getattr(load, "pages", None), "workers": spec.get("workers") or os.cpu_count() or 1,
        "self_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "children_maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def child_profile(spec: dict) -> dict:
    """load_folder in ONE process (workers=1) under cProfile: parsing and writing, all visible."""
    import cProfile
    import pstats

    from loaders.load import load_folder, open_new_warehouse

    folder = Path(spec["filings"])
    db = Path(spec["warehouse"])
    con = open_new_warehouse(db)
    prof = cProfile.Profile()
    started = time.perf_counter()
    prof.enable()
    summary = load_folder(folder, con, workers=1)
    prof.disable()
    seconds = time.perf_counter() - started
    con.close()
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    prof.dump_stats(spec["pstats"])
    stats = pstats.Stats(prof)
    total = stats.total_tt
    rows = []
    by_module: dict[str, float] = {}
    for (filename, line, func), (cc, nc, tt, ct, _callers) in stats.stats.items():
        module = _module_of(filename, func)
        by_module[module] = by_module.get(module, 0.0) + tt
        rows.append({"function": _func_name(filename, line, func), "module": module, "calls": nc,
                     "tottime": tt, "cumtime": ct})
    top_tt = sorted(rows, key=lambda r: -r["tottime"])[:25]
    own = [r for r in rows if r["module"].startswith("loaders")]
    top_ct = sorted(own, key=lambda r: -r["cumtime"])[:25]
    modules = sorted(by_module.items(), key=lambda kv: -kv[1])[:15]
    return {"seconds": seconds, "profiled_total": total, "bytes": summary.bytes, "files": summary.files,
            "top_tottime": top_tt, "top_cumtime": top_ct, "modules": modules}


def _module_of(filename: str, func: str) -> str:
    if filename == "~":  # built-in functions: name them by what they are
        if "re.Pattern" in func or "_sre" in func:
            return "re (C engine)"
        if "method '" in func:
            return "builtins: " + func.split("'")[1].split(".")[0] + " methods"
        return "builtins"
    path = Path(filename)
    try:
        rel = path.resolve().relative_to(ROOT)
        return ".".join(rel.with_suffix("").parts)
    except ValueError:
        pass
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    return path.stem if path.suffix == ".py" else filename


def _func_name(filename: str, line: int, func: str) -> str:
    if filename == "~":
        return func
    try:
        rel = Path(filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        rel = Path(filename).name
    return f"{rel}:{line}({func})"


def child_load(spec: dict) -> dict:
    """load_folder as build_warehouse runs it (process pool), into a scratch file."""
    from loaders.load import load_folder, open_new_warehouse

    db = Path(spec["warehouse"])
    con = open_new_warehouse(db)
    started = time.perf_counter()
    summary = load_folder(Path(spec["filings"]), con, workers=spec.get("workers"))
    seconds = time.perf_counter() - started
    con.close()
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    return {"seconds": seconds, "bytes": summary.bytes, "files": summary.files}


def child_main(raw: str) -> int:
    spec = json.loads(raw)
    result: dict = {"ok": False}
    try:
        from benchmarks.scale import child_pdf_readers

        result.update({"floor": child_floor, "build": child_build, "profile": child_profile,
                       "load": child_load, "pdf_readers": child_pdf_readers}[spec["mode"]](spec))
        result["ok"] = True
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        import traceback

        result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    Path(spec["result"]).write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0 if result["ok"] else 1


# =========================================================================== py-spy (all processes)
def find_pyspy() -> Optional[str]:
    for cand in (Path(sys.executable).parent / "py-spy", shutil.which("py-spy")):
        if cand and Path(cand).exists():
            return str(cand)
    return None


def pyspy_load(pyspy: str, filings: Path, work: Path, rate: int = 100) -> Optional[dict]:
    """Sample the pooled loader (parent and workers) with py-spy; None if py-spy cannot attach."""
    raw = work / "pyspy-load.txt"
    spec = {"mode": "load", "filings": str(filings), "warehouse": str(work / "pyspy.duckdb"),
            "result": str(work / "pyspy-result.json")}
    cmd = [pyspy, "record", "-r", str(rate), "--subprocesses", "-f", "raw", "-o", str(raw), "--",
           sys.executable, "-m", "benchmarks.run", "--child", json.dumps(spec)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0 or not raw.exists():
        return None
    try:
        seconds = json.loads(Path(spec["result"]).read_text(encoding="utf-8")).get("seconds")
    except (OSError, ValueError):
        seconds = None
    return summarise_pyspy(raw, rate) | {"wall": wall, "load_seconds": seconds}


def summarise_pyspy(raw: Path, rate: int) -> dict:
    """Busy CPU seconds of the parent and of the workers, and the top functions of each
    (own time: the innermost Python frame of a sample)."""
    import re

    parent: dict[str, int] = {}
    workers: dict[str, int] = {}
    busy = {"parent": 0, "workers": 0}
    pids: set = set()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        frames = stack.split(";")
        procs = [f for f in frames if f.startswith("process ")]
        pids.update(f.split(":", 1)[0] for f in procs)
        if frames[-1].startswith("process "):
            continue  # no Python frame in the sample
        leaf = re.sub(r":\d+\)$", ")", frames[-1]).replace(str(ROOT) + "/", "")
        leaf = re.sub(r"/\S*/python3\.\d+/", "", leaf)
        who = "workers" if len(procs) > 1 else "parent"
        busy[who] += int(n)
        table = workers if who == "workers" else parent
        table[leaf] = table.get(leaf, 0) + int(n)

    def top(table, k=12):
        total = sum(table.values()) or 1
        return [(name, count / rate, count / total) for name, count in sorted(table.items(), key=lambda kv: -kv[1])[:k]]

    return {"parent_cpu": busy["parent"] / rate, "workers_cpu": busy["workers"] / rate, "processes": len(pids),
            "parent_top": top(parent), "workers_top": top(workers)}


# =========================================================================== analyses
def time_analyses(warehouse: Path, work: Path, say=print) -> dict:
    from medwh.build import run_dbt

    sources = sorted((ROOT / "analyses").glob("*.sql"))
    if not sources:
        return {"skipped": "analyses/ holds no .sql file"}
    target = work / "target-analyses"
    run = run_dbt(["compile", "--select", "resource_type:analysis"], warehouse, quiet=True, target_path=target)
    if not run.success:
        run = run_dbt(["compile"], warehouse, quiet=True, target_path=target)
    if not run.success:
        return {"skipped": f"dbt compile failed (exit {run.returncode})"}
    compiled = {p.stem: p for p in (target / "compiled").rglob("analyses/**/*.sql")}
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    out = {}
    before = loadavg()
    try:
        for src in sources:
            path = compiled.get(src.stem)
            if path is None:
                out[src.stem] = {"error": "not compiled"}
                continue
            sql = path.read_text(encoding="utf-8")
            try:
                # timed as a BI tool or pandas receives a result: executed and fetched as Arrow
                # columns. Building Python tuples (fetchall) is timed too, for reference: for
                # tens of thousands of rows of decimals it costs more than the query.
                t0 = time.perf_counter()
                rows = con.execute(sql).fetch_arrow_table().num_rows
                first = time.perf_counter() - t0
                runs = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    con.execute(sql).fetch_arrow_table()
                    runs.append(time.perf_counter() - t0)
                tuples = []
                for _ in range(3):
                    t0 = time.perf_counter()
                    con.execute(sql).fetchall()
                    tuples.append(time.perf_counter() - t0)
                out[src.stem] = {
                    "first": first,
                    "median": statistics.median(runs),
                    "max": max(runs),
                    "rows": rows,
                    "fetchall_median": statistics.median(tuples),
                }
            except Exception as exc:  # noqa: BLE001 - one broken analysis does not stop the others
                out[src.stem] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
            say(f"  analysis {src.stem}: {out[src.stem]}")
    finally:
        con.close()
    return {"queries": out, "loadavg_before": before, "loadavg_after": loadavg()}


# =========================================================================== one size
def bench_size(n: int, seed: int, workers: int, say=print) -> dict:
    corpus = ensure_corpus(n, seed, say)
    filings = corpus / "filings"
    work = BENCH_DIR / f"work-{n}"
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "warehouse.duckdb"
    for p in (warehouse, Path(str(warehouse) + ".wal")):
        p.unlink(missing_ok=True)
    res: dict = {"n": n, "corpus": str(corpus.relative_to(ROOT))}
    say(f"[{n}] floor: read + decode + split, 1 process")
    res["floor1"] = run_child({"mode": "floor", "filings": str(filings), "workers": 1})
    say(f"[{n}] floor: {workers} processes")
    res["floorN"] = run_child({"mode": "floor", "filings": str(filings), "workers": workers})
    say(f"[{n}] full build")
    res["full"] = run_child({"mode": "build", "filings": str(filings), "warehouse": str(warehouse),
                             "target": str(work / "target")})
    say(f"[{n}]   {res['full']['seconds']:.1f}s (load {res['full']['load_seconds']:.1f}s, "
        f"dbt {res['full']['dbt_seconds']:.1f}s)")
    res["dbt_top"] = _slowest_nodes(work / "target" / "run_results.json")
    say(f"[{n}] rebuild, nothing changed")
    res["nochange"] = run_child({"mode": "build", "filings": str(filings), "warehouse": str(warehouse),
                                 "target": str(work / "target")})
    say(f"[{n}]   {res['nochange']['seconds']:.1f}s, {res['nochange'].get('reused')} filings reused")
    changed = _change_files(filings, work / "originals", share=0.01)
    try:
        say(f"[{n}] rebuild, {len(changed)} files (1 %) changed")
        res["changed"] = run_child({"mode": "build", "filings": str(filings), "warehouse": str(warehouse),
                                    "target": str(work / "target")})
        res["changed"]["changed_files"] = len(changed)
        res["changed_dbt_top"] = _slowest_nodes(work / "target" / "run_results.json")
        say(f"[{n}]   {res['changed']['seconds']:.1f}s, {res['changed'].get('reused')} filings reused")
    finally:
        _restore_files(filings, work / "originals", changed)
    res["warehouse"] = str(warehouse)
    res["warehouse_bytes"] = warehouse.stat().st_size if warehouse.exists() else None
    return res


def _slowest_nodes(path: Path, k: int = 10) -> list[tuple[str, float]]:
    try:
        results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []
    nodes = sorted(((r.get("unique_id", "?"), float(r.get("execution_time") or 0)) for r in results), key=lambda x: -x[1])
    return [(".".join(u.split(".")[:1] + u.split(".")[2:3]), t) for u, t in nodes[:k]]


def _change_files(filings: Path, backup: Path, share: float) -> list[str]:
    """Append a line to every 1/share-th file (a real content change), keeping the originals."""
    from loaders.load import discover_files

    paths = discover_files(filings)
    step = max(1, round(1 / share))
    chosen = [p for k, p in enumerate(paths) if k % step == step // 2]
    if backup.exists():
        shutil.rmtree(backup)
    for p in chosen:
        rel = p.relative_to(filings)
        dest = backup / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)
        data = p.read_bytes()
        crlf = b"\r\n" in data[:4096]
        enc = "gb18030" if _is_gb(data) else "utf-8"
        note = "注：本表数据已于年中调整后重新公开。" + ("\r\n" if crlf else "\n")
        p.write_bytes(data + note.encode(enc))
    return [p.relative_to(filings).as_posix() for p in chosen]


def _is_gb(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def _restore_files(filings: Path, backup: Path, changed: list[str]) -> None:
    for rel in changed:
        src = backup / rel
        if src.exists():
            shutil.copy2(src, filings / rel)
    shutil.rmtree(backup, ignore_errors=True)


# =========================================================================== the machine
def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        info["affinity"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    from importlib import metadata

    for dist in ("duckdb", "dbt-core", "dbt-duckdb", "pyarrow"):
        try:
            info[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[dist] = "?"
    return info


# =========================================================================== the report
def _mb(b) -> str:
    return f"{b / 1e6:,.1f}" if b is not None else "–"


def _gib(b) -> str:
    return f"{b / 1024**3:.2f} GiB" if b else "–"


def _mib(b) -> str:
    return f"{b / 1024**2:,.0f} MiB" if b else "–"


def _s(x) -> str:
    if x is None:
        return "–"
    return f"{x:,.1f} s" if x < 120 else f"{x:,.0f} s ({int(x // 60)} min {x % 60:02.0f} s)"


def _status(ok: Optional[bool]) -> str:
    return "–" if ok is None else ("**PASS**" if ok else "**FAIL**")


def render(results: list[dict], info: dict, analyses: dict, profile: Optional[dict], seed: int,
           started: datetime, seconds: float, spy: Optional[dict] = None, scale: Optional[dict] = None) -> str:
    from benchmarks import scale as S

    scale = scale or {}
    pdf, real, mixed, dist, est = (scale.get(k) or {} for k in ("pdf", "real", "mixed", "distributed", "estimate"))
    L: list[str] = []
    L.append("# Benchmarks")
    L.append("")
    L.append(f"Measured {started:%Y-%m-%d %H:%M} UTC by `make bench` (`python -m benchmarks.run`), "
             f"{seconds / 60:.0f} min in all. Corpora from `benchmarks.corpus` (seed {seed}; the five sample "
             "layouts, mixed encodings, ~3 % injected source errors), cached under `build/bench/N`; the corpus "
             "with PDF, Word and Excel originals under `build/bench/N-txt-pdf-docx-xlsx`. "
             "Each measurement runs in a child process; memory is that of the whole process tree "
             "(the build, its process-pool workers and dbt).")
    L.append("")
    L.append("## Machine")
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    L.append(f"| CPUs (nproc) | {info.get('nproc')} (usable: {info.get('affinity', '?')}) |")
    L.append(f"| CPU | {info.get('cpu', '?')} |")
    L.append(f"| memory | {_gib(info.get('memory'))} |")
    L.append(f"| OS | {info.get('platform')} |")
    L.append(f"| Python | {info.get('python')} |")
    L.append(f"| DuckDB | {info.get('duckdb')} |")
    L.append(f"| dbt-core / dbt-duckdb | {info.get('dbt-core')} / {info.get('dbt-duckdb')} |")
    L.append(f"| pyarrow | {info.get('pyarrow')} |")
    L.append("")
    L.append("The load average (1, 5, 15 min) before and after each build is in the last column: this "
             "machine may be shared, and a load above the CPU count means the numbers are pessimistic.")
    L.append("")
    L.append("## Results")
    L.append("")
    L.append("| | " + " | ".join(f"{r['n']:,} filings" for r in results) + " |")
    L.append("|---|" + "---|" * len(results))

    def row(label, fn):
        vals = []
        for r in results:
            try:
                vals.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                vals.append("–")
        L.append(f"| {label} | " + " | ".join(vals) + " |")

    row("files (incl. duplicates) / MB", lambda r: f"{r['full']['files']:,} / {_mb(r['full']['bytes'])}")
    row("floor: read + decode + split, 1 process", lambda r: _s(r["floor1"]["seconds"]))
    row("floor: same, as many processes as the loader", lambda r: _s(r["floorN"]["seconds"]))
    row("loader (parse + write raw)", lambda r: _s(r["full"]["load_seconds"]))
    row("loader throughput", lambda r: f"{r['full']['bytes'] / 1e6 / r['full']['load_seconds']:.2f} MB/s, "
        f"{r['full']['files'] / r['full']['load_seconds']:.0f} filings/s")
    row("loader ÷ floor (same processes; 1 process)", lambda r: f"{r['full']['load_seconds'] / r['floorN']['seconds']:.0f}× ; "
        f"{r['full']['load_seconds'] / r['floor1']['seconds']:.0f}×")
    row("dbt build", lambda r: _s(r["full"]["dbt_seconds"]))
    row("end to end (build_warehouse)", lambda r: _s(r["full"]["seconds"]))
    row("end to end (child process wall)", lambda r: _s(r["full"]["process_wall"]))
    row("CPU seconds: loader parent / loader workers / dbt", lambda r: " / ".join(
        f"{(r['full'].get('cpu_by_role') or {}).get(k, 0):.1f}" for k in
        ("build_warehouse (loader parent)", "loader worker", "dbt build")))
    row("peak memory, process tree (sum of PSS)", lambda r: _mib(r["full"]["tree_peak_pss"]))
    row("peak memory, process tree (sum of RSS)", lambda r: _mib(r["full"]["tree_peak_rss"]))
    row("peak RSS, largest process (getrusage)",
        lambda r: _mib(max(r["full"]["self_maxrss"], r["full"]["children_maxrss"])))
    row("peak RSS by process: loader parent / one worker / dbt",
        lambda r: " / ".join(_mib(r["full"]["peak_by_role"].get(k)) for k in
                             ("build_warehouse (loader parent)", "loader worker", "dbt build")))
    row("raw rows: budget_lines / targets", lambda r: f"{r['full']['rows'].get('budget_lines', 0):,} / "
        f"{r['full']['rows'].get('targets', 0):,}")
    row("warehouse file", lambda r: _mib(r["warehouse_bytes"]))
    row("rebuild, nothing changed", lambda r: f"{_s(r['nochange']['seconds'])} (load "
        f"{r['nochange']['load_seconds']:.1f} s, {r['nochange'].get('reused')} reused; dbt "
        f"{r['nochange']['dbt_seconds']:.1f} s)")
    row("rebuild, 1 % of files changed", lambda r: f"{_s(r['changed']['seconds'])} ({r['changed']['changed_files']} "
        f"changed; load {r['changed']['load_seconds']:.1f} s, {r['changed'].get('reused')} reused; dbt "
        f"{r['changed']['dbt_seconds']:.1f} s)")
    row("dbt tests", lambda r: ", ".join(f"{k} {v}" for k, v in sorted(r["full"]["tests"].items())))
    row("load average before → after (full build)",
        lambda r: f"{r['full']['loadavg_before']} → {r['full']['loadavg_after']}")
    L.append("")

    # ---- targets
    big = max(results, key=lambda r: r["n"])
    small = min(results, key=lambda r: r["n"])
    L.append("## Targets")
    L.append("")
    L.append("| target | measured | status |")
    L.append("|---|---|---|")
    ten = next((r for r in results if r["n"] == 10000), None)
    if ten:
        e2e = ten["full"]["seconds"]
        L.append(f"| 10,000 filings end to end under 3 min | {_s(e2e)} | {_status(e2e < TARGET_END_TO_END_S)} |")
    else:
        L.append("| 10,000 filings end to end under 3 min | not measured (no 10,000 size in this run) | – |")
    for r in results:
        ratio = r["full"]["load_seconds"] / r["floorN"]["seconds"]
        L.append(f"| loader within 5× the floor ({r['n']:,} filings; floor with the loader's process count) | "
                 f"{ratio:.0f}× ({r['full']['load_seconds']:.1f} s vs {r['floorN']['seconds']:.1f} s) | "
                 f"{_status(ratio <= TARGET_FLOOR_RATIO)} |")
    for r in results:
        peak = r["full"]["tree_peak_pss"] or r["full"]["tree_peak_rss"]
        L.append(f"| peak memory under 1.5 GB ({r['n']:,} filings, process tree) | {_mib(peak)} | "
                 f"{_status(peak < TARGET_PEAK_BYTES)} |")
    if len(results) > 1:
        a = small["full"]["tree_peak_pss"] or small["full"]["tree_peak_rss"]
        b = big["full"]["tree_peak_pss"] or big["full"]["tree_peak_rss"]
        L.append(f"| peak memory flat as the corpus grows (×{big['n'] // small['n']} filings → at most "
                 f"×{TARGET_FLAT_RATIO} memory) | {_mib(a)} → {_mib(b)} (×{b / a:.2f}) | "
                 f"{_status(b <= a * TARGET_FLAT_RATIO)} |")
    for r in results:
        share = r["nochange"]["seconds"] / r["full"]["seconds"]
        L.append(f"| no-change rebuild under 10 % of a full build ({r['n']:,} filings) | "
                 f"{share:.0%} ({r['nochange']['seconds']:.1f} s of {r['full']['seconds']:.1f} s) | "
                 f"{_status(share < TARGET_NOCHANGE_SHARE)} |")
    queries = analyses.get("queries")
    if queries:
        for name, q in queries.items():
            if "error" in q:
                L.append(f"| analysis `{name}` under 200 ms | {q['error']} | **FAIL** |")
            else:
                L.append(f"| analysis `{name}` under 200 ms ({big['n']:,} filings) | median {q['median'] * 1000:.0f} ms "
                         f"(first run {q['first'] * 1000:.0f} ms, {q['rows']} rows; "
                         f"as Python tuples {q.get('fetchall_median', float('nan')) * 1000:.0f} ms) | "
                         f"{_status(q['median'] < TARGET_ANALYSIS_S)} |")
    else:
        L.append(f"| each analysis under 200 ms | skipped: {analyses.get('skipped', 'not run')} | – |")
    L.extend(S.target_rows(results, pdf, real, dist))
    L.append("")
    L.append("How the targets are read: *end to end* is `build_warehouse` (load, `dbt build`, publish) "
             "timed inside the child process; the *floor* reads, decodes (`loaders.text.decode_filing`) and "
             "splits the same files in as many processes as the loader uses (the one-process floor is in the "
             "table); *peak memory* is the sum of PSS over the process tree sampled every 0.1 s (shared pages "
             "counted once); *flat* allows the peak to grow by at most half when the corpus grows tenfold; "
             "the *rebuilds* run `build_warehouse` again on the same warehouse path; an analysis is timed by "
             "the median of five runs after a first one; *pages/s per core* of a PDF reader is the pages it read "
             "÷ the CPU seconds of its one process; the real-filings build runs as the synthetic ones do.")
    L.append("")
    L.extend(_gaps(results, pdf, real, profile, analyses))
    L.extend(S.render_sections(pdf, real, mixed, dist, est, results))

    if big.get("dbt_top"):
        L.append(f"## Slowest dbt nodes ({big['n']:,} filings, full build; dbt runs 2 threads)")
        L.append("")
        L.append("| node | seconds |")
        L.append("|---|---|")
        for node, t in big["dbt_top"]:
            L.append(f"| `{node}` | {t:.1f} |")
        L.append("")
    if profile:
        L.append(f"## Where the loader's time goes ({profile['files']:,} filings, one process, cProfile)")
        L.append("")
        L.append(f"`load_folder(workers=1)` took {profile['seconds']:.1f} s under cProfile ({_mb(profile['bytes'])} MB; "
                 "the profiler itself adds overhead to every Python call, so shares matter more than seconds). "
                 "Stats: `build/bench/profile.pstats`.")
        L.append("")
        total = profile["profiled_total"]
        L.append("Own time by module:")
        L.append("")
        L.append("| module | own time | share |")
        L.append("|---|---|---|")
        for module, tt in profile["modules"][:12]:
            L.append(f"| `{module}` | {tt:.1f} s | {tt / total:.0%} |")
        L.append("")
        L.append("Top functions by own time:")
        L.append("")
        L.append("| function | calls | own time | share | cumulative |")
        L.append("|---|---|---|---|---|")
        for r in profile["top_tottime"][:15]:
            L.append(f"| `{r['function']}` | {r['calls']:,} | {r['tottime']:.2f} s | {r['tottime'] / total:.1%} | "
                     f"{r['cumtime']:.2f} s |")
        L.append("")
        L.append("Top loader functions by cumulative time (time spent in them and what they call):")
        L.append("")
        L.append("| function | calls | cumulative | share |")
        L.append("|---|---|---|---|")
        for r in profile["top_cumtime"][:15]:
            L.append(f"| `{r['function']}` | {r['calls']:,} | {r['cumtime']:.2f} s | {r['cumtime'] / total:.0%} |")
        L.append("")
    if spy:
        L.append(f"## The pooled loader, sampled ({spy['n']:,} filings, py-spy over parent and workers)")
        L.append("")
        L.append(f"`load_folder` as a build runs it ({spy['processes']} processes) took {spy['load_seconds'] or 0:.1f} s "
                 f"under py-spy (100 samples/s, idle time not counted). Busy CPU: parent "
                 f"{spy['parent_cpu']:.1f} s, workers {spy['workers_cpu']:.1f} s together. The parent's work is serial: "
                 "whatever it spends per filing caps the loader however many workers parse.")
        L.append("")
        for who, key in (("Parent (serial)", "parent_top"), ("Workers", "workers_top")):
            L.append(f"{who}, own time of the innermost Python frame:")
            L.append("")
            L.append("| function | CPU | share |")
            L.append("|---|---|---|")
            for name, sec, share in spy[key][:10]:
                L.append(f"| `{name}` | {sec:.1f} s | {share:.0%} |")
            L.append("")
    return "\n".join(L) + "\n"


def workers_default() -> int:
    return os.cpu_count() or 1


def _gaps(results: list[dict], pdf: dict, real: dict, profile: Optional[dict] = None,
          analyses: Optional[dict] = None) -> list[str]:
    """For each target missed, the measurement that explains it."""
    from benchmarks import scale as S

    L: list[str] = []
    for r in results:
        ch = r.get("changed")
        if not ch or ch["seconds"] / r["full"]["seconds"] <= S.TARGET_CHANGED_SHARE:
            continue
        if not L:
            L += ["## Gaps and what explains them", ""]
        top = r.get("changed_dbt_top", [])
        L.append(f"**1 %-changed rebuild, {r['n']:,} filings: {ch['seconds'] / r['full']['seconds']:.0%} of a full build "
                 f"(target ≤ 10 %).** {'An' if ch.get('mode') == 'incremental' else 'A'} {ch.get('mode', '?')} build ({ch.get('mode_reason', '')}): loading "
                 f"{ch['load_seconds']:.1f} s ({ch['load_seconds'] / ch['seconds']:.0%} of the rebuild; "
                 f"{ch.get('reused')} filings reused), `dbt build` {ch['dbt_seconds']:.1f} s against "
                 f"{r['full']['dbt_seconds']:.1f} s for the full build"
                 + (f", of which dbt's own start-up and per-node overhead is the part not in its nodes' times; "
                    f"its slowest nodes: " + ", ".join(f"`{n}` {t:.1f} s" for n, t in top[:6]) + "." if top else ".")
                 + " In an incremental build the models keyed by filing redo only the changed filings' rows "
                 "(README: Incremental builds); what remains is fixed per build (dbt start-up, one data test per "
                 "node, however few rows it reads) or proportional to the whole warehouse (the models relating "
                 "filings to each other, rebuilt in full, and copying the previous file).")
        L.append("")
    def head():
        if not L:
            L.extend(["## Gaps and what explains them", ""])

    def cpu(res: dict, role: str) -> float:
        return (res.get("cpu_by_role") or {}).get(role, 0.0)

    parent_role, worker_role, dbt_role = "build_warehouse (loader parent)", "loader worker", "dbt build"
    writer = ""
    if profile:
        # the parent's serial work as the one-process profile sees it: writing raw
        total = profile["profiled_total"] or 1
        named = {r["function"].split("(")[-1].rstrip(")"): r for r in profile["top_cumtime"]}
        execs = next((r for r in profile["top_tottime"] if "_duckdb.execute" in r["function"]), None)
        if "_store" in named:
            writer = (f" In the one-process profile below, storing the records (`_store`: appending each filing's "
                      f"Arrow rows, inserting every 100,000 rows of a raw table at once) takes "
                      f"{named['_store']['cumtime'] / total:.0%} of the loader's time"
                      + (f" (DuckDB `execute`: {execs['calls']:,} calls, {execs['tottime'] / total:.0%})" if execs else "")
                      + "; the rest is reading and parsing, which the pool's workers do in parallel.")
    for r in results:
        full = r["full"]
        ratio = full["load_seconds"] / r["floorN"]["seconds"]
        if ratio > TARGET_FLOOR_RATIO:
            head()
            L.append(f"**Loader within 5× the floor, {r['n']:,} filings: {ratio:.0f}×.** The floor only decodes and "
                     "splits lines; the loader parses every layout in its workers (and stages the records as Arrow "
                     "there), and its parent appends them and inserts them into DuckDB in batches: CPU seconds "
                     f"parent {cpu(full, parent_role):.1f}, workers "
                     f"{cpu(full, worker_role):.1f} (together, {r['full'].get('workers') or workers_default()} processes)."
                     + writer + " The cProfile and py-spy sections below have the detail.")
            L.append("")
            break
    for r in results:
        full = r["full"]
        if r["n"] == 10000 and full["seconds"] >= TARGET_END_TO_END_S:
            head()
            par, wk, db = cpu(full, parent_role), cpu(full, worker_role), cpu(full, dbt_role)
            n_workers = full.get("workers") or workers_default()
            L.append(f"**10,000 filings end to end: {full['seconds']:.0f} s (target < 180 s).** Wall: loader "
                     f"{full['load_seconds']:.0f} s, `dbt build` {full['dbt_seconds']:.0f} s, at a load average of "
                     f"{full['loadavg_before']} → {full['loadavg_after']} on {os.cpu_count()} CPUs. CPU: the loader "
                     f"parent {par:.0f} s ({par / r['n'] * 1000:.0f} ms per filing), its {n_workers} workers {wk:.0f} s "
                     f"together, dbt {db:.0f} s. Even alone on the machine the loader needs "
                     f"≥ {max(par, wk / n_workers):.0f} s (its parent, one process, or its workers' CPU ÷ {n_workers}) "
                     f"and the build ≥ {max(par, wk / n_workers) + db / (os.cpu_count() or 1):.0f} s "
                     f"(dbt's CPU ÷ {os.cpu_count()} cores): "
                     + ("the target is missed on this machine's load alone." if
                        max(par, wk / n_workers) + db / (os.cpu_count() or 1) < TARGET_END_TO_END_S else
                        f"out of reach on {os.cpu_count()} cores until the "
                        + (f"workers' parsing ({wk / r['n'] * 1000:.0f} CPU-ms per filing)" if wk / n_workers >= par
                           else f"parent's per-filing work ({par / r['n'] * 1000:.0f} CPU-ms)")
                        + f" and dbt's {db:.0f} CPU-s shrink, or more cores read (`--engine dask`).")
                     + writer + " dbt's slowest nodes are listed below.")
            L.append("")
    big = max(results, key=lambda r: r["n"])
    small = min(results, key=lambda r: r["n"])
    peak_big = big["full"]["tree_peak_pss"] or big["full"]["tree_peak_rss"]
    peak_small = small["full"]["tree_peak_pss"] or small["full"]["tree_peak_rss"]
    if peak_big >= TARGET_PEAK_BYTES or (len(results) > 1 and peak_big > peak_small * TARGET_FLAT_RATIO):
        head()
        roles = big["full"].get("peak_by_role") or {}
        par, wk = cpu(big["full"], parent_role), cpu(big["full"], worker_role)
        n_workers = big["full"].get("workers") or workers_default()
        roles_small = small["full"].get("peak_by_role") or {}
        grew = ", ".join(f"{who} ×{roles[k] / roles_small[k]:.2f}" for who, k in
                         (("loader parent", parent_role), ("one worker", worker_role), ("dbt", dbt_role))
                         if roles.get(k) and roles_small.get(k))
        L.append(f"**Peak memory, {big['n']:,} filings: {_mib(peak_big)} ({_mib(peak_small)} at {small['n']:,}).** By "
                 f"process: loader parent {_mib(roles.get(parent_role))}, one worker {_mib(roles.get(worker_role))}, "
                 f"dbt {_mib(roles.get(dbt_role))}; from {small['n']:,} to {big['n']:,} filings: {grew}. The loader's "
                 "pool keeps at most a few chunks of files per worker in flight (`loaders/load.py` `_iter_results`), "
                 "so finished results do not pile up; the parent's growth is its DuckDB connection's memory while "
                 "it writes the raw tables (DuckDB keeps some of it until the connection closes, below its "
                 "`MEDWH_MEMORY_LIMIT`), and dbt's is DuckDB's working memory over the larger tables. The processes "
                 "run one after the other (loader, then dbt), so the peak is the larger of the two phases.")
        L.append("")
    queries = (analyses or {}).get("queries") or {}
    slow = {k: q for k, q in queries.items() if "median" in q and q["median"] >= TARGET_ANALYSIS_S}
    if slow:
        head()
        L.append(f"**Analyses over 200 ms ({big['n']:,} filings): " + ", ".join(
            f"`{k}` {q['median'] * 1000:.0f} ms" for k, q in slow.items()) + ".** They run read-only in DuckDB on "
                 f"the finished warehouse ({_mib(big.get('warehouse_bytes'))}); the load average was "
                 f"{analyses.get('loadavg_before', '?')} → {analyses.get('loadavg_after', '?')} on {os.cpu_count()} "
                 "CPUs while they ran, and a DuckDB query uses every core it can get, so the medians are those of a "
                 "machine shared with other jobs; the first-run and Python-tuple times are beside each in the table.")
        L.append("")
    ways = pdf.get("ways") or {}
    if "pdf_fast.read" in ways and "plumber_tables" in ways:
        ratio = ways["plumber_tables"]["cpu"] / ways["pdf_fast.read"]["cpu"]
        if ratio < S.TARGET_READER_RATIO:
            if not L:
                L += ["## Gaps and what explains them", ""]
            floor = ways.get("pdfium_text")
            fast = ways["pdf_fast.read"]["cpu"] / pdf["pages"] * 1000
            L.append(f"**PDF reader {ratio:.1f}× pdfplumber (target ≥ 5×).** Our reader spends {fast:.1f} CPU ms per page"
                     + (f", PDFium's plain text {floor['cpu'] / pdf['pages'] * 1000:.1f} ms: the difference is the "
                        "reader's own work in Python (glyph boxes, rulings, the table finder and the layout, "
                        "`loaders/readers/pdf_fast.py` and `pdf.py`)" if floor else "") + ".")
            L.append("")
    if real.get("seconds") and real["seconds"] > S.TARGET_REAL_S:
        if not L:
            L += ["## Gaps and what explains them", ""]
        other = real["seconds"] - real["load_seconds"] - real["dbt_seconds"]
        by = real.get("cpu_by_role") or {}
        parent, workers_cpu, dbt_cpu = (by.get(k, 0.0) for k in S.LOADER_ROLES + (S.DBT_ROLE,))
        total_cpu = sum(by.values())
        cores = os.cpu_count() or 1
        reader_ms = (ways["pdf_fast.read"]["cpu"] / pdf["pages"] * 1000) if ways.get("pdf_fast.read") else None
        L.append(f"**Real filings end to end: {real['seconds']:.0f} s for {real['pages']:,} pages (target ≤ 60 s).** "
                 f"Wall time: loader {real['load_seconds']:.1f} s on {real['workers']} processes, `dbt build` "
                 f"{real['dbt_seconds']:.1f} s, lineage, publish and summary {other:.1f} s. CPU time, which other jobs do "
                 f"not inflate: loader parent {parent:.1f} s, loader workers {workers_cpu:.1f} s"
                 + (f" (the PDF reader alone {reader_ms:.1f} ms per page, {reader_ms * real['pages'] / 1000:.0f} s)"
                    if reader_ms else "")
                 + f", dbt {dbt_cpu:.1f} s (it runs every model and test whatever the corpus size; slowest nodes: "
                 + ", ".join(f"`{n}` {t:.1f} s" for n, t in real.get("dbt_top", [])[:4])
                 + f"); {total_cpu:.0f} CPU-s in all, {total_cpu / cores:.0f} s on {cores} cores if nothing else ran. "
                 f"The load average was {real['loadavg_before']} → {real['loadavg_after']} on {cores} CPUs: the wall "
                 "time is that of a machine shared with other builds"
                 + (f"; the same work on an idle machine needs at least {total_cpu / cores:.0f} s (its CPU ÷ {cores} "
                    "cores), within the target only if both cores stayed busy throughout (the loader's pool and dbt's "
                    "two threads leave cores idle at times)." if total_cpu / cores <= S.TARGET_REAL_S else
                    f"; even on an idle machine its CPU alone ({total_cpu / cores:.0f} s per core) exceeds the target."))
        L.append("")
    return L


# =========================================================================== main
def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="corpus sizes, comma-separated")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--workers", type=int, default=None, help="loader processes (default: the loader's own default)")
    ap.add_argument("--profile", dest="profile", action="store_true", default=True,
                    help="profile the loader on the smallest corpus (default)")
    ap.add_argument("--no-profile", dest="profile", action="store_false")
    ap.add_argument("--distributed", dest="distributed", action="store_true", default=True,
                    help="measure a distributed build, two local Dask workers vs one, on ../shared/real-filings + real-corpus (default)")
    ap.add_argument("--no-distributed", dest="distributed", action="store_false")
    ap.add_argument("--mixed", type=int, default=1000,
                    help="filings of the mixed-format corpus (txt, pdf, docx, xlsx in turn); 0 skips it")
    ap.add_argument("--pdf-every", type=int, default=1,
                    help="PDF readers: read every Nth real PDF (1: all of them, about 3 min)")
    ap.add_argument("--no-real", dest="real", action="store_false", default=True,
                    help="skip the PDF-reader and real-filings measurements")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args.child)

    def say(*a):
        print(*a, file=sys.stderr, flush=True)

    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    workers = args.workers or (os.cpu_count() or 1)
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = [bench_size(n, args.seed, workers, say) for n in sizes]
    big = max(results, key=lambda r: r["n"])
    say(f"analyses on the {big['n']:,}-filing warehouse")
    analyses = time_analyses(Path(big["warehouse"]), BENCH_DIR / f"work-{big['n']}", say)
    profile = None
    if args.profile:
        small = min(sizes)
        say(f"profiling the loader on {small:,} filings (one process, cProfile)")
        corpus = ensure_corpus(small, args.seed, say)
        profile = run_child({"mode": "profile", "filings": str(corpus / "filings"),
                             "warehouse": str(BENCH_DIR / "profile.duckdb"),
                             "pstats": str(BENCH_DIR / "profile.pstats")})
    spy = None
    pyspy = find_pyspy() if args.profile else None
    if pyspy:
        small = min(sizes)
        say(f"sampling the pooled loader on {small:,} filings with py-spy (parent and workers)")
        spy = pyspy_load(pyspy, ensure_corpus(small, args.seed, say) / "filings", BENCH_DIR)
        if spy:
            spy["n"] = small
    from benchmarks import scale as S

    no_real = {"skipped": "skipped: --no-real"}
    sc: dict = {}
    sc["pdf"] = S.bench_pdf_readers(run_child, say, every=args.pdf_every) if args.real else no_real
    sc["real"] = S.bench_real(run_child, say, BENCH_DIR / "work-real") if args.real else no_real
    sc["mixed"] = (S.bench_mixed(run_child, ensure_corpus, say, args.mixed, args.seed, BENCH_DIR / f"work-mixed-{args.mixed}")
                   if args.mixed else {"skipped": "skipped: --mixed 0"})
    sc["distributed"] = (S.bench_distributed(say) if args.distributed
                         else {"skipped": "skipped: --no-distributed"})
    sc["estimate"] = S.paper_estimate(results, sc["pdf"], sc["real"])
    text = render(results, machine(), analyses, profile, args.seed, started, time.perf_counter() - t0, spy, sc)
    args.out.write_text(text, encoding="utf-8")
    (BENCH_DIR / "results.json").write_text(json.dumps({"results": results, "analyses": analyses,
                                                        "profile": profile, "pyspy": spy, "scale": sc},
                                                       default=str, indent=1), encoding="utf-8")
    say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
