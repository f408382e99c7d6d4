"""Title and header variants of the real filings → statement and measure names."""

import pytest

from loaders import vocabulary as V


@pytest.mark.parametrize(
    "title, statement",
    [
        # 收支总表
        ("2024年部门财务收支预算总表", "income_expenditure_summary"),  # 上海
        ("2026年预算单位财务收支预算总表", "income_expenditure_summary"),
        ("预算01表 收支总表", "income_expenditure_summary"),  # 北京
        ("收支预算总表公开表一部门： 江苏省人大常委会办公厅 单位：万元", "income_expenditure_summary"),  # 江苏, caption on the title row
        ("表1 收支总体情况表", "income_expenditure_summary"),  # 广州
        ("部门收支总体情况表", "income_expenditure_summary"),  # 重庆
        ("收入支出决算总表", "income_expenditure_summary"),  # 决算
        ("公开01表 部门收支总表", "income_expenditure_summary"),
        # 收入 / 支出
        ("2024年部门收入预算总表", "income"),
        ("表2 收入总体情况表", "income"),
        ("收入决算表", "income"),
        ("2024年部门支出预算总表", "expenditure"),
        ("支出总表", "expenditure"),
        ("部门支出总体情况表", "expenditure"),
        ("表3 本年支出总体情况表", "expenditure"),
        ("表3-1 支出总表", "expenditure"),
        # 财政拨款收支总表
        ("2024年部门财政拨款收支预算总表", "fiscal_appropriation_summary"),
        ("表4 财政拨款收支总体情况表", "fiscal_appropriation_summary"),
        ("财政拨款收入支出决算总表", "fiscal_appropriation_summary"),
        # 一般公共预算
        ("2024年部门一般公共预算支出功能分类预算表", "general_budget_expenditure"),
        ("表5 一般公共预算支出情况表（按功能分类科目）", "general_budget_expenditure"),
        ("表8 一般公共预算支出表（按经济分类）", "general_budget_expenditure_economic"),
        ("表7 一般公共预算项目支出情况表（按经济分类科目）", "general_budget_project_economic"),
        ("2024年部门一般公共预算基本支出部门预算经济分类预算表", "basic_expenditure"),
        ("预算06表 一般公共预算基本支出表", "basic_expenditure"),
        ("表6 一般公共预算基本支出情况表（按经济分类科目）", "basic_expenditure"),
        # funds
        ("2024年部门政府性基金预算支出功能分类预算表", "government_fund_expenditure"),
        ("政府性基金预算财政拨款收入支出决算表", "government_fund_expenditure"),
        ("财政拨款政府性基金支出预算表公开表十", "government_fund_expenditure"),
        ("表11 国有资本经营预算支出表", "state_capital_expenditure"),
        # 三公 and 机关运行经费
        ("部门“三公”经费和机关运行经费预算表", "three_public"),
        ('表9 财政拨款"三公"经费支出表', "three_public"),
        ("表8 财政拨款安排的行政经费及“三公”经费预算表", "three_public"),
        ("“三公”经费、会议费、培训费支出预算表", "three_public"),
        ("一般公共预算机关运行经费支出预算表公开表十一", "operating_expenses"),
        # others
        ("表4 基本支出总表", "basic_expenditure_summary"),
        ("表11 部门预算基本支出预算表", "basic_expenditure_summary"),
        ("表5 项目支出总表", "project_expenditure"),
        ("表12 部门预算项目支出及其他支出预算表", "project_expenditure"),
        ("财政拨款支出预算表（功能科目）公开表五", "fiscal_appropriation_expenditure"),
        ("财政拨款基本支出预算表（经济科目）公开表六", "fiscal_basic_expenditure"),
        ("2019年政府采购预算表", "government_procurement"),
        ("政府采购支出表", "government_procurement"),  # 苏州/无锡
        ("预算10表 政府采购预算明细表", "government_procurement"),
        ("预算11表 财政拨款政府购买服务明细表", "government_purchase_services"),
        ("收支总表（预算表1）", "income_expenditure_summary"),  # 长春: numbering after the title
        ("本年一般公共预算“三公”经费支出表(预算表7)", "three_public"),
        ("表1：2026年市级部门收支预算总表", "income_expenditure_summary"),  # 杭州
        ("年财政拨款三公经费支出情况表", "three_public"),  # 重庆: the year printed apart
    ],
)
def test_title_variants(title, statement):
    assert V.statement_for_title(title) == statement


@pytest.mark.parametrize(
    "text",
    [
        "目 录",
        "一、收支总表......................5",  # 目录 line with dot leaders
        "二、收入总表 6",  # 目录 line with a page number
        "收支总表反映了部门全部收支情况。",  # prose
        "部门收支总表，反映部门本年度的总收支和年末结转结余情况",
        "预算12表 项目支出绩效目标表",
        "部门整体支出绩效目标表",
        "2024年度项目支出绩效评价报告",
        "编制部门：上海市普陀区人民政府万里街道办事处",
        "单位：万元",
        "第七部分 重点项目预算绩效情况说明",
        "",
        None,
    ],
)
def test_not_titles(text):
    assert V.statement_for_title(text) is None


