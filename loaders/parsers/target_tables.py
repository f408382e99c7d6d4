"""绩效目标表 read from the table model (PDF, Word, Excel, HTML documents).

Recognised by what the tables say (titles, captions, header cells), never by file
name or page number. Two shapes:

* **form** tables: one project (or the 部门整体) per table, label/value rows above an
  indicator header (``项目名称 | X``, ``项目资金（万元） | 年度资金总额： | 2,134.87``,
  ``年度总体目标 | …``), then ``一级指标 | 二级指标 | 三级指标 | 指标值`` rows;
  福州, 国家信访局, 广州 部门整体预算绩效目标申报表, 重庆 部门整体绩效目标表.
* **list** tables: a header naming the project column and the indicator columns
  (``项目名称 | 项目总额 | 财政资金 | 其他资金 | 绩效目标 | 一级指标 | … | 本年绩效指标值 |
  绩效度量单位``), one project per block of rows (the project cell is merged over
  its indicator rows); 北京 预算12表, 长沙, 重庆 表十二, and the 广州 项目支出绩效目标表
  whose 绩效指标 column packs every indicator into one text
  (``1、1-产出指标；11-数量指标；X；实施周期指标值:…；年度指标值:…。2、…``).

A list table repeated page after page is read as one: a project block cut by a
page break continues on the next page (its name stands on one fragment only).
Blank (or merged) 一级/二级 cells inherit from the row above within a project.

Records: Project (name, code, goal), Target (annual, and midterm when a 实施期 /
实施周期 / 中期 column exists), project money → BudgetLine ``project_budget``,
部门整体 money → ``overall_budget``, 整体 goals → FilingText ``overall_goal``.
Provenance: source_line = the cell's row within its page, source_page, source_cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from loaders.amounts import find_declared_unit, split_amount_unit
from loaders.document import Cell, Document, Table, cell_locator
from loaders.parsers.common import ORG_SUFFIX_RE, clean_label, find_fiscal_year, split_code_name
from loaders.records import BudgetLine, Entity, FilingText, ParsedFiling, ParseIssue, Project, Target

__all__ = ["NAME", "matches", "parse"]

NAME = "target_tables"
READS = "document"  # reads a Document's tables, whatever the format
_COMPARATOR_RE = re.compile(r"^(?:[≥≤＞＜＝=<>]|>=|<=|大于等于|小于等于|大于|小于|等于)$")

_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "效果指标")
_LEVEL2 = ("数量指标", "质量指标", "时效指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
           "成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标",
           "服务对象满意度指标", "满意度指标")
_TITLE_RE = re.compile(r"绩效目标(?:表|申报表)|整体绩效目标")
_OVERALL_RE = re.compile(r"整体")
_GOAL_LABELS = {
    "年度目标": "annual", "年度绩效目标": "annual", "年度总体目标": "annual", "绩效目标": "annual",
    "当年绩效目标": "annual", "总体绩效目标": "annual", "整体绩效目标": "annual", "当年整体绩效目标": "annual",
    "年度整体绩效目标": "annual", "总体目标": "annual", "项目绩效目标": "annual",
    "中期目标": "midterm", "实施期目标": "midterm", "实施期绩效目标": "midterm", "中长期绩效目标": "midterm",
    "中期绩效目标": "midterm", "实施期总体目标": "midterm",
}
_AMOUNT_RE = re.compile(r"^[-－]?\d[\d,，]*(?:\.\d+)?$")
_CODE_NAME_RE = re.compile(r"^([0-9A-Za-z]{10,}(?:\s[0-9A-Za-z]+)?)\s*[-－—]\s*(\S.*)$")
_PACKED_ITEM_RE = re.compile(r"(?:^|(?<=[。；;\s]))\d{1,3}、(?=\d{1,2}-)")
_PACKED_RE = re.compile(
    r"^\d{1,2}-(?P<l1>[^；;]*)[；;]\s*\d{1,2}-(?P<l2>[^；;]*)[；;]\s*(?P<l3>.*?)[；;]\s*"
    r"(?:实施周期指标值|实施期指标值|中期指标值)[:：](?P<mid>.*?)[；;]\s*年度指标值[:：](?P<ann>.*)$",
    re.S,
)


_UNIT_LOOSE_RE = re.compile(r"(?:单位|金额单位)[:：]?(万元|元)")


def _declared_unit(text: Optional[str]) -> Optional[str]:
    t = clean_label(_flat(text))
    u = find_declared_unit(t)
    if u:
        return u
    m = _UNIT_LOOSE_RE.search(t)
    return m.group(1) if m else None


def _flat(text: Optional[str]) -> str:
    """A cell's text with its layout line breaks removed (``满意度\\n指标`` → ``满意度指标``)."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and p[0].isascii() and p[0].isalpha():
            out += " "
        out += p
    return out.strip()


def _lab(text: Optional[str]) -> str:
    return clean_label(_flat(text)).replace(":", "：").rstrip("：")


# --- column roles -----------------------------------------------------------


