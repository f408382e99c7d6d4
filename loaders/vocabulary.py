"""The one vocabulary of 部门预算 statements: table titles → statement, column headers → measure.

Every province publishes the same eight-to-twelve statements under its own names
(上海 ``部门财务收支预算总表``, 广州 ``收支总体情况表``, 北京 ``预算01表 收支总表``,
江苏 ``收支预算总表 公开表一``, 深圳 ``表1 收支总表`` …) and the same columns under
varying headers (``合计``/``小计``/``总计``, ``一般公共预算拨款收入``/``一般公共预算资金`` …).
This module is the single place that maps them onto the warehouse's names
(docs/CONTRACT.md, ``fact_budget_line.statement`` and ``.measure``). The statement and
measure names are the ones ``loaders.parsers.word_budget`` already loads; names for
statements of other provinces' templates are added here in the same style.

How a title is read (:func:`normalise_title` then :func:`statement_for_title`):

1. whitespace removed, quote variants (“”‘’"'「」) dropped, full-width brackets folded;
2. table numbering dropped wherever it stands: ``公开表一``, ``公开01表``, ``预算03表``,
   ``表3-1``, ``表3``, ``附表2``, ``附件1``; a year ``2025年``/``2025年度``;
3. a trailing caption cut off (``部门：…``, ``单位：万元``, ``编制单位：…``);
4. the reported kind noted (``决算`` → final accounts) and the filler words that do not
   change which statement it is dropped: 部门/单位/市级/区级/本级/预算/决算/本年/
   情况/总体 (so 部门支出总体情况表 = 本年支出总体情况表 = 支出预算总表 = 支出总表);
5. the result must be a short heading ending in 表 (optionally followed by a
   bracketed qualifier such as ``（按经济分类）``) and must not be a table of contents
   line (dot leaders, a trailing page number) or prose (sentence punctuation): then
   :data:`STATEMENT_RULES` are tried in order, first match wins.

A table is a statement only when its TITLE and its HEADER both say so: the parser
also requires header cells from :data:`MEASURES` / :data:`KEY_COLUMNS` /
:data:`THREE_PUBLIC_ITEMS` (:func:`header_is_statement`). Titles that name a
绩效 (performance) table, a 目录, or a report (评价报告) are never statements
(:data:`NEGATIVE_TITLE_WORDS`).

Pure data and pure functions; no I/O.
"""

from __future__ import annotations

import re
from typing import Optional

__all__ = [
    "STATEMENT_RULES",
    "STATEMENT_CLASSIFICATION",
    "TWO_SIDED",
    "PIVOTED_ITEM_STATEMENTS",
    "MEASURES",
    "KEY_COLUMNS",
    "THREE_PUBLIC_ITEMS",
    "ITEM_STATEMENT_OVERRIDES",
    "NEGATIVE_TITLE_WORDS",
    "normalise_title",
    "normalise_label",
    "statement_for_title",
    "is_final_accounts",
    "measure_for_header",
    "key_role",
    "side_for_header",
    "header_is_statement",
    "classification_for_code",
    "find_unit",
    "is_total_label",
    "UNIT_WORDS",
    "entity_level_for_heading",
    "published_entity_level",
]

# --------------------------------------------------------------------------- titles

# Numbering printed with a title, wherever it stands.
_NUMBERING_RE = re.compile(
    r"(?:公开|预算|部门预算|附)?表\s*(?:[0-9０-９]+|[一二三四五六七八九十]+(?!般))(?:[-－—.][0-9０-９]+)*"  # 公开表一 表3-1 附表2
    r"|(?:公开|预算|部门预算)\s*[0-9０-９一二三四五六七八九十]+\s*表"  # 公开01表 预算03表
    r"|附件\s*[0-9０-９一二三四五六七八九十]+[:：]?"  # 附件1：
    r"|^[0-9０-９]+(?:[-.][0-9]+)*[、.．]"  # 3.15部门收支总表
    r"|^[一二三四五六七八九十]+、"  # 一、收支总表
)
_YEAR_RE = re.compile(r"(?:19|20)\d\d\s*年(?:度)?")
# A caption that follows the title on the same line (江苏 公开表, 北京 合并行).
_TRAILING_CAPTION_RE = re.compile(
    r"(?:编制部门|编制单位|预算主管部门|主管部门|部门名称|单位名称|金额单位|部门|单位)\s*[:：].*$"
)
_QUOTES_RE = re.compile(r"[“”‘’\"'「」『』〝〞]")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "：": ":", "，": ","})
# Filler words that do not change which statement a title names.
_FILLER_RE = re.compile(r"部门|单位|市级|区级|县级|省级|本级|预算|决算|本年|总体|情况|公开")
# Words that make a title never a statement (handled elsewhere or not money tables).
NEGATIVE_TITLE_WORDS = (
    "目录",  # table of contents
    "绩效",  # 绩效目标表 / 绩效评价 (the target parsers read them)
    "评价报告",
    "自评",
    "说明",  # 编制说明 / 情况说明 headings
    "名词解释",
)

