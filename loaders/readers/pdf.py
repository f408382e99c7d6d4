"""PDF reader: a PDF's text layer → :class:`loaders.document.Document`.

Two layers, kept apart so another text engine can reuse the second:

1. **Extraction** (pdfplumber, the only library-specific part): for every page a
   :class:`PageInput` — its glyphs (text, box and, when known, baseline), the cell
   boxes of each ruled table pdfplumber's ``find_tables`` finds, and whether it
   holds an image. Only glyphs a reader sees: on a page with text drawn off the
   page (a sign the producer relies on clipping), pypdfium2 tells which glyphs
   their clipping path hides, and those are left out. pypdfium2 opens the file
   first (fast, tells a password, garbage and the page count); pdfplumber then
   reads the pages one by one and closes each.
2. **Layout** (pure Python on :class:`PageInput`): glyphs → lines (a glyph whose
   box does not hold its baseline gets a box from it, so a font with odd metrics
   stays on its line); ruled cell boxes → a grid with rowspan/colspan (positions
   no box covers, a cell left open by the page break, form one cell per column
   run); lines outside ruled tables → borderless tables (columns from text
   alignment) or text blocks; then tables continued over a page break are joined
   (repeated header dropped, a cut row rejoined, a merged cell open at the foot
   of the page continued into the next piece, a piece with finer column rulings
   re-gridded), blocks are put in reading order and captions attached.

Never raises: what cannot be read becomes a :class:`ReadIssue` (``scanned_pdf``,
``encrypted_pdf``, ``unreadable_pdf``, ``too_large``, ``page_failed``).
"""

from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass, field
from io import BytesIO
from typing import Optional, Union

from loaders.document import Cell, Document, ReadIssue, Table, TextBlock, attach_captions

__all__ = [
    "read",
    "Glyph",
    "PageInput",
    "layout_pages",
    "MAX_PAGES",
]

MAX_PAGES = 2000  # longer files are refused (too_large)
MAX_GLYPHS_PER_PAGE = 200_000  # a page with more is not laid out (reported)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


# --------------------------------------------------------------------------- input model


@dataclass(slots=True)
class Glyph:
    """One character of the text layer (PDF points, origin top-left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    # where the glyph's baseline (text origin) stands, from the page top; None when the
    # engine does not tell. Some embedded fonts report an ascent/descent that puts the box
    # wholly below the baseline (重庆's E-BZ digits and punctuation): the baseline lets the
    # layout put such a glyph back on its line (:func:`_normalise_glyphs`).
    baseline: Optional[float] = None


@dataclass
class PageInput:
    """What the layout step needs from one page; any text engine can fill it."""

    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    ruled: list[list[Box]] = field(default_factory=list)  # per ruled table: its cell boxes
    has_image: bool = False


# --------------------------------------------------------------------------- text joining

_CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _is_wordish(ch: str) -> bool:
    """Latin letters, digits and the signs that sit inside numbers and words."""
    return bool(ch) and not _CJK_RE.match(ch) and not ch.isspace()


def join_wrapped(a: str, b: str) -> str:
    """Join two pieces of one cell/paragraph: no separator at a CJK wrap, a space between Latin/digit words."""
    if not a:
        return b
    if not b:
        return a
    if _is_wordish(a[-1]) and _is_wordish(b[0]) and (a[-1].isalnum() and b[0].isalnum()):
        if _AMOUNT_CUT_RE.match(a) and b.isdigit():  # an amount wrapped in a narrow cell: 21,118.5 | 1
            return a + b
        return a + " " + b
    return a + b


_AMOUNT_CUT_RE = re.compile(r"^[-+−]?\d{1,3}(,\d{3})*(,\d{0,2}|\.\d*)$|^[-+−]?\d+\.\d*$")


# --------------------------------------------------------------------------- lines


@dataclass
class Line:
    glyphs: list[Glyph]
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def size(self) -> float:
        return statistics.median(g.size for g in self.glyphs) if self.glyphs else 10.0


def _normalise_glyphs(glyphs: list[Glyph]) -> list[Glyph]:
    """Glyphs whose box does not hold their baseline get a box from the baseline and size.

    A CJK font's box runs from about 0.7–0.9 of the size above the baseline to a little
    below it. A font whose metrics say otherwise (重庆: digits, Latin and punctuation in
    E-BZ, box top 0.03 × size *below* the baseline) would sit half a line lower than the
    CJK glyphs printed beside it and be read as a line of its own; its box is redrawn at
    0.8 × size above and 0.2 × size below the baseline, where the printed glyph stands.
    """
    out: list[Glyph] = []
    for g in glyphs:
        b = g.baseline
        if b is not None:
            size = g.size if g.size > 0 else g.bottom - g.top
            if size > 0 and not (g.top + 0.4 * size <= b <= g.bottom + 0.1 * size and b - g.top <= 1.2 * size):
                g = Glyph(g.text, g.x0, b - 0.8 * size, g.x1, b + 0.2 * size, g.size, b)
        out.append(g)
    return out


def _group_lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs → lines (top to bottom), each sorted left to right, doubled glyphs (fake bold) dropped."""
    if not glyphs:
        return []
    gs = sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2)
    lines: list[list[Glyph]] = []
    cur: list[Glyph] = []
    cur_top = cur_bottom = 0.0
    for g in gs:
        mid = (g.top + g.bottom) / 2
        if cur and cur_top - 0.5 <= mid <= cur_bottom + 0.5:
            cur.append(g)
            cur_top = min(cur_top, g.top) if g.bottom - g.top < 3 * (cur_bottom - cur_top + 1) else cur_top
            cur_bottom = max(cur_bottom, g.bottom) if g.bottom - g.top < 3 * (cur_bottom - cur_top + 1) else cur_bottom
        else:
            if cur:
                lines.append(cur)
            cur = [g]
            cur_top, cur_bottom = g.top, g.bottom
    if cur:
        lines.append(cur)
    out: list[Line] = []
    for ln in lines:
        ln.sort(key=lambda g: g.x0)
        dedup: list[Glyph] = []
        for g in ln:
            if dedup:
                p = dedup[-1]
                if p.text == g.text and abs(p.x0 - g.x0) < 1.0 and abs(p.top - g.top) < 1.0:
                    continue
            dedup.append(g)
        out.append(
            Line(
                dedup,
                min(g.x0 for g in dedup),
                min(g.top for g in dedup),
                max(g.x1 for g in dedup),
                max(g.bottom for g in dedup),
            )
        )
    out.sort(key=lambda ln: ln.top)
    return out


