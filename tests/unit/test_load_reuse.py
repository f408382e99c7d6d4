"""Reusing a previous warehouse's parse (``load_folder(previous=…)``): a file whose content the
previous build read with the same loader code is not read again, and its ``raw`` rows are the
rows a fresh read would write, whatever its format. Found on the real corpus: a reused HTML
page lost its ``encoding`` (only text exports are decoded before the reuse decision)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from loaders.load import RAW_TABLES, load_folder
from tests.conftest import FILINGS

HTML = (
    "<html><head><meta charset='utf-8'></head><body><h2>某县医疗保障局2026年部门预算</h2><h3>部门预算收支总表</h3><p>单位：万元</p>"
    "<table><tr><td>收入项目</td><td>预算数</td><td>支出项目</td><td>预算数</td></tr>"
    "<tr><td>一般公共预算拨款收入</td><td>2,858.50</td><td>社会保障和就业支出</td><td>2,858.50</td></tr>"
    "<tr><td>收入总计</td><td>2,858.50</td><td>支出总计</td><td>2,858.50</td></tr></table></body></html>"
)


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "filings"
    f.mkdir()
    first = sorted(FILINGS.glob("*.txt"))[0]
    shutil.copy(first, f / "a.txt")
    # the same text filing in another encoding: a reuse of a.txt's parse, under its own encoding
    (f / "b_gb18030.txt").write_bytes(first.read_text(encoding="utf-8").encode("gb18030"))
    (f / "page.html").write_text(HTML, encoding="utf-8")
    return f


def _load(folder, path, previous=None):
    con = duckdb.connect(str(path))
    summary = load_folder(folder, con, workers=1, previous=previous)
    rows = {t: con.execute(f"select * exclude (filing_id) from raw.{t} order by all").fetchall() for t in RAW_TABLES}
    con.close()
    return summary, rows


def test_a_reused_file_has_the_rows_of_a_fresh_read(folder, tmp_path):
    fresh, fresh_rows = _load(folder, tmp_path / "first.duckdb")
    assert fresh.reused == 0
    again, again_rows = _load(folder, tmp_path / "second.duckdb", previous=tmp_path / "first.duckdb")
    assert again.reused == 2  # page.html and a.txt; b_gb18030.txt is a duplicate of a.txt
    encodings = {r[0]: r for r in fresh_rows["filings"]}
    assert any("utf-8" in r for r in encodings.values())
    for table in RAW_TABLES:
        assert again_rows[table] == fresh_rows[table], table
