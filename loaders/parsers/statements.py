"""部门预算 statements in any format's table model (PDF, Word, Excel, HTML …).

Reads a :class:`loaders.document.Document` (never lines, file names or page numbers):
for every table,

1. **recognise** it: its title (the caption blocks printed above it, the reader's
   ``title``, or a title row inside the table — 北京 and 江苏 print the title, 单位 and
   部门 in the table's first rows) must name a statement (:func:`loaders.vocabulary.
   statement_for_title`) AND its header cells must be a statement's
   (:func:`loaders.vocabulary.header_is_statement`). A 目录, a prose sentence, a 绩效
   table never pass.
2. **header rows**: the rows after the title rows up to the first row holding an
   amount (栏次 rows of column numbers are header too). Merged header cells are
   repeated over the columns they cover, so each column has a header *path*
   (``财政拨款 > 一般公共预算拨款``; ``本年收入 > 小计``); ``其中：`` is dropped.
3. **columns by header, never by position**: key columns (科目编码, 类|款|项, 科目名称,
   项目, 预算单位, 年度 …) and amount columns (a measure from the header path). A label
   column after amount columns starts a new *block*: the 收支总表 prints 2–4 blocks
   side by side (收入 | 支出 by function | 支出 by economic class); a block's side comes
   from its group header (收入 / 支出 / 支出用途), and its 预算数/金额/合计 column's measure
   is that side (``income``, ``expenditure``, ``expenditure_economic``), as in
   ``word_budget``.
4. **codes**: one code column, or 类|款|项 split (``201 | 05 | 07`` → ``2010507``) with
   continuation rows inheriting a blank 类/款 from the rows above; a code printed in
   the label (``2101505-医疗保障政策管理``, 北京) is split off. Classification by the
   code's first digit: 2 → ``function``, 3 → ``economic`` (部门预算支出经济分类),
   5 → ``government_economic`` (政府预算支出经济分类).
5. **amounts**: one BudgetLine per non-blank amount cell, the text kept exactly as
   printed (``110,387.976749``), the unit from the table's own caption (``单位：元`` /
   ``金额单位：万元`` / 千元 / 亿元). A printed ``0`` / ``0.00`` is a line with 0; a blank
   cell, and a dash (``-``, ``—``, ``--``: printed where there is no figure), are no line.
6. **continued tables**: a table with no title and no header of its own that follows
   a recognised table with the same number of columns, or one whose header repeats
   the previous table's header (same signature), continues it (the PDF reader joins
   most page breaks itself; this catches the rest). Its lines keep their own pages.
7. 三公 tables printed one column per item (上海, 江苏, 深圳) give one line per item:
   ``line_item`` = the item (公务接待费), ``measure`` = ``total``; items with a
   statement of their own (机关运行经费 → ``operating_expenses``, 行政经费, 会议费,
   培训费) go to it (:data:`loaders.vocabulary.ITEM_STATEMENT_OVERRIDES`).

Also: a StatementTable per recognised table, the entity from captions (编制部门：,
编制单位：, 部门：, 部门名称：, 单位名称：, 预算主管部门：), the fiscal year from the text,
``report_type`` ``final_accounts`` when a recognised title says 决算. Tables that hold
amounts but are not recognised → ParseIssue ``table_unrecognised``. Never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from loaders.amounts import parse_amount
from loaders.document import Cell, Document, Table, cell_locator
from loaders.parsers.common import collapse_ws, find_fiscal_year
from loaders.records import BudgetLine, Entity, ParsedFiling, ParseIssue, StatementTable
from loaders import vocabulary as V

NAME = "statements"
READS = "document"  # reads a Document's tables, whatever the format

_DASHES = {"-", "—", "--", "——", "－", "–", "/", "—-"}
_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_CODE_LABEL_RE = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})\s*[-－—–:：]?\s*([^\d\s].*)$")
_DIGITS_RE = re.compile(r"^\d{1,3}$")  # 款/项 printed "2" for "02" (上海 templates drop the zero)
_ENTITY_RE = re.compile(
    # 编制部门：X / 单位名称：X / 部门名称 X (重庆: colon lost) / 部门（单位）：X (烟台)
    r"(?:编制部门|编制单位|部门名称|单位名称|部门[（(]单位[)）])\s*[:：]?\s*"
    r"([^\s:：，。]{2,60}?)(?=\s|金额单位|单位\s*[:：]|单位\s*(?:万元|元)|$)"
    # 预算主管部门：X / 填报单位：X / 部门：X (a colon required)
    r"|(?:预算主管部门|主管部门|预算单位|填报单位|(?<![预算])部门)\s*[:：]\s*([^\s:：，。]{2,60}?)(?=\s|金额单位|单位\s*[:：]|$)"
    # 单位：无锡市交通运输局（本级） (无锡: the entity, not the money unit)
    r"|(?<![金额])单位\s*[:：]\s*(?!(?:亿|千|万)?元)([^\s:：，。]{2,60}?)(?=\s|金额单位|单位\s*[:：]|$)"
)
# 2026年深圳市建筑工务署部门预算 / 无锡市交通运输局（本级）2026年度单位预算公开 (the cover)
_COVER_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*年度?[^。，；]{0,40}?(?:部门|单位)(?:预算|决算)")
# 第二部分国家信访局部门预算表 / 上海市普陀区财政局2024年度部门决算 / 北京市医疗保障局2026年度部门预算报表
_ENTITY_HEADING_RE = re.compile(
    r"^(?:第[一二三四五]部分)?\s*(?:(?:19|20)\d\d年度?)?([\u4e00-\u9fa5（）()]{2,40}?(?:局|厅|委员会|委|办公室|办公厅|中心|院|会|部|处|站|所|办事处|政府|馆|队))"
    r"\s*(?:(?:19|20)\d\d\s*年度?)?\s*(?:部门|单位)(?:预算|决算)"
)
_YEAR_CELL_RE = re.compile(r"^(?:19|20)\d\d$")
_SEQ_ROW_RE = re.compile(r"^(?:栏次|行次|\*+|\d{1,2})$")  # column-number rows: 栏次 | 1 | 2 …, ** | 1 | 2 … (杭州)


def _amount_text(text: Optional[str]) -> Optional[str]:
    """The amount text of a cell as printed, or None when the cell holds no amount."""
    if text is None:
        return None
    t = text.strip().replace("\u3000", "")
    if not t or t in _DASHES:
        return None
    t2 = t.replace(" ", "")
    return t2 if parse_amount(t2) is not None else None


@dataclass
class _Column:
    col: int
    path: list[str]  # header texts top → bottom (merged cells repeated, duplicates dropped)
    role: str  # key role (code, code_class, label, unit, year, seq …) or 'amount' or 'ignore'
    measure: Optional[str] = None
    block: int = 0
    label: str = ""  # the column label as published (leaf, or parent + leaf)
    prior_year: bool = False  # under another year's header (a comparison column)


@dataclass
class _Model:
    statement: str
    title: str
    unit: Optional[str]
    n_cols: int
    columns: list[_Column]
    signature: tuple
    pivoted: bool
    entity: str
    st: StatementTable
    code_state: dict = field(default_factory=dict)
    header_set: set = field(default_factory=set)
    row_group: Optional[str] = None  # the unit whose block the rows now read belong to (深圳 per-unit blocks)


def _caption_texts(table: Table) -> list[str]:
    texts = [b.text for b in table.caption_blocks]
    if table.title and table.title not in texts:
        texts.append(table.title)
    return texts


def _preamble_rows(table: Table, grid: list[list[str]]) -> tuple[int, list[str]]:
    """Title / 单位 / 部门 rows printed inside the table's top (北京, 江苏)."""
    texts: list[str] = []
    n = 0
    for row in grid[:4]:
        vals = [v.strip() for v in row if v and v.strip()]
        distinct = list(dict.fromkeys(vals))
        if any(_amount_text(v) for v in distinct):
            break
        if not distinct:
            n += 1
            continue
        joined = " ".join(distinct)
        if len(distinct) <= 2 and (
            V.statement_for_title(distinct[0]) or V.find_unit(joined) or _ENTITY_RE.search(joined)
        ) and not any(V.key_role(v) or V.measure_for_header(v) for v in distinct):
            texts += distinct
            n += 1
            continue
        break
    return n, texts


