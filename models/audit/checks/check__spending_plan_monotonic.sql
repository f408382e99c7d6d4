-- spending_plan_monotonic: a project's cumulative 资金支出计划 never decreases and ends
-- at 100%. Blank periods are no entry. Values are percentages (value_unit = '%').
with

plans as not materialized (
    select * from {{ ref('fact_spending_plan') }}
    where {{ filing_filter() }}
),

projects as not materialized (
    select * from {{ ref('dim_project') }}
    where {{ filing_filter() }}
),

ordered as (
    select
        *,
        lag(cumulative_percent) over (partition by project_id order by period_month) as previous_percent,
        row_number() over (partition by project_id order by period_month desc) as from_end
    from plans
),

per_project as (
    select
        project_id,
        filing_id,
        department_id,
        any_value(fiscal_year) as fiscal_year,
        string_agg(period || ' ' || published_percent, ' → ' order by period_month) as sequence,
        max(cumulative_percent) filter (where from_end = 1) as last_percent,
        count(*) filter (where cumulative_percent < previous_percent) as decreases,
        any_value(source_file) as source_file,
        min(source_line) as source_line
    from ordered
    group by all
),

final as (
    select
        'spending_plan_monotonic' as check_name,
        p.filing_id,
        p.department_id,
        p.fiscal_year,
        coalesce(dp.project_code, dp.project_name) || ' / ' || p.sequence as scope,
        case when p.decreases = 0 then '=' else 'never' end as comparison,
        100.00 as expected_value,
        p.last_percent as actual_value,
        p.source_file,
        p.source_line
    from per_project as p
    inner join projects as dp using (project_id)
)

select * from final
