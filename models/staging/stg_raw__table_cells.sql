with

source as (
    select * from {{ source('raw', 'table_cells') }}
),

final as (
    select
        filing_id,
        source_file,
        cast(table_index as integer) as table_index,
        cast(row_index as integer) as row_index,
        cast(col_index as integer) as col_index,
        cast(rowspan as integer) as rowspan,
        cast(colspan as integer) as colspan,
        cell_text,
        cast(source_page as integer) as source_page,
        cast(source_row as integer) as source_row,
        cast(source_col as integer) as source_col,
        source_line,
        x0,
        top,
        x1,
        bottom,
        source_cell,
        -- a cell that reads as an amount (2,858.50; -12.00; 110,387.976749)
        regexp_matches(cell_text, '^[-－−]?[0-9][0-9,，]*(\.[0-9]+)?$') as looks_like_amount
    from source
)

select * from final
