"""The statements parser on small Documents shaped like the real filings' tables."""

from loaders.document import Cell, Document, Table, TextBlock
from loaders.parsers import statements


def _table(index, rows, page=1, captions=(), merges=None, title=None):
    """rows: list of lists of text; merges: {(r, c): (rowspan, colspan)}; covered positions are None."""
    merges = merges or {}
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            rs, cs = merges.get((r, c), (1, 1))
            cells.append(Cell(row=r, col=c, text=text, rowspan=rs, colspan=cs, page=page, source_row=r + 1, source_col=c + 1))
    caps = [TextBlock(text=t, page=page) for t in captions]
    return Table(index=index, cells=cells, n_rows=len(rows), n_cols=max(len(r) for r in rows), title=title, caption_blocks=caps)


def _doc(*tables, texts=()):
    blocks = [TextBlock(text=t, page=1) for t in texts]
    for t in tables:
        blocks += t.caption_blocks
        blocks.append(t)
    return Document(kind="pdf", blocks=blocks, pages=3)


def _lines(parsed, **filters):
    return [l for l in parsed.budget_lines if all(getattr(l, k) == v for k, v in filters.items())]


# 上海 收入预算总表: 项目 over 科目编码 (类|款|项) + 科目名称; 收入预算 over 合计 | 财政拨款 …
SHANGHAI_INCOME = _table(
    3,
    [
        ["项目", None, None, None, "收入预算", None, None],
        ["功能分类科目编码", None, None, "科目名称", "合计", "财政拨款", "事业收入"],
        ["类", "款", "项", None, None, None, None],
        ["201", "", "", "一般公共服务支出", "2,932,700", "2,932,700", "0"],
        ["", "38", "", "市场监督管理事务", "135,200", "135,200", ""],
        ["", "", "02", "一般行政管理事务", "135,200", "135,200", "-"],
        ["208", "05", "02", "事业单位离退休", "76,620", "76,620", "0"],
        ["合计", None, None, None, "3,009,320", "3,009,320", "0"],
    ],
    page=11,
    captions=["2024年部门收入预算总表", "编制部门：上海市普陀区人民政府万里街道办事处", "单位：元"],
    merges={(0, 0): (1, 4), (0, 4): (1, 3), (1, 0): (1, 3), (1, 3): (2, 1), (1, 4): (2, 1), (1, 5): (2, 1), (1, 6): (2, 1), (7, 0): (1, 4)},
)


def test_split_codes_inherit_class_and_item():
    p = statements.parse(_doc(SHANGHAI_INCOME))
    assert [st.statement for st in p.statement_tables] == ["income"]
    st = p.statement_tables[0]
    assert (st.published_unit, st.table_index, st.source_page, st.entity_name) == ("元", 3, 11, "上海市普陀区人民政府万里街道办事处")
    codes = [(l.line_item, l.subject_code, l.classification) for l in _lines(p, measure="total")]
    assert codes == [
        ("一般公共服务支出", "201", "function"),
        ("市场监督管理事务", "20138", "function"),
        ("一般行政管理事务", "2013802", "function"),
        ("事业单位离退休", "2080502", "function"),
        ("合计", None, None),
    ]
    line = _lines(p, subject_code="2013802", measure="fiscal_appropriation")[0]
    assert line.statement == "income"
    assert line.table_title == "2024年部门收入预算总表"
    assert line.published_amount == "135,200"
    assert line.published_unit == "元"
    assert line.source_line == 6 and line.source_page == 11
    assert line.source_cell == "p.11 表3 r6 c6"
    assert line.column_label == "收入预算 > 财政拨款"
    # a printed 0 is a line; a blank cell and a dash are none
    assert [l.published_amount for l in _lines(p, measure="business_income")] == ["0", "0", "0"]
    total = _lines(p, line_item="合计", measure="total")[0]
    assert total.is_total_line and total.published_amount == "3,009,320"
    assert p.fiscal_year == 2024 and p.report_type == "budget"
    assert p.doc_kinds == ["department_budget"]


