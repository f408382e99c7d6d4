"""The table model every reader reduces a file to.

A :class:`Document` is an ordered list of blocks: :class:`TextBlock` (headings,
``单位：万元`` lines, ``编制部门：…`` lines, prose) and :class:`Table` (cells with
row, column, rowspan, colspan and the text as displayed). Every cell and block
carries its provenance: the page (PDF) or sheet (Excel) it stands on, its row
within that page or sheet, its bounding box on a PDF page, or its line in a text
export. A table that runs on over a page break is one table whose cells keep
their own pages.

Pure data, no I/O. Readers (``loaders.readers.*``) build documents; parsers read
them; the load step stages every cell in ``raw.table_cells``.

Coordinates: PDF points, origin top-left of the page (``x0, top, x1, bottom``),
as pdfplumber reports them.
"""

from __future__ import annotations

import re as _re
from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

__all__ = [
    "Cell",
    "Table",
    "TextBlock",
    "Block",
    "Document",
    "ReadIssue",
    "column_letters",
    "cell_locator",
]


def column_letters(col: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 27 → AB)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(slots=True)
class Cell:
    """One table cell, as displayed.

    ``row``/``col`` are 0-based positions in the table's grid (top-left of a merged
    cell); ``rowspan``/``colspan`` how many grid rows and columns it covers. A merged
    cell is one Cell, never repeated in the positions it covers.

    Provenance: ``page`` (1-based PDF page or sheet number; None for text exports and
    single-page formats), ``source_row``/``source_col`` (1-based row and column within
    that page or sheet as the file numbers them; for a spreadsheet the sheet's own row
    and column), ``line`` (text exports: the 1-based line the cell starts on) and
    ``bbox`` (PDF: x0, top, x1, bottom in points).
    """

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    page: Optional[int] = None
    source_row: Optional[int] = None
    source_col: Optional[int] = None
    line: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None


@dataclass(slots=True)
class TextBlock:
    """Text outside any table: a heading, a ``单位：万元`` line, a paragraph of prose."""

    text: str
    page: Optional[int] = None
    line: Optional[int] = None  # text exports: 1-based line
    source_row: Optional[int] = None  # spreadsheets: the sheet row it stands in
    bbox: Optional[tuple[float, float, float, float]] = None