def _glyphs_text(glyphs: list[Glyph]) -> str:
    """One line's glyphs (left to right) → text; a space only where a gap separates two Latin/digit words."""
    parts: list[str] = []
    prev: Optional[Glyph] = None
    for g in glyphs:
        if prev is not None and parts:
            gap = g.x0 - prev.x1
            if gap > 0.25 * max(min(prev.size, g.size), 1.0):
                last = parts[-1][-1:]
                if last.isalnum() and not _CJK_RE.match(last) and g.text[:1].isalnum() and not _CJK_RE.match(g.text[:1]):
                    parts.append(" ")
        parts.append(g.text)
        prev = g
    return "".join(parts)


def _lines_text(lines: list[list[Glyph]]) -> str:
    text = ""
    for ln in lines:
        text = join_wrapped(text, _glyphs_text(ln))
    return text


def _segments(line: Line, gap: float) -> list[list[Glyph]]:
    """Split a line where the space between two glyphs is wider than ``gap``."""
    segs: list[list[Glyph]] = [[line.glyphs[0]]]
    for g in line.glyphs[1:]:
        if g.x0 - segs[-1][-1].x1 > gap:
            segs.append([g])
        else:
            segs[-1].append(g)
    return segs


def _bbox(glyphs: list[Glyph]) -> Box:
    return (
        round(min(g.x0 for g in glyphs), 2),
        round(min(g.top for g in glyphs), 2),
        round(max(g.x1 for g in glyphs), 2),
        round(max(g.bottom for g in glyphs), 2),
    )


# --------------------------------------------------------------------------- page tables


@dataclass
class PCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    bbox: Optional[Box] = None
    open_bottom: bool = False  # no ruling closes it at the table's bottom: it goes on over the page break


@dataclass
class PageTable:
    """A table as it stands on one page."""

    page: int
    cells: list[PCell]
    n_rows: int
    n_cols: int
    xs: list[float]  # column boundaries (n_cols + 1)
    top: float
    bottom: float
    ruled: bool

    def grid(self) -> list[list[str]]:
        out = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            out[c.row][c.col] = c.text
        return out


PageItem = Union[TextBlock, PageTable]


def _cluster(values: list[float], tol: float) -> list[float]:
    vs = sorted(values)
    groups: list[list[float]] = []
    for v in vs:
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _nearest(bounds: list[float], v: float) -> int:
    i = bisect.bisect_left(bounds, v)
    if i == 0:
        return 0
    if i >= len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


def _ruled_table(page: int, boxes: list[Box], glyphs: list[Glyph], one_row: bool = False) -> tuple[Optional[PageTable], list[Glyph]]:
    """Cell boxes of one ruled table + the page's glyphs → (table, glyphs it did not take).

    ``one_row``: a single row of cells is a table too (a strip continuing the table of the
    page before, see :func:`layout_page`)."""
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes], 2.5)
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes], 2.5)
    if len(xs) < 3 or len(ys) < (2 if one_row else 3):  # fewer than 2 columns or 2 rows: a box around text, not a table
        return None, glyphs
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner: list[list[int]] = [[-1] * n_cols for _ in range(n_rows)]
    cells: list[PCell] = []
    for b in boxes:
        c0, c1 = _nearest(xs, b[0]), _nearest(xs, b[2])
        r0, r1 = _nearest(ys, b[1]), _nearest(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        if any(owner[r][c] >= 0 for r in range(r0, r1) for c in range(c0, c1)):
            continue  # overlapping box (pdfplumber sometimes reports one twice)
        idx = len(cells)
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r][c] = idx
        cells.append(PCell(r0, c0, "", r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1])))
    # Positions no box covers: a cell left open (no ruling closes it, e.g. a merged 项目名称
    # cell cut by the page break has no bottom line). No ruling separates the uncovered
    # positions of one column from each other, so each vertical run of them is one cell,
    # which keeps the grid whole.
    for c in range(n_cols):
        r = 0
        while r < n_rows:
            if owner[r][c] >= 0:
                r += 1
                continue
            r1 = r
            while r1 < n_rows and owner[r1][c] < 0:
                owner[r1][c] = len(cells)
                r1 += 1
            cells.append(PCell(r, c, "", r1 - r, 1, (xs[c], ys[r], xs[c + 1], ys[r1]), open_bottom=r1 == n_rows and r1 - r > 1))
            r = r1
    if not cells:
        return None, glyphs
    taken: list[list[Glyph]] = [[] for _ in cells]
    rest: list[Glyph] = []
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    for g in glyphs:
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        if not (x_lo <= cx <= x_hi and y_lo <= cy <= y_hi):
            rest.append(g)
            continue
        c = min(max(bisect.bisect_right(xs, cx) - 1, 0), n_cols - 1)
        r = min(max(bisect.bisect_right(ys, cy) - 1, 0), n_rows - 1)
        taken[owner[r][c]].append(g)
    for cell, gs in zip(cells, taken):
        if gs:
            cell.text = _lines_text([ln.glyphs for ln in _group_lines(gs)]).strip()
    cells.sort(key=lambda c: (c.row, c.col))
    return PageTable(page, cells, n_rows, n_cols, xs, ys[0], ys[-1], True), rest


