{{ config(materialized='table') }}
-- Shifts at which a filing repeats itself: at least 5 rows identical to earlier rows of
-- the same file (but for their line), all the same number of lines further down. See
-- macros/without_repeats.sql. One row per filing and shift.
{%- set repeatable = [
    'budget_lines', 'targets', 'narrative_amounts', 'projects', 'spending_plans', 'statement_tables', 'filing_texts',
] %}

with

{% for t in repeatable %}
{{ t }} as (
    -- each row with its occurrence among identical rows of its filing, and its shift
    {{ numbered_rows(source('raw', t)) }}
),
{% endfor %}

repeats as (
    {%- for t in repeatable %}
    select
        '{{ t }}' as raw_table,
        filing_id,
        source_file,
        _shift as shift,
        source_line
    from {{ t }}
    where _occurrence > 1
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        filing_id,
        any_value(source_file) as source_file,
        shift,
        min(source_line) as first_repeated_line,
        count(*) as repeated_rows,
        string_agg(distinct raw_table, ', ' order by raw_table) as raw_tables
    from repeats
    group by filing_id, shift
    having count(*) >= 5
)

select * from final
