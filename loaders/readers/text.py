"""Text exports → Document.

The sample filings are text exports in three shapes: Word-table exports (every
cell a tab-prefixed line, a blank line ends a row), tab-separated rows, and text
extracted from PDFs (rows of space-separated words). The first two become tables
(each run of rows one table, each cell with its line); every other line is a
text block. A comma-separated file is read by :mod:`loaders.readers.csv`.

The decoded lines stay on the document (``Document.lines``): the parsers of the
line-based sample layouts read them, and every record's ``source_line`` is a line
of this text.
"""

from __future__ import annotations

from loaders.document import Cell, Document, ReadIssue, Table, TextBlock, attach_captions
from loaders.text import DecodeError, decode_filing
from loaders.wordtable import Row, read_blocks

__all__ = ["read", "document_from_lines"]


def read(data: bytes, name: str) -> Document:
    from loaders.readers.csv import looks_like_csv, read_text as read_csv_text

    def build(decoded) -> Document:
        if looks_like_csv(decoded.lines):
            return read_csv_text(decoded.text, decoded.lines)
        return document_from_lines(decoded.lines)

    return read_decoded(data, "text", build)


def read_decoded(data: bytes, kind: str, build) -> Document:
    """Decode a text file (any encoding the text path accepts) and build its document;
    undecodable input is an ``empty`` / ``not_text`` error, damaged bytes a warning."""
    try:
        decoded = decode_filing(data)
    except DecodeError as exc:
        code = "empty" if "empty" in str(exc) else "not_text"
        return Document(kind=kind, issues=[ReadIssue("error", code, str(exc))])
    doc = build(decoded)
    doc.encoding = decoded.encoding
    doc.damaged = decoded.damaged
    doc.content_sha256 = decoded.content_sha256
    if decoded.damaged:
        doc.issues.append(
            ReadIssue(
                "warning",
                "damaged_bytes",
                f"{decoded.damaged} bytes could not be decoded as {decoded.encoding.split('+')[0]} "
                "and were replaced by U+FFFD; values next to them may be wrong",
            )
        )
    return doc


def document_from_lines(lines: tuple[str, ...]) -> Document:
    """Blocks of a text export: runs of Word-table rows and of tab-separated lines are tables."""
    blocks: list = []
    word_rows: list[Row] = []
    tsv_rows: list[tuple[int, list[str]]] = []

    def close_word() -> None:
        if word_rows:
            cells = [
                Cell(r, k, c.value, line=c.line, source_row=c.line, source_col=k + 1)
                for r, row in enumerate(word_rows)
                for k, c in enumerate(row.cells)
            ]
            blocks.append(Table(0, cells, len(word_rows), max(len(r) for r in word_rows)))
            word_rows.clear()

    def close_tsv() -> None:
        if tsv_rows:
            cells = [
                Cell(r, k, v.strip(), line=line, source_row=line, source_col=k + 1)
                for r, (line, values) in enumerate(tsv_rows)
                for k, v in enumerate(values)
                if v.strip()
            ]
            blocks.append(Table(0, cells, len(tsv_rows), max(len(v) for _, v in tsv_rows)))
            tsv_rows.clear()

    for b in read_blocks(lines):
        if isinstance(b, Row):
            close_tsv()
            word_rows.append(b)
            continue
        close_word()
        if "\t" in b.text.strip():
            tsv_rows.append((b.line, b.text.rstrip("\n").split("\t")))
            continue
        close_tsv()
        blocks.append(TextBlock(b.value, line=b.line, source_row=b.line))
    close_word()
    close_tsv()
    for i, t in enumerate((b for b in blocks if isinstance(b, Table)), start=1):
        t.index = i
    attach_captions(blocks)
    return Document(kind="text", blocks=blocks, lines=tuple(lines))
