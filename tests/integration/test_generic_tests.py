"""The project's own generic dbt tests (tests/generic) fail on the rows they exist to catch: run
with dbt on a copy of the sample warehouse into which such a row was written."""

from __future__ import annotations

import shutil

import duckdb

from medwh.build import run_dbt


def _copy(built, tmp_path):
    copy = tmp_path / "broken.duckdb"
    shutil.copy(built.warehouse, copy)
    return copy


def _test(copy, tmp_path, select: str):
    run = run_dbt(["test", "--select", select], copy, quiet=True, target_path=tmp_path / "target")
    return run, {r["unique_id"].split(".")[2]: (r["status"], r["failures"]) for r in run.results}


def test_not_null_columns_fails_once_per_column_that_holds_a_null(built, tmp_path):
    copy = _copy(built, tmp_path)
    run, before = _test(copy, tmp_path, "dim_project,test_name:not_null_columns")
    assert run.success and list(before.values()) == [("pass", 0)]
    con = duckdb.connect(str(copy))
    con.execute("update marts.dim_project set department_id = null where project_id in "
                "(select project_id from marts.dim_project order by project_id limit 2)")
    con.execute("update marts.dim_project set project_name = null where project_id = "
                "(select max(project_id) from marts.dim_project)")
    con.close()
    run, after = _test(copy, tmp_path, "dim_project,test_name:not_null_columns")
    # two columns hold nulls: two failing rows, whatever the number of null rows
    assert not run.success and list(after.values()) == [("fail", 2)]


def test_unique_combination_fails_on_a_repeated_key(built, tmp_path):
    copy = _copy(built, tmp_path)
    con = duckdb.connect(str(copy))
    con.execute("insert into marts.mart_department_year select * from marts.mart_department_year limit 1")
    con.close()
    run, after = _test(copy, tmp_path, "mart_department_year,test_name:unique_combination")
    assert not run.success and list(after.values()) == [("fail", 1)]
