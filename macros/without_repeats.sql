{#
  Repeated content: a file that holds the same statements twice (two downloads
  concatenated, a page pasted again). Every figure of the copy would meet every figure of
  the original in the reconciliation checks, so checks grow as k² for k copies and their
  check ids collide. A copy is recognised by its shape: rows identical in everything but
  their line numbers, each the same number of lines further down the file than its first
  occurrence (the copy's shift). stg_raw__repeated_blocks lists the shifts at which at
  least 5 rows of a filing repeat; staging leaves out every row whose identical twin
  stands one period (the smallest such shift) above it, so k copies are read once. Identical rows that do
  not repeat as a block (a line printed twice in a table) are kept as published.
  audit.parse_issues reports each filing read this way (code repeated_content).
#}

{# the columns that say what a row is (all but its line numbers), as expressions; a project key
   the parser made unique with an occurrence suffix ("name#2") counts as the key it repeats #}
{% macro _row_keys(relation, line_columns, prefix='') -%}
    {%- set keys = [] -%}
    {%- if execute -%}
        {%- for c in adapter.get_columns_in_relation(relation) -%}
            {%- set name = c.name | lower -%}
            {%- if name == 'project_key' -%}
                {%- do keys.append("regexp_replace(" ~ prefix ~ adapter.quote(c.name) ~ ", '#[0-9]+$', '')") -%}
            {%- elif name not in line_columns -%}
                {%- do keys.append(prefix ~ adapter.quote(c.name)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(keys or [prefix ~ 'filing_id']) }}
{%- endmacro %}


{# every row with its occurrence (1 = first) among identical rows of its filing, and its shift #}
{% macro numbered_rows(relation, line_columns=('source_line', 'value_line', 'source_cell', 'table_index')) -%}
    {%- set keys = _row_keys(relation, line_columns) -%}
    select
        *,
        row_number() over (partition by {{ keys | join(', ') }} order by source_line) as _occurrence,
        source_line - min(source_line) over (partition by {{ keys | join(', ') }}) as _shift,
    from {{ relation }}
{%- endmacro %}


{# the relation without the rows that are later copies of a repeated block: a row is left out
   when the identical row stands one period (the filing's smallest repeat shift) above it #}
{% macro without_repeats(relation, line_columns=('source_line', 'value_line', 'source_cell', 'table_index')) -%}
    {%- set keys = _row_keys(relation, line_columns, 'r.') -%}
    {%- set earlier_keys = _row_keys(relation, line_columns, 'earlier.') -%}
    select rows.* exclude (_row_hash, _period)
    from (
        select r.*, hash({{ keys | join(', ') }}) as _row_hash, p.period as _period
        from {{ relation }} as r
        left join (
            select filing_id, min(shift) as period from {{ ref('stg_raw__repeated_blocks') }} group by filing_id
        ) as p on p.filing_id = r.filing_id
    ) as rows
    where rows._period is null
        or not exists (
            select 1
            from {{ relation }} as earlier
            where earlier.filing_id = rows.filing_id
                and earlier.source_line = rows.source_line - rows._period
                and hash({{ earlier_keys | join(', ') }}) = rows._row_hash
        )
{%- endmacro %}
