"""The product around the loaders: the ``medwh`` command, build orchestration, summary,
HTML report, dbt docs and column lineage. Nothing here parses a filing: reading and
recognising filings is :mod:`loaders`; shaping the warehouse is dbt (``models/``).

* ``medwh.cli``      the ``medwh`` command
* ``medwh.build``    load into a temp file → ``dbt build`` → publish atomically
* ``medwh.summary``  the lines printed after a build
* ``medwh.report``   self-contained HTML report
* ``medwh.docs``     dbt docs as one static HTML file
* ``medwh.lineage``  ``audit.column_lineage`` from dbt's compiled SQL (sqlglot)
"""

from loaders import __version__

__all__ = ["__version__"]
