-- cost_targets_within_budget: the money a budget's cost indicators (成本指标) state, at
-- most (<=, <) or exactly (=), summed per project or department and horizon, against the
-- budget they cost out: a project's amount (midterm horizon: its midterm amount) or a
-- department's 整体 资金总额. Equal says so in `scope`; exceeding fails. Per-capita and
-- per-unit costs (人均, 单价, 每家, 元/人, 万元/分钟, 投入箱/年) are rates, not totals, and are left out.
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
),

fact_target as not materialized (
    select * from {{ ref('fact_target') }}
    where {{ filing_filter() }}
),

dim_indicator as not materialized (
    select * from {{ ref('dim_indicator') }}
),

dim_project as not materialized (
    select * from {{ ref('dim_project') }}
    where {{ filing_filter() }}
),

targets as (
    select t.*
    from fact_target as t
    inner join dim_indicator as i using (indicator_id)
    where i.level1 = '成本指标'
        and t.base_unit = '元'
        and t.comparator in ('<=', '<', '=')
        and t.target_value_base is not null
        and not regexp_matches(t.level3_published || ' ' || t.target_text, '人均|单价|每|/|／')
),

costed as (
    select
        filing_id,
        department_id,
        project_id,
        horizon,
        any_value(fiscal_year) as fiscal_year,
        sum(target_value_base) as cost_yuan,
        count(*) as n,
        any_value(source_file) as source_file,
        min(source_line) as source_line
    from targets
    group by all
),

budgets as (
    select
        filing_id,
        project_id,
        null as department_id,
        'annual' as horizon,
        amount_yuan,
        rounding_yuan
    from lines
    where statement = 'project_budget' and project_id is not null and measure in ('total', 'annual')
    union all
    select
        filing_id,
        project_id,
        null as department_id,
        'midterm' as horizon,
        amount_yuan,
        rounding_yuan
    from lines
    where statement = 'project_budget' and project_id is not null and measure = 'midterm'
    union all
    select
        filing_id,
        null as project_id,
        department_id,
        'annual' as horizon,
        amount_yuan,
        rounding_yuan
    from lines
    where statement = 'overall_budget' and measure = 'total'
),

compared as (
    select
        c.*,
        b.amount_yuan as budget_yuan,
        b.rounding_yuan
    from costed as c
    inner join budgets as b
        on c.filing_id = b.filing_id
            and c.horizon = b.horizon
            and (
                (c.project_id is not null and c.project_id = b.project_id)
                or (c.project_id is null and c.department_id = b.department_id)
            )
),

final as (
    select
        'cost_targets_within_budget' as check_name,
        c.filing_id,
        c.department_id,
        c.fiscal_year,
        coalesce(dp.project_name, '部门整体') || ' / ' || c.horizon || ' / ' || c.n || ' cost targets '
        || case when abs(c.cost_yuan - c.budget_yuan) <= c.rounding_yuan then '= budget'
            when c.cost_yuan < c.budget_yuan then '< budget' else '> budget'
        end as scope,
        '<=' as comparison,
        c.budget_yuan as expected_yuan,
        c.cost_yuan as actual_yuan,
        c.rounding_yuan as tolerance_yuan,
        c.source_file,
        c.source_line
    from compared as c
    left join dim_project as dp using (project_id)
)

select * from final
