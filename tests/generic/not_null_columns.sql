{#- Fails with one row per listed column that holds a null, with how many rows it is null in:
      data_tests:
        - not_null_columns:
            arguments: {columns: [filing_id, source_line, measure]}
    dbt's not_null, for every column of a model that is never null, in one query and one node:
    a node costs dbt about 35 ms whatever its query, and a model had up to 16 not_null tests. -#}
{% test not_null_columns(model, columns) %}
with

null_counts as (
    select
    {%- for column in columns %}
        count(*) filter (where {{ column }} is null) as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
),

by_column as (
    unpivot null_counts on columns(*) into name column_name value null_rows
)

select * from by_column
where null_rows > 0
{% endtest %}