def _is_seq_row(vals: list[str]) -> bool:
    nonblank = [v for v in vals if v.strip()]
    return bool(nonblank) and all(_SEQ_ROW_RE.match(v.strip()) for v in nonblank) and (
        any(v.strip() in ("栏次", "行次") or v.strip().startswith("*") for v in nonblank)
        or sum(v.strip().isdigit() for v in nonblank) >= 3
    )


def _header_rows(grid: list[list[str]], start: int) -> int:
    """How many header rows follow ``start`` (rows before the first amount row)."""
    n = 0
    for row in grid[start : start + 6]:
        vals = [v.strip() for v in row]
        if _is_seq_row(vals):
            n += 1
            continue
        if any(_amount_text(v) for v in vals):
            break
        nonblank = [v for v in vals if v]
        if nonblank and not any(
            V.key_role(v) or V.measure_for_header(v) or V.side_for_header(v) or V.normalise_label(v) in V.THREE_PUBLIC_ITEMS
            or V.normalise_label(v).startswith("其中") or "预算" in v or "经费" in v
            for v in nonblank
        ):
            break
        n += 1
    return n


def _title_statement(texts: list[str]) -> tuple[Optional[str], Optional[str]]:
    for t in reversed(texts):  # nearest first
        st = V.statement_for_title(t)
        if st:
            return st, collapse_ws(_clean_title(t))
    return None, None


