"""Synthetic 部门预算 originals: PDF, Word (.docx) and Excel (.xlsx) filings with their truth.

``benchmarks.corpus --formats txt,pdf,docx,xlsx`` writes a share of its filings as
originals made here. One original is one county 医疗保障局's 部门预算 as real ones are
laid out (titles, headers and notes imitated from real filings: the national
template's 部门公开表 — 国家信访局 — and the county templates of 湖南 and 河北):

* a cover (``新乐市医疗保障局`` / ``2021年部门预算``), a 目录 listing the tables, a
  short 部门预算说明 (prose, not read for figures);
* the statements, each a table with its title (``2021年部门收支总表`` …), a caption line
  ``单位名称：450新乐市医疗保障局`` … ``单位：万元`` (or 元), header rows with merged
  cells and a ``注：`` line: 收支总表 (收入 | 支出 side by side), 收入总表 and 支出总表 by
  功能分类 (科目编码 | 科目名称), 财政拨款收支总表, 一般公共预算支出表, 一般公共预算
  基本支出表 by 经济分类 (人员经费 | 公用经费), the “三公” table (one column per item, or
  one row per item), and the empty 政府性基金预算支出表 (``本表无数据``);
* one 项目支出绩效目标表 per project (a form: 项目名称, 主管部门及代码, 实施单位, 项目资金
  with 年度资金总额 / 其中：财政拨款 / 上年结转 / 其他资金, 年度总体目标, then 一级 | 二级 |
  三级指标 | 指标值 rows with 一级 and 二级 merged over their rows).

Formats: PDF (reportlab with its built-in CID font STSong-Light, ruled tables, the
statements on landscape pages, a long table continued on the next page under its
repeated header, a page number at the foot), .docx (python-docx, one table after its
title and caption paragraphs, merged header cells, a page break between tables),
.xlsx (openpyxl, one sheet per table: title and caption rows above the grid, merged
header cells, amounts stored as numbers shown with ``#,##0.00``).

The money comes from :func:`benchmarks.corpus.budget_model` (a county 医保局 and its
units; the originals publish the department's figures), so every amount adds up as in
the text corpus. The truth rows have the text corpus's shape (``FACT_COLUMNS``,
``TARGET_COLUMNS``) and also the page (PDF) or sheet (.xlsx) each amount is printed on
(``source_page``; None for .docx, which has no fixed pages).
"""

from __future__ import annotations

import datetime
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from benchmarks import corpus as C

ORIGINAL_FORMATS = ("pdf", "docx", "xlsx")
LAYOUT = "budget_original"


# =========================================================================== the table model
@dataclass
class TCell:
    """One cell of a table: its text as printed, where it stands and what it covers."""

    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # left | right | center
    indent: int = 0  # levels of indentation (功能分类 款 and 项 names)
    number: Optional[Decimal] = None  # an amount (stored as a number in .xlsx)


@dataclass
class Tab:
    """One table of a filing, with everything printed around it."""

    title: str
    widths: list[float]  # relative column widths
    rows: list[list[TCell]]  # every row's cells (a cell covered by a span above is absent)
    header_rows: int = 0  # leading rows repeated on a continuation page (PDF)
    number: Optional[str] = None  # 部门公开表3 (printed above the title, right)
    subtitle: Optional[str] = None  # （2021年度）
    entity: Optional[str] = None  # 单位名称：450新乐市医疗保障局
    unit: Optional[str] = None  # 单位：万元
    note: Optional[str] = None  # 注：本表反映…
    landscape: bool = True
    sheet: str = ""  # the .xlsx sheet name
    facts: list[tuple[int, tuple]] = field(default_factory=list)  # (row index, truth fact tuple)
    targets: list[tuple[int, tuple]] = field(default_factory=list)  # (row index, truth target tuple)

    @property
    def n_cols(self) -> int:
        return len(self.widths)


@dataclass
class Filing:
    cover: list[str]  # the cover's lines
    contents: list[str]  # the 目录 lines
    prose: list[str]  # 部门预算说明 paragraphs
    tables: list[Tab]


# =========================================================================== amounts
class Money:
    """Amounts (hundredths of 万元) as printed in the filing's unit, with the truth's yuan."""

    def __init__(self, unit: str):
        self.unit = unit

    def text(self, cents: int) -> str:
        if self.unit == "万元":
            return f"{cents // 100:,}.{cents % 100:02d}"
        return f"{cents * 100:,}.00"

    def number(self, cents: int) -> Decimal:
        if self.unit == "万元":
            return Decimal(cents) / 100
        return Decimal(cents * 100)

    def cell(self, cents: int, col: int) -> TCell:
        return TCell(self.text(cents), col, align="right", number=self.number(cents))


def _fact(unit_code, entity, statement, line_item, subject_code, measure, published, unit, project=None) -> tuple:
    return (LAYOUT, statement, unit_code, entity, C.collapse(line_item), subject_code, measure, published, unit,
            C.yuan(published, unit), project)


