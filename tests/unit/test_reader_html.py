"""The HTML reader: <table> pages, positioned-box pages, encodings and garbage."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.document import Table, TextBlock, cell_locator
from loaders.readers.html import read

# Rows from the sample filing 002 (部门预算收支总表, 项目支出绩效目标表).
SAVED_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>新乐市医疗保障局2021年部门预算</title>
<style>td { border: 1px solid #000 }</style><script>var x = "<table><tr><td>not a table</td></tr></table>";</script>
</head>
<body>
<nav><a href="/">首页</a></nav>
<h2>部门预算收支总表</h2>
<p>450新乐市医疗保障局</p>
<p>预算年度：2021<br>单位：万元</p>
<table>
  <tr><td rowspan="2">序号</td><td colspan="2">收入</td><td colspan="2">支出</td></tr>
  <tr><td>项  目</td><td>预算数</td><td>项  目</td><td>预算数</td></tr>
  <tr><td>1</td><td>一、一般公共预算<br/>拨款收入</td><td>7,723.25</td><td>一、一般公共服务支出</td><td></td></tr>
  <tr><td>2</td><td>
        二、政府性基金预算拨款收入
      </td><td>2,858.50</td><td><span>八、社会保障</span><span>和就业支出</span></td><td>49.21</td></tr>
  <tr><td>31</td><td>本年收入合计</td><td><b>10,581.75</b></td><td>本年支出合计</td><td>10,581.75</td></tr>
</table>
<p>项目支出绩效目标表</p>
<table>
  <thead><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr></thead>
  <tbody>
  <tr><td rowspan="2">产出指标</td><td>数量指标</td><td>城乡居民参保人数</td><td>&gt;433700人</td></tr>
  <tr><td>质量指标</td><td>综合业务管理工作完成率</td><td><span>≥</span><span>95%</span></td></tr>
  </tbody>
</table>
<div class="footer">联系电话：0311-88888888</div>
</body></html>
"""


def _only_tables(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_saved_page_tables_with_merges():
    doc = read(SAVED_PAGE.encode("utf-8"), "page.html")
    assert doc.kind == "html" and doc.encoding == "utf-8" and not doc.issues
    t1, t2 = _only_tables(doc)
    assert (t1.index, t2.index) == (1, 2)
    assert (t1.n_rows, t1.n_cols) == (5, 5)
    assert t1.grid() == [
        ["序号", "收入", "", "支出", ""],
        ["", "项 目", "预算数", "项 目", "预算数"],
        ["1", "一、一般公共预算\n拨款收入", "7,723.25", "一、一般公共服务支出", ""],
        ["2", "二、政府性基金预算拨款收入", "2,858.50", "八、社会保障和就业支出", "49.21"],
        ["31", "本年收入合计", "10,581.75", "本年支出合计", "10,581.75"],
    ]
    merged = {(c.row, c.col): (c.rowspan, c.colspan) for c in t1.cells if c.rowspan > 1 or c.colspan > 1}
    assert merged == {(0, 0): (2, 1), (0, 1): (1, 2), (0, 3): (1, 2)}
    assert len(t1.cells) == 22  # a merged cell is one cell, never repeated
    amount = next(c for c in t1.cells if c.text == "2,858.50")
    assert (amount.source_row, amount.source_col, amount.page) == (4, 3, None)
    assert cell_locator(doc.kind, t1, amount) == "table 1 row 4 col 3"
    assert t1.title == "部门预算收支总表"
    assert [b.text for b in t1.caption_blocks] == ["部门预算收支总表", "450新乐市医疗保障局", "预算年度：2021", "单位：万元"]
    assert t2.grid() == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "城乡居民参保人数", ">433700人"],
        ["", "质量指标", "综合业务管理工作完成率", "≥95%"],
    ]
    assert t2.title == "项目支出绩效目标表"
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    assert "联系电话：0311-88888888" in texts  # body text after the last table is kept
    assert not any("not a table" in t for t in texts)  # script skipped
    # document order: heading, the table, the caption of the second table, the table, the footer
    kinds = ["T" if isinstance(b, Table) else b.text for b in doc.blocks]
    assert kinds[-4:] == ["T", "项目支出绩效目标表", "T", "联系电话：0311-88888888"]