# --------------------------------------------------------------------------- borderless tables

_NUMERIC_RE = re.compile(r"^[-+−]?[\d,，]*\.?\d+%?$|^[-—–]+$")
_NOT_TABLE_PREFIXES = ("单位", "金额单位", "编制单位", "编制部门", "预算单位", "填报单位", "部门：", "部门名称")


def _looks_numeric(text: str) -> bool:
    return bool(_NUMERIC_RE.match(text.replace(" ", "")))


def _borderless(page: int, lines: list[Line], page_width: float) -> list[Union[Line, PageTable]]:
    """Lines outside ruled tables → runs of aligned multi-column lines become tables; the rest stay lines."""
    if not lines:
        return []
    size = statistics.median(ln.size for ln in lines)
    gap = max(1.6 * size, 9.0)
    segs = [_segments(ln, gap) for ln in lines]
    out: list[Union[Line, PageTable]] = []
    i = 0
    n = len(lines)
    while i < n:
        if len(segs[i]) < 2 or _glyphs_text(segs[i][0]).startswith(_NOT_TABLE_PREFIXES):
            out.append(lines[i])
            i += 1
            continue
        # a run: multi-segment lines, single-segment lines allowed inside it, line pitch bounded
        j = i + 1
        last_multi = i
        while j < n:
            pitch = lines[j].top - lines[j - 1].bottom
            if pitch > 2.5 * max(size, lines[j].size):
                break
            if len(segs[j]) >= 2:
                last_multi = j
            elif j - last_multi > 2:
                break
            j += 1
        j = last_multi + 1
        multi = [k for k in range(i, j) if len(segs[k]) >= 2]
        if len(multi) < 3:
            out.append(lines[i])
            i += 1
            continue
        table = _borderless_table(page, lines[i:j], segs[i:j])
        if table is None:
            out.extend(lines[i:j])
        else:
            out.append(table)
        i = j
    return out


def _borderless_table(page: int, lines: list[Line], segs: list[list[list[Glyph]]]) -> Optional[PageTable]:
    maxn = max(len(s) for s in segs)
    # columns from the lines with the most segments (data rows); a header spanning two columns does not merge them
    base = [s for s in segs if len(s) >= max(2, maxn - 1)]
    ivs = sorted((min(g.x0 for g in sg), max(g.x1 for g in sg)) for s in base for sg in s)
    cols: list[list[float]] = []
    for a, b in ivs:
        if cols and a <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    if len(cols) < 2:
        return None
    xs = [cols[0][0]] + [(cols[k][1] + cols[k + 1][0]) / 2 for k in range(len(cols) - 1)] + [cols[-1][1]]
    n_cols = len(cols)
    rows: list[list[Optional[PCell]]] = []
    row_lines: list[Line] = []
    pitches = [lines[k].top - lines[k - 1].top for k in range(1, len(lines))]
    med_pitch = statistics.median(pitches) if pitches else 0.0
    for ln, ss in zip(lines, segs):
        placed: list[Optional[PCell]] = [None] * n_cols
        for sg in ss:
            x0, x1 = min(g.x0 for g in sg), max(g.x1 for g in sg)
            over = [k for k, (a, b) in enumerate(cols) if min(x1, b) - max(x0, a) > 0.5]
            if not over:
                mid = (x0 + x1) / 2
                over = [min(max(bisect.bisect_right(xs, mid) - 1, 0), n_cols - 1)]
            c0, c1 = over[0], over[-1]
            text = _glyphs_text(sg)
            if placed[c0] is not None:
                placed[c0].text = join_wrapped(placed[c0].text, text)
                continue
            placed[c0] = PCell(0, c0, text, 1, c1 - c0 + 1, _bbox(sg))
        # a wrapped line (tighter than the row pitch, no amounts) continues the row above
        if rows and med_pitch and ln.top - row_lines[-1].top < 0.8 * med_pitch:
            filled = [p for p in placed if p is not None]
            prev = rows[-1]
            if filled and not any(_looks_numeric(p.text) for p in filled) and all(prev[p.col] is not None for p in filled):
                for p in filled:
                    q = prev[p.col]
                    q.text = join_wrapped(q.text, p.text)
                    q.bbox = (min(q.bbox[0], p.bbox[0]), q.bbox[1], max(q.bbox[2], p.bbox[2]), max(q.bbox[3], p.bbox[3]))
                row_lines[-1] = ln
                continue
        rows.append(placed)
        row_lines.append(ln)
    cells: list[PCell] = []
    for r, placed in enumerate(rows):
        c = 0
        while c < n_cols:
            p = placed[c]
            if p is None:
                cells.append(PCell(r, c, "", 1, 1, None))
                c += 1
                continue
            span = min(p.colspan, n_cols - c)
            # a span may not swallow a later cell of the same row
            for k in range(c + 1, c + span):
                if placed[k] is not None:
                    span = k - c
                    break
            p.row, p.col, p.colspan = r, c, span
            cells.append(p)
            c += span
    return PageTable(page, cells, len(rows), n_cols, xs, lines[0].top, lines[-1].bottom, False)


# --------------------------------------------------------------------------- one page


def _is_one_row(boxes: list[Box]) -> bool:
    """Cell boxes forming a single row of two cells or more."""
    return len(_cluster([b[1] for b in boxes] + [b[3] for b in boxes], 2.5)) == 2 and len(
        _cluster([b[0] for b in boxes] + [b[2] for b in boxes], 2.5)) >= 3


