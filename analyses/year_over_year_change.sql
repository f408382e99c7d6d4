/*
Question
    How did each department's budget and targets change from one year to the next?

How to read the result
    One row per entity and year that has an earlier year in the warehouse: `previous_year` is
    the latest earlier fiscal year of the same entity (department_id is stable across years:
    same level, division and name → same key), `years_apart` usually 1. For total, basic,
    project and 三公 amounts (yuan, from marts.mart_department_year): the previous value, the
    current value, the change and the change in % of the previous value (`*_change_pct`,
    e.g. 1.29 = +1.29 %). Project and target counts and the quantitative share of targets are
    compared the same way.

Caveats
    * An entity seen in one year only has no row: the bundled sample has one year per
      department, so on it this query returns no rows.
    * A change of `total_basis` between years (e.g. 支出总表 one year, project sum the next)
      makes the totals incomparable: both bases are shown; so does a change of `rollup_basis`
      (a department's own figure one year, the sum of its units the next).
    * A 部门 and its 单位 each have rows; a 部门's total includes its 单位 (the mart's rollup
      rule): filter `entity_level = 'department'` to add changes up across departments.
    * Entities are matched by key, i.e. by name as published: a renamed bureau starts afresh.
*/

with

department_years as (
    select * from {{ ref('mart_department_year') }}
),

-- logical CTEs

sequenced as (
    select
        *,
        lag(fiscal_year) over w as previous_year,
        lag(total_yuan) over w as previous_total_yuan,
        lag(total_basis) over w as previous_total_basis,
        lag(rollup_basis) over w as previous_rollup_basis,
        lag(basic_yuan) over w as previous_basic_yuan,
        lag(project_yuan) over w as previous_project_yuan,
        lag(three_public_yuan) over w as previous_three_public_yuan,
        lag(project_count) over w as previous_project_count,
        lag(target_count) over w as previous_target_count,
        lag(quantitative_share) over w as previous_quantitative_share
    from department_years
    window w as (partition by department_id order by fiscal_year)
),

final as (
    select
        department_id,
        department_name,
        entity_level,
        province,
        prefecture,
        county,
        previous_year,
        fiscal_year,
        fiscal_year - previous_year as years_apart,
        previous_total_basis,
        total_basis,
        previous_rollup_basis,
        rollup_basis,
        previous_total_yuan,
        total_yuan,
        total_yuan - previous_total_yuan as total_change_yuan,
        cast(round(100 * (total_yuan - previous_total_yuan) / nullif(previous_total_yuan, 0), 2) as decimal(10, 2))
            as total_change_pct,
        previous_basic_yuan,
        basic_yuan,
        basic_yuan - previous_basic_yuan as basic_change_yuan,
        cast(round(100 * (basic_yuan - previous_basic_yuan) / nullif(previous_basic_yuan, 0), 2) as decimal(10, 2))
            as basic_change_pct,
        previous_project_yuan,
        project_yuan,
        project_yuan - previous_project_yuan as project_change_yuan,
        cast(
            round(100 * (project_yuan - previous_project_yuan) / nullif(previous_project_yuan, 0), 2) as decimal(10, 2)
        ) as project_change_pct,
        previous_three_public_yuan,
        three_public_yuan,
        three_public_yuan - previous_three_public_yuan as three_public_change_yuan,
        previous_project_count,
        project_count,
        previous_target_count,
        target_count,
        previous_quantitative_share,
        quantitative_share
    from sequenced
    where previous_year is not null
    order by department_name, department_id, fiscal_year
)

select * from final
