{#- Multiplier from a published money unit to yuan (元). -#}
{% macro yuan_factor(unit_column) -%}
    (case {{ unit_column }} when '万元' then 10000 when '元' then 1 when '千元' then 1000 when '亿元' then 100000000 end)
{%- endmacro %}

{#- A label for matching: numbering (一、 （二） 1、), 其中：, whitespace and full-width
    punctuation removed or folded. 三、公务接待费 → 公务接待费. -#}
{% macro normalise_label(column) -%}
    regexp_replace(
        regexp_replace(
            translate({{ column }}, '（）：，％　', '():,% '),
            '^\s*(其中:)?\s*([一二三四五六七八九十]+、|\(?[一二三四五六七八九十0-9]+\)|[0-9]+[、.])?\s*(其中:)?',
            ''
        ),
        '\s+', '', 'g'
    )
{%- endmacro %}

{#- Rounding a published figure carries, in yuan: half a unit of its last printed decimal
    (7723.25 万元 → ±50 元; 5294 万元 → ±5000 元). The reconciliation tolerance sums it. -#}
{% macro rounding_yuan(amount_text, unit_column) -%}
    (0.5 * pow(10, -length(coalesce(regexp_extract({{ amount_text }}, '\.(\d+)', 1), '')))
        * {{ yuan_factor(unit_column) }})
{%- endmacro %}