def layout_page(p: PageInput, one_row: bool = False) -> list[PageItem]:
    """One page → its tables and text blocks, top to bottom.

    A single row of ruled cells is text (a box around a line), unless ``one_row``: then it
    is a table of one row (the page's layout with a strip that may continue the table of
    the page before: the last row of a table, its 合计, cut off by the page break)."""
    # glyphs outside the page box are never seen (an Excel export draws a merged cell's text
    # on every page the cell spans, at a place off the page where it does not fit): dropped
    glyphs = _normalise_glyphs(
        [
            g
            for g in p.glyphs
            if g.text and not g.text.isspace() and -1.0 <= (g.top + g.bottom) / 2 <= p.height + 1.0 and -1.0 <= (g.x0 + g.x1) / 2 <= p.width + 1.0
        ]
    )
    tables: list[PageTable] = []
    for boxes in p.ruled:
        t, glyphs = _ruled_table(p.number, boxes, glyphs, one_row)
        if t is not None:
            tables.append(t)
    lines = _group_lines(glyphs)
    items: list[PageItem] = list(tables)
    text_lines: list[Line] = []
    for obj in _borderless(p.number, lines, p.width):
        if isinstance(obj, PageTable):
            items.append(obj)
        else:
            text_lines.append(obj)
    # bare page numbers ("24", "- 14 -", "第3页") are page furniture, not text: dropped
    items.extend(b for b in _paragraphs(p.number, text_lines) if not _PAGE_NO_RE.match(b.text))
    items.sort(key=lambda it: it.top if isinstance(it, PageTable) else it.bbox[1])
    return items


def _paragraphs(page: int, lines: list[Line]) -> list[TextBlock]:
    """Lines → text blocks: a line that runs to the right margin continues into the next (a paragraph)."""
    blocks: list[TextBlock] = []
    if not lines:
        return blocks
    size = statistics.median(ln.size for ln in lines)
    gap = max(1.6 * size, 9.0)
    right = max(ln.x1 for ln in lines)
    prev: Optional[Line] = None
    prev_full = False
    for ln in lines:
        pieces = _segments(ln, gap * 2)
        if (
            prev is not None
            and prev_full
            and len(pieces) == 1
            and ln.top - prev.bottom < 0.8 * ln.size
            and abs(ln.size - prev.size) < 0.5
        ):
            b = blocks[-1]
            b.text = join_wrapped(b.text, _glyphs_text(ln.glyphs))
            x0, t0, x1, b0 = b.bbox
            b.bbox = (min(x0, round(ln.x0, 2)), t0, max(x1, round(ln.x1, 2)), round(ln.bottom, 2))
        else:
            joined: list[list[Glyph]] = []
            for sg in pieces:  # "部门：" and the name printed far to its right are one line
                if joined and joined[-1][-1].text in ("：", ":"):
                    joined[-1] = joined[-1] + sg
                else:
                    joined.append(sg)
            for sg in joined:
                text = _glyphs_text(sg).strip()
                if text:
                    blocks.append(TextBlock(text=text, page=page, bbox=_bbox(sg)))
        prev = ln
        prev_full = len(pieces) == 1 and ln.x1 >= right - 2.5 * ln.size and len(ln.glyphs) > 10
    return blocks


# --------------------------------------------------------------------------- across pages

_PAGE_NO_RE = re.compile(r"^[\s\-—–_·•]*(第\s*)?\d{1,3}(\s*页)?([\s/／共]*\d+\s*页?)?[\s\-—–_·•]*$")
_FURNITURE_RE = re.compile(r"^[\s\-—–_·•]*(第\s*)?[\dⅠ-Ⅻ]+(\s*页)?([\s/／共]*\d+\s*页?)?[\s\-—–_·•]*$|^\(?（?续表?）?\)?[:：]?$|^续[:：]?.{0,20}$")


def _is_furniture(block: TextBlock) -> bool:
    """Page numbers and 续表 marks: text that may stand between the two halves of a continued table."""
    return bool(_FURNITURE_RE.match(block.text.strip()))


def _same_columns(a: PageTable, b: PageTable, page_width: float) -> bool:
    if a.n_cols != b.n_cols or a.ruled != b.ruled:
        return False
    tol = 4.0 if a.ruled else max(20.0, 0.03 * page_width)
    return all(abs(x - y) <= tol for x, y in zip(a.xs, b.xs))


def _refined_columns(a: PageTable, b: PageTable) -> bool:
    """Two ruled pieces whose column rulings differ, but one's are a subset of the other's.

    A form-like table (a 绩效目标表) has few columns in its first rows and more further
    down; cut by a page break, its first piece may show only the coarse rows. Same outer
    edges and every boundary of the coarser piece found in the finer one: one grid.
    """
    if not (a.ruled and b.ruled) or a.n_cols == b.n_cols:
        return False
    coarse, fine = (a.xs, b.xs) if a.n_cols < b.n_cols else (b.xs, a.xs)
    if abs(coarse[0] - fine[0]) > 4.0 or abs(coarse[-1] - fine[-1]) > 4.0:
        return False
    return all(any(abs(x - y) <= 4.0 for y in fine) for x in coarse)


def _row_texts(t: PageTable, r: int) -> list[str]:
    out = [""] * t.n_cols
    for c in t.cells:
        if c.row == r:
            out[c.col] = "".join(c.text.split())
    return out


def _crosses(t: PageTable, k: int) -> bool:
    """Does a cell span from above row k into it?"""
    return any(c.row < k < c.row + c.rowspan for c in t.cells)


@dataclass
class _Joined:
    """A table being assembled from page pieces: (piece, rows of it dropped as a repeated header)."""

    pieces: list[tuple[PageTable, int]]
    first_ruled: PageTable


