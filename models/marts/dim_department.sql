with

entities as (
    select * from {{ ref('int_entities__resolved') }}
),

final as (
    -- one row per entity; a department seen in several filings takes the latest year's attributes
    select
        department_id,
        arg_max(entity_name, fiscal_year) as department_name,
        arg_max(entity_level, fiscal_year) as entity_level,
        arg_max(parent_department_id, fiscal_year) as parent_department_id,
        arg_max(unit_code, fiscal_year) as unit_code,
        arg_max(province, fiscal_year) as province,
        arg_max(prefecture, fiscal_year) as prefecture,
        arg_max(county, fiscal_year) as county,
        arg_max(admin_code, fiscal_year) as admin_code,
        arg_max(admin_level, fiscal_year) as admin_level,
        count(distinct filing_id) as filing_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year
    from entities
    group by department_id
)

select * from final
