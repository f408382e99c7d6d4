-- marts.mart_department_year: one row per budget entity × fiscal year, the figures analysts
-- compare across counties and years. Amounts come from fact_budget_line, each with the rule
-- that produced it (total_basis):
--   total   = the entity's 支出总表 合计 / total, else its 部门整体 资金总额 (overall_budget total),
--             else the sum of its project totals;
--   basic   = 支出总表 合计 / basic, else overall_budget basic;
--   project = 支出总表 合计 / project, else overall_budget project, else the sum of project totals;
--   three_public = the 三公 table's 合计 / total.
-- Where a figure is published twice for the same entity and year (two tables, two filings),
-- the first in file and line order is taken: the reconciliation checks say whether they agree.
--
-- One rollup rule for a 部门 (department) and its 单位 (units): the department's total_yuan is
-- the larger of what the department publishes itself (published_total_yuan, by the rule above)
-- and the sum of its units' published totals for the year (units_total_yuan); rollup_basis says
-- which (`published`, `sum_of_units`; a tie is `published`). A unit's total_yuan is what it
-- publishes. A department whose units publish but which publishes nothing itself still has a
-- row, so `entity_level = 'department'` always gives each department's whole budget.
--
-- Budgets only: every amount above comes from 预算 (report_type = 'budget') lines. A 决算 (final
-- accounts) of the same entity and year is never mixed in: its 支出总表 合计 stands apart in
-- final_total_yuan, with execution_rate = final_total_yuan / published_total_yuan where both
-- exist (marts.mart_budget_execution compares them line by line).
-- Import CTEs `not materialized`: each is read by several CTEs, and DuckDB would otherwise keep
-- a copy of it in memory for the whole query (10,000 filings: 1.6 s → 0.3 s).

with

all_lines as not materialized (
    select * from {{ ref('fact_budget_line') }}
),

targets as not materialized (
    select * from {{ ref('fact_target') }}
),

projects as not materialized (
    select * from {{ ref('dim_project') }}
),

filings as not materialized (
    select * from {{ ref('dim_filing') }}
    where status = 'loaded'
),

departments as not materialized (
    select * from {{ ref('dim_department') }}
),

reconciliation as not materialized (
    select * from {{ ref('reconciliation') }}
),

-- logical CTEs

budget_lines as (
    -- 预算 figures only: 决算 (final accounts) figures never enter the budget columns
    select * from all_lines
    where report_type = 'budget'
),

final_totals as (
    -- a 决算's 支出总表 合计 / total: what the entity spent, beside what it budgeted
    select
        department_id,
        fiscal_year,
        arg_min(amount_yuan, (source_file, source_line)) as final_total_yuan
    from all_lines
    where report_type = 'final_accounts'
        and statement = 'expenditure'
        and subject_id is null
        and line_item_normalised = '合计'
        and measure = 'total'
    group by department_id, fiscal_year
),

statement_totals as (
    -- total, basic (基本支出) and project (项目支出) as two statements publish them:
    -- the 支出总表 合计 row, and the 部门整体 form's 资金总额 with its split
    select
        department_id,
        fiscal_year,
        statement,
        arg_min(amount_yuan, (source_file, source_line)) filter (where measure = 'total') as total_yuan,
        arg_min(amount_yuan, (source_file, source_line)) filter (where measure = 'basic') as basic_yuan,
        arg_min(amount_yuan, (source_file, source_line)) filter (where measure = 'project') as project_yuan
    from budget_lines
    where (statement = 'expenditure' and subject_id is null and line_item_normalised = '合计')
        or statement = 'overall_budget'
    group by department_id, fiscal_year, statement
),

expenditure_totals as (
    select * from statement_totals
    where statement = 'expenditure'
),

overall_totals as (
    select * from statement_totals
    where statement = 'overall_budget'
),

