{{ config(materialized='table') }}
-- Where a filing repeats itself (see macros/without_repeats.sql). Text exports: the shifts
-- at which at least 5 rows identical to earlier rows of the same file (but for their line)
-- stand the same number of lines further down (shift_unit `line`). Pages, sheets and
-- tables: each page (table) that repeats an earlier one record for record (shift_unit
-- `block`, shift = how many pages further on). One row per filing, unit and shift.
{%- set repeatable = ['budget_lines', 'targets', 'narrative_amounts', 'projects', 'spending_plans', 'statement_tables', 'filing_texts'] %}

with

line_repeats as (
    {%- for t in repeatable %}
    select '{{ t }}' as raw_table, filing_id, source_file, _shift as shift, source_line
    from ({{ numbered_rows(source('raw', t)) }})
    where _occurrence > 1
        and _shift > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

block_copies as (
    {%- for t in repeatable %}
    select '{{ t }}' as raw_table, filing_id, source_file, block - first_block as shift, block, records
    from ({{ copied_blocks(source('raw', t)) }})
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

line_shifts as (
    select
        filing_id,
        any_value(source_file) as source_file,
        'line' as shift_unit,
        shift,
        min(source_line) as first_repeated_line,
        cast(null as bigint) as first_repeated_block,
        count(*) as repeated_rows,
        string_agg(distinct raw_table, ', ' order by raw_table) as raw_tables,
    from line_repeats
    group by filing_id, shift
    having count(*) >= 5
),

block_shifts as (
    select
        filing_id,
        any_value(source_file) as source_file,
        'block' as shift_unit,
        shift,
        cast(null as bigint) as first_repeated_line,
        min(block) as first_repeated_block,
        sum(records) as repeated_rows,
        string_agg(distinct raw_table, ', ' order by raw_table) as raw_tables,
    from block_copies
    group by filing_id, shift
),

final as (
    select * from line_shifts
    union all
    select * from block_shifts
)

select * from final
