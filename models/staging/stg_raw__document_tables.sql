with

source as (
    select * from {{ source('raw', 'document_tables') }}
),

final as (
    select
        filing_id,
        source_file,
        cast(table_index as integer) as table_index,
        cast(first_page as integer) as first_page,
        cast(last_page as integer) as last_page,
        sheet,
        source_line,
        nullif(trim(table_title), '') as table_title,
        caption,
        cast(n_rows as integer) as n_rows,
        cast(n_cols as integer) as n_cols,
        cast(n_cells as integer) as n_cells,
        recognised_as,
        cast(facts_loaded as integer) as facts_loaded
    from source
)

select * from final
