with

source as (
    select * from {{ source('raw', 'entities') }}
),

final as (
    -- distinct: a filing read by two parsers (statements and target tables, word_budget and
    -- word_targets) has its entity listed by each, on the same line; it is one entity
    select distinct
        filing_id,
        source_file,
        source_line,
        trim(entity_name) as entity_name,
        nullif(trim(unit_code), '') as unit_code
    from source
)

select * from final
