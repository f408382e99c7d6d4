"""Readers: one module per format, each turning a file's bytes into a
:class:`loaders.document.Document`.

The format is told by the bytes, never the file name (``%PDF`` → PDF; a ZIP holding
``word/document.xml`` → .docx, ``xl/workbook.xml`` → .xlsx; an OLE2 compound file
→ .xls, or .doc/.wps through LibreOffice; markup → HTML; anything else → text,
which is a CSV when its lines are comma-separated rows). Every reader has the same
signature, ``read(data: bytes, name: str) -> Document``, is pure apart from what
the format forces (LibreOffice needs a file on disk), and never raises for a bad
file: what it cannot read becomes a :class:`loaders.document.ReadIssue`.

| module | formats | library |
|---|---|---|
| ``text`` | the plain-text exports (Word-table, tab-separated, PDF-extracted) | — |
| ``csv`` | .csv, comma or tab, any encoding the text path accepts | csv |
| ``pdf_fast`` | PDF with a text layer (scans are reported): glyphs and rulings | pypdfium2 |
| ``pdf`` | the same PDFs through pdfplumber: the reference ``pdf_fast`` must agree with, and the pure layout code both share | pdfplumber |
| ``docx`` | .docx (merges from ``w:gridSpan`` / ``w:vMerge``) | python-docx / lxml |
| ``xlsx`` | .xlsx (text as displayed, number formats kept) | openpyxl |
| ``xls`` | .xls | xlrd |
| ``html`` | saved pages: ``<table>`` and absolutely positioned text boxes | lxml |
| ``libreoffice`` | .doc, .wps → .docx | soffice --headless |
"""

from __future__ import annotations

import traceback
import zipfile
from io import BytesIO

from loaders.document import Document, ReadIssue

__all__ = ["read_document", "sniff_format", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 512 * 1024 * 1024  # larger files are refused (too_large), not read

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes) -> str:
    """The format of a file from its first bytes: pdf, docx, xlsx, zip, ole2, html or text."""
    head = data[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except Exception:  # noqa: BLE001 - a damaged archive is still "a zip"
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if head.startswith(_OLE2):
        return "ole2"
    low = stripped[:1024].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<body", b"<table", b"<!--")) or (
        low.startswith(b"<") and (b"<html" in data[:65536].lower() or b"<table" in data[:65536].lower())
    ):
        return "html"
    return "text"


def read_document(data: bytes, name: str) -> Document:
    """Read one file's bytes into a Document. Never raises."""
    if len(data) > MAX_FILE_BYTES:
        return _failed("unknown", "too_large", f"{len(data) / 1e6:.0f} MB is more than the {MAX_FILE_BYTES // 2**20} MB a file may have")
    fmt = sniff_format(data)
    try:
        if fmt == "pdf":
            # pypdfium2 glyphs and rulings → pdf.py's layout: the same cells as the pdfplumber
            # reader (tests/real/test_reader_pdf_agreement.py), about 8× faster
            from loaders.readers.pdf_fast import read
        elif fmt == "docx":
            from loaders.readers.docx import read
        elif fmt == "xlsx":
            from loaders.readers.xlsx import read
        elif fmt == "ole2":
            from loaders.readers.ole2 import read
        elif fmt == "html":
            from loaders.readers.html import read
        elif fmt == "zip":
            return _failed(
                "zip",
                "not_text",
                "a ZIP archive that is neither a .docx nor a .xlsx, or a damaged one that cannot be opened "
                "(a cut-off download?); unpack an archive into the filings folder",
            )
        else:
            from loaders.readers.text import read
        return read(data, name)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not cost the build; it is reported
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return _failed(
            fmt,
            "reader_failed",
            f"the {fmt} reader failed: {type(exc).__name__}: {exc} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
        )


def _failed(kind: str, code: str, message: str) -> Document:
    return Document(kind=kind, issues=[ReadIssue("error", code, message)])
