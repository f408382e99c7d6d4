"""A synthetic corpus of filings with known truth.

    python -m benchmarks.corpus --n N --out DIR [--seed S] [--workers W] [--error-rate R]
                                [--formats txt,pdf,docx,xlsx]

writes N filings under ``DIR/filings/<year>/`` in the layouts of the bundled
samples (``data/filings``) — and, with ``--formats``, as PDF, Word and Excel
originals of 部门预算 (:mod:`benchmarks.originals`; the formats are taken in turn,
filing k in ``formats[k % len(formats)]``, and a ``txt`` filing is the same whatever
else is listed) — and what they say under ``DIR/truth/``:

* ``budget_facts.parquet``  every published amount the loaders should read:
  source_file, statement, unit_code, line_item (as printed, whitespace collapsed),
  subject_code, measure, published_amount, published_unit, amount_yuan, project,
  source_page (the PDF page or .xlsx sheet the amount is printed on; null for text
  exports and .docx, which have no pages) …
* ``targets.parquet``  every performance target: source_file, project, level3
  (as printed), horizon, target_text, source_page …
* ``expected_failures.parquet``  the reconciliation failures injected on purpose
  (source_file, check_name, error_kind, detail): a KNOWN share of the filings
  (``--error-rate``, default 3 %) carries exactly one source error;
* ``filings.parquet``  one row per file (format, layout, encoding, year, county, …);
* ``manifest.json``  the parameters and counts (a cache key for benchmarks.run).

The filings folder, not DIR, is what a build reads (the truth would otherwise be
read as filings): ``make warehouse FILINGS=DIR/filings``.

Layouts (weights in ``LAYOUTS``), each faithful to its sample:

* ``budget``        002: Word-table 部门预算, department part and 1–2 unit parts
  (收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算财政拨款支出表,
  基本支出表 with 经济分类 codes, empty 政府性基金 / 国有资本经营 tables, 三公 table
  with one row per item, 情况说明 prose restating the figures, 部门整体 分项绩效目标,
  project 绩效目标表, 政府采购 and 固定资产 tables), 万元;
* ``project_word``  000: Word-table project 绩效目标表 with 项目编码, 预算数 in 元 and a
  资金支出计划;
* ``approval_form`` 001: PDF-extracted 绩效目标批复表, 万元, midterm and annual side by side;
* ``tsv``           003: tab-separated 项目支出 table with 单位代码 and drifting columns,
  整体支出 table and the pivoted 三公 table (one column per item);
* ``overall_word``  004: Word-table 部门整体支出绩效目标申报表.

The samples' quirks are reproduced, each in a share of the filings: 000's table of
contents, Word ``TC … \\f C \\l 1`` field codes, goals continued after a blank line,
blank 指标值, spaces in project names; 001's two column placements, a 二级 label cut
over two rows (可持续 / 影响指标), label-only rows (empty 经济/生态效益指标 blocks), two
indicators merged in one cell, 时效性 for 时效指标, blank 中长期 values, ``2,858.5``;
002's 空表列示 tables, a stray quote in a description, ``≥80比率``; 003's cells
drifting one column, rows starting in column 0 with their 一级, stray blank lines,
a second 定量 where the unit stands, blocks out of order; 004's row split by a stray
blank line and its lost 产出指标 cell. About 0.5 % of the filings are saved a second
time in another encoding and line ending (``…_copy.txt``, a duplicate: no facts).

Amounts add up as real ones do: children sum to their parents, 合计 = 基本 + 项目,
units sum to their department, income = expenditure, 三公 components, the prose
restates the tables, projects sum to the department's 项目支出, cost targets stay
within budget, spending plans rise to 100 %.

Every filing is generated from ``random.Random(f"{seed}:{index}")`` (an original from
``f"{seed}:{index}:{format}"``), so the corpus is deterministic given the seed and the
formats whatever the number of workers (the originals carry no time stamp). The
originals carry no injected source error. Filings are
written as they are generated and the truth is appended in row groups, so memory
stays flat.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import shutil
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Optional

GENERATOR_VERSION = "3"
ROOT = Path(__file__).resolve().parent.parent
ADMIN_DIVISIONS = ROOT / "seeds" / "admin_divisions.csv"
YEARS = tuple(range(2019, 2025))

# layout → weight (percent of the filings)
LAYOUTS = (
    ("budget", 25),
    ("project_word", 20),
    ("approval_form", 15),
    ("tsv", 20),
    ("overall_word", 20),
)
# The source errors injected (a share --error-rate of the filings carries exactly one):
# (layout, error_kind, the reconciliation check that must fail, what is wrong). Each error
# makes exactly that check fail for its filing and nothing else.
ERROR_KINDS = (
    ("budget", "narrative_figure", "narrative_matches_table",
     "the 情况说明 restates 人员经费 / 日常公用经费 / 公务接待费 with another figure than the table (as 002 does)"),
    ("project_word", "spending_plan", "spending_plan_monotonic",
     "a 资金支出计划 that decreases or stops short of 100 %"),
    ("approval_form", "annual_over_midterm", "annual_within_midterm",
     "a 年度资金总额 larger than the 中期资金总额"),
    ("tsv", "department_total", "projects_sum_to_project_expenditure",
     "the 部门 line's 资金总额 is not the sum of its projects"),
    ("tsv", "cost_over_budget", "cost_targets_within_budget",
     "a project's 成本指标 add up to more than its 资金总额 (as 003's 城乡医疗救助: 300万元 + ≤30万元)"),
    ("overall_word", "total_not_basic_plus_project", "total_equals_basic_plus_project",
     "资金总额 ≠ 基本支出 + 项目支出"),
)
ENCODINGS = (("utf-8", 72), ("utf-8-sig", 12), ("gb18030", 16))
CRLF_SHARE = 0.15

FACT_COLUMNS = (
    "source_file", "layout", "statement", "unit_code", "entity_name", "line_item", "subject_code",
    "measure", "published_amount", "published_unit", "amount_yuan", "project", "source_page",
)
TARGET_COLUMNS = (
    "source_file", "layout", "unit_code", "entity_name", "project", "level1", "level2", "level3",
    "horizon", "target_text", "source_page",
)
FAILURE_COLUMNS = ("source_file", "check_name", "error_kind", "detail")
FILING_COLUMNS = (
    "source_file", "format", "layout", "status", "duplicate_of", "encoding", "line_ending", "bytes", "fiscal_year",
    "province", "county", "admin_code", "department_name", "department_code", "facts", "targets",
    "injected_error",
)
_UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000)}
_CENT = Decimal("0.01")


# =========================================================================== small helpers
def wan(c: int) -> str:
    """Hundredths of a 万元 → the table form: 772325 → '7723.25'."""
    return f"{c // 100}.{c % 100:02d}"


def wan_short(c: int) -> str:
    """The prose form: 43410 → '434.1', 1300 → '13', 0 → '0'."""
    return wan(c).rstrip("0").rstrip(".")


def wan1(c: int) -> str:
    """One decimal (001's 项目资金), hundredths rounded: 18000 → '180.0'."""
    return f"{c // 100}.{(c % 100) // 10}"


def thousands(text: str) -> str:
    """'2858.5' → '2,858.5'."""
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}"
    return whole + ("." + frac if frac else "")


def yuan(published: str, unit: str) -> Decimal:
    return (Decimal(published.replace(",", "")) * _UNIT_FACTOR[unit]).quantize(_CENT)


def split_int(rng: random.Random, total: int, parts: int, low: float = 0.5) -> list[int]:
    """``total`` split into ``parts`` positive integers (unequal shares)."""
    if parts <= 1:
        return [total]
    weights = [rng.uniform(low, 1.0) for _ in range(parts)]
    s = sum(weights)
    out = [max(1, int(total * w / s)) for w in weights]
    out[-1] = total - sum(out[:-1])
    if out[-1] <= 0:  # pathological rounding: fall back to equal shares
        base = total // parts
        out = [base] * parts
        out[-1] = total - base * (parts - 1)
    return out


def collapse(text: str) -> str:
    return " ".join(text.replace("\u3000", " ").split())


class Doc:
    """The lines of one filing."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[str] = []

    def t(self, *texts: str) -> None:
        self.lines.extend(texts)

    def blank(self, n: int = 1) -> None:
        self.lines.extend([""] * n)

    def row(self, cells) -> None:
        """A Word-table row: one tab-prefixed line per cell (a cell's further
        paragraphs on plain lines), a blank line ending the row."""
        for c in cells:
            first, *more = c.split("\n")
            self.lines.append("\t" + first)
            if more:
                self.lines.extend(more)
        self.lines.append("")

    def tsv(self, cells) -> None:
        self.lines.append("\t".join(cells))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Truth:
    """What one filing says, as tuples in the column order of the truth tables
    (without source_file, which is known once the file is named)."""

    __slots__ = ("layout", "facts", "targets", "failures")

    def __init__(self, layout: str) -> None:
        self.layout = layout
        self.facts: list[tuple] = []
        self.targets: list[tuple] = []
        self.failures: list[tuple] = []

    def fact(self, statement, unit_code, entity, line_item, subject_code, measure, published, unit, project=None):
        self.facts.append((
            self.layout, statement, unit_code, entity, collapse(line_item), subject_code, measure,
            published, unit, yuan(published, unit), project, None,
        ))

    def target(self, unit_code, entity, project, level1, level2, level3, horizon, text):
        self.targets.append((self.layout, unit_code, entity, project, level1, level2, level3.strip(), horizon,
                             text.strip(), None))

    def failure(self, check_name, kind, detail):
        self.failures.append((check_name, kind, detail))


# =========================================================================== reference data
_COUNTIES: dict[int, list[tuple[str, str, str, str]]] = {}


def load_counties(path: Path = ADMIN_DIVISIONS) -> dict[int, list[tuple[str, str, str, str]]]:
    """County-level divisions in use in each year: (admin_code, province, prefecture, name)."""
    by_year: dict[int, list] = {y: [] for y in YEARS}
    with open(path, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["admin_level"] != "county":
                continue
            name = r["admin_name"]
            if not (2 <= len(name) <= 6) or name[-1] not in "县市区旗" or "、" in name or name == "市辖区":
                continue
            start = int(r["valid_from_year"])
            end = int(r["valid_to_year"]) if r["valid_to_year"] else 9999
            for y in YEARS:
                if start <= y < end:
                    by_year[y].append((r["admin_code"], r["province"], r["prefecture"] or "", name))
    for y in by_year:
        by_year[y].sort()
    return by_year


def department_code(admin_code: str) -> str:
    """A stable 3-digit budget code for a county's 医疗保障局 (same county → same code)."""
    return str(100 + int(hashlib.sha1(admin_code.encode()).hexdigest()[:8], 16) % 900)


# =========================================================================== indicators
# value kinds: text(rng, year) → (指标值, 指标值内容, 度量单位, 定量/定性)
def _pct(rng, fmt):
    p = rng.choice((80, 85, 90, 95, 98, 100))
    return fmt.format(p=p), rng.choice((f"{p}%", "100%", "1.00")), "%", "定量"


def _count(rng, fmt, lo, hi, unit):
    n = rng.randint(lo, hi)
    return fmt.format(n=n), str(int(n * rng.uniform(1.0, 1.1))), unit, "定量"


def _wan(rng, fmt, unit):
    x = rng.randint(10, 600) / 10
    x = f"{x:g}"
    return fmt.format(x=x), rng.choice((x, f"{x}万")), unit, "定量"


def _qual(rng, text):
    return text, "1", "年", "定性"


VALUE_KINDS = {
    "pct_ge": lambda r, y: _pct(r, "≥{p}%"),
    "pct": lambda r, y: _pct(r, "{p}%"),
    "pct_gt": lambda r, y: _pct(r, ">{p}%"),
    "pct_bare": lambda r, y: _pct(r, "≥{p}"),
    "pct_above": lambda r, y: _pct(r, "{p}%以上"),
    "people_gt": lambda r, y: _count(r, ">{n}人", 20000, 900000, "人"),
    "people": lambda r, y: _count(r, "{n}人", 20, 3000, "人"),
    "people_ge": lambda r, y: _count(r, "≥{n}人", 300, 40000, "人"),
    "visits_ge": lambda r, y: _count(r, "≥{n}人次", 100, 5000, "人次"),
    "wan_people": lambda r, y: _wan(r, "{x}万人", "万人"),
    "wan_visits": lambda r, y: _wan(r, "{x}万人次", "万人次"),
    "times": lambda r, y: _count(r, "{n}次", 2, 12, "次"),
    "times_ge": lambda r, y: _count(r, "≥{n}次", 2, 12, "次"),
    "times_gee": lambda r, y: _count(r, "≧{n}次", 2, 12, "次"),
    "institutions": lambda r, y: _count(r, "{n}家", 20, 400, "家"),
    "institutions_suo": lambda r, y: _count(r, "{n}所", 3, 60, "所"),
    "cases_lt": lambda r, y: (f"<{r.randint(2, 5)}起", "0", "", "定量"),
    "car": lambda r, y: ("1辆", "1", "辆", "定量"),
    "deadline": lambda r, y: (f"{y}年12月31日前", "1", "年", "定性"),
    "deadline_oct": lambda r, y: (f"{y}年10月前", "1", "年", "定性"),
}