# (required keywords on the normalised title, statement). Tried in order; first match wins.
# The normalised title has the filler words removed (see module doc): 一般公共预算 → 一般公共,
# 政府性基金预算 → 政府性基金, 收支预算总表 → 收支总表.
STATEMENT_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    # “三公”经费 (three public expenses): 财政拨款“三公”经费支出表, 行政经费及“三公”经费预算表,
    # “三公”经费和机关运行经费预算表, “三公”经费、会议费、培训费支出预算表
    (("三公",), "three_public"),
    # 机关运行经费 (operating expenses of government bodies): 一般公共预算机关运行经费支出预算表
    (("机关运行经费",), "operating_expenses"),
    # 政府性基金 / 国有资本经营 before the generic ones (their titles also say 收入支出 / 支出)
    (("政府性基金", "支出"), "government_fund_expenditure"),
    (("政府基金", "支出"), "government_fund_expenditure"),
    (("国有资本经营", "支出"), "state_capital_expenditure"),
    # 政府采购 (government procurement: 政府采购预算表, 政府采购支出表), 政府购买服务 (government purchase
    # of services) — before the generic 支出表 rule
    (("政府购买服务",), "government_purchase_services"),
    (("政府采购",), "government_procurement"),
    # 财政拨款收支总表 (fiscal appropriation income and expenditure summary)
    (("财政拨款收支",), "fiscal_appropriation_summary"),
    (("财政拨款收入支出",), "fiscal_appropriation_summary"),  # 决算: 财政拨款收入支出决算总表
    # 收支总表 (income and expenditure summary): 部门财务收支预算总表, 收支预算总表, 收支总体情况表
    (("收支总",), "income_expenditure_summary"),
    (("收入支出总",), "income_expenditure_summary"),  # 决算: 收入支出决算总表
    (("收支表",), "income_expenditure_summary"),  # 收支总体情况表 (总体/情况 are filler words)
    (("财务收支",), "income_expenditure_summary"),
    # 一般公共预算 … by economic classification: 一般公共预算支出表（按经济分类）
    (("一般公共", "基本支出"), "basic_expenditure"),  # 一般公共预算基本支出表 (economic codes)
    (("一般公共", "项目支出", "经济"), "general_budget_project_economic"),  # 一般公共预算项目支出情况表（按经济分类科目）
    (("一般公共", "支出", "经济"), "general_budget_expenditure_economic"),
    (("一般公共", "支出"), "general_budget_expenditure"),  # by 功能分类 (function)
    # 财政拨款 … (江苏): 财政拨款支出预算表（功能科目）, 财政拨款基本支出预算表（经济科目）
    (("财政拨款", "基本支出"), "fiscal_basic_expenditure"),
    (("财政拨款", "支出"), "fiscal_appropriation_expenditure"),
    # 基本支出总表 / 部门预算基本支出预算表 (all funds, economic classes × funding sources)
    (("基本支出",), "basic_expenditure_summary"),
    # 项目支出表 / 项目支出总表 / 项目支出预算表 / 部门预算项目支出及其他支出预算表
    (("项目支出",), "project_expenditure"),
    # 收入总表 (income): 部门收入预算总表, 收入总体情况表, 收入决算表
    (("收入总",), "income"),
    (("收入表",), "income"),
    # 支出总表 (expenditure): 支出预算总表, 部门支出总体情况表, 本年支出总体情况表, 支出决算表
    (("支出总",), "expenditure"),
    (("支出表",), "expenditure"),
    # 结转 (carry-over funds), 固定资产 / 资产配置 (fixed assets)
    (("结转",), "carryover"),
    (("固定资产",), "fixed_assets"),
    (("资产配置",), "fixed_assets"),
)

