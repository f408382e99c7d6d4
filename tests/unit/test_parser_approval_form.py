"""Unit tests for loaders.parsers.approval_form (PDF-extracted 绩效目标批复表).

Snippets are copied from data/filings/001 (``→`` stands for a tab; ``_lines``
converts it back). Rows of that filing do not start with a tab unless their
first cell is blank. Whole-file tests read data/filings/ and assert exact counts.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.amounts import parse_amount
from loaders.parsers import approval_form
from loaders.parsers.approval_form import matches, parse, split_merged_cell

from tests.conftest import (  # noqa: E402 - shared by the parser tests
    ALL_FILINGS,
    F000,
    F001,
    F002,
    F003,
    F004,
    FILINGS,
    named_filing_lines as _filing,
    snippet_lines as _lines,
)


@pytest.fixture(scope="module")
def f001():
    return parse(_filing(F001))


# --------------------------------------------------------------------------
# snippets (real text from 001)
# --------------------------------------------------------------------------

# 001 lines 3-15: the head of form 1 (half-width colons: '中期资金总额:', '其中: 财政拨款').
HEAD_FORM1 = """\
部门预算财政支出绩效目标批复表

(2021 年度)

填报单位 (盖章)

项目名称→医保专项业务经费→→→→→→
实施单位→六安市医疗保险管理中心→→→→→→
项目属性→经常性项目→→→→→→
项目资金 (万元)→中期资金总额:→180.0→→年度资金总额:→60.0→→
→其中: 财政拨款→180.0→→其中: 财政拨款→60.0→→
→其他资金→→→其他资金→→→
总体目标→2021-2023→→→年度目标→→→"""

# 001 line 16: form 1's goals, HTML paragraph tags included.
GOALS_FORM1 = """\
→<p>通过该项目的实施, 完成1、离休干部医药费和城乡居民医疗保险大病保险及意外伤害基金进行中介审计; 2、做好医保市级统筹相关工作, 加强全省联网就医、慢性病管理、异地上门服务和业务培训等工作内容, 实现保障市医保中心各项专项工作有序开展: 1、引入第三方力量强化对社保基金监管, 提高基金支出过程规范性和结果公信力; 2、提供参保职工高效、便捷和规范的医保服务等工作目标。</p>→→→<p>通过该项目的实施, 完成1、按照预算要求做好上年度离休干部医药费和城乡居民医疗保险大病保险及意外伤害基金中介审计工作; 2、落实好医保市级统筹相关工作。做好全省联网就医、慢性病管理、异地上门服务和业务培训具体工作内容, 实现做好中心各项专项工作, 进一步提高服务水平工作目标。</p>→→→
→一级指标→二级指标→三级指标→中长期指标值→二级指标→三级指标→本年度指标值"""

# 001 lines 45-59: the head of form 2, up to the indicator header (full-width colons,
# the 年度 column one cell further right than in form 1, '2,858.5').
HEAD_FORM2 = """\
部门预算财政支出绩效目标批复表

（ 2021 年度）

填报单位（盖章）

项目名称→→弥补离休干部医疗统筹经费缺口→→→→→
实施单位→→六安市医疗保险管理中心→→→→→
项目属性→→经常性项目→→→→→
项目资金（万元）→中期资金总额：→2,858.5→→→年度资金总额：→858.5→
→其中：财政拨款→2,858.5→→→其中：财政拨款→858.5→
→其他资金→→→→其他资金→→
总体目标→2021-2023→→→→年度目标→→
→通过该项目的实施，完成市直离休干部医药费缺口资金筹集工作内容，实现逐步解决市直离休干部医药费缺口，保障离休干部医药待遇工作目标。→→→→通过该项目的实施，完成市直离休干部医药费缺口资金筹集工作内容，实现结清2020年度和部分支付2021年度定点医疗机构市本级离休干部医药费用工作目标。→→
→一级指标→二级指标→三级指标→中长期指标值→二级指标→三级指标→本年度指标值"""

# 001 lines 77-91: the head of form 3, whose goal texts stop mid-sentence (PDF cut).
HEAD_FORM3 = """\
部门预算财政支出绩效目标批复表

（ 2021 年度）

填报单位（盖章）

