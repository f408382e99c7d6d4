"""Every dbt model has jaffle-shop's shape (dbt Labs' style guide):

1. import CTEs first: ``name as (select * from {{ ref('x') }})`` (a column list or a
   ``where`` is allowed; no join, no aggregate), and every ``ref``/``source`` of the model
   stands in one of them, nowhere else;
2. then the logical CTEs, the last one named ``final``;
3. then ``select * from final`` and nothing else.

Staging models import their source through a macro (``{{ without_repeats(source(...)) }}``);
that is an import CTE too. The check reads the model's text, not dbt's compiled SQL.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted((ROOT / "models").rglob("*.sql"))

REF = "__ref__"
JINJA = "__jinja__"

_IMPORT = re.compile(
    rf"^select\s+(?:\*|[\w\s,]+?)\s+from\s+{REF}(?:\s+as\s+\w+)?(?:\s+where\s+(?P<where>.+))?$", re.S
)


def _normalised(sql: str) -> str:
    """The model's SQL with comments gone, {% %} tags dropped and each {{ }} one token."""
    sql = re.sub(r"\{#.*?#\}", " ", sql, flags=re.S)
    sql = re.sub(r"\{\{\s*config\(.*?\)\s*\}\}", " ", sql, flags=re.S)
    sql = re.sub(
        r"\{\{.*?\}\}", lambda m: f" {REF} " if re.search(r"\b(ref|source)\(", m.group(0)) else f" {JINJA} ",
        sql, flags=re.S,
    )
    sql = re.sub(r"\{%.*?%\}", " ", sql, flags=re.S)
    # -- comments out, string literals emptied (their brackets and quotes are not SQL's)
    sql = re.sub(r"--[^\n]*|'(?:[^']|'')*'", lambda m: " " if m.group(0).startswith("--") else "'…'", sql)
    return re.sub(r"\s+", " ", sql).strip().lower()


def _closing(sql: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(sql)):
        if sql[i] == "(":
            depth += 1
        elif sql[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise AssertionError("unbalanced brackets")


def ctes_and_tail(sql: str) -> tuple[list[tuple[str, str]], str]:
    """[(name, body)] of the top-level CTEs, and the statement after them."""
    m = re.match(r"with\s+(?:recursive\s+)?", sql)
    assert m, "does not start with `with`"
    pos, ctes = m.end(), []
    while True:
        head = re.compile(r"(\w+)\s+as\s+(?:(?:not\s+)?materialized\s+)?\(").match(sql, pos)
        if not head:
            break
        close = _closing(sql, head.end() - 1)
        ctes.append((head.group(1), sql[head.end(): close].strip()))
        pos = close + 1
        comma = re.compile(r"\s*,\s*").match(sql, pos)
        if not comma:
            break
        pos = comma.end()
    return ctes, sql[pos:].strip()


def is_import(body: str) -> bool:
    if body == REF:  # {{ without_repeats(source('raw', 'x')) }}
        return True
    m = _IMPORT.match(body)
    if not m or body.startswith("select distinct "):
        return False
    where = m.group("where") or ""
    return REF not in where and not re.search(r"\b(join|group by|select)\b", where)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: str(p.relative_to(ROOT / "models")))
def test_model_has_import_ctes_logical_ctes_and_select_from_final(path: Path):
    sql = _normalised(path.read_text(encoding="utf-8"))
    ctes, tail = ctes_and_tail(sql)
    assert tail == "select * from final", f"ends with {tail[:120]!r}, not `select * from final`"
    assert ctes and ctes[-1][0] == "final", "the last CTE is not `final`"
    kinds = [is_import(body) for _, body in ctes]
    assert any(kinds), "no import CTE (`x as (select * from {{ ref('x') }})`)"
    first_logical = kinds.index(False)
    late = [name for (name, _), imp in zip(ctes[first_logical:], kinds[first_logical:]) if imp]
    assert not late, f"import CTEs after the first logical CTE ({ctes[first_logical][0]}): {late}"
    inline = [name for (name, body), imp in zip(ctes, kinds) if not imp and REF in body]
    assert not inline, f"ref()/source() outside the import CTEs, in: {inline}"


def test_the_shape_check_reads_what_it_should():
    good = _normalised(
        "{{ config(materialized='table') }}\n-- a comment (with brackets\n"
        "with\n\na as (\n    select * from {{ ref('a') }} where x = '(' \n),\n\n"
        "b as (select id, x from {{ source('raw', 'b') }}),\n\n"
        "c as (select a.*, b.x as y, from a inner join b using (id)),\n\n"
        "final as (select * from c)\n\nselect * from final\n"
    )
    ctes, tail = ctes_and_tail(good)
    assert [n for n, _ in ctes] == ["a", "b", "c", "final"] and tail == "select * from final"
    assert [is_import(b) for _, b in ctes] == [True, True, False, False]
    assert not is_import(_normalised("select a.* from {{ ref('a') }} as a inner join {{ ref('b') }} as b using (id)"))
    assert not is_import(_normalised("select distinct id from {{ ref('a') }}"))
    assert not is_import(_normalised("select * from {{ ref('a') }} where id in (select id from {{ ref('b') }})"))
