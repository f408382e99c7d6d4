"""Finding 8: memory settings keep their word. Past MEDWH_MEMORY_LIMIT DuckDB spills
beside the build file, with one DuckDB thread per 256MB of limit; below the floor the build
says so in one line (the limit, and to raise it) and the old warehouse is untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.load import duckdb_threads

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def test_threads_follow_the_memory_limit(monkeypatch):
    monkeypatch.delenv("MEDWH_DUCKDB_THREADS", raising=False)
    assert duckdb_threads("256MB") == 1
    assert duckdb_threads("96MB") == 1
    assert duckdb_threads("64GB") == (os.cpu_count() or 1)
    monkeypatch.setenv("MEDWH_DUCKDB_THREADS", "3")
    assert duckdb_threads("256MB") == 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([PY, "-m", "benchmarks.corpus", "--n", "200", "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out / "filings"


def _build(corpus: Path, target: Path, limit: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MEDWH_MEMORY_LIMIT=limit)
    env.pop("MEDWH_DUCKDB_THREADS", None)
    return subprocess.run(
        [PY, "-m", "medwh.cli", "build", "--quiet", "--filings", str(corpus), "--warehouse", str(target), "--workers", "2"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def test_below_the_floor_the_build_names_the_memory_limit(corpus, small_build, tmp_path):
    target = tmp_path / "wh.duckdb"
    shutil.copy(small_build.warehouse, target)
    before = target.read_bytes()
    proc = _build(corpus, target, "96MB")
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("medwh: error: ") and "out of memory at MEDWH_MEMORY_LIMIT=96MB" in last and "raise it" in last
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wh.duckdb"]


def test_a_generated_corpus_builds_at_256mb(corpus, tmp_path):
    proc = _build(corpus, tmp_path / "wh.duckdb", "256MB")
    assert proc.returncode == 0, proc.stderr[-3000:]
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    assert con.execute("select count(*) from marts.dim_filing").fetchone()[0] >= 200
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wh.duckdb"]  # spill folders removed


@pytest.mark.skipif(not os.environ.get("MEDWH_SLOW_TESTS"), reason="2,000 filings take minutes: set MEDWH_SLOW_TESTS=1")
def test_2000_filings_build_at_256mb(tmp_path):
    out = tmp_path / "corpus"
    subprocess.run([PY, "-m", "benchmarks.corpus", "--n", "2000", "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = _build(out / "filings", tmp_path / "wh.duckdb", "256MB")
    assert proc.returncode == 0, proc.stderr[-3000:]