# =========================================================================== the statements
_NOTE = {
    "summary": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "income": "注：本表反映部门本年度取得的各项收入情况。",
    "expenditure": "注：本表反映部门本年度各项支出情况。",
    "fiscal": "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    "general": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "basic": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "three": "注：本表反映部门本年度“三公”经费支出预算情况。其中，因公出国（境）费包括公务出国（境）的国际旅费、"
             "国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出。",
    "fund": "注：本部门{year}年无政府性基金预算拨款安排的支出，故本表无数据。",
}
# title variants of real templates (national 部门公开表; 湖南 …总体情况表; 福建 …预算总表)
_TITLES = {
    "summary": ("部门收支总表", "{year}年部门收支总体情况表", "{year}年度收支预算总表"),
    "income": ("部门收入总表", "{year}年部门收入总体情况表", "{year}年度收入预算总表"),
    "expenditure": ("部门支出总表", "{year}年部门支出总体情况表", "{year}年度支出预算总表"),
    "fiscal": ("财政拨款收支总表", "{year}年财政拨款收支总体情况表", "{year}年度财政拨款收支预算总表"),
    "general": ("一般公共预算支出表", "{year}年一般公共预算支出情况表", "{year}年度一般公共预算拨款支出预算表"),
    "basic": ("一般公共预算基本支出表", "{year}年一般公共预算基本支出情况表", "{year}年度一般公共预算基本支出经济分类情况表"),
    "three": ("一般公共预算“三公”经费支出表", "{year}年一般公共预算“三公”经费支出情况表",
              "{year}年度一般公共预算“三公”经费支出预算表"),
    "fund": ("政府性基金预算支出表", "{year}年政府性基金预算支出情况表", "{year}年度政府性基金预算拨款支出预算表"),
}
_SHEET = {"summary": "收支总表", "income": "收入总表", "expenditure": "支出总表", "fiscal": "财政拨款收支总表",
          "general": "一般公共预算支出表", "basic": "基本支出表", "three": "三公经费支出表", "fund": "政府性基金支出表"}


def _level(code: str) -> int:
    return {3: 0, 5: 1, 7: 2}.get(len(code), 0)


