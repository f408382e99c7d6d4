"""The fast PDF reader (PDFium) agrees with the pdfplumber reader on every real PDF.

Every PDF of ../shared/real-filings is read by both readers (each once, cached for the
module); their tables must agree cell for cell: the same number of tables, the same
n_rows/n_cols, and per cell the same text, row, col, rowspan, colspan and page. The
text blocks outside tables (text and page) must agree too. Skipped when ../shared is
absent.

The agreement rests on pdf_fast reproducing pdfplumber's numbers, not just its
picture: pdf.py's layout compares distances with thresholds (a paragraph goes on when
the gap to the next line is below 0.8 × the font size) and real filings print lines
exactly on such a threshold (008_杭州…: a 12.8 pt gap at 16 pt), so PDFium's single
precision alone would put a few paragraphs on the other side. pdf_fast recomputes a
glyph's box the way pdfminer does, in double precision from the decimal operands.
"""


from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FILINGS = SHARED / "real-filings"

if not FILINGS.is_dir():
    pytest.skip(f"the real filings are not here ({FILINGS} is absent)", allow_module_level=True)

PDFS = sorted(p for p in FILINGS.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")


def _table_signature(doc) -> list[tuple]:
    return [
        (t.n_rows, t.n_cols, [(c.row, c.col, c.rowspan, c.colspan, c.page, c.text) for c in t.cells])
        for t in doc.tables
    ]


@pytest.fixture(scope="module")
def both():
    """path → (pdfplumber reader's Document, fast reader's Document), read once."""
    from loaders.readers import pdf, pdf_fast

    cache: dict[Path, tuple] = {}

    def get(path: Path):
        if path not in cache:
            data = path.read_bytes()
            cache[path] = (pdf.read(data, path.name), pdf_fast.read(data, path.name))
        return cache[path]

    return get


def test_there_are_pdfs():
    assert len(PDFS) >= 20


@pytest.mark.parametrize("path", PDFS, ids=[p.name[:40] for p in PDFS])
def test_tables_agree_cell_for_cell(both, path):
    ref, fast = both(path)
    assert fast.pages == ref.pages
    assert [(i.severity, i.code) for i in fast.issues] == [(i.severity, i.code) for i in ref.issues]
    a, b = _table_signature(ref), _table_signature(fast)
    assert len(b) == len(a), f"{len(b)} tables, pdfplumber reader {len(a)}"
    for k, (x, y) in enumerate(zip(a, b), start=1):
        assert y[:2] == x[:2], f"table {k}: {y[:2]} rows × cols, pdfplumber reader {x[:2]}"
        diff = [(c, d) for c, d in zip(x[2], y[2]) if c != d]
        assert not diff and len(x[2]) == len(y[2]), f"table {k}: cells differ, e.g. {diff[:3]}"


@pytest.mark.parametrize("path", PDFS, ids=[p.name[:40] for p in PDFS])
def test_text_blocks_agree(both, path):
    ref, fast = both(path)
    a = [(b.text, b.page) for b in ref.text_blocks]
    b = [(b.text, b.page) for b in fast.text_blocks]
    assert b == a, f"only pdfplumber reader: {sorted(set(a) - set(b))[:3]}; only fast: {sorted(set(b) - set(a))[:3]}"