def _clean_title(t: str) -> str:
    """The title as printed, without a caption run onto the same line (江苏)."""
    m = re.search(r"(?:部门|单位|编制部门|编制单位)\s*[:：]", t)
    return t[: m.start()] if m and m.start() > 0 else t


def _build_columns(fgrid: list[list[str]], h0: int, h1: int, n_cols: int, statement: str) -> list[_Column]:
    cols: list[_Column] = []
    for c in range(n_cols):
        path: list[str] = []
        for r in range(h0, h1):
            v = collapse_ws(fgrid[r][c])
            if v and not _SEQ_ROW_RE.match(v) and (not path or path[-1] != v):
                path.append(v)
        role = None
        measure = None
        if path:
            role = V.key_role(path[-1])
            if role is None and len(path) > 1 and V.key_role(path[0]) and not V.measure_for_header(path[-1]):
                role = V.key_role(path[0])
        if role is None:
            role = "amount"
            measure = _measure_for_path(path)
            if measure and measure == V.STATEMENT_OWN_MEASURE.get(statement):
                measure = "total"  # 一般公共预算支出 > 合计 in the 一般公共预算支出表: its total
        label = path[-1] if path else ""
        if len(path) > 1 and V.normalise_label(label) in ("小计", "合计"):
            label = f"{path[-2]} {label}"
        cols.append(_Column(col=c, path=path, role=role if path else "ignore", measure=measure, label=label))
    # 福州: 小计 | 其中：基本支出 | 项目支出 — a 小计 with no 合计 and no 上年结转 beside it is the row's total
    measures = [c.measure for c in cols if c.role == "amount"]
    if "total" not in measures and "prior_year_carryover" not in measures and measures.count("current_year_subtotal") == 1:
        for c in cols:
            if c.measure == "current_year_subtotal" and len(c.path) == 1:
                c.measure = "total"
    return cols


def _measure_for_path(path: list[str]) -> Optional[str]:
    if not path:
        return None
    leaf = V.normalise_label(path[-1])
    m = V.measure_for_header(path[-1])
    if leaf in ("小计", "合计", "金额", "预算数", "预算", "本年预算") and len(path) > 1:
        for parent in reversed(path[:-1]):
            pm = V.measure_for_header(parent)
            if pm and pm != "total":
                return pm
        if V.normalise_label(path[0]) in ("本年收入", "本年支出"):
            return "current_year_subtotal"
        return "total"
    if m is None and len(path) > 1:
        # an unknown leaf under a known group (项目支出 > 其中：…): the group's measure (repeats are qualified later)
        for parent in reversed(path[:-1]):
            pm = V.measure_for_header(parent)
            if pm:
                return pm
    return m


