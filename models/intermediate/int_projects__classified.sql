{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
-- Projects with their department, a stable key, and what their names say about
-- the funding level (中央/省级/市级/县级) and the allocation document (冀财社〔2019〕101号).
with

projects as (
    select * from {{ ref('stg_raw__projects') }}
    where {{ filing_filter() }}
),

entities as (
    select * from {{ ref('int_entities__resolved') }}
    where {{ filing_filter() }}
),

texts as (
    select
        p.*,
        e.department_id,
        e.fiscal_year,
        concat_ws(' ', p.project_name, p.title) as name_text,
        concat_ws(' ', p.goal_annual, p.goal_midterm, p.purpose) as other_text
    from projects as p
    inner join entities as e
        on p.filing_id = e.filing_id
            and e.entity_ref = coalesce(p.entity_code, p.entity_name)
),

classified as (
    select
        *,
        coalesce({{ funding_level('name_text') }}, {{ funding_level('other_text') }}) as funding_level,
        regexp_extract(
            name_text,
            '(\p{Han}{1,6})\s*[\[【〔(（]\s*((?:19|20)\d\d)\s*[\]】〕)）]\s*(\d+)\s*号',
            ['issuer', 'year', 'number']
        ) as doc_parts
    from texts
),

final as (
    select
        md5(concat_ws('|', filing_id, project_key)) as project_id,
        filing_id,
        project_key,
        department_id,
        fiscal_year,
        project_code,
        project_name,
        project_attribute,
        funding_level,
        case
            when doc_parts['issuer'] <> ''
                then doc_parts['issuer'] || '〔' || doc_parts['year'] || '〕' || doc_parts['number'] || '号'
        end as source_document_no,
        goal_annual,
        goal_midterm,
        purpose,
        title,
        source_file,
        source_line
    from classified
)

select * from final
