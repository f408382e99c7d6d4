-- subject_children_sum: each 类 equals the sum of its 款, each 款 the sum of its 项, in
-- every measure column of every coded statement; the block's total line (合计, or the unit's
-- own row above its block) equals the sum of the 类. Sums are taken within one statement
-- table and one unit block of it (深圳 lists each budget unit's rows under the unit's row).
-- A blank cell on a row that exists is 0; a parent row that is absent defers the check.
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where statement in (
            'income', 'expenditure', 'general_budget_expenditure', 'basic_expenditure',
            'government_fund_expenditure', 'state_capital_expenditure'
        )
        and {{ filing_filter() }}
),

coded as (
    select * from lines
    where subject_code is not null
),

-- the lines that stand for a parent: a coded line for its code, a block's total line for 合计
parent_lines as (
    select
        *,
        subject_code as parent_key
    from coded
    union all by name
    select
        *,
        '合计' as parent_key
    from lines
    where is_block_total
),

parent_rows as (
    -- rows that exist (any cell), with their provenance
    select
        filing_id,
        department_id,
        table_key,
        block_key,
        statement,
        parent_key,
        min(source_line) as source_line,
        any_value(source_file) as source_file,
        any_value(fiscal_year) as fiscal_year,
        arg_min(source_page, source_line) as source_page
    from parent_lines
    group by all
),

children as (
    select
        filing_id,
        department_id,
        table_key,
        block_key,
        statement,
        case when length(subject_code) = 3 then '合计' else left(subject_code, length(subject_code) - 2) end
            as parent_key,
        measure,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        count(*) as figures
    from coded
    group by all
),

parents as (
    -- a code printed on several rows of one block is checked as their sum (烟台 p.16-17: 505
    -- 对事业单位经常性补助 once beside 301 工资福利支出, once beside 302 商品和服务支出)
    select
        filing_id,
        department_id,
        table_key,
        block_key,
        statement,
        subject_code as parent_key,
        measure,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        arg_min(source_cell, (coalesce(source_page, 0), source_line)) as source_cell
    from coded
    group by all
    union all
    select
        filing_id,
        department_id,
        table_key,
        block_key,
        statement,
        '合计' as parent_key,
        measure,
        amount_yuan,
        rounding_yuan,
        source_cell
    from lines
    where is_block_total
),

compared as (
    select
        p_row.filing_id,
        p_row.department_id,
        p_row.fiscal_year,
        p_row.statement,
        p_row.block_key,
        p_row.parent_key,
        coalesce(p.measure, c.measure) as measure,
        coalesce(p.amount_yuan, 0) as expected_yuan,
        coalesce(c.amount_yuan, 0) as actual_yuan,
        coalesce(p.rounding_yuan, 0) + coalesce(c.rounding_yuan, 0) as tolerance_yuan,
        p_row.source_file,
        p_row.source_line,
        p_row.source_page,
        p.source_cell
    from parents as p
    full outer join children as c using (filing_id, department_id, table_key, block_key, statement, parent_key, measure)
    inner join parent_rows as p_row
        on p_row.filing_id = coalesce(p.filing_id, c.filing_id)
            and p_row.department_id = coalesce(p.department_id, c.department_id)
            and p_row.table_key = coalesce(p.table_key, c.table_key)
            and p_row.block_key = coalesce(p.block_key, c.block_key)
            and p_row.statement = coalesce(p.statement, c.statement)
            and p_row.parent_key = coalesce(p.parent_key, c.parent_key)
    -- only parents that have children rows in the table
    where exists (
            select 1 from children as k
            where k.filing_id = p_row.filing_id and k.department_id = p_row.department_id
                and k.table_key = p_row.table_key and k.block_key = p_row.block_key
                and k.statement = p_row.statement and k.parent_key = p_row.parent_key
        )
),

final as (
    select
        'subject_children_sum' as check_name,
        filing_id,
        department_id,
        fiscal_year,
        statement || ' / ' || case when block_key <> '' then block_key || ' / ' else '' end
        || parent_key || ' / ' || measure as scope,
        '=' as comparison,
        expected_yuan,
        actual_yuan,
        tolerance_yuan,
        source_file,
        source_line,
        source_page,
        source_cell
    from compared
)

select * from final
