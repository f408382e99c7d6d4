/*
Question
    What is each department's spending made of, by 支出功能分类 (functional classification):
    which 类 (level 1, e.g. 210 卫生健康支出) and 款 (level 2, e.g. 21012 财政对基本医疗保险基金的补助)
    take what share of the budget, department by department and year by year?

How to read the result
    One row per entity × fiscal year × subject (类 and 款). `amount_yuan` is the subject's
    total in the entity's 支出总表 (statement `expenditure`, measure `total`). `share_of_total`
    is the amount ÷ the sum of the entity's 类 (equal to the 合计 line when the table
    reconciles: see audit.reconciliation, check subject_children_sum); `share_of_parent` is a
    款's share of its 类 (1 for a 类). Shares are 0–1 with 4 decimals. `source_file` and
    `source_line` point at the line in the filing.

Caveats
    * Only entities that publish a 支出总表 with 科目编码 appear (in the bundled sample: 新乐市
      医疗保障局 and its 单位 本级, 2021). Project-target and approval-form filings have no
      functional classification.
    * A 部门 and its 单位 each have rows (`entity_level` tells them apart); do not add them
      up: filter `entity_level = 'department'` for one figure per department.
    * If an entity publishes the same 支出总表 twice in a year, the first in file and line order
      is used.
*/

with

budget_lines as (
    select * from {{ ref('fact_budget_line') }}
),

subjects as (
    select * from {{ ref('dim_budget_subject') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

-- logical CTEs

function_lines as materialized (
    -- one figure per department, year and code (the first printed, if a filing repeats it)
    select
        b.department_id,
        b.fiscal_year,
        s.subject_level,
        s.subject_code,
        s.subject_name,
        s.parent_subject_code,
        b.amount_yuan,
        b.source_file,
        b.source_line
    from budget_lines as b
    inner join subjects as s
        on b.subject_id = s.subject_id
    where b.statement = 'expenditure'
        and b.measure = 'total'
        and b.subject_id is not null
        and s.classification = 'function'
        and s.subject_level in (1, 2)
    qualify row_number() over (
            partition by b.department_id, b.fiscal_year, s.subject_code order by b.source_file, b.source_line
        ) = 1
),

totals as (
    select
        department_id,
        fiscal_year,
        sum(amount_yuan) as total_yuan
    from function_lines
    where subject_level = 1
    group by all
),

final as (
    select
        l.department_id,
        d.department_name,
        d.entity_level,
        d.county,
        d.prefecture,
        l.fiscal_year,
        l.subject_level,
        case l.subject_level when 1 then '类' when 2 then '款' end as level_name,
        l.subject_code,
        l.subject_name,
        l.parent_subject_code,
        l.amount_yuan,
        t.total_yuan,
        cast(round(l.amount_yuan / nullif(t.total_yuan, 0), 4) as decimal(6, 4)) as share_of_total,
        cast(round(l.amount_yuan / nullif(coalesce(p.amount_yuan, l.amount_yuan), 0), 4) as decimal(6, 4))
            as share_of_parent,
        l.source_file,
        l.source_line
    from function_lines as l
    inner join totals as t
        on l.department_id = t.department_id
            and l.fiscal_year = t.fiscal_year
    inner join departments as d
        on l.department_id = d.department_id
    left join function_lines as p
        on l.department_id = p.department_id
            and l.fiscal_year = p.fiscal_year
            and l.parent_subject_code = p.subject_code
    order by d.department_name, l.fiscal_year, l.subject_code
)

select * from final