def statements(ent: C.Entity, year: int, money: Money, style: int, three_pivoted: bool, code_printed: str,
               upkeep: str = "运行维护费") -> list[Tab]:
    """The 部门预算 statements of one entity (``style``: 0 national 部门公开表, 1 湖南 …情况表, 2 福建 …预算表;
    ``upkeep``: the 三公 vehicle wording, 运行维护费 or 运行费, both common in real filings)."""
    code, name = ent.code, ent.name
    entity_caption = f"单位名称：{code_printed}"
    unit_caption = f"单位：{money.unit}"
    T, B, P = ent.total(), ent.basic(), ent.project_total()
    func_rows = ent.func_rows()
    cats = C.CATEGORIES if year >= 2020 else C.CATEGORIES[:-1]
    by_cat = C._class_total_by_category(ent)
    U = money.unit
    tabs: list[Tab] = []

    def tab(key: str, widths, **kw) -> Tab:
        k = len(tabs) + 1
        t = Tab(title=_TITLES[key][style].format(year=year), widths=list(widths), rows=[],
                number=f"部门公开表{k}" if style == 0 else None, entity=entity_caption, unit=unit_caption,
                note=_NOTE[key].format(year=year), sheet=f"{k}{_SHEET[key]}", **kw)
        tabs.append(t)
        return t

    def fact(t: Tab, statement, item, subject, measure, cents):
        t.facts.append((len(t.rows), _fact(code, name, statement, item, subject, measure, money.text(cents), U)))

    def coded(t: Tab, statement: str, rows, measures):
        """合计 row (its label over 科目编码 and 科目名称) then one row per code; a 0 is a blank cell
        except in the first amount column."""
        for code_, label, *amounts in rows:
            cells = []
            if code_ is None:
                cells.append(TCell(label, 0, colspan=2, align="center"))
            else:
                cells.append(TCell(code_, 0))
                cells.append(TCell(label, 1, indent=_level(code_)))
            for i, (m, a) in enumerate(zip(measures, amounts)):
                if i == 0 or a:
                    fact(t, statement, label, code_, m, a)
                    cells.append(money.cell(a, 2 + i))
            t.rows.append(cells)

    # ---- 收支总表: 收入 | 支出 side by side
    t = tab("summary", (3.2, 1.3, 3.2, 1.3), header_rows=2)
    t.rows.append([TCell("收入", 0, colspan=2, align="center"), TCell("支出", 2, colspan=2, align="center")])
    t.rows.append([TCell(h, k, align="center") for k, h in enumerate(("项目", "预算数", "项目", "预算数"))])
    spent = [c for c in cats if c in by_cat]
    n = max(len(C.INCOME_ITEMS), len(spent))
    st = "income_expenditure_summary"
    for i in range(n):
        cells = []
        if i < len(C.INCOME_ITEMS):
            label = f"{C.NUMERALS[i]}、{C.INCOME_ITEMS[i]}"
            cells.append(TCell(label, 0))
            if i == 0:
                fact(t, st, label, None, "income", T)
                cells.append(money.cell(T, 1))
        if i < len(spent):
            label = f"{C.NUMERALS[i]}、{spent[i]}"
            cells.append(TCell(label, 2))
            fact(t, st, label, None, "expenditure", by_cat[spent[i]][0])
            cells.append(money.cell(by_cat[spent[i]][0], 3))
        t.rows.append(cells)
    for a, b, v in (("本年收入合计", "本年支出合计", T), ("上年结转结余", "年终结转结余", None), ("收入总计", "支出总计", T)):
        cells = [TCell(a, 0, align="center" if v else "left")]
        if v:
            fact(t, st, a, None, "income", v)
            cells.append(money.cell(v, 1))
        cells.append(TCell(b, 2, align="center" if v else "left"))
        if v:
            fact(t, st, b, None, "expenditure", v)
            cells.append(money.cell(v, 3))
        t.rows.append(cells)

    # ---- 收入总表 by 功能分类
    t = tab("income", (1.2, 3.0, 1.3, 1.3, 1.5, 1.3, 1.3, 1.1, 1.1, 1.1, 1.3), header_rows=2)
    t.rows.append([TCell("功能分类科目", 0, colspan=2, align="center"), TCell("合计", 2, rowspan=2, align="center"),
                   TCell("本年收入", 3, colspan=7, align="center"), TCell("上年结转", 10, rowspan=2, align="center")])
    t.rows.append([TCell(h, k, align="center") for k, h in enumerate(
        ("科目编码", "科目名称", None, "小计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
         "财政专户管理资金收入", "事业收入", "其他收入")) if h])
    rows = [(None, "合计", T, T, T)] + [(c, C.FUNC[c], b + p, b + p, b + p) for c, b, p in func_rows]
    coded(t, "income", rows, ("total", "current_year_subtotal", "general_budget"))

    # ---- 支出总表 by 功能分类
    t = tab("expenditure", (1.2, 3.2, 1.3, 1.3, 1.3, 1.2, 1.2, 1.2), header_rows=2)
    t.rows.append([TCell("功能分类科目", 0, colspan=2, align="center")] + [
        TCell(h, k, rowspan=2, align="center") for k, h in
        enumerate(("合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"), start=2)])
    t.rows.append([TCell("科目编码", 0, align="center"), TCell("科目名称", 1, align="center")])
    rows3 = [(None, "合计", T, B, P)] + [(c, C.FUNC[c], b + p, b, p) for c, b, p in func_rows]
    coded(t, "expenditure", rows3, ("total", "basic", "project"))

    # ---- 财政拨款收支总表: 收入 | 支出 (合计 and one column per fund)
    t = tab("fiscal", (3.0, 1.3, 3.0, 1.3, 1.4, 1.4, 1.4), header_rows=2)
    t.rows.append([TCell("收入", 0, colspan=2, align="center"), TCell("支出", 2, colspan=5, align="center")])
    t.rows.append([TCell(h, k, align="center") for k, h in enumerate(
        ("项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"))])
    st = "fiscal_appropriation_summary"
    left = [("一、本年收入", T)] + [(f"（{C.NUMERALS[j]}）{item}", T if j == 0 else None)
                                  for j, item in enumerate(C.FISCAL_INCOME_ITEMS)] + [("二、上年结转", None)]
    right = [("一、本年支出", T)] + [(f"（{C.NUMERALS[j]}）{cat}", by_cat[cat][0]) for j, cat in enumerate(spent)] + [
        ("二、结转下年", None)]
    for i in range(max(len(left), len(right))):
        cells = []
        if i < len(left):
            label, v = left[i]
            cells.append(TCell(label, 0))
            if v:
                fact(t, st, label, None, "income", v)
                cells.append(money.cell(v, 1))
        if i < len(right):
            label, v = right[i]
            cells.append(TCell(label, 2))
            if v:
                fact(t, st, label, None, "expenditure", v)
                fact(t, st, label, None, "general_budget", v)
                cells += [money.cell(v, 3), money.cell(v, 4)]
        t.rows.append(cells)
    fact(t, st, "收入总计", None, "income", T)
    fact(t, st, "支出总计", None, "expenditure", T)
    fact(t, st, "支出总计", None, "general_budget", T)
    t.rows.append([TCell("收入总计", 0, align="center"), money.cell(T, 1), TCell("支出总计", 2, align="center"),
                   money.cell(T, 3), money.cell(T, 4)])

    # ---- 一般公共预算支出表 by 功能分类
    t = tab("general", (1.3, 3.6, 1.5, 1.5, 1.5), header_rows=2)
    t.rows.append([TCell("功能分类科目", 0, colspan=2, align="center"),
                   TCell(f"{year}年预算数", 2, colspan=3, align="center")])
    t.rows.append([TCell(h, k, align="center") for k, h in enumerate(("科目编码", "科目名称", "合计", "基本支出", "项目支出"))])
    coded(t, "general_budget_expenditure", rows3, ("total", "basic", "project"))

    # ---- 一般公共预算基本支出表 by 经济分类
    t = tab("basic", (1.3, 3.6, 1.5, 1.5, 1.5), header_rows=2)
    t.rows.append([TCell("部门预算支出经济分类科目", 0, colspan=2, align="center")] + [
        TCell(h, k, rowspan=2, align="center") for k, h in enumerate(("合计", "人员经费", "公用经费"), start=2)])
    t.rows.append([TCell("科目编码", 0, align="center"), TCell("科目名称", 1, align="center")])
    erows = [(None, "合计", B, ent.personnel(), ent.public())] + [
        (c, C.ECON[c], tot, pe, pu) for c, tot, pe, pu in ent.econ_rows()]
    coded(t, "basic_expenditure", erows, ("total", "personnel", "public_funds"))

    # ---- “三公” 经费
    tp = ent.three_public()
    st = "three_public"
    if three_pivoted:  # the national template: one column per item
        t = tab("three", (1.2, 1.5, 1.2, 1.5, 1.5, 1.2), header_rows=2)
        t.rows.append([TCell("合计", 0, rowspan=2, align="center"), TCell("因公出国（境）费", 1, rowspan=2, align="center"),
                       TCell(f"公务用车购置及{upkeep}", 2, colspan=3, align="center"),
                       TCell("公务接待费", 5, rowspan=2, align="center")])
        t.rows.append([TCell(h, k, align="center") for k, h in
                       enumerate(("小计", "公务用车购置费", f"公务用车{upkeep}"), start=2)])
        cells = []
        for k, (item, key) in enumerate((("合计", "total"), ("因公出国（境）费", "outbound"),
                                         (f"公务用车购置及{upkeep} 小计", "vehicles"), ("公务用车购置费", "purchase"),
                                         (f"公务用车{upkeep}", "operation"), ("公务接待费", "reception"))):
            if tp[key] or k == 0:
                fact(t, st, item, None, "total", tp[key])
                cells.append(money.cell(tp[key], k))
        t.rows.append(cells)
    else:  # the county template: one row per item, a column per fund
        t = tab("three", (3.6, 1.5, 1.6, 1.6, 1.6), header_rows=2)
        t.rows.append([TCell("项目", 0, rowspan=2, align="center"), TCell(f"{year}年预算数", 1, colspan=4, align="center")])
        t.rows.append([TCell(h, k, align="center") for k, h in
                       enumerate(("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"), start=1)])
        for label, key, indent in (("合计", "total", 0), ("一、因公出国（境）费", "outbound", 0),
                                   (f"二、公务用车购置及{upkeep}", "vehicles", 0), ("其中：公务用车购置费", "purchase", 1),
                                   (f"公务用车{upkeep}", "operation", 1), ("三、公务接待费", "reception", 0)):
            v = tp[key]
            cells = [TCell(label, 0, indent=indent, align="center" if key == "total" else "left")]
            if v or key == "total":
                fact(t, st, label, None, "total", v)
                fact(t, st, label, None, "general_budget", v)
                cells += [money.cell(v, 1), money.cell(v, 2)]
            t.rows.append(cells)

    # ---- 政府性基金预算支出表: printed empty
    t = tab("fund", (1.3, 3.6, 1.5, 1.5, 1.5), header_rows=2)
    t.rows.append([TCell("功能分类科目", 0, colspan=2, align="center"),
                   TCell("本年政府性基金预算支出", 2, colspan=3, align="center")])
    t.rows.append([TCell(h, k, align="center") for k, h in enumerate(("科目编码", "科目名称", "合计", "基本支出", "项目支出"))])
    t.rows.append([TCell("", k) for k in range(5)])
    return tabs


