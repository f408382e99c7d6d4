-- income_equals_expenditure: 收入总计 = 支出总计 in 收支总表 and 财政拨款收支总表, and
-- 本年收入合计 = 本年支出合计 (收入合计 = 支出合计) where the statement carries nothing over: a nonzero 上年结转 /
-- 结余 line on the income side or 结转下年 line on the expenditure side (or any nonzero line printed
-- under 本年收入合计 / 本年支出合计, 上级补助收入 in 山东's template) makes the year's own
-- income and spending differ by design (收入总计 = 本年收入合计 + 上年结转 still equals
-- 支出总计 = 本年支出合计 + 结转下年, which the first pair checks).
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where statement in ('income_expenditure_summary', 'fiscal_appropriation_summary') and {{ filing_filter() }}
),

pairs as (
    -- 收入合计 / 支出合计: the grand totals of a statement without 总计 lines (福州), the year's own
    -- totals in one with them
    select
        p.income_line,
        p.expenditure_line,
        p.current_year_only
    from (
        values ('收入总计', '支出总计', false), ('本年收入合计', '本年支出合计', true), ('收入合计', '支出合计', true)
    ) as p (income_line, expenditure_line, current_year_only)
),

carrying as (
    -- statements that carry money into or out of the year, or print a nonzero line under the
    -- year's own total on its side (烟台 p.6: 上级补助收入 3,403.00 under 本年收入合计)
    select distinct
        l.filing_id,
        l.department_id,
        l.table_key
    from lines as l
    left join lines as t
        on l.filing_id = t.filing_id and l.department_id = t.department_id and l.table_key = t.table_key
            and l.side_measure = t.side_measure and t.line_item_normalised in ('本年收入合计', '本年支出合计')
    where (
        regexp_matches(l.line_item_normalised, '结转|结余')
        or (coalesce(l.source_page, 0), l.source_line) > (coalesce(t.source_page, 0), t.source_line)
    )
    and l.amount_yuan <> 0
    and not l.is_block_total and not regexp_matches(l.line_item_normalised, '(合计|总计)$')
),

compared as (
    select
        i.filing_id,
        i.department_id,
        i.fiscal_year,
        i.statement,
        p.income_line,
        p.expenditure_line,
        i.amount_yuan as expected_yuan,
        e.amount_yuan as actual_yuan,
        i.rounding_yuan + e.rounding_yuan as tolerance_yuan,
        i.source_file,
        i.source_line,
        i.source_page,
        i.source_cell
    from pairs as p
    inner join lines as i on p.income_line = i.line_item_normalised and i.measure = 'income'
    inner join lines as e
        on i.filing_id = e.filing_id and i.department_id = e.department_id and i.statement = e.statement
            and i.table_key = e.table_key
            and p.expenditure_line = e.line_item_normalised and e.side_measure = 'expenditure'
    left join carrying as c
        on i.filing_id = c.filing_id and i.department_id = c.department_id and i.table_key = c.table_key
    where not p.current_year_only or c.filing_id is null
),

final as (
    select
        'income_equals_expenditure' as check_name,
        filing_id,
        department_id,
        fiscal_year,
        statement || ' / ' || income_line || ' = ' || expenditure_line as scope,
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
