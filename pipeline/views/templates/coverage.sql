-- The coverage grid: every old province against every year some province-level fact refers to
-- (end of period, else start; NULL: a fact of unknown period, the last column), with how many
-- province-level facts it has for that year and how many of them conflict.
WITH years AS (
    SELECT DISTINCT coalesce(year_end, year_start) AS year FROM facts WHERE level = 'province'
), counted AS (
    SELECT province, coalesce(year_end, year_start) AS year, count(*) AS facts, count(*) FILTER (conflict) AS conflicts
    FROM facts WHERE level = 'province' GROUP BY ALL
)
SELECT p.name AS province, p.name_2025 AS province_2025, y.year, coalesce(c.facts, 0) AS facts, coalesce(c.conflicts, 0) AS conflicts
FROM provinces p CROSS JOIN years y
LEFT JOIN counted c ON c.province = p.name AND c.year IS NOT DISTINCT FROM y.year
ORDER BY p.name, y.year NULLS LAST