project_lines as (
    -- a project's amount is its 预算数 / 资金总额 (measure total) or, in approval forms that
    -- give only 年度 and 中期 amounts, its 年度资金总额 (measure annual)
    select
        *,
        bool_or(measure = 'total') over (partition by department_id, fiscal_year) as has_total_measure
    from budget_lines
    where statement = 'project_budget'
        and measure in ('total', 'annual')
),

project_sums as (
    -- the projects' own amounts; where the filing states only the entity's project line
    -- (no project attached), that line
    select
        department_id,
        fiscal_year,
        coalesce(
            sum(amount_yuan) filter (where project_id is not null),
            sum(amount_yuan) filter (where project_id is null and is_total_line)
        ) as project_sum_yuan
    from project_lines
    where measure = case when has_total_measure then 'total' else 'annual' end
    group by department_id, fiscal_year
),

three_public_totals as (
    select
        department_id,
        fiscal_year,
        arg_min(amount_yuan, (source_file, source_line, value_line)) as three_public_yuan
    from budget_lines
    where statement = 'three_public'
        and measure = 'total'
        and line_item_normalised = '合计'
    group by department_id, fiscal_year
),

project_counts as (
    select
        department_id,
        fiscal_year,
        count(distinct project_id) as project_count
    from projects
    group by department_id, fiscal_year
),

target_counts as (
    select
        department_id,
        fiscal_year,
        count(*) as target_count,
        count(*) filter (where is_quantitative) as quantitative_target_count
    from targets
    group by department_id, fiscal_year
),

reconciliation_counts as (
    select
        department_id,
        fiscal_year,
        count(*) as reconciliation_checks,
        count(*) filter (where status = 'pass') as reconciliation_passed,
        count(*) filter (where status = 'fail') as reconciliation_failed,
        count(*) filter (where status = 'fail' and known_source_error) as reconciliation_known_source_errors
    from reconciliation
    where department_id is not null
    group by department_id, fiscal_year
),

filing_lists as (
    -- the filings that say something about the entity and year
    select
        department_id,
        fiscal_year,
        count(distinct filing_id) as filing_count,
        string_agg(distinct source_file, ', ' order by source_file) as source_files
    from (
        select
            department_id,
            fiscal_year,
            filing_id,
            source_file
        from all_lines
        union
        select
            department_id,
            fiscal_year,
            filing_id,
            source_file
        from targets
        union
        select
            department_id,
            fiscal_year,
            filing_id,
            source_file
        from projects
        union
        select
            department_id,
            fiscal_year,
            filing_id,
            source_file
        from filings
    ) as seen
    where department_id is not null and fiscal_year is not null
    group by department_id, fiscal_year
),

entity_years as (
    -- every entity and year with facts, and the department of every unit with facts
    select
        department_id,
        fiscal_year
    from filing_lists
    union
    select
        d.parent_department_id as department_id,
        fl.fiscal_year
    from filing_lists as fl
    inner join departments as d
        on fl.department_id = d.department_id
    where d.parent_department_id is not null
),

published as (
    -- each entity's own figures, as its filings publish them
    select
        ey.department_id,
        ey.fiscal_year,
        coalesce(e.total_yuan, o.total_yuan, ps.project_sum_yuan) as published_total_yuan,
        case
            when e.total_yuan is not null then 'expenditure_statement'
            when o.total_yuan is not null then 'overall_budget'
            when ps.project_sum_yuan is not null then 'project_sum'
        end as total_basis,
        coalesce(e.basic_yuan, o.basic_yuan) as basic_yuan,
        coalesce(e.project_yuan, o.project_yuan, ps.project_sum_yuan) as project_yuan,
        ps.project_sum_yuan
    from entity_years as ey
    left join expenditure_totals as e
        on ey.department_id = e.department_id and ey.fiscal_year = e.fiscal_year
    left join overall_totals as o
        on ey.department_id = o.department_id and ey.fiscal_year = o.fiscal_year
    left join project_sums as ps
        on ey.department_id = ps.department_id and ey.fiscal_year = ps.fiscal_year
),