def _role(label: str) -> Optional[str]:
    lab = label
    if not lab:
        return None
    if lab == "一级指标":
        return "l1"
    if lab == "二级指标":
        return "l2"
    if lab in ("三级指标", "指标名称", "绩效指标名称", "三级指标名称"):
        return "l3"
    if "指标值" in lab:
        if "类型" in lab:
            return "vtype"
        if "内容" in lab:
            return "content"
        if any(k in lab for k in ("实施期", "实施周期", "中期", "中长期")):
            return "mid"
        return "value"
    if lab in ("目标值", "年度目标值"):
        return "value"
    if lab in ("指标性质", "绩效指标性质", "指标方向", "指标类型", "指标属性", "指标值类型"):
        return "vtype"
    if lab in ("度量单位", "计量单位", "绩效度量单位", "单位"):
        return "unit"
    if lab in ("指标解释", "指标描述", "绩效指标描述", "指标说明", "指标内容"):
        return "desc"
    if "评（扣）分标准" in lab or "评分标准" in lab or "依据" in lab or "扣分标准" in lab:
        return "basis"
    if lab.startswith("项目名称") or lab in ("单位（项目）名称", "单位(项目)名称", "单位名称", "一级项目名称",
                                          "二级项目名称"):
        return "pname"
    if lab in ("预算单位名称", "二级预算单位名称", "实施单位名称"):
        return "uname"
    if lab in ("项目编码", "项目代码", "单位编码", "单位代码"):
        return "code"
    if lab in ("活动", "部门活动", "主要活动"):
        return "activity"
    if lab == "绩效指标":
        return "packed"
    if lab in _GOAL_LABELS:
        return "goal_mid" if _GOAL_LABELS[lab] == "midterm" else "goal"
    if _measure(lab):
        return "money"
    return None


def _measure(label: str) -> Optional[str]:
    lab = label[2:] if label.startswith("其中") else label
    lab = lab.lstrip("：:")
    lab = re.sub(r"[（(](?:单位[:：])?(?:万元|元)[)）]", "", lab)
    if lab in ("项目总额", "资金总额", "年度资金总额", "总计", "合计", "预算金额", "预算数", "预算总额", "金额",
               "当年财政拨款预算金额", "当年预算", "预算支出总额", "项目资金"):
        return "total"
    if lab in ("财政资金", "财政拨款", "财政拨款资金"):
        return "fiscal_appropriation"
    if lab in ("财政专户拨款", "财政专户管理资金"):
        return "fiscal_special_account"
    if lab in ("其他资金", "其他收入"):
        return "other_funds"
    if lab in ("上年结转", "上年结转资金"):
        return "carryover"
    if lab in ("一般公共预算", "一般公共预算拨款"):
        return "general_budget"
    if lab in ("政府性基金拨款", "政府性基金"):
        return "government_fund"
    if lab == "基本支出":
        return "basic"
    if lab == "项目支出":
        return "project"
    if lab == "事业发展性支出":
        return "development"
    if lab == "市级支出":
        return "municipal"
    if lab == "补助区县":
        return "county_subsidy"
    if lab == "财政专项资金":
        return "special_funds"
    if lab == "其他事业发展性支出":
        return "other_development"
    if lab == "市本级使用资金":
        return "own_level"
    if lab in ("拟用于对下转移支付资金", "对下转移支付资金"):
        return "transfer_to_lower"
    return None


# --- per-table analysis -------------------------------------------------------


@dataclass
class _Header:
    row: int  # last header row
    first: int  # first header row
    cols: dict[str, int] = field(default_factory=dict)
    money: dict[int, tuple[str, str]] = field(default_factory=dict)  # col -> (measure, label)
    labels: dict[int, str] = field(default_factory=dict)


def _row_cells(table: Table) -> list[list[Cell]]:
    return table.rows()


def _find_header(table: Table) -> Optional[_Header]:
    rows = _row_cells(table)
    found = None
    for want_packed in (False, True):
        for r, cells in enumerate(rows):
            roles = {_role(_lab(c.text)) for c in cells}
            if want_packed:
                ok = "packed" in roles and "pname" in roles
            else:
                ok = ("l3" in roles or ("packed" in roles and "pname" not in roles)) and (
                    "value" in roles or "mid" in roles)
                # a list of projects with their money and 绩效目标 text, no indicators (深圳 重点项目绩效目标,
                # 杭州 项目支出绩效表: 单位名称 | 项目名称 | 金额 | 绩效目标)
                # (广州 重点项目绩效目标: 项目 | 预算数（单位：万元） | 绩效目标 — 项目 alone names the project there)
                listed = roles | ({"pname"} if any(_lab(c.text) == "项目" for c in cells) else set())
                ok = ok or ({"pname", "goal", "money"} <= listed and "l3" not in roles)
            if ok:
                found = r
                break
        if found is not None:
            break
    if found is None:
        return None
    for r in (found,):
        # the header may start on earlier rows whose cells span down into this one
        first = r
        for c in table.cells:
            if c.row < r and c.row + c.rowspan > r and c.rowspan <= 3:
                first = min(first, c.row)
        end = r
        for c in table.cells:
            if first <= c.row <= r and c.rowspan <= 3:
                end = max(end, c.row + c.rowspan - 1)
        hdr = _Header(row=end, first=first)
        # leaf label per column: the lowest header cell covering it
        cover: dict[int, tuple[int, str]] = {}
        for c in table.cells:
            if first <= c.row <= end:
                lab = _lab(c.text)
                if not lab:
                    continue
                for k in range(c.col, c.col + c.colspan):
                    if k not in cover or cover[k][0] <= c.row:
                        cover[k] = (c.row, lab)
                        if c.colspan > 1 and _role(lab) in ("money",) and c.row < r:
                            pass
        for k in sorted(cover):
            lab = cover[k][1]
            hdr.labels[k] = lab
            role = _role(lab)
            if role is None:
                continue
            if role == "money":
                m = _measure(lab)
                if m and not any(v[0] == m for v in hdr.money.values()):
                    hdr.money[k] = (m, lab)
                continue
            hdr.cols.setdefault(role, k)
        if "pname" not in hdr.cols and "goal" in hdr.cols and "l3" not in hdr.cols:
            bare = [k for k, lab in hdr.labels.items() if lab == "项目"]
            if bare:
                hdr.cols["pname"] = bare[0]
        named = [k for k, lab in hdr.labels.items() if _role(lab) == "pname"]
        if len(named) > 1 and hdr.labels[hdr.cols["pname"]] == "单位名称":
            # 单位名称 beside 项目名称 (长春 预算表11: 105001长春市信访局 merged over its projects):
            # the unit a project belongs to, the project's name is the other column
            hdr.cols["uname"] = hdr.cols.pop("pname")
            hdr.cols["pname"] = next(k for k in named if k != hdr.cols["uname"])
        if "packed" in hdr.cols and "l3" in hdr.cols:
            del hdr.cols["packed"]
        elif "packed" in hdr.cols and "pname" not in hdr.cols:
            hdr.cols["l3"] = hdr.cols.pop("packed")
        return hdr
    return None