def test_gbk_page_with_meta_charset():
    page = SAVED_PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    page = page.replace("≥", "&#8805;")  # not in GBK: written as an entity, as GBK pages do
    doc = read(page.encode("gbk"), "page.html")
    assert doc.encoding == "gb18030" and doc.damaged == 0
    t1, t2 = doc.tables
    assert t1.grid()[3][1:4] == ["二、政府性基金预算拨款收入", "2,858.50", "八、社会保障和就业支出"]
    assert t2.grid()[2][3] == "≥95%"


def test_gbk_page_without_declaration_and_bom_page():
    body = "<html><body><p>部门预算收支总表</p><table><tr><td>项目</td><td>预算数</td></tr><tr><td>本年收入合计</td><td>7,723.25</td></tr></table></body></html>"
    doc = read(body.encode("gb18030"), "x.html")
    assert doc.encoding == "gb18030"
    assert doc.tables[0].grid() == [["项目", "预算数"], ["本年收入合计", "7,723.25"]]
    doc = read(b"\xef\xbb\xbf" + body.encode("utf-8"), "x.html")
    assert doc.encoding == "utf-8-sig" and doc.tables[0].title == "部门预算收支总表"


def test_damaged_bytes_are_replaced_with_a_warning():
    data = SAVED_PAGE.encode("utf-8")
    i = data.index("本年收入合计".encode())
    doc = read(data[:i] + b"\xff" + data[i + 1 :], "page.html")
    assert doc.damaged >= 1 and "damaged" in doc.encoding
    assert any(x.code == "damaged_bytes" and x.severity == "warning" for x in doc.issues)
    assert doc.tables[0].grid()[4][2] == "10,581.75"


def test_layout_table_does_not_hide_the_data_table():
    page = f"""<html><body>
    <table width="100%"><tr><td><img src="logo.png">新乐市人民政府</td></tr>
    <tr><td>
      <table><tr><td>
        <p>部门预算收支总表</p><p>单位：万元</p>
        <table border="1">
          <tr><td>项目</td><td>预算数</td></tr>
          <tr><td>一、一般公共预算拨款收入</td><td>7,723.25</td></tr>
          <tr><td>本年收入合计</td><td>7,723.25</td></tr>
        </table>
      </td></tr></table>
    </td></tr>
    <tr><td>版权所有</td></tr></table>
    </body></html>"""
    doc = read(page.encode(), "layout.html")
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.index == 1 and t.title == "部门预算收支总表"
    assert t.grid() == [["项目", "预算数"], ["一、一般公共预算拨款收入", "7,723.25"], ["本年收入合计", "7,723.25"]]
    texts = [b.text for b in doc.text_blocks]
    assert texts[0] == "新乐市人民政府" and texts[-1] == "版权所有"


def _box(top, left, text, size=9.0):
    return f'<div class="p" style="top:{top}pt;left:{left}pt;font-size:{size}pt;line-height:{size}pt;position:absolute;">{text}</div>'


def _rules(xs, ys):
    out = []
    for y in ys:
        out.append(f'<div class="r" style="position:absolute;left:{xs[0]}pt;top:{y}pt;width:{xs[-1] - xs[0]}pt;height:0.0pt;border-bottom:0.5pt solid #000;"> </div>')
    for x in xs:
        out.append(f'<div class="r" style="position:absolute;left:{x}pt;top:{ys[0]}pt;width:0.0pt;height:{ys[-1] - ys[0]}pt;border-right:0.5pt solid #000;"> </div>')
    return "".join(out)


ROWS = [
    ["项目", "预算数", "项目", "预算数"],
    ["一、一般公共预算拨款收入", "7,723.25", "一、一般公共服务支出", "2,858.50"],
    ["本年收入合计", "7,723.25", "本年支出合计", "7,723.25"],
]


