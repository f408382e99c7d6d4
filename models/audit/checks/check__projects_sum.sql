-- projects_sum_to_project_expenditure: the projects of a department sum to the
-- department's project line and to its 整体 项目支出; the projects a 情况说明 lists
-- (reference.narrative_topics role = project) sum to 支出总表 合计 项目支出.
with

lines as (
    select * from {{ ref('int_budget_lines__keyed') }}
),

narrative_amounts as (
    select * from {{ ref('int_narrative_amounts__mapped') }}
),

projects as (
    -- project totals with the department they roll up to (their own, or its parent)
    select
        l.*,
        coalesce(l.parent_department_id, l.department_id) as rollup_department_id
    from lines as l
    where l.statement = 'project_budget' and l.project_id is not null and l.measure in ('total', 'annual')
),

department_lines as (
    select * from lines
    where statement = 'project_budget' and project_id is null and measure = 'total'
),

overall_lines as (
    select * from lines
    where statement = 'overall_budget' and measure = 'project'
),

by_department as (
    select
        rollup_department_id as department_id,
        filing_id,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        count(*) as n
    from projects
    group by all
),

by_entity as (
    select
        department_id,
        filing_id,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        count(*) as n
    from projects
    group by all
),

narrative as (
    -- the project list of a 支出说明: project amounts on a line that also states 项目支出
    select
        n.filing_id,
        n.department_id,
        n.source_line,
        n.source_file,
        n.fiscal_year,
        sum(n.amount_yuan) as amount_yuan,
        sum(n.rounding_yuan) as rounding_yuan,
        count(*) as n
    from narrative_amounts as n
    where n.role = 'project'
        and exists (
            select 1 from narrative_amounts as total
            where total.filing_id = n.filing_id and total.department_id = n.department_id
                and total.source_line = n.source_line
                and total.statement = 'expenditure' and total.line_key = '合计' and total.measure = 'project'
        )
    group by all
),

project_expenditure as (
    select * from lines
    where statement = 'expenditure' and line_item_normalised = '合计' and measure = 'project'
),

final as (
    select
        'projects_sum_to_project_expenditure' as check_name,
        d.filing_id,
        d.department_id,
        d.fiscal_year,
        'project_budget / ' || d.line_item || ' = sum of ' || p.n || ' projects' as scope,
        '=' as comparison,
        d.amount_yuan as expected_yuan,
        p.amount_yuan as actual_yuan,
        d.rounding_yuan + p.rounding_yuan as tolerance_yuan,
        d.source_file,
        d.source_line
    from department_lines as d
    inner join by_department as p using (filing_id, department_id)
    union all
    select
        'projects_sum_to_project_expenditure' as check_name,
        o.filing_id,
        o.department_id,
        o.fiscal_year,
        'overall_budget / 项目支出 = sum of ' || p.n || ' projects' as scope,
        '=' as comparison,
        o.amount_yuan as expected_yuan,
        p.amount_yuan as actual_yuan,
        o.rounding_yuan + p.rounding_yuan as tolerance_yuan,
        o.source_file,
        o.source_line
    from overall_lines as o
    inner join by_entity as p using (filing_id, department_id)
    union all
    select
        'projects_sum_to_project_expenditure' as check_name,
        e.filing_id,
        e.department_id,
        e.fiscal_year,
        'expenditure / 合计 / project = sum of ' || n.n || ' projects in the 情况说明 (line ' || n.source_line || ')'
            as scope,
        '=' as comparison,
        e.amount_yuan as expected_yuan,
        n.amount_yuan as actual_yuan,
        e.rounding_yuan + n.rounding_yuan as tolerance_yuan,
        n.source_file,
        n.source_line
    from project_expenditure as e
    inner join narrative as n using (filing_id, department_id)
)

select * from final
