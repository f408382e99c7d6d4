"""Saved web pages → Document.

Two shapes of page carry budget tables:

* ``<table>`` pages (a browser's "save page", LibreOffice's HTML export): each data
  table becomes a :class:`Table` laid out on its own rowspan/colspan grid (a merged
  cell is one Cell); text outside tables becomes :class:`TextBlock` s in document
  order. A table that only lays out the page (it holds other tables) is flattened:
  its cells are read as running text and the tables inside it are read as tables.
* PDF-to-HTML conversions: pages (``<div class="page">``, pdf2htmlEX's ``pf``/``pc``
  …) full of absolutely positioned text boxes and, usually, ruling lines drawn as
  zero-width or zero-height bordered ``div`` s. Each page is rebuilt from the
  boxes: the ruling lines give the cell grid (merged cells where a separator is
  missing); lines of boxes outside any ruled grid become text blocks, or a table
  when several consecutive lines fall into the same column bands. A table that
  runs on to the next page with the same columns is one table (its repeated
  header rows dropped). Coordinates are CSS points (``px`` × 0.75).

The reader never raises; what it cannot read becomes a :class:`ReadIssue`. Work is
bounded: at most :data:`MAX_BOXES` positioned boxes and :data:`MAX_CELLS` cells are
read (``too_large`` beyond).
"""

from __future__ import annotations

import bisect
import codecs
import re
import traceback
from dataclasses import dataclass, field
from typing import Optional

from lxml import etree

from loaders.document import Cell, Document, ReadIssue, Table, TextBlock, attach_captions

try:
    from loaders.document import _NOT_TITLE_PREFIXES
except ImportError:  # pragma: no cover
    _NOT_TITLE_PREFIXES = ("单位", "金额单位", "编制单位", "编制部门", "部门：", "单位：", "预算单位", "填报单位", "备注", "注：", "注:")

__all__ = ["read", "MAX_BOXES", "MAX_CELLS"]

MAX_BOXES = 400_000  # positioned boxes read (text boxes and ruling lines)
MAX_CELLS = 500_000  # table cells read over the whole document
MAX_DEPTH = 400  # element nesting walked; deeper content is read as plain text

_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "select", "option", "iframe", "object", "embed", "svg", "math", "canvas", "button", "nav"}
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "html", "legend", "li", "listing", "main", "menu", "ol", "p", "plaintext", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp", "caption", "col", "colgroup", "frameset", "frame",
}
_WS = re.compile(r"[ \t\n\r\f\v\xa0]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）：；，。、“”‘’《》【】]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL_B = re.compile(rb"^\s*<\?xml[^>]*\?>", re.I)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_LENGTH = re.compile(r"^\s*(-?[0-9]*\.?[0-9]+(?:e-?\d+)?)\s*(pt|px|)\s*$", re.I)
_FOOTER = re.compile(r"^[\s—\-–－·第页共/0-9.]*$")
_PAGE_NUMBER = re.compile(r"^[—\-–－\s]*(第\s*)?\d{1,4}(\s*页)?[—\-–－\s]*$")
_INLINE = ("span", "b", "i", "u", "s", "a", "font", "strong", "em", "small", "big", "sub", "sup", "label", "abbr", "code", "ins", "del", "mark", "o:p", "nobr")
_HAS_STRUCTURE = etree.XPath("boolean(descendant::*[not(" + " or ".join(f"self::{t}" for t in _INLINE if ":" not in t) + ")])")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_GB = {"gbk", "gb2312", "gb_2312", "gb-2312", "gb_2312-80", "x-gbk", "gb18030", "cp936", "csgb2312", "euc-cn", "x-euc-cn", "chinese"}


# --------------------------------------------------------------------------- entry point


def read(data: bytes, name: str) -> Document:
    """Read a saved HTML page. Never raises."""
    try:
        return _read(data, name)
    except Exception as exc:  # noqa: BLE001 - a reader bug is reported, not raised
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Document(
            kind="html",
            issues=[
                ReadIssue(
                    "error",
                    "unreadable",
                    f"the HTML reader failed: {type(exc).__name__}: {exc} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
                )
            ],
        )


def _read(data: bytes, name: str) -> Document:
    issues: list[ReadIssue] = []
    text, encoding, damaged = _decode(data)
    if damaged:
        issues.append(
            ReadIssue(
                "warning",
                "damaged_bytes",
                f"{damaged} bytes could not be decoded as {encoding.split('+')[0]} and were replaced by U+FFFD; "
                "values next to them may be wrong",
            )
        )
    # lxml reads UTF-8 bytes: the original bytes when they are clean UTF-8, else the decoded text re-encoded
    if encoding in ("utf-8", "utf-8-sig"):
        payload = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    else:
        payload = text.encode("utf-8")
    del text
    payload = _XML_DECL_B.sub(b"", payload[:4096], count=1) + payload[4096:]
    if b"\x00" in payload:
        payload = payload.replace(b"\x00", b"")
    if not payload.strip():
        return Document(kind="html", encoding=encoding, damaged=damaged, issues=issues + [ReadIssue("error", "empty", "the file is empty")])
    parser = etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True, no_network=True, recover=True, encoding="utf-8")
    try:
        root = etree.fromstring(payload, parser)
    except Exception as exc:  # noqa: BLE001
        root = None
        issues.append(ReadIssue("error", "unreadable", f"lxml could not parse the page: {exc}"))
    del payload
    if root is None:
        if not any(i.severity == "error" for i in issues):
            issues.append(ReadIssue("error", "unreadable", "no HTML elements found"))
        return Document(kind="html", encoding=encoding, damaged=damaged, issues=issues)
    reader = _Reader(root, issues)
    blocks = reader.run()
    for i, t in enumerate((b for b in blocks if isinstance(b, Table)), start=1):
        t.index = i
    _titles(blocks, reader.font_sizes, reader.headings)
    attach_captions(blocks)
    pages = reader.page_count or None
    return Document(kind="html", blocks=blocks, pages=pages, encoding=encoding, damaged=damaged, issues=issues)


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, damaged bytes): BOM, then the declared charset, then UTF-8, then GB18030."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text, bad = _decode_with(data, codec)
            return text, codec + ("+damaged" if bad else ""), bad
    candidates: list[str] = []
    m = _CHARSET.search(data[:65536])
    if m:
        declared = m.group(1).decode("ascii", "replace").strip().lower()
        if declared in _GB or declared.startswith("gb"):
            candidates.append("gb18030")
        else:
            try:
                candidates.append(codecs.lookup(declared).name)
            except LookupError:
                pass
    for c in ("utf-8", "gb18030"):
        if c not in candidates:
            candidates.append(c)
    best: Optional[tuple[str, str, int]] = None
    for codec in candidates:
        try:
            return data.decode(codec), codec, 0
        except (UnicodeDecodeError, LookupError):
            pass
        try:
            text, bad = _decode_with(data, codec)
        except LookupError:
            continue
        if best is None or bad < best[2]:
            best = (text, codec + "+damaged", bad)
    assert best is not None
    return best


