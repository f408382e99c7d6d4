"""What analysts use: marts.mart_department_year, the queries in analyses/, audit.column_lineage,
the warehouse through SQLAlchemy (duckdb-engine) and the DuckDB 1.4 CLI, and the dbt docs site
rendered in headless Chromium.

Every figure asserted here is printed in the bundled filings; each test says where (file and
line) and, where cheap, reads the line to prove it. The sample warehouse is the session's
``built`` fixture (tests/integration/conftest.py); one more warehouse is built here, from the
sample plus a copy of 002 moved to the next year, for the year-over-year analysis.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FILINGS, filing_lines

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SCREENS = Path("/tmp/screens")
ANALYSES = (
    "budget_per_insured_person",
    "spending_structure_by_function",
    "target_ambition_by_county",
    "target_measurability_by_filing",
    "target_measurability_by_indicator",
    "year_over_year_change",
    "reconciliation_health_by_filing",
)
F002 = "002_6529f0b8e0e0d604.txt"
F003 = "003_2696e539d39fb95d.txt"


def D(text: str) -> Decimal:
    return Decimal(text)


def wan(text: str) -> Decimal:
    """A 万元 figure as printed → yuan."""
    return (Decimal(text) * 10000).quantize(Decimal("0.01"))


def share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def line_of(prefix: str, n: int) -> str:
    """Line n (1-based) of the bundled filing whose name starts with prefix."""
    return filing_lines(prefix)[n - 1]


# ------------------------------------------------------------------ headless Chromium helpers
# (test_report.py imports these)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def _find_chromium():
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


@pytest.fixture(scope="session")
def chromium():
    """Path of a headless Chromium with a CJK font; installed with apt when running as root."""
    exe = _find_chromium()
    if exe and _has_cjk_font():
        return exe
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=900)
        proc = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk"], env=env, capture_output=True, text=True, timeout=1800
        )
        exe = _find_chromium()
        if exe is None or not _has_cjk_font():
            pytest.fail(f"apt-get install chromium fonts-noto-cjk failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
        return exe
    pytest.fail(
        "these tests render HTML in headless Chromium with a CJK font: install them "
        "(Debian/Ubuntu: apt-get install chromium fonts-noto-cjk) or run the tests as root with apt available"
    )


def run_chromium(exe: str, url: str, work: Path, *extra: str, timeout: int = 120) -> subprocess.CompletedProcess:
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=work))  # a fresh --user-data-dir
    argv = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def screenshot(exe: str, url: str, png: Path, size=(1400, 900), budget_ms: int = 15000) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    proc = run_chromium(
        exe, url, png.parent, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", f"--virtual-time-budget={budget_ms}"
    )
    assert png.exists() and png.stat().st_size > 0, f"no screenshot written for {url}: {proc.stderr[-1500:]}"
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, SCREENS / png.name)
    return png


def dump_dom(exe: str, url: str, work: Path, budget_ms: int = 15000) -> str:
    proc = run_chromium(exe, url, work, "--dump-dom", f"--virtual-time-budget={budget_ms}")
    assert proc.returncode == 0 and proc.stdout, proc.stderr[-1500:]
    return proc.stdout


def png_pixels(path: Path):
    """(width, height, channels, rows of bytes) of an 8-bit non-interlaced PNG: stdlib zlib/struct."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    assert depth == 8 and interlace == 0 and colour_type in (0, 2, 4, 6), (depth, colour_type, interlace)
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a, c = (line[i - bpp], prev[i - bpp]) if i >= bpp else (0, 0)
                b = prev[i]
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def colour_stats(path: Path) -> tuple[int, float]:
    """(distinct colours, share of the most common colour)."""
    _, _, bpp, rows = png_pixels(path)
    counts: dict[bytes, int] = {}
    for row in rows:
        for i in range(0, len(row), bpp):
            px = row[i : i + bpp]
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    return len(counts), max(counts.values()) / total


