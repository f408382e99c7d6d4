"""Issue "Every template": the row-level checks compare the figures a reader sees on the page.

Each row of tests/real/expected_filings.py ROW_CHECKS was read by eye from the rendered page
(page beside it): its total column and the columns that add up to it. The check named must
compare exactly those figures — the total as expected, the sum of the parts as actual — and
pass. Checked against the shared build of samples + real-filings + real-corpus.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.real.expected_filings import ROW_CHECKS

pytestmark = pytest.mark.integration

UNIT = {"元": Decimal(1), "万元": Decimal(10000)}


def _yuan(printed: str, unit: str) -> Decimal:
    return (Decimal(printed.replace(",", "")) * UNIT[unit]).quantize(Decimal("0.01"))


def _params():
    for filing, rows in ROW_CHECKS.items():
        for row in rows:
            yield pytest.param(filing, row, id=f"{filing.split('/')[-1][:12]}-p{row['page']}-{row['scope']}")


@pytest.mark.parametrize("filing, row", list(_params()))
def test_row_columns_add_up_as_printed(real_wh, filing, row):
    total = _yuan(row["total"], row["unit"])
    parts = sum(_yuan(p, row["unit"]) for p in row["parts"])
    found = real_wh.execute(
        """select expected_yuan, actual_yuan, status from audit.reconciliation
           where source_file = ? and check_name = ? and scope = ? and expected_yuan = ?""",
        [f"real-filings/{filing}", row["check"], row["scope"], total],
    ).fetchall()
    assert found, f"p.{row['page']} {row['table_title']} / {row['row_label']}: {row['scope']} {row['total']} not compared"
    assert (total, parts, "pass") in found, found
