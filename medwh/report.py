"""A self-contained HTML report of the analysts' comparisons (``medwh report``).

    write_report(Path("warehouse.duckdb"), Path("reports/report.html"))

One HTML file, no CDN, no script, no external CSS or fonts: the charts are inline SVG bar
charts drawn here. The figures come from the SQL in ``analyses/`` (the same queries `dbt
compile` renders for analysts), run read-only against the warehouse: ``{{ ref('x') }}`` is
resolved to the schema that holds ``x`` in the file (marts or audit), so the report needs
neither dbt nor a manifest. Reconciliation findings are listed with ``source_file:line``
and the text the filing publishes at that line (read from the warehouse: the 情况说明
sentence, the table row's label and amount, or the target), so a reader on any machine
can find them in the filing.
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Optional, Sequence

__all__ = ["ANALYSES_DIR", "render_analysis", "run_analysis", "write_report"]

ANALYSES_DIR = Path(__file__).resolve().parent.parent / "analyses"
REF = re.compile(r"\{\{\s*ref\(\s*['\"](\w+)['\"]\s*\)\s*\}\}")
FONT_STACK = "'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"
PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#718096"]


# --------------------------------------------------------------------------- data


def _open(warehouse: Path):
    import duckdb

    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `make warehouse` (or `medwh build`) first")
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.SerializationException as exc:
        raise RuntimeError(f"{warehouse} was written by a newer DuckDB than this one: rebuild it ({exc})") from None
    except duckdb.IOException as exc:
        raise RuntimeError(f"cannot open {warehouse}: {exc}") from None


def render_analysis(sql: str, con) -> str:
    """Resolve ``{{ ref('x') }}`` to ``"schema"."x"`` for the relation x in the open warehouse."""
    rows = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_catalog = current_database() and table_schema in ('marts', 'audit', 'reference')
        """
    ).fetchall()
    where = {name: schema for schema, name in rows}

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in where:
            raise RuntimeError(f"the warehouse has no marts/audit table {name}: rebuild it with `make warehouse`")
        return f'"{where[name]}"."{name}"'

    return REF.sub(sub, sql)


def run_analysis(con, name: str) -> tuple[list[str], list[tuple]]:
    """(columns, rows) of analyses/<name>.sql on the open warehouse."""
    path = ANALYSES_DIR / f"{name}.sql"
    if not path.exists():
        raise FileNotFoundError(f"analysis {path} is missing")
    import duckdb

    try:
        cur = con.execute(render_analysis(path.read_text(encoding="utf-8"), con))
    except duckdb.Error as exc:
        raise RuntimeError(f"analysis {name} failed on this warehouse ({str(exc).splitlines()[0]}): rebuild it") from None
    return [d[0] for d in cur.description], cur.fetchall()


def _dicts(result: tuple[list[str], list[tuple]]) -> list[dict]:
    cols, rows = result
    return [dict(zip(cols, r)) for r in rows]


