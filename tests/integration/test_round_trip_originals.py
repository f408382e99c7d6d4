"""Round trip through the readers: PDF, Word and Excel originals with known truth →
build_warehouse → the marts say exactly what the truth says.

``benchmarks.corpus --formats txt,pdf,docx,xlsx`` takes the formats in turn: 20 text
exports in the sample layouts and 20 部门预算 originals of each format
(:mod:`benchmarks.originals`: cover, 目录, 说明, the statements as ruled tables with
titles, 单位名称 / 单位 captions and merged header cells, and one 项目支出绩效目标表 per
project). Per format the warehouse must hold

* every file with its status and fiscal year;
* exactly the truth's multiset of budget facts — (source_file, statement, unit code,
  subject_code or line_item, measure, amount_yuan to the cent, source_page: the PDF
  page or .xlsx sheet the amount is printed on, none for .docx and text) — and the
  published text and unit of each;
* exactly the truth's multiset of targets (source_file, project, 三级指标, horizon,
  指标值, source_page);
* reconciliation failures exactly on the injected errors (the originals carry none).

A 项目支出绩效目标表 may name its 实施单位 without the code the statements print
(``[450]新乐市医疗保障局`` / ``新乐市医疗保障局``): ``intermediate.int_entities__resolved``
keeps one row per way the filing prints an entity (``entity_ref``), and both must be the
same department.
"""

from __future__ import annotations

import time

import duckdb
import pytest

pytestmark = pytest.mark.integration

N_EACH = 20
FORMATS = ("txt", "pdf", "docx", "xlsx")
SEED = 20240623
SHOW = 25
ORIGINALS = ("pdf", "docx", "xlsx")


@pytest.fixture(scope="module")
def originals_trip(tmp_path_factory):
    from benchmarks.corpus import generate
    from medwh.build import build_warehouse

    root = tmp_path_factory.mktemp("round_trip_originals")
    started = time.perf_counter()
    manifest = generate(N_EACH * len(FORMATS), root / "corpus", seed=SEED, quiet=True, formats=FORMATS)
    generated = time.perf_counter()
    result = build_warehouse(root / "corpus" / "filings", root / "warehouse.duckdb", quiet=True,
                             target_path=root / "target")
    built = time.perf_counter()
    con = duckdb.connect(str(result.warehouse), read_only=True)
    print(f"\noriginals round trip: generated {manifest['files']} files in {generated - started:.1f}s, "
          f"loaded in {result.load.seconds:.1f}s, dbt {result.dbt_seconds:.1f}s, total {built - started:.1f}s")
    yield con, root / "corpus" / "truth", manifest, result
    con.close()


def _diff(con, ours: str, theirs: str) -> tuple[list, list]:
    missing = con.execute(f"select * from ({theirs}) except all select * from ({ours}) order by all").fetchall()
    extra = con.execute(f"select * from ({ours}) except all select * from ({theirs}) order by all").fetchall()
    return missing, extra


def _report(kind: str, missing: list, extra: list) -> str:
    lines = [f"{kind}: {len(missing)} in the truth but not in the warehouse, {len(extra)} in the warehouse only"]
    lines += [f"  missing {r}" for r in missing[:SHOW]]
    lines += [f"  extra   {r}" for r in extra[:SHOW]]
    return "\n".join(lines)


def _of(fmt: str) -> str:
    """A SQL condition: the source_file is of this format (file names end in the format's suffix)."""
    return f"source_file like '%.{fmt}'"


def test_build_succeeded(originals_trip):
    _, _, manifest, result = originals_trip
    assert result.load.failed == 0, result.load.skipped
    assert result.load.loaded + result.load.duplicates == manifest["files"]
    assert manifest["by_format"] == {f: N_EACH for f in FORMATS}
    assert set(result.tests) <= {"pass", "warn"}, result.failures


@pytest.mark.parametrize("fmt", FORMATS)
def test_read_as_their_format(originals_trip, fmt):
    con, _, _, _ = originals_trip
    got = con.execute(f"select document_format, count(*) from marts.dim_filing where {_of(fmt)} and status = 'loaded' "
                      "group by 1").fetchall()
    assert got == [("text" if fmt == "txt" else fmt, N_EACH)]


def test_filings_statuses_and_years(originals_trip):
    con, truth, _, _ = originals_trip
    missing, extra = _diff(
        con,
        "select source_file, status, case when status = 'loaded' then fiscal_year end from marts.dim_filing",
        f"select source_file, status, case when status = 'loaded' then fiscal_year end "
        f"from read_parquet('{truth}/filings.parquet')",
    )
    assert not (missing or extra), _report("filings (status, fiscal_year)", missing, extra)


