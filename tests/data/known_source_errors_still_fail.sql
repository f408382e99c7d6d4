{#- A registered source error whose filing is loaded must still be found failing:
    a row of reference.known_source_errors that matches no failed check means the
    scope text changed or the check no longer sees the error. Warns (the filing may
    simply not be in this folder, which is why only loaded filings count). A department may
    publish several filings a year (部门预算 and a separate 项目支出绩效目标表): the error
    must still fail in one of them. -#}
{{ config(severity = 'warn') }}

select distinct k.*
from {{ ref('known_source_errors') }} as k
inner join {{ ref('dim_department') }} as d on k.filing_department = d.department_name
inner join {{ ref('dim_filing') }} as f
    on d.department_id = f.department_id and k.fiscal_year = f.fiscal_year and f.status = 'loaded'
where not exists (
        select 1
        from {{ ref('reconciliation') }} as r
        inner join {{ ref('dim_filing') }} as rf on r.filing_id = rf.filing_id
        where rf.department_id = d.department_id and rf.fiscal_year = k.fiscal_year
            and r.check_name = k.check_name and r.scope = k.scope
            and r.status = 'fail' and r.known_source_error
    )
