""".docx → Document, from the XML grid of ``word/document.xml`` (lxml).

python-docx's ``row.cells`` repeats a merged cell in every grid position it covers
and hides the span, so the grid is read from the XML: ``w:gridBefore`` /
``w:gridAfter`` skip grid columns, ``w:gridSpan`` widens a cell, ``w:vMerge``
(``restart`` … continue) and the legacy ``w:hMerge`` join cells. A merged cell is
one :class:`Cell` with its rowspan and colspan.

Body order is kept: paragraphs outside tables are text blocks (blank ones are
dropped), between the tables they stand between. A cell's text is its paragraphs
joined with "\\n" as Word displays them (``w:tab`` → tab, ``w:br`` → line break,
deleted text and fallback copies of drawings skipped), stripped. A table nested in
a cell is flattened: it becomes a table of its own right after the table that
holds it, and a ``nested_table`` warning names the cell. Empty cells are not cells
(a merged cell is kept even when empty).

``Table.index`` counts tables 1.. over the document; ``source_row``/``source_col``
are 1-based (the row within the table and the grid column); ``page`` is None
(Word has no fixed pages).
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Optional

from loaders.document import Block, Cell, Document, ReadIssue, Table, TextBlock, attach_captions

__all__ = ["read", "read_document_xml"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC = f"{{{W}}}p", f"{{{W}}}tbl", f"{{{W}}}tr", f"{{{W}}}tc"
_T, _TAB, _BR, _CR = f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"
_NOBREAK_HYPHEN = f"{{{W}}}noBreakHyphen"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml"
_SMART_TAG = f"{{{W}}}smartTag"
_DEL, _MOVE_FROM = f"{{{W}}}del", f"{{{W}}}moveFrom"
_FALLBACK = f"{{{MC}}}Fallback"
_PPR, _RPR = f"{{{W}}}pPr", f"{{{W}}}rPr"
_VAL = f"{{{W}}}val"

MAX_DOCUMENT_XML_BYTES = 512 * 1024 * 1024
MAX_CELLS = 2_000_000
MAX_NESTING = 8


def read(data: bytes, name: str) -> Document:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except KeyError:
        return _failed("unreadable", "not a .docx: the archive has no word/document.xml")
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return _failed("unreadable", f"not a readable .docx archive: {exc}")
    if info.file_size > MAX_DOCUMENT_XML_BYTES:
        return _failed(
            "too_large", f"word/document.xml unpacks to {info.file_size / 2**20:.0f} MB, more than a document may have"
        )
    try:
        xml = archive.read(info)
    except Exception as exc:  # noqa: BLE001 - bad CRC, unsupported compression, truncated archive
        return _failed("unreadable", f"word/document.xml could not be unpacked: {type(exc).__name__}: {exc}")
    return read_document_xml(xml)


def _failed(code: str, message: str) -> Document:
    return Document(kind="docx", issues=[ReadIssue("error", code, message)])


def read_document_xml(xml: bytes) -> Document:
    """The bytes of a ``word/document.xml`` → Document."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        return _failed("unreadable", f"word/document.xml is not well-formed XML: {exc}")
    body = root.find(f"{{{W}}}body")
    if body is None:
        return _failed("unreadable", "word/document.xml has no w:body")
    reader = _Reader()
    reader.walk(body)
    doc = Document(kind="docx", blocks=reader.blocks, issues=reader.issues)
    for i, t in enumerate(doc.tables, start=1):
        t.index = i
    for t, where in reader.nested:
        doc.issues.append(
            ReadIssue(
                "warning",
                "nested_table",
                f"table {t.index} stood inside a cell of table {where[0].index} (row {where[1]}, col {where[2]}); "
                "it is read as a table of its own",
            )
        )
    attach_captions(doc.blocks)
    return doc


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.issues: list[ReadIssue] = []
        self.nested: list[tuple[Table, tuple[Table, int, int]]] = []
        self.n_cells = 0
        self.stopped = False

    # body: paragraphs and tables, looking through content controls and custom XML
    def walk(self, parent) -> None:
        for el in parent:
            if self.stopped:
                return
            tag = el.tag
            if tag == _P:
                text = paragraph_text(el).strip()
                if text:
                    self.blocks.append(TextBlock(text))
            elif tag == _TBL:
                self.table(el, depth=0)
            elif tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG):
                self.walk(el)

    def table(self, tbl, depth: int, parent: Optional[tuple[Table, int, int]] = None) -> None:
        cells: list[Cell] = []
        nested: list[tuple[object, int, int]] = []  # (w:tbl, row, col) found in cells
        open_v: dict[int, Cell] = {}  # grid column → the cell a vertical merge continues
        n_rows = 0
        n_cols = 0
        grid = tbl.find(f"{{{W}}}tblGrid")
        if grid is not None:
            n_cols = sum(1 for g in grid if g.tag == f"{{{W}}}gridCol")
        for r, tr in enumerate(_children(tbl, _TR)):
            n_rows = r + 1
            col = _row_prop(tr, "gridBefore")
            seen_cols: set[int] = set()
            last: Optional[Cell] = None
            for tc in _children(tr, _TC):
                tcpr = tc.find(f"{{{W}}}tcPr")
                span = 1
                vmerge = None
                hmerge = None
                if tcpr is not None:
                    gs = tcpr.find(f"{{{W}}}gridSpan")
                    if gs is not None:
                        span = _int(gs.get(_VAL), 1)
                    vm = tcpr.find(f"{{{W}}}vMerge")
                    if vm is not None:
                        vmerge = vm.get(_VAL) or "continue"
                    hm = tcpr.find(f"{{{W}}}hMerge")
                    if hm is not None:
                        hmerge = hm.get(_VAL) or "continue"
                span = max(1, min(span, 4096))
                if hmerge == "continue" and last is not None:
                    last.colspan += span
                    col += span
                    continue
                if vmerge == "continue" and col in open_v and open_v[col].row + open_v[col].rowspan == r:
                    held = open_v[col]
                    held.rowspan += 1
                    for k in range(col, col + span):
                        seen_cols.add(k)
                    col += span
                    last = None
                    continue
                text = cell_text(tc)
                cell = Cell(r, col, text, rowspan=1, colspan=span, source_row=r + 1, source_col=col + 1)
                for k in range(col, col + span):
                    open_v.pop(k, None)
                    seen_cols.add(k)
                if vmerge is not None:  # restart (or an orphan continue): a merge may follow
                    open_v[col] = cell
                cells.append(cell)
                self.n_cells += 1
                for inner in tc.iter(_TBL):
                    if _nearest_table(inner, tc) is tc:
                        nested.append((inner, r + 1, col + 1))
                last = cell
                col += span
            col += _row_prop(tr, "gridAfter")
            n_cols = max(n_cols, col)
            # a column this row has no cell in ends the vertical merges there
            for k in list(open_v):
                if k not in seen_cols:
                    del open_v[k]
            if self.n_cells > MAX_CELLS:
                self.issues.append(
                    ReadIssue("error", "too_large", f"more than {MAX_CELLS:,} table cells; reading stopped there")
                )
                self.stopped = True
                break
        kept = [c for c in cells if c.text or c.rowspan > 1 or c.colspan > 1]
        n_cols = max([n_cols] + [c.col + c.colspan for c in kept])
        table = Table(0, kept, n_rows, n_cols)
        self.blocks.append(table)
        if parent is not None:
            self.nested.append((table, parent))
        for inner, r, c in nested:
            if self.stopped:
                break
            if depth + 1 >= MAX_NESTING:
                self.issues.append(ReadIssue("warning", "nested_table", f"tables nested deeper than {MAX_NESTING} levels were skipped"))
                break
            self.table(inner, depth + 1, parent=(table, r, c))