def _repeated_header(first: PageTable, t: PageTable) -> int:
    """How many top rows of ``t`` repeat the first rows of the table's first piece."""
    k = 0
    limit = min(first.n_rows, t.n_rows - 1, 8)
    while k < limit:
        a, b = _row_texts(first, k), _row_texts(t, k)
        if a != b or not any(b) or _crosses(t, k + 1) is None:
            break
        k += 1
    while k and (_crosses(t, k) or _crosses(first, k)):
        k -= 1  # never cut a merged header cell in two
    # a repeated header made only of numbers would be data: keep it
    if k and all(_looks_numeric(x) or not x for r in range(k) for x in _row_texts(t, r)):
        return 0
    return k


_ENUM_RE = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]\D|\d{3,})")


def _cut_row(prev_cells: list[PCell], cont_cells: list[PCell]) -> bool:
    """Is ``cont`` (first row on the new page) the rest of ``prev`` (last row on the page before)?"""
    filled_prev = {c.col for c in prev_cells if c.text}
    filled_cont = [c for c in cont_cells if c.text]
    if not filled_cont or not filled_prev:
        return False
    if any(c.rowspan != 1 for c in prev_cells + cont_cells):
        return False
    if not {c.col for c in filled_cont} <= filled_prev or len(filled_cont) >= len(filled_prev):
        return False
    if any(_looks_numeric(c.text) for c in filled_cont):
        return False
    first = min(filled_cont, key=lambda c: c.col)
    return not _ENUM_RE.match(first.text)


def _norm(text: str) -> str:
    return "".join(text.split())


def _strip_layout(p: PageInput) -> Optional[list[PageItem]]:
    """The page's layout with a one-row strip of ruled cells at its top read as a table, or None.

    Only when that strip is the first thing on the page (page furniture aside) and no
    other one-row strip stands on it: :func:`_assemble` takes this layout when the strip
    continues the table of the page before, the ordinary one otherwise."""
    if not any(_is_one_row(boxes) for boxes in p.ruled):
        return None
    try:
        items = layout_page(p, one_row=True)
    except Exception:  # noqa: BLE001 - the ordinary layout stands
        return None
    strips = [it for it in items if isinstance(it, PageTable) and it.ruled and it.n_rows == 1]
    content = [it for it in items if not (isinstance(it, TextBlock) and _is_furniture(it))]
    if len(strips) != 1 or not content or content[0] is not strips[0]:
        return None
    return items


def _assemble(pages: list[tuple[PageInput, list[PageItem], Optional[list[PageItem]]]]) -> list[Union[TextBlock, list[tuple[PageTable, int]]]]:
    """Page items → document items; a table continued on the next page becomes one list of pieces.

    A table on page N+1 continues the last table of page N when nothing but page
    furniture (page numbers, 续表) or a repeat of the first piece's caption lines
    stands between them and both have the same columns; a repeated caption also
    needs a repeated header row. A page whose top is a single ruled row (its
    alternative layout) continues the table when that table reaches the foot of
    page N, nothing but furniture follows it, and the row has the same columns or
    a subset of its column rulings (the 合计 cell merged over the code columns).
    """
    out: list[Union[TextBlock, list[tuple[PageTable, int]]]] = []
    page_height = {pin.number: pin.height for pin, _, _ in pages}
    first_on_page: dict[int, PageItem] = {}
    last_on_page: dict[int, PageItem] = {}
    # running heads and feet: the same line first (or last) on three pages or more (苏州's
    # "苏州市水务局2026年度单位预算公开" above every page) is furniture too; a table title
    # repeated on each page (…表) is not: it keeps asking for a repeated header row
    edge_pages: dict[str, set[int]] = {}
    for pin, items, _ in pages:
        for it in (items[:1] + items[-1:]) if items else []:
            if isinstance(it, TextBlock) and not _is_furniture(it):
                edge_pages.setdefault(_norm(it.text), set()).add(pin.number)
    running = {t for t, ps in edge_pages.items() if len(ps) >= 3 and not _OWN_TITLE_RE.search(t)}

    def furniture(b: TextBlock) -> bool:
        return _is_furniture(b) or _norm(b.text) in running

    for pin, items, _ in pages:
        content = [it for it in items if not (isinstance(it, TextBlock) and furniture(it))]
        if content:
            first_on_page[pin.number], last_on_page[pin.number] = content[0], content[-1]
    open_tbl: Optional[list[tuple[PageTable, int]]] = None  # the last table while only furniture followed it
    open_captions: set[str] = set()
    since_table: list[TextBlock] = []  # text blocks after the last table
    for pin, items, strip_items in pages:
        if strip_items is not None and open_tbl is not None:
            strip = next(it for it in strip_items if isinstance(it, PageTable))
            prev = open_tbl[-1][0]
            if (
                prev.page == pin.number - 1
                and prev is last_on_page.get(prev.page)
                and prev.ruled
                and prev.bottom >= 0.7 * page_height.get(prev.page, 0.0)
                and not any(not furniture(b) for b in since_table)
                and (_same_columns(prev, strip, pin.width) or _refined_columns(prev, strip))
            ):
                items = strip_items
                content = [it for it in items if not (isinstance(it, TextBlock) and furniture(it))]
                first_on_page[pin.number], last_on_page[pin.number] = content[0], content[-1]
        for it in items:
            if isinstance(it, TextBlock):
                out.append(it)
                since_table.append(it)
                continue
            between = [b for b in since_table if not furniture(b)]
            captions_now = {_norm(b.text) for b in since_table[-4:] if not _is_furniture(b)}
            if (
                open_tbl is not None
                and open_tbl[-1][0].page == it.page - 1
                and all(b.page == it.page for b in between)
                and all(_norm(b.text) in open_captions for b in between)
                and _same_columns(open_tbl[-1][0], it, pin.width)
            ):
                drop = _repeated_header(open_tbl[0][0], it)
                if not between or drop > 0:
                    open_tbl.append((it, drop))
                    since_table = []
                    continue
            if (
                open_tbl is not None
                and not between
                and open_tbl[-1][0].page == it.page - 1
                and open_tbl[-1][0] is last_on_page.get(it.page - 1)
                and open_tbl[-1][0].bottom >= 0.7 * page_height.get(it.page - 1, 0.0)
                and it is first_on_page.get(it.page)
                and _refined_columns(open_tbl[-1][0], it)
            ):
                # the table's foot on the page before has fewer column rulings than this piece
                # (a form's merged top rows), nothing but furniture between: it goes on here
                open_tbl.append((it, 0))
                since_table = []
                continue
            open_tbl = [(it, 0)]
            open_captions = captions_now
            out.append(open_tbl)
            since_table = []
    return out


