"""An analyst's first hour: the README's example queries give numbers one can quote, one rollup
rule in mart_department_year, `medwh load` never replaces a warehouse, `medwh export`, CLI
polish, DATE columns for BI tools, the contract in the repository, feedback on long make steps.

The sample warehouse is the session's ``built`` / ``wh`` (tests/integration/conftest.py). The
CLI opens the warehouse with another configuration than ``wh`` (read-only and locked), which
DuckDB refuses in the same process, so CLI calls run on a copy of the same build.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FILINGS, filing_lines

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
XINLE, XIANGYIN = "新乐市医疗保障局", "湘阴县医疗保障局"


def wan(text: str) -> Decimal:
    """A 万元 figure as printed → yuan."""
    return (Decimal(text) * 10000).quantize(Decimal("0.01"))


def rows_of(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def cli_wh(built, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("first_hour") / "warehouse.duckdb"
    shutil.copy(built.warehouse, copy)
    return copy


def cli(capsys, *argv) -> tuple[int, str, str]:
    from medwh.cli import main

    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------ the statement totals, from the filings


@pytest.fixture(scope="module")
def printed():
    """Figures as the sample filings print them (万元), each read from its line."""
    # 002 部门支出总表 of 新乐市医疗保障局, 合计 row: 7723.25 / 434.10 / 7289.15 (lines 649-651)
    assert [filing_lines("002")[n - 1].strip() for n in (649, 650, 651)] == ["7723.25", "434.10", "7289.15"]
    # 003 line 74: 302001 湘阴县医疗保障局 资金总额 5902.04; line 9: the 部门 302's project line 5294
    assert "5902.04" in filing_lines("003")[73].split("\t")
    assert filing_lines("003")[8].split("\t")[:3] == ["302", XIANGYIN, "5294"]
    return {"xinle_expenditure_total": wan("7723.25"), "xiangyin_unit_total": wan("5902.04"), "xiangyin_dept_projects": wan("5294")}


# ------------------------------------------------------------------ 1. the README's examples


def readme_sql() -> list[str]:
    """Every SQL example of the README: `medwh query "…"` and `make query SQL="…"` in ```sh blocks."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    found = []
    for block in blocks:
        found += re.findall(r'medwh query "([^"]+)"', block)
        found += re.findall(r'make query SQL="([^"]+)"', block)
    return found


def _dept_rule(wh) -> dict[tuple[str, int], tuple[Decimal, str]]:
    """The rollup rule, computed here from fact_budget_line and dim_department only:
    an entity's published total is its 支出总表 合计 (first printed), else its 部门整体 资金总额,
    else the sum of its project amounts (or its own project line); a department's figure is
    the larger of that and the sum of its units' published totals."""
    lines = rows_of(
        wh,
        """select department_id, fiscal_year, statement, measure, project_id, subject_id, line_item_normalised,
                  is_total_line, amount_yuan, source_file, source_line, value_line
           from marts.fact_budget_line order by source_file, source_line, value_line""",
    )
    depts = {r["department_id"]: r for r in rows_of(wh, "select * from marts.dim_department")}
    keys = {(r["department_id"], r["fiscal_year"]) for r in lines}
    keys |= {(r["department_id"], r["fiscal_year"]) for r in rows_of(wh, "select department_id, fiscal_year from marts.fact_target")}
    keys |= {(r["department_id"], r["fiscal_year"]) for r in rows_of(wh, "select department_id, fiscal_year from marts.dim_project")}
    keys |= {(r["department_id"], r["fiscal_year"]) for r in rows_of(
        wh, "select department_id, fiscal_year from marts.dim_filing where status = 'loaded' and department_id is not null")}
    published: dict[tuple[str, int], Decimal] = {}
    for key in keys:
        mine = [r for r in lines if (r["department_id"], r["fiscal_year"]) == key]
        exp_total = [r for r in mine if r["statement"] == "expenditure" and r["subject_id"] is None
                     and r["line_item_normalised"] == "合计" and r["measure"] == "total"]
        overall = [r for r in mine if r["statement"] == "overall_budget" and r["measure"] == "total"]
        projects = [r for r in mine if r["statement"] == "project_budget" and r["measure"] in ("total", "annual")]
        if exp_total:
            published[key] = exp_total[0]["amount_yuan"]
        elif overall:
            published[key] = overall[0]["amount_yuan"]
        elif projects:
            measure = "total" if any(r["measure"] == "total" for r in projects) else "annual"
            chosen = [r for r in projects if r["measure"] == measure]
            own = [r["amount_yuan"] for r in chosen if r["project_id"] is not None]
            line = [r["amount_yuan"] for r in chosen if r["project_id"] is None and r["is_total_line"]]
            if own or line:
                published[key] = sum(own) if own else sum(line)
    units: dict[tuple[str, int], Decimal] = {}
    for (d, y), amount in published.items():
        parent = depts[d]["parent_department_id"]
        if depts[d]["entity_level"] == "unit" and parent:
            units[(parent, y)] = units.get((parent, y), Decimal(0)) + amount
    rule = {}
    for key in set(published) | set(units):
        if depts[key[0]]["entity_level"] != "department":
            continue
        own, sub = published.get(key), units.get(key)
        if sub is not None and (own is None or sub > own):
            rule[key] = (sub, "sum_of_units")
        else:
            rule[key] = (own, "published")
    return rule


def test_readme_sum_examples_use_the_rules(capsys):
    text = README.read_text(encoding="utf-8")
    assert "How to sum correctly" in text
    for term in ("is_total_line", "measure", "entity_level"):
        assert term in text.split("How to sum correctly")[1].split("## ")[0], term
    # the old example that added 合计 lines to their children is gone
    assert "select statement, count(*), sum(amount_yuan) from marts.fact_budget_line group by 1" not in text
    for sql in readme_sql():
        reads_money = re.search(r"from marts\.(fact_budget_line|mart_department_year)\b", sql) and re.search(r"\b(amount|total)_yuan\b", sql)
        if reads_money:
            assert "entity_level = 'department'" in sql, f"a README example sums amounts without choosing one entity level: {sql}"


def test_every_readme_query_runs_and_gives_the_statement_totals(cli_wh, wh, printed, capsys):
    queries = readme_sql()
    assert len(queries) >= 8, queries
    checked = set()
    rule = _dept_rule(wh)
    names = {r["department_id"]: r["department_name"] for r in rows_of(wh, "select * from marts.dim_department")}
    for sql in queries:
        # through the CLI, as a reader would type it: exit 0, no error
        code, out, err = cli(capsys, "query", sql, "--warehouse", cli_wh, "--max-rows", 0)
        assert code == 0 and not err.strip(), (sql, err)
        result = rows_of(wh, sql)
        if "from marts.mart_department_year where entity_level = 'department' order by" in sql:
            got = {(r["department_name"], r["fiscal_year"]): (r["total_yuan"], r["rollup_basis"]) for r in result}
            assert got == {(names[d], y): v for (d, y), v in rule.items()}
            assert got[(XINLE, 2021)] == (printed["xinle_expenditure_total"], "published")
            assert got[(XIANGYIN, 2022)] == (printed["xiangyin_unit_total"], "sum_of_units")
            checked.add("department budgets")
        elif "f.statement = 'expenditure' and f.measure = 'total' and f.is_total_line" in sql:
            assert [(r["department_name"], r["fiscal_year"], r["amount_yuan"]) for r in result] == [
                (XINLE, 2021, printed["xinle_expenditure_total"])
            ]
            assert "77232500.00" in out and "154465000" not in out
            checked.add("expenditure total")
        elif "sum(total_yuan) as total_yuan from marts.mart_department_year" in sql:
            by_year: dict[int, Decimal] = {}
            for (d, y), (amount, _) in rule.items():
                by_year[y] = by_year.get(y, Decimal(0)) + amount
            assert {r["fiscal_year"]: r["total_yuan"] for r in result} == by_year
            # 2021: 新乐市 7723.25万元 once (not its 本级 unit again), 六安市 and 衡东县
            assert by_year[2021] == printed["xinle_expenditure_total"] + Decimal("9685000.00") + Decimal("8340200.00")
            assert by_year[2022] == printed["xiangyin_unit_total"]
            checked.add("budget by year")
        elif "s.subject_level = 1" in sql:
            # 002 支出总表 类 lines: 208 49.21, 210 7638.81, 221 35.23 (万元), adding up to the 合计 7723.25
            assert {r["subject_code"]: r["amount_yuan"] for r in result} == {
                "208": wan("49.21"), "210": wan("7638.81"), "221": wan("35.23")
            }
            assert sum(r["amount_yuan"] for r in result) == printed["xinle_expenditure_total"]
            checked.add("function classes")
        elif "count(*) filter (where is_total_line) as total_lines" in sql:
            direct = dict(wh.execute("select statement, count(*) from marts.fact_budget_line group by 1").fetchall())
            assert {r["statement"]: r["lines"] for r in result} == direct
            checked.add("statement lines")
        elif "from marts.dim_department" in sql:
            assert len(result) == wh.execute("select count(*) from marts.dim_department").fetchone()[0]
            checked.add("departments")
    assert checked == {"department budgets", "expenditure total", "budget by year", "function classes", "statement lines", "departments"}


def test_the_old_example_was_wrong(wh, printed):
    """Why the README changed: the old example adds 合计 lines to their children, the measures to
    each other and the 部门 to its 单位."""
    (old,) = wh.execute("select sum(amount_yuan) from marts.fact_budget_line where statement = 'expenditure'").fetchone()
    assert old == 16 * printed["xinle_expenditure_total"] == Decimal("1235720000.00")


def test_analyses_give_department_figures_once(wh):
    """Every analysis that sums money counts a department once: budget per insured person uses the
    department row of the mart (which includes its units)."""
    from medwh.report import run_analysis

    cols, rows = run_analysis(wh, "budget_per_insured_person")
    got = {(r[cols.index("county")] or r[cols.index("prefecture")], r[cols.index("fiscal_year")]): r for r in rows}
    rule = _dept_rule(wh)
    depts = {r["department_id"]: r for r in rows_of(wh, "select * from marts.dim_department")}
    by_place: dict[tuple[str, int], Decimal] = {}
    for (d, y), (amount, _) in rule.items():
        place = depts[d]["county"] or depts[d]["prefecture"]
        by_place[(place, y)] = by_place.get((place, y), Decimal(0)) + amount
    assert {k: r[cols.index("budget_yuan")] for k, r in got.items()} == by_place
    assert got[("湘阴县", 2022)][cols.index("budget_basis")] == "sum_of_units"
    for name in ("spending_structure_by_function", "year_over_year_change", "budget_per_insured_person"):
        text = (ROOT / "analyses" / f"{name}.sql").read_text(encoding="utf-8")
        assert "entity_level" in text, name


# ------------------------------------------------------------------ 2. one rollup rule


def test_rollup_rule_for_every_department_year(wh):
    rule = _dept_rule(wh)
    mart = rows_of(wh, "select * from marts.mart_department_year")
    depts = {r["department_id"]: r for r in rows_of(wh, "select * from marts.dim_department")}
    got = {(r["department_id"], r["fiscal_year"]): (r["total_yuan"], r["rollup_basis"]) for r in mart if r["entity_level"] == "department"}
    assert got == rule
    # every department of a unit in the mart has its row: entity_level = 'department' is the whole budget
    for r in mart:
        if r["entity_level"] == "unit":
            assert (r["parent_department_id"], r["fiscal_year"]) in got
            assert r["rollup_basis"] == "published" and r["units_total_yuan"] is None
            assert r["total_yuan"] == r["published_total_yuan"]
    for r in mart:
        if r["entity_level"] == "department":
            units = [u for u in mart if u["parent_department_id"] == r["department_id"] and u["fiscal_year"] == r["fiscal_year"]]
            amounts = [u["total_yuan"] for u in units if u["total_yuan"] is not None]
            unit_sum = sum(amounts, Decimal(0)) if amounts else None
            assert r["units_total_yuan"] == unit_sum
            assert r["total_yuan"] >= max(x for x in (r["published_total_yuan"], unit_sum) if x is not None)
    assert len(depts) >= len({d for d, _ in got})


def test_rollup_xiangyin_and_xinle(wh, printed):
    rows = {(r["department_name"], r["entity_level"]): r for r in rows_of(wh, "select * from marts.mart_department_year")}
    dept, unit = rows[(XIANGYIN, "department")], rows[(XIANGYIN, "unit")]
    # the 部门 publishes only its project line (5294万元); its one 单位 the 整体 budget (5902.04万元)
    assert dept["published_total_yuan"] == printed["xiangyin_dept_projects"]
    assert dept["units_total_yuan"] == unit["total_yuan"] == printed["xiangyin_unit_total"]
    assert (dept["total_yuan"], dept["rollup_basis"]) == (printed["xiangyin_unit_total"], "sum_of_units")
    xl = rows[(XINLE, "department")]
    assert (xl["total_yuan"], xl["rollup_basis"]) == (printed["xinle_expenditure_total"], "published")
    assert xl["units_total_yuan"] == printed["xinle_expenditure_total"]  # 本级 prints the same 7723.25


def test_rollup_rule_documented(wh):
    text = (ROOT / "models/marts/_mart_department_year.yml").read_text(encoding="utf-8")
    assert "rollup_basis" in text and "sum_of_units" in text and "larger of" in text
    comments = dict(wh.execute(
        "select column_name, comment from duckdb_columns() where schema_name = 'marts' and table_name = 'mart_department_year'"
    ).fetchall())
    for column in ("rollup_basis", "published_total_yuan", "units_total_yuan", "total_yuan", "fiscal_year_start"):
        assert comments.get(column), column
    assert "sum_of_units" in comments["rollup_basis"]


@pytest.fixture(scope="module")
def report_html(built, tmp_path_factory) -> str:
    from medwh.report import write_report

    out = tmp_path_factory.mktemp("first_hour_report") / "report.html"
    return write_report(built.warehouse, out).read_text(encoding="utf-8")


def test_report_labels_departments_and_units_apart(report_html):
    section = report_html.split('<section id="department-year">')[1].split("</section>")[0]
    chart = section.split("</svg>")[0]
    labels = re.findall(r'class="cl">([^<]+)</text>', chart)
    assert len(labels) == len(set(labels)), labels
    assert f"{XIANGYIN} · 部门 2022" in labels and f"{XIANGYIN} · 单位 302001 2022" in labels
    assert "59,020,400.00" in section and "sum_of_units" in section


def test_report_findings_name_their_entity(report_html, wh):
    section = report_html.split('<section id="reconciliation">')[1].split("</section>")[0]
    findings = section.split('<table class="findings">')[1].split("</table>")[0]
    assert "部门/单位 entity" in findings
    failed = rows_of(wh, """select d.department_name, d.entity_level from audit.reconciliation r
                            join marts.dim_department d using (department_id) where r.status = 'fail'""")
    assert failed
    body_rows = findings.split("<tbody>")[1].split("</tr>")
    assert len([r for r in body_rows if "<td" in r]) == len(failed)
    for row in body_rows:
        if "<td" in row:
            assert re.search(r"<td>[^<]+ · (部门|单位)[^<]*</td>", row), row


# ------------------------------------------------------------------ 3. medwh load never replaces a warehouse


def test_load_default_target_and_refusal(tmp_path, monkeypatch, capsys):
    from medwh.cli import DEFAULT_LOAD_TARGET, DEFAULT_WAREHOUSE

    assert DEFAULT_LOAD_TARGET != DEFAULT_WAREHOUSE and Path(DEFAULT_LOAD_TARGET).stem != "raw"
    monkeypatch.chdir(tmp_path)
    built = tmp_path / "warehouse.duckdb"
    built.write_bytes(b"a built warehouse")
    code, out, err = cli(capsys, "load", "--filings", FILINGS)
    assert code == 0, err
    target = tmp_path / DEFAULT_LOAD_TARGET
    assert target.exists() and built.read_bytes() == b"a built warehouse"
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.execute("select count(*) from raw.budget_lines").fetchone()[0] > 0
    finally:
        con.close()
    before = target.read_bytes()
    # an existing file: one line, exit 2, untouched
    code, out, err = cli(capsys, "load", "--filings", FILINGS)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--replace" in err
    assert target.read_bytes() == before
    code, out, err = cli(capsys, "load", "--filings", FILINGS, "--warehouse", built)
    assert code == 2 and "--replace" in err and built.read_bytes() == b"a built warehouse"
    code, out, err = cli(capsys, "load", "--filings", FILINGS, "--replace")
    assert code == 0 and "loaded" in out


# ------------------------------------------------------------------ 4. medwh export


@pytest.fixture(scope="module")
def expected_departments(cli_wh):
    from medwh.safequery import connect_locked

    con = connect_locked(cli_wh)
    try:
        cur = con.execute("select * from marts.dim_department")
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def _norm(v):
    if isinstance(v, Decimal):
        return v.normalize()
    if isinstance(v, float) and v.is_integer():
        return Decimal(int(v))
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    return v


def test_export_csv_round_trip(cli_wh, expected_departments, tmp_path, capsys):
    cols, rows = expected_departments
    out = tmp_path / "departments.csv"
    code, stdout, err = cli(capsys, "export", "marts.dim_department", out, "--warehouse", cli_wh)
    assert code == 0, err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    text = raw.decode("utf-8-sig")
    assert XIANGYIN in text and "新乐市医疗保障局本级" in text
    got = list(csv.reader(io.StringIO(text)))
    assert got[0] == cols
    as_text = [["" if v is None else str(v) for v in r] for r in rows]
    assert got[1:] == as_text


def test_export_query_to_parquet_and_xlsx(cli_wh, tmp_path, capsys):
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    from medwh.safequery import connect_locked

    sql = ("select department_name, entity_level, fiscal_year, fiscal_year_start, total_yuan, rollup_basis "
           "from marts.mart_department_year order by fiscal_year, department_name, entity_level")
    con = connect_locked(cli_wh)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        expected = cur.fetchall()
    finally:
        con.close()
    pq_out, xl_out = tmp_path / "q.parquet", tmp_path / "q.xlsx"
    assert cli(capsys, "export", "--sql", sql, pq_out, "--warehouse", cli_wh)[0] == 0
    table = pq.read_table(pq_out)
    assert table.column_names == cols
    assert [tuple(r.values()) for r in table.to_pylist()] == expected
    assert str(table.schema.field("total_yuan").type) == "decimal128(20, 2)"
    assert cli(capsys, "export", "--sql", sql, xl_out, "--warehouse", cli_wh)[0] == 0
    ws = load_workbook(xl_out).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == cols
    got = [tuple(_norm(v.date() if hasattr(v, "date") and c == "fiscal_year_start" else v) for v, c in zip(r, cols)) for r in values[1:]]
    assert got == [tuple(_norm(v) for v in r) for r in expected]
    # --format wins over the suffix
    odd = tmp_path / "q.data"
    assert cli(capsys, "export", "--sql", sql, odd, "--format", "csv", "--warehouse", cli_wh)[0] == 0
    assert odd.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_chinese_headings(cli_wh, tmp_path, capsys):
    from medwh.export import chinese_term

    assert chinese_term("支出合计（元）/ total budgeted expenditure") == "支出合计（元）"
    assert chinese_term("部门/单位 / the budget entity.") == "部门/单位"
    assert chinese_term("Stable key of a budget entity (部门 department)") is None
    assert chinese_term(None) is None
    out = tmp_path / "mart.csv"
    code, _, err = cli(capsys, "export", "marts.mart_department_year", out, "--chinese-headings", "--warehouse", cli_wh)
    assert code == 0, err
    head = next(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert {"支出合计（元）", "预算年度", "预算年度起始日", "汇总口径", "部门/单位名称"} <= set(head)
    assert "entity_level" in head  # its description starts in English: the column name
    assert len(head) == len(set(head))
    # a query's columns take the descriptions of the tables it reads
    out = tmp_path / "q.csv"
    code, _, err = cli(capsys, "export", "--sql", "select total_yuan, department_name from marts.mart_department_year", out,
                       "--chinese-headings", "--warehouse", cli_wh)
    assert code == 0, err
    assert next(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")))) == ["支出合计（元）", "部门/单位名称"]


def test_export_guards(cli_wh, tmp_path, capsys):
    before = cli_wh.read_bytes()
    # the same read-only guard as medwh query
    for sql in ("select * from read_csv('/etc/passwd')", "copy marts.dim_department to 'x.csv'",
                "drop table marts.dim_department", "select 1; select 2"):
        code, _, err = cli(capsys, "export", "--sql", sql, tmp_path / "x.csv", "--warehouse", cli_wh)
        assert code == 2 and "refused" in err, (sql, err)
    # never the warehouse itself, whatever the format
    for argv in (["marts.dim_department", cli_wh, "--format", "csv"], ["--sql", "select 1", cli_wh, "--format", "parquet"]):
        code, _, err = cli(capsys, "export", *argv, "--warehouse", cli_wh)
        assert code == 2 and "warehouse itself" in err
    assert cli_wh.read_bytes() == before
    code, _, err = cli(capsys, "export", "marts.no_such_table", tmp_path / "x.csv", "--warehouse", cli_wh)
    assert code == 2 and "no table" in err
    code, _, err = cli(capsys, "export", "marts.dim_department", tmp_path / "x.txt", "--warehouse", cli_wh)
    assert code == 2 and "--format" in err
    code, _, err = cli(capsys, "export", "--sql", "  ", tmp_path / "x.csv", "--warehouse", cli_wh)
    assert code == 2 and "empty" in err
    assert not (tmp_path / "x.csv").exists()


def test_export_opens_the_warehouse_read_only(cli_wh, tmp_path):
    """Exporting while another process holds the warehouse read-only works (a read-write
    opener would be refused)."""
    holder = subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "-c",
         f"import duckdb,sys,time; c=duckdb.connect({str(cli_wh)!r}, read_only=True); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        proc = subprocess.run(
            [str(ROOT / ".venv/bin/medwh"), "export", "marts.dim_filing", str(tmp_path / "f.parquet"), "--warehouse", str(cli_wh)],
            capture_output=True, text=True, timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------------ 5. CLI polish


def test_empty_query_says_so(cli_wh, capsys):
    for sql in ("", "   ", ";", "-- nothing\n"):
        code, out, err = cli(capsys, "query", sql, "--warehouse", cli_wh)
        assert code == 2 and "empty query" in err and len(err.strip().splitlines()) == 1, (sql, err)


def test_truncated_result_says_how_to_see_the_rest(cli_wh, capsys):
    code, out, err = cli(capsys, "query", "select * from range(100)", "--max-rows", 5, "--warehouse", cli_wh)
    assert code == 0 and "--max-rows" in err
    code, out, err = cli(capsys, "query", "select * from range(100)", "--max-rows", 0, "--warehouse", cli_wh)
    assert code == 0 and "--max-rows" not in err and all(re.search(rf"│\s+{n} │", out) for n in range(100))
    code, out, err = cli(capsys, "query", "select * from range(5)", "--warehouse", cli_wh)
    assert code == 0 and err == ""


def test_version(capsys):
    from medwh import __version__
    from medwh.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith(f"medwh {__version__}")


def test_every_option_has_help_with_its_default():
    import argparse

    from medwh.cli import build_parser

    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"build", "load", "query", "export", "docs", "report", "inspect"} <= set(subs.choices)
    for name, sub in subs.choices.items():
        formatter = sub._get_formatter()
        for action in sub._actions:
            if not action.option_strings or action.dest == "help":
                continue
            assert action.help, (name, action.option_strings)
            shown = formatter._expand_help(action)
            assert "default" in shown, (name, action.option_strings, shown)
            if action.default not in (None, False, True, argparse.SUPPRESS):
                assert str(action.default) in shown, (name, action.option_strings, shown)


def test_messages_name_the_cli_options(tmp_path, capsys):
    code, _, err = cli(capsys, "build", "--filings", tmp_path / "nope", "--warehouse", tmp_path / "w.duckdb")
    assert code == 2 and "--filings" in err and "FILINGS=" not in err
    code, _, err = cli(capsys, "load", "--filings", tmp_path / "nope", "--warehouse", tmp_path / "w.duckdb")
    assert code == 2 and "--filings" in err and "FILINGS=" not in err
    for path in (ROOT / "medwh").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"pass (FILINGS|WAREHOUSE|STRICT)=", text), path


# ------------------------------------------------------------------ 6. BI conventions


def test_fiscal_year_start_beside_fiscal_year(wh):
    for table in ("dim_filing", "fact_budget_line", "fact_target", "mart_department_year"):
        cols = rows_of(wh, """select column_name, data_type, comment, column_index from duckdb_columns()
                              where schema_name = 'marts' and table_name = ? order by column_index""", [table])
        by = {c["column_name"]: c for c in cols}
        assert by["fiscal_year_start"]["data_type"] == "DATE", table
        assert by["fiscal_year_start"]["column_index"] == by["fiscal_year"]["column_index"] + 1, table
        assert by["fiscal_year_start"]["comment"].startswith("预算年度起始日"), table
        (bad,) = wh.execute(
            f"select count(*) from marts.{table} where fiscal_year_start is distinct from make_date(fiscal_year, 1, 1)"
        ).fetchone()
        assert bad == 0, table


def test_readme_gives_the_bi_connection():
    analysts = README.read_text(encoding="utf-8").split("## For analysts")[1].split("\n## ")[0]
    assert "duckdb:////" in analysts and '"read_only": true' in analysts and "connect_args" in analysts
    assert "duckdb -readonly warehouse.duckdb" in analysts and "DBeaver" in analysts and "duckdb.read_only" in analysts
    assert "fiscal_year_start" in analysts


def test_readme_connection_string_works(built, tmp_path):
    from sqlalchemy import create_engine, text

    copy = tmp_path / "bi.duckdb"
    shutil.copy(built.warehouse, copy)
    engine = create_engine(f"duckdb:///{copy.resolve()}", connect_args={"read_only": True})
    assert str(engine.url).startswith("duckdb:////")
    try:
        with engine.connect() as conn:
            (d,) = conn.execute(text("select min(fiscal_year_start) from marts.mart_department_year")).fetchone()
    finally:
        engine.dispose()
    assert str(d) == "2020-01-01"


# ------------------------------------------------------------------ 7. the contract in the repository


def test_contract_in_the_repository():
    readme = README.read_text(encoding="utf-8")
    assert "(docs/CONTRACT.md)" in readme and "../shared/design/CONTRACT.md" not in readme
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    for term in ("source_page", "source_cell", "report_type", "audit.table_inventory", "`unrecognised`",
                 "reference.budget_statements", "fiscal_year_start", "rollup_basis", "sum_of_units"):
        assert term in contract, term
    statements = [line.split(",")[0] for line in (ROOT / "seeds" / "budget_statements.csv").read_text(encoding="utf-8").splitlines()[1:]]
    for s in statements:
        assert f"`{s}`" in contract, s


# ------------------------------------------------------------------ 8. feedback on long make steps


def test_make_says_what_it_is_doing():
    out = subprocess.run(["make", "-n", "-B", "test", "docs"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    install = next(i for i, l in enumerate(lines) if "pip install" in l and "-e" in l)
    assert any(l.startswith("echo") and "installing" in l for l in lines[:install])
    pytest_at = next(i for i, l in enumerate(lines) if "-m pytest" in l)
    said = [l for l in lines[install:pytest_at] if l.startswith("echo")]
    assert any("test" in l for l in said) and any(re.search(r"\d+\s*(-|–)?\s*\d*\s*(minutes|s\b)", l) for l in said), said
    docs_at = next(i for i, l in enumerate(lines) if "medwh docs" in l)
    assert any(l.startswith("echo") and "docs" in l and re.search(r"\d+ s", l) for l in lines[pytest_at:docs_at])
