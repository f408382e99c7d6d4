"""The Python vocabulary (loaders/vocabulary.py) and the documented seeds stay in step.

Every statement name recognition can give and every measure a header can map to is a row
of seeds/budget_statements.csv and seeds/budget_measures.csv, where analysts read what
they mean (a build warns on a name the seeds do not document).
"""

from __future__ import annotations

import csv

from loaders import vocabulary as V
from tests.conftest import ROOT


def _seed(name: str, key: str) -> set[str]:
    with open(ROOT / "seeds" / f"{name}.csv", encoding="utf-8") as f:
        return {row[key] for row in csv.DictReader(f)}


def test_every_statement_recognition_gives_is_documented():
    names = {s for _, s in V.STATEMENT_RULES} | set(V.ITEM_STATEMENT_OVERRIDES.values())
    assert names - _seed("budget_statements", "statement") == set()


def test_every_measure_a_header_maps_to_is_documented():
    seed = _seed("budget_measures", "measure")
    assert set(V.MEASURES.values()) - seed == set()
    # the names measure_for_header builds beyond the table
    for header in ("上年结转结余", "结转下年资金", "其中：2026年政府采购项目中预留给中小企业的项目资金规模",
                   "其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模", "政府采购项目"):
        assert V.measure_for_header(header) in seed, header
