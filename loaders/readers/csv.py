"""Comma-separated text → Document (the csv module).

A text file is a CSV when most of its non-empty lines are comma-separated rows with
one field count of at least two (:func:`looks_like_csv`); the text reader asks this
before reading a file as a text export. Quoted fields keep their commas
(``"2,858.50"``) and may run over lines. One table: the records under the title
lines; title lines above the grid (a record with one non-empty field, or a caption
pair such as ``部门：…`` / ``单位：万元``) become text blocks, as in a sheet
(:func:`loaders.readers.xlsx.sheet_blocks`). Every cell keeps its line
(``Cell.line`` and ``source_row`` = the line the record starts on, ``source_col``
the 1-based field). Tab-separated text is the text reader's.
"""

from __future__ import annotations

import csv as _csv
import io
from collections import Counter
from typing import Sequence

from loaders.document import Document, ReadIssue

__all__ = ["read", "read_text", "looks_like_csv"]

MAX_FIELD = 1_000_000
MAX_CELLS = 2_000_000


def _fields(line: str) -> list[str]:
    try:
        return next(_csv.reader([line]))
    except (StopIteration, _csv.Error):
        return []


def looks_like_csv(lines: Sequence[str]) -> bool:
    """Most non-empty lines are comma-separated rows with one field count ≥ 2.

    Judged on the first 200 non-empty lines under up to five comma-free title
    lines: at least two of them have commas, the
    most common field count is ≥ 2 and at least 60 % of the lines have it, and the
    lines are not tab-separated (the text reader's).
    """
    sample = [ln for ln in lines if ln.strip()][:205]
    lead = 0
    while lead < min(5, len(sample)) and "," not in sample[lead]:
        lead += 1  # title lines above the grid
    sample = sample[lead:][:200]
    if len(sample) < 2:
        return False
    tabbed = sum(1 for ln in sample if "\t" in ln.strip())
    if tabbed * 2 >= len(sample):
        return False
    counts = [len(_fields(ln)) if "," in ln else 1 for ln in sample]
    with_commas = sum(1 for c in counts if c >= 2)
    if with_commas < 2:
        return False
    mode, n_mode = Counter(c for c in counts if c >= 2).most_common(1)[0]
    return mode >= 2 and n_mode >= 2 and n_mode >= 0.6 * len(sample)


def read_text(text: str, lines: Sequence[str]) -> Document:
    """A decoded CSV (``text`` and its ``lines``) → Document with one table."""
    from loaders.readers.xlsx import finish_blocks, sheet_blocks

    doc = Document(kind="csv", lines=tuple(lines))
    old_limit = _csv.field_size_limit()
    _csv.field_size_limit(MAX_FIELD)
    cells: dict[tuple[int, int], tuple[str, bool]] = {}
    row_source: dict[int, int] = {}
    try:
        reader = _csv.reader(io.StringIO(text))
        prev = 0
        record = 0
        n = 0
        for fields in reader:
            start = prev + 1
            prev = reader.line_num
            if not fields or not any(f.strip() for f in fields):
                continue
            record += 1
            row_source[record] = start
            for k, value in enumerate(fields, start=1):
                value = value.strip()
                if value:
                    cells[(record, k)] = (value, not _is_number(value))
                    n += 1
            if n > MAX_CELLS:
                doc.issues.append(ReadIssue("error", "too_large", f"more than {MAX_CELLS:,} cells; reading stopped at line {start}"))
                break
    except _csv.Error as exc:
        doc.issues.append(ReadIssue("warning", "csv_damaged", f"the CSV could not be read past line {prev}: {exc}"))
    finally:
        _csv.field_size_limit(old_limit)
    doc.blocks = sheet_blocks(cells, [], page=None, sheet=None, row_source=row_source, line_mode=True)
    finish_blocks(doc.blocks)
    return doc


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", "").rstrip("%"))
        return True
    except ValueError:
        return False


def read(data: bytes, name: str) -> Document:
    """A .csv file's bytes (UTF-8 with or without BOM, GBK/GB18030) → Document."""
    from loaders.readers.text import read_decoded

    return read_decoded(data, "csv", lambda decoded: read_text(decoded.text, decoded.lines))
