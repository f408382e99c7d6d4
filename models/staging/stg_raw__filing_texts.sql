with

source as (
    -- a filing's repeated rows (the same content twice in one file) are read once
    {{ without_repeats(source('raw', 'filing_texts')) }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        trim(entity_name) as entity_name,
        nullif(trim(entity_code), '') as entity_code,
        kind,
        trim(text) as text
    from source
)

select * from final
