{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
with

plans as (
    select * from {{ ref('stg_raw__spending_plans') }}
    where {{ filing_filter() }}
),

projects as (
    select
        project_id,
        filing_id,
        project_key,
        department_id,
        fiscal_year
    from {{ ref('int_projects__classified') }}
    where {{ filing_filter() }}
),

final as (
    select
        md5(concat_ws('|', p.project_id, plans.period_month)) as spending_plan_id,
        plans.filing_id,
        p.department_id,
        p.fiscal_year,
        p.project_id,
        plans.period,
        plans.period_month,
        plans.cumulative_percent,
        plans.published_percent,
        plans.source_file,
        plans.source_line,
        plans.value_line
    from plans
    inner join projects as p using (filing_id, project_key)
)

select * from final
