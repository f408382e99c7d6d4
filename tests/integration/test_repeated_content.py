"""Finding 7: one file that repeats its content (the same filing twice, or fifty times, in
one file) must not stop the build nor slow reconciliation down: the copies are read once
and audit.parse_issues says so (repeated_content)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb
import pytest

from medwh.build import build_warehouse
from tests.conftest import F002, FILINGS

pytestmark = pytest.mark.integration


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return sorted(con.execute(sql).fetchall())
    finally:
        con.close()


FACTS = """select source_file, source_line, value_line, statement, measure, amount_yuan
           from marts.fact_budget_line where source_file not in ('repeat_2x.txt', 'repeat_50x.txt')"""
TARGETS = """select source_file, source_line, target_text from marts.fact_target
             where source_file not in ('repeat_2x.txt', 'repeat_50x.txt')"""
CHECKS = """select check_name, status, source_file, source_line, expected_yuan, actual_yuan from audit.reconciliation
            where source_file not in ('repeat_2x.txt', 'repeat_50x.txt')"""


@pytest.fixture(scope="module")
def repeated_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("repeated")
    folder = out / "filings"
    shutil.copytree(FILINGS, folder)
    text = (FILINGS / F002).read_bytes()
    (folder / "repeat_2x.txt").write_bytes(text * 2)  # cat 002 002 > repeat_2x.txt
    (folder / "repeat_50x.txt").write_bytes(text * 50)
    started = time.perf_counter()
    result = build_warehouse(folder, out / "wh.duckdb", quiet=True, target_path=out / "target")
    return result, time.perf_counter() - started


def test_the_build_passes_and_reconciliation_stays_fast(repeated_build):
    result, seconds = repeated_build
    assert not result.failures and result.tests.get("pass", 0) >= 140
    assert result.dbt_seconds < 120, f"dbt build took {result.dbt_seconds:.0f}s with a 50-times repeated file"
    # each copy's checks exist once: one per check of the original filing
    per_file = dict(_rows(result.warehouse, "select source_file, count(*) from audit.reconciliation group by 1"))
    assert per_file["repeat_2x.txt"] == per_file["repeat_50x.txt"] == per_file[F002]


def test_repeated_content_is_a_warning(repeated_build):
    result, _ = repeated_build
    issues = _rows(
        result.warehouse,
        "select source_file, severity, message from audit.parse_issues where code = 'repeated_content'",
    )
    assert [(f, s) for f, s, _ in issues] == [("repeat_2x.txt", "warning"), ("repeat_50x.txt", "warning")]
    assert "repeats its content 1 time" in issues[0][2] and "repeats its content 49 time" in issues[1][2]


def test_the_copies_read_as_the_original(repeated_build):
    result, _ = repeated_build
    def facts(name):
        return _rows(result.warehouse, f"""select source_line, statement, measure, amount_yuan
                                            from marts.fact_budget_line where source_file = '{name}'""")
    assert facts("repeat_2x.txt") == facts("repeat_50x.txt") == facts(F002)


def test_the_other_files_facts_equal_a_clean_build(repeated_build, built):
    result, _ = repeated_build
    for sql in (FACTS, TARGETS, CHECKS):
        assert _rows(result.warehouse, sql) == _rows(built.warehouse, sql)
