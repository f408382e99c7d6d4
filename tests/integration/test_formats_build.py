"""Issue "Real filings in": a build over documents of every format, good and bad.

Documents made here from the samples' content (a PDF, a .docx, a .xlsx, a .csv and a
saved page) are read and their tables staged; broken ones (random bytes behind a PDF or
ZIP header, a truncated PDF, a password, a scan, random bytes behind an OLE2 header, a
spreadsheet with a cell in its far corner) each end as a clear error in
audit.parse_issues, and the samples still load exactly as before.
"""

from __future__ import annotations

import random
import shutil

import duckdb
import pytest

from tests.conftest import FILINGS
from tests.unit.test_reader_office import _patch_zip, make_docx, make_xlsx
from tests.unit.test_reader_pdf import Sheet, _image_page, draw_header, draw_row

pytestmark = pytest.mark.integration

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sample_pdf() -> bytes:
    s = Sheet()
    s.text(200, 40, "部门预算收支总表", size=14)
    s.text(50, 66, "单位：万元")
    top = draw_header(s, 80)
    for row in (
        ["1", "一般公共预算拨款收入", "2,858.50", "社会保障和就业支出", "2,858.50"],
        ["2", "政府性基金预算拨款收入", "0.00", "卫生健康支出", "0.00"],
    ):
        top = draw_row(s, top, row)
    return s.pdf()


def _far_corner_xlsx() -> bytes:
    def widen(xml: bytes) -> bytes:  # a value in the sheet's far corner (XFD1048576)
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')

    return _patch_zip(make_xlsx(), "xl/worksheets/sheet2.xml", widen)


@pytest.fixture(scope="module")
def formats_build(tmp_path_factory):
    from medwh.build import build_warehouse

    root = tmp_path_factory.mktemp("formats")
    folder = root / "filings"
    shutil.copytree(FILINGS, folder)
    good, bad = folder / "good", folder / "bad"
    good.mkdir()
    bad.mkdir()
    pdf = _sample_pdf()
    (good / "收支总表.pdf").write_bytes(pdf)
    (good / "收支总表.docx").write_bytes(make_docx())
    (good / "预算公开.xlsx").write_bytes(make_xlsx())
    (good / "收支总表.csv").write_text(
        "部门预算收支总表\n单位：万元\n收入项目,预算数,支出项目,预算数\n一般公共预算拨款收入,\"2,858.50\",社会保障和就业支出,\"2,858.50\"\n",
        encoding="gbk",
    )
    (good / "收支总表.html").write_text(
        "<html><head><meta charset='utf-8'></head><body><h3>部门预算收支总表</h3><p>单位：万元</p>"
        "<table><tr><td rowspan=2>收入项目</td><td>预算数</td></tr><tr><td>2,858.50</td></tr></table></body></html>",
        encoding="utf-8",
    )
    rnd = random.Random(11)
    (bad / "garbage.pdf").write_bytes(b"%PDF-1.4\n" + rnd.randbytes(5000))
    (bad / "cut.pdf").write_bytes(pdf[: len(pdf) // 3])
    locked = Sheet(encrypt="pw")
    locked.text(50, 50, "部门预算收支总表")
    (bad / "locked.pdf").write_bytes(locked.pdf())
    scan = Sheet()
    _image_page(scan)
    (bad / "scan.pdf").write_bytes(scan.pdf())
    (bad / "junk.docx").write_bytes(b"PK\x03\x04" + rnd.randbytes(3000))
    (bad / "junk.doc").write_bytes(_OLE2 + rnd.randbytes(3000))
    (bad / "far_corner.xlsx").write_bytes(_far_corner_xlsx())
    return build_warehouse(folder, root / "wh.duckdb", quiet=True, target_path=root / "target")


def _q(build, sql, params=()):
    con = duckdb.connect(str(build.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_the_samples_still_load_exactly(formats_build):
    got = dict(_q(formats_build, "select source_file, count(*) from marts.fact_budget_line group by 1"))
    assert {f: n for f, n in got.items() if "/" not in f} == {
        "000_0d865fbb591555cd.txt": 32,
        "001_5e2b26b8bb821a85.txt": 12,
        "002_6529f0b8e0e0d604.txt": 544,
        "003_2696e539d39fb95d.txt": 23,
        "004_ff68eaab89af36f2.txt": 4,
    }


def test_every_format_is_read_and_its_tables_staged(formats_build):
    got = {
        f: (fmt, tables)
        for f, fmt, tables, status in _q(
            formats_build, "select source_file, document_format, table_count, status from marts.dim_filing"
        )
        if f.startswith("good/")
    }
    assert got == {
        "good/收支总表.pdf": ("pdf", 1),
        "good/收支总表.docx": ("docx", 2),  # make_docx: 收支总表 and 财政拨款收支总表
        "good/预算公开.xlsx": ("xlsx", got["good/预算公开.xlsx"][1]),
        "good/收支总表.csv": ("csv", 1),
        "good/收支总表.html": ("html", 1),
    }
    assert got["good/预算公开.xlsx"][1] >= 2  # one table per sheet
    # the PDF's amount cell, with its page and a locator a person can follow
    cells = _q(
        formats_build,
        "select cell_text, source_page, source_cell from staging.stg_raw__table_cells "
        "where source_file = 'good/收支总表.pdf' and cell_text = '2,858.50' order by source_cell",
    )
    assert [(t, p) for t, p, _ in cells] == [("2,858.50", 1), ("2,858.50", 1)]
    assert all(c.startswith("p.1 表1 r") for _, _, c in cells)
    titles = dict(_q(formats_build, "select source_file, table_title from audit.table_inventory where source_file like 'good/%.pdf'"))
    assert titles == {"good/收支总表.pdf": "部门预算收支总表"}


@pytest.mark.parametrize(
    "name, codes",
    [
        ("garbage.pdf", {"unreadable_pdf"}),
        ("cut.pdf", {"unreadable_pdf"}),
        ("locked.pdf", {"encrypted_pdf"}),
        ("scan.pdf", {"scanned_pdf"}),
        ("junk.docx", {"not_text", "unreadable"}),
        ("junk.doc", {"unreadable", "needs_libreoffice", "conversion_failed", "unsupported_format"}),
    ],
)
def test_a_broken_file_fails_with_its_reason(formats_build, name, codes):
    status = _q(formats_build, "select status from marts.dim_filing where source_file = ?", [f"bad/{name}"])
    assert status == [("failed",)]
    errors = _q(
        formats_build,
        "select code, message from audit.parse_issues where source_file = ? and severity = 'error'",
        [f"bad/{name}"],
    )
    assert errors and {c for c, _ in errors} <= codes and all(m for _, m in errors), errors


def test_a_spreadsheet_with_a_far_corner_cell_is_bounded(formats_build):
    issues = _q(formats_build, "select code from audit.parse_issues where source_file = 'bad/far_corner.xlsx'")
    assert ("too_large",) in issues


def test_the_report_lists_files_that_did_not_load(formats_build, tmp_path):
    from medwh.report import write_report

    html = write_report(formats_build.warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    files = html[html.index('<section id="files">'):]
    files = files[: files.index("</section>")]
    for name, code in (("bad/locked.pdf", "encrypted_pdf"), ("bad/scan.pdf", "scanned_pdf"), ("bad/junk.docx", "not_text")):
        row = files[files.index(name):]
        row = row[: row.index("</tr>")]
        assert "failed" in row and code in row, row
    assert "good/收支总表.pdf" in files  # read, not recognised: listed with its verdict
