{#- int_targets__canonicalised looks a printed 一级/二级 name up as printed or with 指标
    appended (社会效益 → 社会效益指标). That lookup is one row per target only while no name
    of the seed is another name of the same level plus 指标: fails on such a pair. -#}
select
    short.published_level,
    short.name_published as short_name,
    long.name_published as long_name
from {{ ref('indicator_taxonomy') }} as short
inner join {{ ref('indicator_taxonomy') }} as long
    on short.published_level = long.published_level
        and long.name_published = short.name_published || '指标'
