"""Round trip: a synthetic corpus with known truth → build_warehouse → the marts say
exactly what the truth says.

``benchmarks.corpus`` writes ~300 filings in the five sample layouts (Word-table
部门预算 with unit parts, 000-style project tables, 001 approval forms, 003
tab-separated tables, 004 overall forms; mixed encodings and line ends, a few
duplicates) together with every fact, target and injected source error they
contain. The warehouse must hold

* exactly the truth's multiset of budget facts
  (source_file, statement, unit_code, subject_code or line_item, measure, amount_yuan);
* exactly the truth's multiset of targets (source_file, project, level3, horizon, target_text);
* a failed reconciliation check for each injected error and no other failure.

unit_code is the code the filing prints beside the entity in that filing
(intermediate.int_entities__resolved, per filing): dim_department keeps one code per
department across filings, and the same bureau prints different codes in different
layouts (450 in its 部门预算, 450002 in its project tables), as real filings do.
"""

from __future__ import annotations

import time

import duckdb
import pytest

pytestmark = pytest.mark.integration

N_FILINGS = 300
SEED = 20240617
SHOW = 25  # differences printed on failure


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    from benchmarks.corpus import generate
    from medwh.build import build_warehouse

    root = tmp_path_factory.mktemp("round_trip")
    started = time.perf_counter()
    manifest = generate(N_FILINGS, root / "corpus", seed=SEED, quiet=True)
    generated = time.perf_counter()
    result = build_warehouse(root / "corpus" / "filings", root / "warehouse.duckdb", quiet=True,
                             target_path=root / "target")
    built = time.perf_counter()
    con = duckdb.connect(str(result.warehouse), read_only=True)
    truth = root / "corpus" / "truth"
    print(f"\nround trip: generated {manifest['files']} files in {generated - started:.1f}s, "
          f"loaded in {result.load.seconds:.1f}s, dbt {result.dbt_seconds:.1f}s, total {built - started:.1f}s")
    yield con, truth, manifest, result
    con.close()


def _diff(con, ours: str, theirs: str) -> tuple[list, list]:
    """(rows of the truth missing from the warehouse, rows of the warehouse not in the truth), multisets."""
    missing = con.execute(f"select * from ({theirs}) except all select * from ({ours}) order by all").fetchall()
    extra = con.execute(f"select * from ({ours}) except all select * from ({theirs}) order by all").fetchall()
    return missing, extra


def _report(kind: str, missing: list, extra: list) -> str:
    lines = [f"{kind}: {len(missing)} in the truth but not in the warehouse, {len(extra)} in the warehouse only"]
    lines += [f"  missing {r}" for r in missing[:SHOW]]
    lines += [f"  extra   {r}" for r in extra[:SHOW]]
    return "\n".join(lines)


WAREHOUSE_FACTS = """
    select f.source_file, f.statement, e.unit_code, coalesce(f.subject_code, f.line_item) as line_key,
           f.measure, f.amount_yuan
    from marts.fact_budget_line as f
    inner join intermediate.int_entities__resolved as e using (filing_id, department_id)
"""


def test_build_succeeded(round_trip):
    _, _, manifest, result = round_trip
    assert result.load.failed == 0, result.load.skipped
    assert result.load.loaded + result.load.duplicates == manifest["files"]
    assert set(result.tests) <= {"pass", "warn"}, result.failures


def test_filings_statuses_and_years(round_trip):
    con, truth, _, _ = round_trip
    missing, extra = _diff(
        con,
        "select source_file, status, case when status = 'loaded' then fiscal_year end from marts.dim_filing",
        f"select source_file, status, case when status = 'loaded' then fiscal_year end "
        f"from read_parquet('{truth}/filings.parquet')",
    )
    assert not (missing or extra), _report("filings (status, fiscal_year)", missing, extra)


def test_budget_facts_exact(round_trip):
    con, truth, manifest, _ = round_trip
    # every fact row joins exactly one entity of its filing
    n_facts = con.execute("select count(*) from marts.fact_budget_line").fetchone()[0]
    n_joined = con.execute(f"select count(*) from ({WAREHOUSE_FACTS})").fetchone()[0]
    assert n_facts == n_joined, f"{n_facts} fact rows but {n_joined} after joining their entity"
    assert n_facts == manifest["budget_facts"] > 5000
    missing, extra = _diff(
        con,
        WAREHOUSE_FACTS,
        f"select source_file, statement, unit_code, coalesce(subject_code, line_item), measure, amount_yuan "
        f"from read_parquet('{truth}/budget_facts.parquet')",
    )
    assert not (missing or extra), _report("budget facts", missing, extra)


def test_published_text_and_unit_kept(round_trip):
    con, truth, _, _ = round_trip
    missing, extra = _diff(
        con,
        "select f.source_file, f.statement, coalesce(f.subject_code, f.line_item), f.measure, f.published_amount, "
        "f.published_unit from marts.fact_budget_line as f",
        f"select source_file, statement, coalesce(subject_code, line_item), measure, published_amount, published_unit "
        f"from read_parquet('{truth}/budget_facts.parquet')",
    )
    assert not (missing or extra), _report("published amounts", missing, extra)


def test_targets_exact(round_trip):
    con, truth, manifest, _ = round_trip
    n = con.execute("select count(*) from marts.fact_target").fetchone()[0]
    assert n == manifest["targets"] > 3000
    missing, extra = _diff(
        con,
        "select t.source_file, p.project_name, t.level3_published, t.horizon, t.target_text "
        "from marts.fact_target as t left join marts.dim_project as p using (project_id)",
        f"select source_file, project, level3, horizon, target_text from read_parquet('{truth}/targets.parquet')",
    )
    assert not (missing or extra), _report("targets", missing, extra)


def test_reconciliation_fails_exactly_on_injected_errors(round_trip):
    con, truth, manifest, _ = round_trip
    assert manifest["expected_failures"] >= 3  # the corpus does carry injected errors
    checks = con.execute("select count(*), count(*) filter (where status = 'pass') from audit.reconciliation").fetchone()
    assert checks[1] > 10000, checks  # the checks ran and mostly passed
    missing, extra = _diff(
        con,
        "select distinct source_file, check_name from audit.reconciliation where status = 'fail'",
        f"select distinct source_file, check_name from read_parquet('{truth}/expected_failures.parquet')",
    )
    assert not (missing or extra), _report(
        "reconciliation failures (missing = injected error not caught; extra = failure on clean data)", missing, extra
    )
