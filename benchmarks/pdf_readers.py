"""PDF reading throughput, one process: pages per second per core of four ways to read.

    python -m benchmarks.pdf_readers [--limit PAGES] [--only a,b,c,d] [--folders DIR ...]

(a) ``plumber_tables`` — pdfplumber ``page.extract_tables()`` on every page (the yardstick);
(b) ``pdf.read``       — loaders.readers.pdf.read (pdfplumber extraction + layout);
(c) ``pdf_fast.read``  — loaders.readers.pdf_fast.read (PDFium extraction + the same layout);
(d) ``pdfium_text``    — pypdfium2 plain text (``get_text_range``) of every page: the floor.

on the PDFs of ../shared/real-filings and ../shared/real-corpus (files PDFium cannot open,
e.g. HTML saved under a .pdf name, are left out and counted). ``--limit`` stops adding
files once that many pages are in the set (quick runs). Each way reads the whole set
once, files in the same order; the time is CPU time of this process
(``time.process_time``: what one core spends, not what other jobs on a shared machine
take), wall time beside it. The ratio column is pages/s ÷ (a)'s.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_FOLDERS = (SHARED / "real-filings", SHARED / "real-corpus")


def pdf_files(folders, limit: int | None) -> tuple[list[tuple[Path, bytes, int]], list[Path]]:
    """(path, bytes, pages) of every PDF PDFium opens, in name order, until ``limit`` pages; and the ones it cannot."""
    import pypdfium2 as pdfium

    out: list[tuple[Path, bytes, int]] = []
    bad: list[Path] = []
    total = 0
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"):
            if limit is not None and total >= limit:
                return out, bad
            data = path.read_bytes()
            try:
                doc = pdfium.PdfDocument(data)
                n = len(doc)
                doc.close()
            except Exception:  # noqa: BLE001
                bad.append(path)
                continue
            out.append((path, data, n))
            total += n
    return out, bad


def plumber_tables(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()


def reader_pdf(data: bytes) -> None:
    from loaders.readers import pdf

    pdf.read(data, "x.pdf")


def reader_fast(data: bytes) -> None:
    from loaders.readers import pdf_fast

    pdf_fast.read(data, "x.pdf")


def pdfium_text(data: bytes) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    doc.close()


WAYS = {
    "a": ("plumber_tables", plumber_tables),
    "b": ("pdf.read", reader_pdf),
    "c": ("pdf_fast.read", reader_fast),
    "d": ("pdfium_text", pdfium_text),
}


def measure(fn, files) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to run ``fn`` on every file."""
    c0, w0 = time.process_time(), time.perf_counter()
    for _path, data, _n in files:
        fn(data)
    return time.process_time() - c0, time.perf_counter() - w0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="stop adding files at this many pages")
    ap.add_argument("--only", default="a,b,c,d", help="which ways to run (a,b,c,d)")
    ap.add_argument("--folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    folders = [f for f in args.folders if f.is_dir()]
    if not folders:
        print(f"no PDF folders ({', '.join(map(str, args.folders))} are absent)")
        return 1
    files, bad = pdf_files(folders, args.limit)
    pages = sum(n for _, _, n in files)
    print(f"{len(files)} PDFs, {pages} pages ({len(bad)} files PDFium cannot open left out); load {os.getloadavg()[0]:.1f}")
    # warm-up: imports and PDFium's font caches, on the first file, for every way
    keys = [k.strip() for k in args.only.split(",") if k.strip() in WAYS]
    for k in keys:
        WAYS[k][1](files[0][1])
    results: dict[str, tuple[float, float]] = {}
    for k in keys:
        name, fn = WAYS[k]
        cpu, wall = measure(fn, files)
        results[k] = (cpu, wall)
        print(f"  ran ({k}) {name}: {cpu:.1f} s CPU, {wall:.1f} s wall", flush=True)
    base = results.get("a")
    print()
    print(f"| way | pages/s (CPU) | pages/s (wall) | ÷ (a) |")
    print(f"|---|---:|---:|---:|")
    for k in keys:
        cpu, wall = results[k]
        ratio = f"{(pages / cpu) / (pages / base[0]):.1f}×" if base else "–"
        print(f"| ({k}) {WAYS[k][0]} | {pages / cpu:.1f} | {pages / wall:.1f} | {ratio} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
