{{ config(materialized='incremental', meta={'incremental_scope': 'departments'}) }}
-- Budget lines keyed for the reconciliation checks (models/audit/checks): line_key (科目编码,
-- else the normalised label), the entity's level, and the rounding each published figure
-- carries: half a unit of its last printed decimal, in yuan (7723.25 万元 → ±50 元; 5294 万元
-- → ±5000 元). A table (every check reads it; inlined it would be recomputed per check).
-- A statement table is one block of lines to sum within: table_key (the statement and the
-- table's title as printed) and block_key (the unit block a line is printed under, 深圳's
-- per-unit blocks; '' where the table has none). is_block_total marks the line that totals
-- one block: 合计, the unit's own row heading its block, or a table's first row naming the
-- department in place of 合计 (深圳). side_measure: the measure, with a summary's expenditure
-- total column read as `expenditure` whatever its header.
with

budget_lines as (
    select * from {{ ref('fact_budget_line') }}
    where {{ filing_filter() }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

filings as (
    select * from {{ ref('dim_filing') }}
    where {{ filing_filter() }}
),

final as (
    select
        f.*,
        coalesce(f.subject_code, f.line_item_normalised) as line_key,
        f.statement || ' | ' || coalesce(f.table_title, '') as table_key,
        coalesce(f.row_group, '') as block_key,
        (
            f.subject_code is null
            and (
                f.line_item_normalised = '合计'
                or (f.row_group is not null and f.line_item = f.row_group)
                or (
                    f.row_group is null and f.is_total_line
                    and f.statement not in ('three_public', 'project_budget', 'overall_budget')
                    and not regexp_matches(f.line_item_normalised, '(合计|总计|小计)$')
                )
            )
        ) as is_block_total,
        -- a summary's expenditure side: its total column is `expenditure`, or in the 上海 template
        -- (本年支出 > 合计 | 人员经费 | 公用经费 | 项目支出) `current_year_subtotal`
        case
            when
                f.statement in ('income_expenditure_summary', 'fiscal_appropriation_summary')
                and f.measure = 'current_year_subtotal'
                and not bool_or(f.measure = 'expenditure') over (
                    partition by f.filing_id, f.department_id, f.statement, f.table_title
                )
                then 'expenditure'
            else f.measure
        end as side_measure,
        d.entity_level,
        d.parent_department_id,
        fl.content_sha256,
        {{ rounding_yuan('f.published_amount', 'f.published_unit') }} as rounding_yuan
    from budget_lines as f
    inner join departments as d using (department_id)
    inner join filings as fl using (filing_id)
)

select * from final
