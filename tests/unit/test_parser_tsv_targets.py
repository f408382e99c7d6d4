"""Unit tests for loaders.parsers.tsv_targets (tab-separated 项目/整体 绩效目标表 and 三公).

Snippets are copied from data/filings/003 (``→`` stands for a tab; ``_lines``
converts it back). Whole-file tests read data/filings/ and assert exact counts.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.amounts import parse_amount
from loaders.parsers import tsv_targets
from loaders.parsers.tsv_targets import assign_levels, is_level_name, is_unit_token, matches, parse

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
def f003():
    return parse(_filing(F003))


# --------------------------------------------------------------------------
# snippets (real text from 003)
# --------------------------------------------------------------------------

# 003 lines 3-8: title and the two header rows of the 项目支出绩效目标表.
PROJECT_HEAD = """\
项目支出绩效目标表



单位代码→单位(专项)名称→资金总额→实施期绩效目标→绩效指标→→→→→→→→→
→→→→一级指标→二级指标→三级指标→指标值→指标值内容→评(扣分标准)→度量单位→指标数据类型→备注→"""

# single rows of the project table, by line number in 003
ROW = {
    9: "302→湘阴县医疗保障局→5294→→→→→→→→→→→",
    10: "302001→城乡居民医保基金征缴工作→50→为切实保障2022年城乡居民医保参保缴费工作的顺利开展→满意度指标→服务对象满意度指标→参保对象满意度→1.00→1.00→→→%→定量→",
    11: "→→→→产出指标→数量指标→参保对象→579242→579242→→→人→定量→",
    12: "→→→→→→开展宣传次数→≥3次→5→→→→次→定量",
    15: "→→→→→质量指标→督导覆盖率→≥90%→100%→→→%→定量→",
    16: "→→→→征缴覆盖率→→≥90%→95%→→→%→定量→→",
    18: "→→→→成本指标→经济成本指标→宣传支出→≤20万元→15→→→万元→定量→",
    19: "302001→城乡居民医疗保险县镇配套→3997.5→湘阴县城乡居民医疗保险县镇配套→产出指标→数量指标→兑付病人人次→4.6万人次→5.15→→→万人次→定量→",
    20: "→→→→→→时效指标→2022年全年→1年→1→→→年→定性",
    21: "→→→→成本指标→质量指标→补偿兑付医疗费用→正常→1→→→年→定性→",
    22: "→→→→→→经济成本指标→补偿兑付医疗费用→3997.5→397.5→→→万元→定量",
    34: "302001→打击欺诈骗保工作经费→30→要持续保持基金监管的高压态势，加大对参保人、医疗机构，特别是贫困人口医保领域欺诈骗保工作的打击力度，纵深推进全县的打击欺诈骗保专项行动→产出指标→数量指标→定点医疗机构、药店→103家→103→→家→定量→",
    38: "→→→→→生态效益指标→参保对象满意度→99%→100%→→%→定量→",
    39: "满意度指标→服务对象满意度指标→群众满意度→99%→100%→→%→定量→→→→→",
    55: "302001→特殊病种门诊专家评审→10→各统筹区设医疗保险特殊病种评审专家委员会，负责参保人员特殊病种门诊医疗待遇审核，特殊病种门诊医疗管理专家评审等有关工作经费，列入同级财政预算→产出指标→数量指标→定点医疗机构、药店→103家→103→→家→定量→",
    57: "→→→→→满意度指标→服务对象满意度指标→参保对象满意度→99%→99%→→%→定量",
    58: "→→→→满意度指标→服务对象满意度指标→参保对象满意度→99%→99%→→%→定量→",
    61: "302001→脱贫不稳定对象、残疾人、计生特扶参合补助→496.5→脱贫不稳定对象、残疾人、计生特扶参合补助→产出指标→数量指标→一、二级残疾→9335人→9335→→人→定量→→→",
    64: "→→→→→成本指标→成本指标→时效指标→任务完成时间→2022年12月31日前→1→→年→定性→",
    65: "→→→→→→→经济成本指标→不超过当年预算→496.5→→万元→定量→→",
}

# 003 lines 67-79: the 整体支出绩效目标表 (指标值类型 before 指标值; '定量' in the 计量单位 cell
# of the last row; the 项目支出 header label drifted far right of its amount).
OVERALL = """\
整体支出绩效目标表



