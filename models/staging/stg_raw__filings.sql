with

source as (
    select * from {{ source('raw', 'filings') }}
),

final as (
    select
        filing_id,
        source_file,
        sha256,
        content_sha256,
        bytes,
        encoding,
        status,
        duplicate_of,
        doc_kinds,
        layouts,
        nullif(trim(department_name), '') as department_name,
        unit_code,
        cast(fiscal_year as integer) as fiscal_year,
        published_unit,
        place_mentions,
        line_count,
        document_format,
        cast(pages as integer) as pages,
        cast(table_count as integer) as table_count,
        coalesce(report_type, 'budget') as report_type,
        -- what the document says it is: unit (单位预算) | department (部门预算) | null (not said)
        entity_level_published
    from source
)

select * from final
