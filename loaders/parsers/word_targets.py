"""Word-table 绩效目标表: project tables and the 部门整体支出绩效目标申报表.

The layout is the Word-table export read by :mod:`loaders.wordtable` (one cell
per tab-prefixed line, a blank line ends a row). This parser reads, by what the
cells say:

* project tables headed ``N、XXX绩效目标表`` (a Word ``TC … \\f C \\l 1`` field
  code may trail the heading), optionally with a ``项目编码 | … | 项目名称 | …``
  row, a ``预算规模及资金用途 | 预算数 | … | 其中：财政资金 | … | 其他资金 | …``
  row (→ project BudgetLines) followed by the 资金用途 row, a
  ``资金支出计划（%） | 3月底 | …`` header followed by a row of percentages, a
  ``绩效目标 | …`` row (the goal; its text may continue on free lines after a
  blank line) and the indicator table (header ``一级指标 | 二级指标 | 三级指标
  | … | 指标值 | …``);
* the 部门整体支出绩效目标申报表: ``部门名称 | …``, ``label：amount[万元]`` pairs
  inside the 年度预算申请 block (→ overall BudgetLines), and the indicator table
  (→ department-wide Targets);
* the prose ``分项绩效目标`` section (numbered items with ``绩效目标：…`` and
  ``绩效指标：…`` sentences) → department-wide Targets.

The budget entity in effect is the last row of the form
``<3 or 6 digit code><name> | …`` (or the 部门名称 row) above the table.
Merged (blank) 一级/二级指标 cells carry the value from the row above within
one table. Nothing is read from a filing's name or figures.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from loaders.amounts import find_declared_unit, split_amount_unit
from loaders.parsers.common import (
    ORG_SUFFIX_RE,
    clean_label,
    collapse_ws,
    find_fiscal_year,
    split_code_name,
)
from loaders.records import (
    BudgetLine,
    Entity,
    ParsedFiling,
    ParseIssue,
    Project,
    SpendingPlan,
    Target,
)
from loaders.wordtable import Row, TextLine, is_word_table_text, merge_split_rows, read_blocks

__all__ = ["NAME", "matches", "parse", "strip_field_code"]

NAME = "word_targets"

# --- labels ---------------------------------------------------------------

_FIELD_CODE_RE = re.compile(r"\s+TC\s+.*?\\f\s*\S*\s*(?:\\l\s*\d+)?\s*$")
_FIELD_CODE_LOOSE_RE = re.compile(r"\s+TC\s+.*$")
_PROJECT_HEADING_RE = re.compile(r"绩效目标表$")
_HEADING_NUMBER_RE = re.compile(r"^\s*\d+\s*[、.．]\s*")
_SECTION_HEADING_RE = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])"
)
_OVERALL_RE = re.compile(r"部门整体支出绩效目标|整体支出绩效目标申报")
_SUB_GOALS_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+\s*[、.．])?\s*分项绩效目标\s*[:：]?$"
)
_ITEM_RE = re.compile(r"^\s*(\d+)\s*[.．、]\s*(\S.*?)\s*$")
_ITEM_GOAL_RE = re.compile(r"^\s*绩效目标\s*[:：]\s*(.*?)\s*$")
_ITEM_INDICATOR_RE = re.compile(r"^\s*绩效指标\s*[:：]\s*(.*?)\s*$")
_MONTH_RE = re.compile(r"(\d{1,2})\s*月")
_PAIR_RE = re.compile(
    r"(?P<label>[\u4e00-\u9fa5（）()]+?)\s*[:：]\s*"
    r"(?P<amt>[-－]?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|元)?"
    r"(?=\s|$|[，,；;。）)])"
)

_GOAL_LABELS = {"绩效目标": "annual", "年度绩效目标": "annual", "年度目标": "annual",
                "中长期绩效目标": "midterm", "实施期绩效目标": "midterm"}
_BUDGET_ROW_LABEL = "预算规模及资金用途"


def _measure_for_label(label: str) -> Optional[str]:
    """The contract's measure for an amount's label (None: not an amount label we know)."""
    lab = clean_label(label)
    if lab.startswith("其中"):
        lab = lab[2:].lstrip(":：")
    if lab in ("预算数", "资金总额", "总额", "合计", "预算总额", "年度资金总额"):
        return "total"
    if "公共财政" in lab or "一般公共预算" in lab:
        return "general_budget"
    if "政府性基金" in lab:
        return "government_fund"
    if "基本支出" in lab:
        return "basic"
    if "项目支出" in lab:
        return "project"
    if "人员经费" in lab:
        return "personnel"
    if "公用经费" in lab:
        return "public_funds"
    if lab in ("其他资金", "其他收入", "其他"):
        return "other_funds"
    if lab in ("财政资金", "财政拨款"):
        return "fiscal_appropriation"
    return None


def strip_field_code(text: str) -> str:
    """``'1、XXX绩效目标表 TC 1、XXX绩效目标表 \\f C \\l 1 '`` → ``'1、XXX绩效目标表'``."""
    text = (text or "").strip().strip("\u3000").strip()
    stripped = _FIELD_CODE_RE.sub("", text)
    if stripped == text and "\\f" in text:
        stripped = _FIELD_CODE_LOOSE_RE.sub("", text)
    return stripped.strip()


def _project_name_from_heading(heading: str) -> str:
    name = _HEADING_NUMBER_RE.sub("", heading)
    name = _PROJECT_HEADING_RE.sub("", name)
    return name.strip()


def _is_project_heading(text: str) -> bool:
    return bool(_PROJECT_HEADING_RE.search(text)) and not _OVERALL_RE.search(text) and "部门整体" not in text


def _is_section_heading(text: str) -> bool:
    return bool(_SECTION_HEADING_RE.match(text))


def _is_indicator_header(row: Row) -> bool:
    labels = {clean_label(v) for v in row.values}
    return {"一级指标", "二级指标", "三级指标"} <= labels


def _header_columns(row: Row) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, value in enumerate(row.values):
        lab = clean_label(value)
        if lab == "一级指标":
            cols.setdefault("l1", i)
        elif lab == "二级指标":
            cols.setdefault("l2", i)
        elif lab == "三级指标":
            cols.setdefault("l3", i)
        elif lab in ("绩效指标描述", "指标描述", "指标解释", "指标说明", "指标内容"):
            cols.setdefault("desc", i)
        elif "依据" in lab or "评分标准" in lab or "扣分标准" in lab:
            cols.setdefault("basis", i)
        elif lab in ("度量单位", "计量单位"):
            cols.setdefault("unit", i)
        elif lab in ("指标性质", "指标数据类型"):
            cols.setdefault("vtype", i)
        elif "指标值" in lab and "内容" not in lab and "中长期" not in lab:
            cols.setdefault("value", i)
    return cols


def _entity_from_row(row: Row) -> Optional[tuple[Optional[str], str]]:
    """``450001新乐市医疗保障局本级 | …`` → (code, name); ``部门名称 | X`` → (None/code, X)."""
    if not row.cells:
        return None
    first = row.cells[0].value
    if clean_label(first) == "部门名称" and len(row) >= 2:
        value = row.cells[1].value
        if value:
            code, name = split_code_name(value)
            return code, name
        return None
    if len(row) > 4:
        return None
    code, name = split_code_name(first)
    if code and name and ORG_SUFFIX_RE.search(name):
        return code, name
    return None


def matches(lines: Sequence[str]) -> bool:
    """Word-table text with an indicator table (一级/二级/三级指标) or a 分项绩效目标 section."""
    try:
        if not lines or not is_word_table_text(lines):
            return False
        prose_section = False
        for block in read_blocks(lines):
            if isinstance(block, Row):
                if _is_indicator_header(block):
                    return True
            else:
                text = strip_field_code(block.text)
                if _SUB_GOALS_RE.match(clean_label(text)):
                    prose_section = True
                elif prose_section and _ITEM_INDICATOR_RE.match(text):
                    return True
        return False
    except Exception:  # never raise
        return False


# --- the parser -----------------------------------------------------------


class _State:
    def __init__(self, out: ParsedFiling) -> None:
        self.out = out
        self.entity: Optional[tuple[Optional[str], str, int]] = None  # code, name, line
        self.entity_keys: set[tuple[Optional[str], str]] = set()
        self.pending_heading: Optional[tuple[str, int]] = None  # title, line
        self.project: Optional[Project] = None
        self.overall = False
        self.overall_title: Optional[str] = None
        self.table_unit: Optional[str] = None
        self.goal_project: Optional[Project] = None  # goal that may continue on free lines
        self.goal_field = "goal_annual"
        self.expect_purpose: Optional[Project] = None
        self.amount_block = False  # inside a 年度预算申请 block
        self.plan_header: Optional[Row] = None
        self.project_keys: set[str] = set()
        self.sub_goals = False
        self.item_title: Optional[str] = None
        self.item_goal: Optional[str] = None

    # entities ---------------------------------------------------------
    def entity_code(self) -> Optional[str]:
        return self.entity[0] if self.entity else None

    def entity_name(self) -> str:
        return self.entity[1] if self.entity else ""

    def use_entity(self, line: int) -> None:
        """Record the entity in effect (once) when a record is attributed to it."""
        if self.entity is None:
            if ("", "") not in self.entity_keys:
                self.entity_keys.add(("", ""))
                self.out.issues.append(ParseIssue(
                    "warning", "entity_unknown",
                    "no budget entity row (code+name or 部门名称) precedes this table", line))
            return
        key = (self.entity[0], self.entity[1])
        if key not in self.entity_keys:
            self.entity_keys.add(key)
            self.out.entities.append(Entity(self.entity[2], self.entity[1], self.entity[0]))

    # projects ---------------------------------------------------------
    def new_project(self, line: int, name: str, code: Optional[str], title: Optional[str]) -> Project:
        self.use_entity(line)
        owner = self.entity_code() or self.entity_name() or "?"
        base = f"{owner}|{code or name}"
        key, n = base, 1
        while key in self.project_keys:
            n += 1
            key = f"{base}#{n}"
        self.project_keys.add(key)
        project = Project(
            source_line=line,
            project_key=key,
            entity_name=self.entity_name(),
            entity_code=self.entity_code(),
            project_name=name,
            project_code=code,
            title=title,
        )
        self.out.projects.append(project)
        self.project = project
        self.overall = False
        self.pending_heading = None
        return project

    def project_from_heading(self, line: int) -> Optional[Project]:
        if self.pending_heading is None:
            return None
        title, heading_line = self.pending_heading
        name = _project_name_from_heading(title)
        if not name:
            self.out.issues.append(ParseIssue(
                "warning", "project_name_missing", f"heading {title!r} names no project", heading_line))
        return self.new_project(heading_line, name, None, title)

    def unit_for(self, line: int, own: Optional[str] = None) -> Optional[str]:
        unit = own or self.table_unit
        if unit is None:
            self.out.issues.append(ParseIssue(
                "warning", "unit_missing", "amount without a declared money unit: not recorded", line))
        return unit

    def add_budget_line(self, *, source_line: int, value_line: int, label: str, amount: str,
                        unit: Optional[str], statement: str, title: str,
                        project_key: Optional[str]) -> None:
        measure = _measure_for_label(label)
        line_item = collapse_ws(label)
        if measure is None:
            self.out.issues.append(ParseIssue(
                "warning", "amount_label_unknown", f"amount labelled {line_item!r} not recorded", value_line))
            return
        if split_amount_unit(amount) is None:
            self.out.issues.append(ParseIssue(
                "warning", "amount_unparsed", f"{line_item}: {amount!r} is not an amount", value_line))
            return
        unit = self.unit_for(value_line, unit)
        if unit is None:
            return
        self.use_entity(source_line)
        self.out.budget_lines.append(BudgetLine(
            source_line=source_line,
            value_line=value_line,
            entity_name=self.entity_name(),
            entity_code=self.entity_code(),
            statement=statement,
            table_title=title,
            line_item=line_item,
            measure=measure,
            published_amount=amount,
            published_unit=unit,
            project_key=project_key,
            is_total_line=measure == "total",
        ))
        if self.out.published_unit is None:
            self.out.published_unit = unit


def parse(lines: Sequence[str]) -> ParsedFiling:
    out = ParsedFiling()
    try:
        _parse(lines if isinstance(lines, tuple) else tuple(lines or ()), out)  # a tuple: shares read_blocks
    except Exception as exc:  # pragma: no cover - defensive: parse() never raises
        out.issues.append(ParseIssue("error", "parser_failed", f"{type(exc).__name__}: {exc}"))
    if out.projects or any(t.project_key for t in out.targets):
        out.doc_kinds.append("project_targets")
    if any(t.project_key is None for t in out.targets) or any(
        b.statement == "overall_budget" for b in out.budget_lines
    ):
        out.doc_kinds.append("overall_targets")
    if out.doc_kinds:
        out.layouts = [NAME]
    else:
        out.issues.append(ParseIssue("warning", "no_target_tables", "no 绩效目标 tables found"))
    return out


def _parse(lines: list[str], out: ParsedFiling) -> None:
    if not lines:
        return
    blocks = read_blocks(lines)
    st = _State(out)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, TextLine):
            _on_text(st, block)
            i += 1
            continue
        row = block
        st.sub_goals = False
        st.goal_project = None  # a goal continues on free lines only up to the next row
        if _is_indicator_header(row):
            st.amount_block = False
            st.expect_purpose = None
            st.plan_header = None
            i = _read_indicator_table(st, blocks, i)
            continue
        _on_row(st, row)
        i += 1

    out.fiscal_year = find_fiscal_year(lines)
    # The filing's entity: the department (3-digit code) if any, else the first entity.
    if out.entities:
        dept = next((e for e in out.entities if e.unit_code and len(e.unit_code) == 3), out.entities[0])
        out.department_name = dept.entity_name
        out.unit_code = dept.unit_code


def _on_text(st: _State, block: TextLine) -> None:
    text = strip_field_code(block.text)
    if not text:
        return
    st.amount_block = False
    st.expect_purpose = None
    st.plan_header = None
    if _is_project_heading(text):
        st.goal_project = None
        st.sub_goals = False
        st.pending_heading = (text, block.line)
        st.project = None
        st.overall = False
        st.table_unit = None
        return
    if _OVERALL_RE.search(text):
        st.goal_project = None
        st.sub_goals = False
        st.pending_heading = None
        st.project = None
        st.overall = True
        st.overall_title = text
        st.table_unit = None
        return
    if st.goal_project is not None and not _is_section_heading(text):
        # A goal cell that continues after a blank line: free lines up to the next row.
        project = st.goal_project
        current = getattr(project, st.goal_field) or ""
        setattr(project, st.goal_field, (current + "\n" + text) if current else text)
        return
    st.goal_project = None
    st.pending_heading = None  # a heading is only a table's title when the table follows it
    label = clean_label(text)
    if _SUB_GOALS_RE.match(label):
        st.sub_goals = True
        st.item_title = st.item_goal = None
        return
    if _is_section_heading(text):
        st.sub_goals = False
        st.project = None
        st.overall = False
        return
    if st.sub_goals:
        _on_sub_goal_line(st, block.line, text)


def _on_sub_goal_line(st: _State, line: int, text: str) -> None:
    m = _ITEM_INDICATOR_RE.match(text)
    if m:
        if st.item_title is None:
            st.out.issues.append(ParseIssue(
                "warning", "indicator_without_item", "绩效指标 sentence before any numbered item", line))
        st.use_entity(line)
        st.out.targets.append(Target(
            source_line=line,
            entity_name=st.entity_name(),
            entity_code=st.entity_code(),
            horizon="annual",
            level3=st.item_title or "",
            target_text=m.group(1),
            project_key=None,
            description=st.item_goal,
        ))
        return
    m = _ITEM_GOAL_RE.match(text)
    if m:
        st.item_goal = m.group(1)
        return
    m = _ITEM_RE.match(text)
    if m:
        st.item_title = m.group(2).rstrip("。.．").strip()
        st.item_goal = None


def _on_row(st: _State, row: Row) -> None:
    values = row.values
    first = clean_label(values[0]) if values else ""

    # the money unit a table declares (单位：元 / （万元）)
    for cell in row.cells:
        unit = find_declared_unit(cell.text.replace("\n", ""))
        if unit:
            st.table_unit = unit
            break

    entity = _entity_from_row(row)
    if entity is not None:
        st.entity = (entity[0], entity[1], row.line)
        if first == "部门名称" and st.project is None:
            st.overall = True
        st.amount_block = False
        st.expect_purpose = None
        st.plan_header = None
        return

    # 资金用途: the row after the 预算规模及资金用途 row
    if st.expect_purpose is not None:
        project = st.expect_purpose
        st.expect_purpose = None
        if first in ("", "资金用途"):
            text = "\n".join(v for v in values[1:] if v)
            if text:
                project.purpose = text
            return

    # 资金支出计划: header row, then the row of percentages
    if st.plan_header is not None:
        header = st.plan_header
        st.plan_header = None
        if first == "":
            _read_spending_plan(st, header, row)
            return

    if first == "项目编码":
        pairs = _label_pairs(row)
        code = pairs.get("项目编码") or None
        name = pairs.get("项目名称", "")
        title = st.pending_heading[0] if st.pending_heading else None
        project = st.new_project(row.line, name, code, title)
        attr = pairs.get("项目属性")
        if attr:
            project.project_attribute = attr
        return

    if first == "项目名称" and st.project is None and st.pending_heading is not None:
        # a project table without 项目编码: only right under its 绩效目标表 heading
        pairs = _label_pairs(row)
        st.new_project(row.line, pairs.get("项目名称", ""), pairs.get("项目编码") or None,
                       st.pending_heading[0])
        return

    if first.startswith(_BUDGET_ROW_LABEL) or (first == "" and len(values) > 1 and clean_label(values[1]) == "预算数"):
        _read_project_budget(st, row)
        return

    if first.startswith("资金支出计划"):
        st.plan_header = row
        return

    if first in _GOAL_LABELS:
        project = st.project
        if project is None:
            project = st.project_from_heading(row.line)
        if project is None:
            st.out.issues.append(ParseIssue(
                "warning", "goal_without_project", "绩效目标 row outside a project table: ignored", row.line))
            return
        field = "goal_midterm" if _GOAL_LABELS[first] == "midterm" else "goal_annual"
        text = "\n".join(v for v in values[1:] if v)
        setattr(project, field, text or None)
        st.goal_project = project
        st.goal_field = field
        return

    # 年度预算申请 block: its first row, then the rows that continue it (blank label
    # cell, or 'label：amount' text in the cells), up to the next labelled row.
    if "预算申请" in first:
        st.amount_block = True
        _read_amount_pairs(st, row)
        return
    if st.amount_block:
        if first == "" or _row_has_amount_pairs(row):
            _read_amount_pairs(st, row)
            return
        st.amount_block = False


def _label_pairs(row: Row) -> dict[str, str]:
    """``项目编码 | X | 项目名称 | Y`` → {'项目编码': 'X', '项目名称': 'Y'}."""
    pairs: dict[str, str] = {}
    values = row.values
    for k in range(0, len(values) - 1, 2):
        pairs.setdefault(clean_label(values[k]), values[k + 1])
    return pairs


def _table_title(st: _State) -> str:
    if st.project is not None:
        return st.project.title or f"{st.project.project_name}绩效目标表"
    return st.overall_title or ""


def _read_project_budget(st: _State, row: Row) -> None:
    project = st.project
    if project is None:
        project = st.project_from_heading(row.line)
    if project is None:
        st.out.issues.append(ParseIssue(
            "warning", "budget_without_project", "预算规模 row outside a project table: ignored", row.line))
        return
    st.expect_purpose = project
    cells = row.cells
    k = 1
    while k + 1 < len(cells):
        label_cell, value_cell = cells[k], cells[k + 1]
        k += 2
        if not label_cell.value:
            continue
        amount = value_cell.value
        if not amount:
            continue  # blank: no amount published
        parsed = split_amount_unit(amount)
        own_unit = parsed[1] if parsed else None
        st.add_budget_line(
            source_line=row.line,
            value_line=value_cell.line,
            label=label_cell.value,
            amount=amount,
            unit=own_unit,
            statement="project_budget",
            title=_table_title(st),
            project_key=project.project_key,
        )


def _read_spending_plan(st: _State, header: Row, row: Row) -> None:
    project = st.project
    if project is None:
        st.out.issues.append(ParseIssue(
            "warning", "plan_without_project", "资金支出计划 outside a project table: ignored", row.line))
        return
    if len(row) != len(header):
        st.out.issues.append(ParseIssue(
            "warning", "row_width_mismatch",
            f"资金支出计划 values row has {len(row)} cells, header {len(header)}", row.line))
    for k in range(1, min(len(header), len(row))):
        period = collapse_ws(header.cells[k].value)
        value = row.cells[k].value
        if not value:
            continue
        m = _MONTH_RE.search(period)
        if not m:
            st.out.issues.append(ParseIssue(
                "warning", "plan_period_unknown", f"spending-plan column {period!r} names no month",
                header.cells[k].line))
            continue
        st.out.spending_plans.append(SpendingPlan(
            source_line=row.line,
            value_line=row.cells[k].line,
            project_key=project.project_key,
            period=period,
            period_month=int(m.group(1)),
            published_percent=value,
        ))


def _iter_pairs(row: Row):
    """(line, label, amount, unit) for each ``label：amount[万元]`` inside the row's cells."""
    for cell in row.cells:
        for offset, text in enumerate(cell.text.split("\n")):
            for m in _PAIR_RE.finditer(text):
                yield cell.line + offset, m.group("label"), m.group("amt"), m.group("unit")


