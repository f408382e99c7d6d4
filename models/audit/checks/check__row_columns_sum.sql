-- total_equals_basic_plus_project: on every line of the expenditure statements
-- 合计 = 基本支出 + 项目支出 (+ 经营支出, 上解上级支出, 对附属单位补助支出 where present);
-- in 基本支出表 合计 = 人员经费 + 公用经费; the overall requests 资金总额 = 基本 + 项目.
-- income_columns_sum: in 收入总表 合计 = 本年小计 + 上年结转 and 小计 = the income columns.
-- funding_columns_sum: 三公 and 财政拨款收支总表 合计 = 一般公共预算 + 政府性基金 + 国有资本经营.
with

lines as (
    select * from {{ ref('int_budget_lines__keyed') }}
),

rules as (
    select
        r.check_name,
        r.statement,
        r.total_measure,
        r.part_measures
    from (
        values
        (
            'total_equals_basic_plus_project', 'expenditure', 'total',
            ['basic', 'project', 'operating_expenditure', 'remittance_to_superior', 'subsidy_to_affiliates']
        ),
        ('total_equals_basic_plus_project', 'general_budget_expenditure', 'total', ['basic', 'project']),
        ('total_equals_basic_plus_project', 'government_fund_expenditure', 'total', ['basic', 'project']),
        ('total_equals_basic_plus_project', 'state_capital_expenditure', 'total', ['basic', 'project']),
        ('total_equals_basic_plus_project', 'basic_expenditure', 'total', ['personnel', 'public_funds']),
        ('total_equals_basic_plus_project', 'overall_budget', 'total', ['basic', 'project']),
        ('income_columns_sum', 'income', 'total', ['current_year_subtotal', 'prior_year_carryover']),
        (
            'income_columns_sum', 'income', 'current_year_subtotal',
            [
                'fiscal_appropriation', 'special_account', 'business_income', 'operating_income',
                'superior_subsidy', 'affiliated_remittance', 'other_income'
            ]
        ),
        ('funding_columns_sum', 'three_public', 'total', ['general_budget', 'government_fund', 'state_capital']),
        (
            'funding_columns_sum', 'fiscal_appropriation_summary', 'expenditure',
            ['general_budget', 'government_fund', 'state_capital']
        )
    ) as r (check_name, statement, total_measure, part_measures)
),

-- a row of a table: same filing, entity, statement and first-cell line (the overall
-- request of a 部门整体 form is one row however its cells are laid out)
rows as (
    select
        filing_id,
        department_id,
        statement,
        case when statement = 'overall_budget' then 0 else source_line end as row_line,
        any_value(line_key) as line_key,
        min(source_line) as source_line,
        any_value(source_file) as source_file,
        any_value(fiscal_year) as fiscal_year
    from lines
    group by all
),

cells as (
    select
        l.filing_id,
        l.department_id,
        l.statement,
        case when l.statement = 'overall_budget' then 0 else l.source_line end as row_line,
        l.measure,
        l.amount_yuan,
        l.rounding_yuan
    from lines as l
),

compared as (
    select
        r.check_name,
        rw.filing_id,
        rw.department_id,
        rw.fiscal_year,
        rw.statement,
        rw.line_key,
        r.total_measure,
        max(c.amount_yuan) filter (where c.measure = r.total_measure) as expected_yuan,
        sum(c.amount_yuan) filter (where list_contains(r.part_measures, c.measure)) as actual_yuan,
        sum(c.rounding_yuan) filter (where c.measure = r.total_measure or list_contains(r.part_measures, c.measure))
            as tolerance_yuan,
        count(*) filter (where list_contains(r.part_measures, c.measure)) as parts,
        count(*) filter (where c.measure = r.total_measure) as totals,
        rw.source_file,
        rw.source_line
    from rows as rw
    inner join rules as r on rw.statement = r.statement
    inner join cells as c
        on rw.filing_id = c.filing_id and rw.department_id = c.department_id
            and rw.statement = c.statement and rw.row_line = c.row_line
    group by all
),

final as (
    select
        check_name,
        filing_id,
        department_id,
        fiscal_year,
        statement || ' / ' || coalesce(line_key, '?') || ' / ' || total_measure || ' = parts' as scope,
        '=' as comparison,
        coalesce(expected_yuan, 0) as expected_yuan,
        coalesce(actual_yuan, 0) as actual_yuan,
        coalesce(tolerance_yuan, 0) as tolerance_yuan,
        source_file,
        source_line
    from compared
    -- a row with no part column filled has nothing to compare (pivoted 三公 tables have no
    -- funding columns); a blank total next to filled parts is 0 and fails
    where parts > 0
)

select * from final