def _q(text):
    return lambda r, y: _qual(r, text)


# (group, 二级, 三级, 绩效指标描述, value kind); group: output | benefit | satisfaction
INDICATORS = (
    ("output", "数量指标", "城乡居民参保人数", "城乡居民参保人数", "people_gt"),
    ("output", "数量指标", "资助参保人数", "资助困难群众、弱势群体参保人数", "people_ge"),
    ("output", "数量指标", "医疗救助人次数", "重特大疾病救助人数", "visits_ge"),
    ("output", "数量指标", "定点医疗机构检查数量", "对全县定点医疗机构进行全覆盖的监督管理", "institutions_suo"),
    ("output", "数量指标", "开展宣传次数", "开展医保政策宣传的次数", "times_ge"),
    ("output", "数量指标", "慢性病评审次数", "组织专家开展慢性病评审", "times"),
    ("output", "数量指标", "兑付病人人次", "兑付住院病人人次", "wan_visits"),
    ("output", "数量指标", "保障人数", "医疗保障人数", "people"),
    ("output", "数量指标", "参保对象", "城乡居民医保参保对象", "wan_people"),
    ("output", "数量指标", "定点医疗机构、药店", "纳入监管的定点医药机构", "institutions"),
    ("output", "数量指标", "特殊门诊医疗管理专家评审次数", "特殊门诊评审次数", "times_gee"),
    ("output", "质量指标", "综合业务管理工作完成率", "综合业务管理工作完成情况", "pct_ge"),
    ("output", "质量指标", "基金监管覆盖到位率", "实际监管医疗机构数量占应监管医疗机构数量的比率", "pct"),
    ("output", "质量指标", "政策范围内报销比例", "政策范围内住院费用报销比例", "pct_ge"),
    ("output", "质量指标", "参保率（%）", "已参保人数占应参保人数的比率", "pct_bare"),
    ("output", "质量指标", "待遇到位率", "待遇按时足额发放", "pct_ge"),
    ("output", "质量指标", "督导覆盖率", "督导覆盖的乡镇比例", "pct_ge"),
    ("output", "质量指标", "资金发放到位率（%）", "保险资金待遇按时足额发放人数占应发放人数的比率", "pct_bare"),
    ("output", "时效指标", "任务完成时间", "在规定时间内完成", "deadline"),
    ("output", "时效指标", "补助资金拨付及时性", "补助资金拨付及时性", _q("及时拨付")),
    ("output", "时效指标", "异地就医及时结算率", "异地就医及时结算人数与已发生的异地就医人数之间的比率", "pct_ge"),
    ("output", "时效指标", "医疗保障报销及时率", "医疗保障报销事项在规定时间内即时办结情况", "pct_ge"),
    ("output", "时效指标", "审计完成时间", "中介机构完成基金审计的时间", "deadline_oct"),
    ("benefit", "社会效益指标", "政策知晓率", "参保居民政策知晓率", "pct_ge"),
    ("benefit", "社会效益指标", "享受财政补助覆盖面", "享受财政补助覆盖面", "pct"),
    ("benefit", "社会效益指标", "提高机关综合事务管理能力", "确保各项工作顺利开展，机关运行正常", _q("有所提高")),
    ("benefit", "社会效益指标", "恶性欺诈骗保事件数量", "确保不出现恶劣的欺诈骗保事件", "cases_lt"),
    ("benefit", "社会效益指标", "补助人群生活改善情况", "补助人群在生活、医疗等方面的改善情况", _q("有效改善")),
    ("benefit", "社会效益指标", "保障受益对象", "保障受益对象的医疗待遇", _q("有效保障")),
    ("benefit", "社会效益指标", "医疗救助对象覆盖范围", "医疗救助对象覆盖范围", _q("重点对象全覆盖")),
    ("benefit", "经济效益指标", "社会保险报销及时率（%）", "报销事项在规定时间内及时办结的比率", "pct_bare"),
    ("benefit", "可持续影响指标", "医保基金可持续运行", "基金收支平衡，略有结余", _q("长期")),
    ("benefit", "可持续影响指标", "“一站式”即时结算覆盖面", "“一站式”即时结算覆盖面", _q("不低于上年")),
    ("satisfaction", "服务对象满意度指标", "群众满意度", "群众满意数量占总数的比例。", "pct_ge"),
    ("satisfaction", "服务对象满意度指标", "受益对象满意度(%)", "满意和较满意的受益对象占全部调研对象的比例", "pct_ge"),
    ("satisfaction", "服务对象满意度指标", "服务对象满意度", "报销人员对医疗保障部门的满意程度", "pct_bare"),
    ("satisfaction", "服务对象满意度指标", "参保对象满意度", "参保对象对经办服务的满意程度", "pct"),
    ("satisfaction", "服务对象满意度指标", "定点医疗机构满意率", "满意率95%以上、零核实投诉", "pct_above"),
)
_BY_GROUP: dict[str, list] = {}
for _ind in INDICATORS:
    _BY_GROUP.setdefault(_ind[0], []).append(_ind)

BASIS = ("上级文件政策", "根据上级文件或方案", "工作安排", "行业标准", "按政策文件执行", "完成值/指标值*分值")


def level1_name(group: str, old_frame: bool) -> str:
    return {"output": "产出指标", "benefit": "效果指标" if old_frame else "效益指标",
            "satisfaction": "满意度指标", "cost": "成本指标"}[group]


def pick_indicators(rng: random.Random, year: int, n_output=(2, 4), n_benefit=(1, 2)) -> list[dict]:
    """A realistic indicator list: outputs (数量, 质量, 时效), benefits, one or two satisfactions."""
    old = year <= 2020 and rng.random() < 0.6
    chosen = []
    outs = sorted(rng.sample(_BY_GROUP["output"], rng.randint(*n_output)),
                  key=lambda i: ("数量指标", "质量指标", "时效指标").index(i[1]))
    chosen += outs
    chosen += rng.sample(_BY_GROUP["benefit"], rng.randint(*n_benefit))
    chosen += rng.sample(_BY_GROUP["satisfaction"], 1 if rng.random() < 0.8 else 2)
    out = []
    for group, l2, l3, desc, kind in chosen:
        value, content, unit, vtype = (kind if callable(kind) else VALUE_KINDS[kind])(rng, year)
        out.append(dict(l1=level1_name(group, old), l2=l2, l3=l3, desc=desc, value=value, content=content,
                        unit=unit, vtype=vtype))
    return out


def cost_indicators(rng: random.Random, budget_text: str, unit: str, n: int = 1) -> list[dict]:
    """成本指标 whose money adds up to at most the budget they cost out.

    ``budget_text`` is the budget as published in ``unit``; the cost targets are
    written in 万元 (or 元 for a 元 budget) and never exceed it in sum.
    """
    total = Decimal(budget_text.replace(",", ""))
    parts = []
    if n == 1:
        parts = [total]
    else:
        cents = int(total * 100)
        parts = [Decimal(p) / 100 for p in split_int(rng, cents, n)] if cents >= n else [total]
    names = ["项目总成本", "宣传支出", "信息系统运维费用", "专项稽查费用", "评审费用", "办公经费"]
    out = []
    for k, part in enumerate(parts):
        amount = f"{part.normalize():f}"
        if unit == "元":
            value = rng.choice((f"≤{amount}元", f"{amount}元"))
        else:
            value = rng.choice((f"≤{amount}万元", f"{amount}万元", f"不超过{amount}万元"))
        out.append(dict(l1="成本指标", l2="经济成本指标", l3=names[k % len(names)], desc="控制在预算批复以内",
                        value=value, content=amount, unit="万元" if unit == "万元" else "元", vtype="定量"))
    return out


# =========================================================================== budget (002)
FUNC = {
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "20899": "其他社会保障和就业支出", "2089999": "其他社会保障和就业支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
    "21012": "财政对基本医疗保险基金的补助", "2101201": "财政对职工基本医疗保险基金的补助",
    "2101202": "财政对城乡居民基本医疗保险基金的补助", "2101299": "财政对其他基本医疗保险基金的补助",
    "21013": "医疗救助", "2101301": "城乡医疗救助", "21014": "优抚对象医疗", "2101401": "优抚对象医疗补助",
    "21015": "医疗保障管理事务", "2101501": "行政运行", "2101505": "医疗保障政策管理", "2101506": "医疗保障经办事务",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金",
}
ECON = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
    "30112": "其他社会保障缴费", "30113": "住房公积金",
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30207": "邮电费", "30208": "取暖费",
    "30211": "差旅费", "30216": "培训费", "30217": "公务接待费", "30228": "工会经费", "30229": "福利费",
    "30231": "公务用车运行维护费", "30239": "其他交通费用", "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助", "30302": "退休费", "30305": "生活补助",
}
# the 30 (29 before 2020) 支出功能分类 classes of the summaries; 类 codes where money can stand
CATEGORIES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "社会保险基金支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出",
    "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出",
    "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出",
    "预备费", "其他支出", "转移性支出", "债务还本支出", "债务付息支出", "债务发行费用支出", "抗疫特别国债安排的支出",
)
CLASS_OF_CATEGORY = {"社会保障和就业支出": "208", "卫生健康支出": "210", "住房保障支出": "221"}
NUMERALS = (
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
    "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七", "二十八",
    "二十九", "三十",
)
INCOME_ITEMS = (
    "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入",
    "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入",
)
FISCAL_INCOME_ITEMS = ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")

# project types of a 医保局 budget: prose topic (reference.narrative_topics), 绩效目标表 name,
# 功能分类 code, range in 万元
PROJECT_TYPES = (
    ("城乡居民医保财政补助", "城乡居民医疗保险财政补助", "2101202", (600, 9000)),
    ("医疗救助补助资金", "医疗救助补助资金", "2101301", (100, 1500)),
    ("困难企业职工医疗保险费", "困难企业职工医疗", "2101201", (5, 60)),
    ("长期护理保险财政补助资金", "长期护理保险财政补助", "2101299", (80, 1200)),
    ("一至六级残疾军人医疗费", "一至六级残疾军人医疗费", "2101401", (20, 300)),
    ("离休干部、建国前老工人医疗费", "离休干部医疗费", "2101101", (20, 300)),
    ("医保智能监控系统服务费", "医保智能监控系统服务费", "2101505", (10, 120)),
    ("医疗保障政策管理经费", "医疗保障政策管理经费", "2101505", (5, 50)),
    ("医疗保障经办工作经费", "医疗保障经办工作经费", "2101506", (5, 80)),
    ("省级财政城乡居民医保村级代办员补助资金", "关于提前下达{year}年省级财政城乡居民医保村级代办员补助资金的通知",
     "2089999", (3, 40)),
)
CAR_TOPIC = "公务用车购置费"

SUB_GOALS = (
    ("强力实施全民参保计划", "确保上级任务目标完成", lambda r: f"参保率达到{r.choice((90, 95, 96, 98))}%以上"),
    ("实行城乡居民医保市级统筹", "实行城乡居民医保市级统筹，提高医保基金抗风险能力",
     lambda r: "完成城乡居民医保市级统筹，实行居民医保基金统收统支"),
    ("推进居民医保门诊统筹，实现统筹区内无异地", "全面实现统筹区内无异地",
     lambda r: "建立居民医保普通病门诊统筹制度，参保居民在统筹区内就医无需备案"),
    ("严厉打击欺诈骗保", "严厉打击各类欺诈骗保行为，切实维护医保基金安全",
     lambda r: "对定点医药机构检查率达到100%，对发现违规行为处理率达到100%"),
    ("跟进落实国家药品耗材集中采购政策", "药品医用耗材集中采购及时跟进，采购规范有序",
     lambda r: "国家和省组织药品耗材集中采购全部跟进。"),
    ("做好困难群众医疗救助", "困难群众应救尽救", lambda r: "医疗救助资金及时足额拨付到位"),
    ("提升医保经办服务水平", "医保经办服务便民高效", lambda r: f"异地就医直接结算率达到{r.choice((90, 95))}%"),
)

