"""The fast PDF reader (PDFium) against the pdfplumber reader on the PDFs drawn by test_reader_pdf.

Both readers share the layout (loaders.readers.pdf.layout_pages); only the extraction
differs, so each generated document must come out the same through both: the same
tables (cell grids, spans, pages, provenance), the same text blocks, the same issues.
The table finder is also checked against pdfplumber's own on random rulings.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.readers import pdf, pdf_fast
from tests.unit.test_reader_pdf import XS, Sheet, _image_page, draw_header, draw_row


def signature(doc) -> dict:
    """What both readers must agree on exactly (boxes are compared within a tolerance by :func:`same`)."""
    blocks = []
    for b in doc.blocks:
        if hasattr(b, "cells"):
            blocks.append(
                (
                    "table",
                    b.index,
                    b.n_rows,
                    b.n_cols,
                    b.title,
                    [(c.row, c.col, c.text, c.rowspan, c.colspan, c.page, c.source_row, c.source_col) for c in b.cells],
                    [cb.text for cb in b.caption_blocks],
                )
            )
        else:
            blocks.append(("text", b.text, b.page))
    return {"pages": doc.pages, "issues": [(i.severity, i.code, i.page) for i in doc.issues], "blocks": blocks}


def same(data: bytes, name: str = "x.pdf"):
    a, b = pdf.read(data, name), pdf_fast.read(data, name)
    assert signature(b) == signature(a)
    # text boxes within a point: reportlab's STSong-Light is not embedded, and PDFium takes a Latin
    # glyph's width and the descent from the font it substitutes, pdfminer from the PDF's /W and
    # descriptor (the real filings embed their fonts: there the boxes agree to 1/100 pt)
    for x, y in zip(a.text_blocks, b.text_blocks):
        assert all(abs(p - q) < 1.0 for p, q in zip(x.bbox, y.bbox)), (x, y)
    for ta, tb in zip(a.tables, b.tables):
        for x, y in zip(ta.cells, tb.cells):
            assert (x.bbox is None) == (y.bbox is None)
            assert x.bbox is None or all(abs(p - q) < 1.0 for p, q in zip(x.bbox, y.bbox)), (x, y)
    return b


def ruled_pdf() -> bytes:
    s = Sheet()
    s.text(220, 40, "部门预算收支总表", size=14)
    s.text(50, 66, "编制部门：450新乐市医疗保障局")
    s.text(480, 66, "单位：万元")
    top = draw_header(s, 80)
    top = draw_row(s, top, ["1", ["一、一般公共预算", "拨款收入"], "2,858.50", "一、一般公共服务支出", "-12.00"], height=30)
    top = draw_row(s, top, ["2", "二、政府性基金预算拨款收入", "110,387.976749", "二、外交支出", ""])
    draw_row(s, top, ["3", "三、事业收入", "", "三、国防支出", "7,723.25"])
    s.text(50, 400, "注：本表为测试用。")
    return s.pdf()


def test_ruled_table():
    doc = same(ruled_pdf())
    (t,) = doc.tables
    assert (t.n_rows, t.n_cols) == (5, 5)
    assert t.grid()[2] == ["1", "一、一般公共预算拨款收入", "2,858.50", "一、一般公共服务支出", "-12.00"]
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in t.cells}
    assert spans[(0, 0)] == (2, 1) and spans[(0, 1)] == (1, 2)  # merged cells: a separator missing


def test_table_across_pages():
    s = Sheet()
    s.text(220, 40, "部门预算收支总表", size=14)
    s.text(480, 66, "单位：万元")
    top = draw_header(s, 80)
    for k in range(1, 31):
        top = draw_row(s, top, [str(k), f"收入项目{k}", f"{k},000.00", f"支出项目{k}", f"{k}.50"])
    top = draw_row(s, top, ["31", "机关事业单位基本养老", "1,234.56", "三十一、其他支出", "8.00"])
    s.text(290, 800, "- 1 -")
    s.page()
    top = draw_header(s, 40)
    top = draw_row(s, top, ["", "保险缴费支出", "", "", ""])
    top = draw_row(s, top, ["32", "收入合计", "2,858.50", "支出合计", "2,858.50"])
    s.text(50, top + 30, "第二张表")
    top = draw_row(s, top + 50, ["a", "b", "c", "d", "e"])
    draw_row(s, top, ["f", "g", "h", "i", "j"])
    doc = same(s.pdf())
    first, second = doc.tables
    assert first.pages == (1, 2) and first.n_rows == 34
    assert first.grid()[32] == ["31", "机关事业单位基本养老保险缴费支出", "1,234.56", "三十一、其他支出", "8.00"]


def test_borderless_table_and_prose():
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
    for k in range(6):
        s.text(50, 200 + 16 * k, "本部门2026年收入预算2,858.50万元，比上年增加12.00万元，主要原因是人员增加。")
    doc = same(s.pdf())
    (t,) = doc.tables
    assert t.grid() == [list(r) for r in rows]


def test_lines_and_white_rectangles():
    """A grid drawn with single lines, and white filled rectangles painted over it (Excel exports)."""
    s = Sheet()
    c = s.c
    H = 842
    ys = [100, 120, 140, 160]
    for y in ys:
        c.line(XS[0], H - y, XS[-1], H - y)
    for x in XS:
        c.line(x, H - ys[0], x, H - ys[-1])
    c.setFillColorRGB(1, 1, 1)
    c.setStrokeColorRGB(1, 1, 1)
    c.rect(XS[1] + 5, H - 138, 30, 16, stroke=1, fill=1)  # a white box inside a cell: no ruling
    c.setFillColorRGB(0, 0, 0)
    c.setStrokeColorRGB(0, 0, 0)
    for r, y in enumerate(ys[:-1]):
        for k in range(len(XS) - 1):
            s.text(XS[k] + 3, y + 5, f"格{r}{k}")
    doc = same(s.pdf())
    (t,) = doc.tables
    assert (t.n_rows, t.n_cols) == (3, 5)


def test_rotated_page():
    s = Sheet()
    s.c.setPageRotation(90)
    top = draw_header(s, 80)
    draw_row(s, top, ["1", "一般公共预算拨款收入", "2,858.50", "一般公共服务支出", "2,858.50"])
    same(s.pdf())


def test_form_xobject():
    """Rulings and text inside a form XObject (a template drawn with a matrix)."""
    s = Sheet()
    s.c.beginForm("grid")
    top = draw_header(s, 80)
    draw_row(s, top, ["1", "一般公共预算拨款收入", "2,858.50", "一般公共服务支出", "2,858.50"])
    s.c.endForm()
    s.c.saveState()
    s.c.translate(10, -20)
    s.c.doForm("grid")
    s.c.restoreState()
    doc = same(s.pdf())
    assert len(doc.tables) == 1


def test_bad_files():
    locked = Sheet(encrypt="pw")
    locked.text(50, 50, "部门预算收支总表")
    doc = same(locked.pdf())
    assert [i.code for i in doc.issues] == ["encrypted_pdf"]
    doc = pdf_fast.read(b"%PDF-1.4\n" + b"\x00garbage" * 100, "junk.pdf")
    assert [(i.severity, i.code) for i in doc.issues] == [("error", "unreadable_pdf")]
    scan = Sheet()
    for k in range(3):
        if k:
            scan.page()
        _image_page(scan)
    doc = same(scan.pdf())
    assert [(i.severity, i.code) for i in doc.issues] == [("error", "scanned_pdf")]
    half = Sheet()
    half.text(50, 50, "部门预算收支总表")
    half.page()
    _image_page(half)
    doc = same(half.pdf())
    assert [(i.severity, i.code) for i in doc.issues] == [("warning", "scanned_pdf")]


def test_truncated_and_random_bytes_never_raise():
    data = ruled_pdf()
    for cut in (len(data) // 2, 200, 20):
        doc = pdf_fast.read(data[:cut], "cut.pdf")
        assert doc.kind == "pdf"
        assert doc.issues or doc.blocks
    for tail in (b"", b"\x00" * 50, b"1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >>"):
        doc = pdf_fast.read(b"%PDF-1.4\n" + tail, "random.pdf")
        assert doc.kind == "pdf" and any(i.severity == "error" for i in doc.issues)


def test_too_large(monkeypatch):
    monkeypatch.setattr(pdf_fast, "MAX_PAGES", 1)
    s = Sheet()
    s.text(50, 50, "一")
    s.page()
    s.text(50, 50, "二")
    doc = pdf_fast.read(s.pdf(), "long.pdf")
    assert [(i.severity, i.code) for i in doc.issues] == [("error", "too_large")] and doc.pages == 2


# ---------------------------------------------------------------------------- the table finder


def _plumber_cells(h, v):
    """pdfplumber's TableFinder steps on the same edges."""
    from pdfplumber import table as T
    from pdfplumber import utils

    edges = [{"x0": a, "top": b, "x1": c, "bottom": d, "width": c - a, "height": 0, "orientation": "h", "object_type": "line", "doctop": b} for a, b, c, d in h]
    edges += [{"x0": a, "top": b, "x1": c, "bottom": d, "width": 0, "height": d - b, "orientation": "v", "object_type": "line", "doctop": b} for a, b, c, d in v]
    edges = utils.filter_edges(edges, min_length=1)
    edges = T.merge_edges(edges, 3, 3, 3, 3)
    edges = utils.filter_edges(edges, min_length=3)
    cells = T.intersections_to_cells(T.edges_to_intersections(edges, 3, 3))
    return T.cells_to_tables(cells)


coord = st.integers(0, 60).map(lambda k: k * 2.5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(coord, coord, st.integers(1, 40).map(lambda k: k * 2.5)), max_size=14),
    st.lists(st.tuples(coord, coord, st.integers(1, 40).map(lambda k: k * 2.5)), max_size=14),
)
def test_table_finder_matches_pdfplumber(hs, vs):
    h = [[x, y, x + n, y] for x, y, n in hs]
    v = [[x, y, x, y + n] for x, y, n in vs]
    ours = pdf_fast.find_table_cells([list(e) for e in h], [list(e) for e in v])
    theirs = _plumber_cells(h, v)
    norm = lambda tables: [sorted(tuple(round(x, 6) for x in c) for c in t) for t in tables]  # noqa: E731
    assert norm(ours) == norm(theirs)
