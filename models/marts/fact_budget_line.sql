{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
with

lines as (
    select * from {{ ref('stg_raw__budget_lines') }}
    where {{ filing_filter() }}
),

filings as (
    select * from {{ ref('stg_raw__filings') }}
    where status = 'loaded' and {{ filing_filter() }}
),

entities as (
    select * from {{ ref('int_entities__resolved') }}
    where {{ filing_filter() }}
),

projects as (
    select
        project_id,
        filing_id,
        project_key
    from {{ ref('int_projects__classified') }}
    where {{ filing_filter() }}
),

joined as (
    select
        l.*,
        e.department_id,
        f.fiscal_year,
        f.report_type,
        p.project_id,
        case when l.subject_code is not null then md5(l.classification || '|' || l.subject_code) end as subject_id
    from lines as l
    inner join filings as f using (filing_id)
    inner join entities as e
        on l.filing_id = e.filing_id
            and e.entity_ref = coalesce(l.entity_code, l.entity_name)
    left join projects as p
        on l.filing_id = p.filing_id
            and l.project_key = p.project_key
),

final as (
    select
        md5(
            concat_ws(
                '|',
                filing_id,
                department_id,
                statement,
                source_page,
                source_line,
                value_line,
                source_cell,
                measure,
                line_item
            )
        ) as budget_line_id,
        filing_id,
        department_id,
        fiscal_year,
        make_date(fiscal_year, 1, 1) as fiscal_year_start,
        project_id,
        statement,
        subject_id,
        subject_code,
        line_item,
        line_item_normalised,
        measure,
        amount_yuan,
        published_amount,
        published_unit,
        is_total_line,
        row_group,
        table_title,
        column_label,
        report_type,
        source_file,
        source_line,
        value_line,
        source_page,
        source_cell
    from joined
)

select * from final
