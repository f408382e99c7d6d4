-- projects_sum_to_project_expenditure: the projects of a department sum to the
-- department's project line and to its 整体 项目支出; the projects a 情况说明 lists
-- (reference.narrative_topics role = project) sum to 支出总表 合计 项目支出.
-- A 项目支出绩效目标表 that prints its own total rows (广州, 长沙: a 合计 row on top, then a
-- subtotal row per 资金使用单位) is checked table by table: the table's first total row is
-- its 合计, the sum of every project of the table whatever unit spends it; a later total row
-- is its unit's subtotal, the sum of that unit's projects in the table.
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
),

int_narrative_amounts__mapped as not materialized (
    select * from {{ ref('int_narrative_amounts__mapped') }}
    where {{ filing_filter() }}
),

projects as (
    -- project totals with the department they roll up to (their own, or its parent)
    select
        l.*,
        coalesce(l.parent_department_id, l.department_id) as rollup_department_id
    from lines as l
    where l.statement = 'project_budget' and l.project_id is not null and l.measure in ('total', 'annual')
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

department_lines as (
    -- a project table's total rows, the first of each table marked as the table's 合计
    select
        *,
        row_number() over (
            partition by filing_id, table_key order by source_page nulls first, source_line, value_line
        ) = 1 as is_table_total
    from lines
    where statement = 'project_budget' and project_id is null and measure = 'total'
),

by_table as (
    select
        filing_id,
        table_key,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        count(*) as n
    from projects
    group by all
),

by_table_entity as (
    select
        filing_id,
        table_key,
        department_id,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        count(*) as n
    from projects
    group by all
),

department_sums as (
    -- each total row with the projects it adds up: its table's (合计) or its unit's in the
    -- table (subtotal); a total row of a table that lists no project (the text exports print
    -- the department's line apart from its projects) takes the department's projects
    select
        d.*,
        coalesce(
            case when d.is_table_total then t.amount_yuan else te.amount_yuan end, p.amount_yuan
        ) as projects_yuan,
        coalesce(
            case when d.is_table_total then t.rounding_yuan else te.rounding_yuan end, p.rounding_yuan
        ) as projects_rounding_yuan,
        coalesce(case when d.is_table_total then t.n else te.n end, p.n) as projects_n
    from department_lines as d
    left join by_table as t
        on d.filing_id = t.filing_id and d.table_key = t.table_key
    left join by_table_entity as te
        on d.filing_id = te.filing_id and d.table_key = te.table_key and d.department_id = te.department_id
    left join by_department as p
        on d.filing_id = p.filing_id and d.department_id = p.department_id and t.n is null
),

filings_with_project_totals as (
    select distinct filing_id from department_lines
),

overall_lines as (
    -- 整体 项目支出, compared only in a filing whose project tables print a total of their own:
    -- a list without one may set targets for some projects only (北京 预算12表: 27 projects,
    -- 6,971.78万, no 合计, against 项目支出 99,735.06万)
    select l.*
    from lines as l
    semi join filings_with_project_totals as t
        on l.filing_id = t.filing_id
    where l.statement = 'overall_budget' and l.measure = 'project'
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
    from int_narrative_amounts__mapped as n
    where n.role = 'project'
        and exists (
            select 1 from int_narrative_amounts__mapped as total
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
        'project_budget / ' || d.line_item || ' = sum of ' || d.projects_n || ' projects' as scope,
        '=' as comparison,
        d.amount_yuan as expected_yuan,
        d.projects_yuan as actual_yuan,
        d.rounding_yuan + d.projects_rounding_yuan as tolerance_yuan,
        d.source_file,
        d.source_line,
        d.source_page,
        d.source_cell
    from department_sums as d
    where d.projects_yuan is not null
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
        o.source_line,
        o.source_page,
        o.source_cell
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
        n.source_line,
        cast(null as bigint) as source_page,
        cast(null as varchar) as source_cell
    from project_expenditure as e
    inner join narrative as n using (filing_id, department_id)
)

select * from final
