-- Reconciliation health for dashboards: one row per filing × department-year × check,
-- plus the filing-level and department-year-level totals (grain column says which).
with

checks as (
    select * from {{ ref('reconciliation') }}
),

departments as (
    select
        department_id,
        department_name
    from {{ ref('dim_department') }}
),

filings as (
    select
        filing_id,
        source_file
    from {{ ref('dim_filing') }}
),

grouped as (
    select
        case
            when grouping(check_name) = 0 then 'filing_check'
            when grouping(department_id) = 0 then 'department_year'
            else 'filing'
        end as grain,
        filing_id,
        department_id,
        fiscal_year,
        check_name,
        count(*) as checks_run,
        count(*) filter (where status = 'pass') as passed,
        count(*) filter (where status = 'fail') as failed,
        count(*) filter (where status = 'fail' and known_source_error) as known_source_errors,
        count(*) filter (where status = 'fail' and not known_source_error) as unexplained_failures
    from checks
    -- SQLFluff's DuckDB dialect cannot parse GROUPING SETS (DuckDB can): exempt from parsing
    group by grouping sets (  -- noqa: PRS
        (filing_id, fiscal_year, check_name), (filing_id, fiscal_year), (department_id, fiscal_year)
    )
),

final as (
    select
        md5(concat_ws('|', g.grain, g.filing_id, g.department_id, g.fiscal_year, g.check_name)) as summary_id,
        g.grain,
        g.filing_id,
        f.source_file,
        g.department_id,
        d.department_name,
        g.fiscal_year,
        g.check_name,
        g.checks_run,
        g.passed,
        g.failed,
        g.known_source_errors,
        g.unexplained_failures,
        round(g.passed / g.checks_run, 4) as pass_rate
    from grouped as g
    left join filings as f using (filing_id)
    left join departments as d using (department_id)
)

select * from final