# Which classification the subject codes of a statement's rows carry (when the code itself
# does not tell: 2xx function, 3xx 部门预算经济分类, 5xx 政府预算经济分类).
STATEMENT_CLASSIFICATION = {
    "income": "function",
    "expenditure": "function",
    "general_budget_expenditure": "function",
    "government_fund_expenditure": "function",
    "state_capital_expenditure": "function",
    "fiscal_appropriation_expenditure": "function",
    "basic_expenditure": "economic",
    "fiscal_basic_expenditure": "economic",
    "general_budget_expenditure_economic": "economic",
    "general_budget_project_economic": "economic",
    "basic_expenditure_summary": "economic",
    "operating_expenses": "economic",
}
# What a whole statement is (its one funding source, or 基本支出): in its table a group header
# naming it (一般公共预算支出 > 合计 | 基本支出 | 项目支出; 2026年基本支出 > 合计 | 人员经费 |
# 公用经费) heads the statement's own total, not a part of it.
STATEMENT_OWN_MEASURE = {
    "general_budget_expenditure": "general_budget",
    "general_budget_expenditure_economic": "general_budget",
    "government_fund_expenditure": "government_fund",
    "state_capital_expenditure": "state_capital",
    "basic_expenditure": "basic",
    "fiscal_basic_expenditure": "basic",
}
# Statements printed as side-by-side blocks (收入 | 支出 [| 支出 by economic class]).
TWO_SIDED = {"income_expenditure_summary", "fiscal_appropriation_summary"}
# Statements printed with one column per item (三公 tables): the item is the line.
PIVOTED_ITEM_STATEMENTS = {"three_public", "operating_expenses"}


def normalise_title(text: Optional[str]) -> str:
    """A title reduced to the words that tell the statement (see module doc, steps 1–4).

    ``'2024年部门财务收支预算总表'`` → ``'财务收支总表'``;
    ``'预算01表 收支总表'`` → ``'收支总表'``;
    ``'表5 一般公共预算支出情况表（按功能分类科目）'`` → ``'一般公共支出表(按功能分类科目)'``.
    """
    if not text:
        return ""
    s = re.sub(r"[\s\u3000]+", "", text)
    s = _QUOTES_RE.sub("", s).translate(_BRACKETS)
    s = _TRAILING_CAPTION_RE.sub("", s)
    s = _NUMBERING_RE.sub("", s)
    s = _YEAR_RE.sub("", s)
    s = re.sub(r"^年度?", "", s)  # a year printed apart from its 年 (重庆: '2026' / '年…表')
    s = _FILLER_RE.sub("", s)
    s = s.replace("()", "")  # 收支总表（预算表1） once the numbering is gone
    s = s.replace("收入支出", "收支") if "收入支出总" in s or s.startswith("收入支出") else s
    return s


_TOC_RE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|—{3,})|\d+\s*$")
_PROSE_RE = re.compile(r"[，。；！？,;]|反映|主要|包括|详见|见表|如下")
_TITLE_SHAPE_RE = re.compile(r"表(?:\([^()]{1,20}\))?$")


def is_final_accounts(text: Optional[str]) -> bool:
    """决算 (final accounts) rather than 预算."""
    return bool(text) and "决算" in text


def statement_for_title(text: Optional[str]) -> Optional[str]:
    """The statement a printed title names, or None (not a statement title).

    None for a 目录 line (dot leaders, trailing page number), a prose sentence that
    mentions a title, a 绩效 table, or any heading that does not end in 表.
    """
    if not text:
        return None
    raw = re.sub(r"[\s\u3000]+", "", text)
    if not raw or len(raw) > 90:
        return None
    if any(w in raw for w in NEGATIVE_TITLE_WORDS):
        return None
    head = _TRAILING_CAPTION_RE.sub("", _QUOTES_RE.sub("", raw).translate(_BRACKETS))
    if _TOC_RE.search(head) or _PROSE_RE.search(head):
        return None
    s = normalise_title(raw)
    if not s or len(s) > 40 or not _TITLE_SHAPE_RE.search(s):
        return None
    for keywords, statement in STATEMENT_RULES:
        if all(k in s for k in keywords):
            return statement
    return None


