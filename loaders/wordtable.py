"""The Word-table export layout (filings 000, 002, 004): lines → rows of cells.

In these exports every table cell is a line that starts with a tab; a blank
line ends a table row; a cell may continue on the following lines (a line
that does not start with a tab, before the blank line); and a stray blank line
can split one row in two. Everything that is not in a row is a text line
(headings, notes, prose).

Pure functions, no I/O. Line numbers are 1-based, as in the file.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence, Union

__all__ = ["Cell", "Row", "TextLine", "read_blocks", "merge_split_rows", "is_word_table_text"]


def _trim(text: str) -> str:
    return text.strip().strip("\u3000").strip()


class Cell:
    """One table cell: its text (continuation lines joined with "\n") and where it stands."""

    __slots__ = ("text", "line", "end_line", "value")

    def __init__(self, text: str, line: int, end_line: int) -> None:
        self.text = text  # outer whitespace kept
        self.line = line  # line where the cell starts
        self.end_line = end_line  # last line of the cell (== line unless it continues)
        self.value = _trim(text)  # trimmed of surrounding whitespace (ASCII and full-width)

    def __eq__(self, other) -> bool:
        return isinstance(other, Cell) and (self.text, self.line, self.end_line) == (other.text, other.line, other.end_line)

    def __hash__(self) -> int:
        return hash((self.text, self.line, self.end_line))

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, {self.line}, {self.end_line})"


class Row:
    """A table row: its cells in order."""

    __slots__ = ("cells", "values")

    def __init__(self, cells: tuple) -> None:
        self.cells = tuple(cells)
        self.values = [c.value for c in self.cells]  # trimmed texts

    @property
    def line(self) -> int:
        """Line of the row's first cell: the row's provenance."""
        return self.cells[0].line

    @property
    def end_line(self) -> int:
        return self.cells[-1].end_line

    def __len__(self) -> int:
        return len(self.cells)

    def __eq__(self, other) -> bool:
        return isinstance(other, Row) and self.cells == other.cells

    def __hash__(self) -> int:
        return hash(self.cells)

    def __repr__(self) -> str:
        return f"Row({self.values!r} @ {self.line})"


class TextLine:
    """A line outside any table row (heading, note, prose)."""

    __slots__ = ("text", "line", "value")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line
        self.value = _trim(text)

    def __eq__(self, other) -> bool:
        return isinstance(other, TextLine) and (self.text, self.line) == (other.text, other.line)

    def __hash__(self) -> int:
        return hash((self.text, self.line))

    def __repr__(self) -> str:
        return f"TextLine({self.text!r}, {self.line})"


Block = Union[Row, TextLine]

# Every layout parser reads the same filing's blocks: keep the last result (for the
# same immutable tuple of lines) instead of rebuilding it per parser.
_LAST: tuple = (None, None)


def read_blocks(lines: Sequence[str]) -> list[Block]:
    """Group a filing's lines into rows of cells and free text lines, in order.

    Blank lines are dropped (a blank line only ends a row). The result must not be
    modified: for a tuple of lines it is shared by every parser of that filing.
    """
    global _LAST
    if isinstance(lines, tuple) and _LAST[0] is lines:
        return _LAST[1]
    blocks = _read_blocks(lines)
    if isinstance(lines, tuple):
        _LAST = (lines, blocks)
    return blocks


def _read_blocks(lines: Sequence[str]) -> list[Block]:
    blocks: list[Block] = []
    cells: list[list] = []  # [text, line, end_line]
    append_block = blocks.append

    for number, line in enumerate(lines, start=1):
        if line[:1] == "\t":
            cells.append([line[1:], number, number])
        elif not line or line.isspace():
            if cells:
                append_block(Row(tuple(Cell(t, a, b) for t, a, b in cells)))
                cells = []
        elif cells:
            # continuation of the cell above (a paragraph break inside a cell)
            last = cells[-1]
            last[0] += "\n" + line
            last[2] = number
        else:
            append_block(TextLine(line, number))
    if cells:
        append_block(Row(tuple(Cell(t, a, b) for t, a, b in cells)))
    return blocks


def merge_split_rows(rows: Iterable[Row], width: int) -> Iterator[Row]:
    """Re-join rows that a stray blank line split in two.

    A row with fewer cells than ``width`` is joined with the next row when the
    two together have exactly ``width`` cells.
    """
    pending: Row | None = None
    for row in rows:
        if pending is not None:
            if len(pending) + len(row) == width:
                yield Row(pending.cells + row.cells)
                pending = None
                continue
            yield pending
            pending = None
        if len(row) < width:
            pending = row
        else:
            yield row
    if pending is not None:
        yield pending


def is_word_table_text(lines: Sequence[str]) -> bool:
    """True when most table-like lines are one-cell-per-line (tab-prefixed, no inner tabs)."""
    cell_lines = sum(1 for l in lines if l.startswith("\t") and "\t" not in l[1:])
    tsv_lines = sum(1 for l in lines if l.count("\t") >= 3 and not l.startswith("\t\t\t\t"))
    return cell_lines >= 10 and cell_lines > tsv_lines