def _positioned_page(ruled: bool) -> str:
    xs = [40.0, 200.0, 280.0, 440.0, 520.0]
    ys = [100.0, 118.0, 136.0, 154.0]
    boxes = [_box(60, 200, "部门预算收支总表", 16), _box(82, 42, "单位：万元")]
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            top = ys[r] + 4
            if c % 2 and r:  # amounts right-aligned
                boxes.append(_box(top, xs[c + 1] - 4 - 0.55 * 9 * len(text), text))
            elif text.startswith("本年"):  # letter-spaced, one box per character
                boxes.extend(_box(top, xs[c] + 10 + 14 * k, ch) for k, ch in enumerate(text))
            else:
                boxes.append(_box(top, xs[c] + 2, text))
    inner = "".join(boxes) + (_rules(xs, ys) if ruled else "")
    return (
        '<html><head><meta charset="utf-8"><style>.page{position:relative}</style></head><body>'
        '<div class="page" style="width:595pt;height:842pt;position:relative;">' + inner + _box(804, 290, "— 6 —") + "</div></body></html>"
    )


def test_positioned_boxes_with_ruling_lines():
    doc = read(_positioned_page(True).encode(), "p.html")
    assert doc.pages == 1 and len(doc.tables) == 1
    t = doc.tables[0]
    assert t.grid() == ROWS
    assert t.title == "部门预算收支总表"
    assert [b.text for b in doc.text_blocks] == ["部门预算收支总表", "单位：万元"]  # page number dropped
    c = next(c for c in t.cells if c.text == "2,858.50")
    assert (c.page, c.source_row, c.source_col, c.row, c.col) == (1, 2, 4, 1, 3)
    assert c.bbox == (440.0, 118.0, 520.0, 136.0)
    assert cell_locator(doc.kind, t, c) == "table 1 row 2 col 4"


def test_positioned_boxes_without_ruling_lines():
    doc = read(_positioned_page(False).encode(), "p.html")
    assert len(doc.tables) == 1
    assert doc.tables[0].grid() == ROWS
    assert doc.tables[0].title == "部门预算收支总表"


def test_positioned_table_continued_on_the_next_page_is_one_table():
    xs = [40.0, 200.0, 300.0]

    def page(rows, title=True):
        ys = [100.0 + 18 * k for k in range(len(rows) + 1)]
        boxes = [_box(60, 200, "收入总体情况表", 16), _box(82, 42, "单位：万元")] if title else []
        for r, row in enumerate(rows):
            boxes += [_box(ys[r] + 4, xs[0] + 2, row[0]), _box(ys[r] + 4, xs[1] + 2, row[1])]
        return '<div class="page" style="width:595pt;height:842pt;position:relative;">' + "".join(boxes) + _rules(xs, ys) + "</div>"

    header = ["科目名称", "合计"]
    html = "<html><body>" + page([header, ["教育支出", "148.95"], ["进修及培训", "148.95"]]) + page([header, ["住房保障支出", "759.73"]]) + "</body></html>"
    doc = read(html.encode(), "two-pages.html")
    assert doc.pages == 2 and len(doc.tables) == 1
    t = doc.tables[0]
    assert t.grid() == [header, ["教育支出", "148.95"], ["进修及培训", "148.95"], ["住房保障支出", "759.73"]]
    last = t.rows()[3][1]
    assert (last.page, last.source_row) == (2, 2)
    assert t.pages == (1, 2)


# --------------------------------------------------------------------------- garbage


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_after_html_never_raise(junk):
    doc = read(b"<html><body><table><tr><td>1</td>" + junk, "junk.html")
    assert doc.kind == "html"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["<table>", "<tr>", "<td rowspan=99999>", "<td colspan=0>", "<th colspan='x'>", "</table>", "<div style='position:absolute;left:1pt;top:2pt'>", "7,723.25", "<br>", "</td>", "<p>", "部门"]), max_size=80))
def test_unclosed_and_shuffled_tags_never_raise(parts):
    doc = read(("<html><body>" + "".join(parts)).encode(), "x.html")
    assert doc.kind == "html"
    for t in doc.tables:
        for c in t.cells:
            assert 0 <= c.row < t.n_rows and c.row + c.rowspan <= t.n_rows and c.colspan >= 1


