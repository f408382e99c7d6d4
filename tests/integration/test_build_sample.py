"""End to end: build the warehouse from the five bundled filings and check published figures."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import FILINGS

pytestmark = pytest.mark.integration


def one(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


def test_build_passed_every_dbt_test(built):
    assert built.tests.get("pass", 0) > 50
    assert set(built.tests) <= {"pass", "warn"}, built.failures


def test_every_filing_loaded(wh):
    rows = wh.execute("select source_file, status from marts.dim_filing order by 1").fetchall()
    assert [s for _, s in rows] == ["loaded"] * 5, rows


@pytest.mark.parametrize(
    "entity, statement, subject_or_item, measure, yuan",
    [
        ("450", "expenditure", "2101202", "total", "51182700.00"),  # 支出总表 城乡居民基本医疗保险
        ("450001", "expenditure", "2101202", "total", "51182700.00"),
        ("450", "basic_expenditure", "30101", "total", "1560100.00"),  # 基本支出表 基本工资
        ("450", "expenditure", "2101301", "total", "8250000.00"),
        ("450", "basic_expenditure", "30217", "public_funds", "1000.00"),
    ],
)
def test_coded_statement_figures(wh, entity, statement, subject_or_item, measure, yuan):
    got = one(
        wh,
        """select f.amount_yuan from marts.fact_budget_line f
           join marts.dim_department d using (department_id)
           where d.unit_code = ? and f.statement = ? and f.subject_code = ? and f.measure = ?""",
        entity, statement, subject_or_item, measure,
    )
    assert got == Decimal(yuan)


def test_three_public_in_both_shapes(wh):
    # 002: rows per item; 003: columns per item — the same grain
    got = dict(wh.execute(
        """select d.unit_code || ' ' || f.line_item_normalised, f.amount_yuan from marts.fact_budget_line f
           join marts.dim_department d using (department_id)
           where f.statement = 'three_public' and f.measure = 'total' and d.unit_code in ('450', '302001')"""
    ).fetchall())
    assert got["450 公务接待费"] == Decimal("1000.00")
    assert got["450 公务用车购置费"] == Decimal("130000.00")
    assert got["302001 公务接待费"] == Decimal("50000.00")
    assert got["302001 其他交通费用"] == Decimal("13600.00")
    assert got["302001 合计"] == Decimal("63600.00")


def test_shunping_project_budget(wh):
    got = one(
        wh,
        """select f.amount_yuan from marts.fact_budget_line f join marts.dim_project p using (project_id)
           where p.project_code = '450-0201-JXN-FL29' and f.measure = 'total'""",
    )
    assert got == Decimal("30160000.00")


def test_xiangyin_nine_projects_sum_to_the_department_line(wh):
    n, total = one(
        wh,
        """select count(*), sum(f.amount_yuan) from marts.fact_budget_line f
           join marts.dim_project p using (project_id)
           join marts.dim_department d on d.department_id = p.department_id
           where d.county = '湘阴县' and f.statement = 'project_budget' and f.measure = 'total'""",
    )
    assert (n, total) == (9, Decimal("52940000.00"))
    dept_line = one(
        wh,
        """select f.amount_yuan from marts.fact_budget_line f join marts.dim_department d using (department_id)
           where d.unit_code = '302' and f.statement = 'project_budget' and f.project_id is null""",
    )
    assert dept_line == Decimal("52940000.00")


def test_luan_midterm_amount(wh):
    got = one(
        wh,
        """select f.amount_yuan from marts.fact_budget_line f join marts.dim_project p using (project_id)
           where p.project_name = '弥补离休干部医疗统筹经费缺口' and f.measure = 'midterm'""",
    )
    assert got == Decimal("28585000.00")


@pytest.mark.parametrize(
    "county_like, measure, yuan",
    [
        ("湘阴县", "total", "59020400.00"),
        ("湘阴县", "basic", "6080400.00"),
        ("湘阴县", "project", "52940000.00"),
        ("衡东县", "total", "8340200.00"),
        ("衡东县", "basic", "7280200.00"),
        ("衡东县", "project", "1060000.00"),
    ],
)
def test_overall_budget_requests(wh, county_like, measure, yuan):
    got = one(
        wh,
        """select f.amount_yuan from marts.fact_budget_line f join marts.dim_department d using (department_id)
           where d.county = ? and f.statement = 'overall_budget' and f.measure = ?""",
        county_like, measure,
    )
    assert got == Decimal(yuan)


@pytest.mark.parametrize(
    "name, level, admin_code, province, prefecture, county",
    [
        ("顺平县医疗保障局", "department", "130636", "河北省", "保定市", "顺平县"),
        ("新乐市医疗保障局", "department", "130184", "河北省", "石家庄市", "新乐市"),
        ("新乐市医疗保障局本级", "unit", "130184", "河北省", "石家庄市", "新乐市"),
        ("六安市医疗保险管理中心", "department", "341500", "安徽省", "六安市", None),
        ("衡东县医疗保障局", "department", "430424", "湖南省", "衡阳市", "衡东县"),
    ],
)
def test_departments_map_to_divisions(wh, name, level, admin_code, province, prefecture, county):
    got = one(
        wh,
        """select entity_level, admin_code, province, prefecture, county from marts.dim_department
           where department_name = ?""",
        name,
    )
    assert got == (level, admin_code, province, prefecture, county)


def test_units_point_at_their_department(wh):
    rows = wh.execute(
        """select u.unit_code, d.unit_code from marts.dim_department u
           join marts.dim_department d on d.department_id = u.parent_department_id
           where u.entity_level = 'unit' order by 1"""
    ).fetchall()
    assert rows == [("302001", "302"), ("450001", "450")]


def _row_start(line: str) -> bool:
    """A line a row can start on: text, or a (possibly blank) Word-table cell."""
    return bool(line.strip()) or line.startswith("\t")


def test_every_fact_points_at_the_line_that_holds_it(wh):
    texts = {p.name: p.read_text(encoding="utf-8-sig").split("\n") for p in FILINGS.glob("*.txt")}
    rows = wh.execute(
        "select source_file, source_line, value_line, published_amount from marts.fact_budget_line"
    ).fetchall()
    assert len(rows) > 600
    for source_file, source_line, value_line, amount in rows:
        lines = texts[source_file]
        assert _row_start(lines[source_line - 1]), (source_file, source_line)
        assert amount in lines[value_line - 1], (source_file, value_line, amount)
    targets = wh.execute("select source_file, source_line, value_line, target_text from marts.fact_target").fetchall()
    for source_file, source_line, value_line, text in targets:
        lines = texts[source_file]
        assert _row_start(lines[source_line - 1]), (source_file, source_line)
        if text:
            assert text.split()[0] in lines[value_line - 1], (source_file, value_line, text)


def test_amounts_are_decimal_20_2(wh):
    assert one(
        wh,
        """select data_type from information_schema.columns
           where table_schema = 'marts' and table_name = 'fact_budget_line' and column_name = 'amount_yuan'""",
    ) == "DECIMAL(20,2)"


def test_duckdb_1x_cli_lists_the_marts(built):
    exe = shutil.which("duckdb", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    assert exe, "the duckdb CLI (pip package duckdb-cli) is a test dependency"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version
    out = subprocess.run(
        [exe, "-readonly", "-csv", str(built.warehouse), "-c",
         "select table_name from information_schema.tables where table_schema = 'marts' order by 1"],
        capture_output=True, text=True, check=True,
    ).stdout
    for table in ("dim_department", "dim_filing", "dim_project", "fact_budget_line", "fact_target"):
        assert table in out


def test_keys_are_stable_across_rebuilds(built, tmp_path):
    import duckdb

    from medwh.build import build_warehouse

    again = build_warehouse(FILINGS, tmp_path / "again.duckdb", quiet=True, target_path=tmp_path / "target")
    q = {
        "fact_budget_line": "select budget_line_id, amount_yuan from marts.fact_budget_line order by 1",
        "fact_target": "select target_id, indicator_id, target_text from marts.fact_target order by 1",
        "dim_department": "select * from marts.dim_department order by 1",
        "dim_project": "select project_id, project_name from marts.dim_project order by 1",
    }
    a = duckdb.connect(str(built.warehouse), read_only=True)
    b = duckdb.connect(str(again.warehouse), read_only=True)
    try:
        for name, sql in q.items():
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), name
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize(
    "prefix, expected",
    [
        # 16 projects × (预算数, 财政资金); 其他资金 is blank everywhere
        ("000", 32),
        # 3 forms × (中期, 年度) × (总额, 其中财政拨款); 其他资金 blank
        ("001", 12),
        # 272 per part (8 收支总表, 75 收入总表, 57 支出总表, 13 财政拨款收支总表, 57 一般公共预算,
        # 49 基本支出表, 10 三公, 3 固定资产) × department and unit
        ("002", 544),
        # department line + 9 projects, 4 整体 amounts, 9 三公 cells (3 rows × 合计/接待/其他交通)
        ("003", 23),
        # 资金总额, 公共财政拨款, 基本支出, 项目支出
        ("004", 4),
    ],
)
def test_every_published_amount_is_one_row(wh, prefix, expected):
    assert one(wh, "select count(*) from marts.fact_budget_line where source_file like ?", f"{prefix}_%") == expected