DUTIES = (
    "贯彻落实城镇职工和城乡居民医疗保险、生育保险、医疗救助等医疗保障法规、政策、制度、规划和标准。",
    "贯彻落实医疗保障基金监督管理办法，建立健全医疗保障基金安全防控机制，推进医疗保障基金支付方式改革。",
    "贯彻落实城镇职工、城乡居民参保筹资和保障待遇政策，建立健全与筹资水平相适应的待遇调整机制。",
    "贯彻落实城乡统一的药品、医用耗材、医疗服务项目、医疗服务设施等医保支付标准，实行动态调整。",
    "落实药品、医用耗材的招标采购政策，指导药品、医用耗材招投标采购平台建设。",
    "落实定点医药机构协议和支付管理办法，依法查处医疗保障领域违法违规行为。",
    "负责医疗保障经办管理、公共服务体系和信息化建设。执行异地就医管理和费用结算政策。",
    "完成党委、政府交办的其他任务。",
)
ZH_ITEM = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）")


class Entity:
    """One budget entity's money (hundredths of 万元)."""

    def __init__(self, code: str, name: str, kind: str):
        self.code, self.name, self.kind = code, name, kind  # kind: department | unit
        self.econ: dict[str, int] = {}  # leaf economic codes (all basic)
        self.projects: list[list] = []  # [topic, table name, func code, cents]
        self.car_purchase = 0
        self.assets: dict[str, tuple[str, int]] = {}  # label → (quantity text, cents)

    # ---- derived figures
    def personnel(self) -> int:
        return sum(v for c, v in self.econ.items() if c[:3] in ("301", "303"))

    def public(self) -> int:
        return sum(v for c, v in self.econ.items() if c[:3] == "302")

    def basic(self) -> int:
        return self.personnel() + self.public()

    def project_total(self) -> int:
        return sum(p[3] for p in self.projects) + self.car_purchase

    def total(self) -> int:
        return self.basic() + self.project_total()

    def func_leaves(self) -> dict[str, list[int]]:
        """功能分类 leaf (7-digit) → [basic, project]."""
        e = self.econ
        leaves: dict[str, list[int]] = {}

        def add(code, basic=0, project=0):
            if basic or project:
                cell = leaves.setdefault(code, [0, 0])
                cell[0] += basic
                cell[1] += project

        add("2080505", e.get("30108", 0))
        add("2080506", e.get("30109", 0))
        add("2101101", e.get("30110", 0))
        add("2210201", e.get("30113", 0))
        add("2101501", self.basic() - sum(e.get(c, 0) for c in ("30108", "30109", "30110", "30113")))
        for _, _, code, cents in self.projects:
            add(code, 0, cents)
        add("2101501", 0, self.car_purchase)
        return leaves

    def func_rows(self) -> list[tuple[str, int, int]]:
        """Every coded 功能分类 row (类, 款, 项) with [total, basic, project], parents first."""
        sums: dict[str, list[int]] = {}
        for leaf, (b, p) in self.func_leaves().items():
            for code in (leaf[:3], leaf[:5], leaf):
                cell = sums.setdefault(code, [0, 0])
                cell[0] += b
                cell[1] += p
        return [(c, sums[c][0], sums[c][1]) for c in sorted(sums)]

    def econ_rows(self) -> list[tuple[str, int, int, int]]:
        """Every coded 经济分类 row with (total, personnel, public), parents first."""
        sums: dict[str, list[int]] = {}
        for code, v in self.econ.items():
            personnel = v if code[:3] != "302" else 0
            for c in (code[:3], code):
                cell = sums.setdefault(c, [0, 0])
                cell[0] += personnel
                cell[1] += v - personnel
        return [(c, sums[c][0] + sums[c][1], sums[c][0], sums[c][1]) for c in sorted(sums)]

    def three_public(self) -> dict[str, int]:
        op = self.econ.get("30231", 0)
        rec = self.econ.get("30217", 0)
        return {"outbound": 0, "purchase": self.car_purchase, "operation": op, "vehicles": self.car_purchase + op,
                "reception": rec, "total": self.car_purchase + op + rec}

    def asset_total(self) -> int:
        return sum(v for label, (_, v) in self.assets.items() if not label.startswith("　　其中"))


