/*
Question
    How much budget does each county (or prefecture) plan per insured person (参保人数), year
    by year?

How to read the result
    One row per place × fiscal year. `budget_yuan` is the budget of each 部门 (department)
    of the place, summed over its departments: the department row of
    marts.mart_department_year (`entity_level = 'department'`), whose `total_yuan` is, by the
    mart's one rollup rule, the larger of what the 部门 publishes and the sum of its 单位
    (some filings publish the full budget only for the 单位). Units are never added on top.
    `budget_basis` says where each figure comes from: the department's own
    `expenditure_statement`, `overall_budget` or `project_sum`, or `sum_of_units`. `insured_persons` is the largest
    annual 参保人数 target the place's entities publish: fact_target rows whose 三级指标 name
    mentions 参保 and whose value is a head count (`base_unit = '人'`). `yuan_per_insured` =
    budget_yuan ÷ insured_persons. `insured_indicator` and `insured_source` say which
    target was taken (file:line), `insured_candidates` how many 参保 head-count targets there
    were to choose from.

Caveats
    * 参保人数 here are *targets* (">437000人"), not actual enrolment; the comparator is dropped.
    * The largest count is taken as the insured population: smaller counts are usually
      sub-groups (资助参保对象, 职工医保 vs 居民医保). A filing that states two schemes
      separately (六安市: 职工 >38万人 and 居民 >508万人) is not summed.
    * Where the budget is only the sum of project amounts (`budget_basis = 'project_sum'`,
      e.g. an approval form listing three projects), the per-person figure understates the
      bureau's budget. Places without a 参保人数 target have `yuan_per_insured` null.
    * A prefecture-level body (六安市医疗保险管理中心) is shown at prefecture level
      (`admin_level = 'prefecture'`, `county` null).
*/

with

department_years as (
    select * from {{ ref('mart_department_year') }}
),

targets as (
    select * from {{ ref('fact_target') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

-- logical CTEs

family_budgets as (
    -- one figure per 部门 family and year: the department's total, which includes its units
    -- (rollup_basis); a unit without a department (none in practice) stands for itself
    select
        department_id as family_id,
        fiscal_year,
        total_yuan as budget_yuan,
        case when rollup_basis = 'sum_of_units' then 'sum_of_units' else total_basis end as budget_basis
    from department_years
    where total_yuan is not null
        and (entity_level = 'department' or parent_department_id is null)
),

families as (
    select
        department_id as family_id,
        province,
        prefecture,
        county,
        admin_code,
        admin_level
    from departments
),

insured_targets as (
    select
        coalesce(d.parent_department_id, d.department_id) as family_id,
        t.fiscal_year,
        t.target_value_base as insured_persons,
        i.level3 || ' ' || t.target_text as insured_indicator,
        t.source_file || ':' || t.source_line as insured_source
    from targets as t
    inner join indicators as i
        on t.indicator_id = i.indicator_id
    inner join departments as d
        on t.department_id = d.department_id
    where t.horizon = 'annual'
        and t.base_unit = '人'
        and t.target_value_base is not null
        and i.level3 like '%参保%'
),

place_budgets as (
    select
        f.province,
        f.prefecture,
        f.county,
        f.admin_code,
        f.admin_level,
        b.fiscal_year,
        sum(b.budget_yuan) as budget_yuan,
        string_agg(distinct b.budget_basis, ', ') as budget_basis
    from family_budgets as b
    inner join families as f
        on b.family_id = f.family_id
    group by all
),

place_insured as (
    select
        f.admin_code,
        i.fiscal_year,
        max(i.insured_persons) as insured_persons,
        arg_max(i.insured_indicator, (i.insured_persons, i.insured_source)) as insured_indicator,
        arg_max(i.insured_source, (i.insured_persons, i.insured_source)) as insured_source,
        count(*) as insured_candidates
    from insured_targets as i
    inner join families as f
        on i.family_id = f.family_id
    group by all
),

final as (
    select
        b.province,
        b.prefecture,
        b.county,
        b.admin_code,
        b.admin_level,
        b.fiscal_year,
        cast(b.budget_yuan as decimal(20, 2)) as budget_yuan,
        b.budget_basis,
        cast(i.insured_persons as bigint) as insured_persons,
        cast(round(b.budget_yuan / i.insured_persons, 2) as decimal(20, 2)) as yuan_per_insured,
        i.insured_indicator,
        i.insured_source,
        coalesce(i.insured_candidates, 0) as insured_candidates
    from place_budgets as b
    left join place_insured as i
        on b.admin_code = i.admin_code
            and b.fiscal_year = i.fiscal_year
    order by b.fiscal_year, b.admin_code
)

select * from final