def _table_text(table: Table) -> str:
    parts = [table.title or ""] + [b.text for b in table.caption_blocks]
    return " ".join(_flat(p) for p in parts)


def _title_row(table: Table) -> Optional[str]:
    """A first row spanning the table whose text is a 绩效目标表 title (福州)."""
    rows = _row_cells(table)
    if rows and len(rows[0]) == 1:
        t = _flat(rows[0][0].text)
        if _TITLE_RE.search(t):
            return t
    return None


# --- the parser -----------------------------------------------------------------


class _State:
    def __init__(self, doc: Document, out: ParsedFiling) -> None:
        self.doc = doc
        self.out = out
        self.keys: set[str] = set()
        self.entity_name = ""
        self.entity_code: Optional[str] = None
        self.unit: Optional[str] = None
        self.entities: set[tuple[Optional[str], str]] = set()

    def loc(self, table: Table, cell: Cell) -> str:
        return cell_locator(self.doc.kind, table, cell)

    def set_entity(self, name: str, code: Optional[str], line: int) -> None:
        name = name.strip()
        if not name:
            return
        self.entity_name, self.entity_code = name, code
        if (code, name) not in self.entities:
            self.entities.add((code, name))
            self.out.entities.append(Entity(line, name, code))
            if self.out.department_name is None:
                self.out.department_name = name
                self.out.unit_code = code

    def new_project(self, table: Table, cell: Optional[Cell], name: str, code: Optional[str],
                    title: Optional[str]) -> Project:
        base = f"{self.entity_code or self.entity_name or '?'}|{code or name or '?'}"
        key, n = base, 1
        while key in self.keys:
            n += 1
            key = f"{base}#{n}"
        self.keys.add(key)
        p = Project(
            source_line=(cell.source_row or cell.row + 1) if cell else 1,
            project_key=key,
            entity_name=self.entity_name,
            entity_code=self.entity_code,
            project_name=name,
            project_code=code,
            title=title,
            source_page=cell.page if cell else table.page,
            source_cell=self.loc(table, cell) if cell else None,
            table_index=table.index,
        )
        self.out.projects.append(p)
        return p

    def money(self, table: Table, label_cell_text: str, measure: str, cell: Cell, title: str,
              project: Optional[Project], statement: Optional[str] = None, total_row: bool = False) -> None:
        amount = _flat(cell.text)
        if not amount or amount in ("-", "－", "—", "/"):
            return
        parsed = split_amount_unit(amount)
        if parsed is None:
            self.out.issues.append(ParseIssue("warning", "amount_unparsed",
                                              f"{label_cell_text}: {amount!r} is not an amount",
                                              cell.source_row))
            return
        unit = parsed[1] or find_declared_unit(label_cell_text) or self.unit
        if unit is None:
            self.out.issues.append(ParseIssue("warning", "unit_missing",
                                              f"{label_cell_text}: amount without a money unit", cell.source_row))
            return
        self.out.budget_lines.append(BudgetLine(
            source_line=cell.source_row or cell.row + 1,
            value_line=cell.source_row or cell.row + 1,
            entity_name=self.entity_name,
            entity_code=self.entity_code,
            statement=statement or ("project_budget" if project is not None else "overall_budget"),
            table_title=title,
            line_item=label_cell_text,
            measure=measure,
            published_amount=amount,
            published_unit=unit,
            project_key=project.project_key if project else None,
            is_total_line=measure == "total" or total_row,
            column_label=label_cell_text,
            source_page=cell.page,
            source_cell=self.loc(table, cell),
            table_index=table.index,
        ))
        if self.out.published_unit is None:
            self.out.published_unit = unit

    def target(self, table: Table, cell: Optional[Cell], row_cell: Cell, project: Optional[Project],
               horizon: str, l1: Optional[str], l2: Optional[str], l3: str, text: str, **extra) -> None:
        anchor = cell or row_cell
        self.out.targets.append(Target(
            source_line=anchor.source_row or anchor.row + 1,
            entity_name=self.entity_name,
            entity_code=self.entity_code,
            horizon=horizon,
            level3=l3,
            target_text=text,
            project_key=project.project_key if project else None,
            level1_published=l1,
            level2_published=l2,
            source_page=anchor.page,
            source_cell=self.loc(table, anchor),
            table_index=table.index,
            **extra,
        ))


def _is_target_table(table: Table) -> bool:
    return _find_header(table) is not None and (
        bool(_TITLE_RE.search(_table_text(table))) or _title_row(table) is not None
        or any("绩效" in _lab(c.text) or "指标" in _lab(c.text) for c in table.cells[:60])
    )


