with

source as (
    -- a filing's repeated rows (the same content twice in one file) are read once
    {{ without_repeats(source('raw', 'spending_plans')) }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        value_line,
        project_key,
        period,
        cast(period_month as integer) as period_month,
        published_percent,
        try_cast(replace(replace(published_percent, '%', ''), '％', '') as decimal(9, 2)) as cumulative_percent
    from source
)

select * from final
