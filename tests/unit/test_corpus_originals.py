"""The synthetic originals (benchmarks/originals.py), without a build: each format read back by
the readers and parsers gives exactly its truth, and the same seed gives the same bytes.

The full round trip through dbt is tests/integration/test_round_trip_originals.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks import corpus as C
from loaders.parse import parse_document
from loaders.readers import read_document

FORMATS = ("pdf", "docx", "xlsx")


@pytest.fixture(scope="module")
def counties():
    return C.load_counties()


def _one(counties, fmt: str, index: int):
    files, truth = C.make_filing(7, index, 0.0, 0.0, counties, (fmt,))
    rel, data, row = files[0]
    return rel, data, row, truth


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_seed_same_bytes(counties, fmt):
    a = C.make_filing(7, 3, 0.0, 0.0, counties, (fmt,))[0][0]
    b = C.make_filing(7, 3, 0.0, 0.0, counties, (fmt,))[0][0]
    assert a[0] == b[0] and a[1] == b[1]
    assert a[0].endswith(f".{fmt}") and a[2]["format"] == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_read_back_exactly(counties, fmt):
    rel, data, row, truth = _one(counties, fmt, 1)
    doc = read_document(data, rel)
    assert doc.kind == fmt and not [i for i in doc.issues if i.severity == "error"]
    res = parse_document(doc)
    assert res.fiscal_year == row["fiscal_year"]
    # (statement, subject code or line item, measure, published amount, unit, page) as the parsers give them
    got = Counter((b.statement, b.subject_code or b.line_item, b.measure, b.published_amount, b.published_unit,
                   b.source_page) for b in res.budget_lines)
    want = Counter((f[1], f[5] or f[4], f[6], f[7], f[8], f[11]) for f in truth.facts)
    assert got == want, (sorted((want - got).elements())[:10], sorted((got - want).elements())[:10])
    got_t = Counter((t.level3, t.horizon, t.target_text, t.source_page) for t in res.targets)
    want_t = Counter((t[6], t[7], t[8], t[9]) for t in truth.targets)
    assert got_t == want_t, (sorted((want_t - got_t).elements())[:10], sorted((got_t - want_t).elements())[:10])
    assert len(truth.facts) > 150 and len(truth.targets) > 10


def test_a_txt_filing_is_the_same_whatever_else_is_listed(counties):
    alone = C.make_filing(7, 4, 0.03, 0.005, counties, ("txt",))
    mixed = C.make_filing(7, 4, 0.03, 0.005, counties, ("txt", "pdf", "docx", "xlsx"))  # 4 % 4 == 0: txt
    assert [(r, d) for r, d, _ in alone[0]] == [(r, d) for r, d, _ in mixed[0]]
    assert alone[1].facts == mixed[1].facts


def test_unknown_format_refused(tmp_path):
    with pytest.raises(ValueError, match="formats must be"):
        C.generate(1, tmp_path / "c", formats=("pdf", "rtf"), quiet=True)