def _assign_blocks(cols: list[_Column]) -> None:
    block = 0
    seen_amount = False
    for col in cols:
        if col.role == "ignore":
            col.block = block
            continue
        if col.role != "amount" and seen_amount:
            block += 1
            seen_amount = False
        if col.role == "amount":
            seen_amount = True
        col.block = block


def _label_columns_from_body(cols: list[_Column], grid: list[list[str]], start: int) -> None:
    """A column with text and no amounts in its body is a label column whatever its header
    (江苏 政府采购: 采购物品名称, 采购组织形式)."""
    for c in cols:
        if c.role != "amount":
            continue
        body = [row[c.col].strip() for row in grid[start:] if c.col < len(row) and row[c.col].strip()]
        if body and not any(_amount_text(v) for v in body) and sum(len(v) > 1 for v in body) * 2 >= len(body):
            c.role = "label"
            c.measure = None


def _qualify_years(cols: list[_Column], fiscal_year: Optional[int]) -> None:
    """Columns under another year's header (烟台 三公: 2025年预算数 | 2026年预算数) → ``prior_year_<measure>``."""
    if not fiscal_year:
        return
    for c in cols:
        if c.role != "amount":
            continue
        years = {int(y) for p in c.path for y in re.findall(r"((?:19|20)\d\d)\s*年", p)}
        if years and fiscal_year not in years:
            c.measure = f"prior_year_{c.measure or 'total'}"
            c.prior_year = True


def _qualify_duplicates(cols: list[_Column]) -> None:
    """Two amount columns of one block with the same measure (长春: 当年预算 > 基本支出 and 上年结转结余 > 基本支出):
    the carry-over group's columns get ``prior_year_carryover_<measure>``; other repeats are qualified by their
    group's measure, else numbered (``basic_2``)."""
    by_key: dict[tuple, list[_Column]] = {}
    for c in cols:
        if c.role == "amount" and c.measure:
            by_key.setdefault((c.block, c.measure), []).append(c)
    for (_, measure), group in by_key.items():
        if len(group) < 2:
            continue
        for n, c in enumerate(group):
            parents = c.path[:-1]
            carry = any(V.measure_for_header(p) == "prior_year_carryover" for p in parents)
            if carry and measure != "prior_year_carryover":
                c.measure = f"prior_year_carryover_{measure}"
            elif n > 0:
                pm = next((V.measure_for_header(p) for p in reversed(parents) if V.measure_for_header(p) not in (None, measure)), None)
                c.measure = f"{pm}_{measure}" if pm else f"{measure}_{n + 1}"


def _side(cols: list[_Column], block: int) -> Optional[str]:
    for col in cols:
        if col.block == block:
            for p in reversed(col.path):  # the most specific group: 支出 > 支出用途 → by economic class
                s = V.side_for_header(p)
                if s:
                    return s
    return None


def _recognise(table: Table) -> Optional[tuple]:
    grid = table.grid()
    pre_n, pre_texts = _preamble_rows(table, grid)
    texts = _caption_texts(table) + pre_texts
    statement, title = _title_statement(texts)
    h = _header_rows(grid, pre_n)
    return statement, title, pre_n, pre_texts, h, texts


def matches(doc: Document) -> bool:
    try:
        for t in doc.tables:
            statement, _, pre_n, _, h, _ = _recognise(t)
            if statement and h:
                fgrid = t.filled_grid()
                if V.header_is_statement([v for row in fgrid[pre_n : pre_n + h] for v in row if v]):
                    return True
    except Exception:  # noqa: BLE001 - matches never raises
        return False
    return False


