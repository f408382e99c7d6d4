{#- Fails on every row where the SQL boolean `expression` is not true.
    Usage (model or column level):
      data_tests:
        - expression_is_true:
            arguments: {expression: "amount_yuan >= 0"}
    The hub package dbt_utils cannot be fetched here; this is its test, written out. -#}
{% test expression_is_true(model, expression, column_name=None) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
