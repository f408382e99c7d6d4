{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
-- Narrative (情况说明) amounts with the table figure each describes, through
-- reference.narrative_topics (topic phrase → statement, line, measure), for the
-- reconciliation checks (models/audit/checks). Topics that describe changes (增加, 减少 …)
-- and unmapped topics are left out. A table (read by several checks).
with

narrative_amounts as (
    select * from {{ ref('stg_raw__narrative_amounts') }}
    where {{ filing_filter() }}
),

entities as (
    select * from {{ ref('int_entities__resolved') }}
    where {{ filing_filter() }}
),

filings as (
    select * from {{ ref('stg_raw__filings') }}
    where status = 'loaded' and {{ filing_filter() }}
),

topics as (
    select * from {{ ref('narrative_topics') }}
),

amounts as (
    select
        n.*,
        d.department_id,
        f.fiscal_year
    from narrative_amounts as n
    inner join entities as d
        on n.filing_id = d.filing_id and d.entity_ref = coalesce(n.entity_code, n.entity_name)
    inner join filings as f on n.filing_id = f.filing_id
),

-- topics repeat across filings: match each distinct topic against the patterns once
topic_matches as (
    select
        d.topic,
        arg_min(t.statement, t.topic_pattern) as statement,
        arg_min(t.line_key, t.topic_pattern) as line_key,
        arg_min(t.measure, t.topic_pattern) as measure,
        arg_min(t.role, t.topic_pattern) as role
    from (select distinct topic from amounts) as d
    inner join topics as t
        on regexp_full_match(d.topic, t.topic_pattern)
    where not regexp_matches(d.topic, '增加|减少|增长|下降|持平|增减')
    group by d.topic
),

final as (
    select
        a.filing_id,
        a.department_id,
        a.fiscal_year,
        a.source_file,
        a.source_line,
        a.topic,
        a.published_amount,
        a.published_unit,
        a.amount_yuan,
        {{ rounding_yuan('a.published_amount', 'a.published_unit') }} as rounding_yuan,
        m.statement,
        m.line_key,
        m.measure,
        m.role
    from amounts as a
    inner join topic_matches as m using (topic)
    qualify row_number() over (
            partition by a.filing_id, a.source_line, a.topic, a.published_amount order by a.entity_code nulls last
        ) = 1
)

select * from final
