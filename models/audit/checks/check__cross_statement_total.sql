-- cross_statement_total: one entity's total agrees across its statements (支出总表 合计
-- is the reference), and each 类 line agrees between 支出总表, 收入总表, 一般公共预算支出表
-- and the 类 lines of 收支总表 (matched by the 类 name). The 一般公共预算 tables are
-- compared with the 支出总表 only where all the entity's money is general budget
-- (收入总计 = 一般公共预算拨款收入). 财政拨款收支总表 states fiscal appropriations only:
-- its 类 lines and 本年支出合计 are compared with the 一般公共预算支出表 (its
-- 一般公共预算 column always; its 合计 column where no 政府性基金 / 国有资本 money is
-- appropriated), where it carries no 上年结转 into the year. A 决算 (final accounts) 收入表
-- states the year's income, not its spending: it is not compared.
-- Statements listing several units' blocks (深圳) are compared block by block; the
-- department-level summaries against the department's total row and the sum of the blocks'
-- 类 lines.
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
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

other_funds as (
    -- entities whose 财政拨款收支总表 appropriates 政府性基金 or 国有资本经营 money
    select distinct
        filing_id,
        department_id
    from lines
    where statement = 'fiscal_appropriation_summary' and measure = 'income' and amount_yuan <> 0
        and regexp_matches(line_item_normalised, '政府性基金|国有资本')
),

fiscal_carrying as (
    -- 财政拨款收支总表 spending last year's appropriations too (上年结转): its 类 lines then include
    -- money a 一般公共预算支出表 of the year's appropriation does not (国家信访局 p.9 / p.10)
    select distinct
        filing_id,
        department_id
    from lines
    where statement = 'fiscal_appropriation_summary' and amount_yuan <> 0
        and regexp_matches(line_item_normalised, '结转|结余')
        and not is_block_total and not regexp_matches(line_item_normalised, '(合计|总计)$')
),

keyed as (
    -- totals (合计 or a block's own total row) and 类 lines of the coded statements
    select
        *,
        case when is_block_total then '合计' else subject_code end as key
    from lines
    where measure in ('total', 'basic')
        and statement in ('expenditure', 'income', 'general_budget_expenditure', 'basic_expenditure')
        and (is_block_total or length(subject_code) = 3)
),

department_level as (
    -- one figure per key for the whole entity: the total row outside any unit block, and
    -- each 类 summed over the blocks
    select
        filing_id,
        department_id,
        statement,
        key,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan
    from keyed
    where measure = 'total' and (key <> '合计' or block_key = '')
    group by all
),

class_names as (
    -- the 类 name of each level-1 code, to find the class lines of the summaries
    select
        filing_id,
        department_id,
        subject_code,
        any_value(line_item_normalised) as class_name
    from keyed
    where statement = 'expenditure' and length(subject_code) = 3
    group by all
),

summary_lines as (
    -- the summaries' 本年支出合计 and 类 lines, keyed like the reference
    select
        l.* replace (l.side_measure as measure),
        '合计' as key
    from lines as l
    where l.statement in ('income_expenditure_summary', 'fiscal_appropriation_summary')
        and l.line_item_normalised = '本年支出合计' and l.side_measure in ('expenditure', 'general_budget')
    union all
    select
        l.* replace (l.side_measure as measure),
        c.subject_code as key
    from lines as l
    inner join class_names as c
        on l.filing_id = c.filing_id and l.department_id = c.department_id and l.line_item_normalised = c.class_name
    where l.statement in ('income_expenditure_summary', 'fiscal_appropriation_summary')
        and l.side_measure in ('expenditure', 'general_budget')
),

by_block as (
    -- coded statements against the 支出总表, block by block
    select
        o.filing_id,
        o.department_id,
        o.fiscal_year,
        'expenditure / ' || case when o.block_key <> '' then o.block_key || ' / ' else '' end || o.key || ' / '
        || case when o.statement = 'basic_expenditure' then 'basic' else 'total' end
        || ' vs ' || o.statement || ' / ' || o.line_item_normalised || ' / ' || o.measure as scope,
        r.amount_yuan as expected_yuan,
        o.amount_yuan as actual_yuan,
        r.rounding_yuan + o.rounding_yuan as tolerance_yuan,
        o.source_file,
        o.source_line,
        o.source_page,
        o.source_cell
    from keyed as o
    inner join keyed as r
        on o.filing_id = r.filing_id and o.department_id = r.department_id and r.statement = 'expenditure'
            and o.block_key = r.block_key and o.key = r.key
            and r.measure = case when o.statement = 'basic_expenditure' then 'basic' else 'total' end
    left join general_only as g on o.filing_id = g.filing_id and o.department_id = g.department_id
    where (o.statement = 'income' and o.measure = 'total' and o.report_type <> 'final_accounts')
        or (o.statement = 'general_budget_expenditure' and o.measure = 'total' and g.filing_id is not null)
        or (o.statement = 'basic_expenditure' and o.measure = 'total' and o.key = '合计' and g.filing_id is not null)
),

summaries as (
    -- 收支总表 against the 支出总表; 财政拨款收支总表 against the 一般公共预算支出表
    select
        o.filing_id,
        o.department_id,
        o.fiscal_year,
        r.statement || ' / ' || o.key || ' / total vs ' || o.statement || ' / ' || o.line_item_normalised
        || ' / ' || o.measure as scope,
        r.amount_yuan as expected_yuan,
        o.amount_yuan as actual_yuan,
        r.rounding_yuan + o.rounding_yuan as tolerance_yuan,
        o.source_file,
        o.source_line,
        o.source_page,
        o.source_cell
    from summary_lines as o
    inner join department_level as r
        on o.filing_id = r.filing_id and o.department_id = r.department_id and o.key = r.key
            and r.statement = case when o.statement = 'income_expenditure_summary' then 'expenditure'
                else 'general_budget_expenditure'
            end
    left join other_funds as f on o.filing_id = f.filing_id and o.department_id = f.department_id
    left join fiscal_carrying as fc on o.filing_id = fc.filing_id and o.department_id = fc.department_id
    where (o.statement = 'income_expenditure_summary' and o.measure = 'expenditure')
        or (
            o.statement = 'fiscal_appropriation_summary' and fc.filing_id is null
            and (o.measure = 'general_budget' or (o.measure = 'expenditure' and f.filing_id is null))
        )
),

compared as (
    -- both kinds of comparison: by_block and summaries give the same columns
    select * from by_block
    union all by name
    select * from summaries
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
        source_line,
        source_page,
        source_cell
    from compared
)

select * from final
