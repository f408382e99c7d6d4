"""The shared store of a distributed build: one Parquet part per document.

A task of ``medwh build --engine dask`` runs ``read_to_store`` on a cluster worker: it
reads one filing with the same ``read_filing`` as the local build, stages its rows with
the same ``stage`` (``loaders.load``) and writes them as one Parquet file into the store,
a folder or an fsspec URL every worker and the build can reach. It returns only a small
``PartResult``; the build (the only writer of the DuckDB file) reads the part back
(``PartResult.staged``) and stores it as the local build stores a file it read.

A part is one Parquet file holding one row: one column per raw table, each a list of
that table's rows (structs with the raw schema, ``loaders.load.RAW_TABLES``), and the
file's verdict in the schema metadata. It is named by the bytes' sha256, the loader code
(``parser_version``) and the file's path in the filings folder (its rows carry that path),
and written to a temporary name and then moved into place: a task retried after its worker
died writes the same name again, so a part is never half there and never there twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pyarrow as pa

from loaders.load import RAW_TABLES, FileSummary, StagedFile, parser_version, read_filing, stage, to_arrow

__all__ = ["PartResult", "read_to_store", "write_part", "read_part", "part_name", "open_store", "worker_check", "cached_set",
           "FilingsNotVisible", "StoreNotVisible", "RUN_MARKER"]

RUN_MARKER = "_medwh_run"  # written by the build into its folder of the store; every task looks for it
_META_KEY = b"medwh"

# One document at a time per worker process, however many threads the worker has: the PDF
# readers call PDFium, which is not thread-safe (and the GIL leaves threads nothing to gain).
_READ_LOCK = threading.Lock()


class FilingsNotVisible(RuntimeError):
    """The filings folder is not readable on a worker under the path the build gave."""


class StoreNotVisible(RuntimeError):
    """The build's folder in the store is not reachable from a worker."""


# --------------------------------------------------------------------------- the store
_FS_CACHE: dict[str, tuple] = {}


def open_store(url: str):
    """``(filesystem, path)`` of a store given as a local folder or an fsspec URL."""
    got = _FS_CACHE.get(url)
    if got is None:
        from fsspec.core import url_to_fs

        got = url_to_fs(url)
        _FS_CACHE[url] = got
    return got


def part_name(sha256: str, source_file: str) -> str:
    where = hashlib.sha256(source_file.encode("utf-8")).hexdigest()[:16]
    return f"{sha256 or 'unreadable'}-{parser_version()}-{where}.parquet"


def _to_part(staged: StagedFile) -> pa.Table:
    columns, names = [], []
    for table in RAW_TABLES:
        data = [staged.filing] if table == "filings" else staged.tables.get(table)
        if data is None or (data.num_rows == 0 if isinstance(data, pa.Table) else not data):
            continue  # a table without rows is left out: every column costs the reader time
        arrow = to_arrow(table, data)
        structs = pa.StructArray.from_arrays([c.combine_chunks() for c in arrow.columns], fields=list(arrow.schema))
        columns.append(pa.ListArray.from_arrays(pa.array([0, len(structs)], pa.int32()), structs))
        names.append(table)
    meta = {"source_file": staged.source_file, "status": staged.status, "reason": staged.reason,
            "dedup_key": staged.dedup_key, "parser_version": parser_version()}
    return pa.Table.from_arrays(columns, names=names).replace_schema_metadata(
        {_META_KEY: json.dumps(meta, ensure_ascii=False).encode("utf-8")}
    )


def _from_part(part: pa.Table) -> StagedFile:
    meta = json.loads(part.schema.metadata[_META_KEY].decode("utf-8"))
    tables: dict = {}
    for table, schema in RAW_TABLES.items():
        if table not in part.column_names:
            continue
        structs = part.column(table).combine_chunks().flatten()  # the one row's list → its structs
        # Arrow with the raw schema, as ``stage`` gives it
        tables[table] = pa.Table.from_arrays(structs.flatten(), names=[f.name for f in structs.type]).cast(schema)
    filing = tables.pop("filings").to_pylist()[0]
    return StagedFile(meta["source_file"], meta["status"], meta["reason"], meta["dedup_key"], filing, tables)


