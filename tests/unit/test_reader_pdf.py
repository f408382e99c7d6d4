"""The PDF reader on PDFs drawn here (reportlab, its built-in CID font STSong-Light).

Content from the sample filing 002 (部门预算收支总表, 万元). Each test asserts the cell
grid exactly, plus spans and provenance where they matter.
"""

from __future__ import annotations

import io
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from loaders.readers.pdf import join_wrapped, read

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
FONT = "STSong-Light"
W, H = A4  # 595 x 842 points


class Sheet:
    """A reportlab canvas with top-left coordinates and a ruled-table helper."""

    def __init__(self, **kw):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, **kw)
        self.c.setFont(FONT, 9)

    def text(self, x, top, s, size=9):
        self.c.setFont(FONT, size)
        self.c.drawString(x, H - top - size, s)

    def right(self, x, top, s, size=9):
        self.c.setFont(FONT, size)
        self.c.drawRightString(x, H - top - size, s)

    def cell(self, x0, top, x1, bottom, lines=(), align="left"):
        """A ruled cell (its own rectangle) holding lines of text."""
        self.c.rect(x0, H - bottom, x1 - x0, bottom - top, stroke=1, fill=0)
        for k, s in enumerate(lines):
            if align == "right":
                self.right(x1 - 3, top + 4 + 11 * k, s)
            else:
                self.text(x0 + 3, top + 4 + 11 * k, s)

    def page(self):
        self.c.showPage()
        self.c.setFont(FONT, 9)

    def pdf(self) -> bytes:
        self.c.save()
        return self.buf.getvalue()


XS = [50, 80, 230, 310, 460, 540]  # 序号 | 收入项目 | 预算数 | 支出项目 | 预算数


def draw_header(s: Sheet, top: float) -> float:
    """Two header rows: 序号 (rowspan 2), 收入 and 支出 (colspan 2 each); returns the bottom."""
    s.cell(XS[0], top, XS[1], top + 40, ["序号"])
    s.cell(XS[1], top, XS[3], top + 20, ["收入"])
    s.cell(XS[3], top, XS[5], top + 20, ["支出"])
    s.cell(XS[1], top + 20, XS[2], top + 40, ["项目"])
    s.cell(XS[2], top + 20, XS[3], top + 40, ["预算数"])
    s.cell(XS[3], top + 20, XS[4], top + 40, ["项目"])
    s.cell(XS[4], top + 20, XS[5], top + 40, ["预算数"])
    return top + 40


def draw_row(s: Sheet, top: float, values, height: float = 20) -> float:
    for k, v in enumerate(values):
        lines = v if isinstance(v, list) else ([v] if v else [])
        right = k in (2, 4)
        s.cell(XS[k], top, XS[k + 1], top + height, lines, align="right" if right else "left")
    return top + height


def test_join_wrapped():
    assert join_wrapped("一般公共预算", "拨款收入") == "一般公共预算拨款收入"
    assert join_wrapped("Budget", "total") == "Budget total"
    assert join_wrapped("合计", "2026") == "合计2026"


@pytest.fixture(scope="module")
def ruled_doc():
    s = Sheet()
    s.text(220, 40, "部门预算收支总表", size=14)
    s.text(50, 66, "编制部门：450新乐市医疗保障局")
    s.text(480, 66, "单位：万元")
    top = draw_header(s, 80)
    top = draw_row(s, top, ["1", ["一、一般公共预算", "拨款收入"], "2,858.50", "一、一般公共服务支出", "-12.00"], height=30)
    top = draw_row(s, top, ["2", "二、政府性基金预算拨款收入", "110,387.976749", "二、外交支出", ""])
    draw_row(s, top, ["3", "三、事业收入", "", "三、国防支出", "7,723.25"])
    s.text(50, 400, "注：本表为测试用。")
    return read(s.pdf(), "ruled.pdf")


def test_ruled_table_grid(ruled_doc):
    assert ruled_doc.kind == "pdf" and ruled_doc.pages == 1 and ruled_doc.issues == []
    (t,) = ruled_doc.tables
    assert t.index == 1
    assert (t.n_rows, t.n_cols) == (5, 5)
    assert t.grid() == [
        ["序号", "收入", "", "支出", ""],
        ["", "项目", "预算数", "项目", "预算数"],
        ["1", "一、一般公共预算拨款收入", "2,858.50", "一、一般公共服务支出", "-12.00"],
        ["2", "二、政府性基金预算拨款收入", "110,387.976749", "二、外交支出", ""],
        ["3", "三、事业收入", "", "三、国防支出", "7,723.25"],
    ]


