"""A real local Dask cluster, started the way a user starts one: ``dask scheduler
--scheduler-file F`` and two ``dask worker --nworkers 1 --nthreads 1 --scheduler-file F``
processes, the scheduler on a free port the OS picks (``benchmarks.distributed.LocalCluster``,
which the benchmark uses too). Torn down however the tests end: each process leads its own
process group, and the group is stopped by its id."""

from __future__ import annotations

import pytest

from benchmarks.distributed import local_cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with local_cluster(tmp_path_factory.mktemp("dask"), workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def one_duckdb_thread():
    """dbt with one DuckDB thread, for the builds these tests compare.

    With more, ``audit.reconciliation.scope`` (and the ``check_id`` made from it) can differ
    between two *local* builds of the same folder: ``check__row_columns_sum`` takes
    ``any_value(line_key)`` over rows whose physical order a parallel query leaves open.
    That is a model's nondeterminism, not the engine's; one thread makes every build of a
    folder reproducible, so that the comparisons below can demand every row of every table.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDWH_DUCKDB_THREADS", "1")
        yield
