"""One warehouse built from a folder holding the five samples, ../shared/real-filings and
../shared/real-corpus (copied into a temporary folder, never into the project), shared by
every test of tests/real that needs a build."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.conftest import FILINGS, REAL_CORPUS, REAL_FILINGS, require_shared


@pytest.fixture(scope="session")
def real_folder(tmp_path_factory):
    require_shared(REAL_FILINGS, REAL_CORPUS)
    folder = tmp_path_factory.mktemp("real") / "filings"
    shutil.copytree(FILINGS, folder / "samples")
    shutil.copytree(REAL_FILINGS, folder / "real-filings", ignore=shutil.ignore_patterns("README.md"))
    shutil.copytree(REAL_CORPUS, folder / "real-corpus", ignore=shutil.ignore_patterns("README.md"))
    return folder


@pytest.fixture(scope="session")
def real_build(real_folder, tmp_path_factory):
    from medwh.build import build_warehouse

    out = tmp_path_factory.mktemp("real_wh")
    return build_warehouse(real_folder, out / "warehouse.duckdb", quiet=True, target_path=out / "target")


@pytest.fixture(scope="session")
def real_wh(real_build):
    con = duckdb.connect(str(real_build.warehouse), read_only=True)
    yield con
    con.close()
