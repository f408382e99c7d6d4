"""The short report that ends ``make warehouse`` / ``medwh build``."""

from __future__ import annotations

from typing import Iterator

FACT_TABLES = (
    "marts.fact_budget_line",
    "marts.fact_target",
    "marts.dim_project",
    "marts.dim_department",
    "marts.dim_filing",
)


def _scalar(con, sql: str, default=None):
    try:
        row = con.execute(sql).fetchone()
    except Exception:  # noqa: BLE001 - a summary must not fail a finished build
        return default
    return default if row is None else row[0]


def summary_lines(con, result) -> Iterator[str]:
    load = result.load
    yield ""
    yield f"warehouse: {result.warehouse}" + ("  (up to date: nothing changed, nothing rebuilt)" if getattr(result, "up_to_date", False) else "")
    yield (
        f"files read: {load.files} (loaded {load.loaded} of which {load.reused} unchanged and reused, "
        f"unrecognised {getattr(load, 'unrecognised', 0)}, duplicates {load.duplicates}, failed {load.failed}); "
        + (f"{load.pages} pages, " if getattr(load, "pages", 0) else "")
        + f"{load.bytes / 1e6:.2f} MB read in {load.seconds:.1f}s, dbt build {result.dbt_seconds:.1f}s"
    )
    inventory = con.execute(
        "select count(*), count(recognised_as), count(*) filter (where recognised_as is null and amount_cells > 0) "
        "from audit.table_inventory"
    ).fetchone() if _scalar(con, "select count(*) from audit.table_inventory") is not None else None
    if inventory and inventory[0]:
        yield (
            f"tables found: {inventory[0]}, recognised {inventory[1]}, unrecognised with amounts {inventory[2]}"
            + ('  (medwh query "select source_file, source_page, table_title from audit.table_inventory '
               'where recognised_as is null")' if inventory[2] else "")
        )
    for table in FACT_TABLES:
        n = _scalar(con, f"select count(*) from {table}")
        if n is not None:
            yield f"  {table}: {n} rows"
    tests = result.tests
    if tests:
        parts = ", ".join(f"{n} {status}" for status, n in sorted(tests.items()))
        yield f"dbt tests: {parts}"
    issues = con.execute(
        "select severity, count(*) from audit.parse_issues group by 1 order by 1"
    ).fetchall() if _scalar(con, "select count(*) from audit.parse_issues") is not None else []
    if issues:
        yield "parse issues: " + ", ".join(f"{n} {sev}" for sev, n in issues) + \
            "  (medwh query \"select * from audit.parse_issues\")"
    recon = _scalar(con, "select count(*) from audit.reconciliation")
    if recon:
        failed = con.execute(
            """select count(*), count(distinct filing_id), count(*) filter (where known_source_error)
               from audit.reconciliation where status = 'fail'"""
        ).fetchone()
        yield (
            f"reconciliation: {recon} checks, {failed[0]} failed in {failed[1]} filings "
            f"({failed[2]} documented source errors)"
        )
        if failed[0]:
            yield '  list them: medwh query "select check_name, scope, expected_yuan, actual_yuan, source_file, source_line from audit.reconciliation where status = \'fail\'"'
    for f, status, reason in load.skipped:
        yield f"skipped ({status}): {f}: {reason}"