def matches(doc: Document) -> bool:
    try:
        if doc is None or not getattr(doc, "blocks", None):
            return False
        return any(_is_target_table(t) for t in doc.tables)
    except Exception:  # never raise
        return False


def parse(doc: Document) -> ParsedFiling:
    out = ParsedFiling()
    try:
        _parse(doc, out)
    except Exception as exc:  # pragma: no cover - parse() never raises
        out.issues.append(ParseIssue("error", "parser_failed", f"{type(exc).__name__}: {exc}"))
    if out.projects or any(t.project_key for t in out.targets):
        out.doc_kinds.append("project_targets")
    if any(t.project_key is None for t in out.targets) or any(
        b.statement == "overall_budget" for b in out.budget_lines
    ) or out.filing_texts:
        out.doc_kinds.append("overall_targets")
    if out.doc_kinds:
        out.layouts = [NAME]
    else:
        out.issues.append(ParseIssue("warning", "no_target_tables", "no 绩效目标 tables found"))
    return out


def _caption_entity(st: _State, table: Table) -> None:
    for b in table.caption_blocks:
        t = clean_label(_flat(b.text))
        m = re.search(r"(?:部门名称|单位名称|资金主管部门)[:：]?(.+?)(?:单位[:：]?(?:万元|元)|金额单位|$)", t)
        if m and m.group(1).strip("：: "):
            code, name = split_code_name(m.group(1).strip("：: "))
            coded = {c for c, n in st.entities if c and n == name.strip()}
            if code is None and len(coded) == 1:
                # the caption names, without its code, an entity a table before read with one
                # (长沙市公安局 p.34: the list goes on under a new header, 106001 was on its unit row
                # p.23): the same entity, whose projects stay under it
                code = coded.pop()
            st.set_entity(name, code, b.source_row or b.line or 1)
        u = _declared_unit(t)
        if u:
            st.unit = u


def _parse(doc: Document, out: ParsedFiling) -> None:
    st = _State(doc, out)
    captions = [_table_text(t) for t in doc.tables if _TITLE_RE.search(_table_text(t))]
    bare = [b.text.strip() for t in doc.tables for b in t.caption_blocks if re.fullmatch(r"\s*20\d\d\s*", b.text or "")]
    # the year from the target tables' own titles only (a year in the prose may be another year)
    out.fiscal_year = (int(bare[0]) if bare else None) or find_fiscal_year(captions)
    prev_form: Optional[tuple[Optional[Project], bool]] = None  # (project, overall) of the last form table
    prev_hdr: Optional[_Header] = None
    prev_table_read: Optional[Table] = None
    lst = _ListState()
    tables = doc.tables
    for i, table in enumerate(tables):
        hdr = _find_header(table)
        if hdr is None:
            # a form table cut by a page break (福州 p.26), or a title/unit line read as a table (重庆)
            for c in table.cells[:20]:
                u = _declared_unit(c.text)
                if u:
                    st.unit = u
            if prev_form is not None and prev_hdr is not None and tables[i - 1] is prev_table_read:
                _read_continuation(st, table, prev_hdr, prev_form)
                prev_table_read = table
            continue
        if not (_TITLE_RE.search(_table_text(table)) or _title_row(table)
                or any("绩效" in _lab(c.text) or "指标" in _lab(c.text) for c in table.cells[:60])):
            continue
        _caption_entity(st, table)
        if "pname" in hdr.cols and ("l3" in hdr.cols or "packed" in hdr.cols or "goal" in hdr.cols):
            _read_list(st, table, hdr, lst)
            prev_form = None
            prev_hdr = None
        else:
            lst.reset()
            prev_form = _read_form(st, table, hdr, tables[i - 1] if i > 0 else None, prev_form)
            prev_hdr = hdr
            prev_table_read = table
    lst.flush(st)


# --- form tables ------------------------------------------------------------------


def _amount_row(table: Table, cells: list[Cell], label_rows: list[list[Cell]], money: list) -> None:
    """A row of amounts under column labels (北京 部门整体: 预算支出总额 | 财政拨款 合计/基本支出/项目支出 …)."""
    row = cells[0].row
    above = [c for r in label_rows for c in r if row - 3 <= c.row < row]
    for cell in cells:
        if not _flat(cell.text):
            continue
        chain = sorted((c for c in above if c.col <= cell.col < c.col + c.colspan
                        and (c.row + c.rowspan <= row)), key=lambda c: c.row)
        labels = [_lab(c.text) for c in chain if _lab(c.text)]
        labels = [lab for lab in labels if _measure(lab) or lab == "合计"]
        if not labels:
            continue
        leaf = labels[-1]
        parent = labels[-2] if len(labels) > 1 else None
        if leaf == "合计" and parent:
            measure = _measure(parent)
        else:
            measure = _measure(leaf)
            if parent and _measure(parent) == "other_funds" and measure in ("basic", "project"):
                measure = f"other_funds_{measure}"
        if measure:
            money.append((measure, "/".join(labels), cell))