def _to_table(pieces: list[tuple[PageTable, int]], index: int) -> Table:
    cells: list[Cell] = []
    offset = 0
    last_row: list[Cell] = []
    n_cols = pieces[0][0].n_cols
    bounds: Optional[list[float]] = None
    if any(pt.n_cols != n_cols for pt, _ in pieces):  # pieces with refined columns: one grid of all boundaries
        bounds = _cluster([x for pt, _ in pieces for x in pt.xs], 4.0)
        n_cols = len(bounds) - 1
    open_cells: dict[int, Cell] = {}  # column → the previous piece's cell open at its foot
    next_open: dict[int, Cell] = {}
    for pi, (pt, drop) in enumerate(pieces):
        rows: dict[int, list[PCell]] = {}
        src_col: dict[int, int] = {}  # id of a re-gridded cell → its column on its page
        for c in pt.cells:
            if c.row >= drop:
                if bounds is not None:
                    k0, k1 = _nearest(bounds, pt.xs[c.col]), _nearest(bounds, pt.xs[c.col + c.colspan])
                    page_col = c.col
                    c = PCell(c.row, k0, c.text, c.rowspan, max(k1 - k0, 1), c.bbox, c.open_bottom)
                    src_col[id(c)] = page_col
                rows.setdefault(c.row, []).append(c)
        start = drop
        if pi > 0 and last_row and drop < pt.n_rows:
            cont = rows.get(drop, [])
            prev_p = [PCell(c.row, c.col, c.text, c.rowspan, c.colspan) for c in last_row]
            if _cut_row(prev_p, cont):
                by_col = {c.col: c for c in last_row}
                for c in cont:
                    if c.text:
                        tgt = by_col[c.col]
                        tgt.text = join_wrapped(tgt.text, c.text)
                start = drop + 1
        for r in range(start, pt.n_rows):
            row_cells = []
            for c in sorted(rows.get(r, []), key=lambda c: c.col):
                prev_open = open_cells.pop(c.col, None) if r == start else None
                if prev_open is not None and prev_open.colspan == c.colspan:
                    # a merged cell left open at the foot of the page before goes on here: one cell
                    prev_open.rowspan += min(c.rowspan, pt.n_rows - r)
                    if c.text:
                        if prev_open.text:
                            prev_open.text = join_wrapped(prev_open.text, c.text)
                        else:  # its text stands on this page: the cell points there
                            prev_open.text, prev_open.page, prev_open.bbox = c.text, pt.page, c.bbox
                            prev_open.source_row, prev_open.source_col = r + 1, src_col.get(id(c), c.col) + 1
                    if c.open_bottom:
                        next_open[c.col] = prev_open
                    continue
                span = min(c.rowspan, pt.n_rows - r)
                cell = Cell(
                    row=offset + r - start,
                    col=c.col,
                    text=c.text,
                    rowspan=span,
                    colspan=c.colspan,
                    page=pt.page,
                    source_row=r + 1,
                    source_col=src_col.get(id(c), c.col) + 1,
                    bbox=c.bbox,
                )
                cells.append(cell)
                row_cells.append(cell)
                if c.open_bottom:
                    next_open[c.col] = cell
            if row_cells:
                last_row = row_cells
            if r == start:
                open_cells = {}
        open_cells, next_open = next_open, {}
        offset += max(pt.n_rows - start, 0)
    return Table(index=index, cells=cells, n_rows=offset, n_cols=n_cols, title=_first_row_title(cells, n_cols))


_OWN_TITLE_RE = re.compile(r"表([(（][^()（）]{0,20}[)）])?$")


def _first_row_title(cells: list[Cell], n_cols: int) -> Optional[str]:
    """A table whose first row is one cell across the whole table naming a table (…表) prints its own title there."""
    first = [c for c in cells if c.row == 0]
    if n_cols < 2 or len(first) != 1 or first[0].colspan != n_cols:
        return None
    text = _norm(first[0].text)
    if 0 < len(text) <= 80 and _OWN_TITLE_RE.search(text) and not _TABLE_NO_ONLY_RE.match(text):
        return text
    return None


_TABLE_NO_ONLY_RE = re.compile(r"^.{0,6}表\s*[\d一二三四五六七八九十]+[:：]?$")


def layout_pages(pages: list[PageInput]) -> tuple[list[Union[TextBlock, Table]], list[ReadIssue]]:
    """Pure layout of extracted pages → blocks in reading order (captions attached) and issues."""
    issues: list[ReadIssue] = []
    laid: list[tuple[PageInput, list[PageItem], Optional[list[PageItem]]]] = []
    for p in pages:
        try:
            laid.append((p, layout_page(p), _strip_layout(p)))
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            issues.append(ReadIssue("warning", "page_failed", f"page {p.number} could not be laid out: {type(exc).__name__}: {exc}", p.number))
    blocks: list[Union[TextBlock, Table]] = []
    n = 0
    for item in _assemble(laid):
        if isinstance(item, TextBlock):
            blocks.append(item)
        else:
            n += 1
            blocks.append(_to_table(item, n))
    attach_captions(blocks)
    return blocks, issues


