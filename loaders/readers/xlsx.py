""".xlsx → Document (openpyxl).

Every sheet is read, in workbook order: ``Document.sheets`` are the sheet names,
``Document.pages`` the sheet count, and every block carries its sheet's 1-based
number as ``page``. A sheet becomes its title rows (text blocks) followed by one
table: the rectangular block of the remaining rows.

* Text is what Excel displays: the cell's number format is applied for the common
  formats (``#,##0.00`` → ``7,723.25``, ``0.00``, ``#,##0``, ``0%``, ``0.00%``,
  General, dates such as ``yyyy-mm-dd`` and ``yyyy"年"m"月"d"日"``, literals and
  sections of accounting formats). Formulas show their cached value; a formula with
  no cached value is blank and reported (``formula_without_value``).
* A merged range is one cell with its rowspan and colspan, text from its top-left.
* Title rows: the rows above the grid that hold a single text cell (or one merged
  cell) – the 表 title, ``单位：万元``, ``编制单位：…`` – or a pair of caption
  cells (``部门：…`` … ``单位：万元``); they become text blocks with their
  ``source_row``. ``注：`` rows under the grid become text blocks after it.
* Empty cells are not cells (a merged range is kept even when empty); the grid's
  positions without a cell read as "" (``Table.grid``). Trailing empty rows and
  columns are trimmed: only cells with content count, never the sheet's declared
  dimension.
* Bounded: the sheet XML is streamed (openpyxl read-only parser, one row at a time);
  more than :data:`MAX_CELLS` non-empty cells (or :data:`MAX_SCANNED_CELLS` cell
  elements, empty or not) in a workbook stop reading with a ``too_large`` error.

The number-format rendering (:func:`format_value`) and the sheet layout
(:func:`sheet_blocks`) are shared by the .xls and CSV readers.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import warnings
import zipfile
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from typing import Iterable, Optional

from loaders.document import Block, Cell, Document, ReadIssue, Table, TextBlock, attach_captions

__all__ = ["read", "format_value", "sheet_blocks", "MAX_CELLS", "MAX_SCANNED_CELLS"]

MAX_CELLS = 2_000_000  # non-empty cells a workbook may have
MAX_SCANNED_CELLS = 6_000_000  # cell elements (styled empty ones too) the parser may walk
MAX_MERGES = 200_000
MAX_GRID_AREA = 20_000_000  # rows × columns a sheet's table may span (sparse corners would blow up Table.grid)
MAX_SHEET_XML_BYTES = 2 * 1024**3  # uncompressed size of one sheet's XML


# --------------------------------------------------------------------------- reading


def read(data: bytes, name: str) -> Document:
    try:
        from openpyxl import load_workbook
    except ModuleNotFoundError:  # pragma: no cover - a declared dependency
        return _failed("needs_openpyxl", "openpyxl is not installed (pip install openpyxl)")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.file_size > MAX_SHEET_XML_BYTES:
                return _failed(
                    "too_large",
                    f"sheet {info.filename} unpacks to {info.file_size / 2**20:.0f} MB of XML, more than a workbook may have",
                )
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return _failed("unreadable", f"not a readable .xlsx archive: {exc}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not keep
        try:
            wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any damaged workbook is reported, not raised
            return _failed("unreadable", f"openpyxl could not open the workbook: {type(exc).__name__}: {exc}")
        doc = Document(kind="xlsx")
        try:
            _read_workbook(wb, doc)
        finally:
            try:
                wb.close()
            except Exception:  # noqa: BLE001
                pass
    return doc


def _failed(code: str, message: str) -> Document:
    return Document(kind="xlsx", issues=[ReadIssue("error", code, message)])


def _read_workbook(wb, doc: Document) -> None:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils.datetime import from_excel
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        """The read-only row parser, noting formulas that have no cached value."""

        missing: list[str]

        def parse_cell(self, element):  # type: ignore[override]
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                self.missing.append(element.get("r") or "?")
            return cell

    names = list(wb.sheetnames)
    doc.sheets = names
    doc.pages = len(names)
    n_cells = 0
    n_scanned = 0
    for number, sheet_name in enumerate(names, start=1):
        ws = wb[sheet_name]
        if not hasattr(ws, "_get_source"):  # a chartsheet: nothing to read
            continue
        cells: dict[tuple[int, int], tuple[str, bool]] = {}
        parser = None
        stopped = False
        try:
            with ws._get_source() as src:
                parser = _Parser(
                    src,
                    ws._shared_strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                parser.missing = []
                for _idx, row in parser.parse():
                    n_scanned += len(row)
                    for c in row:
                        value = c["value"]
                        if value is None:
                            continue
                        cell = ReadOnlyCell(ws, **c)
                        text, is_text = _xlsx_display(wb, cell, from_excel)
                        if not text:
                            continue
                        cells[(c["row"], c["column"])] = (text, is_text)
                        n_cells += 1
                    if n_cells > MAX_CELLS or n_scanned > MAX_SCANNED_CELLS:
                        stopped = True
                        break
        except Exception as exc:  # noqa: BLE001 - a damaged sheet is reported; the others are read
            doc.issues.append(
                ReadIssue("error", "unreadable", f"sheet '{sheet_name}' could not be read: {type(exc).__name__}: {exc}", page=number)
            )
            continue
        if stopped:
            doc.issues.append(
                ReadIssue(
                    "error",
                    "too_large",
                    f"sheet '{sheet_name}' holds more cells than a workbook may have "
                    f"({MAX_CELLS:,} non-empty, {MAX_SCANNED_CELLS:,} in all); reading stopped there",
                    page=number,
                )
            )
            break
        merges: list[tuple[int, int, int, int]] = []
        if parser is not None and parser.merged_cells is not None:
            from openpyxl.utils.cell import range_boundaries

            for mc in parser.merged_cells.mergeCell[:MAX_MERGES]:
                try:
                    c1, r1, c2, r2 = range_boundaries(mc.ref)
                except (ValueError, TypeError):
                    continue
                if None in (c1, r1, c2, r2):
                    continue
                merges.append((r1, c1, r2, c2))
        if parser is not None and parser.missing:
            shown = ", ".join(parser.missing[:10]) + (" …" if len(parser.missing) > 10 else "")
            doc.issues.append(
                ReadIssue(
                    "warning",
                    "formula_without_value",
                    f"sheet '{sheet_name}': {len(parser.missing)} formula cell(s) have no cached value "
                    f"(the file was saved without calculating; they read as blank): {shown}",
                    page=number,
                )
            )
        add_sheet(doc, sheet_blocks(cells, merges, page=number, sheet=sheet_name), number, sheet_name)
    finish_blocks(doc.blocks)


def add_sheet(doc: Document, blocks: list[Block], number: int, sheet_name: str) -> None:
    """Add a sheet's blocks, refusing a table whose grid is absurdly sparse."""
    for b in blocks:
        if isinstance(b, Table) and b.n_rows * b.n_cols > MAX_GRID_AREA:
            doc.issues.append(
                ReadIssue(
                    "error",
                    "too_large",
                    f"sheet '{sheet_name}': {len(b.cells):,} cells spread over {b.n_rows:,} rows × {b.n_cols:,} columns; "
                    "the table was not read",
                    page=number,
                )
            )
            continue
        doc.blocks.append(b)


