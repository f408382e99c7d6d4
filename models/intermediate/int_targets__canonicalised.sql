{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
-- Targets with the canonical indicator frame (contract: dim_indicator).
-- Rules, in order:
--   0. a printed name is looked up as printed (blanks removed) or with 指标 appended:
--      filings print 社会效益 for 社会效益指标, 经济成本 for 经济成本指标 (广州 项目支出绩效目标表).
--   1. level2: the published 二级 name through the taxonomy seed; an unrecognised or
--      missing 二级 takes the canonical 二级 of the row above in the same table;
--      still none → the default 二级 of the canonical 一级 (成本指标 → 经济成本指标).
--   2. level1: taken from the canonical level2 (so a blank 一级, or one that
--      contradicts its 二级 such as 成本指标 over 质量指标, follows the 二级); a row
--      with no level2 at all keeps its published 一级 through the taxonomy.
with

targets as (
    select * from {{ ref('stg_raw__targets') }}
    where {{ filing_filter() }}
),

taxonomy as (
    select * from {{ ref('indicator_taxonomy') }}
),

level1_defaults as (
    select * from {{ ref('indicator_level1_defaults') }}
),

named as (
    select
        *,
        regexp_replace(level1_published, '\s', '', 'g') as level1_name,
        regexp_replace(level2_published, '\s', '', 'g') as level2_name
    from targets
),

looked_up as (
    select
        t.*,
        l2.canonical_level2 as level2_direct,
        coalesce(l1.canonical_level1, l2_as_l1.canonical_level1) as level1_direct
    from named as t
    left join taxonomy as l2
        on l2.published_level = 2 and l2.name_published in (t.level2_name, t.level2_name || '指标')
    left join taxonomy as l1
        on l1.published_level = 1 and l1.name_published in (t.level1_name, t.level1_name || '指标')
    left join taxonomy as l2_as_l1
        -- a 一级 name standing in the 二级 column (drifted columns)
        on l2_as_l1.published_level = 1 and l2.name_published is null
            and l2_as_l1.name_published in (t.level2_name, t.level2_name || '指标')
),

carried as (
    select
        *,
        coalesce(
            level2_direct,
            case when level2_published is not null or level1_direct is null then
                    last_value(level2_direct ignore nulls) over (
                        partition by filing_id, entity_name, project_key, horizon
                        order by table_index, source_page, source_line, value_line, source_cell
                        rows between unbounded preceding and 1 preceding
                    )
            end
        ) as level2_carried
    from looked_up
),

-- the 一级 each canonical 二级 belongs to
level2_frames as (
    select distinct
        canonical_level1,
        canonical_level2
    from taxonomy
    where published_level = 2
),

resolved as (
    select
        c.*,
        coalesce(c.level2_carried, d.default_level2) as level2
    from carried as c
    left join level1_defaults as d
        on c.level1_direct = d.canonical_level1
),

framed as (
    select
        r.*,
        coalesce(tx.canonical_level1, r.level1_direct) as level1,
        regexp_replace(
            translate(r.level3_published, '（）：，；％　“”', '():,;% ""'),
            '\s+', '', 'g'
        ) as level3
    from resolved as r
    left join level2_frames as tx
        on r.level2 = tx.canonical_level2
),

final as (
    select
        *,
        md5(concat_ws('|', coalesce(level1, '?'), coalesce(level2, '?'), level3)) as indicator_id
    from framed
)

select * from final
