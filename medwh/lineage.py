"""Column-level lineage of the marts and audit models, traced to the raw columns with sqlglot.

dbt knows which models feed which; it does not know which *columns* feed which. This
module reads the compiled SQL that dbt wrote (``manifest.json``: ``compiled_code`` of
every node, else ``target/compiled/...``), asks ``sqlglot.lineage`` for each model which
columns of its direct inputs every output column is computed from (one hop), and chains
the hops down through staging, intermediate and ephemeral models (ephemeral models are
inlined by dbt as ``__dbt__cte__<name>`` CTEs) until it reaches a ``raw`` source column
or a seed column.

    rows = column_lineage(Path("target"), schema)       # list of dicts, one per leaf
    write_column_lineage(con, Path("target"))            # → audit.column_lineage
    publish_lineage(Path("warehouse.duckdb.building"), Path("target"))

One row per (model, column, leaf) — dict keys ``model, column, source_model,
source_column, source_kind, depth, path``; the table names ``column`` ``column_name``
(a reserved word in SQL):

* ``source_kind = 'source'`` — a raw column (``source_model = 'raw.budget_lines'``);
* ``'seed'`` — a seed column (``source_model = 'reference.admin_divisions'``);
* ``'expression'`` — the column is computed without reading any column (a literal,
  ``null``, ``count(*)``); ``source_model`` is null and ``source_column`` holds the
  expression. Recorded only when the column has no column leaf at all;
* ``'external'`` — a relation outside the dbt project;
* ``'unresolved'`` — sqlglot could not follow the column (``source_column = '?'``, or
  ``'*'`` for a star it could not expand). Never dropped: the share is measured by the
  tests.

``depth`` is the number of model hops from the column to the leaf; ``path`` the
shortest chain, ``model.column <- upstream.column <- … <- leaf``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import Node, lineage
from sqlglot.optimizer.qualify import qualify

__all__ = [
    "LINEAGE_SCHEMAS",
    "column_lineage",
    "lineage_rows_to_frame",
    "publish_lineage",
    "warehouse_schema",
    "write_column_lineage",
]

DIALECT = "duckdb"
LINEAGE_SCHEMAS = ("marts", "audit")  # the models whose columns are traced
EPHEMERAL_PREFIX = "__dbt__cte__"
COLUMNS = ["model", "column_name", "source_model", "source_column", "source_kind", "depth", "path"]

TABLE_COMMENT = (
    "Column-level lineage (字段血缘): one row per column of every marts and audit model and each "
    "raw source or seed column it is computed from, traced with sqlglot through staging, "
    "intermediate and ephemeral models. source_kind: source | seed | expression | external | "
    "unresolved (source_column '?' or '*'). Written by loaders/lineage.py at build time."
)
COLUMN_COMMENTS = {
    "model": "The model traced, schema.name (marts.fact_budget_line).",
    "column_name": "Its column (amount_yuan).",
    "source_model": "Where the leaf stands: raw.<table> for a source, reference.<seed> for a seed; null for an expression.",
    "source_column": "The leaf column (published_amount); '?' or '*' when sqlglot could not resolve it; the expression for an expression leaf.",
    "source_kind": "source, seed, expression (no column read: literal, null, count(*)), external or unresolved.",
    "depth": "Model hops from the column to the leaf (marts → staging → raw is 2).",
    "path": "Shortest chain, model.column <- upstream.column <- … <- leaf; (ephemeral x) marks an inlined ephemeral model.",
}


@dataclass
class _Relation:
    label: str  # schema.name as analysts see it
    kind: str  # model | seed | source
    unique_id: str
    schema: str
    name: str
    materialized: Optional[str] = None
    sql: Optional[str] = None
    depends_on: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Hop:
    """One leaf of a single model's own SQL: a column of a direct input, or no column."""

    kind: str  # relation | expression | unresolved
    relation: Optional[str] = None  # lower-case schema.name of the input
    column: Optional[str] = None
    via: tuple[str, ...] = ()  # ephemeral models passed through (inlined CTEs)


# --------------------------------------------------------------------------- manifest


def _load_manifest(target_dir: Path) -> dict:
    path = Path(target_dir) / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(f"no dbt manifest at {path}: run `dbt compile` or `dbt build` with this target path first")
    return json.loads(path.read_text(encoding="utf-8"))


def _compiled_sql(node: dict, target_dir: Path) -> Optional[str]:
    if node.get("compiled_code"):
        return node["compiled_code"]
    # `dbt compile` / `dbt build` also write target/compiled/<package>/<original_file_path>
    candidate = Path(target_dir) / "compiled" / node.get("package_name", "") / node.get("original_file_path", "")
    if candidate.is_file():
        return candidate.read_text(encoding="utf-8")
    return None


