"""Unit tests for loaders.parsers.word_targets (Word-table 绩效目标表).

Snippets are copied from the sample filings; in them ``→`` stands for the tab
that starts every table cell (converted back by ``_lines``). Whole-file tests
read data/filings/000, 002 and 004 and assert exact counts and values.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.parsers import word_targets
from loaders.parsers.word_targets import matches, parse, strip_field_code

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
def parsed():
    cache = {}

    def get(name: str):
        if name not in cache:
            lines = _filing(name)
            cache[name] = (lines, parse(lines))
        return cache[name]

    return get


# --------------------------------------------------------------------------
# snippets (real text from the filings)
# --------------------------------------------------------------------------

# 000 lines 157-221: one whole project table (field-coded heading, 单位：元,
# 项目编码, 预算规模, 资金用途, 资金支出计划 with three blank months, goal, indicators).
SNIPPET_000_TABLE = """\
1、城乡居民基本医疗保险代办员补助资金绩效目标表 TC 1、城乡居民基本医疗保险代办员补助资金绩效目标表 \\f C \\l 1 
→450002顺平县医疗保障局
→单位：元

→项目编码
→450-0201-JXN-2T53
→项目名称
→城乡居民基本医疗保险代办员补助资金

→预算规模及资金用途
→预算数
→90100.00
→其中：财政资金
→90100.00
→其他资金
→

→
→用于城乡居民医疗保险村级代办员补助

→资金支出计划（%）
→3月底
→6月底
→10月底
→12月底

→
→
→
→
→100.00

→绩效目标
→1、确保城乡居民参保率100%


→一级指标
→二级指标
→三级指标
→绩效指标描述
→指标值
→指标值确定依据

→产出指标
→数量指标
→农村人口参加医疗保险率
→城乡居民参保率100%
→≥100%
→上级政策文件

→效果指标
→社会效益指标
→政策知晓率
→参保居民政策知晓率
→≥90%
→上级文件政策

→满意度指标
→服务对象满意度指标
→受益人口满意度
→参保群众满意度
→≥90%
→上级文件政策

"""

# 000 lines 287-359 (project 3): the goal cell continues after a blank line
# ('2、提高困难群众的满意度。' without a leading tab); a merged 一级 cell; a blank 指标值.
SNIPPET_000_GOAL_CONTINUES = """\
3、城乡居民建档立卡患者医疗保障救助县级补助资金绩效目标表 TC 3、城乡居民建档立卡患者医疗保障救助县级补助资金绩效目标表 \\f C \\l 1 
→450002顺平县医疗保障局
→单位：元

→项目编码
→450-0203-JZN-E1NW
→项目名称
→城乡居民建档立卡患者医疗保障救助县级补助资金

→绩效目标
→1、保证城乡医疗救助正常开展。

2、提高困难群众的满意度。


→一级指标
→二级指标
→三级指标
→绩效指标描述
→指标值
→指标值确定依据

→产出指标
→质量指标
→资金发放到位率（%）
→保险资金待遇按时足额发放人数占应发放人数的比率
→≥95
→根据上级文件或方案

→
→质量指标
→参保率（%）
→已参保人数占应参保人数的比率
→
→根据上级文件或方案

→效果指标
→经济效益指标
→社会保险报销及时率（%）
→社会保险报销事项实际在规定时间内及时办结的件数占应在规定时间内及时办结的件数的比率
→≥90
→根据上级文件或方案

→满意度指标
→服务对象满意度指标
→服务对象满意度
→报销人员对医疗保障部门的满意程度
→≥90
→根据上级文件或方案

"""

# 000 lines 1036-1047 (project 13): spending plan with only 3月底 published.
SNIPPET_000_PLAN_FIRST_ONLY = """\
→资金支出计划（%）
→3月底
→6月底
→10月底
→12月底

→
→100.00
→
→
→
"""

# 000 lines 242-253 (project 2): all four months published.
SNIPPET_000_PLAN_ALL = """\
→资金支出计划（%）
→3月底
→6月底
→10月底
→12月底