@pytest.mark.parametrize("fmt", FORMATS)
def test_budget_facts_exact(originals_trip, fmt):
    con, truth, _, _ = originals_trip
    expected = con.execute(f"select count(*) from read_parquet('{truth}/budget_facts.parquet') where {_of(fmt)}").fetchone()[0]
    got = con.execute(f"select count(*) from marts.fact_budget_line where {_of(fmt)}").fetchone()[0]
    assert got == expected > N_EACH * 10, (got, expected)
    # the unit code: the department's (see the module doc for why not int_entities__resolved)
    missing, extra = _diff(
        con,
        f"""select f.source_file, f.statement, d.unit_code, coalesce(f.subject_code, f.line_item), f.measure,
                   f.amount_yuan, f.source_page
            from marts.fact_budget_line as f inner join marts.dim_department as d using (department_id)
            where f.{_of(fmt)}""",
        f"select source_file, statement, unit_code, coalesce(subject_code, line_item), measure, amount_yuan, source_page "
        f"from read_parquet('{truth}/budget_facts.parquet') where {_of(fmt)}",
    )
    assert not (missing or extra), _report(f"budget facts ({fmt})", missing, extra)


@pytest.mark.parametrize("fmt", FORMATS)
def test_published_text_and_unit_kept(originals_trip, fmt):
    con, truth, _, _ = originals_trip
    missing, extra = _diff(
        con,
        "select source_file, statement, coalesce(subject_code, line_item), measure, published_amount, published_unit "
        f"from marts.fact_budget_line where {_of(fmt)}",
        "select source_file, statement, coalesce(subject_code, line_item), measure, published_amount, published_unit "
        f"from read_parquet('{truth}/budget_facts.parquet') where {_of(fmt)}",
    )
    assert not (missing or extra), _report(f"published amounts ({fmt})", missing, extra)


@pytest.mark.parametrize("fmt", FORMATS)
def test_targets_exact(originals_trip, fmt):
    con, truth, _, _ = originals_trip
    expected = con.execute(f"select count(*) from read_parquet('{truth}/targets.parquet') where {_of(fmt)}").fetchone()[0]
    got = con.execute(f"select count(*) from marts.fact_target where {_of(fmt)}").fetchone()[0]
    assert got == expected > N_EACH * 5, (got, expected)
    missing, extra = _diff(
        con,
        "select t.source_file, p.project_name, t.level3_published, t.horizon, t.target_text, t.source_page "
        f"from marts.fact_target as t left join marts.dim_project as p using (project_id) where t.{_of(fmt)}",
        "select source_file, project, level3, horizon, target_text, source_page "
        f"from read_parquet('{truth}/targets.parquet') where {_of(fmt)}",
    )
    assert not (missing or extra), _report(f"targets ({fmt})", missing, extra)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reconciliation_fails_exactly_on_injected_errors(originals_trip, fmt):
    con, truth, _, _ = originals_trip
    passed = con.execute(f"select count(*) from audit.reconciliation where status = 'pass' and {_of(fmt)}").fetchone()[0]
    assert passed > N_EACH * 20, passed  # the checks ran on this format's filings
    missing, extra = _diff(
        con,
        f"select distinct source_file, check_name from audit.reconciliation where status = 'fail' and {_of(fmt)}",
        f"select distinct source_file, check_name from read_parquet('{truth}/expected_failures.parquet') "
        f"where {_of(fmt)}",
    )
    assert not (missing or extra), _report(
        f"reconciliation failures ({fmt}; missing = injected error not caught; extra = failure on clean data)",
        missing, extra)


def test_an_entity_printed_without_its_code_is_the_department_printed_with_it(originals_trip):
    # a department and its 本级 unit may share a name (539 / 539001): the name alone is the coded entity's
    # department, one of those the filing prints under that name
    con, _, _, _ = originals_trip
    pairs = con.execute(
        "select n.filing_id, n.entity_name, n.department_id, list(c.department_id order by c.unit_code) "
        "from intermediate.int_entities__resolved as n "
        "join intermediate.int_entities__resolved as c "
        "  on c.filing_id = n.filing_id and c.entity_name = n.entity_name and c.unit_code is not null "
        "where n.unit_code is null group by all order by all"
    ).fetchall()
    assert pairs, "no entity printed both with and without its code: the case this test is about is absent"
    wrong = [p for p in pairs if p[2] not in p[3]]
    assert not wrong, f"{len(wrong)} of {len(pairs)}: {wrong[:SHOW]}"
