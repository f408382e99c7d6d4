"""The Word, Excel and CSV readers: documents made from the samples' content
(部门预算收支总表 of 002_6529f0b8e0e0d604.txt), read cell by cell, and garbage.

.xls and .doc are made by LibreOffice from the .xlsx and .docx; those tests are
skipped (with the reason) where soffice is not installed.
"""

from __future__ import annotations

import io
import os
import random
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.document import Table, TextBlock, cell_locator
from loaders.readers import read_document
from loaders.readers import libreoffice
from loaders.readers.csv import looks_like_csv, read as read_csv, read_text
from loaders.readers.xlsx import format_value
from loaders.text import decode_filing

from tests.conftest import ALL_FILINGS, FILINGS

HAVE_SOFFICE = libreoffice.soffice_path() is not None
needs_soffice = pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) is not installed")

TITLE = "部门预算收支总表"
DEPT = "编制部门：450新乐市医疗保障局"
UNIT = "单位：万元"
WRAPPED = "一般公共预算拨款收入（含上年结转结余资金及财政专户管理资金收入，按功能分类科目列示）"

# the body of the table: 序号, 收入 项目, 预算数, 支出 项目, 预算数 (amounts as numbers)
BODY = [
    ["栏次", "1", "2", "3", "4"],
    ["1", "一、一般公共预算拨款收入", 7723.25, "一、一般公共服务支出", None],
    ["8", None, None, "八、社会保障和就业支出", 49.21],
    ["10", None, None, "十、卫生健康支出", 7638.81],
    ["20", None, None, "二十、住房保障支出", 35.23],
    ["21", None, None, "其中：基本支出", 2858.5],
    [None, "收入总计", 7723.25, "支出总计", 7723.25],
]


def shown(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}"
    return v


# the grid every reader must give (merged text at the top-left only)
GRID = [
    ["序号", "收入", "", "支出", ""],
    ["", "项  目", "预算数", "项  目", "预算数"],
] + [[shown(v) for v in row] for row in BODY]


def spans(table: Table) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells if c.rowspan > 1 or c.colspan > 1)


def find(table: Table, text: str):
    return next(c for c in table.cells if c.text == text)


# --------------------------------------------------------------------------- .docx


def make_docx(nested: bool = False) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph(UNIT)
    t = d.add_table(rows=2 + len(BODY), cols=5)
    a = t.cell(0, 0).merge(t.cell(1, 0))  # vertical merge
    a.text = "序号"
    b = t.cell(0, 1).merge(t.cell(0, 2))  # horizontal merge
    b.text = "收入"
    c = t.cell(0, 3).merge(t.cell(0, 4))
    c.text = "支出"
    for k, h in enumerate(["项  目", "预算数", "项  目", "预算数"], start=1):
        t.cell(1, k).text = h
    for r, row in enumerate(BODY, start=2):
        for k, v in enumerate(row):
            if v is not None:
                t.cell(r, k).text = shown(v)
    # a cell with two paragraphs (as displayed: two lines)
    cell = t.cell(2 + len(BODY) - 1, 0)
    cell.text = "合计"
    cell.add_paragraph("（万元）")
    d.add_paragraph("注：本表为示例。")
    d.add_paragraph("部门预算财政拨款收支总表")
    t2 = d.add_table(rows=2, cols=2)
    t2.cell(0, 0).text = "项目"
    t2.cell(0, 1).text = WRAPPED  # a long Chinese paragraph Word wraps in the cell
    t2.cell(1, 0).text = "合计"
    t2.cell(1, 1).text = "7,723.25"
    if nested:
        inner = t2.cell(1, 0).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "内"
        inner.cell(0, 1).text = "表"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def docx_grid_expected() -> list[list[str]]:
    g = [row[:] for row in GRID]
    g[-1][0] = "合计\n（万元）"
    return g