def _read_form(st: _State, table: Table, hdr: _Header, prev_table: Optional[Table],
               prev_form) -> tuple[Optional[Project], bool]:
    text = _table_text(table)
    title = _title_row(table) or next((t for t in [table.title] if t and _TITLE_RE.search(_flat(t))), None)
    if title is None:
        for b in reversed(table.caption_blocks):
            if _TITLE_RE.search(_flat(b.text)):
                title = _flat(b.text)
                break
    rows = _row_cells(table)
    if title is None and prev_table is not None and _find_header(prev_table) is None:
        for t in [prev_table.title] + [b.text for b in prev_table.caption_blocks]:
            if t and _TITLE_RE.search(_flat(t)):
                title = _flat(t)
    overall = bool(_OVERALL_RE.search(title or "")) or any(
        "整体" in _lab(c.text) and len(_lab(c.text)) <= 12 for r in rows[:hdr.first] for c in r)
    name: Optional[str] = None
    name_cell: Optional[Cell] = None
    code: Optional[str] = None
    goals: list[tuple[str, str, Cell]] = []
    money: list[tuple[str, str, Cell]] = []
    pending_goal: Optional[str] = None
    impl: Optional[tuple[str, int]] = None  # 实施单位
    # label rows above the indicator header (prefer a fragment of the previous table: 福州 p.26)
    label_rows = list(rows[:hdr.first])
    prev_rows: list[list[Cell]] = []
    if prev_table is not None and _find_header(prev_table) is None and (
            _TITLE_RE.search(_table_text(prev_table)) or _title_row(prev_table)
            or any(_lab(c.text).startswith("项目名称") for c in prev_table.cells[:20])):
        prev_rows = _row_cells(prev_table)
    for cells in prev_rows + label_rows:
        if not cells:
            continue
        if pending_goal is not None and len(cells) == 1:
            goals.append((pending_goal, _flat(cells[0].text), cells[0]))
            pending_goal = None
            continue
        pending_goal = None
        filled = [c for c in cells if _flat(c.text)]
        if len(filled) >= 2 and all(_AMOUNT_RE.match(_flat(c.text)) for c in filled) and cells[0].row < hdr.first \
                and cells in label_rows:
            _amount_row(table, cells, label_rows, money)
            continue
        k = 0
        while k < len(cells):
            lab = _lab(cells[k].text)
            nxt = cells[k + 1] if k + 1 < len(cells) else None
            if lab.startswith("项目名称") and nxt is not None:
                name, name_cell = _flat(nxt.text), nxt
                k += 2
                continue
            if lab in ("项目编码", "项目代码") and nxt is not None:
                code = _flat(nxt.text) or None
                k += 2
                continue
            if lab.startswith("主管部门") and nxt is not None and _flat(nxt.text):
                m2 = re.match(r"^[\[［【](\d+)[\]］】]\s*(.+)$", _flat(nxt.text))
                dept = (m2.group(2), m2.group(1)) if m2 else (_flat(nxt.text), None)
                if st.out.department_name is None:
                    st.out.department_name, st.out.unit_code = dept
                k += 2
                continue
            if lab == "实施单位" and nxt is not None and _flat(nxt.text):
                impl = (_flat(nxt.text), nxt.source_row or 1)
                k += 2
                continue
            if lab in ("部门名称", "单位名称") and nxt is not None:
                c2, n2 = split_code_name(_flat(nxt.text))
                st.set_entity(n2, c2, nxt.source_row or 1)
                k += 2
                continue
            if lab in _GOAL_LABELS and nxt is not None and _lab(nxt.text) in _GOAL_LABELS:
                k += 1  # a section label followed by the row's own label (北京 整体绩效目标 | 整体绩效目标 | …)
                continue
            if lab in _GOAL_LABELS:
                if nxt is None:
                    if len(cells) == 1:
                        pending_goal = _GOAL_LABELS[lab]
                    k += 1
                    continue
                goals.append((_GOAL_LABELS[lab], _flat(nxt.text), nxt))
                k += 2
                continue
            m = _measure(lab)
            if m and nxt is not None and _AMOUNT_RE.match(_flat(nxt.text).replace(" ", "")) or (
                    m and nxt is not None and _flat(nxt.text) in ("-", "－", "—")):
                money.append((m, _flat(cells[k].text).rstrip("：:"), nxt))
                k += 2
                continue
            k += 1
    goals = [g for g in goals if g[1]]
    if impl is not None:
        st.set_entity(impl[0], None, impl[1])
    if not overall and name is None and title:
        name = re.sub(r"(项目)?(支出)?绩效目标表.*$", "", title).strip() or None
    project: Optional[Project] = None
    if not overall:
        if name is None and prev_form is not None and prev_form[0] is not None and not goals and not money:
            project = prev_form[0]  # the indicator part of a form cut by a page break
        elif name is None and not goals and not money and prev_form is not None and prev_form[1]:
            overall = True  # 部门整体 申报表 continuing on the next page
        elif not name and not goals and not money and not any(
                _flat(c.text) for r in rows[hdr.row + 1:] for c in r if c.col == hdr.cols.get("l3")):
            return (None, False)  # an empty form (重庆 表十一: 本单位无…, 故此表无数据)
        else:
            m = _CODE_NAME_RE.match(name or "")
            if m and code is None:
                code, name = m.group(1).replace(" ", ""), m.group(2)
            owner = prev_table if (prev_table is not None and name_cell is not None
                                   and any(c is name_cell for c in prev_table.cells)) else table
            project = st.new_project(owner, name_cell or (rows[0][0] if rows and rows[0] else None),
                                     name or "", code, title)
    ttl = title or _flat(table.title or "")
    for horizon, gtext, cell in goals:
        if not gtext:
            continue
        if project is not None:
            if horizon == "midterm":
                project.goal_midterm = gtext
            else:
                project.goal_annual = gtext
        else:
            st.out.filing_texts.append(FilingText(cell.source_row or 1, st.entity_name, st.entity_code,
                                                  "overall_goal" if horizon == "annual" else "overall_goal_midterm",
                                                  gtext))
    for measure, label, cell in money:
        if st.unit is None:
            # the unit may stand in a label on the left (项目资金（万元）, 专项资金情况（万元）)
            for cells in rows[:hdr.first]:
                for c in cells:
                    u = find_declared_unit(_flat(c.text))
                    if u and c.row <= cell.row < c.row + c.rowspan:
                        st.unit = u
        if st.unit is None:
            # or in the heading of the amount's column, the nearest above it (广州 部门整体预算绩效目标申报表:
            # 部门预算支出 | 预算金额（万元） over 基本支出 | 12,634.14)
            above = [c for cells in rows[:hdr.first] for c in cells
                     if c.row + c.rowspan <= cell.row and c.col <= cell.col < c.col + c.colspan]
            for c in sorted(above, key=lambda c: -c.row):
                u = find_declared_unit(_flat(c.text))
                if u:
                    st.unit = u
                    break
        st.money(table, label, measure, cell, ttl, project)
    _read_indicators(st, table, hdr, rows, hdr.row + 1, len(rows), project)
    return (project, overall and project is None)