# --------------------------------------------------------------------------- headers

# Column header (normalised by normalise_label) → measure. The names are word_budget's.
MEASURES: dict[str, str] = {
    # totals
    "合计": "total",
    "总计": "total",
    "支出总计": "total",
    "收入总计": "total",
    "本年支出合计": "total",
    "本年收入合计": "total",
    "支出合计": "total",
    "收入合计": "total",
    "预算": "total",
    "本年预算": "total",
    "本年预算数": "total",
    "机关运行经费支出": "total",  # 一般公共预算机关运行经费支出预算表 (one amount column)
    "预算数": "total",  # one-column tables (side-by-side blocks use the side instead)
    "金额": "total",
    "预算金额": "total",
    "决算数": "total",
    "小计": "current_year_subtotal",
    "编制预算": "current_year_subtotal",  # 长春: 本年预算 = 编制预算 + 上年结转
    "当年预算": "current_year_subtotal",  # 本年收入 > 小计 (under a group: the group's measure)
    # expenditure by purpose
    "基本支出": "basic",
    "项目支出": "project",
    "人员经费": "personnel",
    "工资福利支出": "personnel",
    "人员支出": "personnel",
    "人员类": "personnel",  # 湖南 一般公共预算基本支出情况表: 总计 | 人员类 | 公用经费
    "公用经费": "public_funds",
    "日常公用经费": "public_funds",
    "日常公用": "public_funds",
    "公用支出": "public_funds",
    "日常公用支出": "public_funds",
    "一般公共预算收入": "general_budget",  # 烟台: 财政拨款收入 > 一般公共预算收入 | 政府性基金预算收入
    "政府性基金预算收入": "government_fund",
    "国有资本经营预算收入": "state_capital",
    "其他专户收入拨款": "other_special_account",  # 广州: 财政专户拨款收入 > 其他专户收入拨款
    "扣除中央基建投资后预算数": "total_excl_capital_construction",  # 国家信访局 一般公共预算支出表
    "扣除中央基建投资后执行数": "total_excl_capital_construction",
    "执行数": "total",  # 上年执行数 (under a prior year's header → prior_year_total)
    "对个人和家庭的补助": "family_subsidies",
    "事业单位经营支出": "operating_expenditure",
    "经营支出": "operating_expenditure",
    "上缴上级支出": "remittance_to_superior",
    "上解上级支出": "remittance_to_superior",
    "对附属单位补助支出": "subsidy_to_affiliates",
    "单位预留机动经费": "reserve_funds",
    "结转下年资金": "carryover_next_year",
    "结转下年": "carryover_next_year",
    # funding sources (income columns)
    "本级财政拨款": "fiscal_appropriation",  # 长沙 (湖南): 本级财政拨款 > 金额 | 其中:经费拨款
    "经费拨款": "general_budget",
    "财政专户管理事业收入": "special_account",
    "事业单位经营服务收入": "operating_income",
    "其它收入": "other_income",
    "财政拨款": "fiscal_appropriation",
    "财政拨款收入": "fiscal_appropriation",
    "财政拨款(补助)": "fiscal_appropriation",
    "一般公共预算": "general_budget",
    "一般公共预算拨款": "general_budget",
    "一般公共预算拨款收入": "general_budget",
    "一般公共预算财政拨款": "general_budget",
    "一般公共预算资金": "general_budget",
    "一般公共预算支出": "general_budget",
    "公共财政拨款": "general_budget",
    "公共财政拨款(补助)资金": "general_budget",
    "政府性基金": "government_fund",
    "政府性基金预算": "government_fund",
    "政府性基金预算拨款": "government_fund",
    "政府性基金预算拨款收入": "government_fund",
    "政府性基金预算财政拨款": "government_fund",
    "政府性基金预算资金": "government_fund",
    "政府性基金预算支出": "government_fund",
    "基金预算拨款": "government_fund",
    "国有资本经营": "state_capital",
    "国有资本经营预算": "state_capital",
    "国有资本经营预算拨款": "state_capital",
    "国有资本经营预算拨款收入": "state_capital",
    "国有资本经营预算财政拨款": "state_capital",
    "国有资本经营预算资金": "state_capital",
    "国有资本经营预算支出": "state_capital",
    "财政专户管理资金": "special_account",
    "财政专户管理资金收入": "special_account",
    "财政专户拨款": "special_account",
    "财政专户拨款收入": "special_account",
    "财政专户收入": "special_account",
    "财政专户核拨": "special_account",
    "单位资金": "unit_funds",
    "其他资金": "other_funds",
    "非财政拨款": "other_funds",
    "事业收入": "business_income",
    "事业收入(不含教育收费)": "business_income",  # 烟台: 教育收费 is in 财政专户管理资金收入 beside it
    "事业单位经营收入": "operating_income",
    "经营收入": "operating_income",
    "上级补助收入": "superior_subsidy",
    "附属单位上缴收入": "affiliated_remittance",
    "其他收入": "other_income",
    "上年结转": "prior_year_carryover",
    "上年结转结余": "prior_year_carryover",
    "上年结余结转": "prior_year_carryover",
    "上年结转资金": "prior_year_carryover",
    "上年结余": "prior_year_carryover",
    "用事业基金弥补收支差额": "business_fund_offset",
    "使用非财政拨款结余": "non_fiscal_surplus_used",  # 烟台 收入总体情况表: an income column of its own
    "项目支出总数": "project",  # 北京 预算05表: 项目支出 > 项目支出总数 | 扣除基建项目后预算数
    "扣除基建项目后预算数": "project_excl_capital_construction",
    # other columns
    "政府采购项目": "government_procurement",
    "政府采购": "government_procurement",
    "机关运行经费": "operating_expenses",
    "机关运行经费预算数": "operating_expenses",
}