def test_docx_cells_merges_and_locators():
    doc = read_document(make_docx(), "收支总表.docx")
    assert doc.kind == "docx" and not doc.issues
    t1, t2 = doc.tables
    assert (t1.index, t2.index) == (1, 2)
    assert t1.grid() == docx_grid_expected()
    assert (t1.n_rows, t1.n_cols) == (2 + len(BODY), 5)
    assert spans(t1) == [(0, 0, 2, 1, "序号"), (0, 1, 1, 2, "收入"), (0, 3, 1, 2, "支出")]
    # python-docx would repeat merged cells; here each is one cell, never repeated
    assert sum(1 for c in t1.cells if c.text == "收入") == 1
    assert t1.title == TITLE
    assert [b.text for b in t1.caption_blocks] == [TITLE, UNIT]
    amount = find(t1, "7,638.81")
    assert (amount.row, amount.col, amount.source_row, amount.source_col, amount.page) == (5, 4, 6, 5, None)
    assert cell_locator(doc.kind, t1, amount) == "table 1 row 6 col 5"
    assert cell_locator(doc.kind, t1, find(t1, "2,858.50")) == "table 1 row 8 col 5"
    # body order: title, unit, table 1, note, title 2, table 2
    order = [b.text if isinstance(b, TextBlock) else f"<table {b.index}>" for b in doc.blocks]
    assert order == [TITLE, UNIT, "<table 1>", "注：本表为示例。", "部门预算财政拨款收支总表", "<table 2>"]
    assert t2.title == "部门预算财政拨款收支总表"
    assert t2.grid() == [["项目", WRAPPED], ["合计", "7,723.25"]]
    assert cell_locator(doc.kind, t2, find(t2, "7,723.25")) == "table 2 row 2 col 2"


def test_docx_nested_table_is_flattened_and_reported():
    doc = read_document(make_docx(nested=True), "nested.docx")
    assert [t.index for t in doc.tables] == [1, 2, 3]
    assert doc.tables[2].grid() == [["内", "表"]]
    assert doc.tables[1].grid() == [["项目", WRAPPED], ["合计", "7,723.25"]]  # the inner text is not the cell's
    (issue,) = doc.issues
    assert issue.code == "nested_table" and "table 2 (row 2, col 1)" in issue.message


def _docx_with_body(body_xml: str) -> bytes:
    base = make_docx()
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = body_xml.encode("utf-8")
            z.writestr(info, data)
    return out.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_grid_before_after_and_vmerge_xml():
    """gridBefore/gridAfter, a three-row vertical merge, tabs and breaks, deleted text."""

    def tc(text, props=""):
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p></w:tc>"

    xml = f"""<w:document {W_NS}><w:body>
    <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="100"/></w:tabs></w:pPr><w:r><w:t>表一</w:t></w:r></w:p>
    <w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
      <w:tr>{tc("科目", "<w:vMerge w:val='restart'/>")}{tc("金额", "<w:gridSpan w:val='2'/>")}</w:tr>
      <w:tr>{tc("", "<w:vMerge/>")}{tc("上年")}{tc("本年")}</w:tr>
      <w:tr>{tc("", "<w:vMerge w:val='continue'/>")}{tc("1")}{tc("2")}</w:tr>
      <w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc("3")}<w:tc><w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r><w:del><w:r><w:delText>x</w:delText></w:r></w:del></w:p></w:tc></w:tr>
      <w:tr>{tc("合计")}<w:trPr><w:gridAfter w:val="2"/></w:trPr></w:tr>
    </w:tbl></w:body></w:document>"""
    doc = read_document(_docx_with_body(xml), "x.docx")
    assert not doc.issues
    (t,) = doc.tables
    assert (t.n_rows, t.n_cols) == (5, 3)
    assert t.grid() == [["科目", "金额", ""], ["", "上年", "本年"], ["", "1", "2"], ["", "3", "a\tb\nc"], ["合计", "", ""]]
    assert spans(t) == [(0, 0, 3, 1, "科目"), (0, 1, 1, 2, "金额")]
    assert doc.text_blocks[0].text == "表一"
    assert t.title == "表一"


# --------------------------------------------------------------------------- .xlsx

SHEET = "3.15部门收支总表"