→
→25.00
→50.00
→75.00
→100.00
"""

# 002 lines 2343-2404: 'N、XXX绩效目标表' + 绩效目标 (continuation lines) + 7 indicator rows.
SNIPPET_002_TABLE = """\
9、困难企业职工医疗绩效目标表
→绩效目标
→1.保障困难单位按时、足额享受职工医疗。
2.享受补助覆盖面应到达100%。


→一级指标
→二级指标
→三级指标
→绩效指标描述
→指标值
→指标值确定依据

→产出指标
→数量指标
→补助个人数量
→补助的人数
→>80人
→工作安排

→
→质量指标
→综合业务管理工作完成率
→综合业务管理工作完成情况
→≥95%
→工作安排

→
→时效指标
→补助资金拨付及时性
→补助资金拨付及时性
→及时拨付
→工作安排

→
→成本指标
→是否按政策规定拨付
→是否按补助政策规定拨付
→是
→工作安排

→效益指标
→社会效益指标
→补助人群生活改善情况
→补助人群在生活、医疗、护理、教育等方面的改善情况
→有效改善
→工作安排

→
→社会效益指标
→享受保险基金补助覆盖面（%）
→实际享受各类保险基金补助人数占应享受保险基金补助人数的比率
→≥88%
→工作安排

→满意度指标
→服务对象满意度指标
→受益对象满意度(%)
→满意和较满意的受益对象占全部调研对象的比例
→≥90%
→工作安排

"""

# 002 entity rows: department part (line 1711) and unit part (lines 2687-2692).
SNIPPET_002_DEPT_ENTITY = """\
部门预算财政拨款“三公”经费支出表
→450新乐市医疗保障局
→预算年度：2021
→单位：万元

"""
SNIPPET_002_UNIT_ENTITY = """\
第二部分  部门所属单位预算
一、新乐市医疗保障局本级收支预算
单位预算收支总表
→450001新乐市医疗保障局本级
→预算年度：2021
→单位：万元

"""
# 002 lines 2539-2552 (table 12, first rows) — appears in both parts.
SNIPPET_002_SHORT_TABLE = """\
五、预算绩效信息
12、长期护理保险财政补助绩效目标表
→绩效目标
→1.重点解决重度失能人员基本生活照料和与基本生活密切相关的医疗护理等所需费用和服务保障问题
2. 探索与我市经济社会发展相适应的长护险制度


→一级指标
→二级指标
→三级指标
→绩效指标描述
→指标值
→指标值确定依据

→产出指标
→数量指标
→居民参加长护险人数
→居民参加长护险人数
→>420000人
→工作安排

"""

# 002 lines 1851-1876: the prose 分项绩效目标 section.
SNIPPET_002_SUB_GOALS = """\
（二）分项绩效目标

1.强力实施全民参保计划

绩效目标：确保上级任务目标完成

绩效指标：参保率达到90%以上

2.实行城乡居民医保市级统筹。

绩效目标：实行城乡居民医保市级统筹，提高医保基金抗风险能力
绩效指标：完成城乡居民医保石家庄市级统筹，实行居民医保基金统收统支
3.推进居民医保门诊统筹，实现统筹区内无异地。

绩效目标：全面实现统筹区内无异地
绩效指标：建立居民医保普通病门诊统筹制度，我市居民在石家庄市域内医疗机构就医，无需备案，发生的医疗费按规定直接结算
4.严厉打击欺诈骗保。

绩效目标：严厉打击各类欺诈骗保行为，切实维护医保基金安全

绩效指标：对定点医药机构检查率达到100%，对发现违规行为处理率达到100%，确保我市各定点医药机构不出现恶性骗保案件。
5.跟进落实国家药品耗材集中采购政策，深化药品与耗材集中采购机制改革。

绩效目标：药品医用耗材集中采购及时跟进，采购规范有序
绩效指标：国家和省组织药品耗材集中采购全部跟进。
（三）工作保障措施
2021年工作保障措施

