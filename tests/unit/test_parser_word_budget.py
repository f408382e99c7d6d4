"""The 部门预算 statement parser (Word-table layout), on real snippets of filing 002."""

from decimal import Decimal

import pytest

from loaders.amounts import split_amount_unit
from loaders.parsers import word_budget
from tests.conftest import filing_lines


def cells(*rows: list[str]) -> list[str]:
    """Word-table export text: every cell a tab-prefixed line, a blank line after each row."""
    out: list[str] = []
    for row in rows:
        out += ["\t" + c for c in row] + [""]
    return out


ENTITY = ["450新乐市医疗保障局", "预算年度：2021", "单位：万元"]

# 002 lines 612-726 (支出总表): merged 功能分类科目 header, 栏次 row, data rows
EXPENDITURE = ["部门预算支出总表"] + cells(
    ENTITY,
    ["序号", "功能分类科目", "合计", "基本支出", "项目支出", "经营支出", "上解上级 支出", "对附属单位补助支出"],
    ["", "科目  编码", "科目名称", "", "", "", "", "", ""],
    ["栏次", "1", "2", "3", "4", "5", "6", "7", "8"],
    ["1", "", "合计", "7723.25", "434.10", "7289.15", "", "", ""],
    ["13", "2101202", "财政对城乡居民基本医疗保险基金的补助", "5118.27", "", "5118.27", "", "", ""],
)

