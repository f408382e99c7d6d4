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
    assert join_wrapped("21,118.5", "1") == "21,118.51"  # an amount wrapped in a narrow cell (杭州)
    assert join_wrapped("12,868.", "19") == "12,868.19"
    assert join_wrapped("2026", "2027") == "2026 2027"


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


# ---------------------------------------------------------------------------- fonts, breaks, clipping


def _patched_font_pdf(draw) -> bytes:
    """A PDF where Latin, digits and punctuation come from a second CID font (MSung-Light) whose
    descriptor says Descent -1150: its glyph boxes then lie wholly below the baseline, as in
    重庆's filings (font E-BZ), while the glyphs print on the line. ``draw(sheet)`` draws."""
    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    s = Sheet(pageCompression=0)
    draw(s)
    data = s.pdf()
    at = data.index(b"/FontName /MSung-Light")
    start = data.rindex(b"<<", 0, at)
    end = data.index(b">>", at)
    desc = data[start:end]
    assert b"/Descent -271 " in desc
    return data[:start] + desc.replace(b"/Descent -271 ", b"/Descent -1150") + data[end:]


def _mixed(s: Sheet, x: float, top: float, parts, size=12):
    """Draw runs left to right: (text, latin?) — Latin runs in the patched font."""
    for text, latin in parts:
        font = "MSung-Light" if latin else FONT
        s.c.setFont(font, size)
        s.c.drawString(x, H - top - size, text)
        x += pdfmetrics.stringWidth(text, font, size)


def test_glyphs_of_a_font_with_odd_metrics_stay_on_their_line():
    def draw(s):
        _mixed(s, 120, 60, [("重庆市气象局", False), ("2026", True), ("年部门预算情况说明", False)], size=16)
        _mixed(s, 50, 100, [("一", False), (".", True), ("单位基本情况", False)])
        _mixed(s, 50, 122, [("(", True), ("一", False), (")", True), ("主要职责", False)])
        _mixed(s, 50, 144, [("收入预算：", False), ("2026", True), ("年年初预算数", False), ("14,770.62", True), ("万元。", False)])
        top = 180
        for label, amount in (("合计", "14,770.62"), ("一般公共预算资金", "12,672.73")):
            s.cell(50, top, 250, top + 20)
            s.cell(250, top, 400, top + 20)
            _mixed(s, 53, top + 4, [(label, False)], size=9)
            _mixed(s, 340, top + 4, [(amount, True)], size=9)
            top += 20

    data = _patched_font_pdf(draw)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the situation: the digits' box lies below the CJK line
        chars = pdf.pages[0].chars
        cjk = next(c for c in chars if c["text"] == "局")
        digit = next(c for c in chars if c["text"] == "2")
        assert digit["top"] > cjk["top"] + 0.8 * cjk["size"]
    doc = read(data, "odd-metrics.pdf")
    assert [b.text for b in doc.text_blocks] == [
        "重庆市气象局2026年部门预算情况说明",
        "一.单位基本情况",
        "(一)主要职责",
        "收入预算：2026年年初预算数14,770.62万元。",
    ]
    (t,) = doc.tables
    assert t.grid() == [["合计", "14,770.62"], ["一般公共预算资金", "12,672.73"]]
    amount = next(c for c in t.cells if c.text == "14,770.62")
    assert amount.source_row == 1 and amount.bbox[1] == 180


