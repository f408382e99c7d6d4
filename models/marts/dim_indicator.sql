with

targets as (
    select * from {{ ref('int_targets__canonicalised') }}
),

taxonomy as (
    select * from {{ ref('indicator_taxonomy') }}
),

indicators as (
    select distinct
        indicator_id,
        level1,
        level2,
        level3
    from targets
),

level2_en as (
    select distinct
        canonical_level1,
        canonical_level2,
        level1_en,
        level2_en
    from taxonomy
    where published_level = 2
),

level1_en as (
    select distinct
        canonical_level1,
        level1_en
    from taxonomy
    where published_level = 1
),

final as (
    select
        t.indicator_id,
        t.level1,
        t.level2,
        t.level3,
        l1.level1_en,
        tx.level2_en
    from indicators as t
    left join level2_en as tx
        on t.level1 = tx.canonical_level1 and t.level2 = tx.canonical_level2
    left join level1_en as l1
        on t.level1 = l1.canonical_level1
)

select * from final