# =========================================================================== 项目支出绩效目标表
def project_tables(ent: C.Entity, year: int, money: Money, code_printed: str, rng: random.Random,
                   style: int) -> list[Tab]:
    tabs = []
    names = [p[1] for p in ent.projects]
    amounts = [p[3] for p in ent.projects]
    if ent.car_purchase:
        names.append("公务用车购置费")
        amounts.append(ent.car_purchase)
    for k, (pname, cents) in enumerate(zip(names, amounts), start=1):
        title = "项目支出绩效目标表" if style != 0 else f"{pname}绩效目标表"
        t = Tab(title=f"{year}年{title}" if style == 1 else title, widths=[1.3, 1.2, 1.4, 2.6, 1.8], rows=[],
                subtitle=f"（{year}年度）" if style != 1 else None, unit=f"单位：{money.unit}" if style == 2 else None,
                landscape=False, sheet=f"项目绩效目标表{k}")
        U = money.unit
        other = 0
        if cents >= 200 and rng.random() < 0.15:
            other = rng.randint(1, cents // 10) if cents // 10 >= 1 else 0
        fiscal = cents - other
        rows = t.rows
        rows.append([TCell("项目名称", 0, align="center"), TCell(pname, 1, colspan=4, align="center")])
        rows.append([TCell("主管部门及代码", 0, align="center"), TCell(code_printed, 1, colspan=2, align="center"),
                     TCell("实施单位", 3, align="center"), TCell(ent.name, 4, align="center")])
        label = f"项目资金（{U}）"
        money_rows = [("年度资金总额：", "total", cents), ("其中：财政拨款", "fiscal_appropriation", fiscal),
                      ("上年结转", "carryover", 0), ("其他资金", "other_funds", other)]
        for j, (lab, measure, v) in enumerate(money_rows):
            cells = [TCell(label, 0, rowspan=len(money_rows), align="center")] if j == 0 else []
            cells.append(TCell(lab, 1, colspan=2, align="center"))
            if v:
                cells.append(TCell(money.text(v), 3, colspan=2, align="center", number=money.number(v)))
                t.facts.append((len(rows), _fact(ent.code, ent.name, "project_budget", lab.rstrip("："), None, measure,
                                                 money.text(v), U, pname)))
            elif measure == "other_funds":
                cells.append(TCell("-", 3, colspan=2, align="center"))
            rows.append(cells)
        goals = rng.sample(("贯彻落实医疗保险制度和大病保险制度。", "推进医疗、医保、医药联动改革，提高医疗保障水平。",
                            "保障各项工作的正常开展，提升医保经办服务能力。", "及时足额拨付资金，确保资金使用安全规范。",
                            "严格执行国家规定药品目录和诊疗项目目录。", "确保基金安全平稳运行，基金收支平衡、略有结余。"), 3)
        rows.append([TCell("年度总体目标", 0, align="center"),
                     TCell("".join(f"{i}.{g}" for i, g in enumerate(goals, start=1)), 1, colspan=4)])
        inds = C.pick_indicators(rng, year)
        costs = C.cost_indicators(rng, C.wan_short(cents) if U == "万元" else str(cents * 100), U, n=1)
        out_end = max(k2 for k2, i in enumerate(inds) if i["l1"] == "产出指标") + 1
        inds[out_end:out_end] = costs
        rows.append([TCell("绩效指标", 0, rowspan=len(inds) + 1, align="center")] + [
            TCell(h, k2, align="center") for k2, h in enumerate(("一级指标", "二级指标", "三级指标", "指标值"), start=1)])
        # 一级 and 二级 merged over their runs of rows
        spans1 = _runs([i["l1"] for i in inds])
        spans2 = _runs([(i["l1"], i["l2"]) for i in inds])
        for j, ind in enumerate(inds):
            cells = []
            if j in spans1:
                cells.append(TCell(ind["l1"], 1, rowspan=spans1[j], align="center"))
            if j in spans2:
                cells.append(TCell(ind["l2"], 2, rowspan=spans2[j], align="center"))
            cells.append(TCell(ind["l3"], 3))
            cells.append(TCell(ind["value"], 4, align="center"))
            t.targets.append((len(rows), (LAYOUT, ent.code, ent.name, pname, ind["l1"], ind["l2"], ind["l3"].strip(),
                                          "annual", ind["value"].strip())))
            rows.append(cells)
        tabs.append(t)
    return tabs


def column_widths(t: Tab, total: float, text_width) -> list[float]:
    """Column widths summing to ``total``: the relative ``t.widths``, but never narrower than the
    widest amount or code printed alone in the column (as an author widens a column rather than
    wrap a figure); ``text_width(text)`` measures a text in the same units."""
    need = [0.0] * t.n_cols
    for row in t.rows:
        for cell in row:
            if cell.colspan == 1 and cell.text and (cell.number is not None or cell.text.isascii()):
                need[cell.col] = max(need[cell.col], text_width(cell.text) * 1.08 + 0.012 * total)
    widths = [w * total / sum(t.widths) for w in t.widths]
    for _ in range(4):  # widen the figures' columns, take it from the others in proportion
        short = [k for k in range(t.n_cols) if widths[k] < need[k]]
        if not short:
            break
        extra = sum(need[k] - widths[k] for k in short)
        free = [k for k in range(t.n_cols) if k not in short]
        room = sum(widths[k] for k in free)
        if not free or room <= extra:
            break
        for k in short:
            widths[k] = need[k]
        for k in free:
            widths[k] -= extra * widths[k] / room
    return widths


def _runs(keys: list) -> dict[int, int]:
    """Start index → length of each run of equal keys."""
    out: dict[int, int] = {}
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out[start] = i - start
            start = i
    return out


# =========================================================================== one filing
def make_original(rng: random.Random, ctx: dict) -> Filing:
    """A county 医保局's 部门预算 as an original would print it."""
    year, county, code = ctx["year"], ctx["county"], ctx["code"]
    dept, _units = C.budget_model(rng, county, code, year, ctx["north"])
    ctx["department_name"] = dept.name
    money = Money("万元" if rng.random() < 0.8 else "元")
    style = rng.randrange(3)
    three_pivoted = rng.random() < 0.5
    code_printed = f"{code}{dept.name}" if rng.random() < 0.5 else f"[{code}]{dept.name}"
    upkeep = "运行维护费" if rng.random() < 0.7 else "运行费"
    tabs = statements(dept, year, money, style, three_pivoted, code_printed, upkeep)
    targets = project_tables(dept, year, money, code_printed, rng, style)
    contents = ["目    录", "第一部分  部门预算说明", "第二部分  部门预算表"]
    contents += [f"    {k}、{t.title}" for k, t in enumerate(tabs, start=1)]
    contents.append("第三部分  项目支出绩效目标表")
    T = dept.total()
    prose = [
        "第一部分  部门预算说明",
        "一、部门主要职责",
        *[f"{C.ZH_ITEM[k]}{d}" for k, d in enumerate(rng.sample(C.DUTIES, 4))],
        "二、部门预算单位构成",
        f"纳入{year}年部门预算编制范围的单位包括：{'、'.join(u.name for u in _units)}。",
        "三、收支预算情况的总体说明",
        f"按照综合预算的原则，{dept.name}所有收入和支出均纳入部门预算管理。{year}年收入预算{C.wan_short(T)}万元，"
        f"支出预算{C.wan_short(T)}万元。",
    ]
    cover = [dept.name, f"{year}年部门预算", f"{county}财政局  编"]
    return Filing(cover=cover, contents=contents, prose=prose, tables=tabs + targets)


# =========================================================================== PDF
_FONT = "STSong-Light"
_FONT_READY = False


def _font():
    global _FONT_READY
    if not _FONT_READY:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
        _FONT_READY = True


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of ``text`` that fit ``width`` points; ASCII letters and digits are never split."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if not text:
        return []
    tokens: list[str] = []
    for ch in text:
        if tokens and ch.isascii() and ch.isalnum() and tokens[-1][-1].isascii() and tokens[-1][-1].isalnum():
            tokens[-1] += ch
        elif tokens and ch in "，。、；：）%" and len(tokens[-1]) < 12:
            tokens[-1] += ch  # punctuation never starts a line
        else:
            tokens.append(ch)
    lines, cur = [], ""
    for tok in tokens:
        if cur and stringWidth(cur + tok, _FONT, size) > width:
            lines.append(cur)
            cur = tok
        else:
            cur += tok
    if cur:
        lines.append(cur)
    return lines


class _Pdf:
    SIZE = 9
    LEAD = 11.5
    MARGIN = 42

    def __init__(self):
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.pdfgen import canvas

        _font()
        self.buf = io.BytesIO()
        self.portrait, self.landscape = A4, landscape(A4)
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)  # no date or random id: same seed, same bytes
        self.c.setTitle("部门预算")
        self.page = 0
        self.size = A4
        self.open = False

    def new_page(self, landscape: bool) -> None:
        if self.open:
            self._footer()
            self.c.showPage()
        self.size = self.landscape if landscape else self.portrait
        self.c.setPageSize(self.size)
        self.page += 1
        self.open = True

    def _footer(self) -> None:
        w, h = self.size
        self.text(w / 2, h - 28, f"- {self.page} -", size=9, align="center")

    def text(self, x: float, top: float, s: str, size: float = 9, align: str = "left") -> None:
        """Text whose glyph tops stand at ``top`` (points from the page top)."""
        h = self.size[1]
        self.c.setFont(_FONT, size)
        y = h - top - size * 0.88
        if align == "center":
            self.c.drawCentredString(x, y, s)
        elif align == "right":
            self.c.drawRightString(x, y, s)
        else:
            self.c.drawString(x, y, s)

    def finish(self) -> bytes:
        if self.open:
            self._footer()
            self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def render_pdf(f: Filing) -> tuple[bytes, dict]:
    """The filing as a PDF; and {(table number, row index): page} of every table row."""
    pdf = _Pdf()
    pages: dict[tuple[int, int], int] = {}
    # cover
    pdf.new_page(False)
    w, _h = pdf.size
    pdf.text(w / 2, 250, f.cover[0], size=24, align="center")
    pdf.text(w / 2, 300, f.cover[1], size=24, align="center")
    pdf.text(w / 2, 620, f.cover[2], size=14, align="center")
    # 目录
    pdf.new_page(False)
    top = 90
    for k, line in enumerate(f.contents):
        pdf.text(w / 2 if k == 0 else 80, top, line.strip() if k == 0 else line.replace("    ", ""),
                 size=16 if k == 0 else 12, align="center" if k == 0 else "left")
        top += 34 if k == 0 else 24
    # 说明
    pdf.new_page(False)
    top = 70
    for k, para in enumerate(f.prose):
        size = 16 if k == 0 else 11
        heading = k == 0 or para[:2] in ("一、", "二、", "三、", "四、")
        lines = [para] if heading else _wrap("　　" + para, w - 2 * pdf.MARGIN, size)
        for line in lines:
            pdf.text(w / 2 if k == 0 else pdf.MARGIN, top, line, size=size, align="center" if k == 0 else "left")
            top += size * 1.9
        top += 6
    for ti, t in enumerate(f.tables):
        _pdf_table(pdf, t, ti, pages)
    return pdf.finish(), pages


