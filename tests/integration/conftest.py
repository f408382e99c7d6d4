"""One warehouse built from data/filings into a temporary folder, shared by the integration tests."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import FILINGS


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    from medwh.build import build_warehouse

    out = tmp_path_factory.mktemp("warehouse")
    result = build_warehouse(FILINGS, out / "warehouse.duckdb", quiet=True, target_path=out / "target")
    return result


@pytest.fixture(scope="session")
def wh(built):
    con = duckdb.connect(str(built.warehouse), read_only=True)
    yield con
    con.close()