# --------------------------------------------------------------------------- extraction (pdfplumber)


def _ranges(pages: list[int]) -> str:
    out: list[str] = []
    start = prev = None
    for p in pages:
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = p
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)


def _open_check(data: bytes) -> tuple[Optional[int], Optional[ReadIssue]]:
    """pypdfium2 opens the file first: fast, and tells a password or a broken file apart."""
    try:
        import pypdfium2 as pdfium
    except Exception:  # noqa: BLE001 - pdfplumber alone still reads
        return None, None
    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001
        msg = str(exc)
        if "password" in msg.lower():
            return None, ReadIssue("error", "encrypted_pdf", "the PDF is password-protected; it cannot be read without the password")
        return None, ReadIssue("error", "unreadable_pdf", f"the file starts like a PDF but cannot be opened (damaged, truncated or not a PDF): {msg}")
    try:
        return len(doc), None
    except Exception as exc:  # noqa: BLE001
        return None, ReadIssue("error", "unreadable_pdf", f"the PDF's page tree cannot be read: {exc}")
    finally:
        try:
            doc.close()
        except Exception:  # noqa: BLE001
            pass


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):
        return False
    if len(vals) == 4:  # CMYK
        return all(v <= 0.01 for v in vals)
    return bool(vals) and all(v >= 0.99 for v in vals)


def _invisible(o: dict) -> bool:
    """A rectangle or line drawn in white (or not drawn at all): no ruling a reader sees."""
    stroke_visible = o.get("stroke") and not _is_white(o.get("stroking_color"))
    fill_visible = o.get("fill") and not _is_white(o.get("non_stroking_color"))
    if o.get("object_type") == "line":
        return _is_white(o.get("stroking_color"))
    return not stroke_visible and not fill_visible


def _baseline(c: dict) -> Optional[float]:
    """An upright char's baseline from the page top: its box top moved by (y1 − origin y)."""
    m = c.get("matrix")
    if not m or not c.get("upright", True) or m[1] or m[2]:
        return None
    try:
        return float(c["top"]) + float(c["y1"]) - float(m[5])
    except (KeyError, TypeError, ValueError):
        return None


class _ClipReader:
    """pypdfium2's view of clipping paths, which pdfminer ignores (opened only when a page needs it).

    An Excel export draws the text of a merged cell that runs over a page break on every
    page it spans, centred on the whole cell, and clips it to the table's body: on one page
    it lands off the page, on another over the header rows or just below the table. The
    reader must drop what the clip hides, or it reads phantom cells and tables.
    """

    def __init__(self, data: bytes):
        self.data = data
        self.doc = None
        self.failed = False

    def close(self) -> None:
        if self.doc is not None:
            try:
                self.doc.close()
            except Exception:  # noqa: BLE001
                pass
            self.doc = None

    def hidden(self, number: int) -> list[tuple[str, float, float]]:
        """(char, origin x, origin y in PDF space) of each char its clipping path hides on page ``number``."""
        if self.failed:
            return []
        try:
            import ctypes

            import pypdfium2 as pdfium
            import pypdfium2.raw as R

            if self.doc is None:
                self.doc = pdfium.PdfDocument(self.data)
            page = self.doc[number - 1]
            fl = [ctypes.c_float() for _ in range(4)]
            clips: dict[int, tuple[float, float, float, float]] = {}
            for i in range(R.FPDFPage_CountObjects(page.raw)):
                obj = R.FPDFPage_GetObject(page.raw, i)
                if R.FPDFPageObj_GetType(obj) != R.FPDF_PAGEOBJ_TEXT:
                    continue
                box = _clip_box(R, ctypes, obj)
                if box is None:
                    continue
                R.FPDFPageObj_GetBounds(obj, *fl)
                l, b, r, t = (v.value for v in fl)
                if l < box[0] - 1 or r > box[2] + 1 or b < box[1] - 1 or t > box[3] + 1:
                    clips[ctypes.cast(obj, ctypes.c_void_p).value] = box
            out: list[tuple[str, float, float]] = []
            if clips:
                tp = R.FPDFText_LoadPage(page.raw)
                try:
                    ox, oy = ctypes.c_double(), ctypes.c_double()
                    d = [ctypes.c_double() for _ in range(4)]
                    for i in range(R.FPDFText_CountChars(tp)):
                        box = clips.get(ctypes.cast(R.FPDFText_GetTextObject(tp, i), ctypes.c_void_p).value)
                        if box is None:
                            continue
                        R.FPDFText_GetCharBox(tp, i, *d)  # left, right, bottom, top
                        cx, cy = (d[0].value + d[1].value) / 2, (d[2].value + d[3].value) / 2
                        if box[0] <= cx <= box[2] and box[1] <= cy <= box[3]:
                            continue
                        R.FPDFText_GetCharOrigin(tp, i, ox, oy)
                        out.append((chr(R.FPDFText_GetUnicode(tp, i)), ox.value, oy.value))
                finally:
                    R.FPDFText_ClosePage(tp)
            page.close()
            return out
        except Exception:  # noqa: BLE001 - without pdfium the glyphs are kept as pdfplumber reads them
            self.failed = True
            return []


def _clip_box(R, ctypes, obj) -> Optional[tuple[float, float, float, float]]:
    """The bounding box of a page object's clipping path (PDF space), None without one."""
    cp = R.FPDFPageObj_GetClipPath(obj)
    if not cp:
        return None
    box = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(R.FPDFClipPath_CountPaths(cp)):
        xs: list[float] = []
        ys: list[float] = []
        for k in range(R.FPDFClipPath_CountPathSegments(cp, i)):
            R.FPDFPathSegment_GetPoint(R.FPDFClipPath_GetPathSegment(cp, i, k), x, y)
            xs.append(x.value)
            ys.append(y.value)
        if xs:
            b = (min(xs), min(ys), max(xs), max(ys))
            box = b if box is None else (max(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), min(box[3], b[3]))
    return box


