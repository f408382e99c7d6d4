/*
Question
    How ambitious are the targets counties set themselves? Satisfaction targets (满意度) and
    coverage targets (参保率 enrolment rate, 覆盖率/覆盖面 coverage) side by side, county by
    county and year by year.

How to read the result
    One row per place (county, or prefecture for a prefecture-level body) × fiscal year.
    For each family of targets: how many annual targets there are (`*_targets`), how many of
    them give a percentage (`*_numeric`), and the lowest, median and highest percentage
    (`*_min_pct`, `*_median_pct`, `*_max_pct`); `*_texts` lists the distinct 指标值 as
    published. A satisfaction target is an annual target whose 三级指标 name mentions 满意
    (满意度, 满意率), whatever 一级/二级 the filing filed it under; a coverage target one whose
    name mentions 参保率 or 覆盖. Targets whose value is a count of something else (186 个
    定点医药机构, 2053人) belong to neither.

Caveats
    * Only percentages are compared (`base_unit = '%'`); "≥90" without a % sign, prose
      (重点对象全覆盖, 不低于上年) and blank 指标值 count in `*_targets` but not in the figures.
    * A value of at most 1 published without a % sign under a % unit (湘阴县 003 writes 1.00
      with 度量单位 %) is read as a fraction (1.00 → 100%); `satisfaction_read_as_fraction`
      counts them.
    * The comparator is dropped: ">90%" and "=90%" both count as 90.
    * Midterm (中长期) targets are left out; a target repeated in several projects counts
      once per project.
*/

with

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

families as (
    -- classify the (few) indicators once, not every target row
    select
        indicator_id,
        case
            when level3 like '%满意%' then 'satisfaction'
            when level3 like '%参保率%' or level3 like '%覆盖%' then 'coverage'
        end as family
    from indicators
    where level3 like '%满意%' or level3 like '%参保率%' or level3 like '%覆盖%'
),

classified as (
    select
        d.province,
        d.prefecture,
        d.county,
        d.admin_code,
        d.admin_level,
        t.fiscal_year,
        t.target_text,
        f.family,
        t.base_unit = '%' and t.target_value_base is not null as is_numeric,
        t.base_unit = '%' and t.target_value_base <= 1 and not contains(t.target_text, '%') as read_as_fraction,
        case
            when t.base_unit <> '%' then null
            when t.target_value_base <= 1 and not contains(t.target_text, '%') then t.target_value_base * 100
            else t.target_value_base
        end as target_pct
    from targets as t
    inner join families as f
        on t.indicator_id = f.indicator_id
    inner join departments as d
        on t.department_id = d.department_id
    where t.horizon = 'annual'
        and coalesce(t.base_unit, '%') = '%'  -- a count (186 个) is not a rate
),

final as (
    select
        province,
        prefecture,
        county,
        admin_code,
        admin_level,
        fiscal_year,
        count(*) filter (where family = 'satisfaction') as satisfaction_targets,
        count(*) filter (where family = 'satisfaction' and is_numeric) as satisfaction_numeric,
        min(target_pct) filter (where family = 'satisfaction') as satisfaction_min_pct,
        median(target_pct) filter (where family = 'satisfaction') as satisfaction_median_pct,
        max(target_pct) filter (where family = 'satisfaction') as satisfaction_max_pct,
        count(*) filter (where family = 'satisfaction' and read_as_fraction) as satisfaction_read_as_fraction,
        string_agg(distinct target_text, ' | ' order by target_text) filter (
            where family = 'satisfaction' and target_text <> ''
        ) as satisfaction_texts,
        count(*) filter (where family = 'coverage') as coverage_targets,
        count(*) filter (where family = 'coverage' and is_numeric) as coverage_numeric,
        min(target_pct) filter (where family = 'coverage') as coverage_min_pct,
        median(target_pct) filter (where family = 'coverage') as coverage_median_pct,
        max(target_pct) filter (where family = 'coverage') as coverage_max_pct,
        string_agg(distinct target_text, ' | ' order by target_text) filter (
            where family = 'coverage' and target_text <> ''
        ) as coverage_texts
    from classified
    where family is not null
    group by province, prefecture, county, admin_code, admin_level, fiscal_year
    order by fiscal_year, admin_code
)

select * from final
