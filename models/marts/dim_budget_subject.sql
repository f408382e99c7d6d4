with

coded as (
    select
        classification,
        subject_code,
        line_item
    from {{ ref('stg_raw__budget_lines') }}
    where subject_code is not null and classification is not null
),

names as (
    -- the name most filings print for the code (ties: the first alphabetically)
    select
        classification,
        subject_code,
        line_item as subject_name,
        count(*) as uses
    from coded
    group by classification, subject_code, line_item
    qualify row_number() over (partition by classification, subject_code order by uses desc, line_item asc) = 1
),

final as (
    select
        md5(classification || '|' || subject_code) as subject_id,
        classification,
        subject_code,
        subject_name,
        -- 类 / 款 / 项 (3, 5, 7 digits) in every classification; economic codes stop at 款
        case length(subject_code) when 3 then 1 when 5 then 2 when 7 then 3 end as subject_level,
        case
            when length(subject_code) > 3 then left(subject_code, length(subject_code) - 2)
        end as parent_subject_code
    from names
)

select * from final
