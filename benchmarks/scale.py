"""The scale issue's measurements, run by ``benchmarks.run`` (``make bench``):

* **PDF readers**: pages per second per core (CPU time of one process) of our reader
  (``loaders.readers.pdf_fast.read``: PDFium glyphs and rulings, our table finder and
  layout), of pdfplumber's ``extract_tables`` (the yardstick) and of pypdfium2's plain
  text (the floor), over every PDF of ``../shared/real-filings`` and
  ``../shared/real-corpus`` (:mod:`benchmarks.pdf_readers`);
* **real filings end to end**: both folders (copied into a temporary folder outside the
  project, READMEs left out, as ``tests/real`` does) built by ``build_warehouse`` in a
  child process on the machine's cores: seconds, pages/s, peak memory of the process
  tree, the warehouse's bytes per fact row;
* **originals in the synthetic corpus**: a corpus of text exports and PDF, Word and
  Excel originals (``benchmarks.corpus --formats txt,pdf,docx,xlsx``) built the same way,
  its fact and target counts checked against the truth;
* **distributed build**: ``benchmarks.distributed.measure_distributed_scaling`` (two local workers ÷ one);
* **a paper estimate** of a national build from the measured costs.

The real-file parts are skipped, saying why, when ``../shared`` is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional

from benchmarks.run import _slowest_nodes, loadavg

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL_FOLDERS = (SHARED / "real-filings", SHARED / "real-corpus")
MIXED_FORMATS = ("txt", "pdf", "docx", "xlsx")

TARGET_READER_RATIO = 5.0  # our PDF reader at least 5× pdfplumber extract_tables, per core
TARGET_REAL_S = 60.0  # real-filings + real-corpus end to end
TARGET_PEAK_BYTES = 1.5 * 1024**3
TARGET_CHANGED_SHARE = 0.10  # a 1 %-changed rebuild within 10 % of a full build
NATIONAL_DOCS = 1_000_000
NATIONAL_PAGES_PER_DOC = 35
NATIONAL_WORKERS = (1, 8, 64, 512)


def shared_missing() -> Optional[str]:
    """Why the real-file parts cannot run, or None."""
    absent = [str(f) for f in REAL_FOLDERS if not f.is_dir()]
    if absent:
        return (f"skipped: {', '.join(absent)} absent (the real originals live in ../shared beside the checkout "
                "and are never copied into it)")
    return None


# =========================================================================== PDF readers (child)
def child_pdf_readers(spec: dict) -> dict:
    """Each way reads every PDF once, in name order; CPU time of this one process."""
    from benchmarks import pdf_readers as PR

    files, bad = PR.pdf_files([Path(f) for f in spec["folders"]], None)
    every = max(1, int(spec.get("every") or 1))
    sample = files[::every]
    pages = sum(n for _, _, n in sample)
    ways = {"pdf_fast.read": PR.reader_fast, "plumber_tables": PR.plumber_tables, "pdfium_text": PR.pdfium_text}
    for fn in ways.values():  # warm-up: imports, PDFium's font caches
        fn(sample[0][1])
    out: dict = {"files": len(sample), "all_files": len(files), "pages": pages,
                 "all_pages": sum(n for _, _, n in files), "unopenable": [str(p) for p in bad], "every": every,
                 "ways": {}}
    for name, fn in ways.items():
        load0 = loadavg()
        cpu, wall = PR.measure(fn, sample)
        out["ways"][name] = {"cpu": cpu, "wall": wall, "loadavg_before": load0, "loadavg_after": loadavg()}
    return out


def bench_pdf_readers(run_child, say, every: int = 1) -> dict:
    why = shared_missing()
    if why:
        return {"skipped": why}
    say(f"PDF readers on every PDF of {', '.join(str(f) for f in REAL_FOLDERS)}"
        + (f" (every {every}th file)" if every > 1 else "") + ": pdf_fast, pdfplumber extract_tables, pdfium text")
    try:
        return run_child({"mode": "pdf_readers", "folders": [str(f) for f in REAL_FOLDERS], "every": every})
    except Exception as exc:  # noqa: BLE001 - reported in the table
        return {"error": str(exc).splitlines()[0]}


# =========================================================================== real filings end to end
def _copy_real(dest: Path) -> int:
    n = 0
    for folder in REAL_FOLDERS:
        shutil.copytree(folder, dest / folder.name, ignore=shutil.ignore_patterns("README.md"))
        n += sum(1 for p in (dest / folder.name).rglob("*") if p.is_file())
    return n


def warehouse_facts(warehouse: Path) -> dict:
    """Rows of the fact tables and raw cells, filings by status, in a finished warehouse."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        out = {
            "fact_budget_line": q("select count(*) from marts.fact_budget_line"),
            "fact_target": q("select count(*) from marts.fact_target"),
            "table_cells": q("select count(*) from raw.table_cells"),
            "status": dict(con.execute("select status, count(*) from marts.dim_filing group by 1").fetchall()),
            "by_format": dict(con.execute(
                "select document_format, count(*) from marts.dim_filing where status = 'loaded' group by 1").fetchall()),
        }
    finally:
        con.close()
    return out