def _extract_page(page, number: int, clip: Optional[_ClipReader] = None) -> PageInput:
    chars = page.chars
    if len(chars) > MAX_GLYPHS_PER_PAGE:
        raise ValueError(f"{len(chars)} characters on one page is more than the {MAX_GLYPHS_PER_PAGE} read")
    width, height = float(page.width), float(page.height)
    if clip is not None and any(
        c["top"] < -0.5 or c["bottom"] > height + 0.5 or c["x0"] < -0.5 or c["x1"] > width + 0.5 for c in chars
    ):
        # text drawn (even partly) off the page means the producer relies on clipping: ask pdfium what the clips hide
        hidden: dict[str, list[tuple[float, float]]] = {}
        for ch, ox, oy in clip.hidden(number):
            hidden.setdefault(ch, []).append((ox, oy))
        if hidden:
            def shown(c) -> bool:
                m = c.get("matrix")
                if not m or c.get("text") not in hidden:
                    return True
                return not any(abs(m[4] - ox) < 0.6 and abs(m[5] - oy) < 0.6 for ox, oy in hidden[c["text"]])

            chars = [c for c in chars if shown(c)]
    glyphs = [
        Glyph(c["text"], float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]), float(c.get("size") or 0.0), _baseline(c))
        for c in chars
        if c.get("text") and not c["text"].isspace()
    ]
    ruled: list[list[Box]] = []
    if glyphs and (page.lines or page.rects or page.curves):
        target = page
        if any(_invisible(o) for o in page.rects) or any(_invisible(o) for o in page.lines):
            # Excel exports paint white rectangles over the grid: they are not rulings
            target = page.filter(lambda o: o.get("object_type") not in ("rect", "line", "curve") or not _invisible(o))
        for t in target.find_tables():
            ruled.append([tuple(float(v) for v in cell) for cell in t.cells if cell is not None])
    has_image = bool(page.images)
    return PageInput(number, width, height, glyphs, ruled, has_image)


def read(data: bytes, name: str) -> Document:
    """Read a PDF's bytes into a Document. Never raises."""
    try:
        return _read(data, name)
    except Exception as exc:  # noqa: BLE001 - never raise for a bad file
        return Document(kind="pdf", issues=[ReadIssue("error", "unreadable_pdf", f"the PDF could not be read: {type(exc).__name__}: {exc}")])


def _read(data: bytes, name: str) -> Document:
    n_pages, issue = _open_check(data)
    if issue is not None:
        return Document(kind="pdf", pages=n_pages, issues=[issue])
    if n_pages is not None and n_pages > MAX_PAGES:
        return Document(kind="pdf", pages=n_pages, issues=[ReadIssue("error", "too_large", f"{n_pages} pages is more than the {MAX_PAGES} a PDF may have")])
    import pdfplumber

    issues: list[ReadIssue] = []
    inputs: list[PageInput] = []
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as exc:  # noqa: BLE001
        text = f"{type(exc).__name__}: {exc}"
        if "password" in text.lower() or "encrypt" in text.lower():
            return Document(kind="pdf", pages=n_pages, issues=[ReadIssue("error", "encrypted_pdf", f"the PDF is encrypted and cannot be read: {text}")])
        return Document(kind="pdf", pages=n_pages, issues=[ReadIssue("error", "unreadable_pdf", f"the PDF cannot be parsed: {text}")])
    try:
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001
            return Document(kind="pdf", pages=n_pages, issues=[ReadIssue("error", "unreadable_pdf", f"the PDF's pages cannot be read: {type(exc).__name__}: {exc}")])
        total = len(pages)
        if total > MAX_PAGES:
            return Document(kind="pdf", pages=total, issues=[ReadIssue("error", "too_large", f"{total} pages is more than the {MAX_PAGES} a PDF may have")])
        failed: list[int] = []
        clip = _ClipReader(data)
        for i, page in enumerate(pages, start=1):
            try:
                inputs.append(_extract_page(page, i, clip))
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
                failed.append(i)
                issues.append(ReadIssue("warning", "page_failed", f"page {i} could not be read: {type(exc).__name__}: {exc}", i))
            finally:
                try:
                    page.close()
                except Exception:  # noqa: BLE001
                    pass
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001
            pass
        if "clip" in locals():
            clip.close()
    total = total if n_pages is None else max(total, 0) or n_pages
    return document_from_pages(total, inputs, issues, failed)


def document_from_pages(total: int, inputs: list, issues: list, failed: list) -> Document:
    """The Document of a PDF from its pages' glyphs and rulings, whichever library extracted
    them (pdfplumber here, pypdfium2 in ``pdf_fast``): scans and unreadable pages reported,
    then the shared layout."""
    scanned = [p.number for p in inputs if not p.glyphs and p.has_image]
    with_text = [p for p in inputs if p.glyphs]
    if scanned:
        where = f"page {scanned[0]} has" if len(scanned) == 1 else f"pages {_ranges(scanned)} have"
        severity = "error" if not with_text else "warning"
        issues.append(
            ReadIssue(
                severity,
                "scanned_pdf",
                f"{where} no text layer (a scan); OCR is not available, so nothing on {'it' if len(scanned) == 1 else 'them'} was read",
                scanned[0],
            )
        )
    if failed and not with_text and not scanned:
        issues.append(ReadIssue("error", "unreadable_pdf", f"no page of the PDF could be read (pages {_ranges(failed)} failed)"))
    blocks, layout_issues = layout_pages(inputs)
    issues.extend(layout_issues)
    return Document(kind="pdf", blocks=blocks, pages=total, issues=issues)
