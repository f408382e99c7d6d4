with

source as (
    -- a filing's repeated rows (the same content twice in one file) are read once
    {{ without_repeats(source('raw', 'targets')) }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        coalesce(value_line, source_line) as value_line,
        trim(entity_name) as entity_name,
        nullif(trim(entity_code), '') as entity_code,
        project_key,
        horizon,
        nullif(trim(level1_published), '') as level1_published,
        nullif(trim(level2_published), '') as level2_published,
        trim(level3) as level3_published,
        trim(coalesce(target_text, '')) as target_text,
        nullif(trim(description), '') as description,
        nullif(trim(basis), '') as basis,
        nullif(trim(unit_published), '') as unit_published,
        nullif(trim(value_type_published), '') as value_type_published,
        nullif(trim(comparator_published), '') as comparator_published,
        nullif(trim(value_content_published), '') as value_content_published,
        comparator,
        try_cast(target_value as decimal(38, 6)) as target_value,
        target_unit,
        try_cast(target_value_base as decimal(38, 6)) as target_value_base,
        base_unit,
        target_date,
        coalesce(is_quantitative, false) as is_quantitative,
        value_parse_issue,
        source_page,
        coalesce(source_cell, 'line ' || coalesce(value_line, source_line)) as source_cell,
        table_index
    from source
)

select * from final