1.强力实施全民参保计划，确保任务目标完成。一是加大政策宣传力度，提高医保政策知晓率。
"""

# 004 lines 1-24: 部门名称 and the 年度预算申请 block (label：amount inside multi-line cells).
SNIPPET_004_HEAD = """\
附件3
部门整体支出绩效目标申报表
（ 2021年度）
填报单位（盖章）：→                       单位负责人（签名）：
→部门名称
→衡东县医疗保障局

→年度预算申请
（万元）
→资金总额：  834.02万元

→
→按收入性质分
→按支出性质分

→
→其中：公共财政拨款：834.02

→其中：
基本支出：728.02万元
项目支出：106万元



→部门职能职责概述
→1、贯彻执行国家、省、市、县有关医疗保险、生育保险、医疗救助(以下统称医疗保障)的法律法规和政策规定，拟订全县医疗保障相关政策、规划、标准、办法并组织实施。

"""

# 004 lines 44-62 and 207-242: 5-cell indicator rows; blank 一级 for the 产出 block;
# the 全民参保率 row split by a stray blank line.
SNIPPET_004_INDICATORS = """\
部门整体支出绩效目标申报表
→部门名称
→衡东县医疗保障局

→部门整体支出
年度绩效指标
→一级指标
→二级指标
→三级指标
→指标值及单位

→
→
→数量指标
→财政供养人员
→72人

→
→
→
→部门单位履职、运转
→予以保障

→
→
→
→医保系统网络维护费用
→≦25万元

→
→
→
→城乡居民医保高血压、糖尿病门诊用药保障费用
→≦8万元

→
→效益指标
→社会效益指标

→全民参保率
→≧95%

→
→
→
→建档立卡贫困参保率
→100%

→
→
→
→处理欺诈骗保线索率
→100%