def _entity_from(texts: list[str]) -> Optional[str]:
    for t in reversed(texts):
        if len(t) > 80 or re.search(r"[，。；]", t):
            continue  # prose, not a caption
        m = _ENTITY_RE.search(t)
        if m:
            name = (m.group(1) or m.group(2) or m.group(3) or "").strip()
            if name and name not in V.UNIT_WORDS and not name.startswith(("万元", "元", "单位")):
                return name
    for t in texts:
        m = _ENTITY_HEADING_RE.match(re.sub(r"\s+", "", t)) if len(t) <= 60 else None
        if m:
            return m.group(1)
    return None


def parse(doc: Document) -> ParsedFiling:
    out = ParsedFiling(layouts=[NAME])
    try:
        _parse(doc, out)
    except Exception as exc:  # noqa: BLE001 - a parser never raises
        out.issues.append(ParseIssue("error", "parser_failed", f"statements parser failed: {type(exc).__name__}: {exc}"))
    return out


def _parse(doc: Document, out: ParsedFiling) -> None:
    texts = [b.text for b in doc.text_blocks]
    titles = [t.title for t in doc.tables if t.title]
    cover = _COVER_YEAR_RE.search("".join(t.strip() for t in texts[:6]))
    out.fiscal_year = (int(cover.group(1)) if cover else None) or _year_from_titles(doc) or find_fiscal_year(texts + titles)
    doc_entity = _entity_from(texts[:80]) or _entity_from(["".join(t.strip() for t in texts[:5])]) or ""
    prev: Optional[_Model] = None
    seen_entities: set[str] = set()
    final = False
    doc_unit = next((V.find_unit(t) for t in texts if V.find_unit(t)), None)
    last_unit: Optional[str] = None
    pending: Optional[tuple] = None  # a title printed in a table of its own (重庆 三公: title box, then the table)
    prev_negative = False  # the previous table was a 绩效 table (its continuations are not warned about)
    for table in doc.tables:
        grid = table.grid()
        if not grid:
            continue
        fgrid = table.filled_grid()
        statement, title, pre_n, pre_texts, h, cap_texts = _recognise(table)
        header_texts = [v for row in fgrid[pre_n : pre_n + h] for v in row if v]
        has_amounts = any(_amount_text(c.text) and not _YEAR_CELL_RE.match(c.text.strip()) for c in table.cells)
        if statement and not has_amounts and not V.header_is_statement(header_texts):
            pending = (statement, title, cap_texts + [" ".join(v for v in row if v) for row in grid])
            continue
        if pending and not statement and not any(V.statement_for_title(t) for t in cap_texts):
            statement, title, extra = pending
            cap_texts = extra + cap_texts
        pending = None
        signature = tuple(tuple(collapse_ws(v) for v in row) for row in fgrid[pre_n : pre_n + h])
        model: Optional[_Model] = None
        body_start = pre_n + h
        if statement and h and V.header_is_statement(header_texts):
            unit = None
            for t in reversed(cap_texts):
                unit = V.find_unit(t)
                if unit:
                    break
            if unit is None:
                unit = next((V.find_unit(v) for v in header_texts if V.find_unit(v)), None)
            if prev is not None and prev.statement == statement and prev.signature == signature and prev.title == title:
                model = prev  # the same statement continued (title and header repeated on each page)
            else:
                entity = _entity_from([t for t in cap_texts if V.find_unit(t) or ":" in t or "：" in t or "名称" in t]) or doc_entity or _entity_from(cap_texts)
                cols = _build_columns(fgrid, pre_n, pre_n + h, table.n_cols, statement)
                if pre_n + h < len(grid):
                    # 类 | 款 | 项 printed on the first body row beside 合计 (普陀 决算): the code columns' own headers
                    for c in cols:
                        sub = V.key_role(grid[pre_n + h][c.col]) if c.role != "amount" else None
                        if sub in ("code_class", "code_item", "code_sub"):
                            c.role = sub
                _label_columns_from_body(cols, grid, pre_n + h)
                _assign_blocks(cols)
                _qualify_years(cols, out.fiscal_year)
                _qualify_duplicates(cols)
                has_label = any(c.role in ("label", "code", "code_class", "unit") for c in cols)
                pivoted = statement in V.PIVOTED_ITEM_STATEMENTS and not any(c.role in ("label", "code") for c in cols)
                if unit is None:
                    assumed = last_unit or doc_unit
                    if assumed:
                        out.issues.append(ParseIssue("warning", "unit_assumed", f"table {table.index} (p.{table.page}) {title}: no 单位 caption; {assumed} assumed (the unit of the filing's other tables)"))
                    else:
                        out.issues.append(ParseIssue("warning", "unit_missing", f"table {table.index} (p.{table.page}) {title}: no 单位 caption and none elsewhere; unit left blank"))
                    unit = assumed
                last_unit = unit or last_unit
                st = StatementTable(
                    source_line=(table.cells[0].source_row or 1) if table.cells else 1,
                    entity_name=entity,
                    entity_code=None,
                    statement=statement,
                    table_title=title or "",
                    published_unit=unit,
                    data_rows=0,
                    amounts=0,
                    source_page=table.page,
                    table_index=table.index,
                )
                out.statement_tables.append(st)
                model = _Model(statement, title or "", unit, table.n_cols, cols, signature, pivoted, entity, st)
                model.header_set = set(header_texts)
                if not has_label and not pivoted:
                    out.issues.append(ParseIssue("warning", "no_label_column", f"table {table.index} (p.{table.page}) {title}: no label column"))
                if entity and entity not in seen_entities:
                    seen_entities.add(entity)
                    out.entities.append(Entity(source_line=st.source_line, entity_name=entity))
                if V.is_final_accounts(title):
                    final = True
        elif prev is not None and table.n_cols == prev.n_cols and not statement and (
            h == 0 or signature == prev.signature or set(header_texts) == prev.header_set
        ) and not any(w in " ".join(cap_texts) for w in V.NEGATIVE_TITLE_WORDS):
            model = prev  # continuation over a page break, not joined by the reader
        if model is None:
            prev = None
            negative = any(any(w in t for w in V.NEGATIVE_TITLE_WORDS) for t in cap_texts + header_texts[:12])
            own_heading = any(t.strip().endswith("表") or t.strip().startswith(("附", "表")) for t in cap_texts)
            if negative or (prev_negative and not statement and not own_heading):
                prev_negative = True  # a 绩效 table and the pieces of it that follow
                continue
            if has_amounts:
                shown = title or (cap_texts[-1] if cap_texts else None)
                out.issues.append(
                    ParseIssue(
                        "warning",
                        "table_unrecognised",
                        f"table {table.index} (p.{table.page}, {table.n_rows}x{table.n_cols}) holds amounts but is not a "
                        f"recognised statement; title: {shown!r}; header: {' | '.join(header_texts[:8])!r}",
                    )
                )
            continue
        _read_body(doc, table, model, body_start, out)
        prev = model
        prev_negative = False
    if out.statement_tables:
        out.doc_kinds.append("department_budget")
        if any(st.statement == "three_public" for st in out.statement_tables):
            out.doc_kinds.append("three_public")
        out.report_type = "final_accounts" if final else "budget"
        units = [st.published_unit for st in out.statement_tables if st.published_unit]
        if units:
            out.published_unit = max(set(units), key=units.count)
        main = out.statement_tables[0].entity_name
        if main:
            out.department_name = main


