-- total_equals_basic_plus_project: on every line of the expenditure statements
-- 合计 = 基本支出 + 项目支出 (+ 经营支出, 上解上级支出, 对附属单位补助支出, 江苏's 单位预留机动经费
-- and 结转下年资金 where present),
-- 基本支出 its own column or, printed only as its parts, 人员经费 + 公用经费;
-- in 基本支出表 合计 = 人员经费 + 公用经费; the overall requests 资金总额 = 基本 + 项目.
-- income_columns_sum: in 收入总表 合计 = 本年小计 + 上年结转 and 小计 = the income columns;
-- a table without a 小计 column: 合计 = 上年结转 + the income columns. 财政拨款 is its own
-- column or the sum of its sources (一般公共预算 + 政府性基金 + 国有资本经营) — a row with
-- both prints the sources as 其中 of 财政拨款; 上年结转 likewise (小计, else its sources).
-- funding_columns_sum: 三公 and 财政拨款收支总表 合计 = 一般公共预算 + 政府性基金 + 国有资本经营.
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
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
            [
                'basic', 'project', 'operating_expenditure', 'remittance_to_superior', 'subsidy_to_affiliates',
                'reserve_funds', 'carryover_next_year'
            ]
        ),
        ('total_equals_basic_plus_project', 'general_budget_expenditure', 'total', ['basic', 'project']),
        ('total_equals_basic_plus_project', 'government_fund_expenditure', 'total', ['basic', 'project']),
        ('total_equals_basic_plus_project', 'state_capital_expenditure', 'total', ['basic', 'project']),
        ('total_equals_basic_plus_project', 'basic_expenditure', 'total', ['personnel', 'public_funds']),
        ('total_equals_basic_plus_project', 'overall_budget', 'total', ['basic', 'project']),
        ('funding_columns_sum', 'three_public', 'total', ['general_budget', 'government_fund', 'state_capital']),
        (
            'funding_columns_sum', 'fiscal_appropriation_summary', 'expenditure',
            ['general_budget', 'government_fund', 'state_capital']
        )
    ) as r (check_name, statement, total_measure, part_measures)
),

-- a row of a table: same filing, entity, statement and row, i.e. the first-cell line and,
-- where the cell locator says more, the page and table it stands on (a PDF or a paged web
-- page numbers rows within a page: r2 of p.15 and r2 of p.16 are two rows; a spreadsheet's
-- D12 and F12 one).
-- The overall request of a 部门整体 form is one row however its cells are laid out.
located as (
    select
        *,
        case
            when statement = 'overall_budget' then '0'
            when source_cell is null or source_cell like 'line %' then source_line::varchar
            else source_line::varchar || ' p' || coalesce(source_page::varchar, '') || ' ' || regexp_replace(
                    regexp_replace(source_cell, '\s+(c|col )\d+$', ''), '!\$?[A-Z]+\$?(\d+)$', '!\1'
                )
        end
        -- a pivoted 三公 table (item > funding source columns, one row per year): each item is a row
        || case when statement = 'three_public' then ' ' || coalesce(line_item_normalised, '') else '' end
            as row_line
    from lines
),

-- the measures each table prints (a rule whose total a table has no column for compares nothing)
table_measures as (
    select distinct
        filing_id,
        department_id,
        statement,
        table_title,
        measure
    from lines
),

rows as (
    select
        filing_id,
        department_id,
        statement,
        row_line,
        min(line_key) as line_key,
        any_value(table_title) as table_title,
        min(source_line) as source_line,
        min(source_page) as source_page,
        any_value(source_file) as source_file,
        any_value(fiscal_year) as fiscal_year
    from located
    group by all
),

printed_cells as (
    select
        l.filing_id,
        l.department_id,
        l.statement,
        l.table_title,
        l.row_line,
        l.measure,
        l.amount_yuan,
        l.rounding_yuan
    from located as l
    union all
    -- 基本支出 printed only as its two columns (总计 | 基本支出 > 人员支出 | 日常公用支出 | 项目支出):
    -- their sum is the row's 基本支出
    select
        filing_id,
        department_id,
        statement,
        table_title,
        row_line,
        'basic' as measure,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan
    from located
    where statement in (
            'expenditure', 'general_budget_expenditure', 'government_fund_expenditure',
            'state_capital_expenditure', 'overall_budget'
        )
        and measure in ('basic', 'personnel', 'public_funds')
    group by all
    having count(*) filter (where measure = 'basic') = 0
),

