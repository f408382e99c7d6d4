{#- Fails on every combination of `columns` that occurs more than once: the model's grain.
      data_tests:
        - unique_combination:
            arguments: {columns: [filing_id, source_line, measure]} -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