→
→满意度指标
→服务对象满意度指标
→服务及监管对象满意度
→≧90%
"""


# --------------------------------------------------------------------------
# rules on snippets
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, expected",
    [
        (
            "1、城乡居民基本医疗保险代办员补助资金绩效目标表 TC 1、城乡居民基本医疗保险代办员补助资金绩效目标表 \\f C \\l 1 ",
            "1、城乡居民基本医疗保险代办员补助资金绩效目标表",
        ),
        (
            "9、冀财社【2019】105号 河北省财政厅关于提前下达2020年省级财政城乡居民医保村级代办员补助资金绩效目标表 TC 9、冀财社【2019】105号 河北省财政厅关于提前下达2020年省级财政城乡居民医保村级代办员补助资金绩效目标表 \\f C \\l 1 ",
            "9、冀财社【2019】105号 河北省财政厅关于提前下达2020年省级财政城乡居民医保村级代办员补助资金绩效目标表",
        ),
        ("一、总体绩效目标 TC 总体绩效目标 \\f A \\l 1 ", "一、总体绩效目标"),
        ("1、医疗保障经办工作经费绩效目标表", "1、医疗保障经办工作经费绩效目标表"),
    ],
)
def test_word_field_code_is_stripped(heading, expected):
    assert strip_field_code(heading) == expected


def test_000_table_title_without_field_code_and_project_fields():
    result = parse(_lines(SNIPPET_000_TABLE))
    assert [(e.unit_code, e.entity_name) for e in result.entities] == [("450002", "顺平县医疗保障局")]
    (project,) = result.projects
    assert project.title == "1、城乡居民基本医疗保险代办员补助资金绩效目标表"
    assert project.project_code == "450-0201-JXN-2T53"
    assert project.project_name == "城乡居民基本医疗保险代办员补助资金"
    assert project.entity_code == "450002"
    assert project.purpose == "用于城乡居民医疗保险村级代办员补助"
    assert project.goal_annual == "1、确保城乡居民参保率100%"
    assert result.published_unit == "元"
    assert result.doc_kinds == ["project_targets"]
    assert result.layouts == [word_targets.NAME]


def test_000_budget_row_amounts_and_blank_other_funds():
    lines = _lines(SNIPPET_000_TABLE)
    result = parse(lines)
    got = [(b.line_item, b.measure, b.published_amount, b.published_unit, b.source_line, b.value_line)
           for b in result.budget_lines]
    # 其他资金 is blank: no record
    assert got == [
        ("预算数", "total", "90100.00", "元", 10, 12),
        ("其中：财政资金", "fiscal_appropriation", "90100.00", "元", 10, 14),
    ]
    for b in result.budget_lines:
        assert b.statement == "project_budget"
        assert b.project_key == result.projects[0].project_key
        assert lines[b.source_line - 1].strip() == "预算规模及资金用途"
        assert b.published_amount in lines[b.value_line - 1]


@pytest.mark.parametrize(
    "snippet, expected",
    [
        (SNIPPET_000_PLAN_FIRST_ONLY, [("3月底", 3, "100.00", 8)]),
        (
            SNIPPET_000_PLAN_ALL,
            [("3月底", 3, "25.00", 8), ("6月底", 6, "50.00", 9), ("10月底", 10, "75.00", 10),
             ("12月底", 12, "100.00", 11)],
        ),
        (SNIPPET_000_TABLE.split("→绩效目标")[0], [("12月底", 12, "100.00", 31)]),
    ],
)
def test_spending_plan_blank_cells_are_no_record(snippet, expected):
    heading = "" if snippet.startswith("1、") else (
        "1、城乡居民基本医疗保险代办员补助资金绩效目标表\n→450002顺平县医疗保障局\n→单位：元\n\n"
        "→项目编码\n→450-0201-JXN-2T53\n→项目名称\n→城乡居民基本医疗保险代办员补助资金\n\n"
    )
    offset = heading.count("\n")
    result = parse(_lines(heading + snippet))
    got = [(s.period, s.period_month, s.published_percent, s.value_line - offset) for s in result.spending_plans]
    assert got == expected
    assert all(s.project_key == result.projects[0].project_key for s in result.spending_plans)


def test_goal_continues_after_blank_line_and_is_not_a_heading():
    result = parse(_lines(SNIPPET_000_GOAL_CONTINUES))
    (project,) = result.projects
    assert project.goal_annual == "1、保证城乡医疗救助正常开展。\n2、提高困难群众的满意度。"
    assert project.title == "3、城乡居民建档立卡患者医疗保障救助县级补助资金绩效目标表"
    assert len(result.targets) == 4


@pytest.mark.parametrize(
    "snippet, expected",
    [
        (
            SNIPPET_000_GOAL_CONTINUES,
            [
                ("产出指标", "质量指标", "资金发放到位率（%）", "≥95"),
                ("产出指标", "质量指标", "参保率（%）", ""),  # merged 一级; blank 指标值 kept
                ("效果指标", "经济效益指标", "社会保险报销及时率（%）", "≥90"),
                ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90"),
            ],
        ),
        (
            SNIPPET_002_TABLE,
            [
                ("产出指标", "数量指标", "补助个人数量", ">80人"),
                ("产出指标", "质量指标", "综合业务管理工作完成率", "≥95%"),
                ("产出指标", "时效指标", "补助资金拨付及时性", "及时拨付"),
                ("产出指标", "成本指标", "是否按政策规定拨付", "是"),
                ("效益指标", "社会效益指标", "补助人群生活改善情况", "有效改善"),
                ("效益指标", "社会效益指标", "享受保险基金补助覆盖面（%）", "≥88%"),
                ("满意度指标", "服务对象满意度指标", "受益对象满意度(%)", "≥90%"),
            ],
        ),
        (
            SNIPPET_004_INDICATORS,
            [
                (None, "数量指标", "财政供养人员", "72人"),  # 一级 never named: None
                (None, "数量指标", "部门单位履职、运转", "予以保障"),
                (None, "数量指标", "医保系统网络维护费用", "≦25万元"),
                (None, "数量指标", "城乡居民医保高血压、糖尿病门诊用药保障费用", "≦8万元"),
                ("效益指标", "社会效益指标", "全民参保率", "≧95%"),  # split row re-joined
                ("效益指标", "社会效益指标", "建档立卡贫困参保率", "100%"),
                ("效益指标", "社会效益指标", "处理欺诈骗保线索率", "100%"),
                ("满意度指标", "服务对象满意度指标", "服务及监管对象满意度", "≧90%"),
            ],
        ),
    ],
    ids=["000-merged-and-blank-value", "002-carry-down", "004-blank-level1-and-split-row"],
)
def test_merged_cells_carry_down_within_a_table(snippet, expected):
    result = parse(_lines(snippet))
    got = [(t.level1_published, t.level2_published, t.level3, t.target_text) for t in result.targets]
    assert got == expected
    assert all(t.horizon == "annual" for t in result.targets)


def test_blank_target_value_is_kept_with_its_line():
    lines = _lines(SNIPPET_000_GOAL_CONTINUES)
    result = parse(lines)
    blank = [t for t in result.targets if t.target_text == ""]
    assert len(blank) == 1
    (t,) = blank
    assert t.description == "已参保人数占应参保人数的比率"
    assert t.basis == "根据上级文件或方案"
    assert lines[t.source_line - 1] == "\t"  # the row's first (merged, blank) cell
    assert lines[t.value_line - 1] == "\t"  # the blank 指标值 cell


def test_split_row_is_merged_with_provenance():
    lines = _lines(SNIPPET_004_INDICATORS)
    result = parse(lines)
    (t,) = [t for t in result.targets if t.level3 == "全民参保率"]
    assert lines[t.source_line - 1] == "\t"  # the row's first cell, before the stray blank line
    assert lines[t.source_line] == "\t效益指标"
    assert lines[t.value_line - 1] == "\t≧95%"
    assert t.project_key is None
    assert t.entity_name == "衡东县医疗保障局" and t.entity_code is None
    assert result.doc_kinds == ["overall_targets"]


def test_002_project_from_heading():
    result = parse(_lines(SNIPPET_002_TABLE))
    (project,) = result.projects
    assert project.project_name == "困难企业职工医疗"
    assert project.title == "9、困难企业职工医疗绩效目标表"
    assert project.project_code is None
    assert project.goal_annual == "1.保障困难单位按时、足额享受职工医疗。\n2.享受补助覆盖面应到达100%。"
    assert result.budget_lines == [] and result.spending_plans == []
    # no entity row precedes the snippet: the parser says so
    assert any(i.code == "entity_unknown" for i in result.issues)


def test_002_entity_switches_between_parts():
    text = (SNIPPET_002_DEPT_ENTITY + SNIPPET_002_SHORT_TABLE + "六、政府采购预算情况\n"
            + SNIPPET_002_UNIT_ENTITY + SNIPPET_002_SHORT_TABLE)
    result = parse(_lines(text))
    assert [(e.unit_code, e.entity_name) for e in result.entities] == [
        ("450", "新乐市医疗保障局"),
        ("450001", "新乐市医疗保障局本级"),
    ]
    dept, unit = result.projects
    assert dept.project_name == unit.project_name == "长期护理保险财政补助"
    assert (dept.entity_code, unit.entity_code) == ("450", "450001")
    assert dept.project_key != unit.project_key
    assert [(t.entity_code, t.project_key) for t in result.targets] == [
        ("450", dept.project_key), ("450001", unit.project_key)]
    assert result.department_name == "新乐市医疗保障局" and result.unit_code == "450"
    # the entity rows are statements: no budget lines for them
    assert result.budget_lines == []
    assert result.published_unit is None


@pytest.mark.parametrize(
    "index, level3, target_text, description",
    [
        (0, "强力实施全民参保计划", "参保率达到90%以上", "确保上级任务目标完成"),
        (1, "实行城乡居民医保市级统筹", "完成城乡居民医保石家庄市级统筹，实行居民医保基金统收统支",
         "实行城乡居民医保市级统筹，提高医保基金抗风险能力"),
        (3, "严厉打击欺诈骗保",
         "对定点医药机构检查率达到100%，对发现违规行为处理率达到100%，确保我市各定点医药机构不出现恶性骗保案件。",
         "严厉打击各类欺诈骗保行为，切实维护医保基金安全"),
        (4, "跟进落实国家药品耗材集中采购政策，深化药品与耗材集中采购机制改革",
         "国家和省组织药品耗材集中采购全部跟进。", "药品医用耗材集中采购及时跟进，采购规范有序"),
    ],
)
def test_002_sub_goal_prose_gives_department_targets(index, level3, target_text, description):
    lines = _lines(SNIPPET_002_DEPT_ENTITY + SNIPPET_002_SUB_GOALS)
    result = parse(lines)
    assert len(result.targets) == 5  # nothing read from the 工作保障措施 that follows
    t = result.targets[index]
    assert (t.level3, t.target_text, t.description) == (level3, target_text, description)
    assert t.project_key is None and t.horizon == "annual"
    assert t.level1_published is None and t.level2_published is None
    assert t.entity_code == "450"
    assert lines[t.source_line - 1].startswith("绩效指标：")
    assert result.doc_kinds == ["overall_targets"]


@pytest.mark.parametrize(
    "line_item, measure, amount, line_text",
    [
        ("资金总额", "total", "834.02", "\t资金总额：  834.02万元"),
        ("公共财政拨款", "general_budget", "834.02", "\t其中：公共财政拨款：834.02"),
        ("基本支出", "basic", "728.02", "基本支出：728.02万元"),
        ("项目支出", "project", "106", "项目支出：106万元"),
    ],
)
def test_004_label_amount_pairs(line_item, measure, amount, line_text):
    lines = _lines(SNIPPET_004_HEAD)
    result = parse(lines)
    assert len(result.budget_lines) == 4
    (b,) = [b for b in result.budget_lines if b.line_item == line_item]
    assert (b.measure, b.published_amount, b.published_unit) == (measure, amount, "万元")
    assert b.statement == "overall_budget" and b.project_key is None
    assert b.source_line == b.value_line
    assert lines[b.value_line - 1] == line_text
    assert b.entity_name == "衡东县医疗保障局"
    assert result.published_unit == "万元"
    assert result.fiscal_year == 2021


def test_004_amount_pairs_only_inside_the_budget_block():
    # the same 'label：amount' text outside a 年度预算申请 block is not an amount
    lines = _lines("→部门职能职责概述\n→资金总额：  834.02万元\n")
    assert parse(lines).budget_lines == []


# --------------------------------------------------------------------------
# whole files
# --------------------------------------------------------------------------


def test_000_whole_file(parsed):
    lines, result = parsed(F000)
    assert result.doc_kinds == ["project_targets"]
    assert result.layouts == ["word_targets"]
    assert result.fiscal_year == 2020
    assert result.published_unit == "元"
    assert (result.department_name, result.unit_code) == ("顺平县医疗保障局", "450002")
    assert [(e.unit_code, e.entity_name) for e in result.entities] == [("450002", "顺平县医疗保障局")]
    assert result.issues == []

    assert len(result.projects) == 16
    assert all(p.project_code and p.project_code.startswith("450-") for p in result.projects)
    assert len({p.project_key for p in result.projects}) == 16
    assert all(p.title and "TC" not in p.title and "\\f" not in p.title and p.title.endswith("绩效目标表")
               for p in result.projects)
    assert all(p.goal_annual and p.purpose for p in result.projects)

    assert len(result.targets) == 63
    per_project = Counter(t.project_key for t in result.targets)
    assert set(per_project) == {p.project_key for p in result.projects}
    assert [per_project[p.project_key] for p in result.projects] == [3, 3, 4, 4, 5, 3, 3, 3, 3, 4, 6, 6, 3, 4, 4, 5]
    assert [t.source_line for t in result.targets if t.target_text == ""] == [272, 279, 339]
    assert all(t.level1_published and t.level2_published for t in result.targets)
    assert Counter(t.level1_published for t in result.targets) == {"产出指标": 30, "效果指标": 16, "满意度指标": 17}

    fl29 = next(p for p in result.projects if p.project_code == "450-0201-JXN-FL29")
    assert fl29.project_name == "城乡居民医疗保险县级配套资金"
    (total,) = [b for b in result.budget_lines if b.project_key == fl29.project_key and b.measure == "total"]
    assert (total.line_item, total.published_amount, total.published_unit) == ("预算数", "30160000.00", "元")
    assert lines[total.source_line - 1] == "\t预算规模及资金用途"
    assert "30160000.00" in lines[total.value_line - 1]
    assert len(result.budget_lines) == 32  # 预算数 + 其中：财政资金 per project; 其他资金 always blank
    assert not [b for b in result.budget_lines if b.measure == "other_funds"]
    assert len(result.spending_plans) == 52  # 12 projects × 4 months + 4 projects × 1 month


def test_000_project_3_goal_and_project_11_carry(parsed):
    _, result = parsed(F000)
    p3 = next(p for p in result.projects if p.project_code == "450-0203-JZN-E1NW")
    assert p3.goal_annual == "1、保证城乡医疗救助正常开展。\n2、提高困难群众的满意度。"
    p11 = next(p for p in result.projects if p.project_code == "450-0203-JSN-T1TV")
    last = [t for t in result.targets if t.project_key == p11.project_key][-1]
    assert (last.source_line, last.level1_published, last.level2_published, last.level3) == (
        922, "满意度指标", "服务对象满意度指标", "受益人口满意度")
    p12 = next(p for p in result.projects if p.project_code == "450-0201-JXN-L54Q")
    last12 = [t for t in result.targets if t.project_key == p12.project_key][-1]
    assert last12.basis is None and last12.target_text == "≥90%"  # blank 依据 cell


def test_002_whole_file(parsed):
    lines, result = parsed(F002)
    assert result.doc_kinds == ["project_targets", "overall_targets"]
    assert result.fiscal_year == 2021
    assert (result.department_name, result.unit_code) == ("新乐市医疗保障局", "450")
    assert [(e.unit_code, e.entity_name) for e in result.entities] == [
        ("450", "新乐市医疗保障局"), ("450001", "新乐市医疗保障局本级")]
    assert result.issues == []
    # the budget statements belong to another parser: nothing read from them
    assert result.budget_lines == [] and result.spending_plans == []
    assert result.published_unit is None
    for rec in result.projects + result.targets:
        assert 1844 <= rec.source_line <= 2595 or 4524 <= rec.source_line <= 5226, rec

    by_entity = Counter(p.entity_code for p in result.projects)
    assert by_entity == {"450": 12, "450001": 12}
    project_targets = [t for t in result.targets if t.project_key is not None]
    assert Counter(t.entity_code for t in project_targets) == {"450": 76, "450001": 76}
    for code in ("450", "450001"):
        counts = [sum(1 for t in project_targets if t.project_key == p.project_key)
                  for p in result.projects if p.entity_code == code]
        assert counts == [6, 6, 6, 6, 6, 6, 6, 6, 7, 6, 9, 6]
    for code in ("450", "450001"):
        assert Counter(t.level1_published for t in project_targets if t.entity_code == code) == {
            "产出指标": 48, "效益指标": 16, "满意度指标": 12}
    names = [p.project_name for p in result.projects]
    assert names[:12] == names[12:]
    assert names[0] == "医疗保障经办工作经费"
    assert names[3] == "河北省财政厅 河北省医疗保障局关于提前下达2021年中央财政医疗救助补助资金预算（第一批）的通知"
    assert len({p.project_key for p in result.projects}) == 24
    assert all(p.project_code is None and p.goal_annual for p in result.projects)

    overall = [t for t in result.targets if t.project_key is None]
    assert [(t.source_line, t.level3) for t in overall] == [
        (1857, "强力实施全民参保计划"),
        (1862, "实行城乡居民医保市级统筹"),
        (1866, "推进居民医保门诊统筹，实现统筹区内无异地"),
        (1871, "严厉打击欺诈骗保"),
        (1875, "跟进落实国家药品耗材集中采购政策，深化药品与耗材集中采购机制改革"),
    ]
    assert all(t.entity_code == "450" for t in overall)


def test_004_whole_file(parsed):
    lines, result = parsed(F004)
    assert result.doc_kinds == ["overall_targets"]
    assert result.fiscal_year == 2021
    assert result.published_unit == "万元"
    assert (result.department_name, result.unit_code) == ("衡东县医疗保障局", None)
    assert result.projects == [] and result.spending_plans == []
    assert result.issues == []
    assert len(result.targets) == 32
    assert all(t.project_key is None and t.entity_name == "衡东县医疗保障局" for t in result.targets)
    assert Counter(t.level1_published for t in result.targets) == {None: 28, "效益指标": 3, "满意度指标": 1}
    assert Counter(t.level2_published for t in result.targets) == {
        "数量指标": 9, "质量指标": 9, "时效指标": 1, "成本指标": 9, "社会效益指标": 3, "服务对象满意度指标": 1}
    assert all(t.target_text for t in result.targets)
    amounts = [(b.line_item, b.measure, b.published_amount, b.published_unit, b.value_line)
               for b in result.budget_lines]
    assert amounts == [
        ("资金总额", "total", "834.02", "万元", 10),
        ("公共财政拨款", "general_budget", "834.02", "万元", 17),
        ("基本支出", "basic", "728.02", "万元", 20),
        ("项目支出", "project", "106", "万元", 21),
    ]
    for b in result.budget_lines:
        assert b.statement == "overall_budget" and b.source_line == b.value_line
        assert b.published_amount in lines[b.value_line - 1]


# --------------------------------------------------------------------------
# matches() and robustness
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [(F000, True), (F001, False), (F002, True), (F003, False), (F004, True)])
def test_matches_by_content(name, expected):
    assert matches(_filing(name)) is expected


@pytest.mark.parametrize("name", [F001, F003])
def test_tab_separated_filings_give_no_records(name):
    result = parse(_filing(name))
    assert not (result.projects or result.targets or result.budget_lines or result.spending_plans)


@pytest.mark.parametrize("lines", [[], [""], ["\t"], ["\t一级指标", "\t二级指标", "\t三级指标"], ["绩效指标：x"]])
def test_odd_input_never_raises(lines):
    assert matches(lines) in (True, False)
    result = parse(lines)
    assert not [i for i in result.issues if i.severity == "error"]


@pytest.mark.parametrize("name", ALL_FILINGS)
def test_truncated_filings_never_raise(name):
    lines = _filing(name)
    for end in range(0, len(lines) + 1, 11):
        head = lines[:end]
        matches(head)
        result = parse(head)
        assert not [i for i in result.issues if i.severity == "error"], (name, end)


_ALPHABET = st.sampled_from(
    list("\t\n \u3000：:、.（）()%0123456789")
    + ["一级指标", "二级指标", "三级指标", "指标值", "绩效目标", "绩效指标：", "项目编码", "预算数",
       "预算规模及资金用途", "资金支出计划（%）", "3月底", "部门名称", "年度预算申请", "资金总额：",
       "450001新乐市医疗保障局本级", "单位：元", "（万元）", "绩效目标表", "分项绩效目标", " TC ", "\\f C \\l 1"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_random_text_never_raises(text):
    lines = text.split("\n")
    matches(lines)
    result = parse(lines)
    assert not [i for i in result.issues if i.severity == "error"]
