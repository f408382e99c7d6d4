"""Finding 1: ``medwh query`` runs one read-only statement against this warehouse and
nothing else — no statement may write, attach, export or read any other file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from medwh.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def wh(tmp_path) -> Path:
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.dim_department as select 'd1' as department_id, '医保局' as department_name")
    con.close()
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other.execute("create table t as select 1 as a")
    other.close()
    return path


HOSTILE = [
    "copy (select 'x') to '{wh}' (format csv)",
    "copy marts.dim_department to '{tmp}/leak.csv'",
    "attach '{tmp}/other.duckdb' as o (read_write); delete from o.t",
    "attach '{tmp}/other.duckdb' as o (read_write)",
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('/etc/passwd', header = false)",
    "select * from '/etc/passwd'",
    "select * from glob('/etc/*')",
    "export database '{tmp}/export'",
    "import database '{tmp}/export'",
    "install httpfs",
    "load httpfs",
    "pragma enable_external_access",
    "set enable_external_access = true",
    "reset memory_limit",
    "create table marts.x as select 1",
    "insert into marts.dim_department values ('d2', 'x')",
    "update marts.dim_department set department_name = 'x'",
    "delete from marts.dim_department",
    "drop table marts.dim_department",
    "detach wh",
    "select 1; drop table marts.dim_department",
    "select 1; selec 2",
    "with x as (select 1) select * from read_text('/etc/passwd')",
    "select * from query('select 1')",
    "explain copy (select 1) to '{tmp}/x.csv'",
]


@pytest.mark.parametrize("sql", HOSTILE)
def test_hostile_statement_is_refused(sql, wh, tmp_path, capsys):
    other = tmp_path / "other.duckdb"
    before = {p: _sha(p) for p in (wh, other)}
    listing = sorted(p.name for p in tmp_path.iterdir())
    code = cli(["query", sql.format(wh=wh, tmp=tmp_path), "--warehouse", str(wh)])
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("medwh: error: "), err
    assert "root:" not in out + err  # /etc/passwd's content is never printed
    assert {p: _sha(p) for p in (wh, other)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no file written beside it
    assert "not allowed" in err or "refused" in err or "disabled by configuration" in err


def test_the_cli_process_refuses_overwriting_the_warehouse(wh, tmp_path):
    before = _sha(wh)
    proc = subprocess.run(
        [sys.executable, "-m", "medwh.cli", "query", f"copy (select 'x') to '{wh}' (format csv)", "--warehouse", str(wh)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 2 and "COPY is not allowed" in proc.stderr
    assert _sha(wh) == before


@pytest.mark.parametrize(
    "sql",
    [
        "select * from marts.dim_department",
        "with d as (select * from marts.dim_department) select count(*) from d",
        "from marts.dim_department",
        "values (1), (2)",
        "describe marts.dim_department",
        "show tables",
        "summarize marts.dim_department",
        "select 1 union all select 2",
        "explain select 1",
        "select 'a;b' as semicolon_in_a_string;",
        "select * from duckdb_tables()",
    ],
)
def test_reads_still_work(sql, wh, capsys):
    assert cli(["query", sql, "--warehouse", str(wh)]) == 0, capsys.readouterr().err


def test_sql_errors_keep_duckdbs_whole_message(wh, capsys):
    assert cli(["query", "select * from marts.dim_departmen", "--warehouse", str(wh)]) == 2
    err = capsys.readouterr().err
    assert 'Did you mean "marts.dim_department"?' in err or 'Did you mean "dim_department"?' in err
    assert cli(["query", "selec 1", "--warehouse", str(wh)]) == 2
    err = capsys.readouterr().err
    assert "syntax error" in err and "LINE 1" in err