def make_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "封面"
    cover["A1"] = "2021年部门预算公开表"
    ws = wb.create_sheet(SHEET)
    ws["A1"] = TITLE
    ws.merge_cells("A1:E1")
    ws["A2"] = DEPT
    ws["E2"] = UNIT
    ws["A3"] = "序号"
    ws.merge_cells("A3:A4")
    ws["B3"] = "收入"
    ws.merge_cells("B3:C3")
    ws["D3"] = "支出"
    ws.merge_cells("D3:E3")
    for k, h in enumerate(["项  目", "预算数", "项  目", "预算数"], start=2):
        ws.cell(4, k, h)
    for r, row in enumerate(BODY, start=5):
        for k, v in enumerate(row, start=1):
            if v is None:
                continue
            c = ws.cell(r, k, v)
            if isinstance(v, float):
                c.number_format = "#,##0.00"
    ws["G12"] = None  # a styled empty cell off the grid: trimmed
    ws["G12"].number_format = "0.00"
    other = wb.create_sheet("3.16财政拨款收支总表")
    other["A1"] = "财政拨款收支总表"
    other["A2"] = UNIT
    other.append(["项目", "金额", "比例", "日期", "整数"])
    other.append(["合计", 0.1 + 0.2, 0.125, None, 1234567])
    other["C4"].number_format = "0.00%"
    import datetime

    other["D4"] = datetime.date(2021, 3, 5)
    other["D4"].number_format = 'yyyy"年"m"月"d"日"'
    other["E4"].number_format = "#,##0"
    other["B5"] = "=B4*2"  # a formula with no cached value (openpyxl does not calculate)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check_workbook(doc, kind: str) -> None:
    assert doc.kind == kind
    assert doc.sheets == ["封面", SHEET, "3.16财政拨款收支总表"]
    assert doc.pages == 3
    cover = [b for b in doc.blocks if b.page == 1]
    assert [(type(b).__name__, b.text) for b in cover] == [("TextBlock", "2021年部门预算公开表")]
    t1, t2 = doc.tables
    assert (t1.index, t1.sheet, t1.page) == (1, SHEET, 2)
    assert t1.grid() == GRID
    assert spans(t1) == [(0, 0, 2, 1, "序号"), (0, 1, 1, 2, "收入"), (0, 3, 1, 2, "支出")]
    heads = [(b.text, b.page, b.source_row) for b in doc.text_blocks if b.page == 2]
    assert heads == [(TITLE, 2, 1), (DEPT, 2, 2), (UNIT, 2, 2)]
    assert t1.title == TITLE
    assert [b.text for b in t1.caption_blocks] == [TITLE, DEPT, UNIT]
    first = find(t1, "序号")
    assert (first.row, first.col, first.source_row, first.source_col, first.page) == (0, 0, 3, 1, 2)
    assert cell_locator(kind, t1, find(t1, "7,638.81")) == f"'{SHEET}'!E8"
    assert cell_locator(kind, t1, find(t1, "2,858.50")) == f"'{SHEET}'!E10"
    assert [cell_locator(kind, t1, c) for c in t1.cells if c.text == "7,723.25"] == [f"'{SHEET}'!C6", f"'{SHEET}'!C11", f"'{SHEET}'!E11"]
    assert t2.sheet == "3.16财政拨款收支总表" and t2.page == 3 and t2.title == "财政拨款收支总表"
    assert t2.grid()[:2] == [["项目", "金额", "比例", "日期", "整数"], ["合计", "0.3", "12.50%", "2021年3月5日", "1,234,567"]]


def test_xlsx_sheets_formats_merges_titles_and_locators():
    doc = read_document(make_xlsx(), "预算公开.xlsx")
    check_workbook(doc, "xlsx")
    (issue,) = doc.issues
    assert issue.code == "formula_without_value" and issue.severity == "warning" and "B5" in issue.message
    assert issue.page == 3


@needs_soffice
def test_xls_converted_by_libreoffice_reads_the_same():
    xls = libreoffice.convert(make_xlsx(), ".xlsx", to="xls")
    assert xls.startswith(b"\xd0\xcf\x11\xe0")
    doc = read_document(xls, "预算公开.xls")
    check_workbook(doc, "xls")
    # LibreOffice calculated the formula on the way: 0.3 * 2
    assert doc.tables[1].grid()[2][:2] == ["", "0.6"]


