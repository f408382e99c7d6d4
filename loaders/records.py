"""What the parsers return: plain records, one class per raw table.

Every record carries the 1-based ``source_line`` of the file where it stands
(for a table row: the line of the row's first cell). The I/O layer adds the
filing's id and relative path. Field names are the raw tables' column names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

__all__ = [
    "Entity",
    "BudgetLine",
    "Project",
    "SpendingPlan",
    "Target",
    "NarrativeAmount",
    "ParseIssue",
    "ParsedFiling",
    "StatementTable",
    "FilingText",
    "entity_role_from_code",
]


def entity_role_from_code(code: Optional[str]) -> str:
    """Budget-entity codes: 3 digits for a 部门 (450), 6 for one of its 单位 (450001)."""
    if code and code.isdigit():
        if len(code) == 3:
            return "department"
        if len(code) == 6:
            return "unit"
    return "unknown"


@dataclass
class Entity:
    """A budget entity (部门 or 单位) named in the filing."""

    source_line: int
    entity_name: str  # as published, e.g. 新乐市医疗保障局本级
    unit_code: Optional[str] = None  # as published: 450, 450001, 302001; None if none


@dataclass
class BudgetLine:
    """One published amount: table × row × column."""

    source_line: int  # line of the row's first cell
    value_line: int  # line where the amount text itself stands
    entity_name: str
    entity_code: Optional[str]
    statement: str  # contract vocabulary: income_expenditure_summary, expenditure, three_public, …
    table_title: str  # the table's title as published
    line_item: str  # the row's label as published (whitespace collapsed)
    measure: str  # the column: total, basic, project, personnel, public_funds, annual, midterm, …
    published_amount: str  # the amount text as published, e.g. "2,858.5"
    published_unit: str  # 元 or 万元
    subject_code: Optional[str] = None  # 功能/经济分类 code when the row carries one
    classification: Optional[str] = None  # function | economic (with subject_code)
    project_key: Optional[str] = None  # Project.project_key when the amount belongs to a project
    is_total_line: bool = False  # 合计 / 总计 / 小计 rows (and 合计 columns of pivoted tables)
    column_label: Optional[str] = None  # the column header as published
    source_page: Optional[int] = None  # PDF page / sheet number of the amount's cell (None for text)
    source_cell: Optional[str] = None  # locator of the amount's cell: p.7 表3 r12 c4, 'sheet'!D12, line 1135
    table_index: Optional[int] = None  # Table.index of the document table it was read from
    row_group: Optional[str] = None  # the heading row the line sits under (深圳: the budget unit of a per-unit block)


@dataclass
class Project:
    source_line: int
    project_key: str  # unique within the filing (the parser chooses; stable for the same text)
    entity_name: str
    entity_code: Optional[str]
    project_name: str  # as published
    project_code: Optional[str] = None  # 450-0201-JXN-2T53
    project_attribute: Optional[str] = None  # 经常性项目 / 一次性项目
    goal_annual: Optional[str] = None  # 年度绩效目标 as published
    goal_midterm: Optional[str] = None  # 中长期 / 实施期绩效目标 as published
    purpose: Optional[str] = None  # 资金用途
    title: Optional[str] = None  # the heading of the project's table, as published
    source_page: Optional[int] = None
    source_cell: Optional[str] = None
    table_index: Optional[int] = None


@dataclass
class SpendingPlan:
    """000's cumulative 资金支出计划 (%), one record per published period."""

    source_line: int
    value_line: int
    project_key: str
    period: str  # the column as published: 3月底, 6月底, 10月底, 12月底
    period_month: int  # 3, 6, 10, 12
    published_percent: str  # as published, blank cells are no record


