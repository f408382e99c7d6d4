"""The PDF reader on real published filings (../shared/real-filings, ../shared/real-corpus).

Every expected value below was read by hand from the rendered page (pdftoppm), the
page number is in the comment next to it. Skipped when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.readers.pdf import read

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FILINGS = SHARED / "real-filings"
CORPUS = SHARED / "real-corpus"

if not FILINGS.is_dir():
    pytest.skip(f"the real filings are not here ({FILINGS} is absent)", allow_module_level=True)

_CACHE: dict[str, object] = {}


def doc(rel: str):
    """Read each file once per module."""
    if rel not in _CACHE:
        path = SHARED / rel
        if not path.is_file():
            pytest.skip(f"{path} is absent")
        _CACHE[rel] = read(path.read_bytes(), path.name)
    return _CACHE[rel]


@pytest.fixture(scope="module", autouse=True)
def _clear_cache():
    yield
    _CACHE.clear()


def table_on(d, page: int, title: str | None = None):
    for t in d.tables:
        if t.page == page and (title is None or t.title == title):
            return t
    raise AssertionError(f"no table on page {page} titled {title!r}: {[(t.page, t.title) for t in d.tables]}")


def row_of(t, first: str) -> list[str]:
    for r in t.grid():
        if first in r:
            return r
    raise AssertionError(f"no row with {first!r}")


SH = "real-filings/cities-2026/001_上海__2026年上海市医疗保障局_部门预算.pdf"


def test_shanghai_income_expense_total():
    d = doc(SH)
    assert d.pages == 20 and not d.issues
    t = table_on(d, 7, "2026年预算单位财务收支预算总表")  # p.7
    assert [b.text for b in t.caption_blocks][-2:] == ["编制单位：上海市医疗保险事业管理中心", "单位：元"]  # p.7
    g = t.grid()
    assert g[0][:3] == ["本年收入", "", "本年支出"]  # p.7 header
    assert row_of(t, "一、财政拨款收入") == ["一、财政拨款收入", "193,018,000", "一、一般公共服务支出", "7,099,698", "6,910,898", "188,800", ""]  # p.7
    assert row_of(t, "收入总计") == ["收入总计", "193,018,000", "支出总计", "193,018,000", "49,591,200", "9,026,800", "134,400,000"]  # p.7
    head = {c.text: c for c in t.cells if c.row == 0}
    assert head["本年收入"].colspan == 2 and head["本年支出"].colspan == 5  # p.7 merged header


BJ = "real-filings/cities-2026/002_北京__医疗保障局_附件2：北京市医疗保障局2026年度部门预算报表.pdf"


def test_beijing_six_decimal_amounts():
    d = doc(BJ)
    t = table_on(d, 1, "预算01表收支总表")  # p.1 (printed "预算01表 收支总表")
    assert t.n_cols == 4  # the white rectangles of the Excel export are not columns
    assert t.grid()[1] == ["项目", "预算数", "项目", "预算数"]  # p.1
    assert row_of(t, "一、一般公共预算拨款收入")[:2] == ["一、一般公共预算拨款收入", "110,387.976749"]  # p.1
    assert row_of(t, "五、教育支出")[2:] == ["五、教育支出", "9,038.772380"]  # p.1
    assert row_of(t, "九、卫生健康支出")[2:] == ["九、卫生健康支出", "101,857.847222"]  # p.1
    assert row_of(t, "上年结转结余")[:2] == ["上年结转结余", "508.642853"]  # p.1
    assert row_of(t, "收入总计") == ["收入总计", "110,896.619602", "支出总计", "110,896.619602"]  # p.1


def test_beijing_narrative_has_no_tables():
    d = doc("real-filings/cities-2026/002_北京__2026年北京市医疗保障局部门预算.pdf")
    assert d.pages == 8 and d.tables == [] and d.text_blocks


SZ = "real-filings/cities-2026/003_深圳__2026年深圳市医疗保障局部门预算.pdf"


def test_shenzhen_table_over_two_pages_with_repeated_captions():
    d = doc(SZ)
    t = table_on(d, 16, "收支总表")  # p.16 表1 收支总表, continued on p.17 with title and header repeated
    assert t.pages == (16, 17)
    g = t.grid()
    assert g[0] == ["收入", "", "支出", ""] and g[1] == ["项目", "2026年预算数", "项目", "2026年预算数"]
    assert sum(1 for r in g if r[1] == "2026年预算数") == 1  # the repeated header is dropped
    assert row_of(t, "医疗保障政策管理")[2:] == ["医疗保障政策管理", "1,970.30"]  # p.17
    assert row_of(t, "本年收入合计") == ["本年收入合计", "15,332.65", "本年支出合计", "15,480.26"]  # p.17
    assert row_of(t, "收入总计") == ["收入总计", "15,480.26", "支出总计", "15,480.26"]  # p.17
    cell = next(c for c in t.cells if c.text == "1,970.30")
    assert cell.page == 17 and cell.source_col == 4
    nxt = d.tables[d.tables.index(t) + 1]
    assert nxt.title == "收入总表" and nxt.page == 18  # p.18 表2


WH = "real-filings/cities-2026/009_武汉__2026年武汉市信访局部门预算.pdf"


def test_wuhan_expense_table_continued_and_wrapped_name():
    d = doc(WH)
    t = table_on(d, 7, "部门支出总表")  # p.7 部门公开表3, continued on p.8 (no repeated header)
    assert t.pages == (7, 8)
    assert t.grid()[0][:5] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]  # p.7
    # p.8: the name is wrapped onto two lines inside its cell
    assert row_of(t, "2080505")[:4] == ["2080505", "机关事业单位基本养老保险缴费支出", "657.51", "657.51"]
    assert row_of(t, "2210203")[:4] == ["2210203", "购房补贴", "341.00", "341.00"]  # p.8
    total = t.grid()[-1]  # p.8 合 计 (letter-spaced), the last row
    assert total[0] == "合计"
    assert total[2:5] == ["50,616.94", "11,056.07", "39,560.87"]
    c = next(c for c in t.cells if c.text == "50,616.94")
    assert c.page == 8


GZ = "real-filings/cities-2026/005_广州__信访局_2026年部门预算.pdf"


def test_guangzhou_total_table_over_two_pages():
    d = doc(GZ)
    t = table_on(d, 5, "收支总体情况表")  # p.5 表1
    assert t.pages == (5, 6)
    assert t.grid()[1] == ["项目", "预算", "项目", "预算"]  # p.5
    assert row_of(t, "一、预算拨款") == ["一、预算拨款", "3,944.08", "一、一般公共服务支出", "2,570.71"]  # p.5
    assert row_of(t, "二十八、转移性支出")[2:] == ["二十八、转移性支出", "0.00"]  # p.6
    assert row_of(t, "收入总计") == ["收入总计", "3,944.08", "支出总计", "3,944.08"]  # p.6
    assert sum(1 for r in t.grid() if r == ["项目", "预算", "项目", "预算"]) == 1  # p.6 repeats the header


JS = "real-filings/jiangsu-2019/江苏省人大常委会办公厅2019年部门预算公开表.pdf"


def test_jiangsu_three_blocks_side_by_side():
    d = doc(JS)
    t = d.tables[0]
    assert t.page == 1 and t.title == "收支预算总表"  # p.1 (公开表一 is a number, not the title)
    assert "部门：江苏省人大常委会办公厅" in [b.text for b in t.caption_blocks]  # p.1
    g = t.grid()
    assert g[0][0] == "收入" and g[0][2] == "支出"  # p.1
    assert g[2][2:] == ["功能科目名称", "金额", "项目名称", "金额"]  # p.1
    assert g[3] == ["一、财政拨款", "18,330.37", "一、一般公共服务支出", "13,907.78", "一、基本支出", "9,312.90"]  # p.1
    assert row_of(t, "十八、住房保障支出")[2:4] == ["十八、住房保障支出", "3,301.20"]  # p.1
    spans = {(c.row, c.col): (c.text, c.rowspan, c.colspan) for c in t.cells if c.row <= 2}
    assert spans[(0, 0)] == ("收入", 1, 2) and spans[(0, 2)] == ("支出", 1, 4)  # p.1 merged header
    assert spans[(1, 0)] == ("项目名称", 2, 1) and spans[(1, 2)] == ("功能分类", 1, 2)  # p.1


PT = "real-filings/shanghai-putuo/上海市普陀区人民政府万里街道办事处25年预算.pdf"


def test_putuo_wanli_2025_total():
    d = doc(PT)
    t = table_on(d, 9, "2025年部门财务收支预算总表")  # p.9
    assert "编制部门：上海市普陀区人民政府万里街道办事处" in [b.text for b in t.caption_blocks]  # p.9
    assert t.grid()[:2] == [["本年收入", "", "本年支出", ""], ["项目", "预算数", "项目", "预算数"]]  # p.9
    assert row_of(t, "一、财政拨款收入") == ["一、财政拨款收入", "189,767,551", "一、一般公共服务支出", "3,296,600"]  # p.9
    assert row_of(t, "八、城乡社区支出")[2:] == ["八、城乡社区支出", "154,369,326"]  # p.9
    assert row_of(t, "收入总计") == ["收入总计", "189,767,551", "支出总计", "189,767,551"]  # p.9


FZ = "real-filings/cities-2026/017_福州__2026年福州市医疗保障局部门预算.pdf"


def test_fuzhou_economic_table_over_three_pages():
    d = doc(FZ)
    t = table_on(d, 18, "2026年度一般公共预算基本支出经济分类情况表")  # p.18
    assert t.pages == (18, 19, 20)
    assert t.grid()[0] == ["科目编码", "科目名称", "预算数"]  # p.18
    assert row_of(t, "39999") == ["39999", "其他支出", ""]  # p.20 (printed page number 18), last row
    assert row_of(t, "31304") == ["31304", "对机关事业单位职业年金的补助", ""]  # p.20
    assert t.grid()[-1][0] == "39999"
    assert {c.page for c in t.cells if c.text == "39999"} == {20}


def test_every_real_filing_reads_without_error():
    for path in sorted(FILINGS.glob("*/*.pdf")):
        d = doc(str(path.relative_to(SHARED)))
        assert d.pages and not [i for i in d.issues if i.severity == "error"], path.name