def _relations(manifest: dict, target_dir: Path) -> tuple[dict[str, _Relation], dict[str, _Relation]]:
    """(by lower-case schema.name, by unique_id)."""
    by_label: dict[str, _Relation] = {}
    by_id: dict[str, _Relation] = {}
    for uid, node in manifest.get("nodes", {}).items():
        rtype = node.get("resource_type")
        if rtype not in ("model", "seed"):
            continue
        schema, name = node.get("schema") or "", node.get("alias") or node.get("name")
        rel = _Relation(
            label=f"{schema}.{name}",
            kind=rtype,
            unique_id=uid,
            schema=schema,
            name=name,
            materialized=(node.get("config") or {}).get("materialized"),
            sql=_compiled_sql(node, target_dir) if rtype == "model" else None,
            depends_on=list((node.get("depends_on") or {}).get("nodes") or []),
        )
        by_id[uid] = rel
        if rel.materialized != "ephemeral":
            by_label[rel.label.lower()] = rel
    for uid, src in manifest.get("sources", {}).items():
        schema, name = src.get("schema") or "", src.get("identifier") or src.get("name")
        rel = _Relation(label=f"{schema}.{name}", kind="source", unique_id=uid, schema=schema, name=name)
        by_id[uid] = rel
        by_label[rel.label.lower()] = rel
    return by_label, by_id


def _topological(by_id: dict[str, _Relation]) -> list[_Relation]:
    order: list[_Relation] = []
    seen: set[str] = set()

    def visit(uid: str, stack: tuple[str, ...] = ()) -> None:
        if uid in seen or uid in stack or uid not in by_id:
            return
        for dep in by_id[uid].depends_on:
            visit(dep, stack + (uid,))
        seen.add(uid)
        order.append(by_id[uid])

    for uid in sorted(by_id):
        visit(uid)
    return order


# --------------------------------------------------------------------------- schema


def warehouse_schema(con) -> dict:
    """{schema: {table: {column: type}}} of the open DuckDB connection's current catalog."""
    rows = con.execute(
        """
        select table_schema, table_name, column_name, data_type
        from information_schema.columns
        where table_catalog = current_database()
        order by table_schema, table_name, ordinal_position
        """
    ).fetchall()
    schema: dict = {}
    for s, t, c, ty in rows:
        schema.setdefault(s, {}).setdefault(t, {})[c] = ty
    return schema


def _catalog_schema(target_dir: Path) -> dict:
    """Columns from target/catalog.json (written by `dbt docs generate`), if there is one."""
    path = Path(target_dir) / "catalog.json"
    if not path.exists():
        return {}
    try:
        catalog = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    schema: dict = {}
    for section in ("nodes", "sources"):
        for entry in (catalog.get(section) or {}).values():
            meta = entry.get("metadata") or {}
            cols = entry.get("columns") or {}
            if meta.get("schema") and meta.get("name") and cols:
                ordered = sorted(cols.values(), key=lambda c: c.get("index") or 0)
                schema.setdefault(meta["schema"], {})[meta["name"]] = {c["name"]: c.get("type") or "varchar" for c in ordered}
    return schema


def _raw_schema() -> dict:
    """The raw tables as the loaders create them (loaders.load.RAW_TABLES)."""
    try:
        from loaders.load import RAW_TABLES
    except ImportError:  # pragma: no cover
        return {}
    return {"raw": {t: {f.name: str(f.type) for f in sch} for t, sch in RAW_TABLES.items()}}


def _manifest_source_schema(by_id: dict[str, _Relation], manifest: dict) -> dict:
    """Documented columns of sources and seeds: a last resort when no warehouse is at hand."""
    schema: dict = {}
    for uid, rel in by_id.items():
        if rel.kind == "model":
            continue
        node = manifest.get("sources", {}).get(uid) or manifest.get("nodes", {}).get(uid) or {}
        cols = node.get("columns") or {}
        if cols:
            schema.setdefault(rel.schema, {})[rel.name] = {c: (v.get("data_type") or "varchar") for c, v in cols.items()}
    return schema


def _clean(schema: dict) -> dict:
    """Without empty schemas or tables (sqlglot rejects them) and without '*' columns."""
    out: dict = {}
    for s, tables in schema.items():
        for t, cols in tables.items():
            cols = {c: ty for c, ty in cols.items() if c != "*"}
            if cols:
                out.setdefault(s, {})[t] = cols
    return out


