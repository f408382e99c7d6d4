-- cross_statement_total: one entity's total agrees across its statements (支出总表 合计
-- is the reference), and each 类 line agrees between 支出总表, 收入总表, 一般公共预算支出表
-- and the 类 lines of 收支总表 / 财政拨款收支总表 (matched by the 类 name). The
-- 一般公共预算 tables are compared only where all the entity's money is general budget
-- (收入总计 = 一般公共预算拨款收入).
with

lines as (
    select * from {{ ref('int_budget_lines__keyed') }}
),

general_only as (
    select distinct
        t.filing_id,
        t.department_id
    from lines as t
    inner join lines as g using (filing_id, department_id, statement)
    where t.statement = 'income_expenditure_summary'
        and t.line_item_normalised = '收入总计' and t.measure = 'income'
        and g.line_item_normalised = '一般公共预算拨款收入' and g.measure = 'income'
        and abs(t.amount_yuan - g.amount_yuan) <= t.rounding_yuan + g.rounding_yuan
),

reference as (
    select * from lines
    where statement = 'expenditure' and measure = 'total'
        and (line_item_normalised = '合计' or length(subject_code) = 3)
),

class_names as (
    -- the 类 name of each level-1 code, to find the class lines of the summaries
    select
        filing_id,
        department_id,
        subject_code,
        line_item_normalised as class_name
    from reference
    where length(subject_code) = 3
),

others as (
    -- totals and class lines of the other statements, keyed like the reference
    select
        l.*,
        case when l.line_item_normalised in ('合计') then '合计' else l.subject_code end as key
    from lines as l
    left join general_only as g using (filing_id, department_id)
    where (
        l.statement = 'income' and l.measure = 'total'
        and (l.line_item_normalised = '合计' or length(l.subject_code) = 3)
    )
    or (
        l.statement in ('general_budget_expenditure') and l.measure = 'total'
        and (l.line_item_normalised = '合计' or length(l.subject_code) = 3)
        and g.filing_id is not null
    )
    or (
        l.statement = 'basic_expenditure' and l.measure = 'total' and l.line_item_normalised = '合计'
        and g.filing_id is not null
    )
    union all
    select
        l.*,
        '合计' as key
    from lines as l
    where l.statement in ('income_expenditure_summary', 'fiscal_appropriation_summary')
        and l.line_item_normalised = '本年支出合计' and l.measure = 'expenditure'
    union all
    select
        l.*,
        c.subject_code as key
    from lines as l
    inner join class_names as c
        on l.filing_id = c.filing_id and l.department_id = c.department_id and l.line_item_normalised = c.class_name
    where l.statement in ('income_expenditure_summary', 'fiscal_appropriation_summary') and l.measure = 'expenditure'
),

compared as (
    select
        o.filing_id,
        o.department_id,
        o.fiscal_year,
        'expenditure / ' || coalesce(r.subject_code, '合计') || ' / '
        || case when o.statement = 'basic_expenditure' then 'basic' else 'total' end
        || ' vs ' || o.statement || ' / ' || o.line_item_normalised || ' / ' || o.measure as scope,
        case when o.statement = 'basic_expenditure' then rb.amount_yuan else r.amount_yuan end as expected_yuan,
        o.amount_yuan as actual_yuan,
        case when o.statement = 'basic_expenditure' then rb.rounding_yuan else r.rounding_yuan end
        + o.rounding_yuan as tolerance_yuan,
        o.source_file,
        o.source_line
    from others as o
    inner join reference as r
        on o.filing_id = r.filing_id and o.department_id = r.department_id
            and coalesce(r.subject_code, '合计') = o.key
    left join lines as rb
        on r.filing_id = rb.filing_id and r.department_id = rb.department_id and rb.statement = 'expenditure'
            and rb.line_item_normalised = '合计' and rb.measure = 'basic' and r.subject_code is null
    where o.statement <> 'basic_expenditure' or rb.amount_yuan is not null
),

final as (
    select
        'cross_statement_total' as check_name,
        filing_id,
        department_id,
        fiscal_year,
        scope,
        '=' as comparison,
        expected_yuan,
        actual_yuan,
        tolerance_yuan,
        source_file,
        source_line
    from compared
)

select * from final