def _decode_with(data: bytes, codec: str) -> tuple[str, int]:
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    return text, max(1, text.count("\ufffd"))


# --------------------------------------------------------------------------- styles


def _parse_decl(decl: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in decl.split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k.strip().lower()] = v.strip().lower().replace("!important", "").strip()
    return out


def _length(value: Optional[str]) -> Optional[float]:
    """A CSS length in points (pt as is, px and unitless × 0.75); None for anything else."""
    if not value:
        return None
    m = _LENGTH.match(value)
    if not m:
        return None
    try:
        v = float(m.group(1))
    except ValueError:
        return None
    return v if m.group(2).lower() == "pt" else v * 0.75


def _has_border(style: dict[str, str], side: str) -> bool:
    for key in (f"border-{side}", "border"):
        v = style.get(key)
        if v is None:
            continue
        if "none" in v or "hidden" in v:
            return False
        w = re.search(r"(-?[0-9]*\.?[0-9]+)\s*(pt|px)", v)
        if w and float(w.group(1)) <= 0:
            return False
        return True
    w = style.get(f"border-{side}-width")
    s = style.get(f"border-{side}-style") or style.get("border-style")
    if s and "none" not in s and "hidden" not in s and (w is None or (_length(w) or 0) > 0):
        return True
    return False


# --------------------------------------------------------------------------- positioned boxes


@dataclass(slots=True)
class _Box:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float  # font size (pt)


@dataclass
class _Grid:
    """A ruled grid found on one page."""

    xs: list[float]
    ys: list[float]
    owner: list[list[int]]  # grid position → merged cell id
    rects: list[tuple[int, int, int, int]]  # cell id → (row, col, rowspan, colspan)
    texts: list[list[_Box]] = field(default_factory=list)


@dataclass
class _PageTable:
    """A table read from one page, before joining it to its continuation."""

    page: int
    top: float
    xs: list[float]
    cells: list[Cell]
    n_rows: int
    n_cols: int


def _snap(values: list[float], tol: float) -> list[float]:
    """Cluster sorted-able values; each cluster becomes its mean."""
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _nearest(sorted_vals: list[float], v: float, tol: float) -> Optional[int]:
    i = bisect.bisect_left(sorted_vals, v)
    best = None
    for j in (i - 1, i):
        if 0 <= j < len(sorted_vals) and abs(sorted_vals[j] - v) <= tol:
            if best is None or abs(sorted_vals[j] - v) < abs(sorted_vals[best] - v):
                best = j
    return best


def _text_width(text: str, size: float) -> float:
    return sum(size if _CJK.match(ch) else size * 0.55 for ch in text)


