"""One filing's Document → everything every matching parser reads from it.

Pure: no I/O. Every format reaches this step as a :class:`loaders.document.Document`.
Parsers come in two kinds (``loaders.parsers``): table parsers (``READS =
"document"``) read the document's tables and captions, whatever the format; the
parsers of the line-based sample layouts read a text export's lines
(``Document.lines``), which the text reader keeps beside its tables. A parser that
raises is a bug, but it must not cost the user the rest of the filing or the
build: it becomes an ``error`` issue.

After parsing, every record is tied back to the document table it was read from
(``table_index``), so that :func:`table_inventory` can say, per table, what it was
recognised as and how many facts it gave.
"""

from __future__ import annotations

import traceback
import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional, Sequence

from loaders.document import Document
from loaders.parsers import all_parsers
from loaders.parsers.common import find_fiscal_year, find_place_mentions
from loaders.records import ParsedFiling, ParseIssue, entity_role_from_code

__all__ = ["parse_lines", "parse_document", "TableVerdict", "table_inventory"]


def parse_lines(lines: Sequence[str]) -> ParsedFiling:
    """A text export's lines → records (the text reader's document, then :func:`parse_document`)."""
    from loaders.readers.text import document_from_lines

    return parse_document(document_from_lines(tuple(lines)))


def parse_document(doc: Document) -> ParsedFiling:
    result = ParsedFiling()
    lines = doc.lines
    line_parsers = [p for p in all_parsers() if getattr(p, "READS", "lines") != "document"]
    table_parsers = [p for p in all_parsers() if getattr(p, "READS", "lines") == "document"]
    if lines is not None:
        _run(line_parsers, lines, result)
    if table_parsers:
        # a table is read by one parser: what the line-layout parsers read is not read again
        claimed = _claimed_tables(doc, result) if result.layouts else set()
        unread = doc if not claimed else Document(
            kind=doc.kind,
            blocks=[b for b in doc.blocks if not (hasattr(b, "cells") and b.index in claimed)],
            pages=doc.pages,
            sheets=doc.sheets,
            lines=doc.lines,
            encoding=doc.encoding,
        )
        if unread.tables:
            _run(table_parsers, unread, result)
    return _finish(doc, result)


def _claimed_tables(doc: Document, result: ParsedFiling) -> set[int]:
    _fill_provenance(doc, result)
    claimed = {r.table_index for r in (*result.budget_lines, *result.targets, *result.projects)}
    claimed |= {r.table_index for r in result.statement_tables}
    claimed.discard(None)
    return claimed


def _run(parsers, source, result: ParsedFiling) -> None:
    for parser in parsers:
        try:
            if not parser.matches(source):
                continue
            result.extend(parser.parse(source))
        except Exception as exc:  # noqa: BLE001 - reported, never swallowed
            where = traceback.extract_tb(exc.__traceback__)[-1]
            result.issues.append(
                ParseIssue(
                    "error",
                    "parser_failed",
                    f"{parser.NAME} failed: {type(exc).__name__}: {exc} "
                    f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno}); its records are left out",
                )
            )


def _finish(doc: Document, result: ParsedFiling) -> ParsedFiling:
    lines = doc.lines
    text_lines = lines if lines is not None else _text_of(doc)
    if not result.layouts:
        if doc.tables:
            result.issues.append(
                ParseIssue(
                    "warning",
                    "tables_unrecognised",
                    f"{len(doc.tables)} tables read, none recognised as a 部门预算 statement or 绩效目标表; "
                    "they are listed in audit.table_inventory",
                )
            )
        elif doc.blocks and doc.kind != "text":
            result.issues.append(
                ParseIssue("warning", "no_tables", "text only, no tables (a narrative 说明, a notice?): nothing to load")
            )
        else:
            result.issues.append(
                ParseIssue(
                    "error",
                    "not_a_filing",
                    "no known budget or performance-target table found (not a 部门预算 / 绩效目标表 text export?)",
                )
            )
        return result
    if result.fiscal_year is None:
        result.fiscal_year = find_fiscal_year(text_lines)
        if result.fiscal_year is None:
            result.issues.append(ParseIssue("warning", "year_missing", "no fiscal year found in the filing"))
    if lines is not None:
        _drop_unfinished_row(lines, result)
    _split_code_prefixes(result)
    _choose_department(result)
    result.entity_level_published = _published_level(doc)
    _fill_entities(result)
    result.place_mentions = find_place_mentions(text_lines)
    _fill_provenance(doc, result)
    return result


