/*
Question
    How measurable are the targets each filing sets? The share of quantitative (定量: a
    comparator and a number or a deadline the value parser could read) against qualitative
    (定性: prose such as 有所提升, 及时) target values, filing by filing.

How to read the result
    One row per loaded filing with targets. `targets` counts target values (fact_target rows:
    annual and midterm); `quantitative` those with `is_quantitative`, `qualitative` the rest
    (blank 指标值 included); `quantitative_share` = quantitative ÷ targets (0–1, 4 decimals).
    `declared_quantitative` / `declared_qualitative` count what the filing itself declares in
    its 指标值类型 column (003 and similar layouts), where it has one; `declared_but_unparsed`
    counts values declared 定量 that the parser could not read as a number.

Caveats
    * A filing with annual and midterm columns (approval forms, 001) counts both horizons.
    * "Quantitative" is what the parser could read: a number in prose (满意率95%以上、零核实
      投诉) counts as quantitative, a blank cell as qualitative.
*/

with

targets as (
    select * from {{ ref('fact_target') }}
),

filings as (
    select * from {{ ref('dim_filing') }}
    where status = 'loaded'
),

departments as (
    select * from {{ ref('dim_department') }}
),

-- logical CTEs

per_filing as (
    select
        filing_id,
        count(*) as targets,
        count(*) filter (where is_quantitative) as quantitative,
        count(*) filter (where not is_quantitative) as qualitative,
        count(*) filter (where value_type_published like '%定量%') as declared_quantitative,
        count(*) filter (where value_type_published like '%定性%') as declared_qualitative,
        count(*) filter (where value_type_published like '%定量%' and not is_quantitative) as declared_but_unparsed
    from targets
    group by filing_id
),

final as (
    select
        f.source_file,
        d.department_name,
        d.county,
        d.prefecture,
        f.fiscal_year,
        p.targets,
        p.quantitative,
        p.qualitative,
        cast(round(p.quantitative / p.targets, 4) as decimal(6, 4)) as quantitative_share,
        p.declared_quantitative,
        p.declared_qualitative,
        p.declared_but_unparsed
    from per_filing as p
    inner join filings as f
        on p.filing_id = f.filing_id
    left join departments as d
        on f.department_id = d.department_id
    order by f.source_file
)

select * from final