# Row-label and code columns (normalised header → role). Not measures.
KEY_COLUMNS: dict[str, str] = {
    "科目编码": "code",
    "功能分类科目编码": "code",
    "功能科目编码": "code",
    "经济分类科目编码": "code",
    "经济科目编码": "code",
    "部门经济分类科目编码": "code",
    "政府经济分类科目编码": "code",
    "科目代码": "code",
    "编码": "code",
    "代码": "code",
    "项目编号": "code_project",
    "项目编码": "code_project",
    "类": "code_class",
    "款": "code_item",
    "项": "code_sub",
    "科目名称": "label",
    "功能科目名称": "label",
    "功能分类科目名称": "label",
    "经济科目名称": "label",
    "经济分类科目名称": "label",
    "项目": "label",
    "项目名称": "label",
    "科目": "label",
    "支出项目类别": "label",
    "支出项目类别(资金使用单位)": "label",
    "项目名称(资金使用单位)": "label",
    "功能分类科目": "label",
    "经济分类科目": "label",
    "支出功能分类科目": "label",
    "政府支出经济分类科目": "label",
    "部门支出经济分类科目": "label",
    "部门预算支出经济科目": "label",
    "部门预算支出经济分类科目": "label",
    "政府预算支出经济分类科目": "label",
    "经济分类": "label",
    "功能分类": "label",
    "收入项目": "label",
    "支出项目": "label",
    "功能科目": "label",
    "经济科目": "label",
    "采购类别": "label",  # 政府采购预算明细表
    "采购品目": "label",
    "采购项目": "label",
    "指导性目录": "label",  # 政府购买服务明细表
    "服务类别": "label",
    "预算单位": "unit",
    "单位名称": "unit",
    "部门名称": "unit",  # 长沙 三公 table: one row per 部门/单位
    "单位编码": "unit_code",
    "单位代码": "unit_code",
    "年度": "year",
    "序号": "seq",
    "栏次": "seq",
    "行次": "seq",
}