def _join_pieces(pieces: list[_Box], cjk_gap: bool = True, space_factor: float = 0.3) -> str:
    """Boxes on one line, left to right → text. CJK joins without spaces; other gaps become one space."""
    out = ""
    prev: Optional[_Box] = None
    for b in pieces:
        t = b.text
        if prev is not None and out and t:
            gap = b.x0 - prev.x1
            if gap > space_factor * max(b.size, 1.0) and not (cjk_gap and (_CJK.match(out[-1]) or _CJK.match(t[0]))):
                out += " "
        out += t
        prev = b
    return out


def _lines(boxes: list[_Box]) -> list[list[_Box]]:
    """Group boxes into lines (same vertical middle within a tolerance), top to bottom, each left to right."""
    lines: list[list[_Box]] = []
    mids: list[float] = []
    for b in sorted(boxes, key=lambda b: ((b.top + b.bottom) / 2, b.x0)):
        mid = (b.top + b.bottom) / 2
        tol = max(1.5, 0.35 * b.size)
        if lines and abs(mid - mids[-1]) <= tol:
            lines[-1].append(b)
        else:
            lines.append([b])
            mids.append(mid)
    for ln in lines:
        ln.sort(key=lambda b: b.x0)
    return lines


def _join_lines(lines: list[list[_Box]]) -> str:
    """Lines of text inside one cell: a wrap joins CJK without a space, other text with one."""
    out = ""
    for ln in lines:
        t = _join_pieces(ln).strip()
        if not t:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(t[0])):
            out += " "
        out += t
    return out


_AMOUNT = re.compile(r"^[-+−(（]?[0-9][0-9,，]*(\.[0-9]+)?[)）%％]?$")


def _segments(line: list[_Box]) -> list[list[_Box]]:
    """Split a line at wide gaps (more than twice the font size), and at any visible gap next to an amount."""
    segs: list[list[_Box]] = []
    for b in line:
        if segs:
            prev = segs[-1][-1]
            size = max(b.size, prev.size, 1.0)
            gap = b.x0 - prev.x1
            amount_edge = bool(_AMOUNT.match(prev.text) or _AMOUNT.match(b.text)) and gap > 0.3 * size
            if -1.5 * size <= gap <= 2.0 * size and not amount_edge:
                segs[-1].append(b)
                continue
        segs.append([b])
    return segs


