-- narrative_matches_table: every amount the 情况说明 states, matched to the table figure
-- it describes (several topics naming one figure are summed). A figure the tables do not
-- publish defers the check, except a blank cell in a table the entity has (0).
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
),

int_narrative_amounts__mapped as not materialized (
    select * from {{ ref('int_narrative_amounts__mapped') }}
    where {{ filing_filter() }}
),

narrative as (
    select
        filing_id,
        department_id,
        any_value(fiscal_year) as fiscal_year,
        source_file,
        source_line,
        statement,
        line_key,
        measure,
        string_agg(topic || ' ' || published_amount || published_unit, ' + ' order by topic) as topics,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan
    from int_narrative_amounts__mapped
    group by filing_id, department_id, source_file, source_line, statement, line_key, measure
),

tables_present as (
    select distinct
        filing_id,
        department_id,
        statement
    from lines
),

matched as (
    select
        n.*,
        l.amount_yuan as table_yuan,
        l.rounding_yuan as table_rounding,
        l.source_page as table_page,
        l.source_cell as table_cell
    from narrative as n
    inner join tables_present using (filing_id, department_id, statement)
    left join lines as l
        on n.filing_id = l.filing_id and n.department_id = l.department_id and n.statement = l.statement
            and n.line_key = l.line_key and n.measure = l.measure
),

final as (
    select
        'narrative_matches_table' as check_name,
        filing_id,
        department_id,
        fiscal_year,
        topics || ' vs ' || statement || ' / ' || line_key || ' / ' || measure as scope,
        '=' as comparison,
        coalesce(table_yuan, 0) as expected_yuan,
        amount_yuan as actual_yuan,
        rounding_yuan + coalesce(table_rounding, 0) as tolerance_yuan,
        -- the page and cell of the table figure the prose is compared with
        source_file,
        source_line,
        table_page as source_page,
        table_cell as source_cell
    from matched
)

select * from final