def bench_real(run_child, say, work: Path) -> dict:
    why = shared_missing()
    if why:
        return {"skipped": why}
    tmp = Path(tempfile.mkdtemp(prefix="medwh-bench-real-"))
    try:
        files = _copy_real(tmp / "filings")
        work.mkdir(parents=True, exist_ok=True)
        warehouse = work / "warehouse.duckdb"
        for p in (warehouse, Path(str(warehouse) + ".wal")):
            p.unlink(missing_ok=True)
        say(f"real filings end to end: {files} files of real-filings + real-corpus, build_warehouse in a child process")
        res = run_child({"mode": "build", "filings": str(tmp / "filings"), "warehouse": str(warehouse),
                         "target": str(work / "target")})
        say(f"  {res['seconds']:.1f}s (load {res['load_seconds']:.1f}s, dbt {res['dbt_seconds']:.1f}s), "
            f"{res.get('pages')} pages")
        res["warehouse_bytes"] = warehouse.stat().st_size
        res["facts"] = warehouse_facts(warehouse)
        res["dbt_top"] = _slowest_nodes(work / "target" / "run_results.json", k=6)
        res["input_files"] = files
        return res
    except Exception as exc:  # noqa: BLE001
        return {"error": str(exc).splitlines()[0]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# =========================================================================== originals in the synthetic corpus
def bench_mixed(run_child, ensure_corpus, say, n: int, seed: int, work: Path) -> dict:
    try:
        corpus = ensure_corpus(n, seed, say, formats=MIXED_FORMATS)
        manifest = json.loads((corpus / "truth" / "manifest.json").read_text(encoding="utf-8"))
        work.mkdir(parents=True, exist_ok=True)
        warehouse = work / "warehouse.duckdb"
        for p in (warehouse, Path(str(warehouse) + ".wal")):
            p.unlink(missing_ok=True)
        say(f"[mixed {n}] full build ({', '.join(MIXED_FORMATS)} in turn)")
        res = run_child({"mode": "build", "filings": str(corpus / "filings"), "warehouse": str(warehouse),
                         "target": str(work / "target")})
        say(f"[mixed {n}]   {res['seconds']:.1f}s (load {res['load_seconds']:.1f}s, dbt {res['dbt_seconds']:.1f}s)")
        res["manifest"] = manifest
        res["facts"] = warehouse_facts(warehouse)
        res["warehouse_bytes"] = warehouse.stat().st_size
        res["n"] = n
        return res
    except Exception as exc:  # noqa: BLE001
        return {"error": str(exc).splitlines()[0], "n": n}


# =========================================================================== distributed
def bench_distributed(say) -> dict:
    """``benchmarks.distributed.measure_distributed_scaling``: the loading step on two local Dask workers ÷ one."""
    from benchmarks.distributed import measure_distributed_scaling

    try:
        result = measure_distributed_scaling(say=say)
    except Exception as exc:  # noqa: BLE001 - a failed measurement is reported, the rest of the bench stands
        return {"error": f"benchmarks.distributed failed: {type(exc).__name__}: {exc}"}
    return result if "skipped" in result else {"result": result}


# =========================================================================== the paper estimate
def _cpu(res: dict, *roles: str) -> float:
    by = res.get("cpu_by_role") or {}
    return sum(by.get(r, 0.0) for r in roles)


LOADER_ROLES = ("build_warehouse (loader parent)", "loader worker")
DBT_ROLE = "dbt build"


def paper_estimate(results: list[dict], pdf: dict, real: dict) -> dict:
    """Costs measured here → a national build (10^6 documents of ~35 pages) on N workers.

    CPU seconds, not wall time, wherever the machine's other jobs would inflate the number:
    the loader's CPU (its parent and workers) per page of the real build, and dbt's CPU per raw
    fact row fitted on the synthetic builds (a dbt build on one node of c cores takes its CPU
    seconds ÷ c at best; this machine's c is used)."""
    est: dict = {"node_cores": os.cpu_count() or 1}
    pts = sorted(((r["full"]["rows"].get("budget_lines", 0) + r["full"]["rows"].get("targets", 0),
                   _cpu(r["full"], DBT_ROLE)) for r in results if r.get("full")), key=lambda p: p[0])
    pts = [p for p in pts if p[1] > 0]
    if pts:
        (r0, s0), (r1, s1) = pts[0], pts[-1]
        per_row = (s1 - s0) / (r1 - r0) if r1 > r0 else 0.0
        if per_row > 0:
            est["dbt_cpu_per_row_s"] = per_row
            est["dbt_cpu_fixed_s"] = max(0.0, s0 - per_row * r0)
        else:  # one size, or a fit the machine's noise turned upside down: all of it per row (an upper bound)
            est["dbt_cpu_per_row_s"] = s1 / r1
            est["dbt_cpu_fixed_s"] = 0.0
            est["dbt_fit_note"] = "no fixed part fitted (one size, or noise): the whole dbt CPU of the largest build per row"
        est["dbt_fit"] = (r0, s0, r1, s1)
    ways = pdf.get("ways") or {}
    if "pdf_fast.read" in ways and pdf.get("pages"):
        est["reader_cpu_per_page"] = ways["pdf_fast.read"]["cpu"] / pdf["pages"]
    if real.get("seconds") and real.get("pages"):
        loader_cpu = _cpu(real, *LOADER_ROLES)
        if loader_cpu:
            est["loader_cpu_per_page"] = loader_cpu / real["pages"]
        facts = real.get("facts") or {}
        status = facts.get("status") or {}
        loaded = status.get("loaded", 0)
        rows = facts.get("fact_budget_line", 0) + facts.get("fact_target", 0)
        if loaded:
            est["rows_per_doc"] = rows / loaded
            est["pages_per_doc"] = real["pages"] / max(1, sum(status.values()))
        if rows:
            est["bytes_per_fact_row"] = real["warehouse_bytes"] / rows
            est["cells_per_fact_row"] = facts.get("table_cells", 0) / rows
    big = max((r for r in results if r.get("warehouse_bytes")), key=lambda r: r["n"], default=None)
    if big:
        rows = big["full"]["rows"].get("budget_lines", 0) + big["full"]["rows"].get("targets", 0)
        if rows:
            est["synthetic_bytes_per_row"] = big["warehouse_bytes"] / rows
            est["synthetic_n"] = big["n"]
    needed = ("dbt_cpu_per_row_s", "loader_cpu_per_page", "rows_per_doc", "bytes_per_fact_row")
    if not all(k in est for k in needed):
        est["incomplete"] = [k for k in needed if k not in est]
        return est
    c = est["node_cores"]
    pages = NATIONAL_DOCS * NATIONAL_PAGES_PER_DOC
    rows = NATIONAL_DOCS * est["rows_per_doc"]
    read_core_s = pages * est["loader_cpu_per_page"]
    dbt_cpu = est["dbt_cpu_fixed_s"] + est["dbt_cpu_per_row_s"] * rows
    est["national"] = {"docs": NATIONAL_DOCS, "pages": pages, "rows": rows, "read_core_s": read_core_s,
                       "dbt_cpu_s": dbt_cpu, "dbt_s_one_node": dbt_cpu / c, "bytes": rows * est["bytes_per_fact_row"]}
    est["by_workers"] = [
        {"workers": n, "read_s": read_core_s / n, "single_file_s": read_core_s / n + dbt_cpu / c,
         "partitioned_s": read_core_s / n + (est["dbt_cpu_fixed_s"] + est["dbt_cpu_per_row_s"] * rows / n) / c}
        for n in NATIONAL_WORKERS
    ]
    # the corpus at which one DuckDB file's full dbt build on a node like this one passes an hour, and its size
    hour_rows = max(0.0, (3600 * c - est["dbt_cpu_fixed_s"]) / est["dbt_cpu_per_row_s"])
    est["hour_docs"] = hour_rows / est["rows_per_doc"]
    est["hour_bytes"] = hour_rows * est["bytes_per_fact_row"]
    return est


# =========================================================================== the report
def _s(x) -> str:
    if x is None:
        return "–"
    if x < 120:
        return f"{x:,.1f} s"
    if x < 7200:
        return f"{x / 60:,.1f} min"
    if x < 3 * 86400:
        return f"{x / 3600:,.1f} h"
    return f"{x / 86400:,.1f} days"


def _bytes(b) -> str:
    if b is None:
        return "–"
    for unit, k in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= k:
            return f"{b / k:,.1f} {unit}"
    return f"{b:,.0f} B"


def _mib(b) -> str:
    return f"{b / 1024**2:,.0f} MiB" if b else "–"


def _status(ok: Optional[bool]) -> str:
    return "–" if ok is None else ("**PASS**" if ok else "**FAIL**")


def target_rows(results: list[dict], pdf: dict, real: dict, dist: dict) -> list[str]:
    """Rows for the Targets table: | target | measured | status |."""
    L = []
    ways = pdf.get("ways") or {}
    if "pdf_fast.read" in ways and "plumber_tables" in ways:
        ratio = ways["plumber_tables"]["cpu"] / ways["pdf_fast.read"]["cpu"]
        L.append(f"| PDF reader ≥ 5× pdfplumber `extract_tables`, pages/s per core ({pdf['pages']:,} real pages) | "
                 f"{ratio:.1f}× ({pdf['pages'] / ways['pdf_fast.read']['cpu']:.0f} vs "
                 f"{pdf['pages'] / ways['plumber_tables']['cpu']:.1f} pages/s) | {_status(ratio >= TARGET_READER_RATIO)} |")
    else:
        L.append(f"| PDF reader ≥ 5× pdfplumber `extract_tables` | {pdf.get('skipped') or pdf.get('error', 'not run')} | – |")
    if real.get("seconds"):
        L.append(f"| real-filings + real-corpus end to end ≤ 60 s ({real.get('pages', 0):,} pages, "
                 f"{real.get('workers')} cores) | {_s(real['seconds'])} ({real['pages'] / real['seconds']:.0f} pages/s) | "
                 f"{_status(real['seconds'] <= TARGET_REAL_S)} |")
        peak = real.get("tree_peak_pss") or real.get("tree_peak_rss")
        L.append(f"| real-filings + real-corpus peak memory < 1.5 GB (process tree) | {_mib(peak)} | "
                 f"{_status(peak < TARGET_PEAK_BYTES)} |")
    else:
        why = real.get("skipped") or real.get("error", "not run")
        L.append(f"| real-filings + real-corpus end to end ≤ 60 s | {why} | – |")
        L.append(f"| real-filings + real-corpus peak memory < 1.5 GB | {why} | – |")
    for r in results:
        if r.get("changed") and r.get("full"):
            share = r["changed"]["seconds"] / r["full"]["seconds"]
            L.append(f"| 1 %-changed rebuild ≤ 10 % of a full build ({r['n']:,} filings) | {share:.0%} "
                     f"({r['changed']['seconds']:.1f} s of {r['full']['seconds']:.1f} s; dbt {r['changed']['dbt_seconds']:.1f} s) | "
                     f"{_status(share <= TARGET_CHANGED_SHARE)} |")
    if dist.get("result"):
        res = dist["result"]
        L.append(f"| distributed build, two local workers ≥ 1.7× one | {res['speedup']:.2f}× | {_status(res['pass'])} |")
    else:
        L.append(f"| distributed build, two local workers ÷ one | {dist.get('skipped') or dist.get('error')} | – |")
    return L


def render_sections(pdf: dict, real: dict, mixed: dict, dist: dict, est: dict, results: list[dict]) -> list[str]:
    L: list[str] = []
    # ---- PDF readers
    L += ["## PDF readers on the real filings (pages per second per core)", ""]
    if pdf.get("ways"):
        ways = pdf["ways"]
        base = ways.get("plumber_tables")
        sample = (f"every PDF ({pdf['files']} files, {pdf['pages']:,} pages)" if pdf.get("every", 1) == 1 else
                  f"every {pdf['every']}th PDF ({pdf['files']} of {pdf['all_files']} files, {pdf['pages']:,} of "
                  f"{pdf['all_pages']:,} pages)")
        L.append(f"{sample} of `../shared/real-filings` and `../shared/real-corpus`, each way reading them once in one "
                 "process (`benchmarks/pdf_readers.py`); per core = CPU time of that process (`time.process_time`), "
                 "so other jobs on the machine count less than in wall time, which is beside it."
                 + (f" {len(pdf['unopenable'])} files named .pdf that PDFium cannot open (saved web pages) are left out."
                    if pdf.get("unopenable") else ""))
        L += ["", "| way | CPU s | pages/s per core | wall s | ÷ pdfplumber | load average before → after |",
              "|---|---:|---:|---:|---:|---|"]
        names = {"pdf_fast.read": "our reader (`loaders.readers.pdf_fast.read`: PDFium glyphs and rulings, own table finder, layout)",
                 "plumber_tables": "pdfplumber `page.extract_tables()` (tables only, no layout)",
                 "pdfium_text": "pypdfium2 plain text (`get_text_range`): the floor"}
        for key, w in ways.items():
            ratio = f"{base['cpu'] / w['cpu']:.1f}×" if base else "–"
            L.append(f"| {names.get(key, key)} | {w['cpu']:.1f} | {pdf['pages'] / w['cpu']:.1f} | {w['wall']:.1f} | {ratio} | "
                     f"{w['loadavg_before']} → {w['loadavg_after']} |")
        L.append("")
    else:
        L += [pdf.get("skipped") or f"not measured: {pdf.get('error')}", ""]
    # ---- real end to end
    L += ["## Real filings end to end", ""]
    if real.get("seconds"):
        f = real["facts"]
        status = ", ".join(f"{k} {v}" for k, v in sorted(f["status"].items()))
        other = real["seconds"] - real["load_seconds"] - real["dbt_seconds"]
        L.append(f"`../shared/real-filings` and `../shared/real-corpus` together ({real['input_files']} files, READMEs left "
                 f"out; copied to a temporary folder outside the project), `build_warehouse` in a child process with "
                 f"{real.get('workers')} loader processes; memory of the whole process tree.")
        L += ["", "| | |", "|---|---|",
              f"| files: {status} | {real['files']} |",
              f"| pages read (PDF pages; sheets) | {real['pages']:,} |",
              f"| end to end (build_warehouse) | {_s(real['seconds'])} — {real['pages'] / real['seconds']:.0f} pages/s |",
              f"| loader (read, recognise, write raw) | {_s(real['load_seconds'])} — {real['pages'] / real['load_seconds']:.0f} pages/s, "
              f"{real['load_seconds'] * real['workers'] / real['pages'] * 1000:.1f} core-ms per page |",
              f"| dbt build | {_s(real['dbt_seconds'])} |",
              f"| lineage, publish, summary | {_s(other)} |",
              f"| CPU seconds: loader parent / loader workers / dbt (all, ÷ {os.cpu_count()} cores) | "
              f"{_cpu(real, LOADER_ROLES[0]):.1f} / {_cpu(real, LOADER_ROLES[1]):.1f} / {_cpu(real, DBT_ROLE):.1f} "
              f"({sum((real.get('cpu_by_role') or {}).values()):.1f} s, {sum((real.get('cpu_by_role') or {}).values()) / (os.cpu_count() or 1):.1f} s) |",
              f"| peak memory, process tree (sum of PSS / RSS) | {_mib(real.get('tree_peak_pss'))} / {_mib(real.get('tree_peak_rss'))} |",
              "| peak RSS by process: loader parent / one worker / dbt | "
              + " / ".join(_mib((real.get('peak_by_role') or {}).get(k)) for k in
                           ("build_warehouse (loader parent)", "loader worker", "dbt build")) + " |",
              f"| fact rows: fact_budget_line / fact_target (raw table cells) | {f['fact_budget_line']:,} / {f['fact_target']:,} "
              f"({f['table_cells']:,}) |",
              f"| warehouse file | {_bytes(real['warehouse_bytes'])} ({real['warehouse_bytes'] / max(1, f['fact_budget_line'] + f['fact_target']):,.0f} bytes per fact row) |",
              f"| dbt tests | {', '.join(f'{k} {v}' for k, v in sorted(real['tests'].items()))} |",
              f"| load average before → after | {real['loadavg_before']} → {real['loadavg_after']} |", ""]
        if real.get("dbt_top"):
            L.append("Slowest dbt nodes: " + ", ".join(f"`{n}` {t:.1f} s" for n, t in real["dbt_top"]) + ".")
            L.append("")
    else:
        L += [real.get("skipped") or f"not measured: {real.get('error')}", ""]
    # ---- originals
    L += ["## Originals in the synthetic corpus", ""]
    if mixed.get("seconds"):
        m, f = mixed["manifest"], mixed["facts"]
        exact = (f["fact_budget_line"] == m["budget_facts"] and f["fact_target"] == m["targets"])
        L.append(f"{mixed['n']:,} filings of `benchmarks.corpus --formats {','.join(MIXED_FORMATS)}` (the formats in turn: "
                 + ", ".join(f"{v} {k}" for k, v in sorted(m["by_format"].items()))
                 + "; the originals are 部门预算 with their statements and 项目支出绩效目标表, `benchmarks/originals.py`), "
                 "one full build in a child process.")
        L += ["", "| | |", "|---|---|",
              f"| files / MB | {mixed['files']:,} / {mixed['bytes'] / 1e6:,.1f} |",
              f"| pages read (PDF pages and sheets) | {mixed.get('pages', 0):,} |",
              f"| end to end | {_s(mixed['seconds'])} (load {_s(mixed['load_seconds'])}, dbt {_s(mixed['dbt_seconds'])}) |",
              f"| loader throughput | {mixed['files'] / mixed['load_seconds']:.0f} filings/s, "
              f"{mixed.get('pages', 0) / mixed['load_seconds']:.0f} pages/s |",
              f"| CPU seconds: loader parent / loader workers / dbt | {_cpu(mixed, LOADER_ROLES[0]):.1f} / "
              f"{_cpu(mixed, LOADER_ROLES[1]):.1f} / {_cpu(mixed, DBT_ROLE):.1f} |",
              f"| peak memory, process tree (PSS) | {_mib(mixed.get('tree_peak_pss'))} |",
              f"| facts / targets in the warehouse vs the truth | {f['fact_budget_line']:,} / {f['fact_target']:,} vs "
              f"{m['budget_facts']:,} / {m['targets']:,} ({'the same counts' if exact else 'DIFFERENT'}; row by row in "
              "`tests/integration/test_round_trip_originals.py`) |",
              f"| warehouse file | {_bytes(mixed['warehouse_bytes'])} |",
              f"| load average before → after | {mixed['loadavg_before']} → {mixed['loadavg_after']} |", ""]
    else:
        L += [mixed.get("skipped") or f"not measured: {mixed.get('error')}", ""]
    # ---- distributed
    if dist.get("result"):
        from benchmarks.distributed import render as render_distributed

        L += render_distributed(dist["result"])
    else:
        L += ["## Distributed build", "", dist.get("skipped") or dist.get("error") or "not run", ""]
    # ---- estimate
    L += render_estimate(est, results)
    return L


def render_estimate(est: dict, results: list[dict]) -> list[str]:
    L = ["## Paper estimate: a national build", ""]
    if "national" not in est:
        L += [f"not computed: missing {', '.join(est.get('incomplete', []))} (the real build or the synthetic sizes "
              "were not measured)", ""]
        return L
    n = est["national"]
    c = est["node_cores"]
    r0, s0, r1, s1 = est["dbt_fit"]
    L.append(
        "From this run's measurements, in CPU seconds (the machine is shared; CPU time is what a dedicated worker "
        f"would spend): the loader spends **{est['loader_cpu_per_page'] * 1000:.1f} CPU-ms per page** of real filings "
        "(read, recognise, write raw: the CPU of the real build's loader parent and workers ÷ its pages; the PDF reader "
        f"alone {est.get('reader_cpu_per_page', 0) * 1000:.1f} ms); `dbt build` costs **{est['dbt_cpu_fixed_s']:.0f} CPU-s "
        f"+ {est['dbt_cpu_per_row_s'] * 1e6:.1f} CPU-µs per raw fact row** (fitted on the synthetic builds: {r0:,} rows "
        f"in {s0:.0f} CPU-s, {r1:,} rows in {s1:.0f} CPU-s{'; ' + est['dbt_fit_note'] if est.get('dbt_fit_note') else ''}); "
        f"a real filing gives **{est['rows_per_doc']:.0f} fact rows** (fact_budget_line + fact_target per loaded filing; "
        f"{est['pages_per_doc']:.0f} pages per file) and the warehouse holds **{est['bytes_per_fact_row']:,.0f} bytes per "
        f"fact row** (the real build's file ÷ its fact rows: the raw schema keeps every table cell — "
        f"{est.get('cells_per_fact_row', 0):.1f} per fact row — and the provenance; the synthetic "
        f"{est.get('synthetic_n', 0):,}-filing file: {est.get('synthetic_bytes_per_row', 0):,.0f} bytes per raw row).")
    L.append("")
    L.append(f"A national build: {n['docs']:,} documents × {NATIONAL_PAGES_PER_DOC} pages = {n['pages']:,.0f} pages, "
             f"{n['rows']:,.0f} fact rows, a warehouse of about **{_bytes(n['bytes'])}**. Reading is "
             f"{_s(n['read_core_s'])} of one core; one `dbt build` over all of it is {_s(n['dbt_cpu_s'])} of CPU, "
             f"{_s(n['dbt_s_one_node'])} on one {c}-core DuckDB node like this one (if it scaled linearly and never "
             "spilled, which at that size it would).")
    L += ["", f"| workers (one core each) | reading | total, one DuckDB file (reading ÷ N, then one dbt build on a {c}-core node) | "
              "total, partitioned (dbt per year × province partition, spread over the workers) |", "|---:|---:|---:|---:|"]
    for w in est["by_workers"]:
        L.append(f"| {w['workers']} | {_s(w['read_s'])} | {_s(w['single_file_s'])} | {_s(w['partitioned_s'])} |")
    L.append("")
    L.append(
        "Where one DuckDB file stops being the right store: its `dbt build` runs on one machine and does not shrink "
        f"with workers, so past a few dozen workers the total is the dbt step ({_s(n['dbt_s_one_node'])} here); on a "
        f"node like this one a full build passes an hour at about **{est['hour_docs']:,.0f} documents** "
        f"({_bytes(est['hour_bytes'])} of file), and today a 1 % change rebuilds everything (the 1 %-changed rebuild "
        "target above). One file also means one writer and one machine's disk and memory for every reader. The "
        f"national corpus ({_bytes(n['bytes'])}) wants its facts as **Parquet partitioned by fiscal_year / province in "
        "object storage**, written by the workers that read each partition's filings (reading is embarrassingly "
        "parallel: each file is parsed alone), with the dbt models run per partition (incremental: a changed filing "
        "rebuilds its partition) and the cross-filing models (dimensions, rollups, cross-year checks) over the "
        "partitions' outputs. Analysts query it with DuckDB (or MotherDuck) reading the Parquet directly — one "
        f"province-year (~1/{31 * 6} of it, {_bytes(n['bytes'] / (31 * 6))}) is well inside one DuckDB — and a distributed "
        "SQL engine (Trino, Spark SQL, ClickHouse) only for national scans that must be interactive. A single DuckDB "
        f"file stays right up to a province or a few years: below ~{est['hour_docs'] / 10:,.0f} documents its full "
        f"build takes minutes and the file is {_bytes(est['hour_bytes'] / 10)}.")
    L.append("")
    return L