# 002 lines 222-290 (收入总表): the 本年收入 group stands over 小计 … 其他收入
INCOME = ["部门预算收入总表"] + cells(
    ENTITY,
    ["序号", "功能分类科目", "合计", "本年收入", "上年结转"],
    ["", "科目  编码", "科目名称", "", "小计", "财政拨款 收入", "财政专户 收入", "事业收入", "经营收入",
     "上级补助收入", "附属单位上缴收入", "其他收入", ""],
    ["栏次", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
    ["2", "208", "社会保障和就业支出", "49.21", "49.21", "49.21", "", "", "", "", "", "", ""],
)

# 002 lines 1450-1490 (基本支出表): economic codes, group header 一般公共预算基本支出
BASIC = ["部门预算一般公共预算财政拨款基本支出表"] + cells(
    ["450新乐市医疗保障局", "预算年度：2021", "单位：万元"],
    ["序号", "支出部门经济分类科目", "一般公共预算基本支出"],
    ["", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
    ["栏次", "1", "2", "3", "4", "5"],
    ["1", "", "合计", "434.10", "408.08", "26.02"],
    ["3", "30101", "基本工资", "156.01", "156.01", ""],
)

# 002 lines 2-30 (收支总表): two sides, 收入 and 支出
SUMMARY = ["部门预算收支总表"] + cells(
    ENTITY,
    ["序号", "收入", "支出"],
    ["", "项  目", "预算数", "项  目", "预算数"],
    ["栏次", "1", "2", "3", "4"],
    ["1", "一、一般公共预算拨款收入", "7723.25", "一、一般公共服务支出", ""],
    ["8", "八、附属单位上缴收入", "", "八、社会保障和就业支出", "49.21"],
    ["33", "收入总计", "7723.25", "支出总计", "7723.25"],
)

# 002 lines 1710-1775 (三公): rows per item
THREE_PUBLIC = ["部门预算财政拨款“三公”经费支出表"] + cells(
    ENTITY,
    ["序号", "项  目", "资 金 性 质"],
    ["", "", "合计", "一般公共预算       财政拨款", "政府性基金         预算拨款", "国有资本经营       预算财政拨款"],
    ["栏次", "1", "2", "3", "4", "5"],
    ["1", "合计", "15.60", "15.60", "", ""],
    ["2", "一、因公出国（境）费", "", "", "", ""],
    ["4", "    其中：公务用车购置费", "13.00", "13.00", "", ""],
)

EMPTY = ["部门预算政府基金预算财政拨款支出表"] + cells(
    ENTITY,
    ["序号", "功能分类科目", "合计", "基本支出", "项目支出"],
    ["", "科目编码", "科目名称", "", "", ""],
    ["栏次", "1", "2", "3", "4", "5"],
    ["", "", "", "", "", ""],
) + ["注：无政府基金预算财政拨款预算，空表列示。"]


def facts(lines):
    return {(b.line_item, b.measure): b for b in word_budget.parse(lines).budget_lines}


def test_expenditure_columns_come_from_the_upper_header():
    got = facts(EXPENDITURE)
    assert set(got) == {
        ("合计", "total"), ("合计", "basic"), ("合计", "project"),
        ("财政对城乡居民基本医疗保险基金的补助", "total"), ("财政对城乡居民基本医疗保险基金的补助", "project"),
    }
    line = got[("财政对城乡居民基本医疗保险基金的补助", "total")]
    assert (line.statement, line.subject_code, line.classification) == ("expenditure", "2101202", "function")
    assert (line.published_amount, line.published_unit, line.entity_code) == ("5118.27", "万元", "450")
    assert got[("合计", "total")].is_total_line and not line.is_total_line
    # provenance: the row's first cell (序号) and the amount's own line
    assert line.source_line == EXPENDITURE.index("\t13") + 1
    assert EXPENDITURE[line.value_line - 1] == "\t5118.27"


def test_income_group_header_children_fill_the_columns():
    got = facts(INCOME)
    assert {m for _, m in got} == {"total", "current_year_subtotal", "fiscal_appropriation"}
    assert all(b.subject_code == "208" for b in got.values())


def test_basic_expenditure_is_economic_classification():
    got = facts(BASIC)
    assert got[("基本工资", "personnel")].classification == "economic"
    assert got[("合计", "public_funds")].published_amount == "26.02"
    assert ("基本工资", "public_funds") not in got  # blank cell: no row


def test_summary_has_two_sides():
    got = facts(SUMMARY)
    assert got[("一、一般公共预算拨款收入", "income")].published_amount == "7723.25"
    assert got[("八、社会保障和就业支出", "expenditure")].published_amount == "49.21"
    assert ("八、附属单位上缴收入", "income") not in got
    assert got[("收入总计", "income")].is_total_line and got[("支出总计", "expenditure")].is_total_line


def test_three_public_rows_per_item():
    got = facts(THREE_PUBLIC)
    assert set(got) == {("合计", "total"), ("合计", "general_budget"),
                        ("其中：公务用车购置费", "total"), ("其中：公务用车购置费", "general_budget")}
    assert all(b.statement == "three_public" for b in got.values())


def test_empty_table_is_recognised_and_gives_no_amounts():
    parsed = word_budget.parse(EMPTY)
    assert parsed.budget_lines == [] and parsed.issues == []
    (table,) = parsed.statement_tables
    assert (table.statement, table.data_rows, table.amounts) == ("government_fund_expenditure", 0, 0)


def test_matches_by_content_only():
    assert word_budget.matches(EXPENDITURE)
    assert not word_budget.matches(["部门预算支出总表", "no table here"])
    for other in ("000", "001", "003", "004"):
        assert not word_budget.matches(filing_lines(other)), other


# ---------------------------------------------------------------- the whole of 002
@pytest.fixture(scope="module")
def parsed_002():
    return word_budget.parse(filing_lines("002"))


def test_002_reads_both_parts_of_every_statement(parsed_002):
    from collections import Counter

    per_entity = Counter((b.entity_code, b.statement) for b in parsed_002.budget_lines)
    for code in ("450", "450001"):
        assert per_entity[(code, "income_expenditure_summary")] == 8
        assert per_entity[(code, "income")] == 75  # 25 rows × 合计/小计/财政拨款收入
        assert per_entity[(code, "expenditure")] == 57
        assert per_entity[(code, "fiscal_appropriation_summary")] == 13
        assert per_entity[(code, "general_budget_expenditure")] == 57
        assert per_entity[(code, "basic_expenditure")] == 49
        assert per_entity[(code, "three_public")] == 10
        assert per_entity[(code, "fixed_assets")] == 3
    assert len(parsed_002.budget_lines) == 2 * 272
    assert parsed_002.fiscal_year == 2021 and parsed_002.published_unit == "万元"
    assert (parsed_002.department_name, parsed_002.unit_code) == ("新乐市医疗保障局", "450")
    assert parsed_002.issues == []


def test_002_empty_tables_are_listed(parsed_002):
    empty = {(t.entity_code, t.statement) for t in parsed_002.statement_tables if t.amounts == 0}
    for code in ("450", "450001"):
        assert (code, "government_fund_expenditure") in empty
        assert (code, "state_capital_expenditure") in empty


@pytest.mark.parametrize(
    "code, statement, line_item, measure, amount",
    [
        ("450", "expenditure", "财政对城乡居民基本医疗保险基金的补助", "total", "5118.27"),
        ("450", "basic_expenditure", "基本工资", "total", "156.01"),
        ("450", "basic_expenditure", "合计", "personnel", "408.08"),
        ("450001", "three_public", "三、公务接待费", "total", "0.10"),
        ("450001", "income_expenditure_summary", "收入总计", "income", "7723.25"),
        ("450", "fixed_assets", "资产总额", "asset_value", "71.07"),
    ],
)
def test_002_spot_values(parsed_002, code, statement, line_item, measure, amount):
    matches = [
        b for b in parsed_002.budget_lines
        if (b.entity_code, b.statement, b.line_item, b.measure) == (code, statement, line_item, measure)
    ]
    assert [b.published_amount for b in matches] == [amount]


def test_002_every_value_line_holds_its_amount(parsed_002):
    lines = filing_lines("002")
    for b in parsed_002.budget_lines:
        assert lines[b.value_line - 1].strip() == b.published_amount
        assert split_amount_unit(b.published_amount) is not None
        assert b.source_line <= b.value_line


def test_002_children_add_up_in_the_parsed_expenditure_statement(parsed_002):
    got = {(b.subject_code, b.measure): Decimal(b.published_amount)
           for b in parsed_002.budget_lines if b.entity_code == "450" and b.statement == "expenditure" and b.subject_code}
    assert got[("21012", "total")] == got[("2101201", "total")] + got[("2101202", "total")] + got[("2101299", "total")]


def test_never_raises_on_truncated_filings():
    lines = filing_lines("002")
    for cut in range(0, len(lines), 97):
        word_budget.parse(lines[:cut])
