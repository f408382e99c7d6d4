with

filings as (
    select * from {{ ref('stg_raw__filings') }}
),

main_entity as (
    -- the filing's main entity: the department it is about
    select
        e.filing_id,
        e.department_id,
    from {{ ref('int_entities__resolved') }} as e
    inner join filings as f
        on f.filing_id = e.filing_id
        and e.entity_ref = coalesce(f.unit_code, f.department_name)
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
        f.published_unit,
        f.status,
        f.duplicate_of,
        f.encoding,
        f.content_sha256,
        f.layouts,
        f.line_count,
    from filings as f
    left join main_entity as m using (filing_id)
)

select * from final