@dataclass
class Target:
    """One 绩效指标 row × horizon."""

    source_line: int
    entity_name: str
    entity_code: Optional[str]
    horizon: str  # annual | midterm
    level3: str  # 三级指标 as published (trimmed)
    target_text: str  # 指标值 as published (trimmed); '' when blank
    project_key: Optional[str] = None  # None for 部门整体 targets
    level1_published: Optional[str] = None  # as it stands in the filing ('' / None when blank)
    level2_published: Optional[str] = None
    description: Optional[str] = None  # 绩效指标描述 / 指标解释
    basis: Optional[str] = None  # 指标值确定依据 / 评分标准
    unit_published: Optional[str] = None  # 度量单位 / 计量单位 column
    value_type_published: Optional[str] = None  # 定量 / 定性
    value_content_published: Optional[str] = None  # 003's 指标值内容
    comparator_published: Optional[str] = None  # a separate 指标性质 / 指标值类型 column: ≥, ≤, ＝, >, <
    value_line: Optional[int] = None  # line where the 指标值 text stands, if different
    source_page: Optional[int] = None  # PDF page / sheet number of the 指标值 cell (None for text)
    source_cell: Optional[str] = None  # locator of the 指标值 cell
    table_index: Optional[int] = None


@dataclass
class NarrativeAmount:
    """An amount stated in the 情况说明 prose, with what it describes."""

    source_line: int
    entity_name: str
    entity_code: Optional[str]
    topic: str  # what the sentence says the amount is (收入, 基本支出, 人员经费, a project name, …)
    published_amount: str
    published_unit: str
    sentence: str  # the clause it was read from


@dataclass
class FilingText:
    """A goal section or other prose the filing states about a department (kept as published)."""

    source_line: int
    entity_name: str  # '' = the filing's main department (filled in by loaders.parse)
    entity_code: Optional[str]
    kind: str  # overall_goal (总体绩效目标 / 年度总体目标), sub_goals, safeguards, duties
    text: str


@dataclass
class StatementTable:
    """A budget table found in the filing, even an empty one (空表列示)."""

    source_line: int  # the title line
    entity_name: str
    entity_code: Optional[str]
    statement: str
    table_title: str
    published_unit: Optional[str]
    data_rows: int  # body rows (after the header rows)
    amounts: int  # BudgetLine records read from it
    source_page: Optional[int] = None
    table_index: Optional[int] = None  # Table.index of the document table it was read from


@dataclass
class ParseIssue:
    severity: str  # error | warning
    code: str  # short machine code: unit_assumed, row_truncated, not_a_filing, …
    message: str
    source_line: Optional[int] = None
    source_page: Optional[int] = None  # PDF page / sheet number the issue is about


@dataclass
class ParsedFiling:
    """Everything the parsers read from one filing."""

    doc_kinds: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)
    department_name: Optional[str] = None
    unit_code: Optional[str] = None
    fiscal_year: Optional[int] = None
    published_unit: Optional[str] = None
    report_type: Optional[str] = None  # budget (预算) | final_accounts (决算); None = budget
    # what the document says it is: unit (单位预算: one budget unit's own) | department (部门预算); None = not said
    entity_level_published: Optional[str] = None
    entities: list[Entity] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    spending_plans: list[SpendingPlan] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    narrative_amounts: list[NarrativeAmount] = field(default_factory=list)
    statement_tables: list[StatementTable] = field(default_factory=list)
    filing_texts: list[FilingText] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    place_mentions: list[str] = field(default_factory=list)

    def extend(self, other: "ParsedFiling") -> None:
        """Merge what another parser read from the same filing."""
        for kind in other.doc_kinds:
            if kind not in self.doc_kinds:
                self.doc_kinds.append(kind)
        for layout in other.layouts:
            if layout not in self.layouts:
                self.layouts.append(layout)
        for attr in ("department_name", "unit_code", "fiscal_year", "published_unit", "report_type", "entity_level_published"):
            if getattr(self, attr) is None and getattr(other, attr) is not None:
                setattr(self, attr, getattr(other, attr))
        self.entities += other.entities
        self.budget_lines += other.budget_lines
        self.projects += other.projects
        self.spending_plans += other.spending_plans
        self.targets += other.targets
        self.narrative_amounts += other.narrative_amounts
        self.statement_tables += other.statement_tables
        self.filing_texts += other.filing_texts
        self.issues += other.issues
