{#- Render ref() and source() without the catalog (database) name.

    DuckDB stores a view's SQL with the names it was written with. The build writes
    a temporary file and renames it into place, and users open the file under any
    name (the catalog name is the file's stem), so a view that said
    "warehouse_tmp.staging.x" would break. schema.table resolves in whatever
    catalog the reader opened. -#}
{% macro ref() -%}
    {%- set rel = builtins.ref(*varargs, **kwargs) -%}
    {%- if rel is not none and rel.include is defined -%}
        {%- do return(rel.include(database=False)) -%}
    {%- endif -%}
    {%- do return(rel) -%}
{%- endmacro %}

{% macro source() -%}
    {%- set rel = builtins.source(*varargs, **kwargs) -%}
    {%- do return(rel.include(database=False)) -%}
{%- endmacro %}
