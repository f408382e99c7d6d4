"""The PDF-extracted 部门预算财政支出绩效目标批复表 layout (filing 001 and its kind).

One form per project, each opened by its title line (``…绩效目标批复表``). Rows are
tab-separated; the PDF extraction drops and adds empty cells, so columns drift
from page to page. A form reads:

* ``项目名称 | name``, ``实施单位 | unit``, ``项目属性 | attribute`` — the first
  non-blank cell after the label;
* the funding block: ``项目资金（万元） | 中期资金总额： | 2,858.5 | | 年度资金总额： | 858.5``
  then ``其中：财政拨款`` and ``其他资金`` rows, each with the midterm (left) and the
  annual (right) amount side by side. Each label is paired with the next non-blank
  cell when that cell is an amount; the side comes from the label (中期 / 年度) or
  else from its column relative to the 年度资金总额 label. Blank → no record; the
  unit is what the 项目资金 header declares (``（万元）``);
* ``总体目标 | 2021-2023 | … | 年度目标`` then the goal texts: cells left of the
  年度目标 column are the 中长期 goal, the others the 年度 goal (kept as published,
  ``<p>`` tags included, trimmed);
* the indicator table ``| 一级指标 | 二级指标 | 三级指标 | 中长期指标值 | 二级指标 |
  三级指标 | 本年度指标值``: the 三级 name is printed on both sides, so a row is
  anchored on the pair of equal cells (i, j), j − i ∈ {2, 3}, with nothing after
  j + 1 (the leftmost such pair that is not an indicator-level name): cells before
  i are the labels (section 绩效指标, 一级, 二级), i + 1 is the 中长期 value, i + 2 (when
  j − i = 3) the right-hand 二级, j + 1 the 本年度 value. Rows without such a pair
  that only name indicator levels update the carried labels; others are read by
  the header's column positions (warning ``row_layout_guess``).

Labels carry down within a form. One Target per indicator row and horizon
(midterm from 中长期指标值, annual from 本年度指标值, '' when blank); the annual
record's 二级 is the right-hand 二级 column when printed. Layout quirks handled by rule:

* a label split over two rows (``可持续`` then ``影响指标``) is rejoined when the two
  parts make a known 二级 name (warning ``label_rejoined``);
* an unknown label (``双重目标``, ``时效性``, ``服务对象满意``) is kept as published
  (warning ``label_unknown``);
* ``绩效指标`` in the first column is the merged section cell, not a 一级;
* a repeated 二级 cell (``产出指标 | 数量指标 | 数量指标 | …``) is one label;
* a lone 一级 name (``成本指标``) opens a block without 二级; the same name printed in
  the right-hand 二级 column is that merged cell, not a 二级;
* two indicators merged into one cell (name and values each holding two texts
  separated by a space between two ideographs) become two indicators when the
  name and every non-blank value split into the same number of parts
  (warning ``cell_split``);
* a goal text that stops mid-sentence (no closing punctuation) is kept
  (warning ``text_truncated``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from loaders.amounts import find_declared_unit, split_amount_unit
from loaders.parsers.common import clean_label, collapse_ws, find_fiscal_year
from loaders.parsers.tsv_targets import (
    KNOWN_LEVEL2,
    LEVEL1_NAMES,
    SECTION_LABELS,
    assign_levels,
    is_level1,
    is_level_name,
    label_issues,
)
from loaders.records import BudgetLine, Entity, ParsedFiling, ParseIssue, Project, Target

__all__ = ["NAME", "matches", "parse", "split_merged_cell"]

NAME = "pdf_approval_form"

_TITLE_KEY = "绩效目标批复表"
_MERGE_SPACE_RE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
# the text lines under a form title: (2021 年度), 填报单位（盖章）, page numbers
_PREAMBLE_RE = re.compile(r"^[(（]\s*\d{4}\s*年度?\s*[)）]$|^填报单位|^第?\s*\d+\s*页?$|^-\s*\d+\s*-$")
_CLOSING = tuple("。.！!？?；;）)>》”\"")


def _cells(line: str) -> list[str]:
    return [c.strip().strip("\u3000").strip() for c in line.split("\t")]


def _is_amount(text: str) -> bool:
    return split_amount_unit(text) is not None


def _is_title(line: str) -> bool:
    return _TITLE_KEY in line and len([c for c in line.split("\t") if c.strip()]) <= 1


def matches(lines: Sequence[str]) -> bool:
    """A 绩效目标批复表 title and a tab-separated row with a 中期资金总额 cell."""
    try:
        title = funding = False
        for line in lines:
            if _TITLE_KEY in line:
                title = True
            if "\t" in line and "中期资金总额" in clean_label(line):
                if sum(1 for c in _cells(line) if c) >= 2:
                    funding = True
            if title and funding:
                return True
        return False
    except Exception:  # pragma: no cover
        return False


def split_merged_cell(text: str) -> list[str]:
    """``'提高定点医疗机构满意率 提高参保人员满意率'`` → the two texts (split at a space
    between two ideographs; a space after punctuation is not a cell boundary)."""
    return [p for p in _MERGE_SPACE_RE.split(text or "") if p]


# --------------------------------------------------------------------------
# forms
# --------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    left: list[str]  # label cells before the 三级 (non-blank, section label dropped)
    right: str  # the right-hand 二级 cell ('' when blank)
    level3: str
    mid: str
    annual: str
    label_only: bool = False


@dataclass
class _Form:
    title: str
    title_line: int
    lines: list[tuple[int, list[str]]] = field(default_factory=list)


def _split_forms(lines: Sequence[str]) -> list[_Form]:
    forms: list[_Form] = []
    current: Optional[_Form] = None
    for idx, line in enumerate(lines, 1):
        if _is_title(line):
            current = _Form(line.strip(), idx)
            forms.append(current)
            continue
        if current is None:
            continue
        cells = _cells(line)
        if any(cells):
            current.lines.append((idx, cells))
    # a title repeated on a page break (no 项目名称 row under it) continues the form above
    merged: list[_Form] = []
    for form in forms:
        has_name = any(clean_label(cells[0]) == "项目名称" for _, cells in form.lines)
        if merged and not has_name:
            merged[-1].lines.extend(form.lines)
        else:
            merged.append(form)
    return merged


def _find_pair(cells: list[str]) -> Optional[tuple[int, int]]:
    n = len(cells)
    for i in range(n):
        a = cells[i]
        if not a or is_level_name(a) or clean_label(a) in SECTION_LABELS:
            continue
        if i > 0 and cells[i - 1] == a:
            continue  # a label printed twice (时效性→时效性) is a merged label cell, not the 三级 name
        for j in (i + 2, i + 3):
            if j < n and cells[j] == a and not any(cells[j + 2:]):
                return i, j
    return None


def _header_positions(cells: list[str]) -> dict[str, int]:
    pos: dict[str, int] = {}
    for idx, c in enumerate(cells):
        lab = clean_label(c)
        if lab == "一级指标":
            pos.setdefault("l1", idx)
        elif lab == "二级指标":
            pos["r2" if "l2" in pos else "l2"] = idx
        elif lab == "三级指标":
            pos["r3" if "l3" in pos else "l3"] = idx
        elif "中长期" in lab or "中期" in lab:
            pos["mid"] = idx
        elif "本年度" in lab or "年度指标值" in lab:
            pos["annual"] = idx
    return pos


def _dedupe(labels: list[str]) -> list[str]:
    out: list[str] = []
    for lab in labels:
        if lab and clean_label(lab) not in SECTION_LABELS and (not out or out[-1] != lab):
            out.append(lab)
    return out


def _read_row(line: int, cells: list[str], header: dict[str, int], issues: list[ParseIssue]) -> Optional[_Row]:
    pair = _find_pair(cells)
    if pair:
        i, j = pair
        return _Row(
            line=line,
            left=_dedupe(cells[:i]),
            right=cells[i + 2] if j - i == 3 else "",
            level3=cells[i],
            mid=cells[i + 1],
            annual=cells[j + 1] if j + 1 < len(cells) else "",
        )
    vals = [c for c in cells if c]
    if all(is_level_name(c) or clean_label(c) in SECTION_LABELS for c in vals):
        labels = _dedupe(vals)
        return _Row(line, labels, "", "", "", "", label_only=True)

    def at(key: str) -> str:
        k = header.get(key)
        return cells[k] if k is not None and k < len(cells) else ""

    l3_col = header.get("l3", 3)
    row = _Row(
        line=line,
        left=_dedupe(cells[:l3_col]),
        right=at("r2"),
        level3=at("l3") or at("r3"),
        mid=at("mid"),
        annual=at("annual"),
    )
    if not (row.level3 or row.mid or row.annual):
        row.label_only = True
        row.left = _dedupe(row.left + [row.right])
        row.right = ""
        return row
    issues.append(ParseIssue("warning", "row_layout_guess",
                             "indicator row without its 三级 name on both sides; read by header columns",
                             line))
    return row


def _rejoin(rows: list[_Row], issues: list[ParseIssue]) -> None:
    """可持续 (row k) + 影响指标 (row k+1) → 可持续影响指标 on both rows (left and right)."""
    for a, b in zip(rows, rows[1:]):
        joined = None
        if a.left and b.left:
            f = a.left[-1]
            g_idx = 1 if (is_level1(b.left[0]) and len(b.left) > 1) else 0
            g = b.left[g_idx]
            if not is_level_name(f) and clean_label(f + g) in KNOWN_LEVEL2:
                joined = f + g
                a.left[-1] = joined
                b.left[g_idx] = joined
        if a.right and b.right and not is_level_name(a.right):
            if clean_label(a.right + b.right) in KNOWN_LEVEL2:
                joined = a.right + b.right
                a.right = b.right = joined
        if joined:
            issues.append(ParseIssue(
                "warning", "label_rejoined",
                f"label split over lines {a.line} and {b.line} read as {joined!r}", a.line))


class _Reader:
    def __init__(self, lines: Sequence[str]):
        self.lines = list(lines or [])
        self.out = ParsedFiling(layouts=[NAME])
        self.global_unit = find_declared_unit("\n".join(self.lines))
        self.unit_warned = False
        self.entities: dict[str, int] = {}

    def issue(self, severity: str, code: str, message: str, line: Optional[int] = None) -> None:
        self.out.issues.append(ParseIssue(severity, code, message, line))

    def run(self) -> ParsedFiling:
        self.out.fiscal_year = find_fiscal_year(self.lines)
        forms = _split_forms(self.lines)
        if not forms:
            self.issue("error", "not_a_filing", "no 绩效目标批复表 title found")
        for index, form in enumerate(forms, 1):
            self.read_form(index, form)
        if self.out.projects:
            self.out.doc_kinds.append("project_targets")
        self.out.entities = [Entity(source_line=line, entity_name=name) for name, line in self.entities.items()]
        if self.entities:
            self.out.department_name = next(iter(self.entities))
        return self.out

    # ---------------------------------------------------------------- form
    def read_form(self, index: int, form: _Form) -> None:
        info: dict[str, tuple[str, int]] = {}
        funding: list[tuple[int, list[str]]] = []
        goal_header: Optional[list[str]] = None
        goal_rows: list[tuple[int, list[str]]] = []
        header: dict[str, int] = {}
        ind_rows: list[_Row] = []
        unit: Optional[str] = None
        state = "head"
        for line, cells in form.lines:
            if len(cells) == 1 and (state != "goals" or _PREAMBLE_RE.search(cells[0])):
                # a line without tabs is no table row (in the goals it may continue a goal text)
                if not _PREAMBLE_RE.search(cells[0]):
                    self.issue("warning", "row_unrecognised", f"text {cells[0][:40]!r} not read", line)
                continue
            first = clean_label(cells[0])
            rest = [c for c in cells[1:] if c]
            labels = {clean_label(c) for c in cells}
            if first in ("项目名称", "实施单位", "项目属性", "主管部门", "项目负责人") and state == "head":
                info.setdefault(first, (rest[0] if rest else "", line))
            elif state in ("head", "funding") and (first.startswith("项目资金")
                                                   or any("资金总额" in lab for lab in labels)):
                state = "funding"
                unit = unit or find_declared_unit(" ".join(cells))
                funding.append((line, cells))
            elif first.startswith("总体目标") or "年度目标" in labels:
                state = "goals"
                goal_header = cells
            elif "一级指标" in labels and "三级指标" in labels:
                state = "indicators"
                header = header or _header_positions(cells)
            elif state == "funding":
                funding.append((line, cells))
            elif state == "goals":
                goal_rows.append((line, cells))
            elif state == "indicators":
                row = _read_row(line, cells, header, self.out.issues)
                if row is not None:
                    ind_rows.append(row)
            else:
                self.issue("warning", "row_unrecognised", f"row {collapse_ws(' '.join(cells))[:40]!r} not read",
                           line)

        name, name_line = info.get("项目名称", ("", form.title_line))
        entity, entity_line = info.get("实施单位", ("", form.title_line))
        if not name:
            self.issue("warning", "project_name_missing", "form without 项目名称", form.title_line)
        if not entity:
            self.issue("warning", "entity_missing", "form without 实施单位", form.title_line)
        else:
            self.entities.setdefault(entity, entity_line)
        if not (name or funding or ind_rows):
            return
        key = f"{index}:{name}"
        goal_mid, goal_annual = self.read_goals(goal_header, goal_rows)
        self.out.projects.append(Project(
            source_line=name_line, project_key=key, entity_name=entity, entity_code=None,
            project_name=name, project_attribute=info.get("项目属性", (None,))[0] or None,
            goal_annual=goal_annual, goal_midterm=goal_mid, title=form.title))
        if unit is None and funding:
            unit = self.assumed_unit(funding[0][0])
        if unit and self.out.published_unit is None:
            self.out.published_unit = unit
        self.read_funding(funding, unit or "万元", key, entity, form.title)
        self.read_indicators(ind_rows, key, entity)

    def assumed_unit(self, line: int) -> str:
        if self.global_unit:
            return self.global_unit
        if not self.unit_warned:
            self.unit_warned = True
            self.issue("warning", "unit_assumed", "no 单位 declared in the 项目资金 header; amounts read as 万元",
                       line)
        return "万元"

    # ------------------------------------------------------------- goals
    def read_goals(self, header: Optional[list[str]], rows: list[tuple[int, list[str]]]):
        if header is None:
            return None, None
        split = next((k for k, c in enumerate(header) if "年度目标" in clean_label(c)), None)
        mid: list[str] = []
        annual: list[str] = []
        for _, cells in rows:
            for k, c in enumerate(cells):
                if not c:
                    continue
                if split is not None and k >= split:
                    annual.append(c)
                else:
                    mid.append(c)
        first_line = rows[0][0] if rows else None
        out = []
        for side, parts in (("中长期", mid), ("年度", annual)):
            text = "\n".join(parts).strip() or None
            if text and not text.endswith(_CLOSING):
                self.issue("warning", "text_truncated",
                           f"{side}目标 stops mid-sentence ({text[-8:]!r}); kept as published", first_line)
            out.append(text)
        return out[0], out[1]

    # ----------------------------------------------------------- funding
    def read_funding(self, rows, unit: str, key: str, entity: str, title: str) -> None:
        annual_col = None
        for _, cells in rows:
            for k, c in enumerate(cells):
                if "年度资金总额" in clean_label(c) and "中期" not in clean_label(c):
                    annual_col = k
                    break
            if annual_col is not None:
                break
        for line, cells in rows:
            labels = [k for k, c in enumerate(cells)
                      if c and not _is_amount(c) and not clean_label(c).startswith("项目资金")]
            for n, k in enumerate(labels):
                stop = labels[n + 1] if n + 1 < len(labels) else len(cells)
                value = next((cells[m] for m in range(k + 1, stop) if cells[m]), "")
                if not value or not _is_amount(value):
                    continue
                label = collapse_ws(cells[k]).rstrip(":：").strip()
                lab = clean_label(label)
                if "中期" in lab:
                    side = "midterm"
                elif "年度" in lab:
                    side = "annual"
                elif annual_col is not None:
                    side = "annual" if k >= annual_col else "midterm"
                else:
                    side = "midterm" if n == 0 else "annual"
                if "资金总额" in lab or lab in ("合计", "总计"):
                    measure = side
                elif "财政拨款" in lab or "财政资金" in lab:
                    measure = f"{side}_fiscal_appropriation"
                elif "其他资金" in lab:
                    measure = f"{side}_other_funds"
                else:
                    measure = f"{side}_unclassified"
                    self.issue("warning", "label_unknown", f"funding label {label!r} not known", line)
                self.out.budget_lines.append(BudgetLine(
                    source_line=line, value_line=line, entity_name=entity, entity_code=None,
                    statement="project_budget", table_title=title, line_item=label, measure=measure,
                    published_amount=value, published_unit=unit, project_key=key))

    # -------------------------------------------------------- indicators
    def read_indicators(self, rows: list[_Row], key: str, entity: str) -> None:
        _rejoin(rows, self.out.issues)
        l1: Optional[str] = None
        l2: Optional[str] = None
        r2: Optional[str] = None
        for row in rows:
            published = bool(row.left)
            l1, l2 = assign_levels(row.left, l1, l2)
            if row.right:
                r2 = None if (is_level1(row.right) and row.right == l1 and l2 is None) else row.right
            elif published:
                r2 = l2
            self.out.issues.extend(label_issues(row.left, l1, l2, row.line))
            if row.right and row.right not in row.left and row.right not in LEVEL1_NAMES:
                self.out.issues.extend(label_issues([row.right], l1, r2, row.line))
            if row.label_only:
                continue
            if not row.level3:
                self.issue("warning", "level3_missing", "indicator row without a 三级 name", row.line)
            names = [row.level3]
            mids, annuals = [row.mid], [row.annual]
            parts = split_merged_cell(row.level3)
            if len(parts) >= 2 and (row.mid or row.annual):
                vm = split_merged_cell(row.mid) if row.mid else [""] * len(parts)
                va = split_merged_cell(row.annual) if row.annual else [""] * len(parts)
                if len(vm) == len(parts) and len(va) == len(parts):
                    names, mids, annuals = parts, vm, va
                    self.issue("warning", "cell_split",
                               f"{len(parts)} indicators merged in one cell split: {parts!r}", row.line)
            for name, mid, annual in zip(names, mids, annuals):
                for horizon, text, level2 in (("midterm", mid, l2), ("annual", annual, r2)):
                    self.out.targets.append(Target(
                        source_line=row.line, entity_name=entity, entity_code=None, horizon=horizon,
                        level3=name, target_text=text, project_key=key,
                        level1_published=l1, level2_published=level2))


def parse(lines: Sequence[str]) -> ParsedFiling:
    """Read every 绩效目标批复表 form: project, funding amounts, goals and indicators."""
    reader = _Reader(lines)
    try:
        return reader.run()
    except Exception as exc:  # parse never raises: report what broke
        reader.issue("error", "parser_exception", f"{type(exc).__name__}: {exc}")
        return reader.out