def finish_blocks(blocks: list[Block]) -> None:
    """Number the tables 1.. and attach their captions (sheet by sheet: a caption never crosses sheets)."""
    for i, t in enumerate((b for b in blocks if isinstance(b, Table)), start=1):
        t.index = i
    group: list[Block] = []
    for b in blocks:
        page = b.page
        if group and group[-1].page != page:
            attach_captions(group)
            group = []
        group.append(b)
    if group:
        attach_captions(group)


# zh-CN built-in number formats (ECMA-376 leaves 27–36 and 50–58 to the locale)
_ZH_CN_BUILTIN = {
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: 'AM/PMh"时"mm"分"',
    35: 'AM/PMh"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: 'AM/PMh"时"mm"分"',
    56: 'AM/PMh"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}


def _xlsx_display(wb, cell, from_excel) -> tuple[str, bool]:
    """(text as displayed, is it a text cell) of one read-only cell."""
    value = cell.value
    if cell.data_type == "s" or isinstance(value, str):
        return str(value).strip(), True
    if cell.data_type == "e":
        return str(value).strip(), True
    fmt = "General"
    try:
        fmt_id = cell.style_array.numFmtId
        if fmt_id in _ZH_CN_BUILTIN:
            fmt = _ZH_CN_BUILTIN[fmt_id]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                try:
                    value = from_excel(value, wb.epoch)
                except (OverflowError, ValueError, TypeError):
                    pass
        else:
            fmt = cell.number_format or "General"
    except (IndexError, AttributeError, KeyError):
        fmt = "General"
    return format_value(value, fmt), False


# --------------------------------------------------------------------------- number formats


def format_value(value, fmt: Optional[str]) -> str:
    """A cell value as a spreadsheet displays it under number format ``fmt``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value.strip()
    fmt = fmt or "General"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return _format_datetime(value, fmt)
    if isinstance(value, _dt.timedelta):
        total = int(round(value.total_seconds()))
        sign = "-" if total < 0 else ""
        total = abs(total)
        return f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if not isinstance(value, (int, float)):
        return str(value).strip()
    if fmt == "General":
        return general(value)
    try:
        return _format_number(value, fmt).strip()
    except (ValueError, InvalidOperation, OverflowError):
        return general(value)


def general(value) -> str:
    """Excel's General format: integers without ``.0``, floats without binary noise."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    text = f"{v:.15g}"
    if "e" in text:
        mant, exp = text.split("e")
        exp_n = int(exp)
        if -10 < exp_n < 0:  # 1e-05 → 0.00001
            return format(Decimal(text), "f")
        return f"{mant}E{'+' if exp_n >= 0 else '-'}{abs(exp_n):02d}"
    return text


@functools.lru_cache(maxsize=4096)
def _split_sections(fmt: str) -> tuple[str, ...]:
    sections, cur, quoted, i = [], [], False, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted and i + 1 < len(fmt):
            cur.append(fmt[i : i + 2])
            i += 2
            continue
        elif ch == ";" and not quoted:
            sections.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    sections.append("".join(cur))
    return tuple(sections)


@functools.lru_cache(maxsize=4096)
def _tokens(section: str) -> tuple[tuple[str, str], ...]:
    """(kind, text) tokens of one format section: lit, num (placeholder run), at, general."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            out.append(("lit", section[i + 1 : j]))
            i = j + 1
        elif ch == "\\" and i + 1 < n:
            out.append(("lit", section[i + 1]))
            i += 2
        elif ch in "_*" and i + 1 < n:  # padding / fill: no visible text
            i += 2
        elif ch == "[":
            j = section.find("]", i)
            j = n if j < 0 else j
            inner = section[i + 1 : j]
            if inner.startswith("$"):
                sym = inner[1:].split("-", 1)[0]
                out.append(("lit", sym))
            i = j + 1
        elif section[i : i + 7].lower() == "general":
            out.append(("general", ""))
            i += 7
        elif ch == "@":
            out.append(("at", ""))
            i += 1
        elif ch in "0#?.,%" or (ch in "Ee" and i + 1 < n and section[i + 1] in "+-"):
            if ch in "Ee":
                out.append(("num", section[i : i + 2]))
                i += 2
            else:
                out.append(("num", ch))
                i += 1
        else:
            out.append(("lit", ch))
            i += 1
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _is_date_section(section: str) -> bool:
    stripped = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", section).lower()
    return bool(re.search(r"[ymdhs]", stripped)) and not re.search(r"[0#?]", stripped.replace("s.0", "s"))


def _format_number(value, fmt: str) -> str:
    sections = _split_sections(fmt)
    v = value
    negative_in_section = False
    if v < 0 and len(sections) >= 2 and sections[1].strip():
        section = sections[1]
        v = -v
        negative_in_section = True
    elif v == 0 and len(sections) >= 3:
        section = sections[2]
    else:
        section = sections[0]
    if _is_date_section(section):
        try:
            from openpyxl.utils.datetime import from_excel

            return _format_datetime(from_excel(v), section)
        except (OverflowError, ValueError, TypeError):
            return general(value)
    toks = _tokens(section)
    if any(k == "general" for k, _ in toks) or not any(k == "num" for k, _ in toks):
        body = general(abs(v) if negative_in_section else v)
        if any(k == "general" for k, _ in toks):
            parts = []
            for k, t in toks:
                parts.append(body if k == "general" else ("" if k == "at" else (t if k == "lit" else "")))
            return "".join(parts)
        lits = "".join(t for k, t in toks if k == "lit")
        if not any(k in ("general", "num") for k, _ in toks) and lits:
            return lits  # a section of literals only, e.g. "-" for zero
        return body
    first = next(i for i, (k, _) in enumerate(toks) if k == "num")
    last = max(i for i, (k, _) in enumerate(toks) if k == "num")
    pattern = "".join(t for k, t in toks[first : last + 1] if k == "num")
    # literals inside the placeholder run (rare: phone numbers) go after the number
    inner_lits = "".join(t for k, t in toks[first : last + 1] if k == "lit")
    prefix = "".join(t for k, t in toks[:first] if k == "lit")
    suffix = inner_lits + "".join(t for k, t in toks[last + 1 :] if k == "lit")
    body, sign = _render_pattern(v, pattern)
    if "%" in pattern and "%" not in suffix:
        suffix = "%" * pattern.count("%") + suffix
    return (sign if not negative_in_section else "") + prefix + body + suffix


def _render_pattern(v, pattern: str) -> tuple[str, str]:
    """(digits, sign) of ``v`` under a placeholder pattern like ``#,##0.00`` or ``0.0%``."""
    d = Decimal(repr(float(v))) if isinstance(v, float) else Decimal(v)
    pct = pattern.count("%")
    pattern = pattern.replace("%", "")
    if pct:
        d = d * (Decimal(100) ** pct)
    exp_match = re.search(r"[Ee][+-]", pattern)
    if exp_match:
        mant = pattern[: exp_match.start()]
        decimals = len(mant.split(".", 1)[1]) if "." in mant else 0
        text = f"{float(d):.{decimals}E}"
        m, e = text.split("E")
        exp_digits = max(1, len(pattern[exp_match.end() :]))
        en = int(e)
        sign = "-" if m.startswith("-") else ""
        esign = "-" if en < 0 else ("+" if pattern[exp_match.start() + 1] == "+" else "")
        return f"{m.lstrip('-')}E{esign}{abs(en):0{exp_digits}d}", sign
    int_part, _, frac_part = pattern.partition(".")
    # trailing commas after the last digit placeholder scale by 1000 each
    scale = 0
    while int_part.endswith(","):
        scale += 1
        int_part = int_part[:-1]
    if scale:
        d = d / (Decimal(1000) ** scale)
    thousands = "," in int_part
    min_int = int_part.count("0")
    frac_digits = [ch for ch in frac_part if ch in "0#?"]
    max_frac = len(frac_digits)
    min_frac = sum(1 for ch in frac_digits if ch in "0?")
    q = Decimal(1).scaleb(-max_frac)
    rounded = d.quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    rounded = abs(rounded)
    text = format(rounded, "f")
    ip, _, fp = text.partition(".")
    fp = fp.ljust(max_frac, "0")[:max_frac]
    while len(fp) > min_frac and fp.endswith("0"):
        fp = fp[:-1]
    ip_n = int(ip)
    if ip_n == 0 and min_int == 0:
        ip_s = ""
    else:
        ip_s = f"{ip_n:,}" if thousands else str(ip_n)
        if len(ip_s) < min_int:
            ip_s = ip_s.rjust(min_int, "0")
    body = ip_s + ("." + fp if fp else ("." if max_frac > 0 else ""))  # "#.##" shows "3." for 3
    if not body:
        body = "0" if min_int else ""
    return body, sign


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_CN_DAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


def _format_datetime(value, fmt: str) -> str:
    if isinstance(value, _dt.time):
        value = _dt.datetime.combine(_dt.date(1899, 12, 31), value)
    elif not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    section = _split_sections(fmt)[0]
    if section.strip().lower() in ("general", "") or not _is_date_section(section):
        if value.time() == _dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if section.strip().lower() == "mm-dd-yy":  # built-in 14: shown by the locale; ISO here
        return value.strftime("%Y-%m-%d")
    if re.fullmatch(r"\[\$-[Ff]800\].*", section.strip()):  # system long date
        return f"{value.year}年{value.month}月{value.day}日"
    # tokenise
    toks: list[tuple[str, str]] = []
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        low = ch.lower()
        if ch == '"':
            j = section.find('"', i + 1)
            j = n if j < 0 else j
            toks.append(("lit", section[i + 1 : j]))
            i = j + 1
        elif ch == "\\" and i + 1 < n:
            toks.append(("lit", section[i + 1]))
            i += 2
        elif ch in "_*" and i + 1 < n:
            i += 2
        elif ch == "[":
            j = section.find("]", i)
            j = n if j < 0 else j
            inner = section[i + 1 : j].lower()
            if inner and inner[0] in "hms" and set(inner) <= set("hms"):
                toks.append(("elapsed_" + inner[0], inner))
            i = j + 1
        elif section[i : i + 5].upper() == "AM/PM":
            toks.append(("ampm", "AM/PM"))
            i += 5
        elif section[i : i + 3].upper() == "A/P":
            toks.append(("ampm", "A/P"))
            i += 3
        elif low in "ymdhs" or (low == "a" and section[i : i + 3].lower() == "aaa"):
            j = i
            while j < n and section[j].lower() == low:
                j += 1
            toks.append((low, section[i:j].lower()))
            i = j
        elif ch == "." and i + 1 < n and section[i + 1] == "0":
            j = i + 1
            while j < n and section[j] == "0":
                j += 1
            toks.append(("frac", section[i + 1 : j]))
            i = j
        else:
            toks.append(("lit", ch))
            i += 1
    has_ampm = any(k == "ampm" for k, _ in toks)
    # m after h, or m before s, is minutes
    kinds = [k for k, _ in toks]
    out = []
    for idx, (k, t) in enumerate(toks):
        if k == "lit":
            out.append(t)
        elif k == "y":
            out.append(f"{value.year % 100:02d}" if len(t) <= 2 else f"{value.year:04d}")
        elif k == "m":
            prev = next((kinds[j] for j in range(idx - 1, -1, -1) if kinds[j] not in ("lit",)), None)
            nxt = next((kinds[j] for j in range(idx + 1, len(kinds)) if kinds[j] not in ("lit",)), None)
            if (prev in ("h", "elapsed_h") or nxt in ("s", "elapsed_s")) and len(t) <= 2:
                out.append(f"{value.minute:02d}" if len(t) == 2 else str(value.minute))
            elif len(t) == 1:
                out.append(str(value.month))
            elif len(t) == 2:
                out.append(f"{value.month:02d}")
            elif len(t) == 3:
                out.append(_MONTHS[value.month - 1][:3])
            elif len(t) == 5:
                out.append(_MONTHS[value.month - 1][0])
            else:
                out.append(_MONTHS[value.month - 1])
        elif k == "d":
            if len(t) == 1:
                out.append(str(value.day))
            elif len(t) == 2:
                out.append(f"{value.day:02d}")
            elif len(t) == 3:
                out.append(_DAYS[value.weekday()][:3])
            else:
                out.append(_DAYS[value.weekday()])
        elif k == "a":
            out.append(_CN_DAYS[value.weekday()] if len(t) >= 4 else _CN_DAYS[value.weekday()][-1])
        elif k == "h":
            h = value.hour
            if has_ampm:
                h = h % 12 or 12
            out.append(f"{h:02d}" if len(t) >= 2 else str(h))
        elif k == "s":
            out.append(f"{value.second:02d}" if len(t) >= 2 else str(value.second))
        elif k == "frac":
            frac = value.microsecond / 1e6
            out.append("." + f"{frac:.{len(t)}f}"[2:])
        elif k == "ampm":
            if "上午" in section or "下午" in section:
                out.append("")
            else:
                out.append(("AM" if value.hour < 12 else "PM") if t == "AM/PM" else ("A" if value.hour < 12 else "P"))
        elif k.startswith("elapsed_"):
            days = (value - _dt.datetime(1899, 12, 30)).total_seconds()
            unit = {"h": 3600, "m": 60, "s": 1}[k[-1]]
            out.append(str(int(days // unit)))
    text = "".join(out)
    text = text.replace("上午/下午", "上午" if value.hour < 12 else "下午")
    return text


# --------------------------------------------------------------------------- sheet layout

_CAPTION_RE = re.compile(r"单位|部门|：|:")
_NOTE_PREFIXES = ("注：", "注:", "注 ", "备注", "说明：", "说明:")


def sheet_blocks(
    cells: dict[tuple[int, int], tuple[str, bool]],
    merges: Iterable[tuple[int, int, int, int]],
    *,
    page: Optional[int],
    sheet: Optional[str],
    row_source: Optional[dict[int, int]] = None,
    line_mode: bool = False,
) -> list[Block]:
    """A sheet's title rows (text blocks), its table and the notes under it.

    ``cells`` maps (row, col), 1-based, to (text as displayed, is a text cell);
    ``merges`` are (row1, col1, row2, col2) inclusive. ``row_source`` maps a row to
    the row or line the file numbers it by (CSV: records → lines); ``line_mode``
    also sets ``line`` on every cell and block (text files).
    """
    if not cells:
        return []

    def src(r: int) -> int:
        return row_source.get(r, r) if row_source else r

    rmin = min(r for r, _ in cells)
    rmax = max(r for r, _ in cells)
    cmin = min(c for _, c in cells)
    cmax = max(c for _, c in cells)
    # merges: clipped to the content's bounding box, top-left inside it
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        if r1 > r2:
            r1, r2 = r2, r1
        if c1 > c2:
            c1, c2 = c2, c1
        if not (rmin <= r1 <= rmax and cmin <= c1 <= cmax):
            continue
        r2, c2 = min(r2, rmax), min(c2, cmax)
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= 1 or (r1, c1) in covered or (r1, c1) in spans:
            continue
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= 100_000:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered.add((r, c))
    starts: dict[int, list[tuple[int, str, bool, int, int]]] = {}
    for (r, c), (text, is_text) in cells.items():
        if (r, c) in covered:
            continue  # a value hidden under a merged range is not displayed
        rs, cs = spans.get((r, c), (1, 1))
        starts.setdefault(r, []).append((c, text, is_text, rs, cs))
    for (r, c), (rs, cs) in spans.items():
        if (r, c) not in cells and (r, c) not in covered:
            starts.setdefault(r, []).append((c, "", True, rs, cs))
    rows = sorted(starts)
    for r in rows:
        starts[r].sort()
    width = cmax - cmin + 1

    def block(text: str, r: int) -> TextBlock:
        s = src(r)
        return TextBlock(text, page=page, source_row=s, line=s if line_mode else None)

    def is_title(items) -> bool:
        texts = [it for it in items if it[1]]
        if len(items) == 1:
            c, text, is_text, rs, cs = items[0]
            return bool(text) and (is_text or cs >= 2)
        if len(texts) == 2 and width >= 4 and all(it[2] for it in texts):
            return any(_CAPTION_RE.search(it[1]) for it in texts)
        return False

    head: list[Block] = []
    i = 0
    while i < len(rows) and is_title(starts[rows[i]]):
        for it in starts[rows[i]]:
            if it[1]:
                head.append(block(it[1], rows[i]))
        i += 1
    j = len(rows)
    tail: list[Block] = []
    while j > i + 1:
        items = starts[rows[j - 1]]
        if len(items) == 1 and items[0][2] and items[0][1].startswith(_NOTE_PREFIXES):
            tail.insert(0, block(items[0][1], rows[j - 1]))
            j -= 1
            continue
        break
    body_rows = rows[i:j]
    out: list[Block] = list(head)
    if body_rows:
        r0, r1 = body_rows[0], body_rows[-1]
        c0 = min(it[0] for r in body_rows for it in starts[r])
        c1 = max(min(it[0] + it[4] - 1, cmax) for r in body_rows for it in starts[r])
        table_cells: list[Cell] = []
        for r in body_rows:
            for c, text, _is_text, rs, cs in starts[r]:
                rs = min(rs, r1 - r + 1)
                s = src(r)
                table_cells.append(
                    Cell(
                        r - r0,
                        c - c0,
                        text,
                        rowspan=rs,
                        colspan=cs,
                        page=page,
                        source_row=s,
                        source_col=c,
                        line=s if line_mode else None,
                    )
                )
        out.append(Table(0, table_cells, r1 - r0 + 1, c1 - c0 + 1, sheet=sheet))
    out.extend(tail)
    return out