单位编码→单位名称→年度预算申请→→→→→→整体绩效目标→部门整体支出年度绩效目标→→→→→→→→→→
→→资金总额→按收入性质分→→→按支出性质分→→→一级指标→二级指标→三级指标→指标值类型→指标值→计量单位→指标解释→评分(扣分值)→备注→→
→→→一般公共预算→政府性基金拨款→财政专户管理资金→其他资金→基本支出→→→→→→→→→→→项目支出→
302001→湘阴县医疗保障局→5902.04→5902.04→→→→608.04→5294→1. 拟订全县医疗保险、生育保险、医疗救助等医疗保障制度及相关社会职能的规范性文件、规划、标准并组织实施。2. 贯彻执行国家、省、市、县医疗保障基金监管有关政策、法规和管理办法。3. 执行国家、省、市药品、医用耗材的招标采购政策并监督实施。4. 负责全县医疗保障经办管理、绩效考核、公共服务体系和信息化建设, 组织制定和完善异地就医管理和费用结算政策。5. 制定全县定点医疗、医药机构协议和支付管理办法并组织实施, 监督管理纳入医保范围内的医疗服务行为和医疗费用, 依法查处医疗保障领域违法违规行为。6. 执行国家、省、市、县城乡医疗救助和医保扶贫政策草案的制定、监督和施工→产出指标→数量指标→城乡居民医保参保人数→定量→579242→人→→→→
→→→→→→→→→→质量指标→参保率(≥100%)→定量→100%→%→→→→→
→→→→→→→→→→时效指标→及时率(≥100%)→定量→100%→%→→→→→
→→→→→→→→→→成本指标→城乡居民医保县级配套→定量→3997.5→万元→→→→→
→→→→→→→→→→效益指标→社会效益指标→补偿兑付医疗费用→定性→及时→→→→→
→→→→→→→→→→满意度指标→服务对象满意度指标→参保对象满意度→定量→100%→定量→→→→"""

# 003 lines 81-90: the 三公 table, one column per item, one row per unit.
THREE_PUBLIC = """\
2022年“三公”经费预算情况表



单位代码→单位名称→2022年“三公”经费预算支出→→→→→→
→→合计→公务接待费→因公出国(境)费→公务用车购置→公务用车运行维护费→其他交通工具购置→其他交通费用
**→**→1→2→3→4→5→6→7
→合计→6.36→5.00→→→→→1.36
302→湘阴县医疗保障局→6.36→5.00→→→→→1.36
302001→湘阴县医疗保障局→6.36→5.00→→→→→1.36"""

# Word-table exports: every cell its own line starting with a tab (000 lines 193-198;
# 002 lines 1710-1724 with 1580's 公务接待费 cell).
WORD_EXPORT = """\
→一级指标
→二级指标
→三级指标
→绩效指标描述
→指标值
→指标值确定依据
部门预算财政拨款“三公”经费支出表
→450新乐市医疗保障局
→预算年度：2021
→单位：万元

