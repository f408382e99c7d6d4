with

issues as (
    select * from {{ ref('stg_raw__parse_issues') }}
),

targets as (
    select * from {{ ref('stg_raw__targets') }}
),

budget_lines as (
    select * from {{ ref('fact_budget_line') }}
),

repeated_blocks as (
    select * from {{ ref('stg_raw__repeated_blocks') }}
),

value_issues as (
    -- 指标值 text the value parser could not read: kept whole on the fact row, counted here
    select
        filing_id,
        source_file,
        value_line as source_line,
        source_page,
        'warning' as severity,
        'target_value_unparsed' as code,
        '指标值 ' || chr(34) || target_text || chr(34) || ' not parsed: ' || value_parse_issue as message
    from targets
    where value_parse_issue is not null
),

claims as (
    select distinct
        filing_id,
        source_file,
        department_id,
        fiscal_year,
        statement
    from budget_lines
),

overlapping as (
    -- two different files claiming the same department, year and statement: both kept.
    -- One warning per pair of files and statement: distinct, as the pair can overlap on
    -- several entities (a 部门 and its 单位) with the same message
    select distinct
        a.filing_id,
        a.source_file,
        cast(null as bigint) as source_line,
        cast(null as integer) as source_page,
        'warning' as severity,
        'overlapping_filings' as code,
        a.source_file || ' and ' || b.source_file || ' both publish ' || a.statement
        || ' for the same entity and year ' || a.fiscal_year || '; both are kept' as message
    from claims as a
    inner join claims as b
        on a.department_id = b.department_id
            and a.fiscal_year = b.fiscal_year
            and a.statement = b.statement
            and a.filing_id <> b.filing_id
),

repeated as (
    -- a file holding the same content again further down: its copies were read once
    select
        filing_id,
        any_value(source_file) as source_file,
        min(first_repeated_line) as source_line,
        cast(null as integer) as source_page,
        'warning' as severity,
        'repeated_content' as code,
        'the file repeats its content ' || cast(count(*) as varchar) || ' time(s) from '
        || case
            when bool_and(shift_unit = 'block')
                then 'page ' || cast(min(first_repeated_block) as varchar) || ', a copy of the page '
                    || cast(min(shift) as varchar) || ' before'
            else 'line ' || cast(min(first_repeated_line) as varchar)
        end
        || ' (' || cast(sum(repeated_rows) as varchar)
        || ' rows identical to earlier ones); each figure was read once; check that it is one filing, '
        || 'not copies pasted together' as message
    from repeated_blocks
    group by filing_id
),

unioned as (
    select * from issues
    union all by name
    select * from value_issues
    union all by name
    select * from overlapping
    union all by name
    select * from repeated
),

final as (
    select
        md5(concat_ws('|', filing_id, source_page, source_line, code, message)) as issue_id,
        filing_id,
        source_file,
        source_line,
        source_page,
        severity,
        code,
        message
    from unioned
)

select * from final