def _pdf_table(pdf: _Pdf, t: Tab, ti: int, pages: dict) -> None:
    size, lead = pdf.SIZE, pdf.LEAD
    pdf.new_page(t.landscape)
    w, h = pdf.size
    m = pdf.MARGIN
    total_w = w - 2 * m
    from reportlab.pdfbase.pdfmetrics import stringWidth

    xs = [m]
    for wd in column_widths(t, total_w, lambda s: stringWidth(s, _FONT, size) + 6):
        xs.append(xs[-1] + wd)
    top = 30
    if t.number:
        pdf.text(w - m, top, t.number, size=9, align="right")
        top += 16
    pdf.text(w / 2, top, t.title, size=16, align="center")
    top += 26
    if t.subtitle:
        pdf.text(w / 2, top, t.subtitle, size=10, align="center")
        top += 18
    if t.entity or t.unit:
        if t.entity:
            pdf.text(m, top, t.entity, size=9)
        if t.unit:
            pdf.text(w - m, top, t.unit, size=9, align="right")
        top += 15
    # row heights from the wrapped text of the cells starting on each row
    wrapped: dict[tuple[int, int], list[str]] = {}
    heights = []
    for r, row in enumerate(t.rows):
        hgt = 18.0
        for cell in row:
            cw = xs[cell.col + cell.colspan] - xs[cell.col] - 6 - cell.indent * size
            lines = _wrap(cell.text, cw, size)
            wrapped[(r, cell.col)] = lines
            if cell.rowspan == 1:
                hgt = max(hgt, len(lines) * lead + 7)
        heights.append(hgt)
    bottom_limit = h - 48
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(t.rows):
        for cell in row:
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, cell.col + dc))

    def draw_row(r: int, y: float) -> None:
        pdf.c.setLineWidth(0.6)
        for k in range(t.n_cols):  # an empty position is ruled too
            if (r, k) not in covered:
                pdf.c.rect(xs[k], h - y - heights[r], xs[k + 1] - xs[k], heights[r], stroke=1, fill=0)
        for cell in t.rows[r]:
            y1 = y + sum(heights[r:r + cell.rowspan])
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            pdf.c.setLineWidth(0.6)
            pdf.c.rect(x0, h - y1, x1 - x0, y1 - y, stroke=1, fill=0)
            lines = wrapped[(r, cell.col)]
            block = len(lines) * lead
            ty = y + (y1 - y - block) / 2 + (lead - size) / 2
            for line in lines:
                if cell.align == "right":
                    pdf.text(x1 - 3, ty, line, size=size, align="right")
                elif cell.align == "center":
                    pdf.text((x0 + x1) / 2, ty, line, size=size, align="center")
                else:
                    pdf.text(x0 + 3 + cell.indent * size, ty, line, size=size)
                ty += lead

    def block_end(r: int) -> int:
        """Rows that must stay on one page with row r (a cell spanning down)."""
        end = r + 1
        k = r
        while k < end:
            for cell in t.rows[k]:
                end = max(end, k + cell.rowspan)
            k += 1
        return end

    y = top
    r = 0
    while r < len(t.rows):
        end = block_end(r)
        need = sum(heights[r:end])
        if y + need > bottom_limit and r > t.header_rows and r > 0:
            pdf.new_page(t.landscape)
            y = 40
            for hr in range(t.header_rows):  # the header repeated on the continuation page
                draw_row(hr, y)
                y += heights[hr]
        for k in range(r, end):
            pages[(ti, k)] = pdf.page
        for k in range(r, end):
            draw_row(k, y)
            y += heights[k]
        r = end
    if t.note:
        for line in _wrap(t.note, total_w, 9):
            if y + 20 > h - 40:
                break
            pdf.text(m, y + 6, line, size=9)
            y += 13