def assert_not_blank(path: Path, min_colours: int = 64, max_dominant: float = 0.97) -> tuple[int, float]:
    colours, dominant = colour_stats(path)
    assert colours >= min_colours and dominant <= max_dominant, (
        f"{path} looks blank: {colours} distinct colours, the commonest covers {dominant:.1%}"
    )
    return colours, dominant


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[str, str]:
    """`dbt compile` into a temporary target path; the compiled analyses by name."""
    from medwh.build import run_dbt

    out = tmp_path_factory.mktemp("compile")
    run = run_dbt(["compile"], out / "compile.duckdb", quiet=True, target_path=out / "target")
    assert run.success, f"dbt compile failed; see {out / 'target' / 'logs'}"
    folder = out / "target" / "compiled" / "medsec_budget" / "analyses"
    sql = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.sql")}
    sql["__target__"] = str(out / "target")
    return sql


def run_sql(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


@pytest.fixture(scope="module")
def results(compiled, wh) -> dict[str, list[dict]]:
    return {name: run_sql(wh, compiled[name]) for name in ANALYSES}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, wh):
    """A warehouse from the sample plus a copy of 002 moved to 预算年度 2022, with the 部门's
    支出总表 合计 raised from 7723.25 to 7823.25 万元 (the line found through the sample
    warehouse's value_line)."""
    from medwh.build import build_warehouse
    from loaders.text import decode_filing

    (value_line, printed), = wh.execute(
        """select f.value_line, f.published_amount from marts.fact_budget_line f
           join marts.dim_department d on d.department_id = f.department_id
           where d.department_name = '新乐市医疗保障局' and f.statement = 'expenditure'
             and f.line_item_normalised = '合计' and f.measure = 'total'"""
    ).fetchall()
    assert printed == "7723.25"
    out = tmp_path_factory.mktemp("two_years")
    folder = out / "filings"
    folder.mkdir()
    for f in FILINGS.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    lines = list(decode_filing((FILINGS / F002).read_bytes()).lines)
    assert lines[value_line - 1].strip() == "7723.25", lines[value_line - 1]
    lines[value_line - 1] = lines[value_line - 1].replace("7723.25", "7823.25")
    text = "\n".join(lines)
    assert text.count("预算年度：2021") >= 2
    (folder / "002_next_year.txt").write_text(text.replace("预算年度：2021", "预算年度：2022"), encoding="utf-8")
    result = build_warehouse(folder, out / "two_years.duckdb", quiet=True, target_path=out / "target")
    con = duckdb.connect(str(result.warehouse), read_only=True)
    yield con, Path(result.warehouse)
    con.close()


@pytest.fixture(scope="module")
def lineage_con(built, tmp_path_factory):
    """audit.column_lineage of the sample build. If the build does not publish it (yet), it is
    written into a copy with medwh.lineage.publish_lineage; test_build_publishes_column_lineage
    says which."""
    from medwh.lineage import publish_lineage

    path = Path(built.warehouse)
    con = duckdb.connect(str(path), read_only=True)
    has = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'audit' and table_name = 'column_lineage'"
    ).fetchone()[0]
    if not has:
        con.close()
        copy = tmp_path_factory.mktemp("lineage") / "with_lineage.duckdb"
        shutil.copy(path, copy)
        publish_lineage(copy, path.parent / "target")
        con = duckdb.connect(str(copy), read_only=True)
    yield con
    con.close()


# ------------------------------------------------------------------ analyses compile and run


def test_analyses_compile_against_marts_and_audit_only(compiled):
    assert set(ANALYSES) <= set(compiled), sorted(compiled)
    for name in ANALYSES:
        sql = compiled[name]
        assert "{{" not in sql and "ref(" not in sql, name
        schemas = set(re.findall(r'"(\w+)"\."\w+"', sql))
        assert schemas and schemas <= {"marts", "audit"}, (name, schemas)
        head = sql.split("*/")[0]
        for part in ("Question", "How to read the result", "Caveats"):
            assert part in head, (name, part)


def test_every_analysis_runs_on_the_sample(results):
    for name in ANALYSES:
        if name == "year_over_year_change":
            assert results[name] == [], "one year per department in the sample: nothing to compare"
        else:
            assert results[name], name


# ------------------------------------------------------------------ mart_department_year


def mart(con, name: str, year: int) -> dict:
    rows = run_sql(con, f"select * from marts.mart_department_year where department_name = '{name}' and fiscal_year = {year}")
    return rows


