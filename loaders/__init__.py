"""Loaders for medical-security bureau budget filings (部门预算, 绩效目标表).

Layers (one hop each):

* ``loaders.text``       bytes → normalised lines (encodings, BOM, line ends)
* ``loaders.wordtable``  Word-table exports → rows of cells
* ``loaders.parsers.*``  one module per layout: lines → records (pure, no I/O)
* ``loaders.parse``      runs every parser whose content signature matches a filing
* ``loaders.load``       files → DuckDB ``raw`` schema (the only module that writes)
* ``loaders.cli``        the ``medwh`` command: load, build, query
"""

__version__ = "0.1.0"
