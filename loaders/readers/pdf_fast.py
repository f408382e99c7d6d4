"""Fast PDF reader: pypdfium2 (PDFium) extraction feeding :mod:`loaders.readers.pdf`'s layout.

Same contract as :func:`loaders.readers.pdf.read` (a :class:`Document`, never raises;
issues ``encrypted_pdf``, ``unreadable_pdf``, ``scanned_pdf``, ``too_large``,
``page_failed``) and, by design, the same tables and text: only the extraction layer
differs, and it reproduces pdfplumber's numbers, not just its picture, because the
layout compares distances with thresholds that real filings hit exactly.

Per page, straight from PDFium's C API (``pypdfium2.raw``'s library, no per-object
wrappers; the per-character calls bound without ctypes' argument conversion):

* **glyphs** — every character of the text page: PDFium's loose box gives the advance
  (x0, x1) and the bottom (baseline + the font's descent); pdfminer's box is
  ``size`` high from there, ``size`` = font size × the text matrix's scale. On a page
  without rotation or MediaBox offset the vertical numbers are recomputed with
  pdfminer's own double-precision arithmetic from the decimal operands (PDFium works
  in single precision), elsewhere rounded to 1/10000 pt. The baseline is given for
  upright characters, as pdf.py's ``_baseline`` does;
* **clipped text** — when text runs off the page, characters hidden by their text
  object's clipping path are dropped (pdf.py's ``_ClipReader`` rule);
* **rulings** — every path object (also inside form XObjects), its segments
  transformed to page space and split into subpaths the way pdfminer paints them: a
  two-point subpath is a *line*, a closed axis-aligned four-sided one a *rect*,
  anything else a *curve*; they become edges exactly as pdfplumber's ``page.edges``
  (rect → its four sides, line → one edge, curve → its horizontal and vertical
  segments); white or unpainted rectangles and white lines are dropped as pdf.py
  drops them;
* **cells** — pdfplumber's ``lines`` table finder re-implemented on plain lists
  (snap within 3 pt, join within 3 pt, edges ≥ 3 pt, intersections within 3 pt, the
  smallest cell to the right and below each intersection, cells sharing a corner
  grouped into tables, the same order), so a merged cell — a separator missing — is
  one box, and pdf.py's ``_ruled_table`` gets the boxes ``find_tables()`` gives;
* **images** — whether the page holds an image object (scan detection).

Coordinates are pdfplumber's: PDF points, origin at the top-left of the MediaBox,
/Rotate applied (pdfminer's page matrix), MediaBox offsets kept as pdfplumber keeps
them. Like PDFium itself, not thread-safe (one reader per process).
"""


from __future__ import annotations

import bisect
import ctypes
from typing import Optional

from loaders.document import Document, ReadIssue
from loaders.readers.pdf import MAX_GLYPHS_PER_PAGE, MAX_PAGES, Glyph, PageInput, document_from_pages

__all__ = ["read", "extract_page_inputs", "find_table_cells"]

Box = tuple[float, float, float, float]

SNAP = 3.0  # pdfplumber's defaults for the "lines" strategy
JOIN = 3.0
EDGE_MIN_PREFILTER = 1.0
EDGE_MIN = 3.0
INTERSECT = 3.0

_WHITE_RGB = 0.99 * 255  # pdf.py's _is_white: every component ≥ 0.99


# --------------------------------------------------------------------------- table finder (pdfplumber's "lines")


def _snap(edges: list[list[float]], i0: int, i1: int) -> None:
    """Snap edges whose coordinate ``e[i0]`` lies within SNAP of a neighbour's (chained) to the cluster's mean, in place."""
    if not edges:
        return
    values = sorted({e[i0] for e in edges})
    cluster_of: dict[float, int] = {}
    k = 0
    last = values[0]
    for v in values:
        if v > last + SNAP:
            k += 1
        cluster_of[v] = k
        last = v
    sums = [0.0] * (k + 1)
    counts = [0] * (k + 1)
    for e in edges:
        c = cluster_of[e[i0]]
        sums[c] += e[i0]
        counts[c] += 1
    for e in edges:
        c = cluster_of[e[i0]]
        d = sums[c] / counts[c] - e[i0]
        e[i0] += d
        e[i1] += d