def test_form_cut_by_a_page_break_with_fewer_columns_above_it():
    """福州's 绩效目标表: a 2-column start (title row, 项目名称) at the foot of a page, 5 columns after."""
    s = Sheet()
    s.text(50, 600, "1.项目支出绩效目标表")
    s.cell(50, 620, 540, 660, ["医疗服务与保障能力提升补助资金项目绩效目标表"])
    s.cell(50, 660, 140, 690, ["项目名称"])
    s.cell(140, 660, 540, 690, ["医疗服务与保障能力提升补助资"])
    s.text(290, 800, "24")
    s.page()
    xs = [50, 140, 220, 330, 440, 540]
    s.cell(xs[0], 40, xs[1], 70)
    s.cell(xs[1], 40, xs[5], 70, ["金"])
    s.cell(xs[0], 70, xs[1], 100, ["主管部门"])
    s.cell(xs[1], 70, xs[3], 100, ["福州市医疗保障局"])
    s.cell(xs[3], 70, xs[4], 100, ["实施单位"])
    s.cell(xs[4], 70, xs[5], 100, ["福州市医疗保障局"])
    for k, row in enumerate((["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "检查家数", "≥90%"])):
        s.cell(xs[0], 100 + 20 * k, xs[1], 120 + 20 * k, ["绩效目标指标"] if k == 0 else [])
        for j, v in enumerate(row):
            s.cell(xs[j + 1], 100 + 20 * k, xs[j + 2], 120 + 20 * k, [v])
    doc = read(s.pdf(), "form-break.pdf")
    (t,) = doc.tables
    assert t.pages == (1, 2) and t.n_cols == 5
    assert t.title == "医疗服务与保障能力提升补助资金项目绩效目标表"  # its own first row, not the heading above
    g = t.grid()
    assert g[0] == ["医疗服务与保障能力提升补助资金项目绩效目标表", "", "", "", ""]
    assert g[1] == ["项目名称", "医疗服务与保障能力提升补助资金", "", "", ""]  # the cut name rejoined
    assert g[2] == ["主管部门", "福州市医疗保障局", "", "实施单位", "福州市医疗保障局"]
    assert g[4] == ["", "产出指标", "数量指标", "检查家数", "≥90%"]
    spans = {(c.row, c.col): (c.colspan, c.page, c.source_col) for c in t.cells}
    assert spans[(1, 1)] == (4, 1, 2) and spans[(2, 1)] == (2, 2, 2) and spans[(2, 3)] == (1, 2, 4)


def test_different_columns_after_a_title_are_another_table():
    s = Sheet()
    s.cell(50, 700, 300, 730, ["甲"])
    s.cell(300, 700, 540, 730, ["乙"])
    s.cell(50, 730, 300, 760, ["丙"])
    s.cell(300, 730, 540, 760, ["丁"])
    s.page()
    s.text(50, 30, "表二 另一张表")
    for k in range(2):
        for j, x in enumerate((50, 140, 300, 540)[:-1]):
            s.cell(x, 60 + 20 * k, (140, 300, 540)[j], 80 + 20 * k, [f"{k}{j}"])
    doc = read(s.pdf(), "two-tables.pdf")
    assert [t.pages for t in doc.tables] == [(1,), (2,)]


def _clipped_text(s: Sheet, x: float, top: float, lines, clip_box):
    """Text drawn under a clipping path (top-left coordinates), as an Excel export draws a merged cell."""
    x0, t0, x1, b0 = clip_box
    s.c.saveState()
    p = s.c.beginPath()
    p.rect(x0, H - b0, x1 - x0, b0 - t0)
    s.c.clipPath(p, stroke=0, fill=0)
    for k, line in enumerate(lines):
        s.text(x, top + 11 * k, line)
    s.c.restoreState()


def test_merged_cell_over_a_page_break_with_clipped_text():
    """北京 附件2 预算12表: the 项目名称 cell runs over the page break with no ruling closing it; the
    export draws its text on both pages, centred on the whole cell and clipped to the table body,
    so on page 1 it lies below the table and off the page, hidden."""
    xs = [50, 150, 260, 400, 540]
    name = ["11000023T000002065", "267-医疗保障审计检", "查经费"]
    s = Sheet()
    s.text(200, 30, "预算12表 项目支出绩效目标表", size=12)

    def header(s):
        for j, h in enumerate(["项目名称", "一级指标", "三级指标", "指标值"]):
            s.cell(xs[j], 60, xs[j + 1], 80, [h])

    header(s)
    s.cell(xs[0], 80, xs[1], 120, ["11000022Y000000446"])
    for k in range(2):
        for j, v in enumerate(["产出指标", f"委托数量{k}", "2"]):
            s.cell(xs[j + 1], 80 + 20 * k, xs[j + 2], 100 + 20 * k, [v])
    # the cut cell: left, right and top rulings only
    s.c.line(xs[0], H - 120, xs[0], H - 800)
    s.c.line(xs[1], H - 120, xs[1], H - 800)
    s.c.line(xs[0], H - 120, xs[1], H - 120)
    for k in range(34):
        for j, v in enumerate(["成本指标", f"审计费用{k}", "33.25"]):
            s.cell(xs[j + 1], 120 + 20 * k, xs[j + 2], 140 + 20 * k, [v])
    _clipped_text(s, xs[0] + 3, 818, name, (xs[0], 80, xs[4], 800))  # below the body and off the page: hidden
    s.page()
    s.text(200, 30, "预算12表 项目支出绩效目标表", size=12)
    header(s)
    s.c.line(xs[0], H - 80, xs[0], H - 200)
    s.c.line(xs[1], H - 80, xs[1], H - 200)
    s.c.line(xs[0], H - 200, xs[1], H - 200)
    for k in range(6):
        for j, v in enumerate(["产出指标", f"检查家数{k}", "59"]):
            s.cell(xs[j + 1], 80 + 20 * k, xs[j + 2], 100 + 20 * k, [v])
    _clipped_text(s, xs[0] + 3, 130, name, (xs[0], 80, xs[4], 800))  # visible in the cell
    _clipped_text(s, xs[0] + 3, 130 - 842, name, (xs[0], 80, xs[4], 800))  # the copy for page 0: off the page
    doc = read(s.pdf(), "clipped.pdf")
    assert doc.issues == []
    (t,) = doc.tables  # no phantom table of the clipped copy
    assert t.pages == (1, 2) and t.n_cols == 4
    assert [b.text for b in doc.text_blocks] == ["预算12表项目支出绩效目标表"] * 2
    assert t.grid()[0] == ["项目名称", "一级指标", "三级指标", "指标值"]
    assert sum(1 for r in t.grid() if r[0] == "项目名称") == 1  # the repeated header is dropped
    cut = [c for c in t.cells if c.col == 0 and c.row >= 3]
    assert len(cut) == 1  # one merged cell over both pages, not one empty cell per row
    (cell,) = cut
    assert cell.text == "11000023T000002065 267-医疗保障审计检查经费"
    assert (cell.row, cell.rowspan) == (3, 34 + 6)
    assert cell.page == 2 and cell.source_row == 2  # where its text stands
    assert t.grid()[3 + 34][1:] == ["产出指标", "检查家数0", "59"]
    assert not any("11000023T000002065" in c.text for c in t.cells if c is not cell)


def test_table_continued_under_a_running_head():
    """苏州/无锡: every page opens with the same head line; it does not stop a table going on."""
    s = Sheet()
    s.text(50, 20, "某某局2026年度部门预算公开")
    s.text(240, 50, "支出总表", size=14)
    top = draw_header(s, 80)
    for k in range(1, 34):
        top = draw_row(s, top, [str(k), f"收入项目{k}", f"{k}.00", f"支出项目{k}", f"{k}.00"])
    s.page()
    s.text(50, 20, "某某局2026年度部门预算公开")
    top = draw_row(s, 40, ["34", "收入项目34", "34.00", "支出项目34", "34.00"])
    top = draw_row(s, top, ["35", "收入合计", "595.00", "支出合计", "595.00"])
    s.page()
    s.text(50, 20, "某某局2026年度部门预算公开")
    s.text(240, 50, "财政拨款收支总表", size=14)
    top = draw_header(s, 80)
    draw_row(s, top, ["1", "a", "1.00", "b", "1.00"])
    doc = read(s.pdf(), "running-head.pdf")
    first, second = doc.tables
    assert first.pages == (1, 2) and first.title == "支出总表"
    assert first.grid()[-2:] == [["34", "收入项目34", "34.00", "支出项目34", "34.00"], ["35", "收入合计", "595.00", "支出合计", "595.00"]]
    assert second.pages == (3,) and second.title == "财政拨款收支总表"


def _total_strip_pdf(fill_page_one: bool) -> bytes:
    """上海 支出总表: a table running to the foot of page 1; page 2 holds only its 合计 row, one
    ruled row whose 合计 cell is merged over the code and name columns (a subset of the rulings)."""
    xs = [50, 90, 130, 300, 420, 540]  # 类 | 款 | 科目名称 | 合计 | 基本支出
    s = Sheet()
    s.text(240, 40, "部门支出预算总表", size=14)
    for j, v in enumerate(["类", "款", "科目名称", "合计", "基本支出"]):
        s.cell(xs[j], 80, xs[j + 1], 100, [v])
    top = 100
    for k in range(1, 35 if fill_page_one else 6):
        for j, v in enumerate(["201", f"{k:02d}", f"事务{k}", f"{k}.00", f"{k}.00"]):
            s.cell(xs[j], top, xs[j + 1], top + 20, [v], align="right" if j >= 3 else "left")
        top += 20
    s.page()
    s.cell(xs[0], 40, xs[3], 60, ["合计"])
    for j, v in enumerate(["595.00", "595.00"], start=3):
        s.cell(xs[j], 40, xs[j + 1], 60, [v], align="right")
    s.text(290, 800, "- 2 -")
    return s.pdf()


@pytest.mark.parametrize("reader", ["pdf", "pdf_fast"])
def test_total_row_alone_on_the_next_page_continues_the_table(reader):
    from loaders.readers import pdf_fast

    read_ = read if reader == "pdf" else pdf_fast.read
    doc = read_(_total_strip_pdf(fill_page_one=True), "strip.pdf")
    (t,) = doc.tables
    assert t.pages == (1, 2) and t.n_cols == 5 and t.n_rows == 1 + 34 + 1
    g = t.grid()
    assert g[-2] == ["201", "34", "事务34", "34.00", "34.00"]
    assert g[-1] == ["合计", "", "", "595.00", "595.00"]
    last = [(c.col, c.colspan, c.page, c.source_row, c.source_col) for c in t.cells if c.row == t.n_rows - 1]
    assert last == [(0, 3, 2, 1, 1), (3, 1, 2, 1, 2), (4, 1, 2, 1, 3)]
    assert not [b for b in doc.text_blocks if b.page == 2]


def test_one_ruled_row_after_a_table_ending_mid_page_stays_text():
    doc = read(_total_strip_pdf(fill_page_one=False), "strip-short.pdf")
    (t,) = doc.tables
    assert t.pages == (1,) and t.n_rows == 6
    assert [b.text for b in doc.text_blocks if b.page == 2] == ["合计", "595.00", "595.00"]
