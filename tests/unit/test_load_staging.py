"""Staging in the pool workers and batched writing in the parent (``loaders.load``): a chunk's
rows, converted to Arrow once for the chunk and sliced per file in the parent, are exactly the
rows ``stage`` gives file by file; the writer keeps every table's rows in the order they were
given, whatever their form, and inserts them with one statement per batch, not one per file."""

from __future__ import annotations

import shutil

import duckdb
import pyarrow as pa
import pytest

from loaders.load import RAW_TABLES, _read_chunk, _Writer, create_raw_schema, discover, read_filing, stage, to_arrow
from tests.conftest import FILINGS


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "filings"
    shutil.copytree(FILINGS, f)
    (f / "empty.txt").write_bytes(b"")  # a failed file: only a parse issue
    first = sorted(FILINGS.glob("002_*.txt"))[0]
    shutil.copy(first, f / "zz_copy_of_002.txt")  # staged like its original (duplicates are the store's call)
    return f


def _tables(staged) -> dict[str, pa.Table]:
    return {t: d for t, d in staged.tables.items() if d is not None and d.num_rows}


def test_a_chunk_gives_each_file_exactly_the_rows_stage_gives(folder):
    paths = discover(folder)[0]
    assert len(paths) == 7
    results = _read_chunk(paths, folder)
    assert [r.source_file for r in results] == [p.relative_to(folder).as_posix() for p in paths]
    assert len({id(r.chunk) for r in results}) == 1  # one set of Arrow tables for the chunk
    n_cells = 0
    for path, result in zip(paths, results):
        expected = stage(read_filing(path, folder))
        got = result.staged()
        assert (got.source_file, got.status, got.reason, got.dedup_key, got.filing) == (
            expected.source_file, expected.status, expected.reason, expected.dedup_key, expected.filing)
        want, have = _tables(expected), _tables(got)
        assert sorted(have) == sorted(want), result.source_file
        for table, arrow in want.items():
            assert have[table].schema.equals(RAW_TABLES[table])
            assert have[table].equals(arrow), (result.source_file, table)
        n_cells += have.get("table_cells", pa.table({})).num_rows
    statuses = [r.staged().status for r in results]
    assert statuses.count("failed") == 1 and statuses.count("loaded") == 6
    assert n_cells == results[0].chunk.tables["table_cells"].num_rows > 1000


def test_a_file_the_previous_warehouse_holds_is_not_staged(folder):
    path = next(p for p in discover(folder)[0] if p.name.startswith("003_"))
    content = read_filing(path, folder).content_sha256
    from loaders import load

    load._init_worker(frozenset({content}))
    try:
        (result,) = _read_chunk([path], folder)
    finally:
        load._init_worker(frozenset())
    assert result.cached and result.content_sha256 == content and result.spans == {}
    with pytest.raises(ValueError, match="not staged"):
        result.staged()


class _CountingConnection:
    def __init__(self, con):
        self.con, self.inserts = con, 0

    def execute(self, sql, *args):
        self.inserts += sql.lstrip().startswith("insert")
        return self.con.execute(sql, *args)

    def register(self, name, obj):
        return self.con.register(name, obj)

    def unregister(self, name):
        return self.con.unregister(name)


def _issues(start: int, n: int) -> list[dict]:
    return [{"filing_id": f"f{i}", "source_file": f"file{i}.txt", "severity": "warning", "code": "c", "message": str(i),
             "source_line": i} for i in range(start, start + n)]


def test_the_writer_keeps_the_order_of_every_form_and_inserts_per_batch():
    con = duckdb.connect()
    create_raw_schema(con)
    counting = _CountingConnection(con)
    writer = _Writer(counting, batch_rows=1000)
    # 60 "files" of 30 rows each, alternately Arrow (staged by a worker), dict rows (made by the
    # store, as a duplicate's parse issue) and a dict of columns
    for k in range(60):
        rows = _issues(k * 30, 30)
        if k % 3 == 0:
            writer.put("parse_issues", to_arrow("parse_issues", rows))
        elif k % 3 == 1:
            writer.put("parse_issues", rows)
        else:
            writer.put("parse_issues", {f.name: [r.get(f.name) for r in rows] for f in RAW_TABLES["parse_issues"]})
    writer.flush()
    assert writer.counts["parse_issues"] == 1800
    # 1,800 rows in batches of at least 1,000: two statements, not one per file
    assert counting.inserts == 2
    got = con.execute("select source_line from raw.parse_issues order by rowid").fetchall()
    assert [r[0] for r in got] == list(range(1800))
