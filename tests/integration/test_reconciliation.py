"""Reconciliation: every restated figure checked; failures are documented source errors or
findings, and a changed figure fails exactly the checks that restate it."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FILINGS

pytestmark = pytest.mark.integration

CHECKS = {
    "subject_children_sum", "total_equals_basic_plus_project", "income_equals_expenditure",
    "cross_statement_total", "three_public_components", "projects_sum_to_project_expenditure",
    "units_sum_to_department", "narrative_matches_table", "spending_plan_monotonic",
    "annual_within_midterm", "cost_targets_within_budget",
}


def test_every_check_runs_on_the_sample(wh):
    ran = {c for (c,) in wh.execute("select distinct check_name from audit.reconciliation").fetchall()}
    assert CHECKS <= ran


def test_no_unexplained_failure_on_the_sample(wh):
    """The guard against parsing regressions: every failure is a documented source error."""
    unexplained = wh.execute(
        """select check_name, scope, expected_yuan, actual_yuan, source_file, source_line
           from audit.reconciliation where status = 'fail' and not known_source_error"""
    ).fetchall()
    assert unexplained == []


def test_the_documented_source_errors_are_found(wh):
    got = sorted(wh.execute(
        """select left(source_file, 3), check_name, scope, expected_yuan, actual_yuan
           from audit.reconciliation where status = 'fail' and known_source_error"""
    ).fetchall())
    narrative = [g for g in got if g[1] == "narrative_matches_table"]
    # 002 states each wrong figure twice: department part and unit part
    assert sorted({(g[2], g[3], g[4]) for g in narrative}) == sorted([
        ("人员经费 389.5万元 vs basic_expenditure / 合计 / personnel", Decimal("4080800.00"), Decimal("3895000.00")),
        ("医疗救助补助资金 625万元 vs expenditure / 2101301 / project", Decimal("8250000.00"), Decimal("6250000.00")),
        ("城乡居民医保财政补助 5318.27万元 vs expenditure / 2101202 / project", Decimal("51182700.00"), Decimal("53182700.00")),
        ("日常公用经费 24.7万元 vs basic_expenditure / 合计 / public_funds", Decimal("260200.00"), Decimal("247000.00")),
    ])
    assert len(narrative) == 8
    assert [g[1] for g in got if g[0] == "003"] == ["cost_targets_within_budget"]


@pytest.mark.parametrize(
    "scope_like, expected, actual",
    [
        ("overall_budget / 项目支出 = sum of 9 projects", "52940000.00", "52940000.00"),  # 003
        ("expenditure / 合计 / project = sum of 11 projects%", "72891500.00", "72891500.00"),  # 002 prose
        ("%2022年“三公”经费预算情况表 / total / line 90 / 合计 = items", "63600.00", "63600.00"),
    ],
)
def test_restatements_that_pass(wh, scope_like, expected, actual):
    got = wh.execute(
        "select distinct expected_yuan, actual_yuan, status from audit.reconciliation where scope like ?",
        [scope_like],
    ).fetchall()
    assert got == [(Decimal(expected), Decimal(actual), "pass")]


def test_cost_targets_of_hengdong_add_up_to_its_budget(wh):
    got = wh.execute(
        """select scope, expected_yuan, actual_yuan, status from audit.reconciliation
           where check_name = 'cost_targets_within_budget' and source_file like '004_%'"""
    ).fetchall()
    assert got == [("部门整体 / annual / 9 cost targets = budget", Decimal("8340200.00"), Decimal("8340200.00"), "pass")]


def test_summary_counts_match(wh):
    per_filing = dict(wh.execute(
        """select left(source_file, 3), failed from audit.reconciliation_summary where grain = 'filing'"""
    ).fetchall())
    assert per_filing["002"] == 8 and per_filing["003"] == 1 and per_filing["000"] == 0
    (total,) = wh.execute(
        "select sum(checks_run) from audit.reconciliation_summary where grain = 'filing'"
    ).fetchone()
    assert total == wh.execute("select count(*) from audit.reconciliation").fetchone()[0]


# ------------------------------------------------------------------ changed figures
def _copy_with_change(tmp: Path, prefix: str, after: str, cell: str, new: str, offset: int) -> Path:
    """Copy the sample filings; in filing `prefix`, find the first line equal to `cell` after
    the line `after` and replace the line `offset` lines below it with `new`."""
    folder = tmp / "filings"
    shutil.copytree(FILINGS, folder)
    path = next(folder.glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(after)
    at = lines.index(cell, start) + offset
    lines[at] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


def _unexplained(warehouse: Path) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(con.execute(
            """select d.unit_code, r.check_name, r.scope from audit.reconciliation r
               join marts.dim_department d using (department_id)
               where r.status = 'fail' and not r.known_source_error"""
        ).fetchall())
    finally:
        con.close()


def test_a_changed_expenditure_figure_fails_exactly_its_restatements(tmp_path):
    from medwh.build import build_warehouse

    # 002, department 支出总表, line 2101202: total 5118.27 → 5118.72 (the cell two lines below the code)
    folder = _copy_with_change(tmp_path, "002", "部门预算支出总表", "\t2101202", "\t5118.72", 2)
    result = build_warehouse(folder, tmp_path / "wh.duckdb", quiet=True, target_path=tmp_path / "target")
    assert _unexplained(result.warehouse) == [
        ("450", "subject_children_sum", "expenditure / 21012 / total"),
        ("450", "total_equals_basic_plus_project", "expenditure / 2101202 / total = parts"),
        ("450", "units_sum_to_department", "expenditure / 2101202 / total = units"),
    ]


def test_a_changed_project_amount_fails_the_project_sums(tmp_path):
    from medwh.build import build_warehouse

    folder = tmp_path / "filings"
    shutil.copytree(FILINGS, folder)
    path = next(folder.glob("003_*.txt"))
    text = path.read_text(encoding="utf-8")
    assert "\t打击欺诈骗保工作经费\t30\t" in text
    path.write_text(text.replace("\t打击欺诈骗保工作经费\t30\t", "\t打击欺诈骗保工作经费\t35\t"), encoding="utf-8")
    result = build_warehouse(folder, tmp_path / "wh.duckdb", quiet=True, target_path=tmp_path / "target")
    assert _unexplained(result.warehouse) == [
        ("302", "projects_sum_to_project_expenditure", "project_budget / 湘阴县医疗保障局 = sum of 9 projects"),
        ("302001", "projects_sum_to_project_expenditure", "overall_budget / 项目支出 = sum of 9 projects"),
    ]


def test_strict_build_fails_on_a_finding_and_keeps_the_previous_warehouse(tmp_path, built):
    from medwh.build import BuildError, build_warehouse

    target = tmp_path / "published.duckdb"
    shutil.copy(built.warehouse, target)
    before = target.read_bytes()
    folder = _copy_with_change(tmp_path, "002", "部门预算支出总表", "\t2101202", "\t5118.72", 2)
    with pytest.raises(BuildError, match="reconciliation_failures_explained"):
        build_warehouse(folder, target, strict=True, quiet=True, target_path=tmp_path / "target")
    assert target.read_bytes() == before
    assert not list(tmp_path.glob("published.duckdb.*"))  # no temporary file left behind
