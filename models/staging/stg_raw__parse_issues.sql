with

source as (
    select * from {{ source('raw', 'parse_issues') }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        cast(source_page as integer) as source_page,
        severity,
        code,
        message
    from source
)

select * from final
