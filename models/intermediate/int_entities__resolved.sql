{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
-- Budget entities of every loaded filing: their level (部门 / 单位), parent and the
-- administrative division they serve, and the department_id every fact joins on.
-- Within a filing an entity is its published code, else its name (entity_ref).
with

filings as (
    select * from {{ ref('stg_raw__filings') }}
    where status = 'loaded' and {{ filing_filter() }}
),

listed_entities as (
    select * from {{ ref('stg_raw__entities') }}
    where {{ filing_filter() }}
),

budget_lines as (
    select * from {{ ref('stg_raw__budget_lines') }}
    where {{ filing_filter() }}
),

projects as (
    select * from {{ ref('stg_raw__projects') }}
    where {{ filing_filter() }}
),

targets as (
    select * from {{ ref('stg_raw__targets') }}
    where {{ filing_filter() }}
),

divisions as (
    select * from {{ ref('admin_divisions') }}
),

named as (
    select
        filing_id,
        entity_name,
        unit_code,
        source_line
    from listed_entities
    union all
    -- the filing's main entity, and any entity a fact names, even if no parser listed it
    select
        filing_id,
        department_name as entity_name,
        unit_code,
        null as source_line
    from filings
    where department_name is not null
    union all
    select
        filing_id,
        entity_name,
        entity_code as unit_code,
        null as source_line
    from budget_lines
    union all
    select
        filing_id,
        entity_name,
        entity_code as unit_code,
        null as source_line
    from projects
    union all
    select
        filing_id,
        entity_name,
        entity_code as unit_code,
        null as source_line
    from targets
),

entities as (
    select
        named.filing_id,
        coalesce(named.unit_code, named.entity_name) as entity_ref,
        -- the name printed next to the code where the filing lists it, else the first one seen
        arg_min(named.entity_name, coalesce(named.source_line, 1e9)) as entity_name,
        any_value(named.unit_code) as unit_code
    from named
    inner join filings using (filing_id)
    where named.entity_name is not null and named.entity_name <> ''
    group by all
),

levelled as (
    select
        e.*,
        -- the party's own offices print 中共 / 中国共产党 before the place: 中共江苏省委办公厅
        regexp_replace(e.entity_name, '^(中共|中国共产党)', '') as match_name,
        f.fiscal_year,
        f.place_mentions,
        case
            when length(e.unit_code) = 6 and parent.entity_ref is not null then 'unit'
            when length(e.unit_code) = 3 then 'department'
            -- the filing's main entity, no code telling otherwise: what the document says it is
            -- (a 单位预算 — 上海 市级单位预算, 无锡 / 福州 单位预算 — is one budget unit's own)
            when e.entity_ref = coalesce(f.unit_code, f.department_name) and f.entity_level_published is not null
                then f.entity_level_published
            else 'department'
        end as entity_level,
        parent.entity_ref as parent_entity_ref
    from entities as e
    inner join filings as f using (filing_id)
    left join entities as parent
        on e.filing_id = parent.filing_id
            and length(e.unit_code) = 6
            and parent.unit_code = left(e.unit_code, 3)
),

-- every division whose name (optionally behind its prefecture's or province's name)
-- starts the entity's name, in use in the filing's fiscal year
candidates as (
    select
        l.filing_id,
        l.entity_ref,
        d.admin_code,
        d.province,
        d.prefecture,
        d.admin_name,
        d.admin_level,
        length(d.admin_name) as match_length,
        (
            (l.place_mentions is not null and list_contains(string_split(l.place_mentions, '|'), d.province))
            or (l.place_mentions is not null and list_contains(string_split(l.place_mentions, '|'), d.prefecture))
        ) as context_mentioned
    from levelled as l
    inner join divisions as d
        on (
            starts_with(l.match_name, d.admin_name)
            or starts_with(l.match_name, coalesce(d.prefecture, '') || d.admin_name)
            or starts_with(l.match_name, d.province || d.admin_name)
        )
        and d.admin_level in ('county', 'prefecture', 'province')
        and length(d.admin_name) >= 2
        and (
            (l.fiscal_year is null and d.status = 'in_use')
            or (
                l.fiscal_year >= d.valid_from_year
                and (d.valid_to_year is null or l.fiscal_year < d.valid_to_year)
            )
        )
),

best_match as (
    select *
    from candidates
    qualify row_number() over (
            partition by filing_id, entity_ref
            order by
                match_length desc,
                context_mentioned desc,
                case admin_level when 'county' then 1 when 'prefecture' then 2 else 3 end,
                admin_code asc
        ) = 1
),

resolved as (
    select
        l.filing_id,
        l.entity_ref,
        l.entity_name,
        l.unit_code,
        l.entity_level,
        l.parent_entity_ref,
        l.fiscal_year,
        -- a central department (国家信访局, 中华人民共和国…部) serves the whole country: 100000
        case
            when m.admin_code is null and regexp_matches(l.match_name, '^(国家|中央|中华人民共和国|全国)') then '100000'
            else m.admin_code
        end as admin_code,
        case
            when m.admin_code is null and regexp_matches(l.match_name, '^(国家|中央|中华人民共和国|全国)') then 'national'
            else m.admin_level
        end as admin_level,
        m.province,
        coalesce(m.prefecture, case when m.admin_level = 'prefecture' then m.admin_name end) as prefecture,
        case when m.admin_level = 'county' then m.admin_name end as county,
        md5(concat_ws(
            '|',
            l.entity_level,
            coalesce(
                m.admin_code,
                case when regexp_matches(l.match_name, '^(国家|中央|中华人民共和国|全国)') then '100000' end,
                '?'
            ),
            l.entity_name
        )) as department_id
    from levelled as l
    left join best_match as m using (filing_id, entity_ref)
),

final as (
    select
        resolved.*,
        parent.department_id as parent_department_id
    from resolved
    left join resolved as parent
        on resolved.filing_id = parent.filing_id
            and resolved.parent_entity_ref = parent.entity_ref
)

select * from final
