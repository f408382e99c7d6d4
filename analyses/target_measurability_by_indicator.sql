/*
Question
    Which kinds of target are measurable? The share of quantitative against qualitative
    target values per 二级指标 (second-level indicator: 数量指标, 质量指标, 时效指标,
    社会效益指标, 服务对象满意度指标 …), over all filings.

How to read the result
    One row per canonical 一级 × 二级 indicator (dim_indicator.level1 / level2, English labels
    beside). `targets` counts target values, `quantitative` those the value parser read as a
    comparator and number (or a deadline), `quantitative_share` their share (0–1, 4
    decimals); `filings` how many filings use the 二级指标. Sorted from the least measurable.

Caveats
    * Department-wide targets stated only in prose have no 一级/二级: they are grouped under
      null.
    * Annual and midterm values both count.
*/

with

targets as (
    select * from {{ ref('fact_target') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

-- logical CTEs

final as (
    select
        i.level1,
        i.level2,
        i.level1_en,
        i.level2_en,
        count(*) as targets,
        count(*) filter (where t.is_quantitative) as quantitative,
        count(*) filter (where not t.is_quantitative) as qualitative,
        cast(round(count(*) filter (where t.is_quantitative) / count(*), 4) as decimal(6, 4)) as quantitative_share,
        count(distinct t.filing_id) as filings
    from targets as t
    inner join indicators as i
        on t.indicator_id = i.indicator_id
    group by i.level1, i.level2, i.level1_en, i.level2_en
    order by quantitative_share asc, targets desc, i.level1 asc, i.level2 asc
)

select * from final