def _query(con, sql: str, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _has_table(con, schema: str, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_catalog = current_database() "
            "and table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


# --------------------------------------------------------------------------- formatting


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def yuan(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):,.2f}"


def num(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    if digits == 0:
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


def pct(share) -> str:
    """A 0–1 share as a percentage."""
    return "—" if share is None else f"{float(share) * 100:.1f}%"


def place(row: dict) -> str:
    return row.get("county") or row.get("prefecture") or row.get("province") or "?"


LEVEL_LABEL = {"department": "部门 department", "unit": "单位 unit"}


def entity_label(row: dict) -> str:
    """An entity told apart from its namesake: 湘阴县医疗保障局 · 部门 and 湘阴县医疗保障局 · 单位 302001."""
    name = row.get("department_name") or "?"
    level = row.get("entity_level")
    if level == "department":
        return f"{name} · 部门"
    if level == "unit":
        code = row.get("unit_code")
        return f"{name} · 单位" + (f" {code}" if code else "")
    return name


def table(headers: Sequence[str], rows: Iterable[Sequence], numeric: Sequence[int] = (), cls: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            klass = ' class="num"' if i in numeric else ""
            cells.append(f"<td{klass}>{v}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(headers)}" class="empty">无数据 / no rows</td></tr>')
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


# --------------------------------------------------------------------------- charts


def bar_chart(
    title: str,
    items: Sequence[tuple[str, Optional[float]]],
    fmt=lambda v: f"{v:,.2f}",
    unit: str = "",
    color: str = PALETTE[0],
    max_value: Optional[float] = None,
    label_width: int = 260,
) -> str:
    """Horizontal bars, one per (label, value); a missing value is drawn as 'n/a'."""
    row_h, bar_w, pad = 26, 560, 8
    width = label_width + bar_w + 160
    height = pad * 2 + 24 + row_h * max(len(items), 1)
    values = [v for _, v in items if v is not None]
    top = max_value if max_value is not None else (max(values) if values else 1.0)
    top = top or 1.0
    parts = [
        f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{esc(title)}</title>',
        f'<text x="{pad}" y="{pad + 14}" class="ct">{esc(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = pad + 24 + i * row_h
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" class="cl">{esc(label)}</text>')
        if value is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + 17}" class="cv muted">n/a</text>')
            continue
        w = max(1.0, bar_w * max(float(value), 0.0) / float(top))
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{color}" rx="2"/>')
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 17}" class="cv">{esc(fmt(float(value)))}{esc(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    title: str,
    groups: Sequence[tuple[str, Sequence[Optional[float]]]],
    series: Sequence[str],
    fmt=lambda v: f"{v:,.1f}",
    unit: str = "",
    max_value: Optional[float] = None,
    label_width: int = 200,
) -> str:
    """Horizontal grouped bars: one group per label, one bar per series, with a legend."""
    bar_h, gap, bar_w, pad = 16, 10, 520, 8
    n = len(series)
    width = label_width + bar_w + 140
    legend_h = 22
    height = pad * 2 + 24 + legend_h + len(groups) * (n * bar_h + gap) + 4
    values = [v for _, vs in groups for v in vs if v is not None]
    top = max_value if max_value is not None else (max(values) if values else 1.0)
    top = top or 1.0
    parts = [
        f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{esc(title)}</title>',
        f'<text x="{pad}" y="{pad + 14}" class="ct">{esc(title)}</text>',
    ]
    x = label_width
    for j, name in enumerate(series):
        parts.append(f'<rect x="{x}" y="{pad + 26}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{pad + 37}" class="cl">{esc(name)}</text>')
        x += 16 + 14 * len(name) + 30
    y = pad + 24 + legend_h + 4
    for label, vals in groups:
        parts.append(f'<text x="{label_width - 8}" y="{y + (n * bar_h) / 2 + 5:.1f}" text-anchor="end" class="cl">{esc(label)}</text>')
        for j, v in enumerate(vals):
            by = y + j * bar_h
            if v is None:
                parts.append(f'<text x="{label_width + 4}" y="{by + 12}" class="cv muted">n/a</text>')
                continue
            w = max(1.0, bar_w * max(float(v), 0.0) / float(top))
            parts.append(f'<rect x="{label_width}" y="{by + 2}" width="{w:.1f}" height="{bar_h - 3}" fill="{PALETTE[j % len(PALETTE)]}" rx="2"/>')
            parts.append(f'<text x="{label_width + w + 6:.1f}" y="{by + 12}" class="cv">{esc(fmt(float(v)))}{esc(unit)}</text>')
        y += n * bar_h + gap
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- sections


def _section(anchor: str, heading: str, intro: str, *blocks: str) -> str:
    return f'<section id="{anchor}"><h2>{heading}</h2><p class="intro">{intro}</p>{"".join(blocks)}</section>'


def _department_years(con) -> str:
    rows = _query(con, "select * from marts.mart_department_year order by fiscal_year, admin_code, entity_level, department_name")
    chart = bar_chart(
        "支出合计（元）/ total budget by entity and year",
        [(f"{entity_label(r)} {r['fiscal_year']}", r["total_yuan"]) for r in rows],
        fmt=lambda v: f"{v:,.2f}",
        label_width=340,
    )
    body = table(
        ["部门/单位 entity", "级次 level", "地区 place", "年度 year", "合计 total (元)", "汇总口径 rollup", "本级公布 published (元)",
         "基本 basic (元)", "项目 project (元)", "三公 (元)", "口径 basis", "项目数 projects", "指标数 targets",
         "定量占比 quantitative", "核对 pass / fail"],
        [
            (esc(entity_label(r)), esc(LEVEL_LABEL.get(r["entity_level"], r["entity_level"])), esc(place(r)), esc(r["fiscal_year"]),
             yuan(r["total_yuan"]), esc(r.get("rollup_basis")), yuan(r.get("published_total_yuan")),
             yuan(r["basic_yuan"]), yuan(r["project_yuan"]), yuan(r["three_public_yuan"]), esc(r["total_basis"]),
             num(r["project_count"]), num(r["target_count"]), pct(r["quantitative_share"]),
             f'{num(r["reconciliation_passed"])} / {num(r["reconciliation_failed"])}')
            for r in rows
        ],
        numeric=(4, 6, 7, 8, 9, 11, 12, 13),
    )
    return _section(
        "department-year",
        "部门年度汇总 / Department by year",
        "One row per budget entity and fiscal year (marts.mart_department_year). A 部门 (department) and its 单位 (units) "
        "each have a row, labelled apart: do not add them up. A 部门's total is the larger of what it publishes and the sum "
        "of its 单位 (<em>汇总口径</em>: published or sum_of_units), so it includes its 单位. <em>口径</em> says where a "
        "published total comes from: the 支出总表 合计, the 部门整体 资金总额, or the sum of the project amounts.",
        chart,
        body,
    )


def _per_insured(con) -> str:
    rows = _dicts(run_analysis(con, "budget_per_insured_person"))
    chart = bar_chart(
        "人均预算（元/参保人）/ budget per insured person",
        [(f"{place(r)} {r['fiscal_year']}", r["yuan_per_insured"]) for r in rows],
        fmt=lambda v: f"{v:,.2f}",
        unit=" 元",
    )
    body = table(
        ["地区 place", "行政区划 code", "年度 year", "预算 budget (元)", "口径 basis", "参保人数 insured", "元/人 yuan per person",
         "依据指标 target used", "出处 source"],
        [
            (esc(place(r)), esc(r["admin_code"]), esc(r["fiscal_year"]), yuan(r["budget_yuan"]), esc(r["budget_basis"]),
             num(r["insured_persons"]), yuan(r["yuan_per_insured"]), esc(r["insured_indicator"]),
             f'<code>{esc(r["insured_source"])}</code>' if r["insured_source"] else "—")
            for r in rows
        ],
        numeric=(3, 5, 6),
    )
    return _section(
        "per-insured",
        "参保人均预算 / Budget per insured person, county by county",
        "Budget ÷ the largest annual 参保人数 (insured persons) target the county publishes (analyses/budget_per_insured_person.sql). "
        "Targets, not actual enrolment; a budget that is only the sum of projects understates the bureau.",
        chart,
        body,
    )


def _structure(con) -> str:
    rows = _dicts(run_analysis(con, "spending_structure_by_function"))
    blocks = []
    keys = []
    for r in rows:
        k = (r["department_id"], r["fiscal_year"])
        if k not in keys:
            keys.append(k)
    for k in keys:
        mine = [r for r in rows if (r["department_id"], r["fiscal_year"]) == k]
        first = mine[0]
        blocks.append(
            bar_chart(
                f"{first['department_name']} {first['fiscal_year']}：功能分类占比 / share of total by function",
                [(("　" if r["subject_level"] == 2 else "") + f"{r['subject_code']} {r['subject_name']}", float(r["share_of_total"]) * 100)
                 for r in mine],
                fmt=lambda v: f"{v:.2f}",
                unit="%",
                max_value=100.0,
                color=PALETTE[2],
                label_width=320,
            )
        )
    body = table(
        ["部门/单位 entity", "年度 year", "级 level", "科目 subject", "金额 amount (元)", "占合计 share of total", "占上级 share of 类", "出处 source"],
        [
            (esc(r["department_name"]), esc(r["fiscal_year"]), esc(r["level_name"]), esc(f"{r['subject_code']} {r['subject_name']}"),
             yuan(r["amount_yuan"]), pct(r["share_of_total"]), pct(r["share_of_parent"]),
             f"<code>{esc(r['source_file'])}:{esc(r['source_line'])}</code>")
            for r in rows
        ],
        numeric=(4, 5, 6),
    )
    return _section(
        "structure",
        "支出功能分类结构 / Spending by functional classification",
        "Shares of each 类 (level 1) and 款 (level 2) in the 支出总表 (analyses/spending_structure_by_function.sql). "
        "Only filings with a coded 支出总表 appear.",
        *blocks,
        body,
    )


def _ambition(con) -> str:
    rows = _dicts(run_analysis(con, "target_ambition_by_county"))
    chart = grouped_bar_chart(
        "目标中位数（%）/ median target, satisfaction vs coverage",
        [(f"{place(r)} {r['fiscal_year']}", [r["satisfaction_median_pct"], r["coverage_median_pct"]]) for r in rows],
        ["满意度 satisfaction", "参保率/覆盖 coverage"],
        fmt=lambda v: f"{v:.1f}",
        unit="%",
        max_value=100.0,
    )
    body = table(
        ["地区 place", "年度 year", "满意度指标数 satisfaction targets", "满意度 min–median–max", "满意度指标值 as published",
         "覆盖指标数 coverage targets", "覆盖 min–median–max", "覆盖指标值 as published"],
        [
            (esc(place(r)), esc(r["fiscal_year"]), num(r["satisfaction_targets"]),
             _range(r["satisfaction_min_pct"], r["satisfaction_median_pct"], r["satisfaction_max_pct"]),
             esc(r["satisfaction_texts"]), num(r["coverage_targets"]),
             _range(r["coverage_min_pct"], r["coverage_median_pct"], r["coverage_max_pct"]), esc(r["coverage_texts"]))
            for r in rows
        ],
        numeric=(2, 3, 5, 6),
    )
    return _section(
        "ambition",
        "目标水平 / Target ambition: satisfaction and coverage",
        "Annual satisfaction (满意度/满意率) and coverage (参保率, 覆盖率) targets side by side, in % "
        "(analyses/target_ambition_by_county.sql). Comparators are dropped: ≥90% and 90% both count as 90.",
        chart,
        body,
    )


def _range(lo, mid, hi) -> str:
    if lo is None:
        return "—"
    return f"{float(lo):g} – {float(mid):g} – {float(hi):g} %"


def _measurability(con) -> str:
    by_filing = _dicts(run_analysis(con, "target_measurability_by_filing"))
    by_indicator = _dicts(run_analysis(con, "target_measurability_by_indicator"))
    chart1 = bar_chart(
        "定量指标占比（按文件）/ quantitative share by filing",
        [(f"{r['source_file'][:3]} {r['department_name'] or ''} {r['fiscal_year'] or ''}", float(r["quantitative_share"]) * 100)
         for r in by_filing],
        fmt=lambda v: f"{v:.1f}",
        unit="%",
        max_value=100.0,
        color=PALETTE[3],
        label_width=300,
    )
    chart2 = bar_chart(
        "定量指标占比（按二级指标）/ quantitative share by 二级指标",
        [(f"{r['level1'] or '（未分级）'} / {r['level2'] or '—'}", float(r["quantitative_share"]) * 100) for r in by_indicator],
        fmt=lambda v: f"{v:.1f}",
        unit="%",
        max_value=100.0,
        color=PALETTE[5],
        label_width=300,
    )
    t1 = table(
        ["文件 filing", "部门 entity", "年度 year", "指标值 targets", "定量 quantitative", "定性 qualitative", "定量占比 share",
         "申报定量 declared 定量", "申报定性 declared 定性"],
        [
            (f"<code>{esc(r['source_file'])}</code>", esc(r["department_name"]), esc(r["fiscal_year"]), num(r["targets"]),
             num(r["quantitative"]), num(r["qualitative"]), pct(r["quantitative_share"]), num(r["declared_quantitative"]),
             num(r["declared_qualitative"]))
            for r in by_filing
        ],
        numeric=(3, 4, 5, 6, 7, 8),
    )
    t2 = table(
        ["一级指标 level 1", "二级指标 level 2", "English", "指标值 targets", "定量 quantitative", "定量占比 share", "文件数 filings"],
        [
            (esc(r["level1"]), esc(r["level2"]), esc(f"{r['level1_en'] or ''} / {r['level2_en'] or ''}"), num(r["targets"]),
             num(r["quantitative"]), pct(r["quantitative_share"]), num(r["filings"]))
            for r in by_indicator
        ],
        numeric=(3, 4, 5, 6),
    )
    return _section(
        "measurability",
        "目标可衡量性 / Target measurability",
        "Share of target values the parser reads as a comparator and a number or a deadline (定量) against prose (定性) "
        "(analyses/target_measurability_by_filing.sql, …_by_indicator.sql).",
        chart1,
        t1,
        chart2,
        t2,
    )


def _year_over_year(con) -> str:
    rows = _dicts(run_analysis(con, "year_over_year_change"))
    years = _query(con, "select count(distinct fiscal_year) as n, min(fiscal_year) as lo, max(fiscal_year) as hi from marts.mart_department_year")[0]
    if not rows:
        note = (
            f"<p class=\"note\">没有同一部门两个年度的数据 / No entity has two fiscal years in this warehouse "
            f"(years present: {esc(years['lo'])}–{esc(years['hi'])}, one per entity): nothing to compare yet.</p>"
        )
        return _section(
            "yoy", "同比变化 / Year over year", "Change per entity between consecutive years (analyses/year_over_year_change.sql).", note
        )
    chart = bar_chart(
        "支出合计变化（%）/ change in total budget",
        [(f"{r['department_name']} {r['previous_year']}→{r['fiscal_year']} · {'部门' if r['entity_level'] == 'department' else '单位'}",
          r["total_change_pct"]) for r in rows],
        fmt=lambda v: f"{v:+.2f}",
        unit="%",
        color=PALETTE[1],
        max_value=max([abs(float(r["total_change_pct"])) for r in rows if r["total_change_pct"] is not None] or [1.0]),
        label_width=320,
    )
    body = table(
        ["部门/单位 entity", "年度 years", "上年合计 previous (元)", "本年合计 current (元)", "变化 change (元)", "变化 %",
         "项目支出变化 project change (元)", "三公变化 three-public change (元)", "指标数 targets"],
        [
            (esc(r["department_name"]), f"{esc(r['previous_year'])}→{esc(r['fiscal_year'])}", yuan(r["previous_total_yuan"]),
             yuan(r["total_yuan"]), yuan(r["total_change_yuan"]),
             "—" if r["total_change_pct"] is None else f"{float(r['total_change_pct']):+.2f}%",
             yuan(r["project_change_yuan"]), yuan(r["three_public_change_yuan"]),
             f"{num(r['previous_target_count'])}→{num(r['target_count'])}")
            for r in rows
        ],
        numeric=(2, 3, 4, 5, 6, 7),
    )
    return _section(
        "yoy", "同比变化 / Year over year", "Change per entity between consecutive years (analyses/year_over_year_change.sql). "
        "Negative changes are drawn as empty bars; read the table.", chart, body
    )


PUBLISHED_TEXT_SQL = """
with
findings as (
    select * from audit.reconciliation where status = 'fail'
),
narrative_rows as (
    select source_file, source_line, topic, sentence from raw.narrative_amounts
),
narrative_match as (
    -- the 情况说明 sentence about the topic the check compared (the scope names it)
    select f.check_id, arg_max(n.sentence, length(n.topic)) as text
    from findings as f
    inner join narrative_rows as n
        on n.source_file = f.source_file and n.source_line = f.source_line and contains(f.scope, n.topic)
    group by f.check_id
),
narrative_any as (
    select source_file, source_line, string_agg(distinct sentence, '；') as text
    from narrative_rows group by all
),
lines as (
    select source_file, source_line,
        string_agg(distinct line_item || ' ' || published_amount || ' ' || published_unit, '；') as text
    from marts.fact_budget_line group by all
),
targets as (
    select source_file, source_line,
        string_agg(distinct coalesce(level3_published, '') || ' ' || target_text, '；') as text
    from marts.fact_target group by all
),
projects as (
    select source_file, source_line, string_agg(distinct project_name, '；') as text
    from marts.dim_project group by all
)
select
    f.check_name, f.scope, f.expected_yuan, f.actual_yuan, f.difference_yuan, f.tolerance_yuan,
    f.known_source_error, f.known_error_explanation, f.source_file, f.source_line,
    f.fiscal_year, d.department_name, d.entity_level, d.unit_code,
    coalesce(nm.text, l.text, t.text, p.text, na.text) as published_text,
from findings as f
left join marts.dim_department as d on d.department_id = f.department_id
left join narrative_match as nm on nm.check_id = f.check_id
left join lines as l on l.source_file = f.source_file and l.source_line = f.source_line
left join targets as t on t.source_file = f.source_file and t.source_line = f.source_line
left join projects as p on p.source_file = f.source_file and p.source_line = f.source_line
left join narrative_any as na on na.source_file = f.source_file and na.source_line = f.source_line
order by f.source_file, f.source_line, f.check_name, f.scope
"""


def _clip(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reconciliation(con) -> str:
    rows = _dicts(run_analysis(con, "reconciliation_health_by_filing"))
    chart = bar_chart(
        "核对通过率 / reconciliation pass rate by filing",
        [(f"{r['source_file'][:3]} {r['department_name'] or ''} ({num(r['checks_run'])})",
          None if r["pass_rate"] is None else float(r["pass_rate"]) * 100) for r in rows],
        fmt=lambda v: f"{v:.1f}",
        unit="%",
        max_value=100.0,
        color=PALETTE[2],
        label_width=300,
    )
    summary = table(
        ["文件 filing", "部门 entity", "年度 year", "核对数 checks", "通过 passed", "未通过 failed", "原文错误 known source errors",
         "未解释 unexplained", "通过率 pass rate", "首个问题行 first failing line"],
        [
            (f"<code>{esc(r['source_file'])}</code>", esc(r["department_name"]), esc(r["fiscal_year"]), num(r["checks_run"]),
             num(r["passed"]), num(r["failed"]), num(r["known_source_errors"]), num(r["unexplained_failures"]), pct(r["pass_rate"]),
             "—" if r["first_failure_line"] is None else f"<code>{esc(r['source_file'])}:{esc(r['first_failure_line'])}</code>")
            for r in rows
        ],
        numeric=(3, 4, 5, 6, 7, 8),
    )
    has_raw = _has_table(con, "raw", "narrative_amounts") and {"source_file", "source_line", "topic", "sentence"} <= {
        c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = 'raw' and table_name = 'narrative_amounts'"
        ).fetchall()
    }
    sql = PUBLISHED_TEXT_SQL if has_raw else PUBLISHED_TEXT_SQL.replace(
        "from raw.narrative_amounts",
        "from (select null::varchar as source_file, null::bigint as source_line, null::varchar as topic, "
        "null::varchar as sentence) where false",
    )
    findings = _query(con, sql)
    detail = table(
        ["出处 file:line", "部门/单位 entity", "核对 check", "范围 scope", "应为 expected (元)", "实为 actual (元)", "差额 difference (元)",
         "性质 nature", "原文 published text"],
        [
            (f"<code>{esc(f['source_file'])}:{esc(f['source_line'])}</code>",
             esc(f"{entity_label(f)} {f['fiscal_year'] or ''}".strip()) if f["department_name"] else "—",
             esc(f["check_name"]), esc(f["scope"]),
             yuan(f["expected_yuan"]), yuan(f["actual_yuan"]), yuan(f["difference_yuan"]),
             ("原文错误 documented source error" + (f"<br><small>{esc(f['known_error_explanation'])}</small>" if f["known_error_explanation"] else ""))
             if f["known_source_error"] else "<strong>未解释 unexplained</strong>",
             f'<span class="quote">{esc(_clip(f["published_text"])) if f["published_text"] else "—"}</span>')
            for f in findings
        ],
        numeric=(4, 5, 6),
        cls="findings",
    )
    return _section(
        "reconciliation",
        "勾稽核对 / Reconciliation health and findings",
        "Every figure a filing restates is checked (audit.reconciliation; analyses/reconciliation_health_by_filing.sql). "
        "Each failed check is listed with the entity it concerns (部门 or 单位), the file and line to open and the text the "
        "filing publishes there.",
        chart,
        summary,
        "<h3>未通过的核对 / Failed checks</h3>",
        detail,
    )


def _files(con) -> str:
    """Every file that did not load, with its verdict and reason, and the unrecognised tables."""
    rows = _query(
        con,
        """
        select f.source_file, f.status, f.document_format, f.table_count,
               (select string_agg(i.code || ': ' || i.message, ' · ' order by i.severity, i.code)
                from audit.parse_issues as i
                where i.filing_id = f.filing_id and (i.severity = 'error' or i.code in
                      ('tables_unrecognised', 'no_tables', 'duplicate', 'scanned_pdf', 'table_unrecognised'))) as reason
        from marts.dim_filing as f
        where f.status <> 'loaded'
        order by f.status, f.source_file
        """,
    )
    counts = _query(con, "select status, count(*) as n from marts.dim_filing group by 1 order by 1")
    tallies = ", ".join(f"{esc(c['status'])} {num(c['n'])}" for c in counts)
    listing = table(
        ["文件 file", "结果 verdict", "格式 format", "表格 tables", "原因 reason"],
        [
            (f"<code>{esc(r['source_file'])}</code>", esc(r["status"]), esc(r["document_format"] or "—"),
             num(r["table_count"] or 0), esc(_clip(r["reason"] or "—", 400)))
            for r in rows
        ],
        numeric=(3,),
    ) if rows else '<p class="note">Every file loaded.</p>'
    unrecognised = []
    if _has_table(con, "audit", "table_inventory"):
        unrecognised = _query(
            con,
            """select source_file, source_page, table_index, table_title, n_rows, n_cols, amount_cells
               from audit.table_inventory
               where recognised_as is null and amount_cells > 0
               order by source_file, table_index limit 200""",
        )
    tables_html = table(
        ["文件 file", "页 page", "表 table", "标题 title as printed", "行×列 size", "金额格 amount cells"],
        [
            (f"<code>{esc(t['source_file'])}</code>", esc(t["source_page"] or "—"), num(t["table_index"]),
             esc(t["table_title"] or "—"), f"{num(t['n_rows'])}×{num(t['n_cols'])}", num(t["amount_cells"]))
            for t in unrecognised
        ],
        numeric=(2, 5),
    ) if unrecognised else '<p class="note">No table holding amounts was left unrecognised.</p>'
    return _section(
        "files",
        "文件 / Files read and what became of them",
        f"Verdicts (marts.dim_filing.status): {tallies}. Files that did not load are listed with the reason "
        "(audit.parse_issues); tables that hold amounts but were not recognised follow (audit.table_inventory, "
        "first 200). <code>medwh inspect FILE</code> shows what the readers see in one file.",
        listing,
        "<h3>未识别的金额表 / Unrecognised tables with amounts</h3>",
        tables_html,
    )


CSS = f"""
body {{ font-family: {FONT_STACK}; margin: 24px 40px; color: #1a202c; background: #fff; }}
h1 {{ font-size: 26px; margin: 0 0 4px; }}
h2 {{ font-size: 20px; margin: 36px 0 6px; padding-top: 8px; border-top: 2px solid #e2e8f0; }}
h3 {{ font-size: 16px; margin: 20px 0 6px; }}
p.meta {{ color: #4a5568; margin: 0 0 12px; }}
p.intro {{ color: #2d3748; max-width: 1100px; }}
p.note {{ background: #fffbea; border-left: 4px solid #d69e2e; padding: 8px 12px; max-width: 1100px; }}
nav a {{ margin-right: 14px; color: #2b6cb0; text-decoration: none; }}
table {{ border-collapse: collapse; margin: 10px 0 18px; font-size: 13px; }}
th, td {{ border: 1px solid #e2e8f0; padding: 4px 8px; vertical-align: top; }}
th {{ background: #edf2f7; text-align: left; font-weight: 600; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.empty {{ color: #718096; font-style: italic; }}
table.findings td {{ max-width: 420px; }}
code {{ font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; background: #f7fafc; }}
.quote {{ color: #2d3748; }}
svg.chart {{ display: block; margin: 8px 0; font-family: {FONT_STACK}; }}
svg .ct {{ font-size: 14px; font-weight: 600; fill: #1a202c; }}
svg .cl {{ font-size: 12px; fill: #2d3748; }}
svg .cv {{ font-size: 12px; fill: #1a202c; }}
svg .muted {{ fill: #a0aec0; }}
"""


def write_report(warehouse: Path, out_path: Path) -> Path:
    """Write the report for ``warehouse`` to ``out_path`` (folders created); returns the path."""
    warehouse = Path(warehouse)
    out_path = Path(out_path)
    con = _open(warehouse)
    try:
        for schema, name in (("marts", "mart_department_year"), ("audit", "reconciliation"), ("marts", "fact_target")):
            if not _has_table(con, schema, name):
                raise RuntimeError(f"{warehouse} has no {schema}.{name}: rebuild it with `make warehouse`")
        stats = _query(
            con,
            """
            select
                (select count(*) from marts.dim_filing where status = 'loaded') as filings,
                (select count(*) from marts.dim_department) as entities,
                (select string_agg(distinct fiscal_year::varchar, ', ' order by fiscal_year::varchar)
                   from marts.mart_department_year) as years
            """,
        )[0]
        sections = [
            _department_years(con),
            _per_insured(con),
            _structure(con),
            _ambition(con),
            _measurability(con),
            _year_over_year(con),
            _reconciliation(con),
            _files(con),
        ]
    finally:
        con.close()
    nav = "".join(
        f'<a href="#{a}">{t}</a>'
        for a, t in (
            ("department-year", "部门年度"),
            ("per-insured", "人均预算"),
            ("structure", "支出结构"),
            ("ambition", "目标水平"),
            ("measurability", "可衡量性"),
            ("yoy", "同比"),
            ("reconciliation", "勾稽核对"),
            ("files", "文件"),
        )
    )
    generated = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>医保局预算分析报告 / Medical-security budget report</title>
<style>{CSS}</style>
</head>
<body>
<h1>医保局预算分析报告 / Medical-security budget report</h1>
<p class="meta">Warehouse <code>{esc(warehouse.name)}</code> · {num(stats['filings'])} filings loaded ·
{num(stats['entities'])} budget entities · fiscal years {esc(stats['years'])} · generated {esc(generated)}.
All amounts in 元 (yuan).</p>
<nav>{nav}</nav>
{''.join(sections)}
</body>
</html>
"""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(doc, encoding="utf-8")
    return out_path