def _children(el, tag):
    """Direct children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG):
            yield from _children(child, tag)


def _nearest_table(inner, tc):
    """The w:tc that directly holds ``inner`` (w:tbl)."""
    p = inner.getparent()
    while p is not None and p.tag != _TC:
        p = p.getparent()
    return p


def _row_prop(tr, name: str) -> int:
    trpr = tr.find(f"{{{W}}}trPr")
    if trpr is None:
        return 0
    el = trpr.find(f"{{{W}}}{name}")
    return max(0, min(_int(el.get(_VAL), 0), 4096)) if el is not None else 0


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def cell_text(tc) -> str:
    """A cell's paragraphs joined with "\\n" (nested tables' text left to those tables), stripped."""
    parts: list[str] = []
    _collect_paragraphs(tc, parts)
    return "\n".join(p.strip() for p in parts).strip()


def _collect_paragraphs(el, out: list[str]) -> None:
    for child in el:
        if child.tag == _P:
            out.append(paragraph_text(child))
        elif child.tag == _TBL:
            continue
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML, _SMART_TAG):
            _collect_paragraphs(child, out)


def paragraph_text(p) -> str:
    """The text of one w:p as displayed."""
    out: list[str] = []
    _runs(p, out)
    return "".join(out)


def _runs(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments, processing instructions
        if tag in (_DEL, _MOVE_FROM, _FALLBACK, _PPR, _RPR):
            continue
        if tag == _T:
            out.append(child.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag in (_BR, _CR):
            out.append("\n")
        elif tag == _NOBREAK_HYPHEN:
            out.append("-")
        elif tag == _P:  # a text box's paragraph inside a drawing
            if out and not out[-1].endswith("\n"):
                out.append("\n")
            _runs(child, out)
        else:
            _runs(child, out)