def _published_level(doc: Document) -> Optional[str]:
    """单位预算 or 部门预算, as the document's own headings say (the cover first, then captions and
    table titles in document order; prose never counts): ``unit``, ``department`` or None."""
    from loaders.vocabulary import published_entity_level

    def headings():
        for b in doc.blocks:
            if hasattr(b, "cells"):
                if b.title:
                    yield b.title
                continue
            yield b.text  # a cover title wrapped over lines is one block
            yield from b.text.split("\n")

    return published_entity_level(headings())


def _text_of(doc: Document) -> list[str]:
    """The text of a document's text blocks and table cells, as lines (year and place search)."""
    out: list[str] = []
    for b in doc.blocks:
        if hasattr(b, "cells"):
            for row in b.rows():
                out.append("\t".join(c.text for c in row))
        else:
            out.extend(b.text.split("\n"))
    return out


_PROVENANCED = ("budget_lines", "projects", "targets", "statement_tables")


def _fill_provenance(doc: Document, result: ParsedFiling) -> None:
    """Text exports: each record's table (by its line) and its cell locator (``line N``).

    Table parsers fill ``table_index``, ``source_page`` and ``source_cell`` themselves."""
    if doc.lines is None:
        return
    spans = sorted(
        (min(c.line for c in t.cells), max(c.line for c in t.cells), t.index)
        for t in doc.tables
        if t.cells and t.cells[0].line is not None
    )
    starts = [s[0] for s in spans]

    def table_at(line: Optional[int], following: bool = False) -> Optional[int]:
        if line is None or not spans:
            return None
        k = bisect.bisect_right(starts, line) - 1
        if k >= 0 and spans[k][0] <= line <= spans[k][1]:
            return spans[k][2]
        if following and k + 1 < len(spans):  # a title line: the table printed after it
            return spans[k + 1][2]
        return None

    for rec in result.budget_lines:
        rec.table_index = table_at(rec.source_line)
        if rec.source_cell is None:
            rec.source_cell = f"line {rec.value_line or rec.source_line}"
    for rec in result.targets:
        rec.table_index = table_at(rec.source_line)
        if rec.source_cell is None:
            rec.source_cell = f"line {rec.value_line or rec.source_line}"
    for rec in result.projects:
        rec.table_index = table_at(rec.source_line)
        if rec.source_cell is None:
            rec.source_cell = f"line {rec.source_line}"
    for rec in result.statement_tables:
        if rec.table_index is None:
            rec.table_index = table_at(rec.source_line, following=True)


@dataclass
class TableVerdict:
    """One row of audit.table_inventory for one document table."""

    table_index: int
    recognised_as: Optional[str]
    facts_loaded: int


def table_inventory(doc: Document, result: Optional[ParsedFiling]) -> list[TableVerdict]:
    """Per document table: what it was recognised as (a statement name, ``project_targets``
    or ``overall_targets``; None when nothing was read from it) and how many facts
    (budget lines and targets) it gave."""
    kinds: dict[int, Counter] = {}
    facts: Counter = Counter()
    if result is not None:
        for rec in result.budget_lines:
            if rec.table_index is not None:
                kinds.setdefault(rec.table_index, Counter())[rec.statement] += 1
                facts[rec.table_index] += 1
        for rec in result.targets:
            if rec.table_index is not None:
                kind = "project_targets" if rec.project_key else "overall_targets"
                kinds.setdefault(rec.table_index, Counter())[kind] += 1
                facts[rec.table_index] += 1
        for rec in result.statement_tables:
            if rec.table_index is not None and rec.table_index not in kinds:
                kinds.setdefault(rec.table_index, Counter())[rec.statement] += 0
        for rec in result.projects:
            if rec.table_index is not None and rec.table_index not in kinds:
                kinds.setdefault(rec.table_index, Counter())["project_targets"] += 0
    out = []
    for t in doc.tables:
        c = kinds.get(t.index)
        recognised = None
        if c:
            recognised = max(c.items(), key=lambda kv: (kv[1], kv[0]))[0]
        out.append(TableVerdict(t.index, recognised, facts.get(t.index, 0)))
    return out


