-- One row per reconciliation check performed (issue 4 fills it); the contract's columns.
select
    cast(null as varchar) as check_id,
    cast(null as varchar) as check_name,
    cast(null as varchar) as filing_id,
    cast(null as varchar) as department_id,
    cast(null as integer) as fiscal_year,
    cast(null as varchar) as scope,
    cast(null as decimal(20, 2)) as expected_yuan,
    cast(null as decimal(20, 2)) as actual_yuan,
    cast(null as decimal(20, 2)) as difference_yuan,
    cast(null as decimal(20, 2)) as tolerance_yuan,
    cast(null as varchar) as status,
    cast(null as boolean) as known_source_error,
    cast(null as varchar) as source_file,
    cast(null as bigint) as source_line,
where false
