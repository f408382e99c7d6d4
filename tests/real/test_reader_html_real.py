"""The HTML reader on real saved pages (../shared): 烟台 (a PDF-to-HTML conversion of
absolutely positioned boxes), 昆明 (narrative only) and a 重庆 page shell named .pdf.

Every expected value below was read by hand from the page rendered in chromium and
from the boxes' text in the file (page = the n-th ``<div class="page">``; the page
number printed at its foot is one less)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.document import Table, cell_locator
from loaders.readers import read_document
from loaders.readers.html import read

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
YANTAI = SHARED / "real-filings" / "cities-2026" / "025_烟台__退役军人事务局_2026年部门预算.html"
KUNMING = SHARED / "real-filings" / "cities-2026" / "035_昆明__审计局_2026年部门预算.html"
CHONGQING_SHELL = SHARED / "real-corpus" / "004_重庆" / "2026年重庆市财政局部门预算.pdf"
CHONGQING_TABLES = SHARED / "real-corpus" / "004_重庆" / "2026年重庆市交通运输局部门预算.pdf"

pytestmark = pytest.mark.skipif(not YANTAI.exists(), reason=f"the real filings are not here ({SHARED} is absent)")


@pytest.fixture(scope="module")
def yantai():
    return read(YANTAI.read_bytes(), YANTAI.name)


@pytest.fixture(scope="module")
def kunming():
    return read(KUNMING.read_bytes(), KUNMING.name)


def _table(doc, title: str) -> Table:
    found = [t for t in doc.tables if t.title == title]
    assert len(found) == 1, [t.title for t in doc.tables]
    return found[0]


def _row(table: Table, first: str) -> list[str]:
    rows = [r for r in table.grid() if first in r]
    assert len(rows) == 1, first
    return rows[0]


def test_yantai_reads_as_positioned_pages(yantai):
    assert yantai.kind == "html" and yantai.encoding == "utf-8" and not yantai.issues
    assert yantai.pages == 53
    # 公开表1–12 (pages 7–27) and 15 项目绩效目标表 (pages 32–49); tables over page breaks are one
    assert len(yantai.tables) == 27
    titles = [t.title for t in yantai.tables[:12]]
    assert titles == [
        "收支总体情况表",
        "收入总体情况表",
        "支出总体情况表",
        "财政拨款收支总体情况表",
        "一般公共预算支出情况表",
        "一般公共预算基本支出情况表",
        "一般公共预算“三公”经费支出情况表",
        "政府性基金预算支出情况表",
        "国有资本经营预算支出情况表",
        "基本支出预算情况表",
        "项目支出预算情况表",
        "政府采购预算表",
    ]
    assert [t.pages for t in yantai.tables[:12]] == [(7,), (8, 9, 10), (11, 12), (13, 14), (15, 16), (17, 18, 19), (20,), (21,), (22,), (23, 24, 25), (26,), (27,)]
    for k, t in enumerate(yantai.tables[:12], start=1):
        captions = [b.text for b in t.caption_blocks]
        assert f"公开表{k}" in captions and "单位：万元" in captions and "部门（单位）：烟台市退役军人事务局" in captions
    assert all(t.title == "政策和项目预算绩效目标表" for t in yantai.tables[12:])
    assert [t.index for t in yantai.tables] == list(range(1, 28))


def test_yantai_table1_收支总体情况表(yantai):
    """公开表1, page 7 (printed — 6 —)."""
    t = yantai.tables[0]
    assert (t.n_rows, t.n_cols) == (34, 4)
    grid = t.grid()
    assert grid[0] == ["收入", "", "支出", ""]  # two merged header cells
    assert [(c.rowspan, c.colspan) for c in t.rows()[0]] == [(1, 2), (1, 2)]
    assert grid[1] == ["项目", "预算数", "项目", "预算数"]
    assert grid[2] == ["一、财政拨款收入", "28,685.65", "一、一般公共服务支出", ""]
    assert grid[3][:2] == ["一般公共预算收入", "28,467.65"]
    assert grid[4][:2] == ["政府性基金预算收入", "218.00"]
    assert grid[5] == ["国有资本经营预算收入", "", "四、教育支出", "148.95"]
    assert _row(t, "三、事业收入（不含教育收费）")[1] == "1,429.17"
    assert _row(t, "四、事业单位经营收入") == ["四、事业单位经营收入", "1,202.53", "七、社会保障和就业支出", "27,416.60"]
    assert _row(t, "五、其他收入") == ["五、其他收入", "1,154.15", "八、卫生健康支出", "7,331.22"]
    assert _row(t, "十七、住房保障支出")[3] == "759.73"
    assert _row(t, "二十一、其他支出")[3] == "218.00"
    # letter-spaced 本 年 收 入 合 计 (one box a character) joins without spaces
    assert _row(t, "本年收入合计") == ["本年收入合计", "32,471.49", "本年支出合计", "35,874.49"]
    assert _row(t, "上级补助收入")[:2] == ["上级补助收入", "3,403.00"]
    assert grid[-1] == ["收入总计", "35,874.49", "支出总计", "35,874.49"]
    total = t.rows()[-1][1]
    assert (total.page, total.source_row, total.source_col) == (7, 34, 2)
    assert cell_locator(yantai.kind, t, total) == "table 1 row 34 col 2"
    x0, top, x1, bottom = total.bbox
    assert 180 < x0 < 190 and 295 < x1 < 300 and top < 696 < bottom  # the box "35,874.49" at top 695.97pt


def test_yantai_table2_收入总体情况表_over_three_pages(yantai):
    """公开表2, pages 8–10: header rows repeated on pages 9 and 10 are dropped."""
    t = yantai.tables[1]
    assert (t.n_rows, t.n_cols) == (50, 17)
    grid = t.grid()
    assert grid[0][:5] == ["科目编码", "", "", "科目名称", "合计"]
    assert grid[0][5] == "财政拨款收入" and t.rows()[0][3].colspan == 4
    assert grid[0][9] == "财政专户管理资金收入"  # wrapped over two lines in its cell
    assert grid[1][:3] == ["类", "款", "项"] and grid[1][5:9] == ["小计", "一般公共预算收入", "政府性基金预算收入", "国有资本经营预算收入"]
    assert grid[2][3:8] == ["合　计", "35,874.49", "28,685.65", "28,467.65", "218.00"]
    assert grid[2][10:14] == ["1,429.17", "1,202.53", "1,154.15", "3,403.00"]
    assert _row(t, "退役安置")[4:7] == ["20,310.91", "15,887.91", "15,887.91"]
    assert sum(1 for r in grid if r[0] == "科目编码") == 1  # not repeated
    first_p9 = next(c for c in t.cells if c.page == 9 and c.col == 3)
    assert (first_p9.text, first_p9.source_row) == ("一般行政管理事务", 3)  # rows 1–2 of page 9 are the repeated header
    assert _row(t, "住房保障支出")[:5] == ["221", "", "", "住房保障支出", "759.73"]  # page 9
    assert _row(t, "用于其他社会公益事业的彩票公益金支出")[4:8] == ["218.00", "218.00", "", "218.00"]  # page 10


def test_yantai_table7_三公经费(yantai):
    """公开表7, page 20: two-level merged header."""
    t = _table(yantai, "一般公共预算“三公”经费支出情况表")
    assert (t.n_rows, t.n_cols) == (4, 12)
    assert t.grid()[0] == ["2025年预算数"] + [""] * 5 + ["2026年预算数"] + [""] * 5
    assert [c.text for c in t.rows()[1]] == ["合计", "因公出国（境）经费", "公务用车购置及运行维护费", "公务接待费"] * 2
    assert [c.text for c in t.rows()[2]] == ["小计", "公务用车购置经费", "公务用车运行维护费"] * 2
    assert t.grid()[3] == ["28.10", "", "19.90", "", "19.90", "8.20", "25.02", "", "17.40", "", "17.40", "7.62"]


def test_yantai_performance_table_continued_with_coarser_columns(yantai):
    """项目绩效目标表 of 医疗设备及耗材购置等 (莱州荣军医院), page 35, continued on page 36."""
    t = next(t for t in yantai.tables if t.pages == (35, 36))
    grid = t.grid()
    assert grid[0][0] == "项目名称" and grid[0][3] == "医疗设备及耗材购置等"
    assert grid[1] == ["主管部门及代码", "", "", "338_烟台市退役军人事务局", "实施单位", "烟台市莱州荣军医院"]
    assert grid[2][3:5] == ["年度预算资金总额：", "1149.00"]
    assert grid[-3][3:5] == ["设备利用率", "≥90%"]  # page 36
    assert grid[-1] == ["绩效指标", "满意度指标", "服务对象满意度指标", "病员满意度", "≥90%", ""]
    value = t.rows()[-1][4]
    assert (value.colspan, value.page, value.source_row) == (2, 36, 3)


def test_yantai_text_blocks(yantai):
    texts = [b.text for b in yantai.text_blocks]
    assert "2026年烟台市退役军人事务局部门预算" in texts  # page title (h1) and page 1
    assert "一、主要职责" in texts
    assert any("2026年收入预算35,874.49万元" in t for t in texts)  # 第三部分 prose, page 29
    assert not any(t.startswith("—") and t.endswith("—") for t in texts)  # printed page numbers dropped


def test_kunming_is_narrative_only(kunming):
    assert kunming.kind == "html" and not kunming.issues
    assert kunming.tables == []
    texts = [b.text for b in kunming.text_blocks]
    assert len(texts) > 100
    assert "昆明市审计局（汇总）2026年部门预算编制说明" in texts
    assert "一、部门财务收支预算总表" in texts


@pytest.mark.skipif(not CHONGQING_SHELL.exists(), reason="../shared/real-corpus is absent")
def test_chongqing_page_shell_named_pdf():
    data = CHONGQING_SHELL.read_bytes()
    assert not data.startswith(b"%PDF")
    doc = read_document(data, CHONGQING_SHELL.name)  # told by the bytes, not the .pdf name
    assert doc.kind == "html" and not doc.failed
    assert doc.tables == []
    texts = [b.text for b in doc.text_blocks]
    assert "重庆市财政局（本级）2026年单位预算情况说明见附件。" in texts
    # the page with 索引号 metadata tables yields them as small tables, nothing else
    doc = read(CHONGQING_TABLES.read_bytes(), CHONGQING_TABLES.name)
    assert [(t.n_rows, t.n_cols) for t in doc.tables] == [(4, 4), (8, 2)]
    assert doc.tables[0].grid()[0][:2] == ["[ 索引号 ]", "1150000000927629XA/2026-00118"]
