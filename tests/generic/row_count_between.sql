{#- Fails when the model's row count is outside [min_rows, max_rows] (either may be omitted). -#}
{% test row_count_between(model, min_rows=none, max_rows=none) %}
select count(*) as row_count
from {{ model }}
having
    {% if min_rows is not none %}count(*) < {{ min_rows }}{% else %}false{% endif %}
    or {% if max_rows is not none %}count(*) > {{ max_rows }}{% else %}false{% endif %}
{% endtest %}
