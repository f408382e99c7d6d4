"""``medwh inspect FILE``: what the readers see in one file, and what the parsers make of it.

For a user whose file does not load: the format it was read as, the read issues
(a scan, a password, a reader failure), then every block in reading order — text
lines and tables with their number, page or sheet, size, title, what they were
recognised as and their first rows — so that it is plain whether the file could
not be read, was read but not recognised, or was read and loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from loaders.document import Table, TextBlock

__all__ = ["inspect_file"]


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def inspect_file(path: Path, max_rows: int = 6, width: int = 18, show_text: bool = True) -> Iterator[str]:
    """Lines describing one file as the readers and parsers see it."""
    from loaders.parse import parse_document, table_inventory
    from loaders.readers import read_document

    data = Path(path).read_bytes()
    doc = read_document(data, Path(path).name)
    pages = f", {doc.pages} {'sheets' if doc.kind in ('xlsx', 'xls') else 'pages'}" if doc.pages else ""
    yield f"{path}: read as {doc.kind}{pages}, {len(doc.tables)} tables, {len(doc.text_blocks)} text blocks"
    if doc.encoding:
        yield f"  encoding: {doc.encoding}"
    for issue in doc.issues:
        where = f" (page {issue.page})" if issue.page else ""
        yield f"  {issue.severity}: {issue.code}{where}: {issue.message}"
    if doc.failed:
        yield "verdict: failed — the file could not be read (see the error above)"
        return
    parsed = parse_document(doc)
    verdicts = {v.table_index: v for v in table_inventory(doc, parsed)}
    for block in doc.blocks:
        if isinstance(block, TextBlock):
            if show_text:
                where = f"p.{block.page} " if block.page else (f"line {block.line} " if block.line else "")
                yield f"  text {where}| {_clip(block.text, 100)}"
            continue
        yield from _describe_table(block, verdicts.get(block.index), max_rows, width)
    kinds = ",".join(parsed.doc_kinds) or "-"
    yield ""
    yield (
        f"recognised: {kinds}; department {parsed.department_name or '?'}, year {parsed.fiscal_year or '?'}, "
        f"{len(parsed.budget_lines)} amounts, {len(parsed.targets)} targets, {len(parsed.projects)} projects"
    )
    for issue in parsed.issues:
        if issue.severity == "error" or issue.code in ("tables_unrecognised", "no_tables", "table_unrecognised"):
            yield f"  {issue.severity}: {issue.code}: {issue.message}"
    if parsed.layouts:
        verdict = "loaded" if parsed.fiscal_year and parsed.department_name else "failed (no year or department found)"
    elif doc.tables or doc.kind != "text":
        verdict = "unrecognised (read, but no table recognised)"
    else:
        verdict = "failed (not a filing)"
    yield f"verdict: {verdict}"


def _describe_table(table: Table, verdict, max_rows: int, width: int) -> Iterator[str]:
    pages = table.pages
    where = ""
    if table.sheet:
        where = f"sheet '{table.sheet}' "
    elif pages:
        where = f"p.{pages[0]}" + (f"-{pages[-1]} " if len(pages) > 1 else " ")
    else:
        lines = [c.line for c in table.cells if c.line is not None]
        if lines:
            where = f"line {min(lines)} "
    recognised = verdict.recognised_as if verdict and verdict.recognised_as else "not recognised"
    facts = f", {verdict.facts_loaded} facts" if verdict and verdict.facts_loaded else ""
    yield f"  table {table.index} {where}{table.n_rows}×{table.n_cols} [{recognised}{facts}] {_clip(table.title or '(no title)', 80)}"
    grid = table.grid()
    for r, row in enumerate(grid[:max_rows]):
        yield "    | " + " | ".join(_clip(v, width) for v in row)
    if len(grid) > max_rows:
        yield f"    … {len(grid) - max_rows} more rows"
