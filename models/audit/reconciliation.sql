{{ config(materialized='incremental', meta={'incremental_scope': 'departments'}) }}
-- audit.reconciliation: one row per check performed, passed or failed. Each check is an
-- ephemeral model in models/audit/checks/; this model unions them, decides pass/fail
-- against the tolerance, and marks the failures documented in
-- reference.known_source_errors (errors in the filing itself, not parsing errors).
{% set checks = [
    'check__subject_children_sum',
    'check__row_columns_sum',
    'check__income_equals_expenditure',
    'check__cross_statement_total',
    'check__three_public_components',
    'check__projects_sum',
    'check__units_sum_to_department',
    'check__narrative_matches_table',
    'check__spending_plan_monotonic',
    'check__annual_within_midterm',
    'check__cost_targets_within_budget',
] %}

with

{% for check in checks %}
{{ check }} as (
    select * from {{ ref(check) }}
    where {{ filing_filter() }}
),
{% endfor %}

known as (
    select * from {{ ref('known_source_errors') }}
),

filings as (
    select * from {{ ref('dim_filing') }}
    where {{ filing_filter() }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

unioned as (
    {% for check in checks %}
    select * from {{ check }}
    {% if not loop.last %}union all by name{% endif %}
    {% endfor %}
),

valued as (
    select
        *,
        coalesce(expected_value, expected_yuan) as expected,
        coalesce(actual_value, actual_yuan) as actual,
        coalesce(tolerance_yuan, 0) as tolerance,
        case when expected_value is not null then '%' else '元' end as value_unit
    from unioned
),

decided as (
    select
        *,
        case comparison
            when '=' then abs(actual - expected) <= tolerance
            when '<=' then actual <= expected + tolerance
            else false  -- 'never': the rule itself was broken (e.g. a decreasing plan)
        end as passed,
        -- 1, unless the same comparison stands more than once (a line printed in two tables
        -- of one statement): each is a check of its own
        row_number() over (
            partition by check_name, filing_id, department_id, scope, source_line
            order by expected_yuan, actual_yuan, tolerance_yuan, source_page, source_cell
        ) as occurrence
    from valued
),

filing_departments as (
    -- a filing is known by the department it is about and its year, so a re-saved or
    -- re-encoded copy, or one with another figure changed, still carries its known errors
    select
        f.filing_id,
        f.fiscal_year,
        d.department_name as filing_department
    from filings as f
    left join departments as d using (department_id)
),

final as (
    select
        md5(concat_ws('|', d.check_name, d.filing_id, d.department_id, d.scope, d.source_line, d.occurrence))
            as check_id,
        d.check_name,
        d.filing_id,
        d.department_id,
        d.fiscal_year,
        d.scope,
        cast(d.expected_yuan as decimal(20, 2)) as expected_yuan,
        cast(d.actual_yuan as decimal(20, 2)) as actual_yuan,
        cast(d.actual_yuan - d.expected_yuan as decimal(20, 2)) as difference_yuan,
        cast(d.tolerance_yuan as decimal(20, 2)) as tolerance_yuan,
        case when d.passed then 'pass' else 'fail' end as status,
        (not d.passed and k.check_name is not null) as known_source_error,
        d.source_file,
        d.source_line,
        d.comparison,
        cast(d.expected as decimal(20, 2)) as expected_value,
        cast(d.actual as decimal(20, 2)) as actual_value,
        d.value_unit,
        k.explanation as known_error_explanation,
        d.occurrence,
        -- added: the page to open (PDF page / sheet) and, where one figure anchors the check, its cell
        d.source_page,
        d.source_cell
    from decided as d
    inner join filing_departments as f using (filing_id)
    left join known as k
        on f.filing_department = k.filing_department and f.fiscal_year = k.fiscal_year
            and d.check_name = k.check_name and d.scope = k.scope
)

select * from final