@pytest.mark.parametrize(
    "header, measure",
    [
        ("合计", "total"),
        ("总 计", "total"),
        ("支出总计", "total"),
        ("2026年预算数", "total"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("人员经费", "personnel"),
        ("工资福利支出", "personnel"),
        ("人员类", "personnel"),  # 长沙 (湖南) 基本支出情况表
        ("公用经费", "public_funds"),
        ("日常公用经费", "public_funds"),
        ("财政拨款", "fiscal_appropriation"),
        ("一般公共预算拨款收入", "general_budget"),
        ("一般公共预算资金", "general_budget"),
        ("政府性基金预算拨款", "government_fund"),
        ("国有资本经营预算", "state_capital"),
        ("事业收入", "business_income"),
        ("事业单位经营收入", "operating_income"),
        ("其中：事业单位经营支出", "operating_expenditure"),
        ("上年结余、结转", "prior_year_carryover"),
        ("上年结转结余", "prior_year_carryover"),
        ("财政专户管理资金", "special_account"),
        ("单位资金", "unit_funds"),
        ("2024年机关运行经费预算数", "operating_expenses"),
        ("本级财政拨款", "fiscal_appropriation"),  # 长沙
        ("其中:经费拨款", "general_budget"),
        ("编制预算", "current_year_subtotal"),  # 长春
        ("本年预算", "total"),
        ("项目支出总数", "project"),  # 北京
        ("事业收入（不含教育收费）", "business_income"),  # 烟台
        ("人员类", "personnel"),  # 长沙
        ("使用非财政拨款结余", "non_fiscal_surplus_used"),
        ("科目名称", None),
    ],
)
def test_header_measures(header, measure):
    assert V.measure_for_header(header) == measure


@pytest.mark.parametrize(
    "header, role",
    [
        ("科目编码", "code"),
        ("功能分类科目编码", "code"),
        ("部门预算经济分类科目编码", "code"),
        ("类", "code_class"),
        ("款", "code_item"),
        ("项", "code_sub"),
        ("科目名称", "label"),
        ("科 目 名 称", "label"),
        ("项 目", "label"),
        ("功能分类科目", "label"),
        ("部门预算支出经济科目", "label"),
        ("支出项目类别（资金使用单位）", "label"),
        ("预算单位", "unit"),
        ("合计", None),
    ],
)
def test_key_columns(header, role):
    assert V.key_role(header) == role


def test_header_is_statement():
    assert V.header_is_statement(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    assert V.header_is_statement(["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费"])
    assert not V.header_is_statement(["目 录"])
    assert not V.header_is_statement(["序号", "单位名称", "备注"])
    assert not V.header_is_statement(["一级指标", "二级指标", "三级指标", "指标值"])


@pytest.mark.parametrize(
    "text, unit",
    [("单位：元", "元"), ("金额单位：万元", "万元"), ("单位:万元", "万元"), ("（万元）", "万元"), ("单位：千元", "千元"), ("单位：亿元", "亿元"), ("单位名称 重庆市气象局 单位 万元", "万元"), ("编制部门：某局", None)],
)
def test_units(text, unit):
    assert V.find_unit(text) == unit


@pytest.mark.parametrize(
    "code, classification",
    [("2101505", "function"), ("201", "function"), ("30101", "economic"), ("50501", "government_economic"), (None, None)],
)
def test_classification(code, classification):
    assert V.classification_for_code(code) == classification


def test_total_labels():
    for label in ("合计", "总计", "收入总计", "本年支出合计", "当年收入小计", "支 出 总 计"):
        assert V.is_total_label(label)
    for label in ("一般公共服务支出", "基本工资", "合计数说明：本表反映部门全部收入和支出的总计"):
        assert not V.is_total_label(label)


@pytest.mark.parametrize(
    "heading, level",
    [
        # 单位预算: one budget unit's own budget
        ("上海市2026年市级单位预算", "unit"),  # 上海 cover
        ("上海市普陀区2025年区级单位预算", "unit"),
        ("2026年预算单位财务收支预算总表", "unit"),  # 上海 unit template's table titles
        ("无锡市交通运输局（本级）\n2026年度单位预算公开", "unit"),  # a cover wrapped over lines
        ("2026年度苏州市水务局单位预算公开", "unit"),
        ("单位预算", "unit"),  # 福州 cover
        ("单位收支总表", "unit"),
        # 部门预算
        ("2026年深圳市医疗保障局（本级）部门预算", "department"),
        ("上海市普陀区2025年区级部门预算", "department"),
        ("2024年度部门决算", "department"),
        ("2024年部门财务收支预算总表", "department"),
        ("2026年部门预算公开", "department"),
        # not a statement of level
        ("2024年部门一般公共预算基本支出部门预算经济分类预算表", None),  # a classification, not the document
        ("一般公共预算支出表（按部门预算支出经济分类科目）", None),
        ("第二部分 2026年度单位预算 ........ 21", None),  # a 目录 line
        ("根据单位预算管理要求，本单位编制了预算。", None),  # prose
        ("收支总表", None),
        ("单位：万元", None),
        ("", None),
    ],
)
def test_entity_level_for_heading(heading, level):
    assert V.entity_level_for_heading(heading) == level


def test_published_entity_level_is_the_first_heading_that_says_one():
    # 长沙: the cover says 部门预算; 部门预算单位构成 further on lists the department's units
    assert V.published_entity_level(["长沙市教育局", "2026年部门预算公开", "单位预算单位构成"]) == "department"
    assert V.published_entity_level(["福州市公安局治安管理支队", "单位预算", "部门预算单位构成"]) == "unit"
    assert V.published_entity_level(["目录", "收支总表"]) is None
