"""Issue "Real filings in": one build of a folder holding the five samples,
../shared/real-filings and ../shared/real-corpus reads every file.

Every file gets a verdict in dim_filing; every table of every file that has any is
in audit.table_inventory with its cells staged; a narrative-only file says so; the
samples' facts are what the sample build gives. Figures below were read by hand
from the rendered pages (pdftoppm -png), page beside each.
"""

from __future__ import annotations

import pytest

from tests.conftest import REAL_CORPUS, REAL_FILINGS

pytestmark = pytest.mark.integration

JIANGSU_OFFICE = "real-filings/jiangsu-2019/江苏省人大常委会办公厅2019年部门预算公开表.pdf"


def _all(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_every_file_has_one_verdict(real_folder, real_wh):
    files = sorted(p.relative_to(real_folder).as_posix() for p in real_folder.rglob("*") if p.is_file())
    got = dict(_all(real_wh, "select source_file, status from marts.dim_filing"))
    assert sorted(got) == files
    assert set(got.values()) <= {"loaded", "unrecognised", "duplicate", "failed"}


def test_the_samples_load_exactly_as_before(real_wh):
    # the same per-file amounts as tests/integration/test_build_sample.py asserts for the sample build
    per_file = dict(
        _all(
            real_wh,
            """select source_file, count(*) from marts.fact_budget_line
               where source_file like 'samples/%' group by 1""",
        )
    )
    assert per_file == {
        "samples/000_0d865fbb591555cd.txt": 32,
        "samples/001_5e2b26b8bb821a85.txt": 12,
        "samples/002_6529f0b8e0e0d604.txt": 544,
        "samples/003_2696e539d39fb95d.txt": 23,
        "samples/004_ff68eaab89af36f2.txt": 4,
    }
    targets = _all(real_wh, "select count(*) from marts.fact_target where source_file like 'samples/%'")[0][0]
    assert targets == 410


def test_no_real_filing_fails_to_read(real_wh):
    # every PDF of real-filings has a text layer and both HTML pages are readable
    failed = _all(
        real_wh,
        """select f.source_file, string_agg(i.code || ': ' || i.message, '; ')
           from marts.dim_filing as f left join audit.parse_issues as i using (filing_id)
           where f.source_file like 'real-filings/%' and f.status = 'failed' group by 1""",
    )
    assert failed == []


def test_every_table_is_in_the_inventory_with_its_cells(real_wh):
    rows = _all(
        real_wh,
        """select f.source_file, f.table_count, count(t.table_id), coalesce(sum(t.n_cells), 0)
           from marts.dim_filing as f left join audit.table_inventory as t using (filing_id)
           where f.status in ('loaded', 'unrecognised') group by 1, 2""",
    )
    staged = dict(_all(real_wh, "select source_file, count(*) from staging.stg_raw__table_cells group by 1"))
    for source_file, table_count, inventoried, cells in rows:
        assert table_count == inventoried, source_file
        assert staged.get(source_file, 0) == cells, source_file
    with_tables = {r[0] for r in rows if r[2]}
    # every PDF of real-filings but the narrative-only ones, and the positioned-box 烟台 page
    expected = {
        f"real-filings/{p.relative_to(REAL_FILINGS).as_posix()}"
        for p in REAL_FILINGS.rglob("*.pdf")
        if f"real-filings/{p.relative_to(REAL_FILINGS).as_posix()}" not in NARRATIVE_ONLY
    } | {"real-filings/cities-2026/025_烟台__退役军人事务局_2026年部门预算.html"}
    assert expected <= with_tables, sorted(expected - with_tables)


NARRATIVE_ONLY = (
    "real-filings/cities-2026/002_北京__2026年北京市医疗保障局部门预算.pdf",  # 附件1: 说明 prose only, 8 pp
    "real-filings/cities-2026/035_昆明__审计局_2026年部门预算.html",  # 编制说明 only; the tables were an .xlsx
    "real-filings/jiangsu-2019/江苏省人大常委会2019年度部门预算公开.pdf",  # 说明 only; p.8 "公开表附后"
)


@pytest.mark.parametrize("source_file", NARRATIVE_ONLY)
def test_a_narrative_only_file_says_so(real_wh, source_file):
    status, tables = _all(real_wh, "select status, table_count from marts.dim_filing where source_file = ?", [source_file])[0]
    assert (status, tables) == ("unrecognised", 0)
    codes = {r[0] for r in _all(real_wh, "select code from audit.parse_issues where source_file = ?", [source_file])}
    assert "no_tables" in codes


def test_html_shells_named_pdf_are_read_as_html(real_wh):
    shells = sorted(
        f"real-corpus/{p.relative_to(REAL_CORPUS).as_posix()}"
        for p in REAL_CORPUS.rglob("*.pdf")
        if not p.read_bytes()[:1024].lstrip().startswith(b"%PDF")
    )
    assert len(shells) == 5  # the corpus README: five 重庆 "PDFs" are saved HTML page shells
    got = dict(_all(real_wh, "select source_file, document_format from marts.dim_filing where document_format = 'html'"))
    assert all(got.get(s) == "html" for s in shells), shells


def test_a_hand_read_table_reaches_the_staged_cells(real_wh):
    # 江苏省人大常委会办公厅 2019 公开表五 财政拨款支出预算表（功能科目）, page 5, 单位：万元:
    # 合计 18,330.37; 2010101 行政运行 7,448.20; 2080505 机关事业单位基本养老保险缴费支出 607.10
    cells = _all(
        real_wh,
        """select c.cell_text, c.source_page, c.row_index, c.col_index
           from staging.stg_raw__table_cells as c
           where c.source_file = ? and c.source_page = 5""",
        [JIANGSU_OFFICE],
    )
    by_text = {t: (p, r, k) for t, p, r, k in cells}
    assert {"18,330.37", "7,448.20", "607.10", "行政运行", "2010101"} <= set(by_text)
    row_of = lambda t: by_text[t][1]  # noqa: E731
    assert row_of("2010101") == row_of("行政运行") == row_of("7,448.20")
    title = _all(
        real_wh,
        "select table_title from audit.table_inventory where source_file = ? and source_page = 5",
        [JIANGSU_OFFICE],
    )
    assert title == [("财政拨款支出预算表（功能科目）",)]
