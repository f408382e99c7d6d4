"""Repeated content on real paged documents: rows of different pages are alike all the time
(a 0.00 in the same column and row of two units' pages, a 项 printed with its 款's code), so
they are never dropped one by one as "copies"; only a page that repeats an earlier page record
for record is read once. Figures read by hand from the rendered pages (pdftoppm -png)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_no_budget_line_of_a_real_filing_is_dropped_as_a_copy(real_wh):
    # no real filing here prints a money page twice, so staging keeps every budget line
    # (before, 268 lines of 17 PDFs were dropped as "copies" of alike rows on other pages)
    dropped = real_wh.execute(
        """select r.source_file, r.source_cell, r.measure
           from raw.budget_lines as r
           anti join staging.stg_raw__budget_lines as s
               on s.filing_id = r.filing_id and s.source_cell is not distinct from r.source_cell
               and s.measure = r.measure and s.source_line = r.source_line
           where r.source_page is not null"""
    ).fetchall()
    assert dropped == []


def test_a_unit_row_alike_an_earlier_page_row_is_read(real_wh):
    # 杭州市司法局 2026 表2 收入预算总表 (PDF p.25, printed 24): row 6 杭州市司法局 (本级),
    # 上年结转结余 小计 347.32 万元 — the same cells as the department's row 5 above it
    rows = real_wh.execute(
        """select published_amount from marts.fact_budget_line
           where source_file = 'real-corpus/008_杭州/2026年杭州市司法局部门预算.pdf'
             and source_cell = 'p.25 表2 r6 c13'"""
    ).fetchall()
    assert rows == [("347.32",)]


def test_a_page_printed_twice_is_read_once_and_reported(real_wh):
    # 福州市民政局: the 项目支出绩效目标表 of e福州留守困境儿童关爱帮扶专栏 stands on p.28 and again,
    # identical, on p.52 (总支出成本控制率 ≤100% … 受益对象满意度 ≥90%)
    (filing_id,) = real_wh.execute(
        "select filing_id from marts.dim_filing where source_file like 'real-corpus/017_福州/%民政局%'"
    ).fetchone()
    copies = real_wh.execute(
        "select shift_unit, shift, first_repeated_block from staging.stg_raw__repeated_blocks where filing_id = ?",
        [filing_id],
    ).fetchall()
    assert copies == [("block", 24, 52)]
    pages = real_wh.execute(
        """select distinct source_page from marts.fact_target
           where filing_id = ? and target_text = '≥800个'""",
        [filing_id],
    ).fetchall()
    assert pages == [(28,)]
    (message,) = real_wh.execute(
        "select message from audit.parse_issues where filing_id = ? and code = 'repeated_content'", [filing_id]
    ).fetchone()
    assert "page 52" in message