-- 深圳 支出总表: 支出总计 | 基本支出 | 项目支出 | 事业单位经营支出 | 对附属单位补助支出 | 上缴上级支出,
-- the last three counted within 基本/项目 (a research institute's 经营支出 is part of its 项目支出).
-- A table where every row that fills them reads 总计 = 基本 + 项目 prints them as 其中 (of which),
-- not as further parts; one row that adds them up the other way is enough to keep them parts.
expenditure_rows as (
    select
        filing_id,
        department_id,
        statement,
        table_title,
        row_line,
        max(amount_yuan) filter (where measure = 'total') as total_yuan,
        sum(amount_yuan) filter (where measure in ('basic', 'project')) as basic_project_yuan,
        sum(amount_yuan) filter (where measure in (
            'operating_expenditure', 'remittance_to_superior',
            'subsidy_to_affiliates'
        )) as other_yuan,
        sum(rounding_yuan) filter (where measure in ('total', 'basic', 'project')) as rounding_yuan
    from printed_cells
    where statement = 'expenditure'
    group by all
),

other_columns_within as (
    select
        filing_id,
        department_id,
        statement,
        table_title
    from expenditure_rows
    group by all
    having count(*) filter (where other_yuan > 0) > 0
        and bool_and(coalesce(other_yuan, 0) = 0 or abs(total_yuan - basic_project_yuan) <= rounding_yuan)
),

cells as (
    select
        c.filing_id,
        c.department_id,
        c.statement,
        c.row_line,
        c.measure,
        c.amount_yuan,
        c.rounding_yuan
    from printed_cells as c
    where not (
            c.measure in ('operating_expenditure', 'remittance_to_superior', 'subsidy_to_affiliates')
            and exists (
                select 1 from other_columns_within as w
                where w.filing_id = c.filing_id and w.department_id = c.department_id
                    and w.statement = c.statement and w.table_title is not distinct from c.table_title
            )
        )
),

compared as (
    select
        r.check_name,
        rw.filing_id,
        rw.department_id,
        rw.fiscal_year,
        rw.statement,
        rw.table_title,
        rw.row_line,
        rw.line_key,
        r.total_measure,
        max(c.amount_yuan) filter (where c.measure = r.total_measure) as expected_yuan,
        sum(c.amount_yuan) filter (where list_contains(r.part_measures, c.measure)) as actual_yuan,
        sum(c.rounding_yuan) filter (where c.measure = r.total_measure or list_contains(r.part_measures, c.measure))
            as tolerance_yuan,
        count(*) filter (where list_contains(r.part_measures, c.measure)) as parts,
        count(*) filter (where c.measure = r.total_measure) as totals,
        rw.source_file,
        rw.source_line,
        rw.source_page
    from rows as rw
    inner join rules as r on rw.statement = r.statement
    inner join cells as c
        on rw.filing_id = c.filing_id and rw.department_id = c.department_id
            and rw.statement = c.statement and rw.row_line = c.row_line
    group by all
),

income_cells as (
    select
        c.*,
        case
            when c.measure in ('general_budget', 'government_fund', 'state_capital') then 'fiscal_source'
            when starts_with(c.measure, 'prior_year_carryover_') then 'carryover_source'
            when c.measure in (
                    'special_account', 'other_special_account', 'fiscal_special_account', 'business_income',
                    'operating_income', 'superior_subsidy', 'affiliated_remittance', 'other_income',
                    'business_fund_offset', 'non_fiscal_surplus_used'
                ) then 'own'
            else c.measure
        end as part
    from cells as c
    where c.statement = 'income'
),

income_rows as (
    select
        rw.filing_id,
        rw.department_id,
        rw.fiscal_year,
        rw.statement,
        rw.table_title,
        rw.row_line,
        rw.line_key,
        rw.source_file,
        rw.source_line,
        rw.source_page,
        max(c.amount_yuan) filter (where c.part = 'total') as total_yuan,
        max(c.amount_yuan) filter (where c.part = 'current_year_subtotal') as subtotal_yuan,
        coalesce(
            max(c.amount_yuan) filter (where c.part = 'fiscal_appropriation'),
            sum(c.amount_yuan) filter (where c.part = 'fiscal_source')
        ) as fiscal_yuan,
        coalesce(
            max(c.amount_yuan) filter (where c.part = 'prior_year_carryover'),
            sum(c.amount_yuan) filter (where c.part = 'carryover_source')
        ) as carryover_yuan,
        sum(c.amount_yuan) filter (where c.part = 'own') as own_yuan,
        count(*) filter (where c.part = 'total') as totals,
        count(*) filter (where c.part = 'current_year_subtotal') as subtotals,
        count(*) filter (where c.part in ('fiscal_appropriation', 'fiscal_source', 'own')) as income_parts,
        count(*) filter (where c.part in ('prior_year_carryover', 'carryover_source')) as carryover_parts,
        -- the rounding of the figures compared (a 财政拨款 column and its sources are not both summed,
        -- but both carry their rounding: a tolerance a few 元 wide at most)
        sum(c.rounding_yuan) filter (where c.part in (
            'total', 'current_year_subtotal', 'prior_year_carryover',
            'carryover_source'
        )) as outer_rounding_yuan,
        sum(c.rounding_yuan) filter (where c.part in (
            'current_year_subtotal', 'fiscal_appropriation',
            'fiscal_source', 'own'
        )) as inner_rounding_yuan
    from rows as rw
    inner join income_cells as c
        on rw.filing_id = c.filing_id and rw.department_id = c.department_id
            and rw.statement = c.statement and rw.row_line = c.row_line
    group by all
),

-- an income row's two comparisons: each adds compared's figures (total_measure, expected_yuan,
-- actual_yuan, tolerance_yuan, parts, totals) to the row's columns
income_compared as (
    -- 合计 = 小计 (or, without a 小计 column, the income columns) + 上年结转
    select
        *,
        'total' as total_measure,
        total_yuan as expected_yuan,
        case when subtotals > 0 then subtotal_yuan else coalesce(fiscal_yuan, 0) + coalesce(own_yuan, 0) end
        + coalesce(carryover_yuan, 0) as actual_yuan,
        coalesce(outer_rounding_yuan, 0)
        + case when subtotals > 0 then 0 else coalesce(inner_rounding_yuan, 0) end as tolerance_yuan,
        subtotals + carryover_parts + case when subtotals > 0 then 0 else income_parts end as parts
    from income_rows
    union all by name
    -- 小计 = the income columns (the 小计 is the total compared: `totals` counts it)
    select
        * replace (subtotals as totals),
        'current_year_subtotal' as total_measure,
        subtotal_yuan as expected_yuan,
        coalesce(fiscal_yuan, 0) + coalesce(own_yuan, 0) as actual_yuan,
        coalesce(inner_rounding_yuan, 0) as tolerance_yuan,
        income_parts as parts
    from income_rows
    where subtotals > 0
),

-- the rules' comparisons and the income ones, matched by column name (final names the
-- columns it reports)
all_compared as (
    select * from compared
    union all by name
    select
        *,
        'income_columns_sum' as check_name
    from income_compared
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
        source_line,
        source_page
    from all_compared as c
    -- a row with no part column filled has nothing to compare, nor has a table without the
    -- total's column (a pivoted 三公 table prints each item by funding source, no item total);
    -- a blank total next to filled parts in a table that has the column is 0 and fails
    where parts > 0
        and (totals > 0 or exists (
            select 1 from table_measures as t
            where t.filing_id = c.filing_id and t.department_id = c.department_id and t.statement = c.statement
                and t.table_title is not distinct from c.table_title and t.measure = c.total_measure
        ))
)

select * from final
