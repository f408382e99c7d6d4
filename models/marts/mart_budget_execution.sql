-- marts.mart_budget_execution: 决算 (final accounts) against 预算 (budget), line by line, for
-- every entity and fiscal year that has both. A line is matched by statement (the same
-- contract names serve both: a 支出决算表 is `expenditure`), its 科目编码 (else its normalised
-- label, e.g. 合计) and its measure (total, basic, project …). Where a filing publishes a line
-- twice (two blocks, a continuation page) the first in file and line order is taken, as in
-- mart_department_year.

with

budget_lines as (
    select * from {{ ref('fact_budget_line') }}
),

-- logical CTEs

both_kinds as (
    -- entity-years with a 预算 and a 决算 (found first, so that only their lines are grouped)
    select
        department_id,
        fiscal_year
    from budget_lines
    where report_type in ('budget', 'final_accounts')
    group by all
    having count(distinct report_type) = 2
),

keyed as (
    select
        l.*,
        coalesce(l.subject_code, l.line_item_normalised) as line_key
    from budget_lines as l
    semi join both_kinds as k
        on l.department_id = k.department_id
            and l.fiscal_year = k.fiscal_year
    where l.project_id is null
        and l.amount_yuan is not null
),

firsts as (
    select
        department_id,
        fiscal_year,
        report_type,
        statement,
        line_key,
        measure,
        arg_min(amount_yuan, (source_file, source_line, value_line)) as amount_yuan,
        arg_min(line_item, (source_file, source_line, value_line)) as line_item,
        arg_min(subject_code, (source_file, source_line, value_line)) as subject_code,
        arg_min(is_total_line, (source_file, source_line, value_line)) as is_total_line,
        arg_min(source_file, (source_file, source_line, value_line)) as source_file,
        arg_min(source_page, (source_file, source_line, value_line)) as source_page,
        arg_min(source_cell, (source_file, source_line, value_line)) as source_cell
    from keyed
    group by all
),

budget as (
    select * from firsts
    where report_type = 'budget'
),

final_accounts as (
    select * from firsts
    where report_type = 'final_accounts'
),

compared as (
    select
        coalesce(b.department_id, f.department_id) as department_id,
        coalesce(b.fiscal_year, f.fiscal_year) as fiscal_year,
        coalesce(b.statement, f.statement) as statement,
        coalesce(b.line_key, f.line_key) as line_key,
        coalesce(b.measure, f.measure) as measure,
        coalesce(b.subject_code, f.subject_code) as subject_code,
        coalesce(b.line_item, f.line_item) as line_item,
        coalesce(b.is_total_line, f.is_total_line) as is_total_line,
        b.amount_yuan as budget_yuan,
        f.amount_yuan as final_yuan,
        b.source_file as budget_source_file,
        b.source_page as budget_source_page,
        b.source_cell as budget_source_cell,
        f.source_file as final_source_file,
        f.source_page as final_source_page,
        f.source_cell as final_source_cell
    from budget as b
    full outer join final_accounts as f
        on b.department_id = f.department_id
            and b.fiscal_year = f.fiscal_year
            and b.statement = f.statement
            and b.line_key = f.line_key
            and b.measure = f.measure
),

final as (
    select
        md5(concat_ws('|', c.department_id, c.fiscal_year, c.statement, c.line_key, c.measure)) as execution_line_id,
        c.department_id,
        c.fiscal_year,
        make_date(c.fiscal_year, 1, 1) as fiscal_year_start,
        c.statement,
        c.line_key,
        c.measure,
        c.subject_code,
        c.line_item,
        c.is_total_line,
        cast(c.budget_yuan as decimal(20, 2)) as budget_yuan,
        cast(c.final_yuan as decimal(20, 2)) as final_yuan,
        cast(c.final_yuan - c.budget_yuan as decimal(20, 2)) as difference_yuan,
        case
            when c.budget_yuan > 0 and c.final_yuan is not null then round(c.final_yuan / c.budget_yuan, 4)
        end as execution_rate,
        case
            when c.budget_yuan is not null and c.final_yuan is not null then 'both'
            when c.budget_yuan is not null then 'budget_only'
            else 'final_only'
        end as matched,
        c.budget_source_file,
        c.budget_source_page,
        c.budget_source_cell,
        c.final_source_file,
        c.final_source_page,
        c.final_source_cell
    from compared as c
)

select * from final
