"""The tab-separated 绩效目标表 / 三公 layout (filing 003 and its kind).

Every table row is one line, cells separated by tabs. Three tables are read:

* 项目支出绩效目标表 — header ``单位代码 | 单位(专项)名称 | 资金总额 | 实施期绩效目标
  | 绩效指标…`` over ``一级指标 | 二级指标 | 三级指标 | 指标值 | 指标值内容 | 评(扣分标准)
  | 度量单位 | 指标数据类型 | 备注``. A row whose first cell is a 3-digit code is the
  部门 line (its name cell names the department, its amount is the department
  total); a row whose first cell is a 6-digit code opens a PROJECT of that 单位
  (the name cell is the project name, not the unit's name); every other row
  continues the previous project, even when it starts in the first column.
* 整体支出绩效目标表 — one row per 单位: code, name, the money columns
  (资金总额, 一般公共预算, 政府性基金拨款, 财政专户管理资金, 其他资金, 基本支出, 项目支出),
  the 整体绩效目标 text, then indicator cells in the order 一级 | 二级 | 三级 |
  指标值类型 | 指标值 | 计量单位 | 指标解释 | 评分 | 备注.
* “三公”经费预算情况表 — ONE COLUMN PER ITEM (合计, 公务接待费, 因公出国(境)费, …),
  one row per unit, a ``**  **  1  2 …`` numbering row and a 合计 row.

Indicator cells drift one or two cells left or right from the header's columns,
so they are classified by what they say, never by position: 一级/二级 names
(``…指标``) before the 三级 name; then 定量/定性 tokens (指标数据类型 / 指标值类型; such a
token is never a unit, wherever it stands), short unit tokens (%, 人, 人次, 万元, …) and
the remaining texts, assigned in the header's order (项目表: 指标值, 指标值内容,
评分; 整体表: 指标值, 指标解释, 评分). The LAST indicator-level name before the 三级 is
the 二级; the first is the 一级 when it is a 一级 name (a lone 一级 name such as
``成本指标`` opens a block without 二级). Merged (blank) label cells carry down within
a project (and within the 整体 table).

Not read: the 整体绩效目标 text of the 整体 table (no field for it yet).

The indicator vocabulary (``LEVEL1_NAMES``, ``LEVEL2_BY_LEVEL1``, ``is_level_name``,
``assign_levels``, ``label_issues``) is shared with ``approval_form``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from loaders.amounts import find_declared_unit, split_amount_unit
from loaders.parsers.common import clean_label, find_fiscal_year
from loaders.records import BudgetLine, Entity, ParsedFiling, ParseIssue, Project, Target

__all__ = [
    "NAME",
    "matches",
    "parse",
    "LEVEL1_NAMES",
    "LEVEL2_BY_LEVEL1",
    "KNOWN_LEVEL2",
    "SECTION_LABELS",
    "is_level1",
    "is_level_name",
    "is_unit_token",
    "is_value_type",
    "assign_levels",
    "label_issues",
]

NAME = "tsv_targets"

# --------------------------------------------------------------------------
# indicator vocabulary (shared with approval_form)
# --------------------------------------------------------------------------

LEVEL1_NAMES = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标", "效果指标", "管理指标"})

# The standard 财政部 framework. 成本指标 is a 二级 under 产出指标 in the older
# template and a 一级 (with 经济/社会/生态环境成本指标) in the newer one.
LEVEL2_BY_LEVEL1: dict[str, frozenset[str]] = {
    "产出指标": frozenset({"数量指标", "质量指标", "时效指标", "成本指标"}),
    "效益指标": frozenset({"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"}),
    "效果指标": frozenset({"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"}),
    "满意度指标": frozenset({"服务对象满意度指标"}),
    "成本指标": frozenset({"经济成本指标", "社会成本指标", "生态环境成本指标", "成本指标"}),
}
KNOWN_LEVEL2 = frozenset().union(*LEVEL2_BY_LEVEL1.values())

SECTION_LABELS = frozenset({"绩效指标"})  # the merged cell spanning the indicator rows
_HEADER_LABELS = frozenset({"一级指标", "二级指标", "三级指标"})
_VALUE_TYPES = frozenset({"定量", "定性"})
_PUNCT_OR_DIGIT_RE = re.compile(r"[\d%％,，.。;；:：、()（）<>《》≥≤=＞＜~\-—/]")
_UNIT_RE = re.compile(
    r"^(?:%|％|‰|"
    r"[十百千万亿]*(?:元|人次|人|户|次|家|套|个|项|件|台|份|所|天|日|月|年|小时|工作日|"
    r"公里|千米|米|平方米|亩|吨|册|场|期|批|篇|辆|张|条|本|部|周|季度|岁|床|例|处|名|种|类|分)"
    r"(?:/[\u4e00-\u9fff·]{1,4})?)$"
)


def is_level1(text: Optional[str]) -> bool:
    return clean_label(text) in LEVEL1_NAMES


def is_level_name(text: Optional[str]) -> bool:
    """A 一级/二级 indicator name: a known name, or a short ``…指标`` without digits or punctuation."""
    t = clean_label(text)
    if not t or t in SECTION_LABELS or t in _HEADER_LABELS:
        return False
    if t in LEVEL1_NAMES or t in KNOWN_LEVEL2:
        return True
    return t.endswith("指标") and 3 <= len(t) <= 12 and not _PUNCT_OR_DIGIT_RE.search(t)


def is_value_type(text: Optional[str]) -> bool:
    return clean_label(text) in _VALUE_TYPES


def is_unit_token(text: Optional[str]) -> bool:
    """A 度量单位 / 计量单位 cell: %, 人, 人次, 万人次, 次, 套, 年, 家, 万元, 元/人 …"""
    t = clean_label(text)
    return bool(t) and len(t) <= 6 and bool(_UNIT_RE.match(t))


def assign_levels(
    labels: Sequence[str], level1: Optional[str], level2: Optional[str]
) -> tuple[Optional[str], Optional[str]]:
    """The (一级, 二级) that apply to a row, given the label cells it publishes.

    ``labels``: the row's non-blank label cells before the 三级, in order (section
    labels such as 绩效指标 are dropped). No labels: both carry down. A first label
    that is a 一级 name is the 一级 and the LAST other label is the 二级 (a lone 一级
    name opens a block without 二级); otherwise the 一级 carries down and the last
    label is the 二级.
    """
    labs = [lab for lab in labels if lab and clean_label(lab) not in SECTION_LABELS]
    if not labs:
        return level1, level2
    if is_level1(labs[0]):
        rest = labs[1:]
        return labs[0], (rest[-1] if rest else None)
    return level1, labs[-1]


def label_issues(
    labels: Sequence[str], level1: Optional[str], level2: Optional[str], line: int
) -> list[ParseIssue]:
    """label_unknown for a published label outside the vocabulary; label_conflict when
    the row's 二级 does not belong under its 一级 (both known)."""
    issues: list[ParseIssue] = []
    seen: set[str] = set()
    for lab in labels:
        t = clean_label(lab)
        if not t or t in seen or t in SECTION_LABELS:
            continue
        seen.add(t)
        if t not in LEVEL1_NAMES and t not in KNOWN_LEVEL2:
            issues.append(ParseIssue(
                "warning", "label_unknown",
                f"indicator label {lab!r} is not a known 一级/二级 name; kept as published", line))
    l1, l2 = clean_label(level1), clean_label(level2)
    if labels and l1 in LEVEL2_BY_LEVEL1 and l2 in KNOWN_LEVEL2 and l2 not in LEVEL2_BY_LEVEL1[l1]:
        issues.append(ParseIssue(
            "warning", "label_conflict",
            f"二级 {level2!r} does not belong under 一级 {level1!r}; both kept as published", line))
    return issues


