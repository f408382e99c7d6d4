-- annual_within_midterm: a project's annual amount does not exceed its midterm
-- (multi-year) amount, for the total and for each funding part published on both.
with

int_budget_lines__keyed as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
),

dim_project as not materialized (
    select * from {{ ref('dim_project') }}
    where {{ filing_filter() }}
),

lines as (
    select * from int_budget_lines__keyed
    where statement = 'project_budget' and project_id is not null
),

pairs as (
    select
        p.annual_measure,
        p.midterm_measure
    from (
        values
        ('annual', 'midterm'),
        ('annual_fiscal_appropriation', 'midterm_fiscal_appropriation'),
        ('annual_other_funds', 'midterm_other_funds')
    ) as p (annual_measure, midterm_measure)
),

final as (
    select
        'annual_within_midterm' as check_name,
        a.filing_id,
        a.department_id,
        a.fiscal_year,
        dp.project_name || ' / ' || a.measure || ' <= ' || m.measure as scope,
        '<=' as comparison,
        m.amount_yuan as expected_yuan,
        a.amount_yuan as actual_yuan,
        a.rounding_yuan + m.rounding_yuan as tolerance_yuan,
        a.source_file,
        a.source_line,
        a.source_page,
        a.source_cell
    from pairs as p
    inner join lines as a on p.annual_measure = a.measure
    inner join lines as m on a.project_id = m.project_id and p.midterm_measure = m.measure
    inner join dim_project as dp on a.project_id = dp.project_id
)

select * from final