def test_ruled_table_merges_are_one_cell(ruled_doc):
    (t,) = ruled_doc.tables
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in t.cells}
    assert spans[(0, 0)] == (2, 1)  # 序号
    assert spans[(0, 1)] == (1, 2)  # 收入
    assert spans[(0, 3)] == (1, 2)  # 支出
    assert (1, 0) not in spans and (0, 2) not in spans and (0, 4) not in spans
    assert len(t.cells) == 3 + 4 + 15
    assert t.filled_grid()[1][0] == "序号"


def test_ruled_table_provenance(ruled_doc):
    (t,) = ruled_doc.tables
    amount = next(c for c in t.cells if c.text == "2,858.50")
    assert (amount.page, amount.source_row, amount.source_col) == (1, 3, 3)
    x0, top, x1, bottom = amount.bbox
    assert (round(x0), round(top), round(x1), round(bottom)) == (230, 120, 310, 150)


def test_captions_in_reading_order(ruled_doc):
    texts = [b.text if not hasattr(b, "cells") else "<table>" for b in ruled_doc.blocks]
    assert texts == ["部门预算收支总表", "编制部门：450新乐市医疗保障局", "单位：万元", "<table>", "注：本表为测试用。"]
    (t,) = ruled_doc.tables
    assert t.title == "部门预算收支总表"
    assert [b.text for b in t.caption_blocks] == ["部门预算收支总表", "编制部门：450新乐市医疗保障局", "单位：万元"]
    assert ruled_doc.text_blocks[0].page == 1 and ruled_doc.text_blocks[0].bbox is not None


@pytest.fixture(scope="module")
def two_page_doc():
    s = Sheet()
    s.text(220, 40, "部门预算收支总表", size=14)
    s.text(480, 66, "单位：万元")
    top = draw_header(s, 80)
    for k in range(1, 31):
        top = draw_row(s, top, [str(k), f"收入项目{k}", f"{k},000.00", f"支出项目{k}", f"{k}.50"])
    # the last row of page 1 is cut: its name continues on page 2
    top = draw_row(s, top, ["31", "机关事业单位基本养老", "1,234.56", "三十一、其他支出", "8.00"])
    s.text(290, 800, "- 1 -")
    s.page()
    top = draw_header(s, 40)  # the header repeated
    top = draw_row(s, top, ["", "保险缴费支出", "", "", ""])
    top = draw_row(s, top, ["32", "收入合计", "2,858.50", "支出合计", "2,858.50"])
    s.text(50, top + 30, "第二张表")
    top = draw_row(s, top + 50, ["a", "b", "c", "d", "e"])
    draw_row(s, top, ["f", "g", "h", "i", "j"])
    return read(s.pdf(), "two-pages.pdf")


def test_table_across_pages_is_one_table(two_page_doc):
    doc = two_page_doc
    assert doc.pages == 2
    first, second = doc.tables
    assert (first.index, second.index) == (1, 2)
    assert first.pages == (1, 2)
    assert first.title == "部门预算收支总表" and second.title == "第二张表"
    assert first.n_rows == 2 + 31 + 1
    g = first.grid()
    assert g[0] == ["序号", "收入", "", "支出", ""]
    assert g[1] == ["", "项目", "预算数", "项目", "预算数"]
    assert g[2] == ["1", "收入项目1", "1,000.00", "支出项目1", "1.50"]
    assert g[32] == ["31", "机关事业单位基本养老保险缴费支出", "1,234.56", "三十一、其他支出", "8.00"]
    assert g[33] == ["32", "收入合计", "2,858.50", "支出合计", "2,858.50"]
    assert sum(1 for row in g if row[1] == "项目") == 1  # the repeated header is not data


def test_continued_table_cells_keep_their_page(two_page_doc):
    t = two_page_doc.tables[0]
    last = [c for c in t.cells if c.row == 33]
    assert {c.page for c in last} == {2}
    # page 2: two header rows, the cut row, then 收入合计 is the 4th row of the table on that page
    assert {c.source_row for c in last} == {4}
    cut = next(c for c in t.cells if c.row == 32 and c.col == 1)
    assert cut.page == 1 and cut.source_row == 33
    assert {c.page for c in t.cells if c.row < 33} == {1}