def _read_continuation(st: _State, table: Table, hdr: _Header, prev_form) -> None:
    """A header-less table right after a form table: its indicator rows running on (北京 预算13表 p.2)."""
    roles = sorted((k, role) for role, k in hdr.cols.items())
    rows = _row_cells(table)
    cols = list(range(table.n_cols))
    first = next((c for c in table.cells if c.col == 0 and c.row == 0), None)
    if first is not None and first.rowspan > 1:
        cols = cols[1:]
    if len(cols) != len(roles) or not any(r == "l3" for _, r in roles):
        st.out.issues.append(ParseIssue("warning", "continuation_unread",
                                        f"table {table.index} after a 绩效目标表 has {len(cols)} columns, "
                                        f"the header {len(roles)}: not read", 1))
        return
    h2 = _Header(row=-1, first=0, cols={role: cols[i] for i, (_, role) in enumerate(roles)})
    _read_indicators(st, table, h2, rows, 0, len(rows), prev_form[0])


# --- indicator rows ----------------------------------------------------------------


def _cover_map(table: Table) -> dict[tuple[int, int], Cell]:
    cov: dict[tuple[int, int], Cell] = {}
    for c in table.cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                cov[(r, k)] = c
    return cov


def _split_levels(l3: str) -> tuple[Optional[str], Optional[str], str]:
    """北京 部门整体: ``效益指标社会效益指标推动…`` → (效益指标, 社会效益指标, 推动…)."""
    for a in _LEVEL1:
        if l3.startswith(a):
            rest = l3[len(a):]
            for b in sorted(_LEVEL2, key=len, reverse=True):
                if rest.startswith(b) and len(rest) > len(b):
                    return a, b, rest[len(b):]
    return None, None, l3


def _read_indicators(st: _State, table: Table, hdr: _Header, rows: list[list[Cell]], start: int, end: int,
                     project: Optional[Project], carry: Optional[list] = None) -> list:
    cov = _cover_map(table)
    cols = hdr.cols
    level = carry if carry is not None else [None, None]

    def at(r: int, role: str) -> Optional[Cell]:
        k = cols.get(role)
        if k is None:
            return None
        return cov.get((r, k))

    def txt(r: int, role: str) -> Optional[str]:
        c = at(r, role)
        return (_flat(c.text) or None) if c is not None else None

    for r in range(start, end):
        cells = rows[r] if r < len(rows) else []
        first = _lab(cells[0].text) if cells else ""
        if cells and cells[0].col == 0 and first in ("备注", "注", "说明") and "l3" not in {
                _role(_lab(c.text)) for c in cells}:
            break
        c1, c2 = at(r, "l1"), at(r, "l2")
        if c1 is not None and _flat(c1.text):
            if c1.row == r and _flat(c1.text) != level[0]:
                level[1] = None
            level[0] = _flat(c1.text)
        if c2 is not None and _flat(c2.text):
            level[1] = _flat(c2.text)
        l3c = at(r, "l3")
        if l3c is None or l3c.row != r:
            continue  # a row covered by a merged 三级 cell: nothing new
        l3 = _flat(l3c.text)
        l1, l2 = level[0], level[1]
        if "l1" not in cols and "l2" not in cols:
            a, b, rest = _split_levels(l3)
            if a:
                l1, l2, l3 = a, b, rest
        extra = dict(
            description=txt(r, "desc"),
            basis=txt(r, "basis"),
            unit_published=txt(r, "unit"),
            value_content_published=txt(r, "content"),
        )
        vt = txt(r, "vtype")
        if vt in ("定量", "定性"):
            extra["value_type_published"] = vt
        elif vt and _COMPARATOR_RE.match(vt):
            extra["comparator_published"] = vt
        wrote = False
        for role, horizon in (("value", "annual"), ("mid", "midterm")):
            if role not in cols:
                continue
            vc = at(r, role)
            text = _flat(vc.text) if vc is not None else ""
            if not (l3 or text):
                continue
            st.target(table, vc, l3c, project, horizon, l1, l2, l3, text, **extra)
            wrote = True
        if not wrote and l3 and "value" not in cols and "mid" not in cols:
            st.target(table, None, l3c, project, "annual", l1, l2, l3, "", **extra)
    return level


# --- list tables --------------------------------------------------------------------


@dataclass
class _Block:
    table: Table
    hdr: _Header
    start: int
    end: int  # exclusive
    name: str
    name_cell: Optional[Cell]
    page_start: bool  # first body row of its page
    page_end: bool  # reaches the last row of its page


