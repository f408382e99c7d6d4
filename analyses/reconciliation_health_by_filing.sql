/*
Question
    How healthy is each filing's arithmetic? For every loaded filing: how many of the figures
    it restates were checked, how many checks failed, whether the failures are documented
    errors in the filing itself (reference.known_source_errors) or still unexplained, and
    where to look.

How to read the result
    One row per loaded filing (filings where nothing could be checked have checks_run = 0).
    `pass_rate` = passed ÷ checks_run. `unexplained_failures` > 0 means either a parsing bug or
    a new error in the filing: read `failures`, which lists each failed check as
    `check_name scope @ source_file:source_line`, and open the file at that line.
    `first_failure_line` is the first line to look at.

Caveats
    * A check that could not be performed (missing data) is no row in audit.reconciliation:
      it never counts as passed. Few checks on a filing means little was restated, not that
      all is well.
    * Tolerances come from the published precision (a figure in 万元 to 2 decimals carries
      ±50 元).
*/

with

summary as (
    -- counts per filing, already aggregated by audit.reconciliation_summary
    select * from {{ ref('reconciliation_summary') }}
),

reconciliation as (
    select * from {{ ref('reconciliation') }}
),

filings as (
    select * from {{ ref('dim_filing') }}
    where status = 'loaded'
),

departments as (
    select * from {{ ref('dim_department') }}
),

-- logical CTEs

counts as (
    select
        filing_id,
        checks_run,
        passed,
        failed,
        known_source_errors,
        unexplained_failures
    from summary
    where grain = 'filing'
),

kinds as (
    select
        filing_id,
        count(*) as check_kinds
    from summary
    where grain = 'filing_check'
    group by filing_id
),

failures as (
    -- only the failed checks are listed (few), not every check
    select
        filing_id,
        min(source_line) as first_failure_line,
        string_agg(
            check_name || ' ' || scope || ' @ ' || source_file || ':' || source_line,
            chr(10) order by source_line, check_name, scope
        ) as failures
    from reconciliation
    where status = 'fail'
    group by filing_id
),

per_filing as (
    select
        c.*,
        k.check_kinds,
        x.first_failure_line,
        x.failures
    from counts as c
    left join kinds as k using (filing_id)
    left join failures as x using (filing_id)
),

final as (
    select
        f.source_file,
        d.department_name,
        d.county,
        d.prefecture,
        f.fiscal_year,
        f.doc_kind,
        coalesce(p.checks_run, 0) as checks_run,
        coalesce(p.passed, 0) as passed,
        coalesce(p.failed, 0) as failed,
        coalesce(p.known_source_errors, 0) as known_source_errors,
        coalesce(p.unexplained_failures, 0) as unexplained_failures,
        coalesce(p.check_kinds, 0) as check_kinds,
        cast(round(p.passed / nullif(p.checks_run, 0), 4) as decimal(6, 4)) as pass_rate,
        p.first_failure_line,
        p.failures
    from filings as f
    left join per_filing as p
        on f.filing_id = p.filing_id
    left join departments as d
        on f.department_id = d.department_id
    order by f.source_file
)

select * from final
