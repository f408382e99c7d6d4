"""Shared pytest fixtures: the bundled sample filings."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT / "data" / "filings"


def filing_lines(prefix: str) -> tuple[str, ...]:
    """Decoded lines of the bundled filing whose name starts with ``prefix`` (e.g. '002')."""
    from loaders.text import decode_filing

    path = next(FILINGS.glob(f"{prefix}_*.txt"))
    return decode_filing(path.read_bytes()).lines


@pytest.fixture(scope="session")
def filings_dir() -> Path:
    return FILINGS