def test_mart_department_year_xinle_from_the_expenditure_statement(wh):
    # 002 部门支出总表 of 新乐市医疗保障局 (万元), 合计 row at line 646: 7723.25 / 434.10 / 7289.15;
    # 三公 合计 15.60 at line 1733
    assert [line_of("002", n).strip() for n in (649, 650, 651)] == ["7723.25", "434.10", "7289.15"]
    (row,) = mart(wh, "新乐市医疗保障局", 2021)
    assert row["total_yuan"] == wan("7723.25") == D("77232500.00")
    assert row["basic_yuan"] == wan("434.10")
    assert row["project_yuan"] == wan("7289.15")
    assert row["three_public_yuan"] == wan("15.60")
    assert row["total_basis"] == "expenditure_statement"
    assert (row["county"], row["prefecture"], row["province"], row["admin_code"]) == ("新乐市", "石家庄市", "河北省", "130184")
    assert row["source_files"] == F002


def test_mart_department_year_xiangyin_from_the_overall_table(wh):
    # 003 line 74: 302001 湘阴县医疗保障局 5902.04 5902.04 … 608.04 5294 (资金总额, 基本支出, 项目支出)
    cells = line_of("003", 74).split("\t")
    assert {"5902.04", "608.04", "5294"} <= set(cells)
    rows = mart(wh, "湘阴县医疗保障局", 2022)
    by_level = {r["entity_level"]: r for r in rows}
    unit, dept = by_level["unit"], by_level["department"]
    assert unit["total_yuan"] == wan("5902.04") and unit["basic_yuan"] == wan("608.04")
    assert unit["project_yuan"] == wan("5294") == D("52940000.00")
    assert unit["three_public_yuan"] == wan("6.36")  # 三公 table, line 90
    assert unit["total_basis"] == "overall_budget"
    # the 部门 (302) publishes only its project line (line 9: 302 湘阴县医疗保障局 5294)
    assert line_of("003", 9).split("\t")[:3] == ["302", "湘阴县医疗保障局", "5294"]
    assert dept["project_yuan"] == D("52940000.00") and dept["total_basis"] == "project_sum"
    assert dept["basic_yuan"] is None
    # nine projects under 302001, each with its 资金总额 (lines 10 … 61), summing to the 5294
    assert unit["project_count"] == 9
    assert unit["project_sum_yuan"] == D("52940000.00")


def test_mart_department_year_counts_agree_with_the_facts(wh):
    rows = run_sql(wh, "select * from marts.mart_department_year")
    keys = [(r["department_id"], r["fiscal_year"]) for r in rows]
    assert len(keys) == len(set(keys))
    facts = {
        (d, y): (n, q)
        for d, y, n, q in wh.execute(
            "select department_id, fiscal_year, count(*), count(*) filter (where is_quantitative) from marts.fact_target group by all"
        ).fetchall()
    }
    checks = {
        (d, y): (n, p, f)
        for d, y, n, p, f in wh.execute(
            """select department_id, fiscal_year, count(*), count(*) filter (where status = 'pass'),
                      count(*) filter (where status = 'fail') from audit.reconciliation group by all"""
        ).fetchall()
    }
    for r in rows:
        k = (r["department_id"], r["fiscal_year"])
        n, q = facts.get(k, (0, 0))
        assert (r["target_count"], r["quantitative_target_count"]) == (n, q)
        if n:
            assert abs(r["quantitative_share"] - q / n) < 1e-4
        assert (r["reconciliation_checks"], r["reconciliation_passed"], r["reconciliation_failed"]) == checks.get(k, (0, 0, 0))
    # the mart's own dbt tests ran in the build
    comment = wh.execute(
        "select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'mart_department_year'"
    ).fetchone()[0]
    assert "**Primary key**: `department_id` + `fiscal_year`." in comment


# ------------------------------------------------------------------ the analyses' figures


