"""Layout parsers. Each module exposes

* ``NAME``: a short layout name recorded per filing;
* ``matches(source) -> bool``: does the filing contain this layout's tables (by content, never file name);
* ``parse(source) -> loaders.records.ParsedFiling``: the records it reads, with their provenance;
* ``READS``: ``"document"`` for table parsers, which get a :class:`loaders.document.Document`
  of any format; absent for the sample text layouts' parsers, which get a text export's lines.

Parsers are pure: a sequence of decoded lines in, records out, no I/O, never raising
on odd input (problems become ``ParseIssue`` records).
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

PARSER_MODULES = (
    "loaders.parsers.word_budget",  # 部门预算 statements (收支总表 … 三公), department and unit parts
    "loaders.parsers.word_targets",  # Word-table 项目 and 部门整体 绩效目标表
    "loaders.parsers.tsv_targets",  # tab-separated 项目/整体 绩效目标表 and column-per-item 三公 (drifting columns)
    "loaders.parsers.approval_form",  # PDF-extracted 绩效目标批复表 (midterm and annual side by side)
    "loaders.parsers.narrative",  # 情况说明 prose amounts and goal texts (any layout)
    # table parsers (READS = "document"): any format's tables and captions
    "loaders.parsers.target_tables",  # 项目 / 部门整体 绩效目标表: form and list shapes
    "loaders.parsers.statements",  # 部门预算 statements by title + header (loaders/vocabulary.py)
)


_PARSERS: list[ModuleType] | None = None


def all_parsers() -> list[ModuleType]:
    global _PARSERS
    if _PARSERS is None:
        _PARSERS = _import_parsers()
    return _PARSERS


def _import_parsers() -> list[ModuleType]:
    mods = []
    for name in PARSER_MODULES:
        try:
            mods.append(import_module(name))
        except ModuleNotFoundError as exc:  # a parser not written yet must not break the others
            if exc.name != name:
                raise
    return mods