def _unit_money(rng: random.Random, ent: Entity, staff: int, north: bool, car: bool) -> None:
    e = ent.econ
    e["30101"] = staff * rng.randint(280, 450)
    e["30102"] = staff * rng.randint(60, 200)
    if rng.random() < 0.7:
        e["30103"] = staff * rng.randint(20, 150)
    e["30107"] = staff * rng.randint(100, 300)
    wage = sum(e.values())
    e["30108"] = wage * 16 // 100
    if rng.random() < 0.7:
        e["30109"] = wage * 8 // 100
    e["30110"] = wage * rng.randint(6, 10) // 100
    if rng.random() < 0.6:
        e["30112"] = max(1, wage // 100)
    e["30113"] = wage * 12 // 100
    e["30201"] = staff * rng.randint(10, 40)
    if rng.random() < 0.4:
        e["30202"] = rng.randint(20, 300)
    e["30207"] = rng.randint(100, 600)
    if north:
        e["30208"] = rng.randint(100, 800)
    if rng.random() < 0.5:
        e["30211"] = rng.randint(100, 900)
    if rng.random() < 0.3:
        e["30216"] = rng.randint(50, 500)
    e["30217"] = rng.randint(5, 80)
    e["30228"] = max(1, wage * 2 // 100)
    e["30229"] = staff * rng.randint(10, 30)
    if car:
        e["30231"] = rng.randint(100, 600)
    if rng.random() < 0.5:
        e["30239"] = rng.randint(100, 800)
    if rng.random() < 0.6:
        e["30299"] = rng.randint(10, 200)
    if rng.random() < 0.4:
        e["30302"] = rng.randint(100, 2000)
    if rng.random() < 0.4:
        e["30305"] = rng.randint(20, 200)
    # fixed assets (上年末)
    if car:
        ent.assets["2、车辆（台、辆）"] = (str(rng.randint(1, 3)), rng.randint(800, 4000))
    if rng.random() < 0.3:
        area = rng.randint(200, 1500)
        value = rng.randint(5000, 60000)
        ent.assets["1、房屋（平方米）"] = (str(area), value)
        ent.assets["　　其中：办公用房（平方米）"] = (str(area), value)
    if rng.random() < 0.1:
        ent.assets["3、单价在20万元以上的设备"] = ("1", rng.randint(2000, 9000))
    ent.assets["4、其他固定资产"] = ("", rng.randint(300, 8000))


def budget_model(rng: random.Random, county: str, code: str, year: int, north: bool) -> tuple[Entity, list[Entity]]:
    """The department and its units; the department's figures are the units' sums."""
    n_units = 1 if rng.random() < 0.7 else 2
    units = [Entity(code + "001", f"{county}医疗保障局本级", "unit")]
    if n_units == 2:
        units.append(Entity(code + "002", f"{county}{rng.choice(('医疗保障事务中心', '医疗保险服务中心'))}", "unit"))
    scale = rng.uniform(0.4, 2.5)
    for k, u in enumerate(units):
        staff = rng.randint(8, 40) if k == 0 else rng.randint(5, 20)
        _unit_money(rng, u, staff, north, car=(k == 0 or rng.random() < 0.5))
    # projects: most with the 本级, a few with a second unit
    types = rng.sample(PROJECT_TYPES, rng.randint(4, len(PROJECT_TYPES)))
    for topic, table, func, (lo, hi) in types:
        owner = units[0] if len(units) == 1 or rng.random() < 0.8 else units[1]
        cents = int(rng.uniform(lo, hi) * scale * 100)
        owner.projects.append([topic, table.format(year=year), func, max(cents, 100)])
    if rng.random() < 0.2:
        units[0].car_purchase = rng.randint(8, 25) * 100
        units[0].econ.setdefault("30231", rng.randint(100, 600))
    dept = Entity(code, f"{county}医疗保障局", "department")
    for u in units:
        for c, v in u.econ.items():
            dept.econ[c] = dept.econ.get(c, 0) + v
        dept.car_purchase += u.car_purchase
        for label, (qty, v) in u.assets.items():
            old_qty, old_v = dept.assets.get(label, ("", 0))
            q = str(int(old_qty or 0) + int(qty)) if (qty or old_qty) else ""
            dept.assets[label] = (q, old_v + v)
    # the department lists each project type once, with the units' sum
    merged: dict[str, list] = {}
    for u in units:
        for topic, table, func, cents in u.projects:
            if topic in merged:
                merged[topic][3] += cents
            else:
                merged[topic] = [topic, table, func, cents]
    dept.projects = list(merged.values())
    return dept, units


def _class_total_by_category(ent: Entity) -> dict[str, tuple[int, int, int]]:
    rows = {c: (b + p, b, p) for c, b, p in ent.func_rows() if len(c) == 3}
    return {cat: rows[code] for cat, code in CLASS_OF_CATEGORY.items() if code in rows}


def render_statements(doc: Doc, tr: Truth, ent: Entity, prefix: str, year: int) -> None:
    """The nine 部门预算 statements of one entity (prefix 部门 or 单位)."""
    code, name = ent.code, ent.name
    ent_cell = f"{code}{name}"
    head = [ent_cell, f"预算年度：{year}", "单位：万元"]
    T, B, P = ent.total(), ent.basic(), ent.project_total()
    cats = CATEGORIES if year >= 2020 else CATEGORIES[:-1]
    by_cat = _class_total_by_category(ent)
    func_rows = ent.func_rows()
    U = "万元"

    def fact(statement, item, subject, measure, cents):
        tr.fact(statement, code, name, item, subject, measure, wan(cents), U)

    def coded_rows(statement, rows, measures, trailing_blanks=0):
        """Write a coded table's data rows — (code, label, amounts…), one amount per measure —
        and record a fact for every filled cell. The first column (合计) is always printed; a
        0 in the other columns is a blank cell."""
        for k, (code, label, *amounts) in enumerate(rows, start=1):
            filled = [(m, a) for i, (m, a) in enumerate(zip(measures, amounts)) if i == 0 or a]
            shown = dict(filled)
            doc.row([str(k), code, label] + [wan(shown[m]) if m in shown else "" for m in measures]
                    + [""] * trailing_blanks)
            for measure, amount in filled:
                fact(statement, label, code or None, measure, amount)

    # ---- 收支总表
    st = "income_expenditure_summary"
    doc.t(f"{prefix}预算收支总表")
    doc.row(head)
    doc.row(["序号", "收入", "支出"])
    doc.row(["", "项  目", "预算数", "项  目", "预算数"])
    doc.row(["栏次", "1", "2", "3", "4"])
    n = max(len(INCOME_ITEMS), len(cats))
    for i in range(n):
        inc = f"{NUMERALS[i]}、{INCOME_ITEMS[i]}" if i < len(INCOME_ITEMS) else ""
        inc_v = wan(T) if i == 0 else ""
        exp = f"{NUMERALS[i]}、{cats[i]}"
        exp_v = wan(by_cat[cats[i]][0]) if cats[i] in by_cat else ""
        doc.row([str(i + 1), inc, inc_v, exp, exp_v])
        if inc_v:
            fact(st, inc, None, "income", T)
        if exp_v:
            fact(st, exp, None, "expenditure", by_cat[cats[i]][0])
    for k, (a, av, b, bv) in enumerate((("本年收入合计", T, "本年支出合计", T), ("上年结转结余", None, "年终结转结余", None),
                                        ("收入总计", T, "支出总计", T)), start=n + 1):
        doc.row([str(k), a, wan(av) if av else "", b, wan(bv) if bv else ""])
        if av:
            fact(st, a, None, "income", av)
            fact(st, b, None, "expenditure", bv)
    doc.blank()

    # ---- 收入总表
    st = "income"
    doc.t(f"{prefix}预算收入总表")
    doc.row(head)
    doc.row(["序号", "功能分类科目", "合计", "本年收入", "上年结转"])
    doc.row(["", "科目  编码", "科目名称", "", "小计", "财政拨款 收入", "财政专户 收入", "事业收入", "经营收入", "上级补助收入",
             "附属单位上缴收入", "其他收入", ""])
    doc.row(["栏次"] + [str(k) for k in range(1, 13)])
    rows = [("", "合计", T)] + [(c, FUNC[c], b + p) for c, b, p in func_rows]
    coded_rows(st, [(c, label, v, v, v) for c, label, v in rows],
               ("total", "current_year_subtotal", "fiscal_appropriation"), trailing_blanks=7)
    doc.blank()

    # ---- 支出总表
    st = "expenditure"
    doc.t(f"{prefix}预算支出总表")
    doc.row(head)
    doc.row(["序号", "功能分类科目", "合计", "基本支出", "项目支出", "经营支出", "上解上级 支出", "对附属单位补助支出"])
    doc.row(["", "科目  编码", "科目名称", "", "", "", "", "", ""])
    doc.row(["栏次"] + [str(k) for k in range(1, 9)])
    rows3 = [("", "合计", T, B, P)] + [(c, FUNC[c], b + p, b, p) for c, b, p in func_rows]
    coded_rows(st, rows3, ("total", "basic", "project"), trailing_blanks=3)
    doc.blank()

    # ---- 财政拨款收支总表
    st = "fiscal_appropriation_summary"
    doc.t(f"{prefix}预算财政拨款收支总表")
    doc.row(head)
    doc.row(["序号", "收入", "支出"])
    doc.row(["", "项  目", "金额", "项  目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"])
    doc.row(["栏次"] + [str(k) for k in range(1, 8)])
    for i, cat in enumerate(cats):
        inc = f"{NUMERALS[i]}、{FISCAL_INCOME_ITEMS[i]}" if i < 3 else ""
        inc_v = wan(T) if i == 0 else ""
        exp = f"{NUMERALS[i]}、{cat}"
        v = by_cat[cat][0] if cat in by_cat else None
        doc.row([str(i + 1), inc, inc_v, exp, wan(v) if v else "", wan(v) if v else "", "", ""])
        if inc_v:
            fact(st, inc, None, "income", T)
        if v:
            fact(st, exp, None, "expenditure", v)
            fact(st, exp, None, "general_budget", v)
    k = len(cats)
    doc.row([str(k + 1), "本年收入合计", wan(T), "本年支出合计", wan(T), wan(T), "", ""])
    fact(st, "本年收入合计", None, "income", T)
    fact(st, "本年支出合计", None, "expenditure", T)
    fact(st, "本年支出合计", None, "general_budget", T)
    doc.row([str(k + 2), "年初财政拨款结转和结余", "", "年末财政拨款结转和结余", "", "", "", ""])
    for j, item in enumerate(FISCAL_INCOME_ITEMS):
        doc.row([str(k + 3 + j), f"{NUMERALS[j]}、{item}", "", "", "", "", "", ""])
    doc.row([str(k + 6), "收入总计", wan(T), "支出总计", wan(T), wan(T), "", ""])
    fact(st, "收入总计", None, "income", T)
    fact(st, "支出总计", None, "expenditure", T)
    fact(st, "支出总计", None, "general_budget", T)
    doc.blank()

    # ---- 一般公共预算财政拨款支出表
    st = "general_budget_expenditure"
    doc.t(f"{prefix}预算一般公共预算财政拨款支出表")
    doc.row(head)
    doc.row(["序号", "功能分类科目", "合计", "基本支出", "项目支出"])
    doc.row(["", "科目编码", "科目名称", "", "", ""])
    doc.row(["栏次", "1", "2", "3", "4", "5"])
    coded_rows(st, rows3, ("total", "basic", "project"))
    doc.blank()

    # ---- 基本支出表 (经济分类)
    st = "basic_expenditure"
    doc.t(f"{prefix}预算一般公共预算财政拨款基本支出表")
    doc.row(head)
    doc.row(["序号", "支出部门经济分类科目", "一般公共预算基本支出"])
    doc.row(["", "科目编码", "科目名称", "合计", "人员经费", "公用经费"])
    doc.row(["栏次", "1", "2", "3", "4", "5"])
    erows = [("", "合计", B, ent.personnel(), ent.public())] + [(c, ECON[c], t, pe, pu) for c, t, pe, pu in ent.econ_rows()]
    coded_rows(st, erows, ("total", "personnel", "public_funds"))
    doc.blank()

    # ---- the empty 政府性基金 and 国有资本经营 tables (空表列示)
    for title, note in (("政府基金预算财政拨款支出表", "注：无政府基金预算财政拨款预算，空表列示。"),
                        ("国有资本经营预算财政拨款支出表", "注：无国有资本经营预算财政拨款预算，空表列示。")):
        doc.t(f"{prefix}预算{title}")
        doc.row(head)
        doc.row(["序号", "功能分类科目", "合计", "基本支出", "项目支出"])
        doc.row(["", "科目编码", "科目名称", "", "", ""])
        doc.row(["栏次", "1", "2", "3", "4", "5"])
        doc.row([""] * 6)
        doc.blank()
        doc.t(note)

    # ---- 三公 (one row per item)
    st = "three_public"
    tp = ent.three_public()
    doc.t(f"{prefix}预算财政拨款“三公”经费支出表")
    doc.row(head)
    doc.row(["序号", "项  目", "资 金 性 质"])
    doc.row(["", "", "合计", "一般公共预算       财政拨款", "政府性基金         预算拨款", "国有资本经营       预算财政拨款"])
    doc.row(["栏次", "1", "2", "3", "4", "5"])
    items = (("合计", "total"), ("一、因公出国（境）费", "outbound"), ("二、公务用车购置及运维费", "vehicles"),
             ("    其中：公务用车购置费", "purchase"), ("          公务用车运行维护费", "operation"),
             ("三、公务接待费", "reception"))
    for k, (label, key) in enumerate(items, start=1):
        v = tp[key]
        doc.row([str(k), label, wan(v) if v else "", wan(v) if v else "", "", ""])
        if v:
            fact(st, label, None, "total", v)
            fact(st, label, None, "general_budget", v)
    doc.blank()


def render_assets(doc: Doc, tr: Truth, ent: Entity, prefix: str, year: int) -> None:
    """六、政府采购 (empty) and 七、国有资产 (固定资产占用情况表)."""
    code, name = ent.code, ent.name
    doc.t("六、政府采购预算情况", f"{year}年，{name}安排政府采购预算0.00万元。", f"{prefix}政府采购预算")
    doc.row([f"{code}{name}", "单位：万元"])
    doc.row(["政府采购项目来源", "采购物品名称", "政府采购目录序号", "计量  单位", "数量", "单价",
             f"政府采购金额（当年{prefix}预算安排资金）"])
    doc.row(["项目名称", "预算资金", "", "", "", "", "", "合计", "一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款",
             "财政专户核拨", "单位资金"])
    doc.row([""] * 13)
    doc.blank()
    doc.t("注：无政府采购预算，空表列示。 ")
    total = ent.asset_total()
    whose = f"{name}（含所属单位）" if prefix == "部门" else name
    doc.t("七、国有资产信息",
          f"{whose}上年末固定资产金额为{wan_short(total)}万元（详见下表）。本年度拟购置固定资产总额为"
          f"{wan_short(ent.car_purchase)}万元，已按要求列入政府采购预算，详见政府采购预算表。",
          f"{prefix}固定资产占用情况表")
    doc.row([f"{code}{name}", f"截止时间：{year - 1}-12-31"])
    doc.row(["项   目", "数量", "价值（金额单位：万元）"])
    rows = [("　　　　　　　　资产总额", "", total)]
    for label in ("1、房屋（平方米）", "　　其中：办公用房（平方米）", "2、车辆（台、辆）", "3、单价在20万元以上的设备", "4、其他固定资产"):
        qty, v = ent.assets.get(label, ("", 0))
        rows.append((label, qty, v))
    for label, qty, v in rows:
        doc.row([label, qty, wan(v) if v else ""])
        if v:
            tr.fact("fixed_assets", code, name, label, None, "asset_value", wan(v), "万元")
    doc.blank()


GLOSSARY = (
    "八、名词解释",
    "1、一般公共预算拨款收入：指县级财政当年拨付的资金。",
    "2、事业收入：指事业单位开展专业业务活动及辅助活动所取得的收入。",
    "3、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "4、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "5、“三公”经费：纳入县级财政预算管理的“三公”经费，是指部门用财政拨款安排的因公出国（境）费、公务用车购置及运维费和公务接待费。",
    "6、机关运行费：是指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费等。",
    "九、其他需要说明的事项",
)


def render_notes(doc: Doc, tr: Truth, ent: Entity, prefix: str, year: int, units: list[Entity],
                 rng: random.Random, error: Optional[str]) -> None:
    """The 情况说明: prose restating the tables (one figure possibly wrong: ``error``)."""
    name = ent.name
    we = "我部门" if prefix == "部门" else "我单位"
    T, B, P = ent.total(), ent.basic(), ent.project_total()
    figures = {"人员经费": ent.personnel(), "日常公用经费": ent.public(), "公务接待费": ent.three_public()["reception"]}
    if error:
        true = figures[error]
        delta = rng.randint(1, 40) * 100 + rng.choice((0, 50))
        wrong = true + delta if rng.random() < 0.5 or true <= delta else true - delta
        figures[error] = wrong
        tr.failure("narrative_matches_table", "narrative_figure",
                   f"{name} 情况说明: {error} {wan_short(wrong)}万元, table {wan(true)}万元")
    doc.t(f"{name}{year}年{prefix}预算信息公开情况说明",
          f"按照《预算法》、《地方预决算公开操作规程》规定，现将{name}{year}年{prefix}预算公开如下：",
          f"{'一、' if prefix == '单位' else ''}{prefix}职责及机构设置情况", "", f"{prefix}职责：", "")
    for k, duty in enumerate(rng.sample(DUTIES, rng.randint(4, len(DUTIES)))):
        doc.t(f"{ZH_ITEM[k]}{duty}", "")
    doc.t("机构设置：", f"{prefix}机构设置情况")
    doc.row(["单位名称", "单位性质", "单位规格", "经费保障形式"])
    for u in units:
        doc.row([u.name, "行政" if u.name.endswith("本级") else "参公事业", "正科级" if u.name.endswith("本级") else "副科级",
                 "财政拨款"])
    doc.blank()
    doc.t(f"二、{prefix}预算安排的总体情况",
          f"按照预算管理有关规定，目前{prefix}预算的编制实行综合预算管理，即全部收入和支出都反映在预算中。",
          "1、收入说明", "",
          f"{year}年预算收入{wan_short(T)}万元，其中：一般公共预算收入{wan_short(T)}万元，基金预算收入0万元，"
          f"国有资本经营预算拨款收入0万元，财政专户核拨收入0万元，其他来源收入0万元。", "", "2、支出说明", "")
    projects = []
    for topic, _, _, cents in ent.projects:
        projects.append(f"{topic}{rng.choice(('', '', '为', '约'))}{wan_short(cents)}万元")
    if ent.car_purchase:
        projects.append(f"{CAR_TOPIC}{wan_short(ent.car_purchase)}万元")
    rng.shuffle(projects)
    tail = f"，主要为{'，'.join(projects)}。" if projects else "。"
    doc.t(f"{year}年{prefix}支出预算为{wan_short(T)}万元，其中基本支出{wan_short(B)}万元，包括人员经费"
          f"{wan_short(figures['人员经费'])}万元和日常公用经费{wan_short(figures['日常公用经费'])}万元；项目支出"
          f"{wan_short(P)}万元{tail}", "")
    change = rng.randint(50, 5000) * 100 + rng.randint(1, 99)
    up = rng.random() < 0.5
    doc.t("3、比上年增减情况", "",
          f"{year}年预算收支安排{wan_short(T)}万元，较{year - 1}年预算{'增加' if up else '减少'}{wan_short(change)}万元，"
          f"其中：基本支出增加{wan_short(rng.randint(1, 900) * 10)}万元，主要为人员经费增加；项目支出"
          f"{'增加' if up else '减少'}{wan_short(change + rng.randint(1, 90) * 10)}万元。", "")
    doc.t("三、机关运行经费安排情况",
          f"{year}年，{we}机关运行经费共计安排{wan_short(ent.public())}万元，主要用于保证机关正常运转的办公及印刷费、"
          "邮电费、差旅费、福利费、日常维修费、公务车运行维护费等支出。", "")
    tp = ent.three_public()
    rec = figures["公务接待费"]
    doc.t("四、财政拨款“三公”经费预算情况及增减变化原因",
          f"{year}年，{name}财政拨款“三公”经费预算安排{wan_short(tp['total'])}万元，其中因公出国（境）费0万元；"
          f"公务用车购置及运维费{wan_short(tp['vehicles'])}万元（其中：公务用车购置费为{wan_short(tp['purchase'])}万元，"
          f"公务用车运维费{wan_short(tp['operation'])}万元)；公务接待费{wan_short(rec)}万元。", "",
          "因公出国（境）费0万元，与上年相比持平，无增减变化，主要原因是年初没有安排因公出国费；", "")
    if tp["purchase"]:
        doc.t(f"公务用车购置及运行维护费{wan_short(tp['vehicles'])}万元(其中公务用车购{wan_short(tp['purchase'])}万元，"
              f"公务用车运行维护费{wan_short(tp['operation'])}万元）,与上年相比增加，主要原因是增加公务用车购置费用"
              f"{wan_short(tp['purchase'])}万元；", "")
    else:
        doc.t(f"公务用车购置及运行维护费{wan_short(tp['vehicles'])}万元，与上年相比持平，无增减变化；", "")
    doc.t(f"公务接待费{wan_short(tp['reception'])}万元，与上年相比持平，无增减变化，主要原因为接待工作无变化。", "")


def render_project_tables(doc: Doc, tr: Truth, ent: Entity, rng: random.Random, year: int,
                          tables: dict[str, list[dict]]) -> None:
    """002's project 绩效目标表: heading, 绩效目标 row, indicator table (no amounts)."""
    names = [p[1] for p in ent.projects] + (["公务用车购置费"] if ent.car_purchase else [])
    for k, table in enumerate(names, start=1):
        doc.t(f"{k}、{table}绩效目标表")
        goals = rng.sample(("贯彻落实医疗保险制度和大病保险制度。", "推进医疗、医保、医药联动改革", "保障各项工作的开展",
                            "及时足额拨付资金", "严格执行国家规定药品目录", "确保基金安全平稳运行"), 2)
        doc.row(["绩效目标", f"1.{goals[0]}\n2.{goals[1]}"])
        doc.blank()
        doc.row(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
        basis = rng.choice(BASIS)
        previous = None
        for ind in tables.setdefault(table, _word_indicators(rng, year)):
            l1 = ind["l1"] if ind["l1"] != previous else ""
            previous = ind["l1"]
            doc.row([l1, ind["l2"], ind["l3"], ind["desc"], ind["value"], basis])
            tr.target(ent.code, ent.name, table, ind["l1"], ind["l2"], ind["l3"], "annual", ind["value"])
        doc.blank()


def _word_indicators(rng: random.Random, year: int) -> list[dict]:
    inds = pick_indicators(rng, year)
    if rng.random() < 0.5:  # the older frame: 成本指标 as a second level under 产出指标 (no budget here)
        value = rng.choice(("节约", "不铺张浪费", "按政策实施救助", f"{rng.randint(10, 400)}元"))
        pos = next((k for k, i in enumerate(inds) if i["l1"] != "产出指标"), len(inds))
        inds.insert(pos, dict(l1="产出指标", l2="成本指标", l3=rng.choice(("办公经费", "运行保障成本", "资金成本")),
                              desc="运行保障成本", value=value, content="", unit="", vtype="定性"))
    for ind in inds:
        if rng.random() < 0.03:
            ind["value"] = ""  # a 指标值 left blank
        elif ind["l1"] == "满意度指标" and rng.random() < 0.1:
            ind["value"] = f"≥{rng.choice((80, 85, 90))}比率"  # 002: ≥80比率
        if rng.random() < 0.05:
            ind["desc"] = '"' + ind["desc"]  # 002: a stray quote from the spreadsheet export
    return inds


def render_overall_prose(doc: Doc, tr: Truth, ent: Entity, rng: random.Random, county: str) -> None:
    """002's 部门整体绩效目标 prose: the 分项 items' 绩效指标 sentences are department-wide targets."""
    doc.t("第一部分 部门整体绩效目标", "", "（一）总体绩效目标", "",
          f"全面落实中央、省、市和{county}委会议精神，坚持稳中求进工作总基调，坚持以人民为中心发展思想，全面深化医疗保障制度改革，"
          "努力提升广大群众获得感、幸福感和安全感。", "", "（二）分项绩效目标", "")
    for k, (title, goal, indicator) in enumerate(rng.sample(SUB_GOALS, rng.randint(3, 6)), start=1):
        text = indicator(rng)
        doc.t(f"{k}.{title}{rng.choice(('', '。'))}", "")
        doc.t(f"绩效目标：{goal}")
        if rng.random() < 0.5:
            doc.blank()
        doc.t(f"绩效指标：{text}")
        tr.target(ent.code, ent.name, None, None, None, title, "annual", text)
    doc.t("（三）工作保障措施", f"{ent.name}工作保障措施", "",
          "1.强力实施全民参保计划，确保任务目标完成。加大政策宣传力度，提高医保政策知晓率，确保实现法定人群全覆盖。", "",
          "2.完善基金监管办法和控费机制，切实维护医保基金安全。", "")


def gen_budget(rng: random.Random, ctx: dict, error: bool) -> tuple[Doc, Truth]:
    year, county, code = ctx["year"], ctx["county"], ctx["code"]
    tr = Truth("budget")
    doc = Doc()
    dept, units = budget_model(rng, county, code, year, ctx["north"])
    ctx["department_name"] = dept.name
    parts = [(dept, "部门")] + [(u, "单位") for u in units]
    # which entity's prose carries the error, and which figure
    err_at = rng.randrange(len(parts)) if error else -1
    err_fig = rng.choice(("人员经费", "日常公用经费", "公务接待费")) if error else None
    tables: dict[str, list[dict]] = {}
    doc.t(" 第一部分  部门预算")
    for k, (ent, prefix) in enumerate(parts):
        if prefix == "单位":
            if k == 1:
                doc.t("第二部分  部门所属单位预算")
            doc.t(f"{NUMERALS[k - 1]}、{ent.name}收支预算")
        render_statements(doc, tr, ent, prefix, year)
        render_notes(doc, tr, ent, prefix, year, units if prefix == "部门" else [ent], rng,
                     err_fig if k == err_at else None)
        doc.t("五、预算绩效信息")
        if prefix == "部门":
            render_overall_prose(doc, tr, ent, rng, county)
            doc.t("第二部分  专项资金绩效目标", "第三部分  预算项目绩效目标")
        else:
            doc.blank()
        if ent.projects or ent.car_purchase:
            render_project_tables(doc, tr, ent, rng, year, tables)
        else:
            doc.t(f"{prefix}无项目支出绩效目标。", "")
        render_assets(doc, tr, ent, prefix, year)
        doc.t(*GLOSSARY)
        doc.t(f"{'我部门' if prefix == '部门' else '我单位'}无其他需要说明的事项。")
    return doc, tr


# =========================================================================== project tables (000)
PLAN_SHAPES = (
    (None, None, None, 100), (25, 50, 75, 100), (25, 50, 75, 100), (100, None, None, None),
    (10, 50, 75, 100), (30, 60, 90, 100), (None, 50, None, 100),
)
WORD_PROJECTS = (
    ("城乡居民基本医疗保险代办员补助资金", "0201", "用于城乡居民医疗保险村级代办员补助", (30000, 200000)),
    ("城乡居民基本医疗保险工作经费", "0601", "加强经办机构建设，提升业务技能，为实现精准化、规范化、标准化管理创造条件。",
     (50000, 500000)),
    ("城乡居民建档立卡患者医疗保障救助县级补助资金", "0203", "用于全县建档立卡贫困人口待遇提高部分", (200000, 3000000)),
    ("城乡居民医疗保险县级配套资金", "0201", "全县城乡居民医疗保险补助资金", (5000000, 60000000)),
    ("城乡医疗救助补助资金（县级补助资金）", "0203", "保证城乡医疗救助正常开展，提高困难群众的满意度。", (500000, 5000000)),
    ("城镇职工基本医疗保险大额补充保险代办费", "0601", "作为城镇职工医保所开展工作的办公经费。", (30000, 150000)),
    ("解决历史欠账资金", "0601", "偿还以前年度印刷费用", (20000, 100000)),
    ("贫困人口参保资助县级补助资金", "0201", "用于重度残疾人的个人缴费补助资金", (300000, 2000000)),
    ("医保局慢性病鉴定、基金监管经费", "0601", "慢性病鉴定、基金监管、信息化建设经费", (50000, 300000)),
    ("{doc}关于提前下达{year}年省级财政医疗救助补助预算资金", "0203", "下达省财政医疗救助资金，用于贫困人口医疗救助。",
     (1000000, 9000000)),
    ("{doc}关于提前下达{year}年中央财政城乡居民基本医疗保险补助资金（第一批）", "0201",
     "用于对参保人员的补助和提高贫困人口医疗保障救助水平。", (10000000, 90000000)),
)


def _doc_no(rng: random.Random, year: int) -> str:
    o, c = rng.choice((("[", "]"), ("【", "】"), ("〔", "〕")))
    space = " " if rng.random() < 0.3 else ""  # 000: 冀财社【2019】105号 河北省财政厅…
    return f"冀财社{o}{year - 1}{c}{rng.randint(60, 160)}号{space}河北省财政厅"


def gen_project_word(rng: random.Random, ctx: dict, error: bool) -> tuple[Doc, Truth]:
    year, county, code = ctx["year"], ctx["county"], ctx["code"]
    tr = Truth("project_word")
    doc = Doc()
    dept = f"{county}医疗保障局"
    ent_code = f"{code}{rng.randint(1, 3):03d}"
    ent_name = dept if rng.random() < 0.7 else f"{county}医疗保障局本级"
    ctx["department_name"] = ent_name
    picks = rng.sample(WORD_PROJECTS, rng.randint(3, 9))
    projects = []
    for name, func, purpose, (lo, hi) in picks:
        name = name.format(doc=_doc_no(rng, year), year=year)
        letters = "".join(rng.choice("JXZYS") for _ in range(2)) + "N"
        pcode = f"{code}-{func}-{letters}-" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(4))
        projects.append((name, pcode, purpose, rng.randint(lo // 100, hi // 100) * 100))
    err_at = rng.randrange(len(projects)) if error else -1
    doc.t("", dept, f"{year}年部门预算绩效文本", "（草案）", f"{dept}编制", f"{county}财政局审核", "目    录",
          "第一部分 部门整体绩效目标", "1总体绩效目标", "", "", "3分项绩效目标", "", "", "3工作保障措施", "", "", "", "",
          "第二部分 预算项目绩效目标", "1总体绩效目标", "", "", "3分项绩效目标", "", "", "3工作保障措施", "", "")
    for k, (name, *_rest) in enumerate(projects, start=1):
        doc.t(f"{k + 5}{k}、{name}绩效目标表", "", "")
    doc.t("", "", "第一部分", "部门整体绩效目标", r"一、总体绩效目标 TC 总体绩效目标 \f A \l 1 ", "总体绩效目标：", "",
          "宣传贯彻执行党的路线、方针、政策和国家的法律、法规，执行本级人民代表大会决议和上级国家行政机关的决定和命令，其主要职责：", "")
    for k, duty in enumerate(rng.sample(DUTIES, 4), start=1):
        doc.t(f"{k}、{duty}", "")
    doc.t(r"二、分项绩效目标 TC 分项绩效目标 \f A \l 1 ", "分项绩效目标：", "")
    for k, (title, goal, _) in enumerate(rng.sample(SUB_GOALS, 4), start=1):
        doc.t(f"{k}、{title}，{goal}。", "")
    doc.t(r"三、工作保障措施 TC 工作保障措施 \f A \l 1 ", "工作保障措施", "",
          "强化医保队伍建设，提高干部业务能力。深化最多跑一次改革，提升医保服务效能。", "",
          "完善医疗救助体系，提高医疗保障水平。创新监管方式，加大监管力度。", "", "第二部分", "预算项目绩效目标")
    for k, (name, pcode, purpose, amount) in enumerate(projects, start=1):
        heading = f"{k}、{name}绩效目标表"
        doc.t(rf"{heading} TC {heading} \f C \l 1 ")
        doc.row([f"{ent_code}{ent_name}", "单位：元"])
        doc.row(["项目编码", pcode, "项目名称", name])
        other = rng.randint(1, amount // 500) * 100 if rng.random() < 0.1 else 0
        fiscal = amount - other
        doc.row(["预算规模及资金用途", "预算数", f"{amount}.00", "其中：财政资金", f"{fiscal}.00", "其他资金",
                 f"{other}.00" if other else ""])
        tr.fact("project_budget", ent_code, ent_name, "预算数", None, "total", f"{amount}.00", "元", name)
        tr.fact("project_budget", ent_code, ent_name, "其中：财政资金", None, "fiscal_appropriation", f"{fiscal}.00", "元",
                name)
        if other:
            tr.fact("project_budget", ent_code, ent_name, "其他资金", None, "other_funds", f"{other}.00", "元", name)
        doc.row(["", purpose])
        doc.row(["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"])
        plan = list(rng.choice(PLAN_SHAPES))
        if k - 1 == err_at:
            if rng.random() < 0.5 or plan.count(None) > 1:
                plan = [25, 50, 75, rng.choice((80, 90, 95))]
                detail = f"资金支出计划 ends at {plan[-1]}%"
            else:
                plan = [30, 60, rng.choice((40, 50, 55)), 100]
                detail = f"资金支出计划 decreases ({plan[1]}% → {plan[2]}%)"
            tr.failure("spending_plan_monotonic", "spending_plan", f"{pcode} {name}: {detail}")
        doc.row([""] + [f"{p}.00" if p is not None else "" for p in plan])
        goal = rng.choice(("确保城乡居民参保率100%", "保证城乡医疗救助正常开展。", "完成全县参保缴费征缴工作",
                           "保障困难群众基本医疗需求"))
        doc.row(["绩效目标", f"1、{goal}"])
        if rng.random() < 0.3:
            doc.t("2、提高困难群众的满意度。", "")
        doc.blank()
        doc.row(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
        inds = pick_indicators(rng, year)
        if year >= 2021 and rng.random() < 0.4:
            inds += cost_indicators(rng, f"{amount}", "元")
        for ind in inds:
            if rng.random() < 0.04:
                ind["value"] = ""
        basis = rng.choice(BASIS)
        previous = None
        for ind in inds:
            l1 = ind["l1"] if ind["l1"] != previous else ""
            previous = ind["l1"]
            doc.row([l1, ind["l2"], ind["l3"], ind["desc"], ind["value"], basis])
            tr.target(ent_code, ent_name, name, ind["l1"], ind["l2"], ind["l3"], "annual", ind["value"])
        doc.blank()
    doc.blank()
    return doc, tr


# =========================================================================== approval forms (001)
APPROVAL_PROJECTS = (
    ("医保专项业务经费", (60, 300)), ("弥补离休干部医疗统筹经费缺口", (300, 3000)), ("厅级干部医疗费补助", (20, 200)),
    ("医保基金中介审计经费", (10, 80)), ("异地就医上门服务经费", (5, 50)), ("医保信息系统运维经费", (30, 300)),
    ("慢性病评审专项经费", (5, 60)), ("城乡居民医保市级统筹工作经费", (20, 200)),
)


SATISFACTION_PAIRS = (("提高定点医疗机构满意率", "提高参保人员满意率"), ("定点医药机构满意度", "参保群众满意度"))
SATISFACTION_TEXTS = ("满意率95%以上、零核实投诉", "满意度达到较高水平", "投诉率明显下降")


def _approval_left(style: str, first: bool, new_l1: bool, new_l2: bool, l1: str, l2: str) -> list[str]:
    """The label cells before the 三级 of a 批复表 indicator row (three columns).

    ``sec``: the section cell 绩效指标 in column 0 on the table's first row, 一级 in 1,
    二级 in 2 (the sample's 2nd and 3rd forms); ``dup``: 一级 in column 0 and the
    二级 printed twice (the sample's 1st form)."""
    if style == "sec":
        if new_l1:
            return ["绩效指标" if first else "", l1, l2]
        return ["", "", l2] if new_l2 else ["", "", ""]
    if new_l1:
        return [l1, l2, l2]
    return ["", l2, l2] if new_l2 else ["", "", ""]


def gen_approval_form(rng: random.Random, ctx: dict, error: bool) -> tuple[Doc, Truth]:
    year, county = ctx["year"], ctx["county"]
    tr = Truth("approval_form")
    doc = Doc()
    entity = f"{county}{rng.choice(('医疗保险服务中心', '医疗保障局', '医疗保险管理中心'))}"
    ctx["department_name"] = entity
    picks = rng.sample(APPROVAL_PROJECTS, rng.randint(1, 5))
    err_at = rng.randrange(len(picks)) if error else -1
    for k, (name, (lo, hi)) in enumerate(picks):
        doc.t("", "", "部门预算财政支出绩效目标批复表", "", rng.choice((f"({year} 年度)", f"（ {year} 年度）")), "",
              rng.choice(("填报单位 (盖章)", "填报单位（盖章）")), "")
        annual = rng.randint(lo, hi) * 100 + rng.choice((0, 0, 50))  # hundredths of 万元
        one_off = rng.random() < 0.2
        midterm = annual if one_off else annual * rng.choice((2, 3, 3))
        fmt = wan1 if rng.random() < 0.7 else (lambda c: thousands(wan1(c)))
        cost_annual = annual
        if k == err_at:
            wrong = midterm + rng.randint(1, 50) * 100
            tr.failure("annual_within_midterm", "annual_over_midterm",
                       f"{name}: 年度资金总额 {wan1(wrong)}万元 > 中期资金总额 {wan1(midterm)}万元")
            annual = wrong
        # the PDF extraction places the columns differently from form to form
        wide = rng.random() < 0.5  # the sample's 2nd/3rd forms: a blank cell after each label
        colon = rng.choice((":", "："))
        sp = " " if colon == ":" else ""
        pad = [""] if wide else []
        doc.tsv(["项目名称"] + pad + [name] + [""] * (6 - len(pad)))
        doc.tsv(["实施单位"] + pad + [entity] + [""] * (6 - len(pad)))
        doc.tsv(["项目属性"] + pad + ["一次性项目" if one_off else "经常性项目"] + [""] * (6 - len(pad)))
        mid_t, ann_t = fmt(midterm), fmt(annual)
        gap = ["", ""] if wide else [""]
        doc.tsv([f"项目资金{sp}(万元)" if sp else "项目资金（万元）", f"中期资金总额{colon}", mid_t] + gap
                + [f"年度资金总额{colon}", ann_t, ""] + ([] if wide else [""]))
        doc.tsv(["", f"其中{colon}{sp}财政拨款", mid_t] + gap + [f"其中{colon}{sp}财政拨款", ann_t, ""]
                + ([] if wide else [""]))
        doc.tsv(["", "其他资金", ""] + gap + ["其他资金", "", ""] + ([] if wide else [""]))
        for label, measure, text in ((f"中期资金总额{colon}", "midterm", mid_t), (f"年度资金总额{colon}", "annual", ann_t),
                                     (f"其中{colon}{sp}财政拨款", "midterm_fiscal_appropriation", mid_t),
                                     (f"其中{colon}{sp}财政拨款", "annual_fiscal_appropriation", ann_t)):
            tr.fact("project_budget", None, entity, label.rstrip(":："), None, measure, text, "万元", name)
        doc.tsv(["总体目标", f"{year}-{year + 2}"] + gap + ["", "年度目标", "", ""] + ([] if wide else [""]))
        goal_mid = f"通过该项目的实施，完成{name}相关工作内容，实现保障医保各项专项工作有序开展的工作目标。"
        goal_ann = f"通过该项目的实施，完成{year}年度{name}相关工作，进一步提高服务水平。"
        if rng.random() < 0.3:
            goal_mid, goal_ann = f"<p>{goal_mid}</p>", f"<p>{goal_ann}</p>"
        doc.tsv(["", goal_mid] + gap + ["", goal_ann, "", ""] + ([] if wide else [""]))
        doc.tsv(["", "一级指标", "二级指标", "三级指标", "中长期指标值", "二级指标", "三级指标", "本年度指标值"])
        style = rng.choice(("sec", "sec", "dup"))
        inds = pick_indicators(rng, year, n_output=(2, 5))
        # a second 可持续影响指标 row, to print the label split over two rows as the sample does
        sustain = next((j for j, i in enumerate(inds) if i["l2"] == "可持续影响指标"), None)
        if sustain is not None and rng.random() < 0.6:
            other = next(i for i in INDICATORS if i[1] == "可持续影响指标" and i[2] != inds[sustain]["l3"])
            value, _, _, _ = other[4](rng, year)
            inds.insert(sustain + 1, dict(inds[sustain], l3=other[2], value=value, split_label=True))
        first = True
        previous = (None, None)
        blocks_done: set = set()
        for j, ind in enumerate(inds):
            l1, l2 = ind["l1"], ind["l2"]
            if l2 == "时效指标" and rng.random() < 0.3:
                l2 = "时效性"  # a variant name the sample prints
            new_l1, new_l2 = l1 != previous[0], (l1, l2) != previous
            if new_l1 and l1 in ("效益指标", "效果指标") and rng.random() < 0.4 and l2 != "经济效益指标":
                # an empty 二级 block: the row only names its labels (the sample's 经济效益指标)
                doc.tsv(["", l1, "经济效益指标", "", "", "经济效益指标", "", ""])
                new_l1 = False
                first = False
            mid_v, ann_v = ind["value"], ind["value"]
            if ind["l3"] in ("任务完成时间", "审计完成时间"):
                mid_v = rng.choice(("一年一次，每年下半年", "每年12月31日前"))
            elif ind["value"].endswith("人") and not one_off and rng.random() < 0.5:
                n = int("".join(ch for ch in ind["value"] if ch.isdigit()))
                mid_v, ann_v = f"{n * 3}人", f"{n}人。"
            if ind["vtype"] == "定量" and rng.random() < 0.05:
                mid_v = ""  # 001: 慢性病评审次数 has no 中长期 value
            if ind.get("split_label"):
                continue  # printed with the row before
            nxt = inds[j + 1] if j + 1 < len(inds) else None
            if nxt is not None and nxt.get("split_label"):
                # 可持续 / 影响指标: the 二级 cut over two rows, a blank line between them
                n_mid, n_ann = nxt["value"], nxt["value"]
                doc.tsv(["可持续", "", ind["l3"], mid_v, "可持续", ind["l3"], ann_v, ""])
                doc.t("")
                doc.tsv(["", "影响指标", nxt["l3"], n_mid, "影响指标", nxt["l3"], n_ann])
                for i2, m, a in ((ind, mid_v, ann_v), (nxt, n_mid, n_ann)):
                    tr.target(None, entity, name, l1, "可持续影响指标", i2["l3"], "midterm", m)
                    tr.target(None, entity, name, l1, "可持续影响指标", i2["l3"], "annual", a)
                previous = (l1, l2)
                first = False
                continue
            left = _approval_left(style, first, new_l1, new_l2, l1, l2)
            right = l2 if new_l2 else ""
            doc.tsv(left + [ind["l3"], mid_v, right, ind["l3"], ann_v] + ([""] if rng.random() < 0.2 else []))
            tr.target(None, entity, name, l1, l2, ind["l3"], "midterm", mid_v)
            tr.target(None, entity, name, l1, l2, ind["l3"], "annual", ann_v)
            previous = (l1, l2)
            first = False
            if l1 in ("效益指标", "效果指标") and (nxt is None or nxt["l1"] != l1) and rng.random() < 0.3 \
                    and "生态" not in blocks_done:
                doc.tsv(["", "", "生态效益指标", "", "", "生态效益指标", "", ""])
                blocks_done.add("生态")
        if rng.random() < 0.4:
            # two indicators merged into one cell, names and values separated by a space (the
            # sample's last row); the parser splits them back
            a, b = rng.choice(SATISFACTION_PAIRS)
            va, vb = rng.choice(SATISFACTION_TEXTS), rng.choice(SATISFACTION_TEXTS)
            l2 = rng.choice(("服务对象满意", "服务对象满意度指标"))
            l1 = "满意度指标" if previous[0] != "满意度指标" else ""
            doc.tsv([l1, l2, f"{a} {b}", f"{va} {vb}", l2, f"{a} {b}", f"{va} {vb}"])
            for l3, v in ((a, va), (b, vb)):
                tr.target(None, entity, name, "满意度指标", l2, l3, "midterm", v)
                tr.target(None, entity, name, "满意度指标", l2, l3, "annual", v)
        if rng.random() < 0.7:  # the lone 一级 成本指标 block: 项目总成本 = the budget
            mid_c = rng.choice((f"《={wan_short(midterm)}万（预算数）", f"{wan_short(midterm)}万"))
            ann_c = rng.choice((f"《={wan_short(cost_annual)}万（预算数）", f"{wan_short(cost_annual)}万"))
            doc.tsv(["", "成本指标", "项目总成本", mid_c, "成本指标", "项目总成本", ann_c, ""])
            tr.target(None, entity, name, "成本指标", None, "项目总成本", "midterm", mid_c)
            tr.target(None, entity, name, "成本指标", None, "项目总成本", "annual", ann_c)
            if rng.random() < 0.4:
                rate = f"{rng.randint(50, 300) * 100}元/人、年"
                doc.tsv(["", "", "人均筹资标准", rate, "", "人均筹资标准", rate, ""])
                tr.target(None, entity, name, "成本指标", None, "人均筹资标准", "midterm", rate)
                tr.target(None, entity, name, "成本指标", None, "人均筹资标准", "annual", rate)
        doc.blank()
    return doc, tr


# =========================================================================== tab-separated (003)
TSV_PROJECTS = (
    ("城乡居民医保基金征缴工作", "为切实保障{year}年城乡居民医保参保缴费工作的顺利开展", (20, 120)),
    ("城乡居民医疗保险县镇配套", "{county}城乡居民医疗保险县镇配套", (800, 6000)),
    ("城乡医疗救助", "资助参加城乡居民医保、实施住院医疗救助、规范门诊医疗救助", (100, 800)),
    ("打击欺诈骗保工作经费", "持续保持基金监管的高压态势，纵深推进打击欺诈骗保专项行动", (10, 60)),
    ("公务员补充医疗", "{county}公务员补充医疗县级配套", (50, 400)),
    ("离休人员医疗保障金", "{county}离休人员医疗保障金县级配套", (50, 400)),
    ("欺诈骗保行为举报奖励资金", "欺诈骗保行为举报奖励资金", (3, 20)),
    ("特殊病种门诊专家评审", "特殊病种门诊医疗管理专家评审有关工作经费，列入同级财政预算", (3, 20)),
    ("脱贫不稳定对象、残疾人、计生特扶参合补助", "脱贫不稳定对象、残疾人、计生特扶参合补助", (100, 900)),
)


def _tsv_amount(c: int) -> str:
    """003 prints amounts as short as they go: 5294, 3997.5, 496.5."""
    return wan_short(c)


def gen_tsv(rng: random.Random, ctx: dict, error: bool) -> tuple[Doc, Truth]:
    year, county, code = ctx["year"], ctx["county"], ctx["code"]
    tr = Truth("tsv")
    doc = Doc()
    dept = f"{county}医疗保障局"
    ctx["department_name"] = dept
    n_units = 1 if rng.random() < 0.8 else 2
    units = [(f"{code}{k:03d}", dept if (k == 1 and rng.random() < 0.6) else
              (f"{county}医疗保障局本级" if k == 1 else f"{county}医疗保障事务中心")) for k in range(1, n_units + 1)]
    picks = rng.sample(TSV_PROJECTS, rng.randint(3, len(TSV_PROJECTS)))
    projects = []  # (unit index, name, goal, cents)
    for name, goal, (lo, hi) in picks:
        cents = rng.randint(lo, hi) * 100 + rng.choice((0, 0, 50))
        projects.append((0 if n_units == 1 or rng.random() < 0.75 else 1, name,
                         goal.format(year=year, county=county), cents))
    proj_by_unit = [sum(p[3] for p in projects if p[0] == u) for u in range(n_units)]
    total_projects = sum(proj_by_unit)
    drift = rng.random() < 0.5
    with_overall = rng.random() < 0.75
    with_three_public = rng.random() < 0.7
    # ---- 项目支出绩效目标表 (003 names its year in the 三公 title; without one, the title does)
    title = "项目支出绩效目标表" if with_three_public and rng.random() < 0.7 else f"{year}年项目支出绩效目标表"
    doc.t("", "", title, "", "", "")
    if rng.random() < 0.2:
        doc.t("单位：万元")
    doc.tsv(["单位代码", "单位(专项)名称", "资金总额", "实施期绩效目标", "绩效指标"] + [""] * 9)
    doc.tsv(["", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "指标值内容", "评(扣分标准)", "度量单位",
             "指标数据类型", "备注", ""])
    dept_total = total_projects
    cost_error = error and rng.random() < 0.5
    error = error and not cost_error
    cost_error_at = rng.randrange(len(projects)) if cost_error else -1
    if error:
        delta = rng.randint(1, 40) * 100
        dept_total = total_projects - delta if total_projects > 2 * delta and rng.random() < 0.5 else total_projects + delta
        tr.failure("projects_sum_to_project_expenditure", "department_total",
                   f"{dept} 资金总额 {_tsv_amount(dept_total)}万元, projects sum to {_tsv_amount(total_projects)}万元")
    doc.tsv([code, dept, _tsv_amount(dept_total)] + [""] * 11)
    tr.fact("project_budget", code, dept, dept, None, "total", _tsv_amount(dept_total), "万元")
    for p_index, (u, name, goal, cents) in enumerate(projects):
        ucode, uname = units[u]
        inds = pick_indicators(rng, year)
        if p_index == cost_error_at:
            # the project's whole amount as one cost target, and one more on top of it
            extra = rng.randint(1, max(1, cents // 1000)) * 100
            inds += cost_indicators(rng, _tsv_amount(cents), "万元")
            inds += [dict(cost_indicators(rng, _tsv_amount(extra), "万元")[0], l3="控制在预算内")]
            tr.failure("cost_targets_within_budget", "cost_over_budget",
                       f"{name}: cost targets {_tsv_amount(cents)} + {_tsv_amount(extra)}万元 > 资金总额 "
                       f"{_tsv_amount(cents)}万元")
        elif rng.random() < 0.6:
            inds += cost_indicators(rng, _tsv_amount(cents), "万元", n=1 if rng.random() < 0.7 else 2)
        if rng.random() < 0.2:
            rng.shuffle(inds)  # 003 does not keep the 一级 blocks together
        tr.fact("project_budget", ucode, uname, name, None, "total", _tsv_amount(cents), "万元", name)
        previous = (None, None)
        for j, ind in enumerate(inds):
            new_l1 = ind["l1"] != previous[0]
            new_l2 = (ind["l1"], ind["l2"]) != previous
            previous = (ind["l1"], ind["l2"])
            labels = [ind["l1"] if new_l1 else "", ind["l2"] if new_l2 else ""]
            tail = [ind["l3"], ind["value"], ind["content"], "", "", ind["unit"], ind["vtype"], ""]
            if j == 0:
                cells = [ucode, name, _tsv_amount(cents), goal] + labels + tail
            else:
                lead = ["", "", "", ""]
                if drift and rng.random() < 0.3:  # a cell added or lost on the way (the sample's drift)
                    lead = lead + [""] if rng.random() < 0.5 else lead[:3]
                if drift and new_l1 and rng.random() < 0.15:
                    lead = []  # the row starts at column 0 with its 一级
                cells = lead + labels + tail
            doc.tsv(cells)
            tr.target(ucode, uname, name, ind["l1"], ind["l2"], ind["l3"], "annual", ind["value"])
        if rng.random() < 0.2:
            doc.t("")
    # ---- 整体支出绩效目标表
    if with_overall:
        doc.t("", "整体支出绩效目标表", "", "", "")
        doc.tsv(["单位编码", "单位名称", "年度预算申请", "", "", "", "", "", "整体绩效目标", "部门整体支出年度绩效目标"] + [""] * 10)
        doc.tsv(["", "", "资金总额", "按收入性质分", "", "", "按支出性质分", "", "", "一级指标", "二级指标", "三级指标", "指标值类型",
                 "指标值", "计量单位", "指标解释", "评分(扣分值)", "备注", "", ""])
        doc.tsv(["", "", "", "一般公共预算", "政府性基金拨款", "财政专户管理资金", "其他资金", "基本支出"] + [""] * 10 + ["项目支出", ""])
        for u, (ucode, uname) in enumerate(units):
            basic = rng.randint(150, 1200) * 100 + rng.randint(0, 99)
            proj = proj_by_unit[u]
            total = basic + proj
            inds = pick_indicators(rng, year, n_output=(2, 3), n_benefit=(1, 1))
            if rng.random() < 0.7:
                inds.insert(len(inds) - 1, cost_indicators(rng, wan_short(total), "万元")[0] | {"l2": "",
                            "l3": rng.choice(("城乡居民医保县级配套", "部门运转经费"))})
            goal = "1. 拟订全县医疗保险、生育保险、医疗救助等医疗保障制度并组织实施。2. 贯彻执行医疗保障基金监管有关政策。"
            money = [wan_short(total), wan_short(total), "", "", "", wan_short(basic), wan_short(proj) if proj else ""]
            for label, measure, text in (("资金总额", "total", money[0]), ("一般公共预算", "general_budget", money[1]),
                                         ("基本支出", "basic", money[5]), ("项目支出", "project", money[6])):
                if text:
                    tr.fact("overall_budget", ucode, uname, label, None, measure, text, "万元")
            previous = None
            for j, ind in enumerate(inds):
                l1 = ind["l1"] if ind["l1"] != previous else ""
                previous = ind["l1"]
                area = [l1, ind["l2"] if (l1 or j == 0 or ind["l2"] != inds[j - 1]["l2"]) else "", ind["l3"],
                        ind["vtype"], ind["value"], ind["unit"], "", "", "", ""]
                if ind["l1"] == "成本指标":
                    area[1] = ""
                if ind["vtype"] == "定量" and rng.random() < 0.1:
                    area[5] = "定量"  # a second 定量 where the unit stands (the sample's last 整体 row)
                if j == 0:
                    doc.tsv([ucode, uname] + money + [goal] + area)
                else:
                    doc.tsv([""] * 10 + area)
                tr.target(ucode, uname, None, ind["l1"], ind["l2"] or None, ind["l3"], "annual", ind["value"])
    # ---- “三公”经费预算情况表 (one column per item)
    if with_three_public:
        doc.t("", f"{year}年“三公”经费预算情况表", "", "", "")
        doc.tsv(["单位代码", "单位名称", f"{year}年“三公”经费预算支出", "", "", "", "", "", ""])
        items = ("合计", "公务接待费", "因公出国(境)费", "公务用车购置", "公务用车运行维护费", "其他交通工具购置", "其他交通费用")
        doc.tsv(["", ""] + list(items))
        doc.tsv(["**", "**"] + [str(k) for k in range(1, 8)])
        per_unit = []
        for _ in units:
            vals = {"公务接待费": rng.randint(50, 900), "因公出国(境)费": 0,
                    "公务用车购置": rng.choice((0, 0, 0, rng.randint(8, 25) * 100)),
                    "公务用车运行维护费": rng.choice((0, rng.randint(100, 600))), "其他交通工具购置": 0,
                    "其他交通费用": rng.choice((0, rng.randint(50, 400)))}
            vals["合计"] = sum(vals.values())
            per_unit.append(vals)
        dept_vals = {k: sum(v[k] for v in per_unit) for k in items}
        rows = [("", "合计", dept_vals, code, dept), (code, dept, dept_vals, code, dept)]
        rows += [(ucode, uname, per_unit[u], ucode, uname) for u, (ucode, uname) in enumerate(units)]
        for first, name, vals, fcode, fname in rows:
            doc.tsv([first, name] + [wan(vals[k]) if vals[k] else "" for k in items])
            for k in items:
                if vals[k]:
                    tr.fact("three_public", fcode, fname, k, None, "total", wan(vals[k]), "万元")
    return doc, tr


# =========================================================================== overall form (004)
def gen_overall_word(rng: random.Random, ctx: dict, error: bool) -> tuple[Doc, Truth]:
    year, county = ctx["year"], ctx["county"]
    tr = Truth("overall_word")
    doc = Doc()
    dept = f"{county}医疗保障局"
    ctx["department_name"] = dept
    basic = rng.randint(200, 1500) * 100 + rng.randint(0, 99)
    project = rng.randint(20, 800) * 100 + rng.choice((0, 0, 50))
    total = basic + project
    published_total = total
    if error:
        delta = rng.randint(1, 30) * 100
        published_total = total - delta if total > 2 * delta and rng.random() < 0.5 else total + delta
        tr.failure("total_equals_basic_plus_project", "total_not_basic_plus_project",
                   f"资金总额 {wan_short(published_total)}万元 ≠ 基本支出 {wan_short(basic)} + 项目支出 {wan_short(project)}")
    doc.t(rng.choice(("附件3", "附件2", "")), "部门整体支出绩效目标申报表", f"（ {year}年度）",
          "填报单位（盖章）：\t                       单位负责人（签名）：")
    doc.row(["部门名称", dept])
    doc.row(["年度预算申请\n（万元）", f"资金总额：  {wan_short(published_total)}万元"])
    doc.row(["", "按收入性质分", "按支出性质分"])
    doc.row(["", f"其中：公共财政拨款：{wan_short(published_total)}"])
    doc.row([f"其中：\n基本支出：{wan_short(basic)}万元\n项目支出：{wan_short(project)}万元"])
    doc.blank(2)
    for label, measure, c in (("资金总额", "total", published_total), ("公共财政拨款", "general_budget", published_total),
                              ("基本支出", "basic", basic), ("项目支出", "project", project)):
        tr.fact("overall_budget", None, dept, label, None, measure, wan_short(c), "万元")
    duties = rng.sample(DUTIES, rng.randint(4, len(DUTIES)))
    doc.row(["部门职能职责概述", "\n".join(f"{k}、{d}" for k, d in enumerate(duties, start=1))])
    doc.blank()
    doc.row(["年度总体目标", "目标1：通过预算执行，保证正常工作运转。\n目标2：稳步提高保障水平，实现基金收支平衡，进一步规范基金支出。"])
    doc.row(["部门整体支出\n年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值及单位"])
    inds = pick_indicators(rng, year, n_output=(3, 6), n_benefit=(1, 3))
    # the cost targets add up to the budget (at most the lower of the two totals an error leaves)
    costs = cost_indicators(rng, wan_short(min(total, published_total)), "万元", n=rng.randint(1, 5))
    for c in costs:
        c["l2"] = "成本指标"
        c["value"] = "≦" + c["value"].lstrip("≤").replace("不超过", "")
    out_end = max(k for k, i in enumerate(inds) if i["l1"] == "产出指标") + 1
    inds[out_end:out_end] = costs
    drop_output = rng.random() < 0.5  # the sample lost the merged 产出指标 cell
    previous = (None, None)
    split_done = False
    for ind in inds:
        l1 = ind["l1"] if ind["l1"] != previous[0] and ind["l1"] != "成本指标" else ""
        if l1 == "产出指标" and drop_output:
            l1 = ""
        l2 = ind["l2"] if (ind["l1"], ind["l2"]) != previous else ""
        value = ind["value"].replace("≥", "≧") if rng.random() < 0.5 else ind["value"]
        if l1 and not split_done and rng.random() < 0.3:  # a stray blank line splits the row (004 line 222)
            doc.row(["", l1, l2])
            doc.row([ind["l3"], value])
            split_done = True
        else:
            doc.row(["", l1, l2, ind["l3"], value])
        previous = (ind["l1"], ind["l2"])
        tr.target(None, dept, None, ind["l1"], ind["l2"], ind["l3"], "annual", value)
    return doc, tr


GENERATORS = {
    "budget": gen_budget,
    "project_word": gen_project_word,
    "approval_form": gen_approval_form,
    "tsv": gen_tsv,
    "overall_word": gen_overall_word,
}
NORTH_PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "山东", "河南", "陕西", "甘肃", "青海",
                   "宁夏", "新疆", "西藏")


# =========================================================================== one filing
def _weighted(rng: random.Random, pairs) -> str:
    names = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(names, weights)[0]


FORMATS = ("txt", "pdf", "docx", "xlsx")


def make_filing(seed: int, index: int, error_rate: float, dup_rate: float,
                counties: dict[int, list], formats: tuple[str, ...] = ("txt",)) -> tuple[list[tuple[str, bytes, dict]], Truth]:
    """Generate filing ``index``: [(relative path, bytes, manifest row), …] (a duplicate copy
    may follow the filing) and its truth.

    With several ``formats`` the filings take them in turn (filing ``index`` is
    ``formats[index % len(formats)]``): a ``txt`` filing is the text export this function
    has always written for ``index``, whatever else is in the list; ``pdf`` / ``docx`` /
    ``xlsx`` filings are 部门预算 originals (:mod:`benchmarks.originals`)."""
    fmt = formats[index % len(formats)]
    if fmt != "txt":
        return _make_original(seed, index, dup_rate, counties, fmt)
    rng = random.Random(f"{seed}:{index}")
    layout = _weighted(rng, LAYOUTS)
    year = rng.choice(YEARS)
    admin_code, province, prefecture, county = rng.choice(counties[year])
    ctx = {"year": year, "county": county, "code": department_code(admin_code),
           "north": province.startswith(NORTH_PROVINCES)}
    error = rng.random() < error_rate
    doc, truth = GENERATORS[layout](rng, ctx, error)
    text = doc.text()
    encoding = _weighted(rng, ENCODINGS)
    crlf = rng.random() < CRLF_SHARE
    data = _encode(text, encoding, crlf)
    name = f"{index:06d}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"
    rel = f"{year}/{name}"
    row = {"source_file": rel, "format": "txt", "layout": layout, "status": "loaded", "duplicate_of": None,
           "encoding": encoding, "line_ending": "crlf" if crlf else "lf", "bytes": len(data), "fiscal_year": year,
           "province": province, "county": county, "admin_code": admin_code,
           "department_name": ctx.get("department_name"), "department_code": ctx["code"], "facts": len(truth.facts),
           "targets": len(truth.targets), "injected_error": truth.failures[0][1] if truth.failures else None}
    files = [(rel, data, row)]
    if rng.random() < dup_rate:  # the same filing saved again, in another encoding
        other = "gb18030" if encoding != "gb18030" else "utf-8-sig"
        copy = _encode(text, other, not crlf)
        copy_rel = f"{year}/{name[:-4]}_copy.txt"  # sorts after the original: the original is loaded
        files.append((copy_rel, copy, {**row, "source_file": copy_rel, "status": "duplicate", "duplicate_of": rel,
                                       "encoding": other, "line_ending": "lf" if crlf else "crlf",
                                       "bytes": len(copy), "facts": 0, "targets": 0, "injected_error": None}))
    return files, truth


def _make_original(seed: int, index: int, dup_rate: float, counties: dict[int, list],
                   fmt: str) -> tuple[list[tuple[str, bytes, dict]], Truth]:
    """A 部门预算 original (PDF, .docx or .xlsx) and its truth (``source_page`` filled)."""
    from benchmarks import originals

    rng = random.Random(f"{seed}:{index}:{fmt}")
    year = rng.choice(YEARS)
    admin_code, province, prefecture, county = rng.choice(counties[year])
    ctx = {"year": year, "county": county, "code": department_code(admin_code),
           "north": province.startswith(NORTH_PROVINCES)}
    filing = originals.make_original(rng, ctx)
    data, facts, targets = originals.render(filing, fmt)
    truth = Truth(originals.LAYOUT)
    truth.facts, truth.targets = facts, targets
    name = f"{index:06d}_{hashlib.sha256(data).hexdigest()[:16]}.{fmt}"
    rel = f"{year}/{name}"
    row = {"source_file": rel, "format": fmt, "layout": originals.LAYOUT, "status": "loaded", "duplicate_of": None,
           "encoding": None, "line_ending": None, "bytes": len(data), "fiscal_year": year, "province": province,
           "county": county, "admin_code": admin_code, "department_name": ctx.get("department_name"),
           "department_code": ctx["code"], "facts": len(facts), "targets": len(targets), "injected_error": None}
    files = [(rel, data, row)]
    if rng.random() < dup_rate:  # the same file saved again under another name: a duplicate
        copy_rel = f"{year}/{name[:-len(fmt) - 1]}_copy.{fmt}"
        files.append((copy_rel, data, {**row, "source_file": copy_rel, "status": "duplicate", "duplicate_of": rel,
                                       "facts": 0, "targets": 0}))
    return files, truth


def _encode(text: str, encoding: str, crlf: bool) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


# =========================================================================== the corpus
_WORKER: dict = {}


def _init_worker(seed: int, error_rate: float, dup_rate: float, filings_dir: str,
                 formats: tuple[str, ...] = ("txt",)) -> None:
    _WORKER.update(seed=seed, error_rate=error_rate, dup_rate=dup_rate, dir=Path(filings_dir),
                   counties=load_counties(), formats=tuple(formats))


def _work(index: int):
    w = _WORKER
    files, truth = make_filing(w["seed"], index, w["error_rate"], w["dup_rate"], w["counties"], w["formats"])
    rows = []
    for rel, data, row in files:
        path = w["dir"] / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(row)
    src = files[0][0]
    return (rows, [(src,) + f for f in truth.facts], [(src,) + t for t in truth.targets],
            [(src,) + f for f in truth.failures])


class _TruthWriter:
    """Appends truth rows to Parquet files in row groups (bounded memory)."""

    def __init__(self, folder: Path, flush_rows: int = 50_000):
        import pyarrow as pa

        self.pa = pa
        self.folder = folder
        self.flush_rows = flush_rows
        dec = pa.decimal128(20, 2)
        s = pa.string()
        self.schemas = {
            "budget_facts": pa.schema([(c, dec if c == "amount_yuan" else pa.int64() if c == "source_page" else s)
                                       for c in FACT_COLUMNS]),
            "targets": pa.schema([(c, pa.int64() if c == "source_page" else s) for c in TARGET_COLUMNS]),
            "expected_failures": pa.schema([(c, s) for c in FAILURE_COLUMNS]),
            "filings": pa.schema([(c, pa.int64() if c in ("bytes", "fiscal_year", "facts", "targets") else s)
                                  for c in FILING_COLUMNS]),
        }
        self.buffers: dict[str, list] = {k: [] for k in self.schemas}
        self.writers: dict = {}
        self.counts = {k: 0 for k in self.schemas}

    def add(self, table: str, rows: list) -> None:
        buf = self.buffers[table]
        buf.extend(rows)
        if len(buf) >= self.flush_rows:
            self.flush(table)

    def flush(self, table: str) -> None:
        import pyarrow.parquet as pq

        buf = self.buffers[table]
        schema = self.schemas[table]
        if table == "filings":
            cols = {c: [r[c] for r in buf] for c in FILING_COLUMNS}
        else:
            cols = {c: [r[i] for r in buf] for i, c in enumerate(schema.names)}
        batch = self.pa.Table.from_pydict(cols, schema=schema)
        if table not in self.writers:
            self.writers[table] = pq.ParquetWriter(self.folder / f"{table}.parquet", schema, compression="zstd")
        self.writers[table].write_table(batch)
        self.counts[table] += len(buf)
        buf.clear()

    def close(self) -> None:
        for table in self.schemas:
            if self.buffers[table] or table not in self.writers:
                self.flush(table)
            self.writers[table].close()


def generate(n: int, out: Path, seed: int = 20240601, workers: Optional[int] = None,
             error_rate: float = 0.03, dup_rate: float = 0.005, quiet: bool = False,
             formats: tuple[str, ...] = ("txt",)) -> dict:
    """Write ``n`` filings under ``out/filings`` and their truth under ``out/truth``; return the manifest.

    ``formats`` (any of ``FORMATS``) are taken in turn: ``("txt",)`` is the text corpus,
    ``("txt", "pdf", "docx", "xlsx")`` a quarter of each."""
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats must be some of {', '.join(FORMATS)}; got {', '.join(formats) or 'none'}")
    out = Path(out)
    filings_dir, truth_dir = out / "filings", out / "truth"
    for d in (filings_dir, truth_dir):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    started = time.perf_counter()
    workers = workers or min(os.cpu_count() or 1, 8)
    writer = _TruthWriter(truth_dir)
    files = nbytes = 0
    layouts: dict[str, int] = {}
    by_format: dict[str, int] = {}

    def consume(result):
        nonlocal files, nbytes
        rows, facts, targets, failures = result
        writer.add("filings", rows)
        writer.add("budget_facts", facts)
        writer.add("targets", targets)
        writer.add("expected_failures", failures)
        for r in rows:
            files += 1
            nbytes += r["bytes"]
            if r["status"] == "loaded":
                layouts[r["layout"]] = layouts.get(r["layout"], 0) + 1
                by_format[r["format"]] = by_format.get(r["format"], 0) + 1

    if workers <= 1 or n < (64 if formats == ("txt",) else 8):  # an original takes ~0.1-0.5 s to draw
        _init_worker(seed, error_rate, dup_rate, str(filings_dir), formats)
        for i in range(n):
            consume(_work(i))
    else:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if sys.platform.startswith("linux") else mp.get_context()
        with ctx.Pool(workers, initializer=_init_worker,
                      initargs=(seed, error_rate, dup_rate, str(filings_dir), formats)) as pool:
            for result in pool.imap(_work, range(n), chunksize=16):
                consume(result)
    writer.close()
    seconds = time.perf_counter() - started
    manifest = {
        "generator_version": GENERATOR_VERSION, "seed": seed, "n": n, "error_rate": error_rate, "dup_rate": dup_rate,
        "formats": list(formats), "files": files, "bytes": nbytes, "layouts": layouts, "by_format": by_format,
        "budget_facts": writer.counts["budget_facts"],
        "targets": writer.counts["targets"], "expected_failures": writer.counts["expected_failures"],
        "seconds": round(seconds, 2), "filings_dir": "filings", "truth_dir": "truth",
    }
    (truth_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    if not quiet:
        print(f"wrote {n} filings ({files} files, {nbytes / 1e6:.1f} MB) to {filings_dir} in {seconds:.1f}s; "
              f"truth: {manifest['budget_facts']} facts, {manifest['targets']} targets, "
              f"{manifest['expected_failures']} injected errors → {truth_dir}", file=sys.stderr)
    return manifest


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of filings")
    ap.add_argument("--out", type=Path, required=True, help="output folder (filings/ and truth/ are replaced)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--workers", type=int, default=None, help="processes (default: the CPU count, at most 8)")
    ap.add_argument("--error-rate", type=float, default=0.03, help="share of filings with one injected source error")
    ap.add_argument("--dup-rate", type=float, default=0.005, help="share of filings saved a second time")
    ap.add_argument("--formats", default="txt",
                    help="formats taken in turn, comma-separated: txt (the sample layouts' text exports), "
                         "pdf, docx, xlsx (部门预算 originals); default txt")
    args = ap.parse_args(argv)
    formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
    try:
        generate(args.n, args.out, seed=args.seed, workers=args.workers, error_rate=args.error_rate,
                 dup_rate=args.dup_rate, formats=formats)
    except ValueError as exc:
        ap.error(str(exc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
