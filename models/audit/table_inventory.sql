{{ config(materialized='incremental', meta={'incremental_scope': 'filings'}) }}
-- Every table any reader found in any file, recognised or not (表格清单).
with

tables as (
    select * from {{ ref('stg_raw__document_tables') }}
    where {{ filing_filter() }}
),

cells as (
    select * from {{ ref('stg_raw__table_cells') }}
    where {{ filing_filter() }}
),

filings as (
    select
        filing_id,
        status,
        document_format
    from {{ ref('stg_raw__filings') }}
    where {{ filing_filter() }}
),

amount_cells as (
    select
        filing_id,
        table_index,
        count(*) filter (where looks_like_amount) as amount_cells
    from cells
    group by filing_id, table_index
),

final as (
    select
        md5(concat_ws('|', t.filing_id, t.table_index)) as table_id,
        t.filing_id,
        t.source_file,
        f.document_format,
        t.table_index,
        t.first_page as source_page,
        t.last_page,
        t.sheet,
        t.source_line,
        t.table_title,
        t.caption,
        t.n_rows,
        t.n_cols,
        t.n_cells,
        coalesce(a.amount_cells, 0) as amount_cells,
        t.recognised_as,
        t.facts_loaded,
        f.status as filing_status
    from tables as t
    inner join filings as f using (filing_id)
    left join amount_cells as a using (filing_id, table_index)
)

select * from final
