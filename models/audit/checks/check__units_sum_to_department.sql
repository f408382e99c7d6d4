-- units_sum_to_department: each line of a department's statement equals the sum of the
-- same line (statement, 科目 or label, measure) of its units' statements, for every
-- statement both the department and at least one unit publish (within one unit block of a
-- statement that lists several, 深圳).
with

lines as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where statement not in ('project_budget') and {{ filing_filter() }}
),

unit_lines as (
    select
        parent_department_id as department_id,
        filing_id,
        statement,
        block_key,
        line_key,
        measure,
        sum(amount_yuan) as amount_yuan,
        sum(rounding_yuan) as rounding_yuan,
        count(*) as n
    from lines
    where entity_level = 'unit' and parent_department_id is not null
    group by all
),

unit_statements as (
    select distinct
        parent_department_id as department_id,
        filing_id,
        statement
    from lines
    where entity_level = 'unit'
),

department_lines as (
    select l.*
    from lines as l
    inner join unit_statements using (department_id, filing_id, statement)
    where l.entity_level = 'department'
),

final as (
    select
        'units_sum_to_department' as check_name,
        d.filing_id,
        d.department_id,
        d.fiscal_year,
        d.statement || ' / ' || case when d.block_key <> '' then d.block_key || ' / ' else '' end
        || d.line_key || ' / ' || d.measure || ' = units' as scope,
        '=' as comparison,
        d.amount_yuan as expected_yuan,
        coalesce(u.amount_yuan, 0) as actual_yuan,
        d.rounding_yuan + coalesce(u.rounding_yuan, 0) as tolerance_yuan,
        d.source_file,
        d.source_line,
        d.source_page,
        d.source_cell
    from department_lines as d
    left join unit_lines as u using (department_id, filing_id, statement, block_key, line_key, measure)
)

select * from final
