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


CQ = "real-filings/cities-2026/004_重庆__2026年重庆市气象局部门预算.pdf"


def test_chongqing_digits_of_another_font_stay_on_their_line():
    """重庆: digits, Latin and punctuation come from a font (E-BZ) whose box lies below the baseline."""
    d = doc(CQ)
    texts = [b.text for b in d.text_blocks]
    assert texts[:3] == ["重庆市气象局2026年部门预算情况说明", "一、单位基本情况", "(一)主要职责"]  # p.1
    assert any(t.startswith("(一)收入预算:2026年年初预算数14,770.62万元,其中:一般公共预算拨款12,672.73万元") for t in texts)  # p.1
    assert not [t for t in texts if t in ("、", "()", ",", "。")]  # no punctuation lines of their own
    assert [t.page for t in d.tables] == [6, 7, 9, 11, 12, 14, 16, 17, 18, 19, 21, 22]  # no prose read as tables
    t = table_on(d, 6, "2026年部门收支总体情况表")  # p.6 表一
    assert [b.text for b in t.caption_blocks][-4:] == ["表一", "2026年部门收支总体情况表", "单位名称:重庆市气象局", "单位:万元"]
    g = t.grid()
    assert g[:3] == [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"], ["合计", "14,770.62", "合计", "14,770.62"]]  # p.6
    assert g[3] == ["一、一般公共预算资金", "12,672.73", "一、社会保障和就业支出", "120.17"]  # p.6
    assert g[6] == ["四、财政专户管理资金", "", "四、自然资源海洋气象等支出", "13,873.36"]  # p.6
    assert g[-1] == ["九、其他收入资金", "1,130.00", "", ""]  # p.6
    t = table_on(d, 9, "2026年部门支出总体情况表")  # p.9 表三, continued on p.10
    assert t.pages == (9, 10)
    assert t.grid()[1] == ["合计", "", "14,770.62", "5,838.39", "8,932.23"]  # p.9


def test_beijing_project_cells_one_cell_over_page_breaks():
    """北京 附件2 预算12表 (p.15–26): a 项目名称 cell cut by a page break has no ruling at its foot,
    and the export draws its text on every page it spans, clipped: off the page, below the
    table body or over the header rows. One table, one cell per project, no phantom tables."""
    d = doc(BJ)
    assert [t.title for t in d.tables][-2:] == ["预算12表项目支出绩效目标表", "预算13表部门整体支出绩效目标表"]
    assert all(t.title and t.title.startswith("预算") for t in d.tables)  # no prose line as a title
    t = table_on(d, 15, "预算12表项目支出绩效目标表")
    assert t.pages == tuple(range(15, 27))
    g = t.grid()
    assert g[0] == ["项目名称", "项目总额", "其中：", "", "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标性质", "本年绩效指标值", "绩效度量单位"]
    assert sum(1 for r in g if r[0] == "项目名称") == 1  # the header repeated on every page is dropped
    (c267,) = [c for c in t.cells if c.col == 0 and "267-" in c.text]
    assert c267.text == "11000023T000002065 267-医疗保障审计检查经费"  # printed on p.18
    assert c267.page == 18 and c267.rowspan == 5 + 30 + 3  # 5 rows at the foot of p.17, 30 on p.18, 3 on p.19
    assert g[c267.row][1:3] == ["910.254900", "910.254900"]  # p.18
    assert g[c267.row][5:] == ["成本指标", "经济成本指标", "飞行检查协助服务预算金额", "≤", "291.4049", "万元"]  # p.17, last block
    assert g[c267.row + c267.rowspan][0] == "11000023T000002091 133-因公出国（境）经费"  # p.19
    (c633,) = [c for c in t.cells if c.col == 0 and "633-" in c.text]
    assert c633.text == "11000026T000003740 633-医保信息化系统升级改造项目" and c633.page == 23  # p.23
    assert c633.rowspan == 10 + 4  # 10 rows on p.23, 4 on p.24
    assert g[c633.row][5:] == ["产出指标", "质量指标", "应急切换结算成功率", "≥", "99", "%"]  # p.23
    assert g[c633.row + 13][5:] == ["成本指标", "经济成本指标", "医疗保险信息系统应急结算升级改造项目2026首付款成本控制", "≤", "970", "万元"]  # p.24
    assert sum(1 for c in t.cells if "11000026T000003740" in c.text) == 1  # its clipped copy on p.24 is gone
    assert not [b for b in d.text_blocks if b.page >= 15 and not b.text.startswith(("预算1", "金额单位", "（2026年度）"))]


def test_fuzhou_form_continued_with_more_columns():
    d = doc(FZ)
    # p.26: a 2-column start (title row, 项目名称 cut mid-name) at the foot of the page; p.27: 5 columns
    t = table_on(d, 26, "2026年医疗服务与保障能力提升补助资金项目绩效目标表")
    assert t.pages == (26, 27) and t.n_cols == 5
    g = t.grid()
    assert g[1][:2] == ["项目名称", "2026年医疗服务与保障能力提升补助资金"]  # p.26–27 ("…补助资" | "金")
    assert g[2] == ["主管部门", "福州市医疗保障局", "", "实施单位", "福州市医疗保障局"]  # p.27
    assert g[3] == ["专项资金情况（万元）", "资金总额", "", "745.00", ""]  # p.27
    assert row_of(t, "行政处罚案件完成及时率")[-1] == "≥90%"  # p.27
    # p.28 onward: each form's first row, one cell across the table, is its title
    assert table_on(d, 28).title == "外伤医疗费用结算审核服务费项目绩效目标表"  # p.28
    assert table_on(d, 29).title == "医保服务站工作经费项目绩效目标表"  # p.29


# ---------------------------------------------------------------------------- real corpus


CQ_SW = "real-corpus/004_重庆/2026年重庆市商务委员会部门预算.pdf"


def test_corpus_chongqing_commerce():
    d = doc(CQ_SW)
    assert d.text_blocks[0].text == "重庆市商务委员会2026年部门预算情况说明"  # p.1
    t = table_on(d, 8, "2026年部门收支总体情况表")  # p.8 表一
    assert row_of(t, "合计") == ["合计", "174,900.64", "合计", "174,900.64"]  # p.8
    assert row_of(t, "四、财政专户管理资金") == ["四、财政专户管理资金", "22,070.82", "四、卫生健康支出", "1,872.52"]  # p.8
    assert row_of(t, "八、事业单位经营收入资金") == ["八、事业单位经营收入资金", "6,282.98", "", ""]  # p.8
    # p.26 表十一 runs onto p.27, where only the 绩效指标 part goes on (fewer columns above)
    t = table_on(d, 26, "2026年市级重点专项资金绩效目标表(一级项目)")
    assert t.pages == (26, 27)
    assert t.grid()[0][:2] == ["项目名称", "市商务发展专项"]  # p.26
    assert row_of(t, "外资企业对政策与政府服务满意度")[-3:] == ["%", "10", "否"]  # p.27


SZ_SW = "real-corpus/006_苏州/2026年苏州市水务局部门预算.pdf"


def test_corpus_suzhou_table_under_a_running_head():
    d = doc(SZ_SW)
    # p.13 公开03表 支出总表 goes on at the top of p.14 under the running head "苏州市水务局2026年度单位预算公开"
    t = table_on(d, 13, "支出总表")
    assert t.pages == (13, 14)
    g = t.grid()
    assert g[0][:5] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]  # p.13
    assert g[1][:5] == ["合计", "", "92,596.24", "2,147.85", "90,448.39"]  # p.13
    assert row_of(t, "2130305")[:5] == ["2130305", "水利工程建设", "29,430.00", "", "29,430.00"]  # p.13
    assert g[-1][:4] == ["2210203", "购房补贴", "133.92", "133.92"]  # p.14
    assert {c.page for c in t.cells if c.text == "购房补贴"} == {14}


HZ_SF = "real-corpus/008_杭州/2026年杭州市司法局部门预算.pdf"


def test_corpus_hangzhou_amount_wrapped_in_its_cell():
    d = doc(HZ_SF)
    t = table_on(d, 30, "表5：2026年市级部门一般公共预算支出预算表")  # p.30, on to p.31
    assert t.pages == (30, 31)
    # p.30 prints 21,118.5 / 1 and 12,868.1 / 9 on two lines of a narrow cell
    assert t.grid()[3] == ["合计", "91,842.80", "70,724.29", "58,486.35", "12,237.94", "21,118.51"]
    assert row_of(t, "一般公共服务支出") == ["一般公共服务支出", "12,868.19", "", "", "", "12,868.19"]  # p.30
    assert t.grid()[-1][:4] == ["行政单位医疗", "2,434.95", "2,434.95", "2,434.95"]  # p.31