def test_budget_per_insured_person(results):
    rows = {(r["county"] or r["prefecture"], r["fiscal_year"]): r for r in results["budget_per_insured_person"]}
    # 新乐市 2021: 支出合计 7723.25万元; the largest 参保人数 target is 城乡居民医保参保人数 >437000人 (002:4763)
    assert [line_of("002", n).strip() for n in (4765, 4767)] == ["城乡居民医保参保人数", ">437000人"]
    xl = rows[("新乐市", 2021)]
    assert xl["budget_yuan"] == D("77232500.00") and xl["insured_persons"] == 437000
    assert xl["yuan_per_insured"] == (D("77232500") / 437000).quantize(D("0.01")) == D("176.73")
    assert xl["insured_source"] == f"{F002}:4763"
    # 湘阴县 2022: the 单位's 资金总额 5902.04万元 (003:74) ÷ 城乡居民医保参保人数 579242 (003:74)
    assert "579242" in line_of("003", 74)
    xy = rows[("湘阴县", 2022)]
    assert xy["budget_yuan"] == D("59020400.00") and xy["insured_persons"] == 579242
    assert xy["yuan_per_insured"] == (D("59020400") / 579242).quantize(D("0.01")) == D("101.89")
    # 衡东县 publishes only rates (全民参保率 ≧95%), no head count
    assert rows[("衡东县", 2021)]["insured_persons"] is None and rows[("衡东县", 2021)]["yuan_per_insured"] is None


def test_spending_structure_xinle(results):
    rows = [r for r in results["spending_structure_by_function"] if r["department_name"] == "新乐市医疗保障局"]
    by_code = {r["subject_code"]: r for r in rows}
    # 002 部门支出总表, lines 656 ff.: 208 49.21, 210 7638.81, 221 35.23 of 合计 7723.25 (万元)
    printed = {"208": "49.21", "210": "7638.81", "221": "35.23", "21012": "5998.07"}
    for code, amount in printed.items():
        n = by_code[code]["source_line"]
        window = filing_lines("002")[n - 1 : n + 4]
        assert code in "".join(window) and amount in "".join(window), (code, n, window)
    total = D("7723.25")
    for code in ("208", "210", "221"):
        assert by_code[code]["level_name"] == "类"
        assert by_code[code]["amount_yuan"] == wan(printed[code])
        assert by_code[code]["share_of_total"] == share(D(printed[code]), total)
    assert [str(by_code[c]["share_of_total"]) for c in ("208", "210", "221")] == ["0.0064", "0.9891", "0.0046"]
    assert sum(by_code[c]["amount_yuan"] for c in ("208", "210", "221")) == wan("7723.25")
    assert by_code["21012"]["level_name"] == "款"
    assert by_code["21012"]["share_of_parent"] == share(D("5998.07"), D("7638.81")) == D("0.7852")


def test_target_ambition_xiangyin(results):
    (row,) = [r for r in results["target_ambition_by_county"] if r["county"] == "湘阴县"]
    # 003: satisfaction targets on lines 10 (1.00, unit %), 23 (95%以上), 30, 38, 39, 54, 57, 58 (99%),
    # 44, 47 (97%), 79 (100%)
    assert "1.00" in line_of("003", 10).split("\t") and "95%以上" in line_of("003", 23)
    assert "97%" in line_of("003", 44) and "100%" in line_of("003", 79)
    assert row["satisfaction_targets"] == 11 and row["satisfaction_numeric"] == 11
    assert (row["satisfaction_min_pct"], row["satisfaction_median_pct"], row["satisfaction_max_pct"]) == (95, 99, 100)
    assert row["satisfaction_read_as_fraction"] == 1  # the 1.00 on line 10
    assert row["satisfaction_texts"] == "1.00 | 100% | 95%以上 | 97% | 99%"
    # coverage: 督导覆盖率 ≥90% (15), 征缴覆盖率 ≥90% (16), 参保率(≥100%) 100% (75)
    assert row["coverage_targets"] == 3
    assert (row["coverage_min_pct"], row["coverage_max_pct"]) == (90, 100)
    # 衡东县 (004): one satisfaction target, 服务及监管对象满意度 ≧90%
    (hd,) = [r for r in results["target_ambition_by_county"] if r["county"] == "衡东县"]
    assert hd["satisfaction_targets"] == 1 and hd["satisfaction_max_pct"] == 90 and hd["satisfaction_texts"] == "≧90%"


