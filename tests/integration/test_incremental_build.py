"""Incremental builds: adding, changing, renaming and removing filings, then ``medwh build``
again, gives the same warehouse as a full build of the folder — every row of every table of
every schema (tests/distributed/compare.py) — and a removed filing's rows are gone everywhere.

The folder is a generated corpus (benchmarks/corpus.py) with, besides plain changes, the cases
where a file's verdict depends on another file: a copy of an unchanged filing added (a
duplicate of it), and an original removed whose copy stays (the copy is loaded in its place).
Both builds run DuckDB with one thread (``any_value`` may pick another row with more).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.distributed.compare import differences

pytestmark = pytest.mark.integration

N_FILINGS = 120


def _filing_files(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file() and "_copy" not in p.name)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    from benchmarks.corpus import generate
    from medwh.build import build_warehouse

    mp = pytest.MonkeyPatch()
    mp.setenv("MEDWH_DUCKDB_THREADS", "1")
    root = tmp_path_factory.mktemp("incremental")
    generate(N_FILINGS, root / "corpus", seed=20250101, quiet=True)
    generate(6, root / "more", seed=777, quiet=True)
    filings = root / "corpus" / "filings"
    files = _filing_files(filings)
    original_with_copy = files[5]
    shutil.copy(original_with_copy, original_with_copy.with_name("zz_" + original_with_copy.name))  # its copy
    warehouse = root / "warehouse.duckdb"
    first = build_warehouse(filings, warehouse, quiet=True, target_path=root / "target")
    shutil.copy(warehouse, root / "before.duckdb")

    changed = [files[10], files[40]]
    removed = [files[20], files[60], original_with_copy]
    # a department renamed in its latest filing: a unit of it filed in other years too takes its
    # new parent from that filing (dim_department), so the unit's other filings are redone
    renamed_department = _latest_filing_of_a_unit(warehouse, filings, exclude=set(changed + removed + files[80:81] + files[100:101]))
    department, new_name, unit, renamed_file = renamed_department
    renamed_file.write_bytes(renamed_file.read_bytes().decode(_encoding(renamed_file)).replace(department, new_name)
                             .encode(_encoding(renamed_file)))
    changed.append(renamed_file)
    renamed = files[80]
    for p in changed:  # a note appended: new content, so a new filing
        p.write_bytes(p.read_bytes() + "注：本表数据已于年中调整后重新公开。\n".encode("gb18030" if _is_gb(p) else "utf-8"))
    for p in removed:
        p.unlink()
    renamed.rename(renamed.with_name("renamed_" + renamed.name))  # same content, another name
    added = sorted((root / "more" / "filings").rglob("*.txt"))[:3]
    for p in added:
        dest = filings / "added" / p.name
        dest.parent.mkdir(exist_ok=True)
        shutil.copy(p, dest)
    shutil.copy(files[100], filings / "added" / "a_copy_of_an_unchanged_filing.txt")

    incremental = build_warehouse(filings, warehouse, quiet=True, target_path=root / "target")
    full = build_warehouse(filings, root / "full.duckdb", quiet=True, target_path=root / "target_full")
    yield {
        "root": root, "filings": filings, "warehouse": warehouse, "first": first, "incremental": incremental,
        "full": full, "removed": [p.relative_to(filings).as_posix() for p in removed],
        "changed": [p.relative_to(filings).as_posix() for p in changed],
        "renamed": renamed.relative_to(filings).as_posix(),
        "renamed_department": (department, new_name, unit),
        "files": sum(1 for p in filings.rglob("*") if p.is_file()),
    }
    mp.undo()


def _latest_filing_of_a_unit(warehouse, filings, exclude):
    """(department name, its new name, unit name, file): a unit filed in several years whose
    name does not hold its department's, and the file of its latest year."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """select p.department_name, u.department_name, f.source_file
               from marts.dim_department as u
               join marts.dim_department as p on u.parent_department_id = p.department_id
               join intermediate.int_entities__resolved as e on e.department_id = u.department_id
               join marts.dim_filing as f on f.filing_id = e.filing_id and f.fiscal_year = u.last_fiscal_year
               where u.entity_level = 'unit' and u.filing_count > 1 and p.department_name like '%医疗保障局'
                 and not contains(u.department_name, p.department_name)
               order by all"""
        ).fetchall()
    finally:
        con.close()
    excluded = {p.relative_to(filings).as_posix() for p in exclude}
    department, unit, source_file = next(r for r in rows if r[2] not in excluded)
    return department, department.removesuffix("医疗保障局") + "医疗保障管理局", unit, filings / source_file


def _encoding(path) -> str:
    return "gb18030" if _is_gb(path) else "utf-8"


def _is_gb(path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def test_the_rebuild_is_incremental_and_the_full_build_is_full(rebuilt):
    assert rebuilt["first"].mode == "full" and "no previous warehouse" in rebuilt["first"].mode_reason
    inc = rebuilt["incremental"]
    assert inc.mode == "incremental", inc.mode_reason
    # added: 3 new files, the copy, the renamed file's new name; changed: 2 edited, and the copied
    # file with the original's copy (their verdicts depend on the added copy and the removed original);
    # removed: 2 files, the original, the renamed file's old name
    assert inc.mode_reason.startswith(f"5 files added, 5 changed, 4 removed of {rebuilt['files']} "), inc.mode_reason
    assert rebuilt["full"].mode == "full"
    # the incremental build read only the files it had to (not the whole folder)
    assert inc.load.reused >= N_FILINGS - 12


def test_incremental_warehouse_equals_a_full_build(rebuilt):
    diffs, counts = differences(rebuilt["warehouse"], rebuilt["root"] / "full.duckdb")
    assert not diffs, "\n".join(diffs[:30])
    assert counts.get("marts.fact_budget_line", 0) > 1000


def test_a_unit_of_a_renamed_department_has_its_new_parent_in_every_year(rebuilt):
    department, new_name, unit = rebuilt["renamed_department"]
    con = duckdb.connect(str(rebuilt["warehouse"]), read_only=True)
    try:
        parents = con.execute(
            """select distinct p.department_name, count(distinct k.filing_id)
               from intermediate.int_budget_lines__keyed as k
               join marts.dim_department as u on k.department_id = u.department_id
               join marts.dim_department as p on k.parent_department_id = p.department_id
               where u.department_name = ? group by all""", [unit]).fetchall()
    finally:
        con.close()
    # the unit's lines of every year, the years whose files did not change included
    assert len(parents) == 1 and parents[0][0] == new_name and parents[0][1] >= 2, (department, parents)


def test_the_comparison_sees_the_changes(rebuilt):
    """The same comparison, between the warehouse before the changes and after, differs: it can fail."""
    diffs, _ = differences(rebuilt["root"] / "before.duckdb", rebuilt["warehouse"])
    assert any("fact_budget_line" in d for d in diffs) and any("reconciliation" in d for d in diffs)


def test_removed_and_replaced_filings_rows_are_gone_everywhere(rebuilt):
    before = duckdb.connect(str(rebuilt["root"] / "before.duckdb"), read_only=True)
    try:
        gone_ids = [r[0] for r in before.execute(
            "select filing_id from raw.filings where source_file in ? and status = 'loaded'",
            # a changed file's old content was a filing of its own; the removed original's content stays (its copy)
            [rebuilt["removed"][:2] + rebuilt["changed"]],
        ).fetchall()]
    finally:
        before.close()
    assert len(gone_ids) >= 4
    con = duckdb.connect(str(rebuilt["warehouse"]), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name, list(column_name) from duckdb_columns() "
            "where database_name = current_database() and schema_name not in ('reference') "
            "group by all order by all"
        ).fetchall()
        checked = 0
        for schema, table, columns in tables:
            for column in ("filing_id", "source_file"):
                if column not in columns:
                    continue
                values = gone_ids if column == "filing_id" else rebuilt["removed"] + [rebuilt["renamed"]]
                n = con.execute(f'select count(*) from "{schema}"."{table}" where "{column}" in ?', [values]).fetchone()[0]
                assert n == 0, f"{schema}.{table} still has {n} rows of removed filings ({column})"
                checked += 1
        assert checked > 30
        # the copy of the removed original is loaded in its place; the added copy is a duplicate
        statuses = dict(con.execute("select source_file, status from raw.filings where source_file like '%zz_%' "
                                    "or source_file like 'added/a_copy%'").fetchall())
        assert sorted(statuses.values()) == ["duplicate", "loaded"], statuses
    finally:
        con.close()


def test_a_changed_project_or_full_refresh_builds_in_full(rebuilt, monkeypatch):
    import medwh.build as build

    filings, root = rebuilt["filings"], rebuilt["root"]
    warehouse = root / "project.duckdb"
    shutil.copy(rebuilt["warehouse"], warehouse)
    (filings / "added" / "a_copy_of_an_unchanged_filing.txt").unlink()  # something changed
    monkeypatch.setattr(build, "project_fingerprint", lambda strict: "another project")
    result = build.build_warehouse(filings, warehouse, quiet=True, target_path=root / "target_project")
    assert result.mode == "full"
    assert "dbt project" in result.mode_reason
    monkeypatch.undo()
    forced = build.build_warehouse(filings, warehouse, quiet=True, target_path=root / "target_project",
                                   full_refresh=True)
    assert forced.mode == "full" and forced.mode_reason == "--full-refresh"
