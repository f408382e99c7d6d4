"""``medwh query``: one read-only statement against the warehouse, nothing else.

Two layers, either of which alone stops the hostile statements:

* the connection: read-only, ``enable_external_access = false`` (no file other than
  the warehouse can be read or written: COPY, ATTACH, EXPORT, INSTALL, read_csv,
  read_text, glob, replacement scans of file names all fail) and
  ``lock_configuration = true`` (SET / RESET / PRAGMA cannot undo that);
* a statement check before anything runs: DuckDB's own parser counts the
  statements and gives their type (exactly one, a SELECT-like read or an EXPLAIN of
  one), and sqlglot (dialect duckdb) walks the statement for anything that writes,
  attaches or reads files.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["NotAllowed", "connect_locked", "check_statement", "run_query"]


class NotAllowed(ValueError):
    """The statement is not one read-only query; the message says what is not allowed."""


# table or scalar functions that reach outside the warehouse file (or run SQL text)
_FILE_FUNCTION = re.compile(
    r"^(read_\w*|\w*_scan|glob|sniff_csv|parquet_\w+|query|query_table|getenv|"
    r"install\w*|load\w*|duckdb_secrets|iceberg_\w+|delta_\w+|ducklake_\w+|httpfs\w*|sqlite_\w+|postgres_\w+|mysql_\w+)$",
    re.IGNORECASE,
)
_FILE_FUNCTION_TEXT = re.compile(
    r"\b(read_\w*|\w*_scan|glob|sniff_csv|parquet_\w+|query|query_table|getenv)\s*\(", re.IGNORECASE
)
_EXPLAIN = re.compile(r"^\s*explain(\s+analyze)?\s+", re.IGNORECASE)
ALLOWED_HELP = "only one read-only query is allowed (select, with, values, describe, show, summarize, explain)"


def connect_locked(path: Path):
    """A read-only connection to ``path`` that cannot touch any other file or change settings."""
    import duckdb

    return duckdb.connect(
        str(path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


def _statement_types(con, sql: str) -> list[str]:
    """DuckDB's statement types (raises duckdb.ParserException for a syntax error)."""
    return [str(s.type).rsplit(".", 1)[-1].upper() for s in con.extract_statements(sql)]


def _func_names(node) -> set[str]:
    from sqlglot import exp

    names = set()
    for f in node.find_all(exp.Func):
        if isinstance(f, exp.Anonymous):
            names.add(str(f.name).lower())
        else:
            names.add(f.sql_name().lower())
            names.update(k.lower() for k in getattr(type(f), "_sql_names", []) or [])
    return names


def _check_tree(sql: str) -> bool:
    """Walk the statement with sqlglot; raise NotAllowed, or return False if sqlglot cannot parse it."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    try:
        trees = [t for t in sqlglot.parse(sql, read="duckdb") if t is not None]
    except (ParseError, Exception):  # noqa: BLE001 - an unparsable statement: DuckDB decides
        return False
    if len(trees) != 1:
        raise NotAllowed(f"{len(trees)} statements given; {ALLOWED_HELP}")
    tree = trees[0]
    reads = (exp.Select, exp.SetOperation, exp.Values, exp.Describe, exp.Show, exp.Summarize, exp.Subquery)
    if not isinstance(tree, reads):
        raise NotAllowed(f"{tree.key.upper()} is not allowed; {ALLOWED_HELP}")
    writes = (
        exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Copy, exp.Attach, exp.Detach,
        exp.Command, exp.Set, exp.Pragma, exp.Use, exp.Merge, exp.Alter, exp.Install, exp.TruncateTable,
    )
    for node in tree.walk():
        if isinstance(node, writes):
            raise NotAllowed(f"{node.key.upper()} is not allowed; {ALLOWED_HELP}")
    for name in _func_names(tree):
        if _FILE_FUNCTION.match(name):
            raise NotAllowed(f"function {name}() reads outside the warehouse and is not allowed; {ALLOWED_HELP}")
    for table in tree.find_all(exp.Table):
        ident = table.this
        name = str(getattr(ident, "name", "") or "")
        if isinstance(ident, exp.Identifier) and ident.args.get("quoted") and re.search(r"[./\\*:]", name):
            raise NotAllowed(f'reading the file "{name}" is not allowed; {ALLOWED_HELP}')
        if isinstance(ident, exp.Literal):
            raise NotAllowed(f"reading the file '{ident.name}' is not allowed; {ALLOWED_HELP}")
    return True


def check_statement(con, sql: str) -> None:
    """Raise NotAllowed unless ``sql`` is exactly one read-only query.

    A syntax error is left to DuckDB (raised as duckdb.ParserException with its full
    message), but several statements are refused before anything runs.
    """
    import duckdb

    if re.match(r"^\s*(explain\s+(analyze\s+)?)?pragma\b", sql, re.IGNORECASE):
        raise NotAllowed(f"PRAGMA is not allowed; {ALLOWED_HELP} (the duckdb_*() table functions answer the same questions)")
    m = re.match(r"^\s*(import|export)\s+database\b", sql, re.IGNORECASE)
    if m:  # DuckDB reads an IMPORT's files while parsing it: refuse before that
        raise NotAllowed(f"{m.group(1).upper()} DATABASE is not allowed; {ALLOWED_HELP}")
    if sql.count(";") and len([s for s in _split_statements(sql) if s.strip()]) > 1:
        # refuse several statements even when one of them does not parse
        try:
            n = len(_statement_types(con, sql))
        except duckdb.Error:
            n = 2
        if n != 1:
            raise NotAllowed(f"several statements given; {ALLOWED_HELP}")
    types = _statement_types(con, sql)  # a syntax error surfaces here, with DuckDB's message
    if not types:
        raise NotAllowed(f"no statement given; {ALLOWED_HELP}")
    if len(types) != 1:
        raise NotAllowed(f"{len(types)} statements given; {ALLOWED_HELP}")
    kind = types[0]
    body = sql
    if kind == "EXPLAIN":
        body = _EXPLAIN.sub("", sql, count=1)
        inner = _statement_types(con, body)
        if inner != ["SELECT"]:
            raise NotAllowed(f"EXPLAIN of {'/'.join(inner) or 'nothing'} is not allowed; {ALLOWED_HELP}")
    elif kind != "SELECT":
        raise NotAllowed(f"{kind} is not allowed; {ALLOWED_HELP}")
    if not _check_tree(body):
        # sqlglot cannot read it but DuckDB says it is one SELECT: still refuse file readers by name
        m = _FILE_FUNCTION_TEXT.search(body)
        if m:
            raise NotAllowed(f"function {m.group(1).lower()}() reads outside the warehouse and is not allowed; {ALLOWED_HELP}")


def _split_statements(sql: str) -> list[str]:
    """Split on semicolons outside quotes and comments (only to count statements)."""
    out, cur, i, n = [], [], 0, len(sql)
    quote = None
    while i < n:
        c = sql[i]
        if quote:
            cur.append(c)
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            cur.append(c)
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
            continue
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        elif c == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def run_query(con, sql: str):
    """Check ``sql`` and run it on ``con`` (from connect_locked); returns the relation or None."""
    check_statement(con, sql)
    return con.sql(sql)