def test_empty_and_non_html_input():
    assert read(b"", "x.html").failed
    assert read(b"<html></html>", "x.html").blocks == []
    doc = read(b"<html>\x00\x01\x02" + bytes(range(256)) * 10, "x.html")
    assert doc.kind == "html"


def test_deep_nesting_is_bounded():
    doc = read(("<div>" * 1500 + "部门预算" + "</div>" * 1500).encode(), "deep.html")
    assert [b.text for b in doc.text_blocks] == ["部门预算"]
    # libxml2 stops nesting at 2048 levels (what lies deeper is lost by the parser); no exception
    assert read(("<div>" * 5000 + "部门预算" + "</div>" * 5000).encode(), "deeper.html").kind == "html"


def test_fifty_megabytes_finish_in_bounded_time():
    row = "<tr><td>{i}</td><td>一、一般公共预算拨款收入</td><td>7,723.25</td><td><span>≥</span><span>95%</span></td></tr>\n"
    parts = ["<html><body><h1>部门预算收支总表</h1><table>"]
    size = 0
    i = 0
    while size < 50_000_000:
        s = row.format(i=i)
        parts.append(s)
        size += len(s.encode())
        i += 1
    parts.append("</table></body></html>")
    data = "".join(parts).encode()
    assert len(data) >= 50_000_000
    start = time.monotonic()
    doc = read(data, "big.html")
    elapsed = time.monotonic() - start
    assert elapsed < 60, elapsed
    assert doc.kind == "html"
    assert any(x.code == "too_large" for x in doc.issues) or doc.tables


def test_class_positioned_boxes_pdf2htmlex_style():
    """pdf2htmlEX puts positions in CSS classes and measures from the page's bottom."""
    css = ".t{position:absolute;white-space:pre}.h0{height:800px}.x0{left:40px}.x1{left:200px}.x2{left:300px}"
    css += ".y0{bottom:700px}.y1{bottom:680px}.y2{bottom:660px}.y3{bottom:640px}.fs0{font-size:12px}"
    rows = [("项目", "预算数", "备注"), ("本年收入合计", "7,723.25", "无"), ("本年支出合计", "2,858.50", "无")]
    boxes = '<div class="t x1 y0 fs0">部门预算收支总表</div>'
    for r, row in enumerate(rows, start=1):
        boxes += "".join(f'<div class="t x{c} y{r} fs0">{text}</div>' for c, text in enumerate(row))
    page = f'<html><head><style>{css}</style></head><body><div id="pf1" class="pf h0"><div class="pc">{boxes}</div></div></body></html>'
    doc = read(page.encode(), "pdf2htmlex.html")
    assert doc.pages == 1
    assert [b.text for b in doc.text_blocks] == ["部门预算收支总表"]
    assert doc.tables[0].grid() == [list(r) for r in rows]
    assert doc.tables[0].title == "部门预算收支总表"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-50, 900, allow_nan=False),
            st.floats(-50, 900, allow_nan=False),
            st.floats(0, 300, allow_nan=False),
            st.floats(0, 300, allow_nan=False),
            st.sampled_from(["", "7,723.25", "合计", "部门预算", "— 3 —"]),
            st.sampled_from(["", "border-bottom:0.5pt solid #000;", "border-right:0.5pt solid #000;", "border:1px solid;", "background:#000;"]),
        ),
        min_size=10,
        max_size=120,
    )
)
def test_random_positioned_boxes_never_raise(boxes):
    divs = "".join(
        f'<div style="position:absolute;left:{x}pt;top:{y}pt;width:{w}pt;height:{h}pt;{extra}">{text}</div>' for x, y, w, h, text, extra in boxes
    )
    doc = read(f'<html><body><div class="page" style="height:842pt">{divs}</div></body></html>'.encode(), "x.html")
    assert doc.kind == "html" and not doc.failed
    for t in doc.tables:
        for c in t.cells:
            assert 0 <= c.row < t.n_rows and 0 <= c.col < t.n_cols