def write_part(fs, folder: str, name: str, staged: StagedFile) -> str:
    """Write one document's part as ``folder/name`` (a temporary name first, then moved); returns its path."""
    import pyarrow.parquet as pq

    final = f"{folder}/{name}"
    tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
    with fs.open(tmp, "wb") as fh:
        # lz4, no statistics, no dictionaries: measured the quickest to write and to read back (the
        # build reads every part, one after another); a part is small and read once
        pq.write_table(_to_part(staged), fh, compression="lz4", write_statistics=False, use_dictionary=False)
    try:
        fs.mv(tmp, final)
    except Exception:
        try:
            fs.rm(tmp)
        except Exception:  # noqa: BLE001 - best effort; the build removes its folder anyway
            pass
        raise
    return final


def read_part(fs, path: str) -> StagedFile:
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as fh:
        return _from_part(pq.read_table(fh))


# --------------------------------------------------------------------------- what a task returns
@dataclass
class PartResult(FileSummary):
    """A task's small answer: the document's summary and where its rows were written."""

    store: str  # the store's URL (or folder)
    part: Optional[str]  # the part's path in the store; None for a cached file (nothing written)
    parser_version: str
    worker: str  # host:pid that read it
    seconds: float
    prefetched: Optional[object] = field(default=None, repr=False, compare=False)  # a Future of staged(), set by the build

    def staged(self) -> StagedFile:
        """The document's verdict and rows (read back from its part, unless that was done ahead)."""
        if self.prefetched is not None:
            return self.prefetched.result()
        return self.read_back()

    def read_back(self) -> StagedFile:
        if self.part is None:
            raise ValueError(f"{self.source_file}: no part was written (unchanged since the last build)")
        fs, _ = open_store(self.store)
        return read_part(fs, self.part)

    def remove(self) -> None:
        """Delete the part once it is stored (best effort: the build removes its folder at the end)."""
        if self.part is None:
            return
        fs, _ = open_store(self.store)
        try:
            fs.rm(self.part)
        except Exception:  # noqa: BLE001
            pass


# --------------------------------------------------------------------------- the task
def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def read_to_store(path: str, root: str, store: str, run_folder: str, cached: frozenset = frozenset()) -> PartResult:
    """One task of a distributed build: read one filing, write its part, return a ``PartResult``.

    ``path``: the file (absolute, as every worker sees it); ``root``: the filings folder;
    ``store``: the store's URL; ``run_folder``: the build's folder in the store (its path
    there). Raises ``FilingsNotVisible`` / ``StoreNotVisible`` when this worker cannot see
    them (a wrong mount, a store that is not shared), rather than a quietly failed filing.
    """
    started = time.perf_counter()
    root_path = Path(root)
    if not root_path.is_dir():
        raise FilingsNotVisible(
            f"worker {_where()} cannot read the filings folder {root}: every worker must see the filings under "
            "the same path as the build (a shared folder mounted at the same place)"
        )
    fs, _ = open_store(store)
    if not fs.exists(f"{run_folder}/{RUN_MARKER}"):
        raise StoreNotVisible(
            f"worker {_where()} cannot see the build's folder {run_folder} in the store {store}: the store must be "
            "shared by every worker and the build (a shared folder or an fsspec URL such as s3://bucket/parts)"
        )
    with _READ_LOCK:
        res = read_filing(Path(path), root_path, cached=cached)
        staged = None if res.cached else stage(res)
    part = None
    if staged is not None:
        part = write_part(fs, run_folder, part_name(res.sha256, res.source_file), staged)
    return PartResult(
        **FileSummary.fields_of(res), store=store, part=part, parser_version=parser_version(), worker=_where(),
        seconds=time.perf_counter() - started,
    )


def cached_set(hashes: list) -> frozenset:
    """The content hashes the previous warehouse holds, as one task every document task depends on."""
    return frozenset(hashes)


def worker_check(root: str, store: str, run_folder: str) -> dict:
    """Run on every worker before the build submits its documents: what it sees and runs."""
    fs, _ = open_store(store)
    return {
        "parser_version": parser_version(),
        "filings_visible": Path(root).is_dir(),
        "store_visible": bool(fs.exists(f"{run_folder}/{RUN_MARKER}")),
        "where": _where(),
    }


def warm_up() -> str:
    """Import the readers (PDFium, lxml, openpyxl …) so that a first task does not pay for it."""
    import loaders.readers.html  # noqa: F401
    import loaders.readers.pdf_fast  # noqa: F401
    import loaders.readers.xlsx  # noqa: F401
    import loaders.parse  # noqa: F401

    return _where()