def test_target_measurability(results, wh):
    per_filing = {r["source_file"]: r for r in results["target_measurability_by_filing"]}
    counts = dict(wh.execute("select f.source_file, count(*) from marts.fact_target t join marts.dim_filing f using (filing_id) group by 1").fetchall())
    assert {k: v["targets"] for k, v in per_filing.items()} == counts
    for r in per_filing.values():
        assert r["quantitative"] + r["qualitative"] == r["targets"]
        assert r["quantitative_share"] == share(D(r["quantitative"]), D(r["targets"]))
    # 003 declares 指标数据类型 定性 on 15 rows
    assert sum(1 for line in filing_lines("003") if "\t定性" in line) == 15
    assert per_filing[F003]["declared_qualitative"] == 15
    by_level2 = results["target_measurability_by_indicator"]
    assert sum(r["targets"] for r in by_level2) == sum(counts.values())
    shares = [r["quantitative_share"] for r in by_level2]
    assert shares == sorted(shares) and all(D(0) <= s <= D(1) for s in shares)


def test_reconciliation_health(results, wh):
    rows = {r["source_file"]: r for r in results["reconciliation_health_by_filing"]}
    assert set(rows) == {p.name for p in FILINGS.glob("*.txt")}
    expected = {
        f: (n, p, k)
        for f, n, p, k in wh.execute(
            """select fl.source_file, count(*), count(*) filter (where r.status = 'pass'),
                      count(*) filter (where r.status = 'fail' and r.known_source_error)
               from audit.reconciliation r join marts.dim_filing fl using (filing_id) group by 1"""
        ).fetchall()
    }
    for f, r in rows.items():
        assert (r["checks_run"], r["passed"], r["known_source_errors"]) == expected.get(f, (0, 0, 0))
        assert r["passed"] + r["failed"] == r["checks_run"]
    # 002's 情况说明 (line 1825) says 人员经费389.5万元 and 日常公用经费24.7万元: the tables say 408.08 / 26.02
    xl = rows[F002]
    assert xl["first_failure_line"] == 1825 and "389.5万元" in line_of("002", 1825)
    assert f"{F002}:1825" in xl["failures"] and xl["unexplained_failures"] == 0


# ------------------------------------------------------------------ year over year


def test_year_over_year_with_a_second_year(compiled, two_years):
    con, _ = two_years
    rows = run_sql(con, compiled["year_over_year_change"])
    by_name = {r["department_name"]: r for r in rows}
    assert set(by_name) == {"新乐市医疗保障局", "新乐市医疗保障局本级"}, rows
    dept = by_name["新乐市医疗保障局"]
    assert (dept["previous_year"], dept["fiscal_year"], dept["years_apart"]) == (2021, 2022, 1)
    assert dept["previous_total_yuan"] == wan("7723.25") and dept["total_yuan"] == wan("7823.25")
    assert dept["total_change_yuan"] == D("1000000.00")
    assert dept["total_change_pct"] == (D(100) * D("100") / D("7723.25")).quantize(D("0.01")) == D("1.29")
    assert dept["basic_change_yuan"] == 0 and dept["three_public_change_yuan"] == 0
    unit = by_name["新乐市医疗保障局本级"]
    assert unit["total_change_yuan"] == 0  # the copy changed the 部门's table only


def test_report_draws_the_year_over_year_change(two_years, tmp_path):
    from medwh.report import write_report

    _, path = two_years
    html = write_report(path, tmp_path / "report.html").read_text(encoding="utf-8")
    section = html.split('<section id="yoy">')[1].split("</section>")[0]
    assert "<svg" in section and "新乐市医疗保障局 2021→2022" in section
    assert "78,232,500.00" in section and "1,000,000.00" in section and "+1.29%" in section


# ------------------------------------------------------------------ column lineage


def test_build_publishes_column_lineage(built):
    """medwh.build publishes audit.column_lineage with the warehouse (wired in build.py)."""
    con = duckdb.connect(str(built.warehouse), read_only=True)
    try:
        n = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'audit' and table_name = 'column_lineage'"
        ).fetchone()[0]
    finally:
        con.close()
    assert n == 1, "build_warehouse did not write audit.column_lineage (call medwh.lineage.publish_lineage before publishing)"