@dataclass
class Table:
    """A table: its cells in row-major order and where it stands.

    ``index`` is the table's 1-based number in the document (表3 = the third table
    read from the file, counted over every page). ``title`` is the text printed
    above it (the nearest heading-like block before it), or None. ``sheet`` is the
    spreadsheet sheet's name.
    """

    index: int
    cells: list[Cell]
    n_rows: int
    n_cols: int
    title: Optional[str] = None
    sheet: Optional[str] = None
    caption_blocks: list[TextBlock] = field(default_factory=list)  # text just above (title, 单位, 编制单位)

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({c.page for c in self.cells if c.page is not None}))

    @property
    def page(self) -> Optional[int]:
        """The page (or sheet number) the table starts on."""
        pages = self.pages
        return pages[0] if pages else None

    def grid(self) -> list[list[str]]:
        """Rows × columns of text; a merged cell's text stands at its top-left only."""
        out = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            if 0 <= c.row < self.n_rows and 0 <= c.col < self.n_cols:
                out[c.row][c.col] = c.text
        return out

    def filled_grid(self) -> list[list[str]]:
        """Rows × columns of text with a merged cell's text repeated in every position it covers."""
        out = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                for k in range(c.col, min(c.col + c.colspan, self.n_cols)):
                    out[r][k] = c.text
        return out

    def rows(self) -> list[list[Cell]]:
        """The cells of each grid row that start in it, in column order."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in self.cells:
            if 0 <= c.row < self.n_rows:
                out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out


Block = Union[TextBlock, Table]


@dataclass(slots=True)
class ReadIssue:
    """Something a reader could not read cleanly (becomes a row of audit.parse_issues)."""

    severity: str  # error | warning
    code: str  # scanned_pdf, encrypted_pdf, needs_libreoffice, unreadable, too_large, …
    message: str
    page: Optional[int] = None


@dataclass
class Document:
    """Everything a reader saw in one file, in reading order.

    ``kind`` is the format read (``text``, ``pdf``, ``docx``, ``xlsx``, ``xls``,
    ``csv``, ``html``). ``lines`` is the decoded text of a text export (the parsers
    of the line-based sample layouts read it); None for other formats. ``pages`` is
    the PDF page count (sheet count for workbooks). A reader that cannot read the
    file at all returns a Document with no blocks and an ``error`` issue.
    """

    kind: str
    blocks: list[Block] = field(default_factory=list)
    pages: Optional[int] = None
    sheets: list[str] = field(default_factory=list)
    lines: Optional[tuple[str, ...]] = None
    encoding: Optional[str] = None
    damaged: int = 0
    content_sha256: Optional[str] = None  # text exports: sha256 of the normalised text
    issues: list[ReadIssue] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [b for b in self.blocks if isinstance(b, TextBlock)]

    @property
    def failed(self) -> bool:
        return not self.blocks and any(i.severity == "error" for i in self.issues)

    def iter_cells(self) -> Iterator[tuple[Table, Cell]]:
        for t in self.tables:
            for c in t.cells:
                yield t, c


def cell_locator(doc_kind: str, table: Table, cell: Cell) -> str:
    """A locator a person can follow to the cell.

    ``line 1135`` (text), ``p.7 表3 r12 c4`` (PDF: page, table number, row and column
    within the page), ``'3.15部门收支总表'!D12`` (spreadsheets), ``table 4 row 12 col 3``
    (Word, HTML, CSV).
    """
    if doc_kind == "text" and cell.line is not None:
        return f"line {cell.line}"
    row = cell.source_row if cell.source_row is not None else cell.row + 1
    col = cell.source_col if cell.source_col is not None else cell.col + 1
    if doc_kind == "pdf":
        return f"p.{cell.page} 表{table.index} r{row} c{col}"
    if doc_kind in ("xlsx", "xls") and table.sheet is not None:
        sheet = table.sheet.replace("'", "''")
        return f"'{sheet}'!{column_letters(col - 1)}{row}"
    return f"table {table.index} row {row} col {col}"


_TITLE_WORDS = _re.compile(r"表|情况|明细|预算|决算")
# 表1, 公开表一, 部门公开表4: a table's number, not its title
_TABLE_NUMBER = _re.compile(r"^.{0,6}表\s*[\d一二三四五六七八九十]+[:：]?$")

_NOT_TITLE_PREFIXES = (
    "单位", "金额单位", "编制单位", "编制部门", "部门：", "单位：", "预算单位", "填报单位",
    "备注", "注：", "注:", "部门名称", "单位名称", "预算年度",
)


def attach_captions(blocks: list[Block], max_title_chars: int = 80) -> None:
    """Give each table the text blocks printed just above it and a title.

    Caption blocks are the text blocks between the previous table and this one (at
    most the last six). The title is the nearest of them that names a table (…表,
    …情况, 预算) and is not a unit, 编制单位 or table-number line, else the nearest
    such line at all. Readers call this once their blocks are in reading order;
    recognition reads captions, never positions.
    """
    pending: list[TextBlock] = []
    for b in blocks:
        if isinstance(b, TextBlock):
            if b.text.strip():
                pending.append(b)
            continue
        b.caption_blocks = pending[-6:]
        if b.title is None:
            candidates = [
                text
                for text in (" ".join(t.text.split()) for t in reversed(b.caption_blocks))
                if 0 < len(text) <= max_title_chars
                and not text.startswith(_NOT_TITLE_PREFIXES)
                and any(ch.isalnum() for ch in text)
            ]
            numbers = [c for c in candidates if _TABLE_NUMBER.match(c)]  # 公开表一: only when nothing else
            named = [c for c in candidates if c not in numbers]
            # a line that names a table (…表, …情况) beats a nearer 单位 name or date line
            titled = [c for c in named if _TITLE_WORDS.search(c)]
            b.title = (titled or named or numbers or [None])[0]
        pending = []