def _unfinished_row(lines: Sequence[str]) -> Optional[tuple[int, int]]:
    """The 1-based line range of a table row the file breaks off in, if it ends inside one.

    A Word-table row is finished by a blank line: a file whose last text is a cell (or
    a cell's continuation) with no blank line after it was cut inside that row. A
    tab-separated row is a whole line: a last line without a line end that has fewer
    cells than the row above was cut. (A cut inside the last cell of a full-width
    tab-separated row cannot be told from a complete one.)
    """
    k = len(lines) - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0:
        return None
    ends_with_newline = lines[-1] == "" and k < len(lines) - 1
    tail = list(lines[k + 1 :])
    if tail and tail[-1] == "":  # the empty remainder after the file's final line end
        tail.pop()
    blank_after = bool(tail)  # a real (blank) line after the last text
    start = k
    while start > 0 and lines[start - 1].strip():
        start -= 1
    in_word_row = any(l.startswith("\t") and "\t" not in l[1:] for l in lines[start : k + 1])
    if in_word_row and lines[start].startswith("\t"):
        if not blank_after:
            return start + 1, k + 1
        return None
    last = lines[k]
    if "\t" in last and not ends_with_newline and k > 0:
        above = lines[k - 1]
        if "\t" in above and last.count("\t") < above.rstrip("\t").count("\t"):
            return k + 1, k + 1
    return None


def _drop_unfinished_row(lines: Sequence[str], result: ParsedFiling) -> None:
    cut = _unfinished_row(lines)
    if cut is None:
        return
    first, last = cut

    def inside(rec) -> bool:
        spots = [getattr(rec, "source_line", None), getattr(rec, "value_line", None)]
        return any(x is not None and first <= x <= last for x in spots)

    dropped = 0
    for attr in ("budget_lines", "projects", "spending_plans", "targets", "narrative_amounts", "filing_texts"):
        kept = [r for r in getattr(result, attr) if not inside(r)]
        dropped += len(getattr(result, attr)) - len(kept)
        setattr(result, attr, kept)
    result.issues.append(
        ParseIssue(
            "error",
            "truncated",
            f"the file breaks off inside a table row (lines {first}-{last}); that row is left out "
            f"({dropped} records); everything before it is loaded",
            first,
        )
    )


_CODE_PREFIX = re.compile(r"^\s*(?:\[(\d{3,9})\]|(\d{3,9})(?:\s*[_\-－—:：\s]|(?=[\u4e00-\u9fff])))\s*(?![年度月日号])(\S.*)$")


def _split_code_prefixes(result: ParsedFiling) -> None:
    """``338_烟台市退役军人事务局`` / ``[292]国家信访局``: the budget code printed before a name
    is the entity's code, not part of its name."""

    def split(name, code):
        m = _CODE_PREFIX.match(name or "")
        if m is None:
            return name, code
        printed = m.group(1) or m.group(2)
        if not code or code == printed:
            return m.group(3).strip(), printed
        return name, code

    result.department_name, result.unit_code = split(result.department_name, result.unit_code)
    for e in result.entities:
        e.entity_name, e.unit_code = split(e.entity_name, e.unit_code)
    for attr in ("budget_lines", "projects", "targets", "narrative_amounts", "filing_texts", "statement_tables"):
        for rec in getattr(result, attr):
            if getattr(rec, "entity_name", None):
                rec.entity_name, rec.entity_code = split(rec.entity_name, rec.entity_code)


def _fill_entities(result: ParsedFiling) -> None:
    """Records that name an entity without its code get the code the filing prints next to
    that name elsewhere; records that name no entity belong to the filing's department."""
    codes: dict[str, set] = {}
    for e in result.entities:
        if e.unit_code:
            codes.setdefault(e.entity_name, set()).add(e.unit_code)
    for attr in ("budget_lines", "projects", "targets", "narrative_amounts", "filing_texts"):
        for rec in getattr(result, attr):
            if not rec.entity_name:
                rec.entity_name = result.department_name or ""
                rec.entity_code = result.unit_code
            elif rec.entity_code is None and len(codes.get(rec.entity_name, ())) == 1:
                rec.entity_code = next(iter(codes[rec.entity_name]))


def _choose_department(result: ParsedFiling) -> None:
    """The filing's main entity: a 3-digit-code 部门 if published, else the parser's choice."""
    departments = [e for e in result.entities if entity_role_from_code(e.unit_code) == "department"]
    if departments:
        result.department_name = departments[0].entity_name
        result.unit_code = departments[0].unit_code
    elif result.department_name is None and result.entities:
        result.department_name = result.entities[0].entity_name
        result.unit_code = result.entities[0].unit_code
    if result.department_name is None:
        result.issues.append(ParseIssue("warning", "department_missing", "no department or unit name found"))
