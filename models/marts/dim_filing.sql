{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
with

filings as (
    select * from {{ ref('stg_raw__filings') }}
    where {{ filing_filter() }}
),

entities as (
    select * from {{ ref('int_entities__resolved') }}
    where {{ filing_filter() }}
),

filing_texts as (
    select * from {{ ref('stg_raw__filing_texts') }}
    where {{ filing_filter() }}
),

main_entity as (
    -- the filing's main entity: the department it is about
    select
        e.filing_id,
        e.department_id
    from entities as e
    inner join filings as f
        on e.filing_id = f.filing_id
            and e.entity_ref = coalesce(f.unit_code, f.department_name)
),

texts as (
    -- the department-level goal prose, one column per kind, kept as published
    select
        filing_id,
        string_agg(text, chr(10) order by source_line) filter (where kind = 'overall_goal') as overall_goal_text,
        string_agg(text, chr(10) order by source_line) filter (where kind = 'sub_goals') as sub_goals_text,
        string_agg(text, chr(10) order by source_line) filter (where kind = 'safeguards') as safeguards_text,
        string_agg(text, chr(10) order by source_line) filter (where kind = 'duties') as duties_text
    from filing_texts
    group by filing_id
),

final as (
    select
        f.filing_id,
        f.source_file,
        f.sha256,
        f.bytes,
        f.doc_kinds as doc_kind,
        m.department_id,
        f.fiscal_year,
        make_date(f.fiscal_year, 1, 1) as fiscal_year_start,
        f.published_unit,
        f.status,
        f.duplicate_of,
        f.encoding,
        f.content_sha256,
        f.layouts,
        f.line_count,
        f.report_type,
        f.document_format,
        f.pages,
        f.table_count,
        t.overall_goal_text,
        t.sub_goals_text,
        t.safeguards_text,
        t.duties_text
    from filings as f
    left join main_entity as m using (filing_id)
    left join texts as t using (filing_id)
)

select * from final
