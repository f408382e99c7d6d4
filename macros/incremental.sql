{#-
  Incremental builds (medwh build, README "Incremental builds").

  `medwh build` decides whether a build is incremental. When it is, it copies the previous
  warehouse, replaces the raw rows of the filings that were added, changed or removed, and
  writes their ids to raw.build_changes (filing_id, change) before `dbt build`; when it is
  not, the build file is new and raw.build_changes does not exist. So here, "an incremental
  build" means: raw.build_changes exists.

  Models keyed by filing (config meta.incremental_scope) are materialized `incremental`:

  * scope `filings`: a row depends only on its own filing's raw rows (and seeds). An
    incremental build deletes the rows of the filings in raw.build_changes (pre-hook
    delete_changed_filings, set for every model in dbt_project.yml) and inserts the rows its
    SQL computes from those filings only (each import CTE filtered with filing_filter()).
  * scope `departments`: a row also depends on dim_department, whose attributes
    (arg_max over the filings of a department) change when another filing of the same
    department changes. Such models redo every filing that shares a department with a
    changed or removed filing, when the build changed that department's dim_department row
    (its departments before the build are in raw.build_departments and their rows in
    raw.build_dim_department, written by medwh build; after, in int_entities__resolved and
    dim_department). A filing whose figures changed but not its department's name, level,
    parent, place or years leaves the other filings of its department as they were.

  Models relating filings to each other (dim_department, dim_indicator, dim_budget_subject,
  the marts, parse_issues' overlapping filings, reconciliation_summary) stay tables rebuilt
  in full from the (incrementally maintained) tables they read.

  A `dbt build` on an existing warehouse without raw.build_changes (run by hand) rebuilds
  every incremental model in full: the pre-hook deletes all its rows and the filters are
  `true`.
-#}

{#- whether this is an incremental build (raw.build_changes exists). medwh build says which
    it runs in MEDWH_BUILD_MODE (full | incremental), which spares a query per node; a dbt run
    by hand looks for the table. -#}
{% macro incremental_build() -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set mode = env_var('MEDWH_BUILD_MODE', '') -%}
    {%- if mode in ('full', 'incremental') -%}
        {{ return(mode == 'incremental') }}
    {%- endif -%}
    {%- set found = run_query(
        "select count(*) from information_schema.tables "
        ~ "where table_catalog = current_database() and table_schema = 'raw' and table_name = 'build_changes'"
    ) -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}


{#- a query of the filing ids an incremental build recomputes for `scope` (filings | departments) -#}
{% macro changed_filings_query(scope='filings') -%}
    {%- if scope == 'departments' -%}
        with candidates as (
            select department_id from raw.build_departments
            union
            select department_id from intermediate.int_entities__resolved
            where filing_id in (select filing_id from raw.build_changes)
        ),
        touched as (
            -- of the changed filings' departments (before or after), those whose dim_department
            -- row this build changed, added or removed (raw.build_dim_department: the row before)
            select c.department_id
            from candidates as c
            left join raw.build_dim_department as b on c.department_id = b.department_id
            left join marts.dim_department as a on c.department_id = a.department_id
            where b is distinct from a
        )
        select filing_id from raw.build_changes
        union
        select filing_id from intermediate.int_entities__resolved
        where department_id in (select department_id from touched)
    {%- elif scope == 'filings' -%}
        select filing_id from raw.build_changes
    {%- else -%}
        {{ exceptions.raise_compiler_error("incremental_scope must be filings or departments, not " ~ scope) }}
    {%- endif -%}
{%- endmacro %}


{#- the filing ids an incremental build recomputes for `scope` (filings | departments) -#}
{% macro changed_filing_ids(scope='filings') -%}
    {{ return(run_query(changed_filings_query(scope) ~ ' order by 1').columns[0].values() | list) }}
{%- endmacro %}


{#- the scope a model (or the model a test is attached to) is incremental by, or none -#}
{% macro incremental_scope(node=none) -%}
    {%- set node = node or model -%}
    {%- set meta = (node.config or {}).get('meta') or {} -%}
    {{ return(meta.get('incremental_scope')) }}
{%- endmacro %}


{#- A filter for a filing-keyed model's import CTEs: in an incremental build, the rows of the
    filings this model recomputes (a literal list, so that DuckDB pushes it into the scans
    under staging's views); otherwise `true`. -#}
{% macro filing_filter(column='filing_id', scope=none) -%}
    {%- set scope = scope or incremental_scope() -%}
    {%- if not execute -%}
        true
    {%- elif scope is none -%}
        {{ exceptions.raise_compiler_error(model.name ~ " uses filing_filter() without meta.incremental_scope") }}
    {%- elif not incremental_build() -%}
        true
    {%- else -%}
        {%- if model.config.materialized == 'incremental' and not is_incremental() -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ " is not in the previous warehouse: an incremental build needs every model; "
                ~ "build with --full-refresh") }}
        {%- endif -%}
        {%- set ids = changed_filing_ids(scope) -%}
        {%- if ids | length == 0 -%}
            false
        {%- else -%}
            {{ column }} in ({% for i in ids %}'{{ i }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- pre-hook of every model (dbt_project.yml): an incremental model, before its new rows go in,
    loses the rows of the filings it recomputes (all its rows when run outside an incremental build) -#}
{% macro delete_changed_filings() -%}
    {%- if execute and model.config.materialized == 'incremental' and is_incremental() -%}
        {%- if incremental_build() -%}
            delete from {{ this }} where {{ filing_filter() }}
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- Data tests in an incremental build: a test of a filing-keyed model (staging, the keyed
    intermediate models, fact and filing-level marts, the checks, reconciliation) reads only the
    rows of the filings the build recomputed. Sound because every such model's grain includes
    filing_id (two rows that could collide share their filing: both are read or neither), and
    every other row is the previous build's, which passed the same tests. Tests of models
    rebuilt in full, and the singular tests in tests/data, read everything as always. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set scope = none -%}
    {%- set is_view = false -%}
    {%- if execute and model.attached_node and model.attached_node in graph.nodes -%}
        {%- set scope = incremental_scope(graph.nodes[model.attached_node]) -%}
        {%- set is_view = graph.nodes[model.attached_node].config.materialized == 'view' -%}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if scope is not none and incremental_build() and is_view -%}
        {#- a view: the literal list, which DuckDB pushes into the scans under the view -#}
        {%- do conditions.append(filing_filter(scope=scope)) -%}
    {%- elif scope is not none and incremental_build() -%}
        {#- a table: a subquery, not filing_filter()'s literal list (a query per test while
            compiling cost more than most tests) -#}
        {%- do conditions.append('filing_id in (' ~ changed_filings_query(scope) ~ ')') -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) as dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