@pytest.mark.parametrize(
    "value, fmt, text",
    [
        (7723.25, "#,##0.00", "7,723.25"),
        (2858.5, "#,##0.00", "2,858.50"),
        (2858.5, "0.00", "2858.50"),
        (1234567.4, "#,##0", "1,234,567"),
        (0.5, "0%", "50%"),
        (0.125, "0.00%", "12.50%"),
        (0.1 + 0.2, "General", "0.3"),
        (49.0, "General", "49"),
        (2.675, "0.00", "2.68"),
        (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
        (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (1234.5, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "1,234.50"),
        (5.5, '0.00"万元"', "5.50万元"),
        (44197, "yyyy-mm-dd", "2021-01-01"),
    ],
)
def test_number_formats(value, fmt, text):
    assert format_value(value, fmt) == text


def _patch_zip(data: bytes, name: str, fn) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                body = fn(body)
            z.writestr(info.filename, body)
    return out.getvalue()


def test_xlsx_huge_declared_dimension_is_bounded():
    import re

    def widen(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
        # and a value in the far corner
        return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')

    declared_only = _patch_zip(
        make_xlsx(), "xl/worksheets/sheet2.xml", lambda x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x)
    )
    start = time.perf_counter()
    doc = read_document(declared_only, "declared.xlsx")
    assert time.perf_counter() - start < 10
    assert doc.tables[0].grid() == GRID  # the declared dimension is ignored; trailing empties trimmed
    data = _patch_zip(make_xlsx(), "xl/worksheets/sheet2.xml", widen)
    start = time.perf_counter()
    doc = read_document(data, "huge.xlsx")
    assert time.perf_counter() - start < 10
    assert any(i.code == "too_large" and i.page == 2 for i in doc.issues)
    assert [t.sheet for t in doc.tables] == ["3.16财政拨款收支总表"]


def test_xlsx_too_many_cells_is_too_large(monkeypatch):
    from loaders.readers import xlsx

    monkeypatch.setattr(xlsx, "MAX_CELLS", 20)
    doc = read_document(make_xlsx(), "big.xlsx")
    assert any(i.code == "too_large" and i.severity == "error" for i in doc.issues)


# --------------------------------------------------------------------------- .csv

CSV_ROWS = [
    [TITLE, "", "", "", ""],
    [DEPT, "", "", "", UNIT],
    ["序号", "收入", "", "支出", ""],
    ["", "项  目", "预算数", "项  目", "预算数"],
] + [[shown(v) for v in row] for row in BODY]


def make_csv() -> str:
    out = io.StringIO()
    import csv

    csv.writer(out, lineterminator="\n").writerows(CSV_ROWS)
    return out.getvalue()


def check_csv(doc) -> None:
    assert doc.kind == "csv"
    (t,) = doc.tables
    assert t.grid() == [["序号", "收入", "", "支出", ""]] + GRID[1:]
    assert [(b.text, b.line) for b in doc.text_blocks] == [(TITLE, 1), (DEPT, 2), (UNIT, 2)]
    assert t.title == TITLE
    c = find(t, "7,638.81")
    assert (c.line, c.source_row, c.source_col, c.page) == (8, 8, 5, None)
    assert cell_locator("csv", t, c) == "table 1 row 8 col 5"
    assert cell_locator("csv", t, find(t, "2,858.50")) == "table 1 row 10 col 5"


def test_csv_quoted_amounts_utf8_and_gbk():
    text = make_csv()
    assert '"7,723.25"' in text
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gbk")):
        check_csv(read_csv(data, "收支总表.csv"))
        doc = read_document(data, "收支总表.csv")  # through the text reader
        check_csv(doc)
    assert read_document(text.encode("gbk"), "x.csv").encoding == "gb18030"


def test_csv_multiline_quoted_field_keeps_its_first_line():
    doc = read_text('项目,金额\n"一般公共\n预算",1\n合计,"2,858.50"\n', ("项目,金额", '"一般公共', '预算",1', '合计,"2,858.50"', ""))
    (t,) = doc.tables
    assert t.grid() == [["项目", "金额"], ["一般公共\n预算", "1"], ["合计", "2,858.50"]]
    assert [c.line for c in t.cells] == [1, 1, 2, 2, 4, 4]


@pytest.mark.parametrize("name", ALL_FILINGS)
def test_sample_text_exports_are_not_csv(name):
    assert not looks_like_csv(decode_filing((FILINGS / name).read_bytes()).lines)
    assert read_document((FILINGS / name).read_bytes(), name).kind == "text"


def test_looks_like_csv_edges():
    assert looks_like_csv([TITLE, "a,b,c", "1,2,3", "4,5,6"])
    assert not looks_like_csv(["a\tb\tc", "1\t2\t3"])
    assert not looks_like_csv(["一句话, 带逗号", "另一句话，没有", "第三句", "第四句"])
    assert not looks_like_csv(["only,one"])


# --------------------------------------------------------------------------- .doc / OLE2


@needs_soffice
def test_doc_via_libreoffice():
    doc_bytes = libreoffice.convert(make_docx(), ".docx", to="doc")
    assert doc_bytes.startswith(b"\xd0\xcf\x11\xe0")
    doc = read_document(doc_bytes, "收支总表.doc")
    assert doc.kind == "docx"
    assert [i.code for i in doc.issues] == ["converted_by_libreoffice"]
    t1 = doc.tables[0]
    assert t1.grid() == docx_grid_expected()  # this simple table survives the round trip exactly
    assert spans(t1) == [(0, 0, 2, 1, "序号"), (0, 1, 1, 2, "收入"), (0, 3, 1, 2, "支出")]
    assert t1.title == TITLE


def test_doc_without_libreoffice_is_needs_libreoffice(monkeypatch):
    from xlrd.compdoc import CompDoc  # noqa: F401 - the compound-file parser the OLE2 reader uses

    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    data = _tiny_word_ole2()
    doc = read_document(data, "预算.doc")
    (issue,) = doc.issues
    assert (issue.severity, issue.code) == ("error", "needs_libreoffice")
    assert "install LibreOffice" in issue.message and "预算.doc" in issue.message
    assert doc.failed


def _tiny_word_ole2() -> bytes:
    """A compound file with one 'WordDocument' stream (enough to be told a .doc)."""
    sector = 512
    stream = b"\xec\xa5" + b"\x00" * 4094  # a 4 KiB WordDocument stream (≥ the mini-stream cutoff)
    n_stream = len(stream) // sector  # sectors 1..8; sector 0 is the directory
    fat = [0xFFFFFFFE] + [i + 2 if i + 2 <= n_stream else 0xFFFFFFFE for i in range(n_stream)]
    fat_sector_index = 1 + n_stream
    fat.append(0xFFFFFFFD)  # the FAT's own sector
    fat += [0xFFFFFFFF] * (128 - len(fat))
    import struct

    def entry(name: str, etype: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        e = raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), etype, 1)
        e += struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
        e += struct.pack("<IIi", start, size, 0)
        return e.ljust(128, b"\x00")

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry("WordDocument", 2, 1, len(stream))
    directory = directory.ljust(sector, b"\x00")
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 0, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", fat_sector_index) + b"\xff\xff\xff\xff" * 108
    assert len(header) == 512
    fat_bytes = struct.pack("<128I", *fat)
    return bytes(header) + directory + stream + fat_bytes


# --------------------------------------------------------------------------- garbage

GARBAGE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_clean_error(doc, seconds: float) -> None:
    assert seconds < 10
    assert doc.failed, doc.issues
    assert all(i.code != "reader_failed" for i in doc.issues), doc.issues
    assert doc.issues[0].message


@GARBAGE
@given(st.binary(max_size=4096))
def test_garbage_behind_zip_header(tail):
    start = time.perf_counter()
    doc = read_document(b"PK\x03\x04" + tail, "x.docx")
    _assert_clean_error(doc, time.perf_counter() - start)


@GARBAGE
@given(st.binary(min_size=1, max_size=4096))
def test_garbage_document_xml_and_workbook_xml(junk):
    for part in ("word/document.xml", "xl/workbook.xml"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr(part, b"<?xml " + junk)
            z.writestr("[Content_Types].xml", b"<Types/>")
        start = time.perf_counter()
        doc = read_document(out.getvalue(), "x")
        _assert_clean_error(doc, time.perf_counter() - start)


@GARBAGE
@given(st.integers(min_value=10, max_value=4000), st.binary(min_size=1, max_size=64))
def test_broken_document_xml_in_a_real_docx(cut, junk):
    good = make_docx_cached()
    src = zipfile.ZipFile(io.BytesIO(good))
    xml = src.read("word/document.xml")
    broken = xml[: cut % len(xml)] + junk
    data = _patch_zip(good, "word/document.xml", lambda _x: broken)
    start = time.perf_counter()
    doc = read_document(data, "broken.docx")
    elapsed = time.perf_counter() - start
    assert elapsed < 10
    assert all(i.code != "reader_failed" for i in doc.issues)
    assert doc.failed or doc.blocks  # a cut that still parses is read, else a clear error


_DOCX_CACHE: list[bytes] = []


def make_docx_cached() -> bytes:
    if not _DOCX_CACHE:
        _DOCX_CACHE.append(make_docx())
    return _DOCX_CACHE[0]


@GARBAGE
@given(st.binary(max_size=8192))
def test_garbage_behind_ole2_header(tail):
    start = time.perf_counter()
    doc = read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail, "x.xls")
    _assert_clean_error(doc, time.perf_counter() - start)


def test_garbage_ole2_random_sectors():
    rng = random.Random(7)
    for _ in range(30):
        header = bytearray(rng.randbytes(512))
        header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        header[0x1E:0x20] = b"\x09\x00"  # 512-byte sectors
        data = bytes(header) + rng.randbytes(512 * rng.randint(1, 20))
        start = time.perf_counter()
        doc = read_document(data, "x.doc")
        _assert_clean_error(doc, time.perf_counter() - start)


def test_libreoffice_missing_raises_clearly(monkeypatch):
    monkeypatch.setattr(libreoffice, "soffice_path", lambda: None)
    with pytest.raises(libreoffice.LibreOfficeMissing):
        libreoffice.convert(b"x", ".doc")


@needs_soffice
def test_libreoffice_temp_dir_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    out = libreoffice.convert(make_docx_cached(), ".docx", to="doc")
    assert out.startswith(b"\xd0\xcf\x11\xe0")
    assert os.listdir(tmp_path) == []