class _PositionedPage:
    """One page of absolutely positioned boxes → blocks (text blocks and per-page tables)."""

    def __init__(self, page: int, boxes: list[_Box], hsegs: list[tuple[float, float, float]], vsegs: list[tuple[float, float, float]], height: Optional[float] = None):
        self.page = page
        self.height = height
        self.boxes = boxes
        self.hsegs = hsegs  # (y, x0, x1)
        self.vsegs = vsegs  # (x, y0, y1)

    def blocks(self) -> list[tuple[float, object]]:
        """(top, TextBlock | _PageTable) in reading order."""
        grids = self._grids()
        free: list[_Box] = []
        for b in self.boxes:
            cx = b.x0 + min(2.0, max(0.0, (b.x1 - b.x0) / 2))
            cy = (b.top + b.bottom) / 2
            for g in grids:
                if g.xs[0] - 1 <= cx <= g.xs[-1] + 1 and g.ys[0] - 1 <= cy <= g.ys[-1] + 1:
                    c = min(max(bisect.bisect_right(g.xs, cx) - 1, 0), len(g.xs) - 2)
                    r = min(max(bisect.bisect_right(g.ys, cy) - 1, 0), len(g.ys) - 2)
                    g.texts[g.owner[r][c]].append(b)
                    break
            else:
                free.append(b)
        out: list[tuple[float, object]] = []
        for g in grids:
            out.append((g.ys[0], self._grid_table(g)))
        out.extend(self._free_blocks(free))
        out.sort(key=lambda t: t[0])
        return out

    # ruled grids -------------------------------------------------------------

    def _grids(self) -> list[_Grid]:
        if not self.hsegs or not self.vsegs:
            return []
        tol = 1.2
        ys_all = _snap([s[0] for s in self.hsegs], tol)
        xs_all = _snap([s[0] for s in self.vsegs], tol)
        if len(ys_all) < 2 or len(xs_all) < 2:
            return []
        hby: dict[int, list[tuple[float, float]]] = {}
        for y, x0, x1 in self.hsegs:
            i = _nearest(ys_all, y, tol + 0.5)
            if i is not None:
                hby.setdefault(i, []).append((x0, x1))
        vbx: dict[int, list[tuple[float, float]]] = {}
        for x, y0, y1 in self.vsegs:
            j = _nearest(xs_all, x, tol + 0.5)
            if j is not None:
                vbx.setdefault(j, []).append((y0, y1))
        # bands between consecutive horizontal rules that some vertical rule crosses belong to a table
        crossed = []
        for i in range(len(ys_all) - 1):
            mid = (ys_all[i] + ys_all[i + 1]) / 2
            crossed.append(any(y0 - 0.5 <= mid <= y1 + 0.5 for segs in vbx.values() for (y0, y1) in segs))
        grids: list[_Grid] = []
        i = 0
        while i < len(crossed):
            if not crossed[i]:
                i += 1
                continue
            j = i
            while j < len(crossed) and crossed[j]:
                j += 1
            ys = ys_all[i : j + 1]
            g = self._grid(ys, i, xs_all, hby, vbx)
            if g is not None:
                grids.append(g)
            i = j
        return grids

    def _grid(self, ys, y_off, xs_all, hby, vbx) -> Optional[_Grid]:
        y0, y1 = ys[0], ys[-1]
        cols = [j for j, segs in vbx.items() if any(a <= y1 + 0.5 and b >= y0 - 0.5 and b - a > 0.5 for a, b in segs if not (b < y0 + 0.5 or a > y1 - 0.5))]
        cols.sort()
        if len(cols) < 2:
            return None
        xs = [xs_all[j] for j in cols]
        n_r, n_c = len(ys) - 1, len(xs) - 1

        def vline(col_idx: int, mid: float) -> bool:
            return any(a - 0.8 <= mid <= b + 0.8 for a, b in vbx.get(cols[col_idx], ()))

        def hline(row_idx: int, mid: float) -> bool:
            return any(a - 0.8 <= mid <= b + 0.8 for a, b in hby.get(y_off + row_idx, ()))

        parent = list(range(n_r * n_c))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for r in range(n_r):
            ymid = (ys[r] + ys[r + 1]) / 2
            for c in range(n_c - 1):
                if not vline(c + 1, ymid):
                    parent[find(r * n_c + c + 1)] = find(r * n_c + c)
        for c in range(n_c):
            xmid = (xs[c] + xs[c + 1]) / 2
            for r in range(n_r - 1):
                if not hline(r + 1, xmid):
                    parent[find((r + 1) * n_c + c)] = find(r * n_c + c)
        ids: dict[int, int] = {}
        extent: list[list[int]] = []
        owner = [[0] * n_c for _ in range(n_r)]
        for r in range(n_r):
            for c in range(n_c):
                root = find(r * n_c + c)
                if root not in ids:
                    ids[root] = len(extent)
                    extent.append([r, c, r, c])
                e = extent[ids[root]]
                e[0], e[1], e[2], e[3] = min(e[0], r), min(e[1], c), max(e[2], r), max(e[3], c)
                owner[r][c] = ids[root]
        rects = [(e[0], e[1], e[2] - e[0] + 1, e[3] - e[1] + 1) for e in extent]
        return _Grid(xs=xs, ys=ys, owner=owner, rects=rects, texts=[[] for _ in rects])

    def _grid_table(self, g: _Grid) -> _PageTable:
        cells = []
        for cid, (r, c, rs, cs) in enumerate(g.rects):
            text = _join_lines(_lines(g.texts[cid]))
            bbox = (round(g.xs[c], 2), round(g.ys[r], 2), round(g.xs[c + cs], 2), round(g.ys[r + rs], 2))
            cells.append(Cell(r, c, text, rowspan=rs, colspan=cs, page=self.page, source_row=r + 1, source_col=c + 1, bbox=bbox))
        cells.sort(key=lambda x: (x.row, x.col))
        return _PageTable(self.page, g.ys[0], list(g.xs), cells, len(g.ys) - 1, len(g.xs) - 1)

    # unruled text ------------------------------------------------------------

    def _free_blocks(self, boxes: list[_Box]) -> list[tuple[float, object]]:
        out: list[tuple[float, object]] = []
        lines = []
        for ln in _lines(boxes):
            if self.height and ln[0].top > 0.85 * self.height and _PAGE_NUMBER.match(_join_pieces(ln)):
                continue  # the printed page number
            lines.append((_segments(ln), ln))
        i = 0
        while i < len(lines):
            j = i
            while j < len(lines) and len(lines[j][0]) >= 2 and not _is_footer(lines[j][1]):
                j += 1
            if j - i >= 3:
                table = self._band_table([lines[k][0] for k in range(i, j)])
                if table is not None:
                    out.append((table.top, table))
                    i = j
                    continue
            for seg in lines[i][0]:
                text = _join_pieces(seg, space_factor=0.5).strip()
                if self.height and _PAGE_NUMBER.match(text) and seg[0].top > 0.85 * self.height:
                    continue  # the printed page number
                if text:
                    bbox = (round(seg[0].x0, 2), round(min(b.top for b in seg), 2), round(seg[-1].x1, 2), round(max(b.bottom for b in seg), 2))
                    tb = TextBlock(text, page=self.page, bbox=bbox)
                    out.append((bbox[1], (tb, max(b.size for b in seg))))
            i += 1
        return out

    def _band_table(self, rows: list[list[list[_Box]]]) -> Optional[_PageTable]:
        """Consecutive lines of several segments → a table whose columns are the overlapping x bands."""
        spans = sorted((seg[0].x0, seg[-1].x1) for segs in rows for seg in segs)
        bands: list[list[float]] = []
        for a, b in spans:
            if bands and a <= bands[-1][1] + 0.5:
                bands[-1][1] = max(bands[-1][1], b)
            else:
                bands.append([a, b])
        # neighbouring bands no line uses together are one column (a left-aligned header over right-aligned amounts)
        size = sorted(b.size for segs in rows for seg in segs for b in seg)
        size = size[len(size) // 2] if size else 9.0
        used = [set() for _ in bands]
        starts = [b[0] for b in bands]
        for r, segs in enumerate(rows):
            for seg in segs:
                mid = (seg[0].x0 + seg[-1].x1) / 2
                used[max(0, bisect.bisect_right(starts, mid) - 1)].add(r)
        k = 0
        while k < len(bands) - 1:
            if not (used[k] & used[k + 1]) and bands[k + 1][0] - bands[k][1] < 4 * size:
                bands[k][1] = max(bands[k][1], bands[k + 1][1])
                used[k] |= used.pop(k + 1)
                bands.pop(k + 1)
            else:
                k += 1
        if len(bands) < 2:
            return None
        starts = [b[0] for b in bands]
        cells: list[Cell] = []
        top = min(b.top for seg in rows[0] for b in seg)
        for r, segs in enumerate(rows):
            by_col: dict[int, list[_Box]] = {}
            for seg in segs:
                mid = (seg[0].x0 + seg[-1].x1) / 2
                c = max(0, bisect.bisect_right(starts, mid) - 1)
                by_col.setdefault(c, []).extend(seg)
            for c, bx in sorted(by_col.items()):
                bx.sort(key=lambda b: b.x0)
                text = _join_pieces(bx).strip()
                bbox = (round(bx[0].x0, 2), round(min(b.top for b in bx), 2), round(bx[-1].x1, 2), round(max(b.bottom for b in bx), 2))
                cells.append(Cell(r, c, text, page=self.page, source_row=r + 1, source_col=c + 1, bbox=bbox))
        xs = [b[0] for b in bands] + [bands[-1][1]]
        return _PageTable(self.page, top, xs, cells, len(rows), len(bands))


def _is_footer(line: list[_Box]) -> bool:
    return bool(_FOOTER.match("".join(b.text for b in line)))


# --------------------------------------------------------------------------- the walker


class _Reader:
    def __init__(self, root, issues: list[ReadIssue]):
        self.root = root
        self.issues = issues
        self.blocks: list = []
        self.buf: list[str] = []
        self.n_cells = 0
        self.too_large = False
        self.page_count = 0
        self.font_sizes: dict[int, float] = {}  # id(TextBlock) → font size, positioned pages only
        self.headings: set[int] = set()  # id(TextBlock) of h1–h6 / caption text
        self.class_css = self._class_css()
        self.pages: dict = {}  # page container element → (page number, its positioned boxes)
        self.boxes_used = 0
        self._find_positioned()

    # setup -------------------------------------------------------------------

    def _class_css(self) -> dict[str, dict[str, str]]:
        css: dict[str, dict[str, str]] = {}
        for st in self.root.iter("style"):
            text = st.text or ""
            if len(text) > 5_000_000:
                text = text[:5_000_000]
            for m in _CSS_RULE.finditer(text):
                decl = _parse_decl(m.group(2))
                for sel in m.group(1).split(","):
                    sel = sel.strip()
                    if re.fullmatch(r"\.[A-Za-z0-9_\-]+", sel):
                        css.setdefault(sel[1:], {}).update(decl)
        return css

    def _style(self, el) -> dict[str, str]:
        style: dict[str, str] = {}
        cls = el.get("class")
        if cls and self.class_css:
            for c in cls.split():
                d = self.class_css.get(c)
                if d:
                    style.update(d)
        inline = el.get("style")
        if inline:
            style.update(_parse_decl(inline))
        return style

    def _find_positioned(self) -> None:
        """Page containers: parents of absolutely positioned boxes (text boxes and ruling lines)."""
        parents: dict = {}
        for el in self.root.iter():
            if not isinstance(el.tag, str) or el.tag in ("style", "script", "img"):
                continue
            if el.get("style") is None and not (el.get("class") and self.class_css):
                continue
            st = self._style(el)
            if st.get("position") != "absolute" or "left" not in st or ("top" not in st and "bottom" not in st):
                continue
            p = el.getparent()
            if p is None:
                continue
            parents.setdefault(p, []).append((el, st))
        # positioned mode only for pages of real content: several boxes with text
        containers = [p for p, kids in parents.items() if len(kids) >= 2]
        if sum(len(parents[p]) for p in containers) < 10:
            return
        order = {el: i for i, el in enumerate(self.root.iter())} if len(containers) > 1 else {}
        containers.sort(key=lambda p: order.get(p, 0))
        # count blank sibling pages of the same class too
        number = 0
        seen_parents: dict = {}
        for p in containers:
            gp = p.getparent()
            if gp is not None and p.get("class") and gp not in seen_parents:
                seen_parents[gp] = True
                for sib in gp:
                    if not isinstance(sib.tag, str) or sib.get("class") != p.get("class"):
                        continue
                    if sib in parents or not "".join(sib.itertext()).strip():  # a blank page still counts
                        number += 1
                        self.pages[sib] = (number, parents.get(sib, []))
            elif p not in self.pages:
                number += 1
                self.pages[p] = (number, parents[p])
        self.page_count = number
        total = sum(len(v[1]) for v in self.pages.values())
        if total > MAX_BOXES:
            self.issues.append(ReadIssue("warning", "too_large", f"{total} positioned boxes; only the first {MAX_BOXES} were read"))

    # walking -----------------------------------------------------------------

    def run(self) -> list:
        body = self.root.find(".//body")
        start = body if body is not None else self.root
        self._flow(start, 0)
        self._flush()
        self._join_continued()
        return self.blocks

    def _flush(self) -> None:
        if not self.buf:
            return
        text = "".join(self.buf)
        self.buf = []
        for line in text.split("\n"):
            line = line.strip(" \u3000")
            if line:
                self.blocks.append(TextBlock(line))

    def _text(self, s: Optional[str]) -> None:
        if s:
            self.buf.append(_WS.sub(" ", s))

    def _break(self) -> None:
        if self.buf and not self.buf[-1].endswith("\n"):
            self.buf.append("\n")

    def _flow(self, el, depth: int) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if el in self.pages:
            self._break()
            self._flush()
            self._positioned_page(el)
            return
        if tag in _SKIP_TAGS:
            return
        if depth > MAX_DEPTH:
            self._text(" ".join(el.itertext()))
            return
        if tag == "table":
            self._table(el, depth)
            return
        if tag == "br":
            self.buf.append("\n")
            return
        if tag in _HEADINGS:
            self._break()
            self._flush()
            n = len(self.blocks)
            self._text(el.text)
            for child in el:
                self._flow(child, depth + 1)
                self._text(child.tail)
            self._break()
            self._flush()
            self.headings.update(id(b) for b in self.blocks[n:] if isinstance(b, TextBlock))
            return
        block = tag in _BLOCK_TAGS
        if block:
            self._break()
        self._text(el.text)
        for child in el:
            self._flow(child, depth + 1)
            self._text(child.tail)
        if block:
            self._break()

    # <table> -----------------------------------------------------------------

    @staticmethod
    def _rows(table) -> list:
        rows = []
        for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
            if child.tag == "tr":
                rows.append(child)
            else:
                rows.extend(child.iterchildren("tr"))
        return rows

    def _table(self, table, depth: int) -> None:
        rows = self._rows(table)
        nested = any(True for _ in table.iterdescendants("table"))
        n_cols_guess = max((sum(_span(c, "colspan", 1000) for c in tr.iterchildren("td", "th")) for tr in rows[:50]), default=0)
        if nested or len(rows) < 2 or n_cols_guess < 2 or self.too_large:
            # a layout table (or a one-row / one-column strip): read its content as running text
            self._break()
            for child in table:
                self._flow_table_part(child, depth + 1)
            self._break()
            return
        self._break()
        self._flush()
        for cap in table.iterchildren("caption"):
            t = _cell_text(cap)
            if t:
                self.blocks.append(TextBlock(t))
                self.headings.add(id(self.blocks[-1]))
        pending: dict[int, set[int]] = {}  # rows below → columns that rowspans above occupy
        cells: list[Cell] = []
        n_rows = len(rows)
        n_cols = 0
        room = MAX_CELLS - self.n_cells
        for r, tr in enumerate(rows):
            tds = list(tr.iterchildren("td", "th"))
            if len(cells) + len(tds) > room:
                n_rows = r
                self._too_large()
                break
            occ = pending.pop(r, None)
            c = 0
            for td in tds:
                if occ:
                    while c in occ:
                        c += 1
                cs = _span(td, "colspan", 1000)
                rs = _span(td, "rowspan", n_rows - r)
                if rs > 1:
                    cols = range(c, c + cs)
                    for rr in range(r + 1, r + rs):
                        pending.setdefault(rr, set()).update(cols)
                cells.append(Cell(r, c, _cell_text(td), rowspan=rs, colspan=cs, source_row=r + 1, source_col=c + 1))
                c += cs
            if c > n_cols:
                n_cols = c
            if occ:
                n_cols = max(n_cols, max(occ) + 1)
        if self.too_large:
            for cell in cells:
                cell.rowspan = max(1, min(cell.rowspan, n_rows - cell.row))
        self.n_cells += len(cells)
        if n_rows:
            self.blocks.append(Table(0, cells, n_rows, n_cols))

    def _flow_table_part(self, el, depth: int) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in ("thead", "tbody", "tfoot", "tr", "td", "th"):
            self._break()
            self._text(el.text)
            for child in el:
                self._flow_table_part(child, depth + 1)
                self._text(child.tail)
            self._break()
        else:
            self._flow(el, depth)

    def _too_large(self) -> None:
        if not self.too_large:
            self.too_large = True
            self.issues.append(ReadIssue("warning", "too_large", f"more than {MAX_CELLS} table cells; the rows beyond were not read and later tables were read as text"))

    # positioned pages ----------------------------------------------------------

    def _positioned_page(self, container) -> None:
        number, kids = self.pages[container]
        boxes: list[_Box] = []
        hsegs: list[tuple[float, float, float]] = []
        vsegs: list[tuple[float, float, float]] = []
        page_h = _length(self._style(container).get("height"))
        if page_h is None and container.getparent() is not None:  # pdf2htmlEX: div.pf (sized) > div.pc (boxes)
            page_h = _length(self._style(container.getparent()).get("height"))
        kids = kids[: max(0, MAX_BOXES - self.boxes_used)]
        self.boxes_used += len(kids)
        for el, st in kids:
            left = _length(st.get("left"))
            top = _length(st.get("top"))
            w = _length(st.get("width"))
            h = _length(st.get("height"))
            if top is None and page_h is not None:
                bottom = _length(st.get("bottom"))
                if bottom is not None:
                    top = page_h - bottom - (h or _length(st.get("font-size")) or 0)
            if left is None or top is None:
                continue
            text = _box_text(el)
            size = _length(st.get("font-size")) or _length(st.get("line-height")) or (h if h and text else None) or 9.0
            if size <= 0:
                size = 9.0
            x1 = left + (w if w else 0.0)
            y1 = top + (h if h else 0.0)
            if text:
                if not w:
                    x1 = left + _text_width(text, size)
                lh = _length(st.get("line-height"))
                if not h:
                    y1 = top + (lh if lh and lh > 0 else size)
                boxes.append(_Box(left, top, x1, y1, text, size))
            # ruling lines: borders, or a thin filled rectangle
            bw = w or 0.0
            bh = h or 0.0
            if _has_border(st, "top"):
                hsegs.append((top, left, left + bw))
            if _has_border(st, "bottom"):
                hsegs.append((top + bh, left, left + bw))
            if _has_border(st, "left"):
                vsegs.append((left, top, top + bh))
            if _has_border(st, "right"):
                vsegs.append((left + bw, top, top + bh))
            if not text and ("background" in st or "background-color" in st):
                if bh <= 2.0 < bw:
                    hsegs.append((top + bh / 2, left, left + bw))
                elif bw <= 2.0 < bh:
                    vsegs.append((left + bw / 2, top, top + bh))
        hsegs = [s for s in hsegs if s[2] - s[1] > 0.5]
        vsegs = [s for s in vsegs if s[2] - s[1] > 0.5]
        for top, item in _PositionedPage(number, boxes, hsegs, vsegs, page_h).blocks():
            if isinstance(item, _PageTable):
                if self.n_cells + len(item.cells) > MAX_CELLS:
                    self._too_large()
                    continue
                self.n_cells += len(item.cells)
                self.blocks.append(item)
            else:
                tb, size = item
                self.font_sizes[id(tb)] = size
                self.blocks.append(tb)

    def _join_continued(self) -> None:
        """Join a page's table to the previous page's when it continues it; make Tables."""
        out: list = []
        last: Optional[_Open] = None
        between: list[TextBlock] = []
        for b in self.blocks:
            if isinstance(b, TextBlock):
                out.append(b)
                between.append(b)
                continue
            if isinstance(b, Table):
                out.append(b)
                last = None
                between = []
                continue
            part: _PageTable = b
            if last is not None and last.take(part, between):
                between = []
                continue
            table = Table(0, list(part.cells), part.n_rows, part.n_cols)
            out.append(table)
            last = _Open(table, part, {t.text for t in between[-6:]})
            between = []
        self.blocks = out


class _Open:
    """The last table read from positioned pages, open to a continuation on the next page."""

    def __init__(self, table: Table, part: _PageTable, captions: set[str]):
        self.table = table
        self.xs = list(part.xs)  # the table's column boundaries
        self.page = part.page
        self.captions = captions

    def take(self, part: _PageTable, between: list[TextBlock]) -> bool:
        """Append ``part`` when it continues the table (next page, same or coarser columns)."""
        if part.page != self.page + 1:
            return False
        colmap = []
        for x in part.xs:
            j = _nearest(self.xs, x, 2.5)
            if j is None:
                return False
            colmap.append(j)
        if colmap[0] != 0 or colmap[-1] != len(self.xs) - 1 or colmap != sorted(set(colmap)):
            return False
        for tb in between:
            if tb.page == self.page and not _FOOTER.match(tb.text):
                return False  # text after the table on its own page: the table ended there
            if tb.page == part.page and not (_FOOTER.match(tb.text) or tb.text in self.captions):
                return False
        table = self.table
        mapped = []
        for c in part.cells:
            c0, c1 = colmap[c.col], colmap[min(c.col + c.colspan, len(colmap) - 1)]
            mapped.append((c, c0, c1 - c0))
        # header rows the new page repeats are dropped
        first = _row_texts([(c, c.col, c.colspan) for c in table.cells], table.n_rows)
        new = _row_texts(mapped, part.n_rows)
        k = 0
        while k < min(len(first), len(new), part.n_rows - 1) and first[k] == new[k] and any(v.split("|")[0] for v in first[k].values()):
            k += 1
        if any(c.row < k < c.row + c.rowspan for c in part.cells):
            k = 0
        if k == 0 and between and any(tb.page == part.page and tb.text in self.captions for tb in between):
            # the title was printed again: a new table of the same form unless the page starts mid-table
            head0 = [c for c in table.cells if c.row == 0 and c.col == 0]
            new0 = [c for c, c0, _ in mapped if c.row == 0 and c0 == 0]
            if head0 and new0 and head0[0].text and head0[0].text == new0[0].text:
                return False
        offset = table.n_rows - k
        for c, c0, cs in mapped:
            if c.row < k:
                continue
            c.row += offset
            c.col, c.colspan = c0, cs
            table.cells.append(c)
        table.n_rows += part.n_rows - k
        self.page = part.page
        return True


def _row_texts(cells: list[tuple[Cell, int, int]], n_rows: int) -> list[dict[int, str]]:
    rows: list[dict[int, str]] = [dict() for _ in range(n_rows)]
    for c, col, colspan in cells:
        if 0 <= c.row < n_rows:
            rows[c.row][col] = f"{c.text}|{c.rowspan}x{colspan}"
    return rows


def _span(td, attr: str, limit: int) -> int:
    v = td.get(attr)
    if v is None:
        return 1
    m = re.match(r"\s*(\d{1,6})", v)
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), max(limit, 1))