# 北京 预算05表: the title, unit and header inside the table; 合计 | 基本支出 (其中 人员经费 公用经费) | 项目支出
BEIJING_GENERAL = _table(
    6,
    [
        ["", "", "", "", "", ""],
        ["预算05表 一般公共预算支出表", None, None, None, None, None],
        ["", "", "", "", "", "金额单位：万元"],
        ["科目编码", "科目名称", "合计", "基本支出", None, "项目支出"],
        [None, None, None, "人员经费", "公用经费", None],
        ["2101505", "医疗保障政策管理", "110,387.976749", "", "", "110,387.976749"],
        ["", "合计", "110,387.976749", "", "", "110,387.976749"],
    ],
    page=6,
    merges={(1, 0): (1, 6), (3, 0): (2, 1), (3, 1): (2, 1), (3, 2): (2, 1), (3, 3): (1, 2), (3, 5): (2, 1)},
)


def test_title_inside_table_and_multi_row_header():
    p = statements.parse(_doc(BEIJING_GENERAL))
    assert [st.statement for st in p.statement_tables] == ["general_budget_expenditure"]
    lines = _lines(p, subject_code="2101505")
    assert [(l.measure, l.published_amount) for l in lines] == [("total", "110,387.976749"), ("project", "110,387.976749")]
    assert lines[0].published_unit == "万元"
    assert lines[0].table_title == "预算05表 一般公共预算支出表"
    assert _lines(p, line_item="合计")[0].is_total_line


