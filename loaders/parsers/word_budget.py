"""部门预算 statements in the Word-table export layout (filing 002 and its kin).

A statement is a title line (部门预算收支总表, 单位预算支出总表, …), an entity row
(``450新乐市医疗保障局 | 预算年度：2021 | 单位：万元``), one or two header rows,
an optional 栏次 (column-number) row, then data rows. Department (部门) and unit
(单位) parts publish the same statements; each table names its own entity.

Header cells of merged (spanning) columns appear once, so the column labels of
a table are rebuilt from its widest header row, filling that row's blank
positions with the leaf labels of the row above (group labels such as 本年收入
stand over children that the wide row already names).

Output: one ``BudgetLine`` per non-blank amount cell. A published 0 is a record;
a blank cell is none.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from loaders.amounts import find_declared_unit, split_amount_unit
from loaders.parsers.common import clean_label, collapse_ws, find_fiscal_year, split_code_name
from loaders.records import BudgetLine, Entity, ParsedFiling, ParseIssue, StatementTable
from loaders.wordtable import Row, TextLine, merge_split_rows, read_blocks

NAME = "word_budget"

# Title keywords → statement (first match wins; order matters).
_STATEMENT_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("财政拨款收支总表",), "fiscal_appropriation_summary"),
    (("收支总表",), "income_expenditure_summary"),
    (("收入总表",), "income"),
    (("支出总表",), "expenditure"),
    (("三公",), "three_public"),
    (("基本支出表",), "basic_expenditure"),
    (("政府基金", "支出表"), "government_fund_expenditure"),
    (("政府性基金", "支出表"), "government_fund_expenditure"),
    (("国有资本经营", "支出表"), "state_capital_expenditure"),
    (("一般公共预算", "支出表"), "general_budget_expenditure"),
    (("固定资产",), "fixed_assets"),
    (("政府采购",), "government_procurement"),
)
_TITLE_RE = re.compile(r"^(?:部门|单位)?预算.{0,30}表$|^(?:部门|单位).{0,20}(?:固定资产|政府采购).{0,10}$")

# Statements whose rows carry a 功能分类 / 经济分类 code.
_CLASSIFICATION = {
    "income": "function",
    "expenditure": "function",
    "general_budget_expenditure": "function",
    "government_fund_expenditure": "function",
    "state_capital_expenditure": "function",
    "basic_expenditure": "economic",
}
_TWO_SIDED = {"income_expenditure_summary", "fiscal_appropriation_summary"}

# Column label (whitespace removed) → measure.
MEASURES = {
    "合计": "total",
    "小计": "current_year_subtotal",
    "财政拨款收入": "fiscal_appropriation",
    "财政专户收入": "special_account",
    "事业收入": "business_income",
    "经营收入": "operating_income",
    "上级补助收入": "superior_subsidy",
    "附属单位上缴收入": "affiliated_remittance",
    "其他收入": "other_income",
    "上年结转": "prior_year_carryover",
    "基本支出": "basic",
    "项目支出": "project",
    "经营支出": "operating_expenditure",
    "上解上级支出": "remittance_to_superior",
    "对附属单位补助支出": "subsidy_to_affiliates",
    "人员经费": "personnel",
    "公用经费": "public_funds",
    "一般公共预算财政拨款": "general_budget",
    "一般公共预算拨款": "general_budget",
    "政府性基金预算拨款": "government_fund",
    "政府性基金预算财政拨款": "government_fund",
    "国有资本经营预算财政拨款": "state_capital",
    "国有资本经营预算拨款": "state_capital",
    "财政专户核拨": "special_account",
    "基金预算拨款": "government_fund",
    "单位资金": "unit_funds",
}
# Labels of the key columns (not measures).
_KEY_LABELS = {"序号", "科目编码", "科目名称", "项目", "栏次", "功能分类科目", "支出部门经济分类科目"}
_TOTAL_LABEL_RE = re.compile(r"^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计)$")


def _statement_for(title: str) -> Optional[str]:
    compact = clean_label(title)
    for keywords, statement in _STATEMENT_RULES:
        if all(k in compact for k in keywords):
            return statement
    return None


def _is_title(block) -> Optional[str]:
    if not isinstance(block, TextLine):
        return None
    compact = clean_label(block.value)
    if not _TITLE_RE.match(compact):
        return None
    return _statement_for(compact)


def _entity_row(row: Row) -> Optional[tuple[Optional[str], str, Optional[int], Optional[str]]]:
    """``450新乐市医疗保障局 | 预算年度：2021 | 单位：万元`` → (code, name, year, unit)."""
    values = row.values
    if not values or not values[0]:
        return None
    rest = " ".join(values[1:])
    if "单位" not in rest and "预算年度" not in rest and "截止" not in rest:
        return None
    code, name = split_code_name(values[0])
    year_m = re.search(r"预算年度\s*[:：]\s*((?:19|20)\d\d)", rest)
    return code, name, int(year_m.group(1)) if year_m else None, find_declared_unit(rest)


def matches(lines: Sequence[str]) -> bool:
    blocks = read_blocks(lines)
    for i, block in enumerate(blocks[:-1]):
        if _is_title(block) and isinstance(blocks[i + 1], Row) and _entity_row(blocks[i + 1]):
            return True
    return False


def _column_labels(headers: list[Row], width: int) -> Optional[list[str]]:
    """Rebuild one label per data column from the header rows (see module doc)."""
    if not headers:
        return None
    wide = next((h for h in reversed(headers) if len(h) == width), None)
    if wide is None:
        return None
    labels = [clean_label(v) for v in wide.values]
    blanks = [i for i, lab in enumerate(labels) if not lab and i > 0]
    if blanks:
        above = [h for h in headers if h is not wide]
        leaves: list[str] = []
        for h in above:
            for v in h.values[1:]:
                lab = clean_label(v)
                if not lab or lab in _KEY_LABELS and lab != "项目":
                    continue
                if lab in ("功能分类科目", "支出部门经济分类科目"):
                    continue
                leaves.append(lab)
        # group labels (本年收入, 资金性质, 一般公共预算基本支出) stand over children the wide row names
        leaves = [lab for lab in leaves if lab in MEASURES or lab == "项目" or "结转" in lab]
        if len(leaves) == len(blanks):
            for i, lab in zip(blanks, leaves):
                labels[i] = lab
    return labels


def _measure(label: str, side: Optional[str], statement: str) -> Optional[str]:
    if label in ("预算数", "金额"):
        return side  # income | expenditure
    if statement in _TWO_SIDED and side == "expenditure" and label == "合计":
        return "expenditure"
    if statement == "fixed_assets" and label.startswith("价值"):
        return "asset_value"
    if "结转" in label and label != "上年结转":
        return None
    return MEASURES.get(label)


def parse(lines: Sequence[str]) -> ParsedFiling:
    out = ParsedFiling(layouts=[NAME])
    blocks = read_blocks(lines)
    i = 0
    n = len(blocks)
    while i < n:
        statement = _is_title(blocks[i])
        if not statement or i + 1 >= n or not isinstance(blocks[i + 1], Row):
            i += 1
            continue
        ent = _entity_row(blocks[i + 1])
        if not ent:
            i += 1
            continue
        title = collapse_ws(blocks[i].value)
        code, name, year, unit = ent
        if code is None and not name:
            i += 1
            continue
        out.entities.append(Entity(source_line=blocks[i + 1].line, entity_name=name, unit_code=code))
        if year and out.fiscal_year is None:
            out.fiscal_year = year
        # collect the table's rows
        j = i + 2
        rows: list[Row] = []
        while j < n and isinstance(blocks[j], Row):
            rows.append(blocks[j])
            j += 1
        before = len(out.budget_lines)
        body_rows = _read_table(out, statement, title, code, name, unit, rows)
        out.statement_tables.append(
            StatementTable(
                source_line=blocks[i].line,
                entity_name=name,
                entity_code=code,
                statement=statement,
                table_title=title,
                published_unit=unit,
                data_rows=body_rows,
                amounts=len(out.budget_lines) - before,
            )
        )
        i = j
    if out.budget_lines or out.entities:
        out.doc_kinds.append("department_budget")
    if any(b.statement == "three_public" for b in out.budget_lines):
        out.doc_kinds.append("three_public")
    units = {b.published_unit for b in out.budget_lines}
    if len(units) == 1:
        out.published_unit = units.pop()
    elif units:
        out.published_unit = "万元" if "万元" in units else sorted(units)[0]
    if out.fiscal_year is None and out.budget_lines:
        out.fiscal_year = find_fiscal_year(lines)
    if out.entities:
        top = next((e for e in out.entities if e.unit_code and len(e.unit_code) == 3), out.entities[0])
        out.department_name, out.unit_code = top.entity_name, top.unit_code
    return out


def _read_table(
    out: ParsedFiling,
    statement: str,
    title: str,
    code: Optional[str],
    name: str,
    unit: Optional[str],
    rows: list[Row],
) -> int:
    """Read one table's body into ``out``; returns the number of body rows."""
    if not rows:
        out.issues.append(ParseIssue("warning", "table_without_rows", f"{title}: no rows after the header"))
        return 0
    # header rows: up to and including the 栏次 row; else rows before the first numbered row
    header_end = next((k for k, r in enumerate(rows) if clean_label(r.values[0]) == "栏次"), None)
    if header_end is None:
        header_end = next(
            (k - 1 for k, r in enumerate(rows) if k > 0 and (r.values[0].isdigit() or _has_amount(r))),
            len(rows) - 1,  # no data row: every row is a header (an empty table)
        )
        headers, body = rows[: header_end + 1], rows[header_end + 1 :]
    else:
        headers, body = rows[:header_end], rows[header_end + 1 :]
    width = max((len(h) for h in headers), default=0)
    if body:
        width = max(width, max(len(r) for r in body))
    filled = [r for r in body if any(r.values)]
    labels = _column_labels(headers, width)
    if labels is None:
        if filled:  # an empty table (空表列示) needs no header
            out.issues.append(
                ParseIssue("warning", "header_unread", f"{title}: could not read the column headers", rows[0].line)
            )
        return len(filled)
    if statement == "fixed_assets":
        value_header = next((v for h in headers for v in h.values if "金额单位" in v), "")
        unit = find_declared_unit(value_header) or unit
    if unit is None:
        if filled:
            out.issues.append(
                ParseIssue("warning", "unit_missing", f"{title}: no 单位 declared; amounts not read", rows[0].line)
            )
        return len(filled)
    classification = _CLASSIFICATION.get(statement)
    for row in merge_split_rows(body, len(labels)):
        if len(row) != len(labels):
            out.issues.append(
                ParseIssue(
                    "warning",
                    "row_width",
                    f"{title}: row has {len(row)} cells where the header has {len(labels)}; read by position",
                    row.line,
                )
            )
        _read_row(out, statement, title, code, name, unit, classification, labels, row)
    return len(filled)