class _ListState:
    def __init__(self) -> None:
        self.project: Optional[Project] = None
        self.pending_blank = False  # the current project's name has not been seen yet
        self.signature: Optional[tuple] = None
        self.level: list = [None, None]
        self.goal_parts: list[str] = []
        self.money_seen: set[str] = set()

    def reset(self) -> None:
        self.project = None
        self.raw_name = None
        self.pending_blank = False
        self.signature = None
        self.level = [None, None]
        self.goal_parts = []
        self.money_seen = set()

    def flush(self, st: _State) -> None:
        self.reset()


def _body_rows_by_page(table: Table, start: int) -> dict[int, tuple[int, int]]:
    pages: dict[int, list[int]] = {}
    for c in table.cells:
        if c.row >= start:
            pages.setdefault(c.page if c.page is not None else 0, []).append(c.row)
    return {p: (min(v), max(v)) for p, v in pages.items()}


def _read_list(st: _State, table: Table, hdr: _Header, lst: _ListState) -> None:
    rows = _row_cells(table)
    title = next((_flat(t) for t in [table.title] + [b.text for b in table.caption_blocks]
                  if t and _TITLE_RE.search(_flat(t))), _flat(table.title or ""))
    overall = bool(_OVERALL_RE.search(title or "")) or any("整体" in lab for lab in hdr.labels.values())
    signature = (table.n_cols, tuple(sorted((k, v) for k, v in hdr.cols.items()
                                            if k in ("pname", "l1", "l2", "l3", "value", "mid", "packed"))))
    if lst.signature != signature:
        lst.reset()
    lst.signature = signature
    start = hdr.row + 1
    pcol = hdr.cols["pname"]
    cov = _cover_map(table)
    spans = _body_rows_by_page(table, start)
    # project blocks: the cells of the project column
    blocks: list[_Block] = []
    r = start
    n = len(rows)
    while r < n:
        c = cov.get((r, pcol))
        if c is None or c.row != r:
            # no cell starts here: an unmerged blank row continues the block above
            if blocks:
                blocks[-1].end = r + 1
            else:
                blocks.append(_Block(table, hdr, r, r + 1, "", None, True, False))
            r += 1
            continue
        end = c.row + c.rowspan
        blocks.append(_Block(table, hdr, r, end, _flat(c.text), c, False, False))
        r = end
    for b in blocks:
        page = b.name_cell.page if b.name_cell is not None else None
        lo, hi = spans.get(page if page is not None else 0, (start, n - 1))
        b.page_start = b.start <= lo
        b.page_end = b.end - 1 >= hi
    # Join what the reader left unmerged: a blank project cell under an unmerged (one-row) or
    # unnamed block continues it; a blank cell under a MERGED named cell starts a new block
    # (a project cut by the page break whose name stands on the next page); a one-row name
    # cell right under another one-row name cell, with no amounts, is the name's next line.
    merged: list[_Block] = []
    for b in blocks:
        prev = merged[-1] if merged else None
        if prev is not None and not b.name and not b.page_start:
            bounded = prev.name_cell is not None and prev.name_cell.rowspan > 1 and bool(prev.name)
            if not bounded:
                prev.end, prev.page_end = b.end, b.page_end
                continue
        if (prev is not None and b.name and prev.name and prev.end == b.start and not b.page_start
                and prev.name_cell is not None and prev.name_cell.rowspan == 1
                and b.name_cell is not None and b.name_cell.rowspan == 1
                and not any(_flat(cov[(b.start, k)].text) for k in hdr.money if (b.start, k) in cov)):
            prev.name += b.name
            prev.end, prev.page_end = b.end, b.page_end
            continue
        merged.append(b)
    for b in merged:
        _read_block(st, table, hdr, rows, cov, b, lst, title, overall)


