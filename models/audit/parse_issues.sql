with

issues as (
    select * from {{ ref('stg_raw__parse_issues') }}
),

value_issues as (
    -- 指标值 text the value parser could not read: kept whole on the fact row, counted here
    select
        filing_id,
        source_file,
        value_line as source_line,
        'warning' as severity,
        'target_value_unparsed' as code,
        '指标值 ' || chr(34) || target_text || chr(34) || ' not parsed: ' || value_parse_issue as message,
    from {{ ref('stg_raw__targets') }}
    where value_parse_issue is not null
),

unioned as (
    select * from issues
    union all
    select * from value_issues
),

final as (
    select
        md5(concat_ws('|', filing_id, source_line, code, message)) as issue_id,
        filing_id,
        source_file,
        source_line,
        severity,
        code,
        message,
    from unioned
)

select * from final
