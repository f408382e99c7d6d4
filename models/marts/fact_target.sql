{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
with

targets as (
    select * from {{ ref('int_targets__canonicalised') }}
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
        t.*,
        e.department_id,
        f.fiscal_year,
        f.report_type,
        p.project_id,
        row_number() over (
            partition by t.filing_id, t.source_page, t.source_line, t.horizon, t.level3_published
            order by t.value_line, t.target_text
        ) as ordinal
    from targets as t
    inner join filings as f using (filing_id)
    inner join entities as e
        on t.filing_id = e.filing_id
            and e.entity_ref = coalesce(t.entity_code, t.entity_name)
    left join projects as p
        on t.filing_id = p.filing_id
            and t.project_key = p.project_key
),

final as (
    select
        md5(
            concat_ws(
                '|',
                filing_id,
                department_id,
                coalesce(project_id, '-'),
                source_page,
                source_line,
                horizon,
                level3_published,
                ordinal
            )
        ) as target_id,
        filing_id,
        department_id,
        fiscal_year,
        make_date(fiscal_year, 1, 1) as fiscal_year_start,
        project_id,
        indicator_id,
        horizon,
        level1_published,
        level2_published,
        level3_published,
        target_text,
        comparator,
        cast(target_value as decimal(20, 4)) as target_value,
        target_unit,
        cast(target_value_base as decimal(24, 4)) as target_value_base,
        base_unit,
        target_date,
        is_quantitative,
        value_type_published,
        comparator_published,
        value_content_published,
        unit_published,
        description,
        basis,
        report_type,
        source_file,
        source_line,
        value_line,
        source_page,
        source_cell
    from joined
)

select * from final