def test_borderless_table():
    s = Sheet()
    s.text(200, 40, "一般公共预算支出表", size=14)
    s.text(450, 66, "单位：万元")
    rows = [
        ("科目编码", "科目名称", "合计", "基本支出"),
        ("208", "社会保障和就业支出", "2,858.50", "2,858.50"),
        ("20805", "行政事业单位养老支出", "110,387.976749", ""),
        ("2080505", "机关事业单位基本养老保险缴费支出", "-12.00", "7,723.25"),
    ]
    for k, (code, name, a, b) in enumerate(rows):
        top = 90 + 18 * k
        s.text(50, top, code)
        s.text(110, top, name)
        s.right(420, top, a)
        s.right(530, top, b)
    s.text(50, 200, "本单位无政府性基金预算支出，国有资本经营预算支出为零，特此说明。")
    doc = read(s.pdf(), "borderless.pdf")
    (t,) = doc.tables
    assert t.title == "一般公共预算支出表"
    assert t.grid() == [list(r) for r in rows]
    assert all(c.rowspan == 1 and c.colspan == 1 for c in t.cells)
    assert [b.text for b in doc.text_blocks] == [
        "一般公共预算支出表",
        "单位：万元",
        "本单位无政府性基金预算支出，国有资本经营预算支出为零，特此说明。",
    ]


def test_prose_is_not_a_table():
    s = Sheet()
    s.text(50, 40, "第一部分 部门概况", size=12)
    for k in range(8):
        s.text(50, 70 + 16 * k, "本部门2026年收入预算2,858.50万元，比上年增加12.00万元，主要原因是人员增加。")
    doc = read(s.pdf(), "prose.pdf")
    assert doc.tables == []
    assert doc.text_blocks[0].text == "第一部分部门概况"  # a space between CJK words is not kept


# ---------------------------------------------------------------------------- bad files


def _codes(doc):
    return [(i.severity, i.code) for i in doc.issues]


def test_encrypted_pdf():
    s = Sheet(encrypt="pw")
    s.text(50, 50, "部门预算收支总表")
    doc = read(s.pdf(), "locked.pdf")
    assert _codes(doc) == [("error", "encrypted_pdf")]
    assert doc.failed and doc.blocks == []


def _image_page(s: Sheet):
    from PIL import Image

    img = Image.new("RGB", (200, 280), "white")
    for x in range(20, 180):
        img.putpixel((x, 40), (0, 0, 0))
    b = io.BytesIO()
    img.save(b, format="PNG")
    b.seek(0)
    from reportlab.lib.utils import ImageReader

    s.c.drawImage(ImageReader(b), 0, 0, W, H)


def test_scanned_pdf():
    s = Sheet()
    for k in range(3):
        if k:
            s.page()
        _image_page(s)
    doc = read(s.pdf(), "scan.pdf")
    assert doc.pages == 3
    assert _codes(doc) == [("error", "scanned_pdf")]
    assert "pages 1-3" in doc.issues[0].message and "OCR" in doc.issues[0].message
    assert doc.blocks == []


def test_partly_scanned_pdf_is_a_warning():
    s = Sheet()
    s.text(50, 50, "部门预算收支总表")
    s.page()
    _image_page(s)
    doc = read(s.pdf(), "half-scan.pdf")
    assert _codes(doc) == [("warning", "scanned_pdf")]
    assert "page 2" in doc.issues[0].message
    assert [b.text for b in doc.text_blocks] == ["部门预算收支总表"]


def test_truncated_pdf():
    s = Sheet()
    top = draw_header(s, 80)
    draw_row(s, top, ["1", "一般公共预算拨款收入", "2,858.50", "一般公共服务支出", "2,858.50"])
    data = s.pdf()
    for cut in (len(data) // 2, 200, 20):
        t0 = time.perf_counter()
        doc = read(data[:cut], "cut.pdf")
        assert time.perf_counter() - t0 < 10
        assert doc.kind == "pdf"
        assert any(i.code in ("unreadable_pdf", "page_failed") for i in doc.issues) or doc.blocks == [] or doc.tables


def test_garbage_behind_header():
    doc = read(b"%PDF-1.4\n" + b"\x00garbage" * 100, "junk.pdf")
    assert _codes(doc) == [("error", "unreadable_pdf")]
    assert "PDF" in doc.issues[0].message


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(tail):
    t0 = time.perf_counter()
    doc = read(b"%PDF-1.4\n" + tail, "random.pdf")
    assert time.perf_counter() - t0 < 5
    assert doc.kind == "pdf"
    assert doc.blocks == [] or doc.issues == [] or all(i.severity in ("error", "warning") for i in doc.issues)
    if not doc.blocks:
        assert any(i.severity == "error" for i in doc.issues) or doc.pages is not None
