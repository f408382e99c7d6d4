"""The Word-table export layout (filings 000, 002, 004): lines → rows of cells.

In these exports every table cell is a line that starts with a tab; a blank
line ends a table row; a cell may continue on the following lines (a line
that does not start with a tab, before the blank line); and a stray blank line
can split one row in two. Everything that is not in a row is a text line
(headings, notes, prose).

Pure functions, no I/O. Line numbers are 1-based, as in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence, Union

__all__ = ["Cell", "Row", "TextLine", "read_blocks", "merge_split_rows", "is_word_table_text"]


@dataclass(frozen=True)
class Cell:
    text: str  # the cell's text, continuation lines joined with "\n", outer whitespace kept
    line: int  # line where the cell starts
    end_line: int  # last line of the cell (== line unless it continues)

    @property
    def value(self) -> str:
        """The text trimmed of surrounding whitespace (ASCII and full-width spaces)."""
        return self.text.strip().strip("\u3000").strip()


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]

    @property
    def line(self) -> int:
        """Line of the row's first cell: the row's provenance."""
        return self.cells[0].line

    @property
    def end_line(self) -> int:
        return self.cells[-1].end_line

    @property
    def values(self) -> list[str]:
        return [c.value for c in self.cells]

    def __len__(self) -> int:
        return len(self.cells)


@dataclass(frozen=True)
class TextLine:
    text: str
    line: int

    @property
    def value(self) -> str:
        return self.text.strip().strip("\u3000").strip()


Block = Union[Row, TextLine]


def read_blocks(lines: Sequence[str]) -> list[Block]:
    """Group a filing's lines into rows of cells and free text lines, in order.

    Blank lines are dropped (a blank line only ends a row).
    """
    blocks: list[Block] = []
    cells: list[list] = []  # [text, line, end_line]

    def flush() -> None:
        if cells:
            blocks.append(Row(tuple(Cell(t, a, b) for t, a, b in cells)))
            cells.clear()

    for number, line in enumerate(lines, start=1):
        if line.startswith("\t"):
            cells.append([line[1:], number, number])
        elif line.strip() == "":
            flush()
        elif cells:
            # continuation of the cell above (a paragraph break inside a cell)
            cells[-1][0] += "\n" + line
            cells[-1][2] = number
        else:
            blocks.append(TextLine(line, number))
    flush()
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