项目名称→→厅级干部医疗费补助→→→→→
实施单位→→六安市医疗保险管理中心→→→→→
项目属性→→经常性项目→→→→→
项目资金（万元）→中期资金总额：→150.0→→→年度资金总额：→50.0→
→其中：财政拨款→150.0→→→其中：财政拨款→50.0→
→其他资金→→→→其他资金→→
总体目标→2021-2023→→→→年度目标→→
→通过该项目的实施，完成六安市本级副厅以上干部医疗补助费用筹集工作内容，实现→→→→通过该项目的实施，完成2020年度六安市本级副厅以上干部医疗补助费用筹→→
→一级指标→二级指标→三级指标→中长期指标值→二级指标→三级指标→本年度指标值"""

# single indicator rows of 001, by line number
ROW = {
    18: "产出指标→数量指标→数量指标→全市职工医保参保人数→>38万人→数量指标→全市职工医保参保人数→>38万人",
    19: "→→→慢性病评审次数→→→慢性病评审次数→4次",
    22: "→质量指标→质量指标→严格统一执行慢性病标准, 探索慢性病网上申报评审,→100%→质量指标→严格统一执行慢性病标准, 探索慢性病网上申报评审,→100%",
    27: "→时效性→时效性→上海等异地上门服务完成时间→一年二次, 5月和11月份。→时效性→上海等异地上门服务完成时间→2021年5月和11月份。",
    28: "→→→离休干部医药费中介审计完成时间→一年一次, 每年下半年→→离休干部医药费中介审计完成时间→2021年10月前",
    31: "绩效指标→双重目标→城乡居民医疗保险大病保险及意外伤害收支审计完成时间→一年一次，每年下半年→双重目标→城乡居民医疗保险大病保险及意外伤害收支审计完成时间→2021年11月前→",
    32: "→→县区经办业务标准化培训完成时间→一年一次，每年年中→→县区经办业务标准化培训完成时间→2021年5-7月→",
    34: "→成本指标→项目总成本→180万→成本指标→项目总成本→60万→",
    35: "→效益指标→经济效益指标→→→经济效益指标→→",
    36: "→→社会效益指标→确保参保职工合法待遇。→程度较高→社会效益指标→确保参保职工合法待遇。→程度较高",
    39: "→→生态效益指标→→→生态效益指标→→",
    60: "绩效指标→产出指标→数量指标→二乙人员人数（医疗待遇比照离休干部）→60人→数量指标→二乙人员人数（医疗待遇比照离休干部）→20人。",
    66: "→成本指标→人均药费统筹实际支出→人均年支出<4.63万元。→成本指标→人均药费统筹实际支出→人均支出<4.63万元。→",
    67: "→→项目总成本→《=2500万→→项目总成本→《=858.5万（预算数）→",
    69: "→效益指标→经济效益指标→→经济效益指标→→→",
    71: "→→生态效益指标→→→生态效益指标→→",
    72: "可持续→→保障离休干部（二乙人员）医疗待遇→持续做好离休干部医疗保障工作，使离休干部病有所医，提高离休干部身体健康水平，维护社会稳定。→可持续→保障离休干部（二乙人员）医疗待遇→做好2020-2021年度离休干部医疗保障工作。→",
    73: "",
    74: "→影响指标→保障定点医疗机构离休医药费按时结算→及时拨付定点医疗机构离休人员医疗费用，降低医疗机构垫付资金成本，提高医疗机构医疗质量和工作积极性。→影响指标→保障定点医疗机构离休医药费按时结算→按年编报经费专项预算，及时拨付定点医疗机构医药费用。",
    75: "满意度指标→服务对象满意→提高定点医疗机构满意率 提高参保人员满意率→满意率95%以上、零核实投诉 满意率95%以上、零核实投诉→服务对象满意→提高定点医疗机构满意率 提高参保人员满意率→满意率95%以上、零核实投诉 满意率95%以上、零核实投诉",
    94: "→→质量指标→医疗报销待遇水平→门诊：符合规定费用补助90%； 住院：符合规定费用按费用和年龄分段累加计算，补助94%-98%。→质量指标→医疗报销待遇水平→门诊：符合规定费用补助90%； 住院：符合规定费用按费用和年龄分段累加计算，补助94%-98%。",
}


def _indicators(*line_nos: int):
    """HEAD_FORM2 followed by the given 001 rows (in file order)."""
    return parse(_lines(HEAD_FORM2 + "\n" + "\n".join(ROW[n] for n in line_nos)))


def _rows(parsed):
    """(level1, midterm level2, annual level2, level3, midterm text, annual text) per indicator."""
    mids = [t for t in parsed.targets if t.horizon == "midterm"]
    annuals = [t for t in parsed.targets if t.horizon == "annual"]
    assert len(mids) == len(annuals)
    return [
        (m.level1_published, m.level2_published, a.level2_published, m.level3, m.target_text, a.target_text)
        for m, a in zip(mids, annuals)
    ]


# --------------------------------------------------------------------------
# matches
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name,expected", [(F000, False), (F001, True), (F002, False), (F003, False), (F004, False)])
def test_matches_sample_filings(name, expected):
    assert matches(_filing(name)) is expected


def test_matches_by_content():
    assert matches(_lines(HEAD_FORM1))
    # the title alone, or the funding row alone, is not the layout
    assert not matches(_lines(HEAD_FORM1.replace("中期资金总额", "资金")))
    assert not matches(_lines(HEAD_FORM1.replace("绩效目标批复表", "绩效目标表")))
    assert approval_form.NAME == "pdf_approval_form"


# --------------------------------------------------------------------------
# project head, funding, goals
# --------------------------------------------------------------------------


def test_project_head():
    p = parse(_lines(HEAD_FORM1 + "\n" + GOALS_FORM1))
    assert [(x.project_key, x.project_name, x.entity_name, x.entity_code, x.project_attribute, x.source_line)
            for x in p.projects] == [("1:医保专项业务经费", "医保专项业务经费", "六安市医疗保险管理中心", None, "经常性项目", 7)]
    assert p.projects[0].title == "部门预算财政支出绩效目标批复表"
    assert [(e.entity_name, e.unit_code, e.source_line) for e in p.entities] == [("六安市医疗保险管理中心", None, 8)]
    assert p.department_name == "六安市医疗保险管理中心"
    assert p.fiscal_year == 2021 and p.published_unit == "万元"
    assert p.layouts == ["pdf_approval_form"] and p.doc_kinds == ["project_targets"]
    assert p.issues == []


@pytest.mark.parametrize(
    "snippet,expected",
    [
        # form 1: '中期资金总额:' half-width colon, '其中: 财政拨款' kept as published; 其他资金 blank → no record
        (HEAD_FORM1, [
            (10, "中期资金总额", "midterm", "180.0"),
            (10, "年度资金总额", "annual", "60.0"),
            (11, "其中: 财政拨款", "midterm_fiscal_appropriation", "180.0"),
            (11, "其中: 财政拨款", "annual_fiscal_appropriation", "60.0"),
        ]),
        # form 2: full-width colons, the annual group one column further right, '2,858.5'
        (HEAD_FORM2, [
            (10, "中期资金总额", "midterm", "2,858.5"),
            (10, "年度资金总额", "annual", "858.5"),
            (11, "其中：财政拨款", "midterm_fiscal_appropriation", "2,858.5"),
            (11, "其中：财政拨款", "annual_fiscal_appropriation", "858.5"),
        ]),
        # form 2 with a published 0 in the annual 其他资金 cell (edited copy): 0 is a record, blank is not
        (HEAD_FORM2.replace("→其他资金→→→→其他资金→→", "→其他资金→→→→其他资金→0→"), [
            (10, "中期资金总额", "midterm", "2,858.5"),
            (10, "年度资金总额", "annual", "858.5"),
            (11, "其中：财政拨款", "midterm_fiscal_appropriation", "2,858.5"),
            (11, "其中：财政拨款", "annual_fiscal_appropriation", "858.5"),
            (12, "其他资金", "annual_other_funds", "0"),
        ]),
    ],
    ids=["form1", "form2", "published-zero"],
)
def test_funding_side_by_side(snippet, expected):
    p = parse(_lines(snippet))
    got = [(b.source_line, b.line_item, b.measure, b.published_amount) for b in p.budget_lines]
    assert got == expected
    for b in p.budget_lines:
        assert b.value_line == b.source_line
        assert b.published_unit == "万元" and b.statement == "project_budget"
        assert b.project_key == p.projects[0].project_key and b.entity_code is None
        assert b.entity_name == "六安市医疗保险管理中心"


def test_funding_unit_assumed_when_not_declared():
    p = parse(_lines(HEAD_FORM2.replace("项目资金（万元）", "项目资金")))
    assert p.published_unit == "万元"
    assert [i.code for i in p.issues] == ["unit_assumed"]
    assert {b.published_unit for b in p.budget_lines} == {"万元"}


def test_goals_kept_as_published():
    p = parse(_lines(HEAD_FORM1 + "\n" + GOALS_FORM1))
    proj = p.projects[0]
    assert proj.goal_midterm.startswith("<p>通过该项目的实施, 完成1、离休干部医药费")
    assert proj.goal_midterm.endswith("等工作目标。</p>")
    assert proj.goal_annual.startswith("<p>通过该项目的实施, 完成1、按照预算要求")
    assert proj.goal_annual.endswith("进一步提高服务水平工作目标。</p>")


def test_goals_truncated_by_the_pdf_are_flagged():
    p = parse(_lines(HEAD_FORM3))
    proj = p.projects[0]
    assert proj.goal_midterm.endswith("筹集工作内容，实现")
    assert proj.goal_annual.endswith("医疗补助费用筹")
    assert [(i.code, i.severity, i.source_line) for i in p.issues] == [
        ("text_truncated", "warning", 14), ("text_truncated", "warning", 14)]


# --------------------------------------------------------------------------
# indicator rows: one case per layout rule
# --------------------------------------------------------------------------

CASES = [
    pytest.param(
        (18,), [("产出指标", "数量指标", "数量指标", "全市职工医保参保人数", ">38万人", ">38万人")], [],
        id="repeated-level2-cell-is-not-level3"),
    pytest.param(
        (18, 19), [("产出指标", "数量指标", "数量指标", "全市职工医保参保人数", ">38万人", ">38万人"),
                   ("产出指标", "数量指标", "数量指标", "慢性病评审次数", "", "4次")], [],
        id="blank-midterm-value-still-gives-both-horizons"),
    pytest.param(
        (18, 27, 28), [("产出指标", "数量指标", "数量指标", "全市职工医保参保人数", ">38万人", ">38万人"),
                       ("产出指标", "时效性", "时效性", "上海等异地上门服务完成时间", "一年二次, 5月和11月份。", "2021年5月和11月份。"),
                       ("产出指标", "时效性", "时效性", "离休干部医药费中介审计完成时间", "一年一次, 每年下半年", "2021年10月前")],
        ["label_unknown"], id="variant-level2-kept-and-carried"),
    pytest.param(
        (18, 31, 32), [("产出指标", "数量指标", "数量指标", "全市职工医保参保人数", ">38万人", ">38万人"),
                       ("产出指标", "双重目标", "双重目标", "城乡居民医疗保险大病保险及意外伤害收支审计完成时间", "一年一次，每年下半年", "2021年11月前"),
                       ("产出指标", "双重目标", "双重目标", "县区经办业务标准化培训完成时间", "一年一次，每年年中", "2021年5-7月")],
        ["label_unknown"], id="garbled-label-after-section-cell"),
    pytest.param(
        (60,), [("产出指标", "数量指标", "数量指标", "二乙人员人数（医疗待遇比照离休干部）", "60人", "20人。")], [],
        id="section-cell-is-not-level1"),
    pytest.param(
        (34,), [("成本指标", None, None, "项目总成本", "180万", "60万")], [],
        id="cost-block-without-level2"),
    pytest.param(
        (66, 67), [("成本指标", None, None, "人均药费统筹实际支出", "人均年支出<4.63万元。", "人均支出<4.63万元。"),
                   ("成本指标", None, None, "项目总成本", "《=2500万", "《=858.5万（预算数）")], [],
        id="cost-block-carried-down"),
    pytest.param(
        (35, 36, 39), [("效益指标", "社会效益指标", "社会效益指标", "确保参保职工合法待遇。", "程度较高", "程度较高")], [],
        id="label-only-rows-give-no-target"),
    pytest.param(
        (69, 71, 72, 73, 74),
        [("效益指标", "可持续影响指标", "可持续影响指标", "保障离休干部（二乙人员）医疗待遇",
          "持续做好离休干部医疗保障工作，使离休干部病有所医，提高离休干部身体健康水平，维护社会稳定。", "做好2020-2021年度离休干部医疗保障工作。"),
         ("效益指标", "可持续影响指标", "可持续影响指标", "保障定点医疗机构离休医药费按时结算",
          "及时拨付定点医疗机构离休人员医疗费用，降低医疗机构垫付资金成本，提高医疗机构医疗质量和工作积极性。", "按年编报经费专项预算，及时拨付定点医疗机构医药费用。")],
        ["label_rejoined"], id="label-split-over-two-rows-rejoined"),
    pytest.param(
        (75,), [("满意度指标", "服务对象满意", "服务对象满意", "提高定点医疗机构满意率", "满意率95%以上、零核实投诉", "满意率95%以上、零核实投诉"),
                ("满意度指标", "服务对象满意", "服务对象满意", "提高参保人员满意率", "满意率95%以上、零核实投诉", "满意率95%以上、零核实投诉")],
        ["cell_split", "label_unknown"], id="two-indicators-in-one-cell-split"),
    pytest.param(
        (22,), [(None, "质量指标", "质量指标", "严格统一执行慢性病标准, 探索慢性病网上申报评审,", "100%", "100%")], [],
        id="space-after-punctuation-is-not-a-merge"),
    pytest.param(
        (94,), [(None, "质量指标", "质量指标", "医疗报销待遇水平",
                 "门诊：符合规定费用补助90%； 住院：符合规定费用按费用和年龄分段累加计算，补助94%-98%。",
                 "门诊：符合规定费用补助90%； 住院：符合规定费用按费用和年龄分段累加计算，补助94%-98%。")], [],
        id="value-with-space-after-semicolon-not-split"),
]


@pytest.mark.parametrize("line_nos,expected,issue_codes", CASES)
def test_indicator_rows(line_nos, expected, issue_codes):
    p = _indicators(*line_nos)
    assert _rows(p) == expected
    assert sorted(i.code for i in p.issues) == sorted(issue_codes)
    for t in p.targets:
        assert t.project_key == "1:弥补离休干部医疗统筹经费缺口"
        assert t.entity_name == "六安市医疗保险管理中心" and t.entity_code is None
        assert t.level1_published != "绩效指标"


def test_indicator_source_lines_and_issue_lines():
    p = _indicators(18, 31, 32)
    # HEAD_FORM2 is 15 lines: the rows stand at lines 16, 17, 18 of the snippet
    assert [t.source_line for t in p.targets] == [16, 16, 17, 17, 18, 18]
    assert [(i.code, i.source_line) for i in p.issues] == [("label_unknown", 17)]
    assert "双重目标" in p.issues[0].message


def test_rejoined_label_issue_names_both_lines():
    p = _indicators(69, 71, 72, 73, 74)
    (issue,) = p.issues
    assert issue.code == "label_rejoined" and issue.severity == "warning"
    assert issue.source_line == 18 and "20" in issue.message and "可持续影响指标" in issue.message


def test_title_repeated_on_a_page_break_continues_the_form():
    # edited copy: form 2's rows 60-61, then a repeated title block (lines 45-49 of 001), then row 62
    page_break = "\n部门预算财政支出绩效目标批复表\n\n（ 2021 年度）\n\n填报单位（盖章）\n"
    snippet = (HEAD_FORM2 + "\n" + ROW[60] + "\n→→→离休干部人数→540人→→离休干部人数→180人。" + page_break
               + "→→质量指标→住院及门诊购药保障率→100%→质量指标→住院及门诊购药保障率→100%")
    p = parse(_lines(snippet))
    assert [x.project_name for x in p.projects] == ["弥补离休干部医疗统筹经费缺口"]
    assert [(t.level1_published, t.level2_published, t.level3) for t in p.targets if t.horizon == "annual"] == [
        ("产出指标", "数量指标", "二乙人员人数（医疗待遇比照离休干部）"),
        ("产出指标", "数量指标", "离休干部人数"),
        ("产出指标", "质量指标", "住院及门诊购药保障率"),
    ]
    assert p.issues == []


@pytest.mark.parametrize(
    "text,parts",
    [
        ("提高定点医疗机构满意率 提高参保人员满意率", ["提高定点医疗机构满意率", "提高参保人员满意率"]),
        ("满意率95%以上、零核实投诉 满意率95%以上、零核实投诉", ["满意率95%以上、零核实投诉", "满意率95%以上、零核实投诉"]),
        ("严格统一执行慢性病标准, 探索慢性病网上申报评审,", ["严格统一执行慢性病标准, 探索慢性病网上申报评审,"]),
        ("门诊：符合规定费用补助90%； 住院：符合规定费用", ["门诊：符合规定费用补助90%； 住院：符合规定费用"]),
        ("", []),
    ],
)
def test_split_merged_cell(text, parts):
    assert split_merged_cell(text) == parts


# --------------------------------------------------------------------------
# the whole of 001
# --------------------------------------------------------------------------


def test_001_header(f001):
    assert f001.layouts == ["pdf_approval_form"]
    assert f001.doc_kinds == ["project_targets"]
    assert f001.fiscal_year == 2021
    assert f001.published_unit == "万元"
    assert f001.department_name == "六安市医疗保险管理中心" and f001.unit_code is None
    assert [(e.entity_name, e.unit_code, e.source_line) for e in f001.entities] == [("六安市医疗保险管理中心", None, 10)]


def test_001_projects(f001):
    assert [(p.project_key, p.source_line, p.project_attribute) for p in f001.projects] == [
        ("1:医保专项业务经费", 9, "经常性项目"),
        ("2:弥补离休干部医疗统筹经费缺口", 51, "经常性项目"),
        ("3:厅级干部医疗费补助", 83, "经常性项目"),
    ]
    assert all(p.goal_midterm and p.goal_annual for p in f001.projects)
    assert f001.projects[1].goal_annual.endswith("市本级离休干部医药费用工作目标。")


def test_001_budget_lines(f001):
    # 3 forms × (中期资金总额, 年度资金总额, 财政拨款 midterm, 财政拨款 annual); every 其他资金 cell is blank
    assert len(f001.budget_lines) == 12
    by = {(b.project_key.split(":")[0], b.measure): b for b in f001.budget_lines}
    assert len(by) == 12
    b = by[("2", "midterm")]
    assert (b.line_item, b.published_amount, b.published_unit, b.source_line, b.value_line) == (
        "中期资金总额", "2,858.5", "万元", 54, 54)
    assert b.project_key == "2:弥补离休干部医疗统筹经费缺口"
    assert by[("2", "annual_fiscal_appropriation")].published_amount == "858.5"
    assert by[("1", "annual")].published_amount == "60.0"
    assert by[("3", "midterm_fiscal_appropriation")].source_line == 87
    # 其中：财政拨款 equals the total on every side of every form
    for key in "123":
        for side in ("midterm", "annual"):
            assert parse_amount(by[(key, side)].published_amount) == parse_amount(
                by[(key, f"{side}_fiscal_appropriation")].published_amount)
    assert sum(parse_amount(by[(k, "annual")].published_amount) for k in "123") == Decimal("968.5")


def test_001_targets(f001):
    # Counted by hand from the file, indicator rows with a 三级 name:
    #   form 1 (lines 18-43): 18-29 (12) + 31-33 (3) + 34 (1) + 36-38 (3) + 40-41 (2) + 42-43 (2) = 23;
    #          lines 35 and 39 only name 经济效益指标 / 生态效益指标 (no 三级, no value) → no target
    #   form 2 (lines 60-75): 60-65 (6) + 66-68 (3) + 70 (1) + 72 (1) + 74 (1) + 75 split in two (2) = 14;
    #          lines 69 and 71 are label-only
    #   form 3 (lines 92-105): 92-97 (6) + 98 (1) + 100 (1) + 102-103 (2) + 104-105 (2) = 12;
    #          lines 99 and 101 are label-only
    # 49 indicators × 2 horizons = 98 targets.
    assert len(f001.targets) == 98
    assert Counter(t.horizon for t in f001.targets) == {"midterm": 49, "annual": 49}
    assert Counter(t.project_key.split(":")[0] for t in f001.targets) == {"1": 46, "2": 28, "3": 24}
    assert {t.entity_name for t in f001.targets} == {"六安市医疗保险管理中心"}
    assert not any(t.level1_published == "绩效指标" for t in f001.targets)
    assert Counter(t.level1_published for t in f001.targets if t.horizon == "annual") == {
        "产出指标": 15 + 6 + 6,  # form 1: 数量 4, 质量 5, 时效性 3, 双重目标 3; forms 2 and 3: 6 each
        "成本指标": 1 + 3 + 1,
        "效益指标": 5 + 3 + 3,
        "满意度指标": 2 + 2 + 2,
    }
    # 成本指标 rows have no 二级 (lines 34, 66, 67, 68, 98)
    cost = [t for t in f001.targets if t.level1_published == "成本指标"]
    assert sorted({t.source_line for t in cost}) == [34, 66, 67, 68, 98]
    assert {t.level2_published for t in cost} == {None}
    # the garbled 双重目标 label, kept as published, on lines 31-33 on both horizons
    assert sorted(t.source_line for t in f001.targets if t.level2_published == "双重目标") == [31, 31, 32, 32, 33, 33]
    # 可持续 + 影响指标 rejoined
    assert {t.level2_published for t in f001.targets if t.source_line in (72, 74)} == {"可持续影响指标"}
    # the merged cell of line 75 split in two indicators
    split = [(t.horizon, t.level3, t.target_text) for t in f001.targets if t.source_line == 75]
    assert split == [
        ("midterm", "提高定点医疗机构满意率", "满意率95%以上、零核实投诉"),
        ("annual", "提高定点医疗机构满意率", "满意率95%以上、零核实投诉"),
        ("midterm", "提高参保人员满意率", "满意率95%以上、零核实投诉"),
        ("annual", "提高参保人员满意率", "满意率95%以上、零核实投诉"),
    ]
    # rows with a value on one horizon only still give both records
    (mid19,) = [t for t in f001.targets if t.source_line == 19 and t.horizon == "midterm"]
    (ann19,) = [t for t in f001.targets if t.source_line == 19 and t.horizon == "annual"]
    assert (mid19.level3, mid19.target_text, ann19.target_text) == ("慢性病评审次数", "", "4次")
    # different texts on the two horizons
    (ann70,) = [t for t in f001.targets if t.source_line == 70 and t.horizon == "annual"]
    assert ann70.target_text == "离休干部医疗费个人自付率<5%" and ann70.level2_published == "社会效益指标"


def test_001_issues(f001):
    assert Counter(i.code for i in f001.issues) == {
        "label_unknown": 4,  # 时效性 (27), 双重目标 (31), 服务对象满意 (75, 104)
        "label_rejoined": 1,  # 可持续 (72) + 影响指标 (74)
        "cell_split": 1,  # line 75
        "text_truncated": 2,  # form 3's two goals (line 90)
    }
    assert sorted((i.code, i.source_line) for i in f001.issues) == [
        ("cell_split", 75), ("label_rejoined", 72),
        ("label_unknown", 27), ("label_unknown", 31), ("label_unknown", 75), ("label_unknown", 104),
        ("text_truncated", 90), ("text_truncated", 90),
    ]
    assert {i.severity for i in f001.issues} == {"warning"}


# --------------------------------------------------------------------------
# robustness
# --------------------------------------------------------------------------


def test_parse_empty_input():
    for lines in ([], [""], ("",) * 5):
        p = parse(lines)
        assert p.targets == [] and p.budget_lines == [] and p.projects == []
        assert p.layouts == ["pdf_approval_form"]


# cells of the layout, to make random rows that reach the parser's branches
_FRAGMENTS = [
    "部门预算财政支出绩效目标批复表", "项目名称", "实施单位", "项目属性", "项目资金（万元）", "中期资金总额：",
    "年度资金总额：", "其中：财政拨款", "其他资金", "2,858.5", "0", "总体目标", "年度目标", "一级指标",
    "二级指标", "三级指标", "中长期指标值", "本年度指标值", "绩效指标", "产出指标", "数量指标", "成本指标",
    "可持续", "影响指标", "双重目标", "提高满意率 提高满意率", "满意率 满意率", "100%", "", "",
]
_RANDOM_LINES = st.lists(
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=12), max_size=10).map("\t".join)
    | st.text(max_size=40),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_RANDOM_LINES)
def test_parse_never_raises_on_random_text(lines):
    p = parse(lines)
    assert not [i for i in p.issues if i.code == "parser_exception"]
    matches(lines)


@pytest.mark.parametrize("name", ALL_FILINGS)
def test_parse_never_raises_on_truncated_filings(name):
    lines = _filing(name)
    for cut in range(0, len(lines) + 1, 7):
        p = parse(lines[:cut])
        assert not [i for i in p.issues if i.code == "parser_exception"], cut
        matches(lines[:cut])


def test_a_repeated_label_with_a_blank_annual_value_is_not_the_indicator():
    """时效性 printed twice and a blank 本年度 value must not turn the label into the 三级 name."""
    from loaders.parsers.approval_form import _find_pair

    row = ["", "时效性", "时效性", "慢性病评审完成时间", "季末组织专家评审", "时效性", "慢性病评审完成时间", ""]
    assert _find_pair(row) == (3, 6)
    filled = ["", "时效性", "时效性", "慢性病评审完成时间", "季末组织专家评审", "时效性", "慢性病评审完成时间", "季末"]
    assert _find_pair(filled) == (3, 6)
