-- Budget lines keyed for the reconciliation checks (models/audit/checks): line_key (科目编码,
-- else the normalised label), the entity's level, and the rounding each published figure
-- carries: half a unit of its last printed decimal, in yuan (7723.25 万元 → ±50 元; 5294 万元
-- → ±5000 元). A table (every check reads it; inlined it would be recomputed per check).
with

budget_lines as (
    select * from {{ ref('fact_budget_line') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

filings as (
    select * from {{ ref('dim_filing') }}
),

final as (
    select
        f.*,
        coalesce(f.subject_code, f.line_item_normalised) as line_key,
        d.entity_level,
        d.parent_department_id,
        fl.content_sha256,
        {{ rounding_yuan('f.published_amount', 'f.published_unit') }} as rounding_yuan
    from budget_lines as f
    inner join departments as d using (department_id)
    inner join filings as fl using (filing_id)
)

select * from final
