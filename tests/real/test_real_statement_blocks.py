"""Statement tables that list several budget units' blocks (深圳), and 类|款|项 code columns
whose headers are printed on the 合计 row (普陀 决算): figures hand-read from rendered pages,
and the reconciliation checks that sum within one block."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.integration

SHENZHEN_ECO = "real-corpus/003_深圳/2026年深圳市生态环境局部门预算.pdf"
PUTUO_FINAL = "real-filings/shanghai-putuo/上海市普陀区财政局2024年度部门决算.pdf"


def test_shenzhen_department_row_is_the_table_total_and_units_head_their_blocks(real_wh):
    # p.81 支出总表 (万元): 深圳市生态环境局 190,281.97 (the department), then 深圳市生态环境局（本级）
    # 63,051.28 above its own rows, 208 社会保障和就业支出 1,041.93
    totals = real_wh.execute(
        """select line_item, amount_yuan from marts.fact_budget_line
           where source_file = ? and statement = 'expenditure' and measure = 'total' and is_total_line""",
        [SHENZHEN_ECO],
    ).fetchall()
    assert totals == [("深圳市生态环境局", Decimal("1902819700.00"))]
    block = real_wh.execute(
        """select row_group, amount_yuan from marts.fact_budget_line
           where source_file = ? and statement = 'expenditure' and measure = 'total' and source_page = 81
             and subject_code = '208'""",
        [SHENZHEN_ECO],
    ).fetchall()
    assert block == [("深圳市生态环境局（本级）", Decimal("10419300.00"))]


def test_shenzhen_unit_blocks_reconcile_block_by_block(real_wh):
    got = real_wh.execute(
        """select check_name, count(*), count(*) filter (where status = 'fail')
           from audit.reconciliation
           where source_file = ? and check_name in ('subject_children_sum', 'cross_statement_total')
           group by all order by 1""",
        [SHENZHEN_ECO],
    ).fetchall()
    assert [(name, failed) for name, _, failed in got] == [("cross_statement_total", 0), ("subject_children_sum", 0)]
    assert all(n > 0 for _, n, _ in got)


def test_putuo_final_accounts_codes_from_class_item_sub_columns(real_wh):
    # p.10 支出决算表: 208 | 05 | 05 机关事业单位基本养老保险缴费支出 160.75 (万元)
    got = real_wh.execute(
        """select subject_code, amount_yuan from marts.fact_budget_line
           where source_file = ? and statement = 'expenditure' and measure = 'total' and source_page = 10
             and line_item = '机关事业单位基本养老保险缴费支出'""",
        [PUTUO_FINAL],
    ).fetchall()
    assert got == [("2080505", Decimal("1607500.00"))]


def test_reconciliation_rows_say_which_page_to_open(real_wh):
    got = real_wh.execute(
        """select source_page, source_cell from audit.reconciliation
           where source_file = ? and check_name = 'subject_children_sum' and scope = 'expenditure / 208 / total'""",
        [PUTUO_FINAL],
    ).fetchall()
    assert got == [(10, "p.10 表4 r11 c5")]
