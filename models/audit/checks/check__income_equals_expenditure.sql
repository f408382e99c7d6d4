-- income_equals_expenditure: 收入总计 = 支出总计 and 本年收入合计 = 本年支出合计 in
-- 收支总表 and 财政拨款收支总表.
with

lines as (
    select * from {{ ref('int_budget_lines__keyed') }}
    where statement in ('income_expenditure_summary', 'fiscal_appropriation_summary')
),

pairs as (
    select
        p.income_line,
        p.expenditure_line
    from (values ('收入总计', '支出总计'), ('本年收入合计', '本年支出合计')) as p (income_line, expenditure_line)
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
        i.source_line
    from pairs as p
    inner join lines as i on p.income_line = i.line_item_normalised and i.measure = 'income'
    inner join lines as e
        on i.filing_id = e.filing_id and i.department_id = e.department_id and i.statement = e.statement
            and p.expenditure_line = e.line_item_normalised and e.measure = 'expenditure'
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
        source_line
    from compared
)

select * from final