# --------------------------------------------------------------------------- one hop


def _union_by_name_chains(expression: exp.Expr) -> list[exp.Union]:
    """Top-most nodes of `union [all] by name` chains, in traversal order."""
    out = []
    for node in expression.find_all(exp.Union):
        if node.args.get("by_name") and not (isinstance(node.parent, exp.Union) and node.parent.args.get("by_name")):
            out.append(node)
    return out


def _flatten_union(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Union) and node.args.get("by_name"):
        return _flatten_union(node.this) + _flatten_union(node.expression)
    return [node]


def _rewrite_union_by_name(expression: exp.Expr, schema: dict) -> exp.Expr:
    """DuckDB's `union all by name` aligns branches by column name; sqlglot's lineage aligns
    them by position. Qualify once (to expand each branch's `*`), rewrite every by-name chain
    into a positional union over the union of the names (`null as x` where a branch lacks x),
    and put the rewritten chains back into the unqualified query."""
    chains = _union_by_name_chains(expression)
    if not chains:
        return expression
    qualified = qualify(expression.copy(), dialect=DIALECT, schema=schema, validate_qualify_columns=False, identify=False)
    q_chains = _union_by_name_chains(qualified)
    if len(q_chains) != len(chains):
        return expression
    for orig, q in zip(chains, q_chains):
        branches = _flatten_union(q)
        if not all(isinstance(b, exp.Select) for b in branches):
            continue
        names: list[str] = []
        for b in branches:
            for n in b.named_selects:
                if n not in names:
                    names.append(n)
        rebuilt = []
        for b in branches:
            by_name = {s.alias_or_name: s for s in b.selects}
            b = b.copy()
            b.set("expressions", [by_name[n].copy() if n in by_name else exp.alias_(exp.Null(), n) for n in names])
            rebuilt.append(b)
        new: exp.Expr = rebuilt[0]
        for b in rebuilt[1:]:
            new = exp.Union(this=new, expression=b, distinct=bool(orig.args.get("distinct")))
        if orig.args.get("with_") is not None:
            new.set("with_", orig.args["with_"].copy())
        orig.replace(new)
    return expression


def _walk_leaves(node: Node, via: tuple[str, ...] = ()) -> Iterable[tuple[Node, tuple[str, ...]]]:
    names = [node.reference_node_name, node.source_name, node.name.split(".")[0] if node.name else ""]
    for n in names:
        if n and n.startswith(EPHEMERAL_PREFIX):
            eph = n[len(EPHEMERAL_PREFIX):]
            if eph not in via:
                via = via + (eph,)
    if not node.downstream:
        yield node, via
        return
    for child in node.downstream:
        yield from _walk_leaves(child, via)


def _table_label(table: exp.Table) -> str:
    parts = [p for p in (table.args.get("db"), table.this) if p is not None]
    return ".".join(p.name for p in parts).lower()


def _hop_of_leaf(leaf: Node, via: tuple[str, ...]) -> _Hop:
    column = leaf.name.split(".")[-1] if leaf.name else "?"
    if column == "*" and not isinstance(leaf.source, exp.Table):
        # a star over a CTE or subquery whose own star could not be expanded
        tables = list(leaf.expression.find_all(exp.Table)) if isinstance(leaf.expression, exp.Expr) else []
        return _Hop("unresolved", _table_label(tables[0]) if len(tables) == 1 else None, "*", via)
    if isinstance(leaf.source, exp.Table):
        if column == "*":
            return _Hop("unresolved", _table_label(leaf.source), "*", via)
        return _Hop("relation", _table_label(leaf.source), column, via)
    if isinstance(leaf.source, exp.Placeholder) or isinstance(leaf.expression, exp.Placeholder):
        return _Hop("unresolved", None, "*" if column == "*" else "?", via)
    if isinstance(leaf.source, exp.Values):
        # a column of an inline `values (…) as r(x, …)` list: constants written in the SQL
        return _Hop("expression", None, f"values {leaf.name}", via)
    expr = leaf.expression
    if isinstance(expr, exp.Alias):
        expr = expr.this
    if any(True for _ in expr.find_all(exp.Column)):
        # a column sqlglot saw but could not attribute to an input
        return _Hop("unresolved", None, "?", via)
    return _Hop("expression", None, expr.sql(dialect=DIALECT)[:200], via)