units_totals as (
    -- a department's units: the sum of their published totals (units without one add nothing)
    select
        d.parent_department_id as department_id,
        p.fiscal_year,
        sum(p.published_total_yuan) as units_total_yuan,
        count(p.published_total_yuan) as units_with_total
    from published as p
    inner join departments as d
        on p.department_id = d.department_id
    where d.entity_level = 'unit'
        and d.parent_department_id is not null
        and p.published_total_yuan is not null
    group by all
),

rolled_up as (
    select
        p.*,
        u.units_total_yuan,
        case
            when d.entity_level = 'department' and u.units_total_yuan is not null
                and (p.published_total_yuan is null or u.units_total_yuan > p.published_total_yuan)
                then 'sum_of_units'
            when p.published_total_yuan is not null then 'published'
        end as rollup_basis
    from published as p
    inner join departments as d
        on p.department_id = d.department_id
    left join units_totals as u
        on d.entity_level = 'department'
            and p.department_id = u.department_id
            and p.fiscal_year = u.fiscal_year
),

final as (
    select
        ey.department_id,
        ey.fiscal_year,
        make_date(ey.fiscal_year, 1, 1) as fiscal_year_start,
        d.department_name,
        d.entity_level,
        d.parent_department_id,
        d.unit_code,
        d.province,
        d.prefecture,
        d.county,
        d.admin_code,
        d.admin_level,
        cast(
            case when r.rollup_basis = 'sum_of_units' then r.units_total_yuan else r.published_total_yuan end
            as decimal(20, 2)
        ) as total_yuan,
        r.rollup_basis,
        cast(r.published_total_yuan as decimal(20, 2)) as published_total_yuan,
        cast(r.units_total_yuan as decimal(20, 2)) as units_total_yuan,
        cast(r.basic_yuan as decimal(20, 2)) as basic_yuan,
        cast(r.project_yuan as decimal(20, 2)) as project_yuan,
        cast(tp.three_public_yuan as decimal(20, 2)) as three_public_yuan,
        r.total_basis,
        cast(r.project_sum_yuan as decimal(20, 2)) as project_sum_yuan,
        coalesce(pc.project_count, 0) as project_count,
        coalesce(tc.target_count, 0) as target_count,
        coalesce(tc.quantitative_target_count, 0) as quantitative_target_count,
        case
            when tc.target_count > 0 then round(tc.quantitative_target_count / tc.target_count, 4)
        end as quantitative_share,
        cast(ft.final_total_yuan as decimal(20, 2)) as final_total_yuan,
        case
            when r.published_total_yuan > 0 and ft.final_total_yuan is not null
                then round(ft.final_total_yuan / r.published_total_yuan, 4)
        end as execution_rate,
        coalesce(rc.reconciliation_checks, 0) as reconciliation_checks,
        coalesce(rc.reconciliation_passed, 0) as reconciliation_passed,
        coalesce(rc.reconciliation_failed, 0) as reconciliation_failed,
        coalesce(rc.reconciliation_known_source_errors, 0) as reconciliation_known_source_errors,
        coalesce(fl.filing_count, 0) as filing_count,
        fl.source_files
    from entity_years as ey
    inner join departments as d
        on ey.department_id = d.department_id
    inner join rolled_up as r
        on ey.department_id = r.department_id and ey.fiscal_year = r.fiscal_year
    left join filing_lists as fl
        on ey.department_id = fl.department_id and ey.fiscal_year = fl.fiscal_year
    left join three_public_totals as tp
        on ey.department_id = tp.department_id and ey.fiscal_year = tp.fiscal_year
    left join project_counts as pc
        on ey.department_id = pc.department_id and ey.fiscal_year = pc.fiscal_year
    left join target_counts as tc
        on ey.department_id = tc.department_id and ey.fiscal_year = tc.fiscal_year
    left join reconciliation_counts as rc
        on ey.department_id = rc.department_id and ey.fiscal_year = rc.fiscal_year
    left join final_totals as ft
        on ey.department_id = ft.department_id and ey.fiscal_year = ft.fiscal_year
)

select * from final
