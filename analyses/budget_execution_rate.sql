/*
Question
    Where a department published both its 预算 (budget) and its 决算 (final accounts) for a
    year, how much of the budget was spent, in total and by 功能分类 类 (function class)?

How to read the result
    One row per entity, year and line of the 支出表 (expenditure statement, measure total) that
    the budget or the final accounts publish at 合计 or 类 level: budget_yuan, final_yuan, their
    difference and execution_rate (final ÷ budget, 0.9712 = 97.12 %). `matched` says whether the
    line stands in both (`both`) or in one only (a class added or dropped during the year).
    Pages point at both documents.

Caveats
    * Only entity-years with both documents in the warehouse have rows: the bundled samples are
      all budgets, so on them the result is empty.
    * A 决算 reports what was spent from every source, 上年结转 included: an execution rate
      above 1 is not necessarily an overrun.
    * Lines are matched by 科目编码 (or the label 合计): a class renamed between years
      (2024's subject reform) shows as budget_only plus final_only.
*/

with

execution as (
    select * from {{ ref('mart_budget_execution') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

-- logical CTEs

class_level as (
    select *
    from execution
    where statement = 'expenditure'
        and measure = 'total'
        and (line_key = '合计' or length(subject_code) = 3)
),

final as (
    select
        d.department_name,
        d.entity_level,
        e.fiscal_year,
        e.line_key,
        e.line_item,
        e.budget_yuan,
        e.final_yuan,
        e.difference_yuan,
        e.execution_rate,
        e.matched,
        e.budget_source_file,
        e.budget_source_page,
        e.final_source_file,
        e.final_source_page
    from class_level as e
    inner join departments as d
        on e.department_id = d.department_id
    order by d.department_name asc, e.fiscal_year asc, e.line_key = '合计' desc, e.line_key
)

select * from final