def _model_hops(sql: str, schema: dict) -> dict[str, list[_Hop]]:
    """Output column → the inputs it is computed from, within one model's SQL."""
    expression = sqlglot.parse_one(sql, dialect=DIALECT)
    expression = _rewrite_union_by_name(expression, schema)
    try:
        # trim_selects only prettifies each node's displayed SQL and copies the query per node
        nodes = lineage(None, expression, schema=schema, dialect=DIALECT, trim_selects=False)
    except SqlglotError:
        # fall back to one column at a time so that one bad column does not lose the others
        qualified = qualify(expression.copy(), dialect=DIALECT, schema=schema, validate_qualify_columns=False, identify=False)
        nodes = {}
        for name in qualified.named_selects:
            try:
                nodes[name] = lineage(name, expression, schema=schema, dialect=DIALECT, trim_selects=False)
            except SqlglotError:
                nodes[name] = None
    hops: dict[str, list[_Hop]] = {}
    for column, node in nodes.items():
        if node is None:
            hops[column] = [_Hop("unresolved", None, "?")]
            continue
        found: list[_Hop] = []
        for leaf, via in _walk_leaves(node):
            hop = _hop_of_leaf(leaf, via)
            if hop not in found:
                found.append(hop)
        hops[column] = found or [_Hop("unresolved", None, "?")]
    return hops


# --------------------------------------------------------------------------- chaining


def column_lineage(target_dir: Path, schema: Optional[dict] = None, schemas: Iterable[str] = LINEAGE_SCHEMAS) -> list[dict]:
    """One dict per (model, column, leaf) for every column of every model in ``schemas``.

    ``schema`` ({schema: {table: {column: type}}}) gives the columns of the relations the
    SQL reads (needed to expand ``select *`` over a table); pass ``warehouse_schema(con)``.
    Without it, the raw tables' columns come from ``loaders.load.RAW_TABLES``, seeds' from
    the manifest, target_dir/catalog.json is used if present, and every model's output
    columns are derived from its own SQL in dependency order.
    """
    target_dir = Path(target_dir)
    manifest = _load_manifest(target_dir)
    by_label, by_id = _relations(manifest, target_dir)

    known: dict = {}
    for extra in (_raw_schema(), _manifest_source_schema(by_id, manifest), _catalog_schema(target_dir), schema or {}):
        for s, tables in extra.items():
            for t, cols in tables.items():
                known.setdefault(s, {})[t] = dict(cols)

    hops: dict[str, dict[str, list[_Hop]]] = {}  # relation label → column → hops
    failed: set[str] = set()
    for rel in _topological(by_id):
        if rel.kind != "model" or rel.materialized == "ephemeral":
            continue
        real_columns = list(known.get(rel.schema, {}).get(rel.name, {}))  # from the warehouse, if given
        if not rel.sql:
            failed.add(rel.label.lower())
            continue
        try:
            model_hops = _model_hops(rel.sql, _clean(known))
        except (SqlglotError, ValueError, KeyError, AttributeError, TypeError):
            failed.add(rel.label.lower())
            continue
        star = model_hops.get("*")
        if real_columns:
            # columns hidden behind a star sqlglot could not expand inherit the star's leaves
            model_hops.pop("*", None)
            for column in real_columns:
                if column not in model_hops:
                    model_hops[column] = list(star) if star else [_Hop("unresolved", None, "?")]
        elif star is None:
            # derived output columns; never from a query with an unexpanded star (they would
            # be incomplete, and a downstream star would silently lose columns)
            known.setdefault(rel.schema, {})[rel.name] = {c: "varchar" for c in model_hops}
        hops[rel.label.lower()] = model_hops

    memo: dict[tuple[str, str], list[tuple]] = {}

    def resolve(label: str, column: str, stack: frozenset) -> list[tuple]:
        """Leaves (source_model, source_column, source_kind, depth, path) of label.column."""
        key = (label, column)
        if key in memo:
            return memo[key]
        if key in stack:
            return [(label, "?", "unresolved", 0, [f"{label}.{column}"])]
        rel = by_label.get(label)
        if rel is not None and rel.kind in ("source", "seed"):
            return [(rel.label, column, rel.kind, 0, [f"{rel.label}.{column}"])]
        if rel is None:
            return [(label, column, "external", 0, [f"{label}.{column}"])]
        model_hops = hops.get(label)
        here = f"{rel.label}.{column}"
        if model_hops is not None and column not in model_hops:
            # a column a downstream query names explicitly, which this model can only pass
            # through its unexpanded `select *` of a single relation: same name there
            star_relations = {h.relation for h in model_hops.get("*", []) if h.kind == "unresolved" and h.relation}
            if len(star_relations) == 1 and all(h.relation for h in model_hops["*"]):
                (upstream,) = star_relations
                out = [
                    (src, col, kind, depth + 1, [here] + path)
                    for src, col, kind, depth, path in resolve(upstream, column, stack | {key})
                ]
                memo[key] = out
                return out
        if model_hops is None or column not in model_hops:
            out = [(rel.label, "?", "unresolved", 0, [here])]
            memo[key] = out
            return out
        leaves: list[tuple] = []
        for hop in model_hops[column]:
            tag = [f"(ephemeral {e})" for e in hop.via]
            if hop.kind == "relation":
                for src, col, kind, depth, path in resolve(hop.relation, hop.column, stack | {key}):
                    leaves.append((src, col, kind, depth + 1, [here] + tag + path))
            elif hop.kind == "unresolved":
                src = by_label[hop.relation].label if hop.relation in by_label else hop.relation
                leaves.append((src, hop.column, "unresolved", 1, [here] + tag + [f"{src or '?'}.{hop.column}"]))
            else:
                leaves.append((None, hop.column, "expression", 0, [here] + tag))
        # an expression leaf (null, a literal) beside real columns adds nothing
        if any(k != "expression" for _, _, k, _, _ in leaves):
            leaves = [leaf for leaf in leaves if leaf[2] != "expression"]
        best: dict[tuple, tuple] = {}
        for leaf in leaves:
            k = (leaf[0], leaf[1], leaf[2])
            # the shortest chain; among equally short ones the first in text order, so that the
            # path never depends on the order sqlglot happened to list the hops in (set order)
            if k not in best or (leaf[3], leaf[4]) < (best[k][3], best[k][4]):
                best[k] = leaf
        out = list(best.values())
        memo[key] = out
        return out

    rows: list[dict] = []
    wanted = set(schemas)
    for rel in sorted(by_label.values(), key=lambda r: r.label):
        if rel.kind != "model" or rel.schema not in wanted:
            continue
        label = rel.label.lower()
        if label in failed or label not in hops:
            rows.append(_row(rel.label, "*", rel.label, "?", "unresolved", 0, [f"{rel.label}.*"]))
            continue
        for column in hops[label]:
            for src, col, kind, depth, path in sorted(resolve(label, column, frozenset()), key=lambda x: (x[2], str(x[0]), str(x[1]))):
                rows.append(_row(rel.label, column, src, col, kind, depth, path))
    return rows


