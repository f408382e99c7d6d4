{#- A registered source error whose filing is loaded must still be found failing:
    a row of reference.known_source_errors that matches no failed check means the
    scope text changed or the check no longer sees the error. Warns (the filing may
    simply not be in this folder, which is why only loaded filings count). -#}
{{ config(severity = 'warn') }}

select k.*
from {{ ref('known_source_errors') }} as k
inner join {{ ref('dim_department') }} as d on k.filing_department = d.department_name
inner join {{ ref('dim_filing') }} as f
    on d.department_id = f.department_id and k.fiscal_year = f.fiscal_year and f.status = 'loaded'
where not exists (
        select 1 from {{ ref('reconciliation') }} as r
        where r.filing_id = f.filing_id and r.check_name = k.check_name and r.scope = k.scope
            and r.status = 'fail' and r.known_source_error
    )
