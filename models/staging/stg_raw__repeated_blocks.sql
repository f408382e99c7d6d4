{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
-- Where a filing repeats itself (see macros/without_repeats.sql). Text exports: the shifts
-- at which at least 5 rows identical to earlier rows of the same file (but for their line)
-- stand the same number of lines further down (shift_unit `line`). Pages and sheets: each
-- page that repeats an earlier one record for record (shift_unit `block`, shift = how many
-- pages further on). One row per filing, unit and shift.
{%- set repeatable = [
    'budget_lines', 'targets', 'narrative_amounts', 'projects', 'spending_plans', 'statement_tables', 'filing_texts',
] %}

with

{% for t in repeatable %}
{{ t ~ '_lines' }} as (
    -- text rows with their occurrence among identical rows of their filing, and their shift
    {{ numbered_rows(source('raw', t), filter=filing_filter()) }}
),

{{ t ~ '_pages' }} as (
    -- pages that copy an earlier page of their filing record for record
    {{ copied_blocks(source('raw', t), filter=filing_filter()) }}
),
{% endfor %}

line_repeats as (
    {%- for t in repeatable %}
    select
        '{{ t }}' as raw_table,
        filing_id,
        source_file,
        _shift as shift,
        source_line
    from {{ t ~ '_lines' }}
    where _occurrence > 1 and _shift > 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

block_copies as (
    {%- for t in repeatable %}
    select
        '{{ t }}' as raw_table,
        filing_id,
        source_file,
        block - first_block as shift,
        block,
        records
    from {{ t ~ '_pages' }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

line_shifts as (
    select
        filing_id,
        shift,
        any_value(source_file) as source_file,
        'line' as shift_unit,
        min(source_line) as first_repeated_line,
        cast(null as bigint) as first_repeated_block,
        count(*) as repeated_rows,
        string_agg(distinct raw_table, ', ' order by raw_table) as raw_tables
    from line_repeats
    group by filing_id, shift
    having count(*) >= 5
),

block_shifts as (
    select
        filing_id,
        shift,
        any_value(source_file) as source_file,
        'block' as shift_unit,
        cast(null as bigint) as first_repeated_line,
        min(block) as first_repeated_block,
        sum(records) as repeated_rows,
        string_agg(distinct raw_table, ', ' order by raw_table) as raw_tables
    from block_copies
    group by filing_id, shift
),

final as (
    select
        filing_id,
        source_file,
        shift_unit,
        shift,
        first_repeated_line,
        first_repeated_block,
        repeated_rows,
        raw_tables
    from line_shifts
    union all
    select
        filing_id,
        source_file,
        shift_unit,
        shift,
        first_repeated_line,
        first_repeated_block,
        repeated_rows,
        raw_tables
    from block_shifts
)

select * from final