→序号
→项  目
→资 金 性 质
→公务接待费"""

_EXPECTED_WARNINGS_OF_SNIPPETS = {"unit_assumed", "entity_name_assumed"}


def _project(*line_nos: int):
    return parse(_lines(PROJECT_HEAD + "\n" + "\n".join(ROW[n] for n in line_nos)))


def _targets(parsed):
    return [
        (t.project_key, t.level1_published, t.level2_published, t.level3, t.target_text,
         t.value_content_published, t.unit_published, t.value_type_published)
        for t in parsed.targets
    ]


# --------------------------------------------------------------------------
# matches
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name,expected", [(F000, False), (F001, False), (F002, False), (F003, True), (F004, False)])
def test_matches_sample_filings(name, expected):
    assert matches(_filing(name)) is expected


@pytest.mark.parametrize(
    "snippet,expected",
    [(PROJECT_HEAD, True), (OVERALL, True), (THREE_PUBLIC, True), (WORD_EXPORT, False),
     (PROJECT_HEAD.replace("三级指标", "指标"), False), ("", False)],
    ids=["project-header", "overall-header", "three-public", "word-export", "no-level3-header", "empty"],
)
def test_matches_by_content(snippet, expected):
    assert matches(_lines(snippet)) is expected
    assert tsv_targets.NAME == "tsv_targets"


# --------------------------------------------------------------------------
# cell vocabulary
# --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
                                  "社会效益指标", "经济成本指标", "服务对象满意度指标", "生态效益指标", "经济效益指标"])
def test_level_names(text):
    assert is_level_name(text)


@pytest.mark.parametrize("text", ["参保对象满意度", "征缴覆盖率", "2022年全年", "绩效指标", "三级指标", "参保率(≥100%)", "", "定量"])
def test_not_level_names(text):
    assert not is_level_name(text)


@pytest.mark.parametrize("text,expected", [
    ("%", True), ("人", True), ("人次", True), ("万人次", True), ("次", True), ("套", True), ("年", True),
    ("家", True), ("万元", True), ("定量", False), ("定性", False), ("1年", False), ("18万", False),
    ("及时", False), ("正常", False), ("", False),
])
def test_unit_tokens(text, expected):
    assert is_unit_token(text) is expected


@pytest.mark.parametrize("labels,carried,expected", [
    ([], ("产出指标", "数量指标"), ("产出指标", "数量指标")),
    (["时效指标"], ("产出指标", "数量指标"), ("产出指标", "时效指标")),
    (["成本指标", "经济成本指标"], ("产出指标", "数量指标"), ("成本指标", "经济成本指标")),
    (["成本指标", "成本指标", "时效指标"], ("产出指标", "数量指标"), ("成本指标", "时效指标")),
    (["成本指标"], ("产出指标", "数量指标"), ("成本指标", None)),
    (["绩效指标", "产出指标", "数量指标"], (None, None), ("产出指标", "数量指标")),
])
def test_assign_levels(labels, carried, expected):
    assert assign_levels(labels, *carried) == expected


# --------------------------------------------------------------------------
# 项目支出绩效目标表: one case per layout rule
# --------------------------------------------------------------------------

P1 = "1:城乡居民医保基金征缴工作"
P2 = "1:城乡居民医疗保险县镇配套"
PROJECT_CASES = [
    pytest.param((10, 11, 12), [
        (P1, "满意度指标", "服务对象满意度指标", "参保对象满意度", "1.00", "1.00", "%", "定量"),
        (P1, "产出指标", "数量指标", "参保对象", "579242", "579242", "人", "定量"),
        # drifted one cell right (unit in the 指标数据类型 column, type in 备注)
        (P1, "产出指标", "数量指标", "开展宣传次数", "≥3次", "5", "次", "定量"),
    ], [], id="drift-right-labels-carried"),
    pytest.param((10, 15, 16), [
        (P1, "满意度指标", "服务对象满意度指标", "参保对象满意度", "1.00", "1.00", "%", "定量"),
        (P1, "满意度指标", "质量指标", "督导覆盖率", "≥90%", "100%", "%", "定量"),
        # the 三级 drifted two cells left into the 一级 column
        (P1, "满意度指标", "质量指标", "征缴覆盖率", "≥90%", "95%", "%", "定量"),
    ], ["label_conflict"], id="drift-left-level3-in-level1-column"),
    pytest.param((10, 18), [
        (P1, "满意度指标", "服务对象满意度指标", "参保对象满意度", "1.00", "1.00", "%", "定量"),
        (P1, "成本指标", "经济成本指标", "宣传支出", "≤20万元", "15", "万元", "定量"),
    ], [], id="cost-row-unit-wanyuan"),
    pytest.param((19, 20), [
        (P2, "产出指标", "数量指标", "兑付病人人次", "4.6万人次", "5.15", "万人次", "定量"),
        # 时效指标 stands in the 三级 column: it is the 二级, the next text the 三级
        (P2, "产出指标", "时效指标", "2022年全年", "1年", "1", "年", "定性"),
    ], [], id="level2-in-level3-column"),
    pytest.param((19, 21, 22), [
        (P2, "产出指标", "数量指标", "兑付病人人次", "4.6万人次", "5.15", "万人次", "定量"),
        # kept as published: 一级 成本指标 over 二级 质量指标 (a contradiction for dbt)
        (P2, "成本指标", "质量指标", "补偿兑付医疗费用", "正常", "1", "年", "定性"),
        (P2, "成本指标", "经济成本指标", "补偿兑付医疗费用", "3997.5", "397.5", "万元", "定量"),
    ], ["label_conflict"], id="contradictory-labels-kept"),
    pytest.param((34, 38, 39), [
        ("1:打击欺诈骗保工作经费", "产出指标", "数量指标", "定点医疗机构、药店", "103家", "103", "家", "定量"),
        ("1:打击欺诈骗保工作经费", "产出指标", "生态效益指标", "参保对象满意度", "99%", "100%", "%", "定量"),
        # a row starting in the first column without a code continues the project
        ("1:打击欺诈骗保工作经费", "满意度指标", "服务对象满意度指标", "群众满意度", "99%", "100%", "%", "定量"),
    ], ["label_conflict"], id="row-in-first-column-continues-project"),
    pytest.param((55, 57, 58), [
        ("1:特殊病种门诊专家评审", "产出指标", "数量指标", "定点医疗机构、药店", "103家", "103", "家", "定量"),
        ("1:特殊病种门诊专家评审", "满意度指标", "服务对象满意度指标", "参保对象满意度", "99%", "99%", "%", "定量"),
        ("1:特殊病种门诊专家评审", "满意度指标", "服务对象满意度指标", "参保对象满意度", "99%", "99%", "%", "定量"),
    ], ["duplicate_row"], id="duplicate-row-kept-and-flagged"),
    pytest.param((61, 64, 65), [
        ("1:脱贫不稳定对象、残疾人、计生特扶参合补助", "产出指标", "数量指标", "一、二级残疾", "9335人", "9335", "人", "定量"),
        # 成本指标 → 成本指标 → 时效指标: the last level name before the 三级 is the 二级
        ("1:脱贫不稳定对象、残疾人、计生特扶参合补助", "成本指标", "时效指标", "任务完成时间", "2022年12月31日前", "1", "年", "定性"),
        ("1:脱贫不稳定对象、残疾人、计生特扶参合补助", "成本指标", "经济成本指标", "不超过当年预算", "496.5", None, "万元", "定量"),
    ], ["label_conflict"], id="extra-label-cell-last-is-level2"),
]


@pytest.mark.parametrize("line_nos,expected,issue_codes", PROJECT_CASES)
def test_project_rows(line_nos, expected, issue_codes):
    p = _project(*line_nos)
    assert _targets(p) == expected
    codes = [i.code for i in p.issues if i.code not in _EXPECTED_WARNINGS_OF_SNIPPETS]
    assert codes == issue_codes
    assert all(t.horizon == "annual" and t.entity_code == "302001" for t in p.targets)


def test_department_line_and_project_rows():
    p = _project(9, 10, 11, 19)
    assert [(e.unit_code, e.entity_name, e.source_line) for e in p.entities] == [
        ("302", "湘阴县医疗保障局", 7), ("302001", "湘阴县医疗保障局", 8)]
    assert (p.department_name, p.unit_code) == ("湘阴县医疗保障局", "302")
    got = [(b.source_line, b.entity_code, b.line_item, b.measure, b.published_amount, b.is_total_line, b.project_key)
           for b in p.budget_lines]
    assert got == [
        (7, "302", "湘阴县医疗保障局", "total", "5294", True, None),
        (8, "302001", "城乡居民医保基金征缴工作", "total", "50", False, "1:城乡居民医保基金征缴工作"),
        (10, "302001", "城乡居民医疗保险县镇配套", "total", "3997.5", False, "2:城乡居民医疗保险县镇配套"),
    ]
    assert {(b.statement, b.published_unit, b.table_title, b.column_label) for b in p.budget_lines} == {
        ("project_budget", "万元", "项目支出绩效目标表", "资金总额")}
    assert [(x.project_key, x.entity_code, x.project_name, x.goal_midterm, x.source_line) for x in p.projects] == [
        ("1:城乡居民医保基金征缴工作", "302001", "城乡居民医保基金征缴工作", "为切实保障2022年城乡居民医保参保缴费工作的顺利开展", 8),
        ("2:城乡居民医疗保险县镇配套", "302001", "城乡居民医疗保险县镇配套", "湘阴县城乡居民医疗保险县镇配套", 10),
    ]
    # 302001 is never named with its code in this snippet: the department's name stands in
    assert {x.entity_name for x in p.projects} == {"湘阴县医疗保障局"}
    assert [(i.code, i.source_line) for i in p.issues] == [("unit_assumed", 1), ("entity_name_assumed", 8)]
    assert [t.source_line for t in p.targets] == [8, 9, 10]


def test_unit_assumed_unless_declared():
    p = _project(9)
    assert p.published_unit == "万元"
    (issue,) = [i for i in p.issues if i.code == "unit_assumed"]
    assert issue.severity == "warning" and "万元" in issue.message and "单位" in issue.message
    # the same snippet with a declared unit under the title (edited copy)
    p = parse(_lines(PROJECT_HEAD.replace("项目支出绩效目标表\n", "项目支出绩效目标表\n单位：元") + "\n" + ROW[9]))
    assert p.published_unit == "元"
    assert not [i for i in p.issues if i.code == "unit_assumed"]
    assert [(b.published_amount, b.published_unit, b.table_title) for b in p.budget_lines] == [
        ("5294", "元", "项目支出绩效目标表")]


# --------------------------------------------------------------------------
# 整体支出绩效目标表
# --------------------------------------------------------------------------


def test_overall_table():
    p = parse(_lines(OVERALL))
    assert p.doc_kinds == ["overall_targets"]
    assert [(b.line_item, b.measure, b.published_amount, b.column_label) for b in p.budget_lines] == [
        ("资金总额", "total", "5902.04", "资金总额"),
        ("一般公共预算", "general_budget", "5902.04", "一般公共预算"),
        ("基本支出", "basic", "608.04", "基本支出"),
        ("项目支出", "project", "5294", "项目支出"),
    ]
    assert {(b.statement, b.entity_code, b.entity_name, b.source_line, b.published_unit, b.table_title)
            for b in p.budget_lines} == {("overall_budget", "302001", "湘阴县医疗保障局", 8, "万元", "整体支出绩效目标表")}
    assert [(t.source_line, t.level1_published, t.level2_published, t.level3, t.value_type_published,
             t.target_text, t.unit_published) for t in p.targets] == [
        (8, "产出指标", "数量指标", "城乡居民医保参保人数", "定量", "579242", "人"),
        (9, "产出指标", "质量指标", "参保率(≥100%)", "定量", "100%", "%"),
        (10, "产出指标", "时效指标", "及时率(≥100%)", "定量", "100%", "%"),
        (11, "成本指标", None, "城乡居民医保县级配套", "定量", "3997.5", "万元"),
        (12, "效益指标", "社会效益指标", "补偿兑付医疗费用", "定性", "及时", None),
        # '定量' in the 计量单位 cell: a 定量/定性 token is never a unit
        (13, "满意度指标", "服务对象满意度指标", "参保对象满意度", "定量", "100%", None),
    ]
    assert all(t.project_key is None and t.entity_code == "302001" and t.horizon == "annual" for t in p.targets)
    assert all(t.value_content_published is None for t in p.targets)
    assert [(i.code, i.source_line) for i in p.issues] == [("unit_assumed", 1), ("cell_misplaced", 13)]


# --------------------------------------------------------------------------
# 三公 table
# --------------------------------------------------------------------------


def test_three_public_table():
    p = parse(_lines(THREE_PUBLIC))
    assert p.doc_kinds == ["three_public"] and p.fiscal_year == 2022
    got = [(b.source_line, b.entity_code, b.line_item, b.published_amount, b.is_total_line) for b in p.budget_lines]
    assert got == [
        # the 合计 row: the department's (the 3-digit code in the table), every cell a total
        (8, "302", "合计", "6.36", True),
        (8, "302", "公务接待费", "5.00", True),
        (8, "302", "其他交通费用", "1.36", True),
        (9, "302", "合计", "6.36", True),
        (9, "302", "公务接待费", "5.00", False),
        (9, "302", "其他交通费用", "1.36", False),
        (10, "302001", "合计", "6.36", True),
        (10, "302001", "公务接待费", "5.00", False),
        (10, "302001", "其他交通费用", "1.36", False),
    ]
    for b in p.budget_lines:
        assert (b.statement, b.measure, b.column_label, b.published_unit) == ("three_public", "total", b.line_item, "万元")
        assert b.entity_name == "湘阴县医疗保障局" and b.value_line == b.source_line
        assert b.table_title == "2022年“三公”经费预算情况表"
    assert [(e.unit_code, e.source_line) for e in p.entities] == [("302", 9), ("302001", 10)]
    assert [i.code for i in p.issues] == ["unit_assumed"]


def test_three_public_header_in_one_row():
    # edited copy: the two header rows merged into one (key columns and items side by side)
    snippet = THREE_PUBLIC.replace(
        "单位代码→单位名称→2022年“三公”经费预算支出→→→→→→\n→→合计",
        "单位代码→单位名称→合计")
    p = parse(_lines(snippet))
    assert [(b.source_line, b.entity_code, b.line_item, b.published_amount) for b in p.budget_lines] == [
        (7, "302", "合计", "6.36"), (7, "302", "公务接待费", "5.00"), (7, "302", "其他交通费用", "1.36"),
        (8, "302", "合计", "6.36"), (8, "302", "公务接待费", "5.00"), (8, "302", "其他交通费用", "1.36"),
        (9, "302001", "合计", "6.36"), (9, "302001", "公务接待费", "5.00"), (9, "302001", "其他交通费用", "1.36"),
    ]


# --------------------------------------------------------------------------
# the whole of 003
# --------------------------------------------------------------------------

PROJECT_NAMES = [
    "城乡居民医保基金征缴工作", "城乡居民医疗保险县镇配套", "城乡医疗救助", "打击欺诈骗保工作经费", "公务员补充医疗",
    "离休人员医疗保障金", "欺诈骗保行为举报奖励资金", "特殊病种门诊专家评审", "脱贫不稳定对象、残疾人、计生特扶参合补助",
]


def test_003_header(f003):
    assert f003.layouts == ["tsv_targets"]
    assert f003.doc_kinds == ["project_targets", "overall_targets", "three_public"]
    assert f003.fiscal_year == 2022
    assert f003.published_unit == "万元"
    assert (f003.department_name, f003.unit_code) == ("湘阴县医疗保障局", "302")
    assert [(e.unit_code, e.entity_name, e.source_line) for e in f003.entities] == [
        ("302", "湘阴县医疗保障局", 9), ("302001", "湘阴县医疗保障局", 74)]


def test_003_projects_and_amounts(f003):
    assert [p.project_name for p in f003.projects] == PROJECT_NAMES
    assert [p.source_line for p in f003.projects] == [10, 19, 25, 34, 40, 46, 52, 55, 61]
    assert {(p.entity_code, p.entity_name) for p in f003.projects} == {("302001", "湘阴县医疗保障局")}
    assert len({p.project_key for p in f003.projects}) == 9
    lines = [b for b in f003.budget_lines if b.statement == "project_budget"]
    (dept,) = [b for b in lines if b.project_key is None]
    assert (dept.entity_code, dept.line_item, dept.published_amount, dept.is_total_line, dept.source_line) == (
        "302", "湘阴县医疗保障局", "5294", True, 9)
    projects = [b for b in lines if b.project_key is not None]
    assert [b.published_amount for b in projects] == ["50", "3997.5", "300", "30", "200", "200", "10", "10", "496.5"]
    assert sum(parse_amount(b.published_amount) for b in projects) == Decimal("5294") == parse_amount(dept.published_amount)
    (overall_project,) = [b for b in f003.budget_lines if b.statement == "overall_budget" and b.measure == "project"]
    assert parse_amount(overall_project.published_amount) == Decimal("5294")
    assert Counter(b.statement for b in f003.budget_lines) == {"project_budget": 10, "overall_budget": 4, "three_public": 9}
    assert {b.published_unit for b in f003.budget_lines} == {"万元"}


def test_003_targets(f003):
    # Counted by hand, one target per indicator row of 003 (blank lines 33 and 60 are no rows):
    #   项目表: 10-18 (9), 19-24 (6), 25-32 (8), 34-39 (6), 40-45 (6), 46-51 (6), 52-54 (3),
    #           55-59 (5, line 58 repeats 57), 61-65 (5)  → 54
    #   整体表: 74-79 → 6
    assert len(f003.targets) == 60
    by_project = Counter(t.project_key.split(":")[0] if t.project_key else None for t in f003.targets)
    assert by_project == {"1": 9, "2": 6, "3": 8, "4": 6, "5": 6, "6": 6, "7": 3, "8": 5, "9": 5, None: 6}
    assert {t.horizon for t in f003.targets} == {"annual"}
    assert {t.entity_code for t in f003.targets} == {"302001"}
    assert {t.value_type_published for t in f003.targets} == {"定量", "定性"}
    assert {t.unit_published for t in f003.targets} == {"%", "人", "人次", "万人次", "次", "套", "年", "家", "万元", None}
    (ad,) = [t for t in f003.targets if t.level3 == "宣传支出"]
    assert (ad.target_text, ad.unit_published, ad.level1_published, ad.level2_published, ad.value_content_published,
            ad.source_line) == ("≤20万元", "万元", "成本指标", "经济成本指标", "15", 18)
    # the row after 生态效益指标 (line 39) belongs to 打击欺诈骗保工作经费
    (crowd,) = [t for t in f003.targets if t.source_line == 39]
    assert crowd.project_key == "4:打击欺诈骗保工作经费" and crowd.level3 == "群众满意度"
    # per project (产出/效益/满意度/成本): P1 6/1/1/1, P2 2/1/1/2, P3 2/2/2/2, P4 5/0/1/0, P5 3/1/1/1,
    # P6 3/1/1/1, P7 2/0/1/0, P8 2/0/3/0, P9 3/0/0/2, 整体 3/1/1/1
    assert Counter(t.level1_published for t in f003.targets) == {
        "产出指标": 31, "效益指标": 7, "满意度指标": 12, "成本指标": 10}


def test_003_three_public(f003):
    rows = {}
    for b in f003.budget_lines:
        if b.statement == "three_public":
            rows.setdefault(b.source_line, {})[b.line_item] = parse_amount(b.published_amount)
    assert sorted(rows) == [88, 89, 90]
    for items in rows.values():
        assert items == {"合计": Decimal("6.36"), "公务接待费": Decimal("5.00"), "其他交通费用": Decimal("1.36")}
        assert items["合计"] == items["公务接待费"] + items["其他交通费用"]


def test_003_issues(f003):
    assert Counter(i.code for i in f003.issues) == {
        "unit_assumed": 1,
        "label_conflict": 6,  # lines 21, 27, 29, 37, 38, 64
        "duplicate_row": 1,  # line 58
        "cell_misplaced": 1,  # line 79 ('定量' as 计量单位)
    }
    assert sorted(i.source_line for i in f003.issues if i.code == "label_conflict") == [21, 27, 29, 37, 38, 64]
    assert {i.severity for i in f003.issues} == {"warning"}


# --------------------------------------------------------------------------
# robustness
# --------------------------------------------------------------------------


def test_parse_empty_input():
    for lines in ([], [""], ("",) * 5):
        p = parse(lines)
        assert p.targets == [] and p.budget_lines == [] and p.projects == [] and p.entities == []
        assert p.layouts == ["tsv_targets"]


_FRAGMENTS = [
    "单位代码", "单位编码", "单位名称", "资金总额", "三级指标", "一级指标", "指标值", "公务接待费", "合计", "“三公”",
    "302", "302001", "5294", "6.36", "", "", "产出指标", "成本指标", "时效指标", "定量", "定性", "%", "万元",
    "整体绩效目标", "一般公共预算", "项目支出", "**", "1", "2", "单位：元",
]
_RANDOM_LINES = st.lists(
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=12), max_size=14).map("\t".join)
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