def _box_text(el) -> str:
    return _WS.sub(" ", "".join(el.itertext())).strip(" \u3000") if len(el) or el.text else ""


def _cell_text(td) -> str:
    """Text of a cell by HTML whitespace rules: runs collapse, <br> and blocks break lines, inline joins as is."""
    if not len(td):
        return _WS.sub(" ", td.text).strip(" ") if td.text else ""
    if not _HAS_STRUCTURE(td):  # only inline elements inside: their text joins as is
        return _WS.sub(" ", etree.tostring(td, method="text", encoding="unicode", with_tail=False)).strip(" ")
    parts: list[str] = []

    def walk(el, depth: int) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        if tag == "br":
            parts.append("\n")
            return
        if depth > MAX_DEPTH:
            parts.append(_WS.sub(" ", " ".join(el.itertext())))
            return
        block = tag in _BLOCK_TAGS and depth > 0
        if block:
            parts.append("\n")
        if el.text:
            parts.append(_WS.sub(" ", el.text))
        for child in el:
            walk(child, depth + 1)
            if child.tail:
                parts.append(_WS.sub(" ", child.tail))
        if block:
            parts.append("\n")

    walk(td, 0)
    lines = [ln.strip(" ") for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _titles(blocks: list, sizes: dict[int, float], headings: set[int]) -> None:
    """Title each table before :func:`attach_captions` does, where the page says more than the order of lines.

    On a positioned page the title is the largest type just above the table (the heading, not 公开表1 or
    the 部门（单位） line); on a flowing page it is the nearest heading element (h1–h6, caption) above it,
    else the nearest short line naming a 表. Otherwise attach_captions chooses.
    """
    pending: list[TextBlock] = []
    for b in blocks:
        if isinstance(b, TextBlock):
            if b.text.strip():
                pending.append(b)
            continue
        cands = [t for t in pending[-4:] if not _FOOTER.match(t.text) and len(t.text) <= 80 and not t.text.startswith(_NOT_TITLE_PREFIXES)]
        pending = []
        if b.title is not None or not cands:
            continue
        sized = [t for t in cands if id(t) in sizes]
        if sized:
            best = max(sized, key=lambda t: (sizes[id(t)], sized.index(t)))
            if sizes[id(best)] > min(sizes[id(t)] for t in sized) or len(sized) == 1:
                b.title = best.text
            continue
        heads = [t for t in cands if id(t) in headings]
        if heads:
            b.title = heads[-1].text
            continue
        named = [t for t in cands if "表" in t.text and len(t.text) <= 40]
        if named:
            b.title = named[-1].text
