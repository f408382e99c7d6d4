{#
  Repeated content: a file that holds the same statements twice (two downloads
  concatenated, a page pasted again). Every figure of the copy would meet every figure of
  the original in the reconciliation checks, so checks grow as k² for k copies and their
  check ids collide. Staging reads such copies once; audit.parse_issues reports each filing
  read this way (code repeated_content). Where a row stands decides what a copy is:

  * Text exports and Word tables (rows without a page: source_line is a line of the file, or a row).
    A copy is recognised by its shape: rows identical in everything but their line numbers,
    each the same number of lines further down the file than its first occurrence (the
    copy's shift). stg_raw__repeated_blocks lists the shifts at which at least 5 rows of a
    filing repeat (shift_unit `line`); staging leaves out every row whose identical twin
    stands one period (the smallest such shift) above it, so k copies are read once.
    Identical rows that do not repeat as a block (a line printed twice) are kept.

  * Pages and sheets (rows with a source_page: their source_line is the row within that
    page or sheet, their block). Rows of different pages
    are alike all the time (a column of 0.00 on every page of a long project list), so a
    copy is a whole block: a page (sheet) whose every record is identical, row for row, to
    an earlier page (sheet) of the same filing — at least 5 records. Such a page is listed
    in stg_raw__repeated_blocks (shift_unit `block`, shift = pages further on) and its
    records are left out.
#}

{# the block (page or sheet) a relation's row stands in; null for text rows, Word tables and relations without pages #}
{% macro _block_expr(relation, prefix='') -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for c in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(c.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for name in ('source_page',) if name in names -%}
        {%- do parts.append(prefix ~ name) -%}
    {%- endfor -%}
    {%- if parts | length > 1 -%}coalesce({{ parts | join(', ') }})
    {%- elif parts -%}{{ parts[0] }}
    {%- else -%}cast(null as bigint)
    {%- endif -%}
{%- endmacro %}


{# the columns that say what a row is (all but where it stands), as expressions; a project key
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


{# text rows: every row with its occurrence (1 = first) among identical rows of its filing, and its shift
   (`filter`: a condition on the relation's rows, e.g. filing_filter() in an incremental build) #}
{% macro numbered_rows(relation, line_columns=('source_line', 'value_line', 'source_cell', 'table_index', 'source_page'), filter='true') -%}
    {%- set keys = _row_keys(relation, line_columns) -%}
    select
        *,
        row_number() over (partition by {{ keys | join(', ') }} order by source_line) as _occurrence,
        source_line - min(source_line) over (partition by {{ keys | join(', ') }}) as _shift,
    from {{ relation }}
    where {{ _block_expr(relation) }} is null and ({{ filter }})
{%- endmacro %}


{# pages (sheets) that copy an earlier page of the same filing record for record: filing_id,
   source_file, block, first_block (the earlier page), records #}
{% macro copied_blocks(relation, line_columns=('source_line', 'value_line', 'source_cell', 'table_index', 'source_page'), filter='true') -%}
    {%- set keys = _row_keys(relation, line_columns) -%}
    select
        filing_id,
        any_value(source_file) as source_file,
        block,
        min(block) over (partition by filing_id, signature) as first_block,
        records,
    from (
        select
            filing_id,
            any_value(source_file) as source_file,
            {{ _block_expr(relation) }} as block,
            hash(list(hash(source_line, {{ keys | join(', ') }}) order by source_line, hash({{ keys | join(', ') }})))
                as signature,
            count(*) as records,
        from {{ relation }}
        where {{ _block_expr(relation) }} is not null and ({{ filter }})
        group by filing_id, {{ _block_expr(relation) }}
        having count(*) >= 5
    ) as blocks
    group by filing_id, block, signature, records
    qualify block > first_block
{%- endmacro %}


{# the relation without the records of copies: text rows whose identical row stands one period
   (the filing's smallest repeat shift) above them, and every record of a copied page #}
{% macro without_repeats(relation, line_columns=('source_line', 'value_line', 'source_cell', 'table_index', 'source_page')) -%}
    {%- set keys = _row_keys(relation, line_columns, 'r.') -%}
    {%- set earlier_keys = _row_keys(relation, line_columns, 'earlier.') -%}
    select rows.* exclude (_row_hash, _period, _block)
    from (
        select
            r.*,
            hash({{ keys | join(', ') }}) as _row_hash,
            {{ _block_expr(relation, 'r.') }} as _block,
            p.period as _period,
        from {{ relation }} as r
        left join (
            select filing_id, min(shift) as period
            from {{ ref('stg_raw__repeated_blocks') }}
            where shift_unit = 'line'
            group by filing_id
        ) as p on p.filing_id = r.filing_id
    ) as rows
    where (
            rows._block is not null
            or rows._period is null
            or not exists (
                select 1
                from {{ relation }} as earlier
                where earlier.filing_id = rows.filing_id
                    and {{ _block_expr(relation, 'earlier.') }} is null
                    and earlier.source_line = rows.source_line - rows._period
                    and hash({{ earlier_keys | join(', ') }}) = rows._row_hash
            )
        )
        and (
            rows._block is null
            or not exists (
                select 1
                from ({{ copied_blocks(relation, line_columns) }}) as copied
                where copied.filing_id = rows.filing_id
                    and copied.block = rows._block
            )
        )
{%- endmacro %}