def _join(edges: list[list[float]], key: int, lo: int, hi: int) -> list[tuple[float, float, float, float]]:
    """Edges on one line (same ``e[key]``): overlapping or within JOIN of each other → one edge."""
    out: list[tuple[float, float, float, float]] = []
    edges.sort(key=lambda e: (e[key], e[lo]))
    cur: Optional[list[float]] = None
    for e in edges:
        if cur is not None and e[key] == cur[key] and e[lo] <= cur[hi] + JOIN:
            if e[hi] > cur[hi]:
                cur[hi] = e[hi]
            continue
        if cur is not None:
            out.append(tuple(cur))
        cur = list(e)
    if cur is not None:
        out.append(tuple(cur))
    return out


def find_table_cells(h_raw: list[list[float]], v_raw: list[list[float]]) -> list[list[Box]]:
    """Horizontal and vertical edges ([x0, top, x1, bottom], page space) → per table its cell boxes.

    pdfplumber's ``TableFinder`` with the default settings, step for step, so the
    cells are the ones ``page.find_tables()`` gives for the same edges.
    """
    h = [e for e in h_raw if e[2] - e[0] >= EDGE_MIN_PREFILTER]
    v = [e for e in v_raw if e[3] - e[1] >= EDGE_MIN_PREFILTER]
    _snap(v, 0, 2)
    _snap(h, 1, 3)
    hs = [e for e in _join(h, 1, 0, 2) if e[2] - e[0] >= EDGE_MIN]
    vs = [e for e in _join(v, 0, 1, 3) if e[3] - e[1] >= EDGE_MIN]
    if not hs or not vs:
        return []
    # intersections: vertex (v.x0, h.top) → the edges (ids) meeting there
    hs.sort(key=lambda e: (e[1], e[0]))
    h_tops = [e[1] for e in hs]
    pv: dict[tuple[float, float], set[int]] = {}
    ph: dict[tuple[float, float], set[int]] = {}
    nh = len(hs)
    for vi, (vx, vt, _vx1, vb) in enumerate(vs):
        k = bisect.bisect_left(h_tops, vt - INTERSECT)
        while k < nh:
            hx0, ht, hx1, _hb = hs[k]
            if ht > vb + INTERSECT:
                break
            if hx0 - INTERSECT <= vx <= hx1 + INTERSECT:
                pt = (vx, ht)
                s = pv.get(pt)
                if s is None:
                    pv[pt] = {vi}
                    ph[pt] = {k}
                else:
                    s.add(vi)
                    ph[pt].add(k)
            k += 1
    if not pv:
        return []
    points = sorted(pv)
    by_x: dict[float, list[tuple[float, float]]] = {}
    by_y: dict[float, list[tuple[float, float]]] = {}
    for p in points:  # sorted by (x, y): each list comes out sorted
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    for lst in by_y.values():
        lst.sort()
    cells: list[Box] = []
    for pt in points:
        x, y = pt
        col = by_x[x]
        row = by_y[y]
        below = col[bisect.bisect_right(col, pt):]
        right = row[bisect.bisect_right(row, pt):]
        if not below or not right:
            continue
        pv_pt, ph_pt = pv[pt], ph[pt]
        found = None
        for bp in below:
            if pv_pt.isdisjoint(pv[bp]):
                continue
            for rp in right:
                if ph_pt.isdisjoint(ph[rp]):
                    continue
                br = (rp[0], bp[1])
                if br in pv and not pv[br].isdisjoint(pv[rp]) and not ph[br].isdisjoint(ph[bp]):
                    found = (x, y, rp[0], bp[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return _cells_to_tables(cells)


def _cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """pdfplumber's ``cells_to_tables``: cells sharing a corner form one table (same order of cells)."""
    remaining = list(cells)
    corners: set[tuple[float, float]] = set()
    current: list[Box] = []
    tables: list[list[Box]] = []
    while remaining:
        before = len(current)
        keep: list[Box] = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cc = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in cc):
                corners.update(cc)
                current.append(cell)
            else:
                keep.append(cell)
        remaining = keep
        if len(current) == before:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


# --------------------------------------------------------------------------- PDFium extraction


class _Api:
    """PDFium functions and reusable out-parameters, bound once."""

    def __init__(self) -> None:
        import pypdfium2.raw as R

        self.R = R
        self.f1, self.f2, self.f3, self.f4 = (ctypes.c_float() for _ in range(4))
        self.rect = R.FS_RECTF()
        self.matrix = R.FS_MATRIX()
        self.d1, self.d2 = ctypes.c_double(), ctypes.c_double()
        # the per-character calls without ctypes' argument checks (argtypes None: handles and
        # out-pointers passed as c_void_p), about four times cheaper a call
        self.p_rect = ctypes.c_void_p(ctypes.addressof(self.rect))
        self.p_matrix = ctypes.c_void_p(ctypes.addressof(self.matrix))
        self.p_d1 = ctypes.c_void_p(ctypes.addressof(self.d1))
        self.p_d2 = ctypes.c_void_p(ctypes.addressof(self.d2))
        lib = _library()
        self.LooseBox = _fn(lib, "FPDFText_GetLooseCharBox", ctypes.c_int)
        self.TextObject = _fn(lib, "FPDFText_GetTextObject", ctypes.c_void_p)  # an int: a dict key
        self.Origin = _fn(lib, "FPDFText_GetCharOrigin", ctypes.c_int)
        self.CharMatrix = _fn(lib, "FPDFText_GetMatrix", ctypes.c_int)
        self.FontSize = _fn(lib, "FPDFText_GetFontSize", ctypes.c_double)
        H, I = _Handle, ctypes.c_int
        self.CountObjects = _fn(lib, "FPDFPage_CountObjects", I)
        self.GetObject = _fn(lib, "FPDFPage_GetObject", H)
        self.FormCount = _fn(lib, "FPDFFormObj_CountObjects", I)
        self.FormObject = _fn(lib, "FPDFFormObj_GetObject", H)
        self.GetType = _fn(lib, "FPDFPageObj_GetType", I)
        self.GetMatrix = _fn(lib, "FPDFPageObj_GetMatrix", I)
        self.GetBounds = _fn(lib, "FPDFPageObj_GetBounds", I)
        self.CountSeg = _fn(lib, "FPDFPath_CountSegments", I)
        self.GetSeg = _fn(lib, "FPDFPath_GetPathSegment", H)
        self.SegType = _fn(lib, "FPDFPathSegment_GetType", I)
        self.SegPoint = _fn(lib, "FPDFPathSegment_GetPoint", I)
        self.SegClose = _fn(lib, "FPDFPathSegment_GetClose", I)
        self.DrawMode = _fn(lib, "FPDFPath_GetDrawMode", I)
        self.StrokeColor = _fn(lib, "FPDFPageObj_GetStrokeColor", I)
        self.FillColor = _fn(lib, "FPDFPageObj_GetFillColor", I)
        self.ClipPath = _fn(lib, "FPDFPageObj_GetClipPath", H)
        self.ClipCount = _fn(lib, "FPDFClipPath_CountPaths", I)
        self.ClipSegCount = _fn(lib, "FPDFClipPath_CountPathSegments", I)
        self.ClipSeg = _fn(lib, "FPDFClipPath_GetPathSegment", H)
        self.CharBox = _fn(lib, "FPDFText_GetCharBox", I)
        self.u = [ctypes.c_uint() for _ in range(4)]
        self.p_u = [ctypes.c_void_p(ctypes.addressof(v)) for v in self.u]
        self.f = [ctypes.c_float() for _ in range(4)]
        self.p_f = [ctypes.c_void_p(ctypes.addressof(v)) for v in self.f]
        self.d = [ctypes.c_double() for _ in range(4)]
        self.p_d = [ctypes.c_void_p(ctypes.addressof(v)) for v in self.d]
        self.i = [ctypes.c_int() for _ in range(2)]
        self.p_i = [ctypes.c_void_p(ctypes.addressof(v)) for v in self.i]


class _Handle(ctypes.c_void_p):
    """A PDFium handle returned as is (a c_void_p subclass is not turned into an int), to pass back unchanged."""


def _library():
    """The PDFium shared library pypdfium2 loaded (the same handle: loading it again changes nothing)."""
    try:
        import pypdfium2_raw.bindings as bindings

        return bindings._libs["pdfium"]
    except Exception:  # noqa: BLE001 - another pypdfium2 layout: the library file beside pypdfium2_raw
        from pathlib import Path

        import pypdfium2_raw

        folder = Path(pypdfium2_raw.__file__).parent
        for name in ("libpdfium.so", "libpdfium.dylib", "pdfium.dll"):
            if (folder / name).exists():
                return ctypes.CDLL(str(folder / name))
        raise


def _fn(lib, name: str, restype):
    f = lib[name]  # a new function object: pypdfium2's own prototypes stay as they are
    f.argtypes = None
    f.restype = restype
    return f


_API: Optional[_Api] = None


def _api() -> _Api:
    global _API
    if _API is None:
        _API = _Api()
    return _API


def _page_transform(mediabox: tuple[float, float, float, float], rotation: int) -> tuple[float, float, float, float, float, float, float, float]:
    """PDF user space → pdfplumber's (x, top): (A, C, E, B, D, F) with x' = A·x + C·y + E, top = B·x + D·y + F; and (width, height)."""
    x0, x1 = sorted((mediabox[0], mediabox[2]))
    y0, y1 = sorted((mediabox[1], mediabox[3]))
    # pdfminer's page matrix (a, b, c, d, e, f): X = a·x + c·y + e, Y = b·x + d·y + f
    if rotation == 90:
        a, b, c, d, e, f = 0.0, -1.0, 1.0, 0.0, -y0, x1
    elif rotation == 180:
        a, b, c, d, e, f = -1.0, 0.0, 0.0, -1.0, x1, y1
    elif rotation == 270:
        a, b, c, d, e, f = 0.0, 1.0, -1.0, 0.0, y1, -x0
    else:
        a, b, c, d, e, f = 1.0, 0.0, 0.0, 1.0, -x0, -y0
    # pdfplumber: normalised MediaBox (swapped when rotated 90/270), flipped; x += its x0; top = height − Y + its top
    nb = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    height = nb[3] - nb[1]
    width = nb[2] - nb[0]
    mb_top = height - nb[3]
    return (a, c, e + nb[0], -b, -d, height - f + mb_top, width, height)


def _mul(m1: tuple, m2: tuple) -> tuple:
    """m1 then m2 (PDF matrix order: p · m1 · m2)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _shapes(ops: list[str], raw: list[tuple[float, float]], tfm: tuple, style: tuple, out: list) -> None:
    """One subpath (pdfminer's ops and end points, path space) → pdfminer's object: ('line'|'rect'|'curve', pts, style)."""
    pa, pb, pc, pd, pe, pf = tfm
    pts = [(pa * x + pc * y + pe, pb * x + pd * y + pf) for x, y in raw]
    shape = "".join(ops)
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        out.append(("line", pts[:2], style))
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), p4 = pts
        if pts[0] == p4 and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            out.append(("rect", pts, style))
        else:
            out.append(("curve", pts, style))
    else:
        out.append(("curve", pts, style))


def _collect_objects(api: _Api, page, tf: tuple) -> tuple[list[tuple], bool]:
    """The page's painted path objects as pdfminer sees them: (kind, pts, (stroke, fill, stroke_white, fill_white)); and whether the page has an image."""
    R = api.R
    m = api.matrix
    pm = api.p_matrix
    fillmode, stroke = api.i
    p_fill, p_stroke = api.p_i
    fx, fy = api.f[0], api.f[1]
    p_fx, p_fy = api.p_f[0], api.p_f[1]
    ur, ug, ub, _ua = api.u
    p_ur, p_ug, p_ub, p_ua = api.p_u
    GetType = api.GetType
    GetMatrix = api.GetMatrix
    CountSeg = api.CountSeg
    GetSeg = api.GetSeg
    SegType = api.SegType
    SegPoint = api.SegPoint
    SegClose = api.SegClose
    GetDrawMode = api.DrawMode
    StrokeColor = api.StrokeColor
    FillColor = api.FillColor
    PATH, IMAGE, FORM = R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_FORM
    MOVETO, BEZIER = R.FPDF_SEGMENT_MOVETO, R.FPDF_SEGMENT_BEZIERTO
    A, C, E, B, D, F = tf[:6]
    shapes: list[tuple] = []
    has_image = False

    def walk(count_fn, get_fn, parent, outer: Optional[tuple], depth: int) -> None:
        nonlocal has_image
        for i in range(count_fn(parent)):
            obj = get_fn(parent, i)
            t = GetType(obj)
            if t == PATH:
                GetDrawMode(obj, p_fill, p_stroke)
                is_fill = fillmode.value != 0
                is_stroke = bool(stroke.value)
                if not is_fill and not is_stroke:
                    continue  # a clipping path ("n"): pdfminer paints nothing
                GetMatrix(obj, pm)
                mat = (m.a, m.b, m.c, m.d, m.e, m.f)
                if outer is not None:
                    mat = _mul(mat, outer)
                a, b, c, d, e, f = mat
                # path space → page space → pdfplumber space, one affine map
                tfm = (A * a + C * b, B * a + D * b, A * c + C * d, B * c + D * d, A * e + C * f + E, B * e + D * f + F)
                StrokeColor(obj, p_ur, p_ug, p_ub, p_ua)
                s_white = ur.value >= _WHITE_RGB and ug.value >= _WHITE_RGB and ub.value >= _WHITE_RGB
                FillColor(obj, p_ur, p_ug, p_ub, p_ua)
                f_white = ur.value >= _WHITE_RGB and ug.value >= _WHITE_RGB and ub.value >= _WHITE_RGB
                style = (is_stroke, is_fill, s_white, f_white)
                # segments → pdfminer's subpaths: ops "m", "l", "c" (its end point) and "h" (back to the start)
                ops: list[str] = []
                pts: list[tuple[float, float]] = []
                start = (0.0, 0.0)
                bez = 0
                for j in range(CountSeg(obj)):
                    seg = GetSeg(obj, j)
                    st = SegType(seg)
                    SegPoint(seg, p_fx, p_fy)
                    x, y = fx.value, fy.value
                    if st == MOVETO:
                        if ops:
                            _shapes(ops, pts, tfm, style, shapes)
                        start = (x, y)
                        ops, pts, bez = ["m"], [start], 0
                        continue
                    if not ops:  # a subpath must begin with m
                        ops, pts = ["m"], [start]
                    close = SegClose(seg)
                    if st == BEZIER:
                        bez += 1
                        if bez % 3:
                            continue
                        ops.append("c")
                        pts.append((x, y))
                    elif close and (x, y) == start:
                        ops.append("h")  # PDFium closes a subpath with a line back to its start
                        pts.append(start)
                        continue
                    else:
                        ops.append("l")
                        pts.append((x, y))
                    if close:
                        ops.append("h")
                        pts.append(start)
                if ops:
                    _shapes(ops, pts, tfm, style, shapes)
            elif t == IMAGE:
                has_image = True
            elif t == FORM and depth < 12:
                GetMatrix(obj, pm)
                mat = (m.a, m.b, m.c, m.d, m.e, m.f)
                if outer is not None:
                    mat = _mul(mat, outer)
                walk(api.FormCount, api.FormObject, obj, mat, depth + 1)

    walk(api.CountObjects, api.GetObject, ctypes.c_void_p(ctypes.cast(page, ctypes.c_void_p).value), None, 0)
    return shapes, has_image


def _invisible(kind: str, style: tuple) -> bool:
    """pdf.py's rule: a line drawn in white, a rectangle or curve neither stroked nor filled visibly."""
    stroke, fill, s_white, f_white = style
    if kind == "line":
        return s_white
    return not (stroke and not s_white) and not (fill and not f_white)


def _edges(shapes: list[tuple]) -> tuple[list[list[float]], list[list[float]]]:
    """pdfplumber's ``page.edges`` (after pdf.py drops invisible rulings): horizontal and vertical [x0, top, x1, bottom]."""
    if any(_invisible(k, st) for k, _, st in shapes if k != "curve"):
        shapes = [s for s in shapes if not _invisible(s[0], s[2])]
    h: list[list[float]] = []
    v: list[list[float]] = []
    for kind, pts, _st in shapes:
        if kind == "rect":
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            h.append([x0, top, x1, top])
            h.append([x0, bottom, x1, bottom])
            v.append([x0, top, x0, bottom])
            v.append([x1, top, x1, bottom])
        elif kind == "line":
            (ax, ay), (bx, by) = pts
            x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
            top, bottom = (ay, by) if ay <= by else (by, ay)
            (h if top == bottom else v).append([x0, top, x1, bottom])
        else:
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
                top, bottom = (ay, by) if ay <= by else (by, ay)
                if ax == bx:
                    v.append([x0, top, x1, bottom])
                elif ay == by:
                    h.append([x0, top, x1, bottom])
    return h, v


def _glyphs(api: _Api, page, tf: tuple) -> list[Glyph]:
    """The text page's characters as pdfplumber reports them (box, size, baseline); whitespace left out."""
    R = api.R
    tp = R.FPDFText_LoadPage(page)
    if not tp:
        return []
    try:
        n = R.FPDFText_CountChars(tp)
        if n > MAX_GLYPHS_PER_PAGE:
            raise ValueError(f"{n} characters on one page is more than the {MAX_GLYPHS_PER_PAGE} read")
        if n <= 0:
            return []
        buf = (ctypes.c_ushort * (n + 1))()
        got = R.FPDFText_GetText(tp, 0, n, buf)
        raw = ctypes.string_at(buf, max(got - 1, 0) * 2).decode("utf-16-le", errors="surrogatepass")
        aligned = len(raw) == n
        vtp = ctypes.c_void_p(ctypes.cast(tp, ctypes.c_void_p).value)
        rect = api.rect
        prect = api.p_rect
        mat = api.matrix
        pm = api.p_matrix
        ox, oy = api.d1, api.d2
        p_ox, p_oy = api.p_d1, api.p_d2
        LooseBox = api.LooseBox
        TextObject = api.TextObject
        Origin = api.Origin
        CharMatrix = api.CharMatrix
        FontSize = api.FontSize
        GetUnicode = R.FPDFText_GetUnicode
        A, C, E, B, D, F = tf[:6]
        swap = A == 0.0  # rotated 90/270: page x comes from PDF y
        plain = A == 1.0 and D == -1.0 and not C and not B and F == tf[7]  # no rotation, MediaBox from y = 0
        per_object: dict[Optional[int], tuple] = {}
        out: list[Glyph] = []
        index: list[int] = []  # the text page's char index of each glyph
        append = out.append
        for i in range(n):
            ch = raw[i] if aligned else chr(GetUnicode(tp, i))
            if ch.isspace() or ch == "\x00":
                continue  # (PDFium's generated characters are spaces and line breaks)
            if "\ud800" <= ch <= "\udfff":
                ch = chr(GetUnicode(tp, i))
            elif ch == "\ufffe":  # PDFium's mark for a hyphen it takes to end a line: the printed hyphen
                ch = "-"
            # what one text object's characters share: matrix, size, baseline
            obj = TextObject(vtp, i)
            info = per_object.get(obj)
            if info is None:
                CharMatrix(vtp, i, pm)
                # pdfplumber gives a baseline (and a size-high box) only for upright characters
                if swap:
                    upright = mat.b * mat.c * B * C < 0 and not mat.a and not mat.d
                    scale = mat.c
                else:
                    upright = mat.a * mat.d * A * D < 0 and not mat.b and not mat.c
                    scale = mat.d
                LooseBox(vtp, i, prect)
                info = (0, 0.0, None)
                if upright:
                    Origin(vtp, i, p_ox, p_oy)
                    fs = FontSize(vtp, i)
                    base = round(B * ox.value + F if swap else D * oy.value + F, 4)
                    info = (1, round(fs * (scale if scale > 0 else -scale), 4), base)
                    if plain and scale > 0 and fs > 0:
                        # pdfminer's own arithmetic on the decimal operands (a page without offset or
                        # rotation, horizontal text): box from the descriptor's descent, in double precision
                        d_, f_, fs_ = round(scale, 6), round(oy.value, 4), round(fs, 4)
                        k = (rect.bottom - oy.value) / (scale * fs) * 1000.0
                        desc = round(k)
                        if abs(k - desc) < 0.02:
                            y_lo = desc * 0.001 * fs_
                            y0, y1 = d_ * y_lo + f_, d_ * (y_lo + fs_) + f_
                            top = (F - y1) + 0.0
                            info = (2, top, (F - y0) + 0.0, y1 - y0, top + y1 - f_)
                if obj is not None:
                    per_object[obj] = info
            else:
                LooseBox(vtp, i, prect)
            l, r, t, b = rect.left, rect.right, rect.top, rect.bottom
            if swap:
                xa, xb = C * b + E, C * t + E
                ta, tb = B * l + F, B * r + F
            else:
                xa, xb = A * l + E, A * r + E
                ta, tb = D * t + F, D * b + F
            if xa > xb:
                xa, xb = xb, xa
            if ta > tb:
                ta, tb = tb, ta
            # PDFium's loose box runs from the descent to the font's ascent, pdfminer's (pdfplumber's)
            # from the descent to descent + size: the same bottom, the top at bottom − size.
            # PDFium computes in single precision, pdfminer in double from the decimal operands:
            # rounding to 1/10000 pt gives back the decimal values, so the layout's thresholds
            # (line pitch, margins) fall the same way for both engines.
            if info[0] == 2:
                append(Glyph(ch, round(xa, 4), info[1], round(xb, 4), info[2], info[3], info[4]))
            elif info[0] == 1:
                size = info[1]
                tb = round(tb, 4)
                append(Glyph(ch, round(xa, 4), round(tb - size, 4), round(xb, 4), tb, size, info[2]))
            else:
                append(Glyph(ch, round(xa, 4), round(ta, 4), round(xb, 4), round(tb, 4), round(tb - ta, 4), None))
            index.append(i)
        width, height = tf[6], tf[7]
        if any(g.top < -0.5 or g.bottom > height + 0.5 or g.x0 < -0.5 or g.x1 > width + 0.5 for g in out):
            # text drawn (even partly) off the page: the producer relies on clipping (pdf.py's rule)
            hidden = _clipped_chars(api, page, vtp, n)
            if hidden:
                out = [g for g, i in zip(out, index) if i not in hidden]
        return out
    finally:
        R.FPDFText_ClosePage(tp)


def _clip_box(api: _Api, obj) -> Optional[tuple[float, float, float, float]]:
    """The bounding box of a page object's clipping path (PDF space), None without one."""
    cp = api.ClipPath(obj)
    if not cp.value:
        return None
    box = None
    x, y = api.f[0], api.f[1]
    px, py = api.p_f[0], api.p_f[1]
    SegCount, Seg, Point = api.ClipSegCount, api.ClipSeg, api.SegPoint
    for i in range(api.ClipCount(cp)):
        xs: list[float] = []
        ys: list[float] = []
        for k in range(SegCount(cp, i)):
            Point(Seg(cp, i, k), px, py)
            xs.append(x.value)
            ys.append(y.value)
        if xs:
            b = (min(xs), min(ys), max(xs), max(ys))
            box = b if box is None else (max(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), min(box[3], b[3]))
    return box


def _clipped_chars(api: _Api, page, vtp, n: int) -> set[int]:
    """Char indices whose text object's clipping path hides them (pdf.py's ``_ClipReader``: an Excel export
    draws a merged cell's text on every page the cell spans and clips it away on all but one)."""
    R = api.R
    fl = api.f
    refs = api.p_f
    vpage = ctypes.c_void_p(ctypes.cast(page, ctypes.c_void_p).value)
    TEXT = R.FPDF_PAGEOBJ_TEXT
    clips: dict[int, tuple[float, float, float, float]] = {}
    for i in range(api.CountObjects(vpage)):
        obj = api.GetObject(vpage, i)
        if api.GetType(obj) != TEXT:
            continue
        box = _clip_box(api, obj)
        if box is None:
            continue
        api.GetBounds(obj, *refs)
        l, b, r, t = (v.value for v in fl)
        if l < box[0] - 1 or r > box[2] + 1 or b < box[1] - 1 or t > box[3] + 1:
            clips[obj.value] = box
    hidden: set[int] = set()
    if not clips:
        return hidden
    d = api.d
    drefs = api.p_d
    TextObject, CharBox = api.TextObject, api.CharBox
    for i in range(n):
        box = clips.get(TextObject(vtp, i))
        if box is None:
            continue
        CharBox(vtp, i, *drefs)  # left, right, bottom, top
        cx, cy = (d[0].value + d[1].value) / 2, (d[2].value + d[3].value) / 2
        if not (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
            hidden.add(i)
    return hidden


def _extract(api: _Api, doc, index: int) -> PageInput:
    R = api.R
    page = R.FPDF_LoadPage(doc, index)
    if not page:
        raise ValueError("PDFium could not load the page")
    try:
        f1, f2, f3, f4 = api.f1, api.f2, api.f3, api.f4
        if R.FPDFPage_GetMediaBox(page, ctypes.byref(f1), ctypes.byref(f2), ctypes.byref(f3), ctypes.byref(f4)):
            mediabox = (round(f1.value, 4), round(f2.value, 4), round(f3.value, 4), round(f4.value, 4))
        else:
            mediabox = (0.0, 0.0, 612.0, 792.0)
        rotation = (R.FPDFPage_GetRotation(page) % 4) * 90
        tf = _page_transform(mediabox, rotation)
        glyphs = _glyphs(api, page, tf)
        shapes, has_image = _collect_objects(api, page, tf)
        ruled: list[list[Box]] = []
        if glyphs and shapes:
            h, v = _edges(shapes)
            ruled = find_table_cells(h, v)
        return PageInput(index + 1, float(tf[6]), float(tf[7]), glyphs, ruled, has_image)
    finally:
        R.FPDF_ClosePage(page)


def extract_page_inputs(data: bytes) -> tuple[Optional[int], list[PageInput], list[ReadIssue]]:
    """A PDF's bytes → (page count, one :class:`PageInput` per readable page, issues). Raises only on a file PDFium cannot open."""
    import pypdfium2 as pdfium

    api = _api()
    try:
        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001
        msg = str(exc)
        if "password" in msg.lower():
            return None, [], [ReadIssue("error", "encrypted_pdf", "the PDF is password-protected; it cannot be read without the password")]
        return None, [], [ReadIssue("error", "unreadable_pdf", f"the file starts like a PDF but cannot be opened (damaged, truncated or not a PDF): {msg}")]
    try:
        try:
            total = len(doc)
        except Exception as exc:  # noqa: BLE001
            return None, [], [ReadIssue("error", "unreadable_pdf", f"the PDF's page tree cannot be read: {exc}")]
        if total > MAX_PAGES:
            return total, [], [ReadIssue("error", "too_large", f"{total} pages is more than the {MAX_PAGES} a PDF may have")]
        issues: list[ReadIssue] = []
        inputs: list[PageInput] = []
        raw = doc.raw
        for i in range(total):
            try:
                inputs.append(_extract(api, raw, i))
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
                issues.append(ReadIssue("warning", "page_failed", f"page {i + 1} could not be read: {type(exc).__name__}: {exc}", i + 1))
        return total, inputs, issues
    finally:
        try:
            doc.close()
        except Exception:  # noqa: BLE001
            pass


def read(data: bytes, name: str) -> Document:
    """Read a PDF's bytes into a Document (PDFium extraction, pdf.py's layout). Never raises."""
    try:
        return _read(data, name)
    except Exception as exc:  # noqa: BLE001 - never raise for a bad file
        return Document(kind="pdf", issues=[ReadIssue("error", "unreadable_pdf", f"the PDF could not be read: {type(exc).__name__}: {exc}")])


def _read(data: bytes, name: str) -> Document:
    total, inputs, issues = extract_page_inputs(data)
    if any(i.severity == "error" for i in issues):
        return Document(kind="pdf", pages=total, issues=issues)
    failed = [i.page for i in issues if i.code == "page_failed"]
    return document_from_pages(total, inputs, issues, failed)
