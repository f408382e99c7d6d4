"""OLE2 compound files: .xls, or .doc / .wps through LibreOffice.

The compound file's directory tells what it holds: a ``Workbook`` / ``Book``
stream is an .xls (read by :mod:`loaders.readers.xls`); a ``WordDocument`` stream
is a Word 97–2003 or WPS document, converted to .docx by LibreOffice and read by
:mod:`loaders.readers.docx` (``kind`` stays ``docx``, with a
``converted_by_libreoffice`` warning). Without LibreOffice such a file is a
``needs_libreoffice`` error – never skipped silently. A compound file that cannot
be parsed, or holds neither, is an ``unreadable`` / ``unsupported_format`` error.
"""

from __future__ import annotations

from loaders.document import Document, ReadIssue

__all__ = ["read", "stream_names"]


def stream_names(data: bytes) -> list[str]:
    """The names in a compound file's directory (raises for a damaged file)."""
    from xlrd.compdoc import CompDoc

    cd = CompDoc(data, logfile=_NullLog())
    return [d.name for d in cd.dirlist if d.etype in (1, 2, 5)]


class _NullLog:
    def write(self, _text: str) -> None:
        pass


def read(data: bytes, name: str) -> Document:
    try:
        names = stream_names(data)
    except Exception as exc:  # noqa: BLE001 - a damaged compound file is reported
        return Document(
            kind="ole2",
            issues=[ReadIssue("error", "unreadable", f"a damaged OLE2 compound file (Office 97–2003): {type(exc).__name__}: {exc}")],
        )
    lowered = {n.lower() for n in names}
    if lowered & {"workbook", "book"}:
        from loaders.readers.xls import read as read_xls

        return read_xls(data, name)
    if "worddocument" in lowered:
        return _read_word(data, name)
    if "encryptedpackage" in lowered:
        return Document(
            kind="ole2",
            issues=[ReadIssue("error", "encrypted", "a password-protected Office file (EncryptedPackage); it cannot be read")],
        )
    what = "a PowerPoint file" if "powerpoint document" in lowered else "an OLE2 compound file that is no workbook or document"
    shown = ", ".join(sorted(names)[:8])
    return Document(
        kind="ole2",
        issues=[ReadIssue("error", "unsupported_format", f"{what} (streams: {shown}); not read")],
    )


def _read_word(data: bytes, name: str) -> Document:
    from loaders.readers import libreoffice

    suffix = ".wps" if name.lower().endswith(".wps") else ".doc"
    label = "a .doc/.wps (Word 97–2003 / WPS) file"
    if libreoffice.soffice_path() is None:
        return Document(
            kind="docx",
            issues=[
                ReadIssue(
                    "error",
                    "needs_libreoffice",
                    f"{name or 'this file'} is {label}; install LibreOffice "
                    "(apt-get install libreoffice-writer-nogui) to read it",
                )
            ],
        )
    try:
        converted = libreoffice.convert(data, suffix, to="docx")
    except libreoffice.ConversionError as exc:
        return Document(
            kind="docx",
            issues=[ReadIssue("error", "conversion_failed", f"LibreOffice could not convert {label} to .docx: {exc}")],
        )
    from loaders.readers.docx import read as read_docx

    doc = read_docx(converted, name)
    doc.issues.insert(
        0,
        ReadIssue(
            "warning",
            "converted_by_libreoffice",
            "read from LibreOffice's .docx conversion of a Word 97–2003 / WPS file; "
            "adjacent tables may be merged and the grid widened (map columns by header)",
        ),
    )
    return doc
