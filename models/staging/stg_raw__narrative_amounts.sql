with

source as (
    -- a filing's repeated rows (the same content twice in one file) are read once
    {{ without_repeats(source('raw', 'narrative_amounts')) }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        trim(entity_name) as entity_name,
        nullif(trim(entity_code), '') as entity_code,
        topic,
        published_amount,
        published_unit,
        cast(
            round(
                cast(regexp_replace(published_amount, '[,，\s]', '', 'g') as decimal(38, 6))
                * {{ yuan_factor('published_unit') }},
                2
            ) as decimal(20, 2)
        ) as amount_yuan,
        sentence
    from source
)

select * from final
