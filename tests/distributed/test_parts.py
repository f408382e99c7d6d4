"""The store of a distributed build, without a cluster: a document's Parquet part holds
exactly the rows the local build stores, a retried task overwrites its part, and a task that
cannot see the filings or the store says so instead of reporting a failed filing."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pytest

from loaders.load import RAW_TABLES, discover, read_filing, stage, to_arrow
from loaders.parts import (
    RUN_MARKER,
    FilingsNotVisible,
    StoreNotVisible,
    open_store,
    part_name,
    read_part,
    read_to_store,
    write_part,
)
from tests.conftest import FILINGS
from tests.integration.test_formats_build import _sample_pdf


def _as_arrow(staged, table):
    data = staged.tables.get(table)
    if isinstance(data, dict) and data and isinstance(next(iter(data.values())), pa.Array):
        return pa.table(data).cast(RAW_TABLES[table])
    return to_arrow(table, data if data is not None else [])


def _row(filing: dict) -> dict:
    """A raw.filings row with every column (a column left out is null in the table)."""
    return {f.name: filing.get(f.name) for f in RAW_TABLES["filings"]}


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "filings"
    shutil.copytree(FILINGS, f)
    (f / "收支总表.pdf").write_bytes(_sample_pdf())
    (f / "empty.txt").write_bytes(b"")
    return f


def test_a_part_holds_exactly_the_rows_the_local_build_stores(folder, tmp_path):
    fs, root = open_store(str(tmp_path / "store"))
    fs.makedirs(root, exist_ok=True)
    paths = discover(folder)[0]
    assert len(paths) == 7
    seen = {}
    for path in paths:
        res = read_filing(path, folder)
        local = stage(res)
        back = read_part(fs, write_part(fs, root, part_name(res.sha256, res.source_file), local))
        assert (back.source_file, back.status, back.reason, back.dedup_key) == (
            local.source_file, local.status, local.reason, local.dedup_key)
        assert back.filing == _row(local.filing)
        for table in RAW_TABLES:
            if table == "filings":
                continue
            expected = _as_arrow(local, table)
            got = _as_arrow(back, table)
            assert got.equals(expected), (res.source_file, table)
        seen[res.source_file] = (back.status, back.filing["document_format"], _as_arrow(back, "table_cells").num_rows)
    assert seen["empty.txt"][0] == "failed"
    assert seen["收支总表.pdf"][1:] == ("pdf", seen["收支总表.pdf"][2]) and seen["收支总表.pdf"][2] > 0
    assert sum(status == "loaded" for status, _, _ in seen.values()) == 5


def test_a_retried_task_overwrites_its_part_and_leaves_no_temporary_file(folder, tmp_path):
    store = str(tmp_path / "store")
    fs, root = open_store(store)
    run = f"{root}/run-test"
    fs.makedirs(run, exist_ok=True)
    fs.pipe(f"{run}/{RUN_MARKER}", b"x")
    path = next(p for p in discover(folder)[0] if p.name.startswith("002_"))
    first = read_to_store(str(path), str(folder), store, run)
    second = read_to_store(str(path), str(folder), store, run)  # Dask ran it again on another worker
    assert first.part == second.part and first.part.endswith(".parquet")
    assert sorted(p.name for p in (tmp_path / "store" / "run-test").iterdir()) == sorted(
        [RUN_MARKER, first.part.rsplit("/", 1)[-1]]
    )
    staged = second.staged()
    assert staged.status == "loaded" and staged.tables["budget_lines"].num_rows > 100
    # named by the bytes' hash, the loader code and the path: a copy elsewhere is another part
    copy = folder / "sub" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    other = read_to_store(str(copy), str(folder), store, run)
    assert other.part != first.part and other.sha256 == first.sha256
    second.remove()
    assert not fs.exists(second.part)


def test_an_unchanged_file_is_not_read_again_and_writes_no_part(folder, tmp_path):
    store = str(tmp_path / "store")
    fs, root = open_store(store)
    run = f"{root}/run-test"
    fs.makedirs(run, exist_ok=True)
    fs.pipe(f"{run}/{RUN_MARKER}", b"x")
    path = next(p for p in discover(folder)[0] if p.name.startswith("003_"))
    content = read_filing(path, folder).content_sha256
    got = read_to_store(str(path), str(folder), store, run, cached=frozenset({content}))
    assert got.cached and got.part is None and got.content_sha256 == content


def test_a_worker_that_cannot_see_the_filings_or_the_store_says_so(folder, tmp_path):
    store = str(tmp_path / "store")
    fs, root = open_store(store)
    run = f"{root}/run-test"
    fs.makedirs(run, exist_ok=True)
    path = next(iter(discover(folder)[0]))
    with pytest.raises(StoreNotVisible, match="must be shared by every worker"):
        read_to_store(str(path), str(folder), store, run)  # no marker: another machine's folder
    fs.pipe(f"{run}/{RUN_MARKER}", b"x")
    with pytest.raises(FilingsNotVisible, match="same path"):
        read_to_store(str(tmp_path / "elsewhere" / path.name), str(tmp_path / "elsewhere"), store, run)


def test_a_store_given_as_an_fsspec_url_works_the_same(folder, tmp_path):
    store = f"file://{tmp_path / 'store'}"
    fs, root = open_store(store)
    run = f"{root}/run-url"
    fs.makedirs(run, exist_ok=True)
    fs.pipe(f"{run}/{RUN_MARKER}", b"x")
    path = next(p for p in discover(folder)[0] if p.name.startswith("000_"))
    got = read_to_store(str(path), str(folder), store, run)
    local = stage(read_filing(path, folder))
    assert got.staged().filing == _row(local.filing)
    assert (tmp_path / "store" / "run-url" / got.part.rsplit("/", 1)[-1]).is_file()