# Items of the 三公 tables (column-per-item or row-per-item), normalised.
THREE_PUBLIC_ITEMS = (
    "三公经费",
    "因公出国(境)费",
    "因公出国(境)费用",
    "公务接待费",
    "公务用车购置及运行费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务用车运行费",
    "购置费",
    "运行费",
    "会议费",
    "培训费",
    "机关运行经费",
    "行政经费",
)
# Items of a 三公 table that belong to a statement of their own.
ITEM_STATEMENT_OVERRIDES = {
    "机关运行经费": "operating_expenses",  # “三公”经费和机关运行经费预算表
    "行政经费": "administrative_expenses",  # 行政经费及“三公”经费预算表
    "会议费": "meeting_expenses",  # “三公”经费、会议费、培训费支出预算表
    "培训费": "training_expenses",
}

# Group headers that say which side of a side-by-side 收支总表 a block is.
_INCOME_SIDE = ("收入", "本年收入", "财政拨款收入", "收入项目")
_EXPENDITURE_SIDE = ("支出", "本年支出", "财政拨款支出", "支出项目", "功能分类")
_ECONOMIC_SIDE = ("支出用途", "经济分类", "部门预算经济分类", "支出经济分类")

_LABEL_NUMBERING_RE = re.compile(
    r"^(?:其中[:：]?)?(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．](?!\d))?(?:其中[:：]?)?"
)


def normalise_label(text: Optional[str]) -> str:
    """A header or row label for matching: whitespace, quotes, numbering, 其中： and years removed,
    brackets folded (``其中：事业单位经营支出`` → ``事业单位经营支出``; ``2026年预算数`` → ``预算数``)."""
    if not text:
        return ""
    s = re.sub(r"[\s\u3000]+", "", text)
    s = _QUOTES_RE.sub("", s).translate(_BRACKETS)
    s = _LABEL_NUMBERING_RE.sub("", s)
    s = _YEAR_RE.sub("", s)
    s = re.sub(r"\((?:万元|元|千元|亿元|单位:?[万千亿]?元)\)$", "", s)
    s = s.replace("、", "")
    return s


def measure_for_header(text: Optional[str]) -> Optional[str]:
    """A column header → measure, or None."""
    s = normalise_label(text)
    if not s:
        return None
    if s in MEASURES:
        return MEASURES[s]
    # 上年结余、结转 / 上年结转结余 / 上年结转资金 …
    if s.startswith("上年结") or s.startswith("年初结转") or s.startswith("财政拨款结转"):
        return "prior_year_carryover"  # 财政拨款结转: the 项目支出表's group beside 本年财政拨款 (长春 预算表9)
    if s.startswith("结转下年") or s.startswith("年末结转"):
        return "carryover_next_year"
    if s.endswith("预算数") and s[:-3] in MEASURES:
        return MEASURES[s[:-3]]
    if "政府采购" in s and "预留" in s:  # 深圳: 其中：政府采购项目中预留给中小企业 / 小型、微型企业的项目资金规模
        return "government_procurement_small_micro_reserved" if ("小型" in s or "微型" in s) else "government_procurement_sme_reserved"
    if "政府采购" in s and len(s) <= 12:
        return "government_procurement"
    return None


def key_role(text: Optional[str]) -> Optional[str]:
    """A column header → key-column role (code, code_class, label, unit, …), or None."""
    s = normalise_label(text)
    if not s:
        return None
    if s in KEY_COLUMNS:
        return KEY_COLUMNS[s]
    if s.endswith("编码") or s.endswith("代码"):
        return "code"
    if s.endswith(("科目名称", "科目", "名称", "大类", "类别", "品目")):
        return "label"  # 功能分类科目, 采购物品名称, 采购品目大类 …
    return None


def side_for_header(text: Optional[str]) -> Optional[str]:
    """A group header of a side-by-side table → income | expenditure | expenditure_economic."""
    s = normalise_label(text)
    if s in _ECONOMIC_SIDE:
        return "expenditure_economic"
    if s in _INCOME_SIDE:
        return "income"
    if s in _EXPENDITURE_SIDE:
        return "expenditure"
    return None


def is_three_public_item(text: Optional[str]) -> bool:
    s = normalise_label(text)
    return bool(s) and (s in THREE_PUBLIC_ITEMS or s.rstrip("数").endswith(("经费", "费")) and len(s) <= 16)


