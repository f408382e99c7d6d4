"""One filing's text → everything every matching layout parser reads from it.

Pure: no I/O. A parser that raises is a bug, but it must not cost the user the
rest of the filing or the build: it becomes an ``error`` issue.
"""

from __future__ import annotations

import traceback
from typing import Optional, Sequence

from loaders.parsers import all_parsers
from loaders.parsers.common import find_fiscal_year, find_place_mentions
from loaders.records import ParsedFiling, ParseIssue, entity_role_from_code

__all__ = ["parse_lines"]


def parse_lines(lines: Sequence[str]) -> ParsedFiling:
    result = ParsedFiling()
    for parser in all_parsers():
        try:
            if not parser.matches(lines):
                continue
            result.extend(parser.parse(lines))
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
    if not result.layouts:
        result.issues.append(
            ParseIssue(
                "error",
                "not_a_filing",
                "no known budget or performance-target table found (not a 部门预算 / 绩效目标表 text export?)",
            )
        )
        return result
    if result.fiscal_year is None:
        result.fiscal_year = find_fiscal_year(lines)
        if result.fiscal_year is None:
            result.issues.append(ParseIssue("warning", "year_missing", "no fiscal year found in the filing"))
    _drop_unfinished_row(lines, result)
    _choose_department(result)
    _fill_entities(result)
    result.place_mentions = find_place_mentions(lines)
    return result


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
