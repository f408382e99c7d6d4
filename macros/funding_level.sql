{#- The funding level a project's text states, in the order a reader would trust it:
    中央 (central) before 省级 (provincial) before 市级 (municipal) before 县级 (county).
    省财政厅 / 市财政局 (the issuing office) are not a level. -#}
{% macro funding_level(text) -%}
    case
        when regexp_matches({{ text }}, '中央(财政|预算|补助|资金|转移)') then 'central'
        when regexp_matches({{ text }}, '省级|省财政[^厅]|省财政$|省本级') then 'provincial'
        when regexp_matches({{ text }}, '市级(财政|配套|补助|资金)|市本级(财政|配套|补助|资金)') then 'municipal'
        when regexp_matches({{ text }}, '县级|县本级|县镇配套|县配套|区级配套') then 'county'
    end
{%- endmacro %}