# --------------------------------------------------------------------------
# cells and tables
# --------------------------------------------------------------------------

_CODE_RE = re.compile(r"^\d{3}(?:\d{3})?$")
_UNIT_CODE_LABELS = frozenset({"单位代码", "单位编码"})
_HEADER_WORDS = frozenset({
    "单位代码", "单位编码", "单位名称", "单位(专项)名称", "单位（专项）名称", "资金总额",
    "实施期绩效目标", "绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "指标值内容",
    "度量单位", "计量单位", "指标数据类型", "指标值类型", "备注", "指标解释", "年度预算申请",
    "按收入性质分", "按支出性质分", "一般公共预算", "政府性基金拨款", "财政专户管理资金",
    "其他资金", "基本支出", "项目支出", "整体绩效目标", "合计", "公务接待费",
})
_TOTAL_LABELS = frozenset({"合计", "总计", "小计"})

# 整体表 money columns → measure
_OVERALL_MEASURES = (
    ("资金总额", "total"),
    ("合计", "total"),
    ("一般公共预算", "general_budget"),
    ("政府性基金", "government_fund"),
    ("财政专户", "special_account"),
    ("其他资金", "other_funds"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
)

# header label → Target field for the free-text cells after the 三级 (in header order)
_FREE_FIELDS = (
    ("指标值内容", "value_content"),
    ("指标值", "target_text"),
    ("指标解释", "description"),
    ("绩效指标描述", "description"),
    ("指标说明", "description"),
    ("评(扣分标准)", "basis"),
    ("评分(扣分值)", "basis"),
    ("评分标准", "basis"),
    ("指标值确定依据", "basis"),
    ("备注", "remark"),
)
_DEFAULT_FREE = {
    "project": ["target_text", "value_content", "basis", "remark"],
    "overall": ["target_text", "description", "basis", "remark"],
}


def _cells(line: str) -> list[str]:
    return [c.strip().strip("\u3000").strip() for c in line.split("\t")]


def _is_amount(text: str) -> bool:
    return split_amount_unit(text) is not None


def _is_tab_row(line: str, min_cells: int = 3) -> bool:
    if "\t" not in line:
        return False
    return sum(1 for c in _cells(line) if c) >= min_cells


def _is_unit_header(line: str) -> bool:
    return _is_tab_row(line) and any(clean_label(c) in _UNIT_CODE_LABELS for c in _cells(line))


def _is_numbering_row(cells: list[str]) -> bool:
    vals = [c for c in cells if c]
    if len(vals) < 2:
        return False
    nums = [v for v in vals if v.isdigit()]
    if any(not (v.isdigit() or set(v) <= {"*", "＊"}) for v in vals):
        return False
    return nums == [str(k) for k in range(1, len(nums) + 1)]


def _is_header_row(cells: list[str]) -> bool:
    if not any(cells) or _CODE_RE.match(cells[0] or ""):
        return False
    if _is_numbering_row(cells):
        return True
    if any(_is_amount(c) for c in cells if c):
        return False
    return any(clean_label(c) in _HEADER_WORDS for c in cells)


@dataclass
class _Table:
    kind: str  # project | overall | three_public | unknown
    title: str
    title_line: Optional[int]
    header: list[tuple[int, list[str]]]  # (line, cells), the 单位代码 row first
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # text lines above the header (title, 单位)
    end: int = 0  # 0-based index of the first line after the table

    @property
    def header_line(self) -> int:
        return self.header[0][0]

    def header_text(self) -> str:
        return "".join(clean_label(c) for _, cells in self.header for c in cells)


def _find_tables(lines: Sequence[str]) -> list[_Table]:
    tables: list[_Table] = []
    n = len(lines)
    i = 0
    while i < n:
        if not _is_unit_header(lines[i]):
            i += 1
            continue
        header = [(i + 1, _cells(lines[i]))]
        j = i + 1
        while j < n:
            if not lines[j].strip():
                j += 1
                continue
            if "\t" not in lines[j] or _is_unit_header(lines[j]):
                break
            cells = _cells(lines[j])
            if not _is_header_row(cells):
                break
            header.append((j + 1, cells))
            j += 1
        # preamble: the text lines between the previous table and this header; the
        # title is the nearest of them that is not a unit declaration (单位：万元)
        start = tables[-1].end if tables else 0
        preamble = [(k + 1, lines[k].strip()) for k in range(max(start, i - 12), i)
                    if lines[k].strip() and "\t" not in lines[k]]
        title, title_line = "", None
        for line_no, text in reversed(preamble):
            if not (find_declared_unit(text) and len(clean_label(text)) <= 12):
                title, title_line = text, line_no
                break
        table = _Table("unknown", title, title_line, header, preamble=[t for _, t in preamble])
        text = table.header_text() + clean_label(title)
        if "公务接待费" in text:
            table.kind = "three_public"
        elif "整体绩效目标" in text or "年度预算申请" in text or "整体" in clean_label(title):
            table.kind = "overall"
        elif "三级指标" in text:
            table.kind = "project"
        # rows until a line that is not a table row (a title, a note) or the next header
        while j < n:
            line = lines[j]
            if line.strip():
                if "\t" not in line or _is_unit_header(line):
                    break
                table.rows.append((j + 1, _cells(line)))
            j += 1
        table.end = j
        tables.append(table)
        i = j
    return tables


def matches(lines: Sequence[str]) -> bool:
    """A tab-separated header row with 单位代码/单位编码 followed by one with 三级指标,
    or a tab-separated 三公 table (a row with a 公务接待费 column under a “三公” title)."""
    try:
        if not any(("代码" in l or "编码" in l) and l.find("\t", 1) != -1 for l in lines):
            return False  # no tab-separated table header at all (cheap test first)
        n = len(lines)
        saw_three_public_title = False
        for i, line in enumerate(lines):
            if "三公" in line and "\t" not in line:
                saw_three_public_title = True
            if _is_unit_header(line):
                window = [lines[k] for k in range(i, min(n, i + 4)) if _is_tab_row(lines[k], 2)]
                cells = {clean_label(c) for w in window for c in _cells(w)}
                if "三级指标" in cells:
                    return True
                if "公务接待费" in cells and (saw_three_public_title or any("三公" in w for w in window)):
                    return True
        return False
    except Exception:  # pragma: no cover - matches must never raise either
        return False


# --------------------------------------------------------------------------
# indicator cells
# --------------------------------------------------------------------------


@dataclass
class _Indicator:
    labels: list[str]
    level3: str
    target_text: str = ""
    value_content: Optional[str] = None
    description: Optional[str] = None
    basis: Optional[str] = None
    unit: Optional[str] = None
    value_type: Optional[str] = None
    misplaced: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _free_order(table: _Table) -> list[str]:
    """The Target fields of the free-text cells after 三级指标, in the header's column order."""
    found: dict[int, str] = {}
    third = None
    for _, cells in table.header:
        for idx, c in enumerate(cells):
            lab = clean_label(c)
            if lab == "三级指标":
                third = idx if third is None else min(third, idx)
    for _, cells in table.header:
        for idx, c in enumerate(cells):
            lab = clean_label(c)
            if third is not None and idx <= third:
                continue
            for key, fld in _FREE_FIELDS:
                if lab == clean_label(key):
                    found.setdefault(idx, fld)
                    break
    order = [fld for _, fld in sorted(found.items())]
    if "target_text" not in order:
        return list(_DEFAULT_FREE.get(table.kind, _DEFAULT_FREE["project"]))
    return order


def _read_indicator(area: Sequence[str], free_order: Sequence[str]) -> Optional[_Indicator]:
    vals = [c for c in area if c]
    if not vals:
        return None
    k = 0
    labels: list[str] = []
    while k < len(vals) and (is_level_name(vals[k]) or clean_label(vals[k]) in SECTION_LABELS):
        if clean_label(vals[k]) not in SECTION_LABELS:
            labels.append(vals[k])
        k += 1
    level3 = ""
    if k < len(vals) and not is_value_type(vals[k]) and not is_unit_token(vals[k]):
        level3 = vals[k]
        k += 1
    ind = _Indicator(labels=labels, level3=level3)
    free: list[str] = []
    for c in vals[k:]:
        if is_value_type(c):
            if ind.value_type is None:
                ind.value_type = c
            else:
                ind.misplaced.append(c)
        elif is_unit_token(c) and ind.unit is None:
            ind.unit = c
        else:
            free.append(c)
    for fld, text in zip(free_order, free):
        if fld == "target_text":
            ind.target_text = text
        elif fld == "value_content":
            ind.value_content = text
        elif fld == "description":
            ind.description = text
        elif fld == "basis":
            ind.basis = text
        else:
            ind.ignored.append(text)
    ind.ignored.extend(free[len(free_order):])
    return ind


# --------------------------------------------------------------------------
# parse
# --------------------------------------------------------------------------


class _State:
    def __init__(self, lines: Sequence[str]):
        self.lines = lines
        self.out = ParsedFiling(layouts=[NAME])
        self.names: dict[str, tuple[str, int]] = {}  # entity code → (name as published, line)
        self.department: Optional[str] = None  # 3-digit code
        self.pending_entity: list = []  # records whose entity_name is resolved at the end
        self.global_unit = find_declared_unit("\n".join(lines))
        self.unit_warned = False
        self.project_count = 0

    def issue(self, severity: str, code: str, message: str, line: Optional[int] = None) -> None:
        self.out.issues.append(ParseIssue(severity, code, message, line))

    def name_entity(self, code: str, name: str, line: int) -> None:
        if not name:
            return
        if code not in self.names:
            self.names[code] = (name, line)
        elif self.names[code][0] != name:
            self.issue("warning", "entity_name_conflict",
                       f"code {code} named {name!r} here but {self.names[code][0]!r} "
                       f"at line {self.names[code][1]}; first name kept", line)
        if len(code) == 3 and self.department is None:
            self.department = code

    def table_unit(self, table: _Table) -> str:
        text = "\n".join(table.preamble + ["\t".join(c) for _, c in table.header])
        unit = find_declared_unit(text) or self.global_unit
        if unit:
            return unit
        if not self.unit_warned:
            self.unit_warned = True
            self.issue("warning", "unit_assumed",
                       "no 单位 declared; amounts read as 万元 (the unit these 绩效目标/三公 "
                       "tables are filed in)", table.title_line or table.header_line)
        return "万元"

    def budget_line(self, **kw) -> BudgetLine:
        bl = BudgetLine(**kw)
        self.out.budget_lines.append(bl)
        if kw.get("entity_code"):
            self.pending_entity.append(bl)
        return bl


def _amount_ok(st: _State, text: str, what: str, line: int) -> bool:
    if not text:
        return False
    if _is_amount(text):
        return True
    st.issue("warning", "amount_unparsed", f"{what}: {text!r} is not an amount", line)
    return False


def _emit_indicator(st: _State, ind: _Indicator, ctx: dict, line: int, *, entity_code: Optional[str],
                    project_key: Optional[str], seen: set) -> None:
    l1, l2 = assign_levels(ind.labels, ctx.get("l1"), ctx.get("l2"))
    ctx["l1"], ctx["l2"] = l1, l2
    st.out.issues.extend(label_issues(ind.labels, l1, l2, line))
    for tok in ind.misplaced:
        st.issue("warning", "cell_misplaced",
                 f"{tok!r} stands where a unit or value is expected; a 定量/定性 token is never a unit",
                 line)
    if ind.ignored:
        st.issue("warning", "cell_ignored", f"cells not read: {ind.ignored!r}", line)
    if not ind.level3:
        if ind.target_text or ind.value_type or ind.unit:
            st.issue("warning", "level3_missing", "indicator row without a 三级 name", line)
        else:
            return  # a row that only names 一级/二级 indicators
    key = (project_key, entity_code, l1, l2, ind.level3, ind.target_text, ind.value_content, ind.unit,
           ind.value_type)
    if key in seen:
        st.issue("warning", "duplicate_row", f"indicator {ind.level3!r} published twice with the same "
                 "values; both kept", line)
    seen.add(key)
    t = Target(
        source_line=line,
        entity_name="",
        entity_code=entity_code,
        horizon="annual",
        level3=ind.level3,
        target_text=ind.target_text,
        project_key=project_key,
        level1_published=l1,
        level2_published=l2,
        description=ind.description,
        basis=ind.basis,
        unit_published=ind.unit,
        value_type_published=ind.value_type,
        value_content_published=ind.value_content,
    )
    st.out.targets.append(t)
    st.pending_entity.append(t)


def _parse_project_table(st: _State, table: _Table) -> None:
    unit = st.table_unit(table)
    title = table.title or "项目支出绩效目标表"
    free = _free_order(table)
    amount_label = "资金总额"
    for _, cells in table.header:
        if len(cells) > 2 and clean_label(cells[2]):
            amount_label = cells[2]
            break
    project: Optional[Project] = None
    ctx: dict = {}
    seen: set = set()
    for line, cells in table.rows:
        if not any(cells):
            continue
        code = cells[0] if _CODE_RE.match(cells[0]) else None
        area: list[str]
        if code and len(code) == 3:
            name = cells[1] if len(cells) > 1 else ""
            amount = cells[2] if len(cells) > 2 else ""
            st.name_entity(code, name, line)
            if _amount_ok(st, amount, "department total", line):
                st.budget_line(source_line=line, value_line=line, entity_name=name, entity_code=code,
                               statement="project_budget", table_title=title, line_item=name,
                               measure="total", published_amount=amount, published_unit=unit,
                               is_total_line=True, column_label=amount_label)
            if any(cells[3:]):
                st.issue("warning", "cell_ignored", "indicator cells on the 部门 line not read", line)
            project = None
            continue
        if code:
            name = cells[1] if len(cells) > 1 else ""
            amount = cells[2] if len(cells) > 2 else ""
            goal = cells[3] if len(cells) > 3 else ""
            area = cells[4:]
            if goal and (is_level_name(goal) or is_value_type(goal)):
                goal, area = "", cells[3:]
            if not name:
                st.issue("warning", "project_name_missing", f"unit {code} row without a project name", line)
            st.project_count += 1
            key = f"{st.project_count}:{name}"
            project = Project(source_line=line, project_key=key, entity_name="", entity_code=code,
                              project_name=name, goal_midterm=goal or None, title=title)
            st.out.projects.append(project)
            st.pending_entity.append(project)
            ctx, seen = {}, set()
            if _amount_ok(st, amount, f"project {name!r} amount", line):
                st.budget_line(source_line=line, value_line=line, entity_name="", entity_code=code,
                               statement="project_budget", table_title=title, line_item=name,
                               measure="total", published_amount=amount, published_unit=unit,
                               project_key=key, column_label=amount_label)
            elif not amount:
                st.issue("warning", "amount_missing", f"project {name!r} without 资金总额", line)
        else:
            area = cells
        _read_and_emit(st, area, free, ctx, line, seen, "project",
                       None if project is None else (project.entity_code, project.project_key))


def _read_and_emit(st, area, free, ctx, line, seen, owner_kind, owner) -> None:
    """Read an indicator from a row's cells and emit it for its owner (entity code, project
    key); an indicator row before any project or unit row is reported, not read."""
    ind = _read_indicator(area, free)
    if ind is None:
        return
    if owner is None:
        st.issue("warning", "row_orphan", f"indicator row before any {owner_kind} row; not read", line)
        return
    entity_code, project_key = owner
    _emit_indicator(st, ind, ctx, line, entity_code=entity_code, project_key=project_key, seen=seen)


def _overall_leaves(table: _Table) -> list[tuple[int, int, str, str]]:
    """The money columns (column index, line, label as published, measure) in column order."""
    leaves = []
    for line, cells in table.header:
        for idx, c in enumerate(cells):
            lab = clean_label(c)
            for key, measure in _OVERALL_MEASURES:
                if lab.startswith(key):
                    leaves.append((idx, line, c, measure))
                    break
    leaves.sort()
    return leaves


def _parse_overall_table(st: _State, table: _Table) -> None:
    unit = st.table_unit(table)
    title = table.title or "整体支出绩效目标表"
    free = _free_order(table)
    leaves = _overall_leaves(table)
    entity: Optional[str] = None
    ctx: dict = {}
    seen: set = set()
    for line, cells in table.rows:
        if not any(cells):
            continue
        code = cells[0] if _CODE_RE.match(cells[0]) else None
        if code:
            entity = code
            ctx, seen = {}, set()
            name = cells[1] if len(cells) > 1 else ""
            st.name_entity(code, name, line)
            j = 2
            for _, _, label, measure in leaves:
                c = cells[j] if j < len(cells) else ""
                if c and not _is_amount(c):
                    st.issue("warning", "row_layout_guess",
                             f"{label!r} column holds {c!r}: fewer money columns than the header", line)
                    break
                if c:
                    st.budget_line(source_line=line, value_line=line, entity_name=name, entity_code=code,
                                   statement="overall_budget", table_title=title, line_item=label,
                                   measure=measure, published_amount=c, published_unit=unit,
                                   column_label=label)
                j += 1
            if not leaves:  # no money header: read the run of amounts after the name
                while j < len(cells) and (not cells[j] or _is_amount(cells[j])):
                    j += 1
                st.issue("warning", "row_layout_guess", "no money columns in the header; amounts not read",
                         line)
            if j < len(cells) and cells[j] and not is_level_name(cells[j]):
                j += 1  # the 整体绩效目标 text (not read)
            area = cells[j:]
        else:
            area = cells
        _read_and_emit(st, area, free, ctx, line, seen, "unit", None if entity is None else (entity, None))


def _is_key_label(text: str) -> bool:
    """A header cell of the row-key columns (单位代码, 单位名称, 序号), not an item column."""
    lab = clean_label(text)
    return lab in _UNIT_CODE_LABELS or "名称" in lab or lab in ("序号", "栏次", "项目")


def _parse_three_public(st: _State, table: _Table) -> None:
    unit = st.table_unit(table)
    title = table.title or "“三公”经费预算情况表"
    items: dict[int, str] = {}
    for _, cells in table.header:
        if any("公务接待费" in clean_label(c) for c in cells):
            items = {idx: c for idx, c in enumerate(cells) if c and not _is_key_label(c)}
            break
    if not items:
        st.issue("error", "header_missing", "三公 table without an item header row", table.header_line)
        return
    first_item = min(items)
    pending: list[tuple[int, list[str], Optional[str], str, bool]] = []
    for line, cells in table.rows:
        if not any(cells) or _is_numbering_row(cells):
            continue
        code = cells[0] if _CODE_RE.match(cells[0]) else None
        label_cells = [c for c in cells[:first_item] if c and c != code]
        name = label_cells[0] if label_cells else ""
        is_total_row = code is None and (clean_label(name) in _TOTAL_LABELS
                                         or clean_label(cells[0]) in _TOTAL_LABELS)
        if code:
            st.name_entity(code, name, line)
        elif not is_total_row:
            st.issue("warning", "row_orphan", f"三公 row {name!r} without a unit code; not read", line)
            continue
        pending.append((line, cells, code, name, is_total_row))
    for line, cells, code, name, is_total_row in pending:
        if is_total_row:
            code = st.department or next((c for _, _, c, _, _ in pending if c), None)
            name = ""
        for idx, c in enumerate(cells):
            if idx < first_item or not c:
                continue
            label = items.get(idx)
            if label is None:
                st.issue("warning", "cell_unmapped", f"{c!r} stands under no item column", line)
                continue
            if not _amount_ok(st, c, label, line):
                continue
            st.budget_line(source_line=line, value_line=line, entity_name=name, entity_code=code,
                           statement="three_public", table_title=title, line_item=label, measure="total",
                           published_amount=c, published_unit=unit,
                           is_total_line=is_total_row or clean_label(label) in _TOTAL_LABELS,
                           column_label=label)


def _resolve_entities(st: _State) -> None:
    dept_name = st.names[st.department][0] if st.department in st.names else None
    warned: set[str] = set()
    for rec in st.pending_entity:
        code = rec.entity_code
        if not code:
            continue
        if code in st.names:
            rec.entity_name = st.names[code][0]
            continue
        if code not in warned:
            warned.add(code)
            st.issue("warning", "entity_name_assumed",
                     f"unit {code} is never named with its code; the department's name is used",
                     rec.source_line)
            st.names[code] = (dept_name or "", rec.source_line)
        rec.entity_name = st.names[code][0]
    ents = sorted(st.names.items(), key=lambda kv: kv[1][1])
    st.out.entities = [Entity(source_line=line, entity_name=name, unit_code=code) for code, (name, line) in ents]
    if st.department in st.names:
        st.out.unit_code = st.department
        st.out.department_name = st.names[st.department][0]
    elif ents:
        st.out.unit_code = ents[0][0]
        st.out.department_name = ents[0][1][0]


_DOC_KINDS = {"project": "project_targets", "overall": "overall_targets", "three_public": "three_public"}


def parse(lines: Sequence[str]) -> ParsedFiling:
    """Read every tab-separated 项目/整体 绩效目标表 and column-per-item 三公 table."""
    lines = list(lines or [])
    st = _State(lines)
    try:
        st.out.fiscal_year = find_fiscal_year(lines)
        tables = _find_tables(lines)
        for table in tables:
            if table.kind == "unknown":
                st.issue("warning", "table_unknown",
                         f"table {table.title!r} with a 单位代码 header of no known kind; skipped",
                         table.header_line)
                continue
            kind = _DOC_KINDS[table.kind]
            if kind not in st.out.doc_kinds:
                st.out.doc_kinds.append(kind)
            if st.out.published_unit is None:
                st.out.published_unit = st.table_unit(table)
        for table in tables:
            if table.kind == "project":
                _parse_project_table(st, table)
            elif table.kind == "overall":
                _parse_overall_table(st, table)
            elif table.kind == "three_public":
                _parse_three_public(st, table)
        if not tables:
            st.issue("error", "not_a_filing", "no tab-separated 单位代码 table found")
        _resolve_entities(st)
    except Exception as exc:  # parse never raises: report what broke
        st.issue("error", "parser_exception", f"{type(exc).__name__}: {exc}")
    return st.out