def _has_amount(row: Row) -> bool:
    return any(split_amount_unit(v) for v in row.values[1:])


def _read_row(out, statement, title, code, name, unit, classification, labels, row: Row) -> None:
    cells = row.cells
    side: Optional[str] = None
    item = ""
    subject_code = None
    for k, label in enumerate(labels[: len(cells)]):
        cell = cells[k]
        value = cell.value
        if k == 0 and label in ("", "序号") and (value.isdigit() or not value):
            continue  # the 序号 column
        if label == "科目编码":
            subject_code = value if value.isdigit() else None
            continue
        if label == "科目名称":
            item = collapse_ws(value)
            continue
        if label == "项目":
            side = "income" if side is None else "expenditure"
            item = collapse_ws(value)
            continue
        if statement == "fixed_assets" and k == 0:
            item = collapse_ws(value)
            continue
        if not value:
            continue
        parsed = split_amount_unit(value)
        measure = _measure(label, side, statement)
        if measure is None:
            if parsed is not None and label not in ("数量",):
                out.issues.append(
                    ParseIssue("warning", "column_unknown", f"{title}: amount under unknown column {label!r}", cell.line)
                )
            continue
        if parsed is None:
            out.issues.append(
                ParseIssue("warning", "amount_unreadable", f"{title}: {value!r} under {label} is not an amount", cell.line)
            )
            continue
        line_item = item or (collapse_ws(cells[1].value) if len(cells) > 1 else "")
        out.budget_lines.append(
            BudgetLine(
                source_line=row.line,
                value_line=cell.line,
                entity_name=name,
                entity_code=code,
                statement=statement,
                table_title=title,
                line_item=line_item,
                measure=measure,
                published_amount=value,
                published_unit=parsed[1] or unit,
                subject_code=subject_code if classification else None,
                classification=classification if subject_code else None,
                is_total_line=bool(_TOTAL_LABEL_RE.match(clean_label(line_item))),
                column_label=label,
            )
        )