def _year_from_titles(doc: Document) -> Optional[int]:
    """The most frequent year printed in statement titles (2026年部门收支总表 …)."""
    years: list[int] = []
    for t in doc.tables:
        for text in _caption_texts(t):
            if V.statement_for_title(text):
                years += [int(y) for y in re.findall(r"((?:19|20)\d\d)\s*年", text)]
            elif re.fullmatch(r"\s*((?:19|20)\d\d)\s*", text):  # 重庆: the year printed apart from '年…表'
                years.append(int(text))
    return max(set(years), key=lambda y: (years.count(y), y)) if years else None


def _cells_by_pos(table: Table) -> dict[tuple[int, int], Cell]:
    return {(c.row, c.col): c for c in table.cells}


def _read_body(doc: Document, table: Table, m: _Model, start: int, out: ParsedFiling) -> None:
    pos = _cells_by_pos(table)
    grid = table.grid()
    fgrid = table.filled_grid()  # key cells merged over several columns (合计 across 类|款|项, 支出合计 across blocks)
    cols = m.columns
    blocks = sorted({c.block for c in cols})
    sides = {b: _side(cols, b) for b in blocks}
    two_sided = m.statement in V.TWO_SIDED or len([b for b in blocks if any(c.role == "amount" for c in cols if c.block == b)]) > 1
    year_col = next((c.col for c in cols if c.role == "year"), None)
    unit_col = next((c.col for c in cols if c.role == "unit"), None)
    known = {e.entity_name for e in out.entities}
    for r in range(start, table.n_rows):
        vals = [collapse_ws(v) for v in grid[r]]
        if not any(vals) or _is_seq_row(vals):
            continue
        if year_col is not None and out.fiscal_year and vals[year_col]:
            # 深圳 三公: rows 2025年 | 2026年 | 增减变化金额 — only the fiscal year's row is this budget's
            if str(out.fiscal_year) not in vals[year_col]:
                continue
        m.st.data_rows += 1
        row_entity = m.entity
        row_is_total = False
        if m.pivoted and unit_col is not None:
            # 三公 table with one row per budget unit (杭州): the row names the entity; 合计 is the department
            unit_text = collapse_ws(fgrid[r][unit_col])
            if V.is_total_label(unit_text):
                row_is_total = True
            elif unit_text:
                row_entity = unit_text
                if unit_text not in known:
                    known.add(unit_text)
                    out.entities.append(Entity(source_line=r + 1, entity_name=unit_text))
        for b in blocks:
            bcols = [c for c in cols if c.block == b]
            label, code, is_unit_row = _row_key([collapse_ws(v) for v in fgrid[r]], bcols, m, b)
            if unit_col is not None and not m.pivoted and code is None and label and not V.is_total_label(label) and (
                label == collapse_ws(fgrid[r][unit_col])
            ):
                # a row naming a budget unit (深圳: 深圳市生态环境局 | 深圳市生态环境局（本级） | 深圳市…管理局, each
                # unit's coded rows under its own row): the table's first row is its total (the department);
                # a later one is one unit's subtotal and heads that unit's block of rows
                is_unit_row = m.st.data_rows == 1
                m.row_group = None if is_unit_row or not any(c.role.startswith("code") for c in cols) else label
            for c in bcols:
                if c.role != "amount":
                    continue
                cell = pos.get((r, c.col))
                if cell is None:
                    continue
                amount = _amount_text(cell.text)
                if amount is None:
                    continue
                measure = c.measure
                side = sides.get(b)
                if two_sided and side and (measure in ("total", None) or V.normalise_label(c.path[-1] if c.path else "").endswith("预算数")):
                    measure = side
                line_item = label
                statement = m.statement
                is_total = V.is_total_label(label) or is_unit_row
                if m.pivoted:
                    # the item is the deepest header that is not a funding source (深圳: 公务接待费 > 一般公共预算)
                    funding = {
                        p for p in c.path if V.measure_for_header(p) not in (None, "total", "current_year_subtotal", "operating_expenses")
                    }
                    groups = {p for p in c.path if V.measure_for_header(p) in ("current_year_subtotal", "prior_year_carryover")}
                    carry = any(V.measure_for_header(p) == "prior_year_carryover" for p in groups)
                    items = [p for p in c.path if p not in funding and p not in groups] or c.path[:1]
                    named = [p for p in items if V.normalise_label(p) not in ("小计", "合计")]
                    leaf_word = V.normalise_label(c.path[-1]) if c.path else ""
                    if leaf_word in ("小计", "合计") and len(c.path) > 1:
                        # a subtotal column: 公务用车购置及运行费 > 小计 → '公务用车购置及运行费 小计'
                        base = named[-1] if named else next((p for p in reversed(c.path[:-1])), "")
                        line_item = f"{base} {c.path[-1]}".strip()
                    else:
                        line_item = named[-1] if named else (items[-1] if items else c.label)
                    is_total = row_is_total or V.is_total_label(line_item) or any(
                        V.normalise_label(p) in ("合计", "小计", "总计") for p in items
                    )
                    leaf = c.path[-1] if c.path else ""
                    measure = V.measure_for_header(leaf) if leaf in funding else "total"
                    if carry:
                        measure = "prior_year_carryover" if measure == "total" else f"prior_year_carryover_{measure}"
                    if c.prior_year:
                        measure = f"prior_year_{measure}"
                if measure is None:
                    continue
                norm_item = V.normalise_label(line_item)
                for key, st_name in V.ITEM_STATEMENT_OVERRIDES.items():
                    if key in norm_item and m.statement in V.PIVOTED_ITEM_STATEMENTS and "三公" not in norm_item:
                        statement = st_name
                        break
                classification = V.classification_for_code(code, m.statement) if code else None
                row_no = cell.source_row if cell.source_row is not None else cell.row + 1
                out.budget_lines.append(
                    BudgetLine(
                        source_line=row_no,
                        value_line=row_no,
                        entity_name=row_entity,
                        entity_code=None,
                        statement=statement,
                        table_title=m.title,
                        line_item=line_item,
                        measure=measure,
                        published_amount=amount,
                        published_unit=m.unit or "",
                        subject_code=code,
                        classification=classification,
                        is_total_line=is_total,
                        column_label=" > ".join(c.path) if c.path else None,
                        source_page=cell.page,
                        source_cell=cell_locator(doc.kind, table, cell),
                        table_index=table.index,
                        row_group=m.row_group,
                    )
                )
                m.st.amounts += 1