def test_column_lineage_traces_amounts_to_the_published_text(lineage_con):
    rows = lineage_con.execute(
        """select source_model, source_column, source_kind, depth, path from audit.column_lineage
           where model = 'marts.fact_budget_line' and column_name = 'amount_yuan'"""
    ).fetchall()
    leaves = {(r[0], r[1]) for r in rows}
    assert leaves == {("raw.budget_lines", "published_amount"), ("raw.budget_lines", "published_unit")}, rows
    assert all(r[2] == "source" and r[3] == 2 and "staging.stg_raw__budget_lines.amount_yuan" in r[4] for r in rows)
    # through intermediate to a seed
    seeds = lineage_con.execute(
        """select source_model, source_column from audit.column_lineage
           where model = 'marts.dim_department' and column_name = 'admin_code' and source_kind = 'seed'"""
    ).fetchall()
    assert ("reference.admin_divisions", "admin_code") in seeds
    # through the ephemeral checks inlined in audit.reconciliation
    eph = lineage_con.execute(
        """select count(*) from audit.column_lineage
           where model = 'audit.reconciliation' and column_name = 'expected_yuan'
             and source_model = 'raw.budget_lines' and path like '%(ephemeral check__%'"""
    ).fetchone()[0]
    assert eph > 0


def test_column_lineage_covers_every_column_and_resolves_nearly_all(lineage_con):
    wanted = set(
        lineage_con.execute(
            """select table_schema || '.' || table_name, column_name from information_schema.columns
               where table_catalog = current_database() and table_schema in ('marts', 'audit')
                 -- written by the build itself, not by a dbt model: no SQL to trace
                 and table_name not in ('column_lineage', 'build_info')"""
        ).fetchall()
    )
    traced = set(lineage_con.execute("select distinct model, column_name from audit.column_lineage").fetchall())
    assert wanted <= traced, sorted(wanted - traced)[:10]
    total, unresolved = lineage_con.execute(
        "select count(*), count(*) filter (where source_kind = 'unresolved') from audit.column_lineage"
    ).fetchone()
    share_unresolved = unresolved / total
    print(f"column lineage: {total} leaves, {unresolved} unresolved ({share_unresolved:.1%})")
    assert total > 300 and share_unresolved < 0.05
    comment = lineage_con.execute(
        "select comment from duckdb_tables() where schema_name = 'audit' and table_name = 'column_lineage'"
    ).fetchone()[0]
    assert comment and "lineage" in comment.lower()


def test_column_lineage_from_a_compile_target_without_a_warehouse(compiled):
    from medwh.lineage import column_lineage

    rows = column_lineage(Path(compiled["__target__"]))
    leaves = {(r["source_model"], r["source_column"]) for r in rows if r["model"] == "marts.mart_department_year" and r["column"] == "total_yuan"}
    assert ("raw.budget_lines", "published_amount") in leaves
    unresolved = sum(r["source_kind"] == "unresolved" for r in rows)
    assert unresolved / len(rows) < 0.05


