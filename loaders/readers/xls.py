""".xls (BIFF, Excel 97–2003) → Document (xlrd, ``formatting_info=True``).

The same model as :mod:`loaders.readers.xlsx`: every sheet (``Document.sheets``,
``pages`` = sheet count, ``Cell.page`` = sheet number), text as displayed through
the cell's number format, merged ranges as one cell, title rows as text blocks,
the sheet's own row and column as ``source_row``/``source_col``.

Bounded: xlrd loads a sheet whole, so the file size is capped
(:data:`MAX_XLS_BYTES`) and at most :data:`loaders.readers.xlsx.MAX_CELLS`
non-empty cells are read (``too_large``).
"""

from __future__ import annotations

from loaders.document import Document, ReadIssue
from loaders.readers.xlsx import _ZH_CN_BUILTIN, MAX_CELLS, add_sheet, finish_blocks, format_value, general, sheet_blocks

__all__ = ["read", "MAX_XLS_BYTES"]

MAX_XLS_BYTES = 256 * 1024 * 1024


def read(data: bytes, name: str) -> Document:
    if len(data) > MAX_XLS_BYTES:
        return _failed("too_large", f"{len(data) / 2**20:.0f} MB is more than the {MAX_XLS_BYTES // 2**20} MB an .xls may have")
    try:
        import xlrd
    except ModuleNotFoundError:  # pragma: no cover - a declared dependency
        return _failed("needs_xlrd", "xlrd is not installed (pip install xlrd)")
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=_NullLog())
    except Exception as exc:  # noqa: BLE001 - any damaged workbook is reported, not raised
        text = str(exc)
        code = "encrypted" if "encrypt" in text.lower() else "unreadable"
        return _failed(code, f"xlrd could not open the workbook: {type(exc).__name__}: {text}")
    try:
        return read_book(book)
    finally:
        try:
            book.release_resources()
        except Exception:  # noqa: BLE001
            pass


class _NullLog:
    def write(self, _text: str) -> None:  # xlrd's warnings are noise here
        pass


def _failed(code: str, message: str) -> Document:
    return Document(kind="xls", issues=[ReadIssue("error", code, message)])


def read_book(book) -> Document:
    """An open xlrd Book (opened with ``formatting_info=True``) → Document."""
    import xlrd

    doc = Document(kind="xls")
    names = list(book.sheet_names())
    doc.sheets = names
    doc.pages = len(names)
    n_cells = 0
    for number, sheet_name in enumerate(names, start=1):
        try:
            sheet = book.sheet_by_index(number - 1)
        except Exception as exc:  # noqa: BLE001
            doc.issues.append(
                ReadIssue("error", "unreadable", f"sheet '{sheet_name}' could not be read: {type(exc).__name__}: {exc}", page=number)
            )
            continue
        cells: dict[tuple[int, int], tuple[str, bool]] = {}
        stopped = False
        for r in range(sheet.nrows):
            types = sheet.row_types(r)
            values = sheet.row_values(r)
            for c, (ctype, value) in enumerate(zip(types, values)):
                if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if ctype == xlrd.XL_CELL_TEXT:
                    text, is_text = str(value).strip(), True
                elif ctype == xlrd.XL_CELL_NUMBER:
                    text, is_text = format_value(value, _format_of(book, sheet, r, c)), False
                elif ctype == xlrd.XL_CELL_DATE:
                    fmt = _format_of(book, sheet, r, c)
                    try:
                        dt = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        text = format_value(dt, fmt)
                    except Exception:  # noqa: BLE001 - an out-of-range date shows as its number
                        text = general(value)
                    is_text = False
                elif ctype == xlrd.XL_CELL_BOOLEAN:
                    text, is_text = ("TRUE" if value else "FALSE"), False
                elif ctype == xlrd.XL_CELL_ERROR:
                    text, is_text = xlrd.error_text_from_code.get(value, "#ERR"), True
                else:
                    text, is_text = str(value).strip(), True
                if not text:
                    continue
                cells[(r + 1, c + 1)] = (text, is_text)
                n_cells += 1
            if n_cells > MAX_CELLS:
                stopped = True
                break
        if stopped:
            doc.issues.append(
                ReadIssue(
                    "error",
                    "too_large",
                    f"sheet '{sheet_name}' holds more than the {MAX_CELLS:,} non-empty cells a workbook may have; reading stopped there",
                    page=number,
                )
            )
            break
        merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells if rhi > rlo and chi > clo]
        add_sheet(doc, sheet_blocks(cells, merges, page=number, sheet=sheet_name), number, sheet_name)
        try:
            book.unload_sheet(number - 1)
        except Exception:  # noqa: BLE001
            pass
    finish_blocks(doc.blocks)
    return doc


def _format_of(book, sheet, r: int, c: int) -> str:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        if xf.format_key == 14:  # built-in short date, shown by the locale: ISO here
            return "mm-dd-yy"
        if xf.format_key in _ZH_CN_BUILTIN:
            return _ZH_CN_BUILTIN[xf.format_key]
        fmt = book.format_map.get(xf.format_key)
        return fmt.format_str if fmt is not None and fmt.format_str else "General"
    except Exception:  # noqa: BLE001 - no formatting record: General
        return "General"
