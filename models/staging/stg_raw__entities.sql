with

source as (
    select * from {{ source('raw', 'entities') }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        trim(entity_name) as entity_name,
        nullif(trim(unit_code), '') as unit_code,
    from source
)

select * from final
