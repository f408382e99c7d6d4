with

source as (
    -- a filing's repeated rows (the same content twice in one file) are read once
    {{ without_repeats(source('raw', 'projects')) }}
),

final as (
    select
        filing_id,
        source_file,
        source_line,
        project_key,
        trim(entity_name) as entity_name,
        nullif(trim(entity_code), '') as entity_code,
        trim(project_name) as project_name,
        nullif(trim(project_code), '') as project_code,
        nullif(trim(project_attribute), '') as project_attribute,
        nullif(trim(goal_annual), '') as goal_annual,
        nullif(trim(goal_midterm), '') as goal_midterm,
        nullif(trim(purpose), '') as purpose,
        nullif(trim(title), '') as title
    from source
)

select * from final