def _row(model, column, src, col, kind, depth, path) -> dict:
    return {
        "model": model,
        "column": column,
        "source_model": src,
        "source_column": col,
        "source_kind": kind,
        "depth": int(depth),
        "path": " <- ".join(path),
    }


# --------------------------------------------------------------------------- warehouse


def lineage_rows_to_frame(rows: list[dict]):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["model", "column", *COLUMNS[2:]])
    # `column` is a reserved word in SQL: the table calls it column_name
    return frame.rename(columns={"column": "column_name"}).astype({"depth": "int32"})


def write_column_lineage(con, target_dir: Path) -> int:
    """Create or replace ``audit.column_lineage`` in the open DuckDB connection; returns rows."""
    rows = column_lineage(Path(target_dir), schema=warehouse_schema(con))
    frame = lineage_rows_to_frame(rows)
    con.execute("create schema if not exists audit")
    con.register("_column_lineage_rows", frame)
    try:
        con.execute(
            """
            create or replace table audit.column_lineage as
            select
                cast(model as varchar) as model,
                cast(column_name as varchar) as column_name,
                cast(source_model as varchar) as source_model,
                cast(source_column as varchar) as source_column,
                cast(source_kind as varchar) as source_kind,
                cast(depth as integer) as depth,
                cast(path as varchar) as path
            from _column_lineage_rows
            order by model, column_name, source_kind, source_model, source_column
            """
        )
    finally:
        con.unregister("_column_lineage_rows")
    con.execute(f"comment on table audit.column_lineage is {_quote(TABLE_COMMENT)}")
    for column, comment in COLUMN_COMMENTS.items():
        con.execute(f"comment on column audit.column_lineage.{column} is {_quote(comment)}")
    return len(rows)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_lineage(warehouse_tmp_path: Path, target_dir: Path) -> int:
    """Open the (not yet published) warehouse file, write audit.column_lineage, close it."""
    import duckdb

    path = Path(warehouse_tmp_path)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}")
    con = duckdb.connect(str(path))
    try:
        return write_column_lineage(con, Path(target_dir))
    finally:
        con.close()
