{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
with

projects as (
    select * from {{ ref('int_projects__classified') }}
    where {{ filing_filter() }}
),

final as (
    select
        project_id,
        department_id,
        fiscal_year,
        project_code,
        project_name,
        project_attribute,
        funding_level,
        source_document_no,
        goal_annual,
        goal_midterm,
        purpose,
        title as table_title,
        filing_id,
        source_file,
        source_line
    from projects
)

select * from final