def _row_has_amount_pairs(row: Row) -> bool:
    return any(True for _ in _iter_pairs(row))


def _read_amount_pairs(st: _State, row: Row) -> None:
    project = st.project
    statement = "project_budget" if project is not None else "overall_budget"
    for line, label, amount, unit in _iter_pairs(row):
        st.add_budget_line(
            source_line=line,
            value_line=line,
            label=label,
            amount=amount.replace("－", "-"),
            unit=unit,
            statement=statement,
            title=_table_title(st),
            project_key=project.project_key if project is not None else None,
        )


def _is_table_boundary(row: Row) -> bool:
    """A row that starts something else: never read as an indicator row."""
    first = clean_label(row.values[0]) if row.cells else ""
    if first in _GOAL_LABELS or first in ("项目编码", "项目名称", "部门名称") or first.startswith(
        (_BUDGET_ROW_LABEL, "资金支出计划", "年度预算申请")
    ):
        return True
    if _is_indicator_header(row):
        return True
    return _entity_from_row(row) is not None


def _read_indicator_table(st: _State, blocks: list, i: int) -> int:
    """Read the indicator header at blocks[i] and the rows under it; return the next index."""
    header: Row = blocks[i]
    cols = _header_columns(header)
    width = len(header)
    if "l3" not in cols or "value" not in cols:
        st.out.issues.append(ParseIssue(
            "warning", "indicator_header_incomplete",
            "indicator header without 三级指标 or 指标值 column: table skipped", header.line))
        return i + 1

    first = clean_label(header.values[0])
    project = st.project
    if project is None and st.pending_heading is not None:
        project = st.project_from_heading(header.line)
    if "部门整体" in first or "整体支出" in first:
        project = None
        st.overall = True
    if project is None and not st.overall:
        st.out.issues.append(ParseIssue(
            "warning", "targets_without_owner",
            "indicator table neither in a project table nor in a 部门整体 form: skipped", header.line))
        return i + 1

    level1: Optional[str] = None
    level2: Optional[str] = None
    j = i + 1
    while j < len(blocks) and isinstance(blocks[j], Row):
        row: Row = blocks[j]
        if _is_table_boundary(row):
            break
        consumed = 1
        if len(row) < width and j + 1 < len(blocks) and isinstance(blocks[j + 1], Row) \
                and not _is_table_boundary(blocks[j + 1]):
            merged = list(merge_split_rows([row, blocks[j + 1]], width))
            if len(merged) == 1:
                row, consumed = merged[0], 2
        if len(row) > width:
            st.out.issues.append(ParseIssue(
                "warning", "row_width_mismatch",
                f"row of {len(row)} cells under an indicator header of {width}: table ends", row.line))
            break
        if len(row) < width:
            st.out.issues.append(ParseIssue(
                "warning", "row_truncated",
                f"indicator row of {len(row)} cells (header {width}): missing cells read as blank", row.line))

        def cell(name: str):
            k = cols.get(name)
            if k is None or k >= len(row):
                return None
            return row.cells[k]

        def text(name: str) -> Optional[str]:
            c = cell(name)
            if c is None:
                return None
            return c.value or None

        l1, l2 = text("l1"), text("l2")
        if l1:
            level1, level2 = l1, None  # a new 一级 block: 二级 does not carry across it
        if l2:
            level2 = l2
        level3 = text("l3") or ""
        value_cell = cell("value")
        target_text = value_cell.value if value_cell is not None else ""
        desc, basis = text("desc"), text("basis")
        if not (level3 or target_text or desc or basis):
            j += consumed
            continue  # an empty row (only merged label cells): nothing to record
        st.use_entity(row.line)
        st.out.targets.append(Target(
            source_line=row.line,
            entity_name=st.entity_name(),
            entity_code=st.entity_code(),
            horizon="annual",
            level3=level3,
            target_text=target_text,
            project_key=project.project_key if project is not None else None,
            level1_published=level1,
            level2_published=level2,
            description=desc,
            basis=basis,
            unit_published=text("unit"),
            value_type_published=text("vtype"),
            value_line=value_cell.line if value_cell is not None else None,
        ))
        j += consumed
    return j
