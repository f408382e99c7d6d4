with

source as (
    select * from {{ source('raw', 'filing_texts') }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        trim(entity_name) as entity_name,
        nullif(trim(entity_code), '') as entity_code,
        kind,
        trim(text) as text,
    from source
)

select * from final
