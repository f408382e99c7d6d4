"""``medwh report``: one self-contained HTML file, rendered in headless Chromium.

The report is written from the session's sample warehouse (tests/integration/conftest.py),
opened in headless Chromium (installed by the ``chromium`` fixture when missing), screenshot
(kept in the pytest tmp dir and copied to /tmp/screens/) and its DOM dumped: the headings,
the figures the filings print and the reconciliation findings with file:line must be there.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import filing_lines
from tests.integration.test_analysts import (  # noqa: F401  (chromium is a fixture)
    assert_not_blank,
    chromium,
    dump_dom,
    screenshot,
)

pytestmark = pytest.mark.integration

HEADINGS = (
    "部门年度汇总 / Department by year",
    "参保人均预算 / Budget per insured person, county by county",
    "支出功能分类结构 / Spending by functional classification",
    "目标水平 / Target ambition: satisfaction and coverage",
    "目标可衡量性 / Target measurability",
    "同比变化 / Year over year",
    "勾稽核对 / Reconciliation health and findings",
)


@pytest.fixture(scope="module")
def report(built, tmp_path_factory) -> Path:
    from medwh.report import write_report

    out = tmp_path_factory.mktemp("report") / "report.html"
    assert write_report(built.warehouse, out) == out
    return out


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", html, re.I)
    # the only URL is the SVG namespace, which is never fetched
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}
    assert html.count("<svg") >= 7
    assert "Noto Sans CJK SC" in html


def test_report_figures_come_from_the_filings(report):
    html = report.read_text(encoding="utf-8")
    # 新乐市医疗保障局 2021 支出合计 7723.25万元 (002:649), 湘阴县 单位 资金总额 5902.04万元 (003:74)
    assert filing_lines("002")[648].strip() == "7723.25" and "5902.04" in filing_lines("003")[73].split("\t")
    for figure in ("77,232,500.00", "59,020,400.00", "52,940,000.00", "156,000.00"):
        assert figure in html, figure
    # per insured person: 7723.25万元 ÷ 437000 and 5902.04万元 ÷ 579242
    for yuan, persons in (("77232500", 437000), ("59020400", 579242)):
        assert f"{(Decimal(yuan) / persons).quantize(Decimal('0.01'))}" in html
    # a reconciliation finding with its file:line and the sentence the filing prints there
    assert "002_6529f0b8e0e0d604.txt:1825" in html
    assert "城乡居民医保财政补助5318.27万元" in filing_lines("002")[1824]
    assert "城乡居民医保财政补助5318.27万元" in html


def test_report_renders_in_chromium(report, chromium, tmp_path):
    png = screenshot(chromium, report.as_uri(), tmp_path / "report.png", size=(1400, 2400), budget_ms=5000)
    colours, dominant = assert_not_blank(png, min_colours=64, max_dominant=0.95)
    dom = dump_dom(chromium, report.as_uri(), tmp_path, budget_ms=5000)
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in dom, heading
    assert "77,232,500.00" in dom and "176.73" in dom
    assert dom.count("<svg") >= 7
    # the sample has one year per department: the year-over-year section says so instead of a chart
    assert "No entity has two fiscal years" in dom


def test_report_cli_and_missing_warehouse(built, tmp_path):
    from medwh.cli import main
    from medwh.report import write_report

    out = tmp_path / "cli" / "report.html"
    assert main(["report", "--warehouse", str(built.warehouse), "--out", str(out)]) == 0
    assert out.exists() and "勾稽核对" in out.read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        write_report(tmp_path / "missing.duckdb", tmp_path / "r.html")
    assert main(["report", "--warehouse", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path / "r.html")]) == 2
