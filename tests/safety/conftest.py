"""Shared by the safety tests: a small filings folder and a warehouse built from it once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FILINGS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def small_filings(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small") / "filings"
    folder.mkdir()
    for p in sorted(FILINGS.glob("*.txt"))[2:4]:  # 002 and 003: a budget and a targets layout
        shutil.copy(p, folder / p.name)
    return folder


@pytest.fixture(scope="session")
def small_build(small_filings, tmp_path_factory):
    from medwh.build import build_warehouse

    out = tmp_path_factory.mktemp("small_wh")
    return build_warehouse(small_filings, out / "wh.duckdb", quiet=True, target_path=out / "target")