def test_measures_under_group_headers():
    t = _table(
        4,
        [
            ["科目编码", "科目名称", "总计", "财政拨款", None, "单位资金"],
            [None, None, None, "小计", "一般公共预算拨款", None],
            ["30101", "基本工资", "10.00", "10.00", "10.00", "0.00"],
        ],
        captions=["表4", "基本支出总表", "部门名称：深圳市医疗保障局（本级） 单位：万元"],
        merges={(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (2, 1), (0, 3): (1, 2), (0, 5): (2, 1)},
    )
    p = statements.parse(_doc(t))
    got = [(l.measure, l.subject_code, l.classification) for l in p.budget_lines]
    assert got == [
        ("total", "30101", "economic"),
        ("fiscal_appropriation", "30101", "economic"),
        ("general_budget", "30101", "economic"),
        ("unit_funds", "30101", "economic"),
    ]
    assert p.statement_tables[0].statement == "basic_expenditure_summary"
    assert p.department_name == "深圳市医疗保障局（本级）"


# 江苏 公开表一: 收入 | 支出 (功能分类 | 支出用途) side by side
JIANGSU_SUMMARY = _table(
    1,
    [
        ["收支预算总表公开表一部门： 江苏省人大常委会办公厅 单位：万元", None, None, None, None, None],
        ["收入", None, "支出", None, None, None],
        ["项目名称", "金额", "功能分类", None, "支出用途", None],
        [None, None, "功能科目名称", "金额", "项目名称", "金额"],
        ["一、财政拨款", "18,330.37", "一、一般公共服务支出", "13,907.78", "一、基本支出", "9,312.90"],
        ["二、其他资金", "", "二、外交支出", "", "二、项目支出", "6,459.58"],
        ["收入合计", "18,330.37", "支出合计", None, None, "18,330.37"],
    ],
    merges={(0, 0): (1, 6), (1, 0): (1, 2), (1, 2): (1, 4), (2, 0): (2, 1), (2, 1): (2, 1), (2, 2): (1, 2), (2, 4): (1, 2), (6, 2): (1, 3)},
)


def test_side_by_side_summary():
    p = statements.parse(_doc(JIANGSU_SUMMARY))
    assert p.statement_tables[0].statement == "income_expenditure_summary"
    assert p.statement_tables[0].published_unit == "万元"
    assert p.department_name == "江苏省人大常委会办公厅"
    got = [(l.line_item, l.measure, l.published_amount, l.is_total_line) for l in p.budget_lines]
    assert got == [
        ("一、财政拨款", "income", "18,330.37", False),
        ("一、一般公共服务支出", "expenditure", "13,907.78", False),
        ("一、基本支出", "expenditure_economic", "9,312.90", False),
        ("二、项目支出", "expenditure_economic", "6,459.58", False),
        ("收入合计", "income", "18,330.37", True),
        ("支出合计", "expenditure_economic", "18,330.37", True),
    ]
    assert p.fiscal_year is None


def test_three_public_one_column_per_item():
    t = _table(
        9,
        [
            ["2024年“三公”经费预算数", None, None, None, None, None, "2024年机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", None, None, None],
            [None, None, None, "小计", "购置费", "运行费", None],
            ["47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"],
        ],
        page=31,
        captions=["部门“三公”经费和机关运行经费预算表", "编制部门：上海市普陀区人民政府万里街道办事处", "单位:万元"],
        merges={(0, 0): (1, 6), (0, 6): (3, 1), (1, 0): (2, 1), (1, 1): (2, 1), (1, 2): (2, 1), (1, 3): (1, 3)},
    )
    p = statements.parse(_doc(t))
    got = [(l.statement, l.line_item, l.measure, l.published_amount, l.is_total_line) for l in p.budget_lines]
    assert got == [
        ("three_public", "2024年“三公”经费预算数 合计", "total", "47.91", True),
        ("three_public", "因公出国(境)费", "total", "0", False),
        ("three_public", "公务接待费", "total", "1.35", False),
        ("three_public", "公务用车购置及运行费 小计", "total", "46.56", True),
        ("three_public", "购置费", "total", "25", False),
        ("three_public", "运行费", "total", "21.56", False),
        ("operating_expenses", "2024年机关运行经费预算数", "total", "443.18", False),
    ]
    assert "three_public" in p.doc_kinds and p.published_unit == "万元"


def test_continuation_table_without_header():
    first = _table(
        5,
        [
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["201", "一般公共服务支出", "5.00", "5.00", ""],
        ],
        page=9,
        captions=["表3 本年支出总体情况表", "单位名称：广州市信访局 单位：万元"],
    )
    second = _table(6, [["20101", "人大事务", "5.00", "5.00", ""], ["", "合计", "5.00", "5.00", ""]], page=10)
    p = statements.parse(_doc(first, second))
    assert len(p.statement_tables) == 1
    assert p.statement_tables[0].amounts == 6
    cont = _lines(p, subject_code="20101", measure="basic")[0]
    assert (cont.statement, cont.source_page, cont.source_cell, cont.published_unit) == ("expenditure", 10, "p.10 表6 r1 c4", "万元")


def test_negatives_and_unrecognised():
    toc = _table(1, [["目 录"], ["一、收支总表......5"], ["二、收入总表......6"]], captions=["2024年部门预算"])
    perf = _table(
        2,
        [["项目名称", "预算数", "绩效目标"], ["基金监督管理", "612.10", "强化智慧赋能"]],
        captions=["2026 年，本单位重点项目绩效目标情况如下："],
    )
    unknown = _table(3, [["名称", "数额"], ["某事项", "12.00"]], page=2, captions=["附：其他情况"])
    p = statements.parse(_doc(toc, perf, unknown))
    assert p.statement_tables == [] and p.budget_lines == []
    codes = [(i.code, i.severity) for i in p.issues]
    assert codes == [("table_unrecognised", "warning")]
    assert "table 3" in p.issues[0].message and "p.2" in p.issues[0].message
    assert not statements.matches(_doc(toc, perf, unknown))
    assert statements.matches(_doc(SHANGHAI_INCOME))


def test_final_accounts_and_prose_title():
    t = _table(
        2,
        [["项目", "金额"], ["收入总计", "1.00"]],
        captions=["收入支出决算总表", "单位：万元"],
    )
    p = statements.parse(_doc(t))
    assert p.report_type == "final_accounts"
    prose = _table(3, [["项目", "金额"], ["收入总计", "1.00"]], captions=["收支总表反映了部门全部收支，详见下表。"])
    assert statements.parse(_doc(prose)).statement_tables == []


def test_never_raises():
    broken = Table(index=1, cells=[Cell(row=5, col=9, text="1")], n_rows=1, n_cols=1)
    p = statements.parse(Document(kind="pdf", blocks=[broken]))
    assert p.budget_lines == []


def test_year_groups_and_carryover_groups_get_distinct_measures():
    # 烟台 三公: 2025年预算数 | 2026年预算数 side by side
    yantai = _table(
        7,
        [
            ["2025年预算数", None, "2026年预算数", None],
            ["合计", "公务接待费", "合计", "公务接待费"],
            ["28.10", "8.20", "25.02", "7.62"],
        ],
        captions=["公开表7", "一般公共预算“三公”经费支出情况表", "部门（单位）：烟台市退役军人事务局", "单位：万元"],
        merges={(0, 0): (1, 2), (0, 2): (1, 2)},
    )
    p = statements.parse(_doc(yantai, texts=["烟台市退役军人事务局2026年部门预算"]))
    assert p.fiscal_year == 2026
    assert p.department_name == "烟台市退役军人事务局"
    got = [(l.line_item, l.measure, l.published_amount) for l in p.budget_lines]
    assert got == [
        ("2025年预算数 合计", "prior_year_total", "28.10"),
        ("公务接待费", "prior_year_total", "8.20"),
        ("2026年预算数 合计", "total", "25.02"),
        ("公务接待费", "total", "7.62"),
    ]
    # 长春 支出总表: 当年预算 > 基本支出 and 上年结转结余 > 基本支出
    changchun = _table(
        3,
        [
            ["支出总表（预算表3）", None, None, None, None],
            ["预算单位：长春市信访局", None, None, None, "单位：万元"],
            ["科目编码", "功能分类科目名称", "合计", "当年预算", "上年结转结余"],
            [None, None, None, "基本支出", "基本支出"],
            ["2010301", "行政运行", "10.00", "9.00", "1.00"],
        ],
        merges={(0, 0): (1, 5), (1, 0): (1, 4), (2, 0): (2, 1), (2, 1): (2, 1), (2, 2): (2, 1)},
    )
    p = statements.parse(_doc(changchun))
    assert p.statement_tables[0].statement == "expenditure"
    assert p.statement_tables[0].table_title == "支出总表（预算表3）"
    assert p.department_name == "长春市信访局"
    assert [(l.measure, l.published_amount) for l in p.budget_lines] == [
        ("total", "10.00"),
        ("basic", "9.00"),
        ("prior_year_carryover_basic", "1.00"),
    ]


def test_several_classifications_on_one_row_and_text_columns():
    # 北京 预算06表: 政府支出经济分类 | 部门支出经济分类 printed as 'code-name'
    t = _table(
        6,
        [
            ["预算06表 一般公共预算基本支出表", None, None, None],
            ["", "", "", "金额单位：万元"],
            ["政府支出经济分类科目", "部门支出经济分类科目", "合计", "人员经费"],
            ["50101-工资奖金津补贴", "30101-基本工资", "1,184.986800", "1,184.986800"],
        ],
        merges={(0, 0): (1, 4)},
    )
    p = statements.parse(_doc(t))
    line = p.budget_lines[0]
    assert (line.subject_code, line.classification) == ("30101", "economic")
    assert line.line_item == "50101-工资奖金津补贴 30101-基本工资"
    # 江苏 政府采购: text columns without a known header are labels, not amounts
    proc = _table(
        12,
        [
            ["采购品目大类", "采购物品名称", "采购组织形式", "总计"],
            ["一、货物A", "", "", "84.00"],
            ["", "PC服务器", "分散自行组织", "3.00"],
        ],
        captions=["2019年政府采购预算表", "部门：中共江苏省委办公厅", "单位：万元"],
    )
    p = statements.parse(_doc(proc))
    assert [(l.statement, l.line_item, l.measure) for l in p.budget_lines] == [
        ("government_procurement", "一、货物A", "total"),
        ("government_procurement", "PC服务器 分散自行组织", "total"),
    ]


def test_unit_row_names_the_entity_in_a_pivoted_table():
    # 杭州 三公: 单位名称 | items, a 栏次 row of ** | 1 | 2 …
    t = _table(
        7,
        [
            ["单位名称", "“三公”经费合计", "公务接待费"],
            ["**", "1", "2"],
            ["合计", "24.02", "6.02"],
            ["杭州市气象服务中心", "10.89", "0.09"],
        ],
        captions=["表7：2026年市级部门一般公共预算“三公”经费预算表", "部门名称：杭州市气象局", "单位：万元"],
    )
    p = statements.parse(_doc(t))
    got = [(l.entity_name, l.line_item, l.published_amount, l.is_total_line) for l in p.budget_lines]
    assert got == [
        ("杭州市气象局", "“三公”经费合计", "24.02", True),
        ("杭州市气象局", "公务接待费", "6.02", True),
        ("杭州市气象服务中心", "“三公”经费合计", "10.89", True),
        ("杭州市气象服务中心", "公务接待费", "0.09", False),
    ]
    assert [e.entity_name for e in p.entities] == ["杭州市气象局", "杭州市气象服务中心"]


def test_renlei_column_is_personnel():
    # 长沙 (湖南) 一般公共预算基本支出情况表: 总计 | 人员类 | 公用经费, a ** | 1 | 2 row, 合计 first
    t = _table(
        6,
        [
            ["经济科目编码", "经济科目名称", "总计", "人员类", "公用经费"],
            ["**", "**", "1", "2", "3"],
            ["", "合计", "1,517.95", "1,394.97", "122.98"],
            ["301", "工资福利支出", "1,212.01", "1,212.01", ""],
        ],
        captions=["2026年一般公共预算基本支出情况表", "部门名称：长沙市信访局", "单位:万元"],
    )
    p = statements.parse(_doc(t))
    got = [(l.line_item, l.measure, l.published_amount, l.is_total_line) for l in _lines(p, measure="personnel")]
    assert got == [("合计", "personnel", "1,394.97", True), ("工资福利支出", "personnel", "1,212.01", False)]


# 深圳 支出总表: 预算单位 | 科目编码 | 科目名称 | amounts; the department's row, then each unit's row
# heading the unit's coded rows (2026年深圳市生态环境局部门预算 p.81)
SHENZHEN_UNIT_BLOCKS = _table(
    10,
    [
        ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
        ["深圳市某局", "", "", "300.00", "100.00", "200.00"],
        ["深圳市某局（本级）", "", "", "250.00", "80.00", "170.00"],
        ["", "208", "社会保障和就业支出", "250.00", "80.00", "170.00"],
        ["深圳市某中心", "", "", "50.00", "20.00", "30.00"],
        ["", "208", "社会保障和就业支出", "50.00", "20.00", "30.00"],
    ],
    page=81,
    captions=["支出总表", "单位：万元"],
)


def test_unit_blocks_first_row_is_the_total_later_unit_rows_head_their_block():
    p = statements.parse(_doc(SHENZHEN_UNIT_BLOCKS, texts=["2026年深圳市某局部门预算"]))
    got = [(l.line_item, l.subject_code, l.is_total_line, l.row_group) for l in _lines(p, measure="total")]
    assert got == [
        ("深圳市某局", None, True, None),
        ("深圳市某局（本级）", None, False, "深圳市某局（本级）"),
        ("社会保障和就业支出", "208", False, "深圳市某局（本级）"),
        ("深圳市某中心", None, False, "深圳市某中心"),
        ("社会保障和就业支出", "208", False, "深圳市某中心"),
    ]


# 普陀 决算 支出决算表 (p.10): 类 | 款 | 项 printed on the 合计 row, below 科目编码
PUTUO_FINAL_CODES = _table(
    4,
    [
        ["项目", None, None, None, "本年支出合计", "基本支出"],
        ["支出功能分类", None, None, "科目名称", None, None],
        ["科目编码", None, None, None, None, None],
        ["类", "款", "项", "合计", "2,940.05", "2,336.91"],
        ["201", "", "", "一般公共服务支出", "2,106.66", "1,503.52"],
        ["201", "06", "", "财政事务", "2,106.66", "1,503.52"],
        ["201", "06", "01", "行政运行", "1,511.89", "1,503.52"],
        ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75"],
    ],
    page=10,
    captions=["支出决算表", "单位：万元"],
    merges={(0, 0): (1, 4), (1, 0): (1, 3), (2, 0): (1, 3), (1, 3): (2, 1), (0, 4): (3, 1), (0, 5): (3, 1)},
)


def test_code_column_headers_on_the_total_row_split_the_codes():
    p = statements.parse(_doc(PUTUO_FINAL_CODES, texts=["上海市普陀区财政局2024年度部门决算"]))
    got = [(l.line_item, l.subject_code, l.is_total_line) for l in _lines(p, measure="total")]
    assert got == [
        ("合计", None, True),
        ("一般公共服务支出", "201", False),
        ("财政事务", "20106", False),
        ("行政运行", "2010601", False),
        ("机关事业单位基本养老保险缴费支出", "2080505", False),
    ]


def test_the_statement_s_own_funding_group_heads_its_total():
    # 上海 一般公共预算支出功能分类预算表: 一般公共预算支出 over 合计 | 基本支出 | 项目支出 — the 合计
    # under the statement's own funding source is the row's total, not a 一般公共预算 part
    t = _table(
        5,
        [
            ["功能分类科目编码", None, None, "科目名称", "一般公共预算支出", None, None],
            ["类", "款", "项", None, "合计", "基本支出", "项目支出"],
            ["201", "", "", "一般公共服务支出", "3,296,600", "0", "3,296,600"],
        ],
        page=20,
        captions=["2025年部门一般公共预算支出功能分类预算表", "编制部门：某街道办事处", "单位：元"],
        merges={(0, 0): (1, 3), (0, 3): (2, 1), (0, 4): (1, 3)},
    )
    p = statements.parse(_doc(t))
    assert p.statement_tables[0].statement == "general_budget_expenditure"
    assert [(l.measure, l.published_amount) for l in _lines(p, subject_code="201")] == [
        ("total", "3,296,600"), ("basic", "0"), ("project", "3,296,600"),
    ]
    # in the 收入总表 the same header is a part of the income (a funding source)
    t2 = _table(
        2,
        [
            ["科目编码", "科目名称", "合计", "一般公共预算", "政府性基金预算"],
            ["201", "一般公共服务支出", "10.00", "8.00", "2.00"],
        ],
        captions=["收入总体情况表", "单位：万元"],
    )
    p2 = statements.parse(_doc(t2))
    assert [l.measure for l in _lines(p2, subject_code="201")] == ["total", "general_budget", "government_fund"]


def test_a_lone_subtotal_column_is_the_total():
    # 福州 一般公共预算拨款支出预算表: 小计 | 其中：(基本支出 | 项目支出), no 合计 and no 上年结转
    t = _table(
        5,
        [
            ["科目编码", "科目名称", "小计", "其中：", None],
            [None, None, None, "基本支出", "项目支出"],
            ["210", "卫生健康支出", "349680.44", "5616.80", "344063.64"],
        ],
        captions=["2026年度一般公共预算拨款支出预算表", "单位：万元"],
        merges={(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (2, 1), (0, 3): (1, 2)},
    )
    p = statements.parse(_doc(t))
    assert [(l.measure, l.published_amount) for l in _lines(p, subject_code="210")] == [
        ("total", "349680.44"), ("basic", "5616.80"), ("project", "344063.64"),
    ]
    # beside a 合计 and 上年结转 it stays this year's subtotal (合计 = 上年结转 + 本年收入小计)
    t2 = _table(
        2,
        [
            ["科目编码", "科目名称", "合计", "上年结转", "小计", "一般公共预算"],
            ["201", "一般公共服务支出", "12.00", "2.00", "10.00", "10.00"],
        ],
        captions=["收入总表", "单位：万元"],
    )
    p2 = statements.parse(_doc(t2))
    assert [l.measure for l in _lines(p2, subject_code="201")] == [
        "total", "prior_year_carryover", "current_year_subtotal", "general_budget",
    ]


def test_the_basic_expenditure_group_heads_the_total_of_the_basic_expenditure_table():
    # 国家信访局 部门公开表6 一般公共预算基本支出表: 2026年基本支出 over 合计 | 人员经费 | 公用经费
    t = _table(
        6,
        [
            ["部门预算支出经济分类科目", None, "2026年基本支出", None, None],
            ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            ["301", "工资福利支出", "6,620.08", "6,620.08", ""],
        ],
        captions=["一般公共预算基本支出表", "单位：万元"],
        merges={(0, 0): (1, 2), (0, 2): (1, 3)},
    )
    p = statements.parse(_doc(t))
    assert p.statement_tables[0].statement == "basic_expenditure"
    assert [(l.measure, l.published_amount) for l in _lines(p, subject_code="301")] == [
        ("total", "6,620.08"), ("personnel", "6,620.08"),
    ]