# =========================================================================== .docx
def _x(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_JC = {"left": "left", "right": "right", "center": "center"}


def _w_para(text: str, size: float = 10, bold: bool = False, where: str = "left", indent: int = 0,
            page_break: bool = False, right_tab: int = 0) -> str:
    """One ``w:p``: a run of text (tabs as ``w:tab``), its size in points, bold, alignment; ``right_tab``
    (twips) puts a right-aligned tab stop there (编制单位 on the left, 单位：万元 on the right)."""
    ppr = f'<w:jc w:val="{_JC[where]}"/>'
    if right_tab:
        ppr = f'<w:tabs><w:tab w:val="right" w:pos="{right_tab}"/></w:tabs>' + ppr
    if indent:
        ppr = f'<w:ind w:left="{180 * indent}"/>' + ppr
    rpr = ("<w:b/>" if bold else "") + f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>'
    runs = []
    if page_break:
        runs.append('<w:r><w:br w:type="page"/></w:r>')
    for k, part in enumerate(text.split("\t")):
        if k:
            runs.append("<w:r><w:tab/></w:r>")
        if part:
            runs.append(f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{_x(part)}</w:t></w:r>')
    return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(runs)}</w:p>"


def _w_table(t: Tab, width_twips: int) -> str:
    """A ``w:tbl`` with its grid, borders, merged cells (``w:gridSpan``, ``w:vMerge``) and header rows."""
    # Word's 8-point 宋体: a digit about 4.3 pt, a CJK character 8 pt (1 pt = 20 twips) plus the cell margins
    cols = [int(w) for w in column_widths(
        t, width_twips, lambda s: 20 * sum(8.0 if ord(ch) > 0x2E80 else 4.3 for ch in s) + 230)]
    starts: dict[tuple[int, int], TCell] = {}
    below: dict[tuple[int, int], TCell] = {}  # positions covered by a cell starting in a row above
    for r, row in enumerate(t.rows):
        for cell in row:
            starts[(r, cell.col)] = cell
            for dr in range(1, cell.rowspan):
                below[(r + dr, cell.col)] = cell
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:jc w:val="center"/>'
           f'<w:tblW w:w="{sum(cols)}" w:type="dxa"/><w:tblBorders>'
           + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{c}"/>' for c in cols) + "</w:tblGrid>"]
    for r in range(len(t.rows)):
        trpr = "<w:trPr><w:tblHeader/></w:trPr>" if r < t.header_rows else ""
        out.append(f"<w:tr>{trpr}")
        k = 0
        while k < t.n_cols:
            cell = starts.get((r, k)) or below.get((r, k))
            span = cell.colspan if cell is not None else 1
            width = sum(cols[k:k + span])
            tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if span > 1:
                tcpr += f'<w:gridSpan w:val="{span}"/>'
            if cell is not None and cell.rowspan > 1:
                tcpr += '<w:vMerge w:val="restart"/>' if (r, k) in starts else "<w:vMerge/>"
            tcpr += '<w:vAlign w:val="center"/>'
            body = (_w_para(cell.text, 8, where=cell.align, indent=cell.indent)
                    if cell is not None and (r, k) in starts else "<w:p/>")
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{body}</w:tc>")
            k += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def render_docx(f: Filing) -> tuple[bytes, dict]:
    """The filing as a Word document (python-docx's template: styles, settings, sections; the body
    written as WordprocessingML, which is what Word saves)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from lxml import etree

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = 457200  # 0.5 in
    width = int((sec.page_width - sec.left_margin - sec.right_margin) / 635)  # EMU → twips
    parts: list[str] = []
    for k, line in enumerate(f.cover):
        parts.append(_w_para(line, 26 if k < 2 else 14, bold=k < 2, where="center"))
    for k, line in enumerate(f.contents):
        parts.append(_w_para(line.strip() if k == 0 else line.replace("    ", "\t"), 16 if k == 0 else 12, bold=k == 0,
                             where="center" if k == 0 else "left", page_break=k == 0))
    for k, text in enumerate(f.prose):
        heading = k == 0 or text[:2] in ("一、", "二、", "三、")
        parts.append(_w_para(text if heading else "　　" + text, 16 if k == 0 else 12, bold=heading,
                             where="center" if k == 0 else "left", page_break=k == 0))
    for t in f.tables:
        first = True
        if t.number:
            parts.append(_w_para(t.number, 10, where="right", page_break=first))
            first = False
        parts.append(_w_para(t.title, 18, bold=True, where="center", page_break=first))
        if t.subtitle:
            parts.append(_w_para(t.subtitle, 11, where="center"))
        if t.entity or t.unit:
            parts.append(_w_para("\t".join(x for x in (t.entity, t.unit) if x), 10, right_tab=width))
        parts.append(_w_table(t, width))
        if t.note:
            parts.append(_w_para(t.note, 9))
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = etree.fromstring(f"<w:body {ns}>{''.join(parts)}</w:body>".encode("utf-8"))
    target = d.element.body
    sect = target.find(qn("w:sectPr"))
    for el in list(body):
        sect.addprevious(el)
    d.core_properties.created = d.core_properties.modified = _EPOCH
    d.core_properties.author = d.core_properties.last_modified_by = f.cover[0]
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue()), {}


# =========================================================================== .xlsx
def render_xlsx(f: Filing) -> tuple[bytes, dict]:
    """The filing as a workbook: one sheet per table (openpyxl; styles copied from prototype cells and
    merged ranges registered directly: openpyxl's own per-cell styling is ~10× slower)."""
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    wb = Workbook()
    scratch = wb.active
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    protos: dict[tuple, object] = {}

    def proto(kind: str, align: str = "left", indent: int = 0):
        key = (kind, align, indent)
        if key not in protos:
            c = scratch.cell(len(protos) + 1, 1)
            if kind in ("text", "number"):
                c.border = box
                c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True, indent=indent)
                if kind == "number":
                    c.number_format = "#,##0.00"
            elif kind == "title":
                c.font = Font(size=16, bold=True)
                c.alignment = Alignment(horizontal="center")
            else:
                c.alignment = Alignment(horizontal=align)
            protos[key] = c
        return protos[key]._style

    pages: dict[tuple[int, int], int] = {}
    for ti, t in enumerate(f.tables):
        ws = wb.create_sheet(t.sheet[:31])
        sheet_no = ti + 1

        def put(r, c, value, style):
            cell = ws.cell(r, c)
            if value is not None:
                cell.value = value
            cell._style = copy(style)
            return cell

        def merge(r1, c1, r2, c2):
            ws.merged_cells.add(MergedCellRange(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"))

        # widths in characters (a CJK character counts two), the widest figure never shown as ###
        chars = lambda s: sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)  # noqa: E731
        col_w = column_widths(t, 130 if t.landscape else 90, lambda s: chars(s) + 2)
        for k, wd in enumerate(col_w, start=1):
            ws.column_dimensions[get_column_letter(k)].width = round(wd, 1)
        ws.page_setup.orientation = "landscape" if t.landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
        r = 1
        if t.number:
            put(r, t.n_cols, t.number, proto("caption", "right"))
            r += 1
        put(r, 1, t.title, proto("title"))
        merge(r, 1, r, t.n_cols)
        ws.row_dimensions[r].height = 30
        r += 1
        if t.subtitle:
            put(r, 1, t.subtitle, proto("caption", "center"))
            merge(r, 1, r, t.n_cols)
            r += 1
        if t.entity or t.unit:
            if t.entity:
                put(r, 1, t.entity, proto("caption"))
            if t.unit:
                put(r, t.n_cols, t.unit, proto("caption", "right"))
            r += 1
        first = r
        blank = proto("text")
        for ri in range(len(t.rows)):  # every position of the grid is ruled
            for k in range(t.n_cols):
                put(first + ri, k + 1, None, blank)
        for ri, row in enumerate(t.rows):
            rr = first + ri
            lines = max((-(-chars(c.text) // max(1, int(sum(col_w[c.col:c.col + c.colspan]) - 1)))
                         for c in row if c.rowspan == 1 and c.text), default=1)
            if lines > 1:  # a wrapped cell: the row is as high as its text (Excel does this on entry)
                ws.row_dimensions[rr].height = 14.5 * lines
            for cell in row:
                if cell.number is not None:
                    put(rr, cell.col + 1, cell.number, proto("number", cell.align))
                else:
                    put(rr, cell.col + 1, cell.text or None, proto("text", cell.align, cell.indent))
                if cell.rowspan > 1 or cell.colspan > 1:
                    merge(rr, cell.col + 1, rr + cell.rowspan - 1, cell.col + cell.colspan)
            pages[(ti, ri)] = sheet_no
        if t.note:
            ws.cell(first + len(t.rows), 1, t.note)
    wb.remove(scratch)
    wb.properties.created = wb.properties.modified = _EPOCH
    wb.properties.creator = f.cover[0]
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue()), pages


_EPOCH = datetime.datetime(2020, 12, 1, 9, 0, 0)


def _fixed_zip(data: bytes) -> bytes:
    """The archive again with every member dated ``_EPOCH``: the same seed gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + _EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


def render(f: Filing, fmt: str) -> tuple[bytes, list[tuple], list[tuple]]:
    """(the file's bytes, truth facts, truth targets) — each truth tuple ends with its source_page."""
    data, pages = RENDERERS[fmt](f)
    facts, targets = [], []
    for ti, t in enumerate(f.tables):
        for r, fact in t.facts:
            facts.append(fact + (pages.get((ti, r)),))
        for r, target in t.targets:
            targets.append(target + (pages.get((ti, r)),))
    return data, facts, targets
