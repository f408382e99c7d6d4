with

targets as (
    select distinct indicator_id, level1, level2, level3 from {{ ref('int_targets__canonicalised') }}
),

taxonomy as (
    select distinct canonical_level1, canonical_level2, level1_en, level2_en
    from {{ ref('indicator_taxonomy') }}
    where published_level = 2
),

level1_en as (
    select distinct canonical_level1, level1_en from {{ ref('indicator_taxonomy') }} where published_level = 1
),

final as (
    select
        t.indicator_id,
        t.level1,
        t.level2,
        t.level3,
        l1.level1_en,
        tx.level2_en,
    from targets as t
    left join taxonomy as tx
        on tx.canonical_level1 = t.level1 and tx.canonical_level2 = t.level2
    left join level1_en as l1
        on l1.canonical_level1 = t.level1
)

select * from final
