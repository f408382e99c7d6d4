with

source as (
    -- a filing's repeated rows (the same content twice in one file) are read once
    {{ without_repeats(source('raw', 'budget_lines')) }}
),

typed as (
    select
        *,
        -- 2,858.5 → 2858.5 ; 834.02万元 → 834.02
        cast(
            regexp_replace(
                regexp_replace(published_amount, '[,，\s]|[万千亿]?元', '', 'g'),
                '^[－−]', '-'
            ) as decimal(38, 6)
        ) as published_value
    from source
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        value_line,
        trim(entity_name) as entity_name,
        nullif(trim(entity_code), '') as entity_code,
        statement,
        table_title,
        line_item,
        {{ normalise_label('line_item') }} as line_item_normalised,
        measure,
        column_label,
        published_amount,
        published_unit,
        published_value,
        cast(round(published_value * {{ yuan_factor('published_unit') }}, 2) as decimal(20, 2)) as amount_yuan,
        subject_code,
        classification,
        project_key,
        is_total_line,
        source_page,
        coalesce(source_cell, 'line ' || coalesce(value_line, source_line)) as source_cell,
        table_index,
        row_group
    from typed
)

select * from final
