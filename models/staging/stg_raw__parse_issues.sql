with

source as (
    select * from {{ source('raw', 'parse_issues') }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        severity,
        code,
        message,
    from source
)

select * from final
