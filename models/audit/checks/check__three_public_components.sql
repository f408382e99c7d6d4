-- three_public_components: 三公 合计 (“三公”经费 小计 where the table's 合计 also holds 会议费
-- and 培训费) = 因公出国(境)费 + 公务用车购置及运维费 + 公务接待费
-- (+ the other columns a table has), and 公务用车购置及运维费 = 购置费 + 运行维护费.
-- Items are recognised through reference.three_public_items. A table with one row per
-- item is one group per measure; a pivoted table (one column per item) one group per row.
with

int_budget_lines__keyed as not materialized (
    select * from {{ ref('int_budget_lines__keyed') }}
    where {{ filing_filter() }}
),

three_public_items as not materialized (
    select * from {{ ref('three_public_items') }}
),

three_public_lines as (
    select * from int_budget_lines__keyed
    where statement = 'three_public'
),

-- labels repeat across filings: match each distinct label against the patterns once (a
-- pattern read from a table is compiled for every pair compared: 4.7 s at 10,000 filings)
label_items as (
    select
        l.line_item_normalised,
        i.item
    from (select distinct line_item_normalised from three_public_lines) as l
    inner join three_public_items as i
        on regexp_full_match(l.line_item_normalised, i.label_pattern)
),

lines as (
    select
        l.*,
        i.item
    from three_public_lines as l
    inner join label_items as i on l.line_item_normalised = i.line_item_normalised
),

grouped as (
    select
        l.*,
        case
            when count(*) over (
                    partition by l.filing_id, l.department_id, l.table_title, l.measure, l.source_page, l.source_line
                ) > 1
                then l.source_line
            else 0
        end as group_line,
        -- a PDF numbers rows within a page: line 5 of p.232 and line 5 of p.233 are two rows
        case
            when count(*) over (
                    partition by l.filing_id, l.department_id, l.table_title, l.measure, l.source_page, l.source_line
                ) > 1
                then l.source_page
        end as group_page
    from lines as l
),

sums as (
    select
        filing_id,
        department_id,
        any_value(fiscal_year) as fiscal_year,
        table_title,
        measure,
        group_line,
        group_page,
        -- the 三公 total by name (“三公”经费 小计) before a 合计 that may also hold 会议费 and 培训费 (江苏)
        coalesce(
            max(amount_yuan) filter (where item = 'three_public_total'),
            max(amount_yuan) filter (where item = 'total')
        ) as total_yuan,
        max(amount_yuan) filter (where item = 'vehicles') as vehicles_yuan,
        sum(amount_yuan) filter (where item in ('vehicle_purchase', 'vehicle_operation')) as vehicle_parts_yuan,
        sum(amount_yuan) filter (where item in ('outbound', 'reception', 'other')) as other_items_yuan,
        count(*) filter (where item in ('vehicle_purchase', 'vehicle_operation')) as vehicle_parts,
        count(*) filter (where item not in ('total', 'three_public_total')) as items,
        sum(rounding_yuan) as rounding_yuan,
        min(source_line) filter (where item in ('total', 'three_public_total')) as total_line,
        min(source_line) filter (where item = 'vehicles') as vehicles_line,
        any_value(source_file) as source_file
    from grouped
    group by all
),

-- a group's two comparisons: each adds what it compares (rule, expected_yuan, actual_yuan and
-- the line of the expected figure) to the group's sums
checks as (
    select
        *,
        '合计 = items' as rule,
        total_yuan as expected_yuan,
        coalesce(other_items_yuan, 0) + coalesce(vehicles_yuan, vehicle_parts_yuan, 0) as actual_yuan,
        total_line as source_line
    from sums
    where total_yuan is not null and items > 0
    union all by name
    select
        *,
        '公务用车购置及运维费 = 购置 + 运维' as rule,
        vehicles_yuan as expected_yuan,
        coalesce(vehicle_parts_yuan, 0) as actual_yuan,
        vehicles_line as source_line
    from sums
    where vehicles_yuan is not null and vehicle_parts > 0
),

final as (
    select
        'three_public_components' as check_name,
        filing_id,
        department_id,
        fiscal_year,
        table_title || ' / ' || measure || case when group_line > 0 then ' / line ' || group_line else '' end
        || ' / ' || rule as scope,
        '=' as comparison,
        expected_yuan,
        actual_yuan,
        rounding_yuan as tolerance_yuan,
        source_file,
        source_line,
        group_page as source_page
    from checks
)

select * from final