def test_unresolved_columns_are_recorded_not_dropped(tmp_path):
    """Stars over a table nobody describes cannot be expanded, and an unqualified column in a
    join of such tables cannot be placed: those leaves are kept as '*' / '?', never dropped."""
    import json

    from medwh.lineage import column_lineage

    def node(name, schema, sql, deps):
        return {
            "resource_type": "model", "schema": schema, "alias": name, "name": name, "package_name": "p",
            "config": {"materialized": "table"}, "compiled_code": sql, "depends_on": {"nodes": deps},
            "original_file_path": f"models/{name}.sql", "columns": {},
        }

    def source(name):
        return {"schema": "raw", "identifier": name, "name": name, "columns": {}}

    manifest = {
        "nodes": {
            "model.p.stg": node("stg", "staging", 'select *, a + 1 as b from "raw"."mystery"', ["source.p.raw.mystery"]),
            # b is stg's own column; z can only come through stg's `select *`; one is a literal
            "model.p.m": node("m", "marts", 'with final as (select b, upper(z) as zz, 1 as one from "staging"."stg") select * from final', ["model.p.stg"]),
            # the warehouse says m2 has b, q, k: all hidden behind a star that cannot be expanded
            "model.p.m2": node("m2", "marts", 'with final as (select s.*, 1 as k from "staging"."stg" as s) select * from final', ["model.p.stg"]),
            # y cannot be placed: stg or other?
            "model.p.m3": node("m3", "marts", 'select y from "staging"."stg" join "raw"."other" on true', ["model.p.stg", "source.p.raw.other"]),
        },
        "sources": {"source.p.raw.mystery": source("mystery"), "source.p.raw.other": source("other")},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    rows = column_lineage(tmp_path, schema={"marts": {"m2": {"b": "int", "q": "int", "k": "int"}}})
    got = {(r["model"], r["column"]): (r["source_model"], r["source_column"], r["source_kind"]) for r in rows}
    assert len(got) == len(rows)
    assert got[("marts.m", "b")] == ("raw.mystery", "a", "source")
    assert got[("marts.m", "zz")] == ("raw.mystery", "z", "source")
    assert got[("marts.m", "one")] == (None, "1", "expression")
    for column in ("b", "q", "k"):
        assert got[("marts.m2", column)] == ("staging.stg", "*", "unresolved")
    assert got[("marts.m3", "y")][1:] == ("?", "unresolved")


# ------------------------------------------------------------------ BI clients


def test_sqlalchemy_duckdb_engine_lists_marts_and_runs_an_analysis(built, compiled, tmp_path):
    from sqlalchemy import create_engine, text

    # a BI tool opens the file from its own process; in this one the session already holds it
    # open (DuckDB refuses a second connection with another configuration), so open a copy
    copy = tmp_path / "bi.duckdb"
    shutil.copy(built.warehouse, copy)
    engine = create_engine(f"duckdb:///{copy}", connect_args={"read_only": True})
    try:
        with engine.connect() as conn:
            tables = dict(
                conn.execute(
                    text("select table_name, comment from duckdb_tables() where schema_name = 'marts' order by 1")
                ).fetchall()
            )
            assert {"fact_budget_line", "fact_target", "dim_department", "mart_department_year"} <= set(tables)
            assert all(tables[t] and "Primary key" in tables[t] for t in ("fact_budget_line", "mart_department_year"))
            rows = conn.exec_driver_sql(compiled["budget_per_insured_person"]).mappings().all()
    finally:
        engine.dispose()
    xl = [r for r in rows if r["county"] == "新乐市"]
    assert xl and xl[0]["yuan_per_insured"] == D("176.73")


def test_duckdb_14_cli_runs_an_analysis(built, compiled, tmp_path):
    exe = shutil.which("duckdb", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    assert exe, "the duckdb CLI (pip package duckdb-cli) is a test dependency"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.4"), version
    script = tmp_path / "structure.sql"
    script.write_text(compiled["spending_structure_by_function"].strip().rstrip(";") + ";\n", encoding="utf-8")
    out = subprocess.run(
        [exe, "-readonly", "-csv", str(built.warehouse), "-c", f".read {script}"],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("3ee") and ",210," in ln)
    assert "卫生健康支出" in line and ",0.9891," in line, line


# ------------------------------------------------------------------ dbt docs in a browser


def test_static_docs_render_in_chromium(built, chromium, tmp_path):
    from medwh.docs import build_docs

    copy = tmp_path / "docs_warehouse.duckdb"  # dbt opens the file for writing; the session holds it open read-only
    shutil.copy(built.warehouse, copy)
    page = build_docs(copy, tmp_path / "docs")
    assert page.name == "static_index.html" and page.stat().st_size > 100_000
    html = page.read_text(encoding="utf-8")
    assert "mart_department_year" in html and "column_lineage" in html
    url = page.as_uri()
    graph = screenshot(chromium, url + "#!/overview?g_v=1", tmp_path / "docs_lineage_graph.png")
    model = screenshot(chromium, url + "#!/model/model.medsec_budget.fact_budget_line", tmp_path / "docs_model_fact_budget_line.png")
    focus = screenshot(
        chromium, url + "#!/model/model.medsec_budget.mart_department_year?g_v=1&g_i=%2Bmart_department_year%2B", tmp_path / "docs_graph_mart_department_year.png"
    )
    for png in (graph, model, focus):
        assert_not_blank(png)
    dom = dump_dom(chromium, url + "#!/model/model.medsec_budget.fact_budget_line", tmp_path)
    assert "fact_budget_line" in dom
    assert "One published amount" in dom  # the model's description
    assert "Stable key of the cell" in dom  # a column description (budget_line_id)


def test_build_docs_without_a_warehouse(tmp_path):
    from medwh.docs import build_docs

    with pytest.raises(FileNotFoundError, match="no warehouse"):
        build_docs(tmp_path / "missing.duckdb", tmp_path / "docs")