def _row_key(vals: list[str], bcols: list[_Column], m: _Model, block: int) -> tuple[str, Optional[str], bool]:
    """(line_item, subject_code, is_unit_row) of one row within one block."""
    state = m.code_state.setdefault(block, {"class": None, "item": None})
    labels: list[str] = []
    code: Optional[str] = None
    cls = item = sub = None
    codes: list[str] = []
    unit_text = ""
    has_code_col = False
    for c in bcols:
        v = vals[c.col] if c.col < len(vals) else ""
        if c.role in ("code_class", "code_item", "code_sub"):
            has_code_col = True
            compact = v.replace(" ", "")
            if compact and not _DIGITS_RE.match(compact):
                if V.key_role(compact) != c.role:  # not the column's own 类 / 款 / 项 header
                    labels.append(v)  # 合计 printed across the 类|款|项 cells
                continue
            if c.role == "code_class":
                cls = compact or None
            elif c.role == "code_item":
                item = compact.zfill(2) if compact else None
            else:
                sub = compact.zfill(2) if compact else None
        elif c.role == "code":
            has_code_col = True
            compact = v.replace(" ", "")
            if compact and _CODE_RE.match(compact):
                codes.append(compact)
            elif v:
                labels.append(v)
        elif c.role == "label":
            if v:
                labels.append(v)
                mm = _CODE_LABEL_RE.match(v)
                if mm and len(mm.group(1)) in (3, 5, 7):
                    codes.append(mm.group(1))
        elif c.role == "unit":
            unit_text = v
    if cls or item or sub:
        if cls:
            state["class"], state["item"] = cls, None
        if item:
            state["item"] = item
        parts = [state["class"]]
        if item or sub:
            parts.append(state["item"])
        if sub:
            parts.append(sub)
        if all(parts):
            code = "".join(parts)
    # de-duplicate labels repeated by merged cells
    labels = list(dict.fromkeys(labels))
    label = " ".join(labels)
    if code is None and codes:
        # several classifications on one row (北京: 功能 | 政府经济 | 部门经济): the statement's own one
        want = V.STATEMENT_CLASSIFICATION.get(m.statement)
        code = next((k for k in codes if V.classification_for_code(k) == want), codes[0])
    is_unit_row = False
    if not label and unit_text:
        label = unit_text
        is_unit_row = has_code_col and code is None
    return label, code, is_unit_row