def _read_block(st: _State, table: Table, hdr: _Header, rows, cov, b: _Block, lst: _ListState,
                title: str, overall: bool) -> None:
    cols = hdr.cols
    name = b.name
    code_cell = cov.get((b.start, cols["code"])) if "code" in cols else None
    code_text = _flat(code_cell.text) if code_cell is not None else ""
    # does this block continue the current project (a page break cut it)?
    cont = False
    if lst.raw_name is not None and b.page_start:
        if not name or name == lst.raw_name:
            cont = True
        elif lst.pending_blank:
            cont = True
    elif lst.pending_blank and lst.project is not None and name and not lst.money_seen:
        # a project cell split by the reader into one-row pieces: the name (centred in the merged
        # cell) comes after the unnamed rows above it
        cont = True
    if name.startswith(("注：", "注:", "备注", "说明：")) or code_text.startswith(("注：", "注:", "备注")):
        return
    if name in ("合计", "总计") or code_text in ("合计", "总计") or (not name and not code_text and code_cell is None
                                                                and "合计" in "".join(_lab(c.text) for c in rows[b.start][:2])):
        # the table's total row: the department's, a total line of no project
        _total_row_money(st, table, hdr, cov, b, title, overall, (st.out.department_name, st.out.unit_code))
        return
    # a list of projects with their 绩效目标 text and no indicators: a row without a goal is a unit's subtotal
    # row (广州 重点项目绩效目标: 广州市地质调查院（广州市海洋发展促进中心） 4,353.53 above its projects)
    goal_list = "l3" not in cols and "packed" not in cols
    target_col = cols.get("goal") if goal_list else cols.get("l3", cols.get("packed"))
    has_targets = target_col is not None and any(
        cov.get((r, target_col)) is not None and _flat(cov[(r, target_col)].text) for r in range(b.start, b.end))
    if not cont and name and not has_targets and (goal_list or ORG_SUFFIX_RE.search(name)):
        c, n = split_code_name(name)
        st.set_entity(n, c or (code_text if re.fullmatch(r"\d{3}(\d{3})?", code_text) else None),
                      b.name_cell.source_row or 1)
        lst.project = None
        lst.raw_name = None
        # a 资金使用单位 row over its projects: the unit's subtotal, a total line of no project
        _total_row_money(st, table, hdr, cov, b, title, overall, None)
        return
    if cont:
        project = lst.project
        if name and lst.pending_blank:
            m = _CODE_NAME_RE.match(name)
            if m:
                project.project_code, project.project_name = m.group(1).replace(" ", ""), m.group(2)
            else:
                project.project_name = name
            project.source_line = b.name_cell.source_row or 1
            project.source_page = b.name_cell.page
            project.source_cell = st.loc(table, b.name_cell)
            lst.pending_blank = False
            lst.raw_name = name
    else:
        code = None
        pname = name
        m = _CODE_NAME_RE.match(name)
        if m:
            code, pname = m.group(1).replace(" ", ""), m.group(2)
        elif re.fullmatch(r"\d{3}(\d{3})?", code_text or ""):
            pass  # a 单位编码, not a project code
        elif code_text:
            code = code_text
        uc = cov.get((b.start, cols["uname"])) if "uname" in cols else None
        if uc is not None and _flat(uc.text):
            c2, n2 = split_code_name(_flat(uc.text))
            st.set_entity(n2, c2, uc.source_row or 1)
        if overall:
            project = None
            if pname:
                c2, n2 = split_code_name(pname)
                st.set_entity(n2, c2 or (code_text or None), b.name_cell.source_row or 1)
        else:
            project = st.new_project(table, b.name_cell, pname, code, title)
        lst.project = project
        lst.raw_name = name
        lst.pending_blank = not name and project is not None
        lst.level = [None, None]
        lst.goal_parts = []
        lst.money_seen = set()
    project = lst.project
    # goal
    for role in ("goal", "goal_mid"):
        if role not in cols:
            continue
        gc = cov.get((b.start, cols[role]))
        g = _flat(gc.text) if gc is not None else ""
        if not g:
            continue
        if project is not None:
            attr = "goal_midterm" if role == "goal_mid" else "goal_annual"
            cur = getattr(project, attr)
            if cur and cont:
                if not cur.endswith(g):
                    setattr(project, attr, cur + g)
            else:
                setattr(project, attr, g)
        elif not cont or not any(ft.text == g for ft in st.out.filing_texts):
            st.out.filing_texts.append(FilingText(gc.source_row or 1, st.entity_name, st.entity_code,
                                                  "overall_goal", g))
    # money
    for k, (measure, label) in hdr.money.items():
        mc = cov.get((b.start, k))
        if mc is None or not _flat(mc.text) or measure in lst.money_seen:
            continue
        lst.money_seen.add(measure)
        st.money(table, label, measure, mc, title, project)
    # indicators
    if "l3" in cols:
        lst.level = _read_indicators(st, table, hdr, rows, b.start, b.end, project, lst.level)
    elif "packed" in cols:
        for r in range(b.start, b.end):
            pc = cov.get((r, cols["packed"]))
            if pc is None or pc.row != r:
                continue
            _read_packed(st, table, pc, project)


def _total_row_money(st: _State, table: Table, hdr: _Header, cov, b: _Block, title: str, overall: bool,
                     entity: Optional[tuple[Optional[str], Optional[str]]]) -> None:
    """The amounts of a 合计 row (``entity``: the department) or of a unit's subtotal row (the
    current entity): total lines of no project, of the project list (or of the 整体 list)."""
    saved = (st.entity_name, st.entity_code)
    if entity is not None and entity[0]:
        st.entity_name, st.entity_code = entity[0], entity[1]
    try:
        for k, (measure, label) in hdr.money.items():
            mc = cov.get((b.start, k))
            if mc is None or mc.row != b.start or not _flat(mc.text):
                continue
            st.money(table, label, measure, mc, title, None,
                     statement="overall_budget" if overall else "project_budget", total_row=True)
    finally:
        st.entity_name, st.entity_code = saved


def _read_packed(st: _State, table: Table, cell: Cell, project: Optional[Project]) -> None:
    text = _flat(cell.text)
    if not text:
        return
    starts = [m.end() for m in _PACKED_ITEM_RE.finditer(text)]
    if not starts:
        st.out.issues.append(ParseIssue("warning", "packed_indicators_unread",
                                        f"绩效指标 text not in the N、1-一级；11-二级；… form: {text[:40]!r}",
                                        cell.source_row))
        return
    for i, s in enumerate(starts):
        item = text[s:]
        nxt = starts[i + 1] if i + 1 < len(starts) else None
        if nxt is not None:
            # back off over the 'N、' that opened the next item
            j = nxt
            while j > s and text[j - 1] != "、":
                j -= 1
            j -= 1
            while j > s and text[j - 1].isdigit():
                j -= 1
            item = text[s:j]
        item = item.strip().rstrip("；;").strip()
        m = _PACKED_RE.match(item)
        if not m:
            st.out.issues.append(ParseIssue("warning", "packed_indicator_unread",
                                            f"indicator item not read: {item[:50]!r}", cell.source_row))
            continue
        ann = m.group("ann").strip()
        if ann.endswith("。"):
            ann = ann[:-1]
        mid = m.group("mid").strip()
        l1, l2, l3 = m.group("l1").strip(), m.group("l2").strip(), m.group("l3").strip()
        st.target(table, cell, cell, project, "annual", l1, l2, l3, ann)
        st.target(table, cell, cell, project, "midterm", l1, l2, l3, mid)