def header_is_statement(header_texts: list[str]) -> bool:
    """Do a table's header cells say it is a budget statement (a known measure, key column or 三公 item)?"""
    measures = sum(1 for t in header_texts if measure_for_header(t))
    keys = sum(1 for t in header_texts if key_role(t))
    items = sum(1 for t in header_texts if is_three_public_item(t))
    return measures >= 1 and (keys >= 1 or measures >= 2) or items >= 2 or keys >= 1 and items >= 1


_TOTAL_LABEL_RE = re.compile(r"(合计|总计|小计)$")


def is_total_label(text: Optional[str]) -> bool:
    """合计 / 总计 / 小计 rows: 收入总计, 本年支出合计, 当年收入小计 …"""
    s = normalise_label(text)
    return bool(_TOTAL_LABEL_RE.search(s)) and len(s) <= 12


# --------------------------------------------------------------------------- codes and units


def classification_for_code(code: Optional[str], statement: Optional[str] = None) -> Optional[str]:
    """function (2xx 支出功能分类), economic (3xx 部门预算支出经济分类) or
    government_economic (5xx 政府预算支出经济分类); else the statement's default."""
    if not code:
        return None
    if code[0] == "2" and len(code) in (3, 5, 7):
        return "function"
    if code[0] == "3" and len(code) in (3, 5, 7):
        return "economic"
    if code[0] == "5" and len(code) in (3, 5):
        return "government_economic"
    if code[0] == "1" and len(code) in (3, 5, 7):
        return "income"  # 政府收支分类 income codes (1xx)
    return STATEMENT_CLASSIFICATION.get(statement or "")


UNIT_WORDS = ("亿元", "千元", "万元", "元")
_UNIT_RE = re.compile(r"(?:金额单位|单位)\s*[:：]?\s*(亿元|千元|万元|元)|[（(]\s*(亿元|千元|万元|元)\s*[)）]")


def find_unit(text: Optional[str]) -> Optional[str]:
    """The money unit a caption or header declares: ``单位：万元``, ``金额单位:元``, ``（万元）``,
    ``单位 万元`` (colon lost by the PDF's text layer)."""
    if not text:
        return None
    m = _UNIT_RE.search(text.replace("\u3000", " "))
    if not m:
        return None
    return m.group(1) or m.group(2)


# --------------------------------------------------------------------------- entity level

# What a document says it is: a 部门预算 (a department's budget, its units included) or a
# 单位预算 (one budget unit's own: 上海 ``上海市2026年市级单位预算`` / ``2026年预算单位财务收支预算总表``,
# 无锡 ``无锡市交通运输局（本级）2026年度单位预算公开``, 福州 ``…治安管理支队单位预算``, 苏州 ``单位预算公开``).
# 部门预算经济分类 / 部门预算支出经济分类 name a classification, not the document; 部门预算单位
# (长沙 ``部门预算单位构成``) is the department's list of its units.
_LEVEL_HEADING_RE = re.compile(
    r"(?P<unit>单位(?:预算|决算)(?!经济|支出经济)|^(?:(?:19|20)\d\d年度?)?预算单位(?:财务)?(?:收支|收入|支出)|单位(?:财务)?收支)"
    r"|(?P<department>部门(?:预算|决算)(?!经济|支出经济)|部门(?:财务)?收支)"
)
_LEVEL_PROSE_RE = re.compile(r"[，。；！？,;]")


def entity_level_for_heading(text: Optional[str]) -> Optional[str]:
    """``unit`` or ``department`` when a heading (a cover line, a caption, a table title) says
    which kind of budget the document is; None for prose, long text and other headings."""
    if not text:
        return None
    s = _QUOTES_RE.sub("", re.sub(r"[\s\u3000]+", "", text))
    s = _NUMBERING_RE.sub("", s)
    if not s or len(s) > 60 or _LEVEL_PROSE_RE.search(s) or _TOC_RE.search(s):
        return None
    m = _LEVEL_HEADING_RE.search(s)
    if m is None:
        return None
    return "unit" if m.group("unit") else "department"


def published_entity_level(headings) -> Optional[str]:
    """The level the first heading that tells one says (document order: the cover first)."""
    for text in headings:
        level = entity_level_for_heading(text)
        if level:
            return level
    return None
