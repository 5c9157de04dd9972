-- Views for analysts, replaced every time thongke opens the database.
-- Old-province views carry both `province` and `province_2025`; the `_2025`
-- views add up the merged old provinces into their 2025 unit.

CREATE OR REPLACE VIEW units_2025 AS
SELECT name_2025, code_2025, official_name_2025, count(*) AS provinces,
       string_agg(name, ', ' ORDER BY name) AS old_provinces
FROM provinces
GROUP BY name_2025, code_2025, official_name_2025;
COMMENT ON VIEW units_2025 IS 'The 34 units after the 2025 merger, with how many and which old provinces each took in.';

CREATE OR REPLACE VIEW figures AS
SELECT s.article_id, s.seq, s.province, s.province_2025, p.region,
       s.subject, s.measure, s.unit, s.qualifier, s.value, s.high, s.target,
       s.year_start, s.year_end,
       CASE WHEN s.year_start = s.year_end THEN s.year_end END AS year,
       s.scope, s.text, s.sentence, s.rule, s.extractor_version,
       a.title, a.doc, a.published, a.outlet, a.url
FROM statistics s
JOIN articles a ON a.id = s.article_id
LEFT JOIN provinces p ON p.name = s.province;
COMMENT ON VIEW figures IS 'Every statistic with its article (title, doc, published, outlet, url) and region; year is set when the figure covers one year.';

CREATE OR REPLACE VIEW counts AS
SELECT province, province_2025, region, subject, scope, value, qualifier,
       coalesce(year_end, year_start) AS year, published, title, doc, article_id, seq, text, sentence
FROM figures
WHERE measure = 'count' AND unit = 'count';
COMMENT ON VIEW counts IS 'Every stock (measure count, unit count) with the year it refers to (the end of its period).';

CREATE OR REPLACE VIEW latest_counts AS
SELECT * FROM counts
QUALIFY row_number() OVER (PARTITION BY province, subject, scope
                           ORDER BY year DESC NULLS LAST, published DESC NULLS LAST, article_id, seq) = 1;
COMMENT ON VIEW latest_counts IS 'The latest stock per province, subject and scope: latest period year, then latest published article.';

CREATE OR REPLACE VIEW latest_counts_2025 AS
WITH largest AS (
    SELECT * FROM latest_counts
    QUALIFY row_number() OVER (PARTITION BY province, subject ORDER BY value DESC, article_id, seq) = 1
)
SELECT l.province_2025, l.subject, sum(l.value) AS value, min(l.year) AS year,
       count(*) AS provinces_reporting, any_value(u.provinces) AS provinces_in_unit,
       string_agg(l.province, ', ' ORDER BY l.province) AS provinces,
       string_agg(coalesce(l.title, l.doc), ' | ' ORDER BY l.province) AS titles
FROM largest l
LEFT JOIN units_2025 u ON u.name_2025 = l.province_2025
GROUP BY l.province_2025, l.subject;
COMMENT ON VIEW latest_counts_2025 IS 'Per 2025 unit and subject: the sum over its old provinces of each one''s largest latest stock (usually the province-level body); year is the oldest of them.';

CREATE OR REPLACE VIEW figures_by_year AS
WITH ranked AS (
    SELECT *,
           count(*) OVER (PARTITION BY province, subject, measure, unit, year_start, year_end) AS records,
           row_number() OVER (PARTITION BY province, subject, measure, unit, year_start, year_end
                              ORDER BY value DESC, published DESC NULLS LAST, article_id, seq) AS rank
    FROM figures
)
SELECT province, province_2025, region, subject, measure, unit, year, year_start, year_end, value, records,
       scope, text, title, doc, published, article_id, sentence
FROM ranked
WHERE rank = 1;
COMMENT ON VIEW figures_by_year IS 'One figure per province, subject, measure, unit and period (year_start, year_end; year when it is one year, NULL when unknown or several): the largest reported (usually the province-level body), with its article; records = how many figures were reported.';

CREATE OR REPLACE VIEW figures_by_year_2025 AS
SELECT y.province_2025, y.subject, y.measure, y.unit, y.year, y.year_start, y.year_end,
       CASE WHEN y.unit = 'count' THEN sum(y.value) WHEN count(*) = 1 THEN any_value(y.value) END AS value,
       count(*) AS provinces_reporting,
       any_value(u.provinces) AS provinces_in_unit,
       string_agg(y.province, ', ' ORDER BY y.province) AS provinces,
       string_agg(coalesce(y.title, y.doc), ' | ' ORDER BY y.province) AS titles,
       sum(y.records) AS records
FROM figures_by_year y
LEFT JOIN units_2025 u ON u.name_2025 = y.province_2025
GROUP BY y.province_2025, y.subject, y.measure, y.unit, y.year, y.year_start, y.year_end;
COMMENT ON VIEW figures_by_year_2025 IS 'figures_by_year added up over the old provinces of each 2025 unit (counts are summed; a percentage only when one province reports it).';

CREATE OR REPLACE VIEW flows_by_year AS
SELECT * FROM figures_by_year
WHERE measure IN ('admitted', 'established', 'trained') AND unit = 'count';
COMMENT ON VIEW flows_by_year IS 'Admissions, establishments and people trained per province, subject, measure and period (figures_by_year restricted to flows).';

CREATE OR REPLACE VIEW flows_by_year_2025 AS
SELECT * FROM figures_by_year_2025
WHERE measure IN ('admitted', 'established', 'trained') AND unit = 'count';
COMMENT ON VIEW flows_by_year_2025 IS 'flows_by_year added up over the old provinces of each 2025 unit.';

CREATE OR REPLACE VIEW targets AS
SELECT province, province_2025, region, subject, measure, unit, year_start, year_end,
       value, target, CASE WHEN target <> 0 THEN value / target END AS ratio,
       scope, text, sentence, title, doc, published, article_id
FROM figures
WHERE target IS NOT NULL;
COMMENT ON VIEW targets IS 'Achievement against target ("103/80"): value, target and value/target ratio, with the article and sentence; group by province_2025 for 2025 units.';

CREATE OR REPLACE VIEW province_overview AS
WITH largest_latest AS (
    SELECT province, subject, max(value) AS value
    FROM latest_counts
    WHERE province IS NOT NULL
    GROUP BY province, subject
), admissions AS (
    SELECT province, value, year FROM flows_by_year
    WHERE subject = 'party_member' AND measure = 'admitted' AND year IS NOT NULL AND province IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY province ORDER BY year DESC) = 1
), totals AS (
    SELECT province, any_value(province_2025) AS province_2025,
           count(DISTINCT article_id) AS articles, count(*) AS records
    FROM statistics WHERE province IS NOT NULL GROUP BY province
)
SELECT t.province, t.province_2025, t.articles, t.records,
       max(l.value) FILTER (l.subject = 'party_member') AS party_members,
       max(l.value) FILTER (l.subject = 'party_org') AS party_orgs,
       max(l.value) FILTER (l.subject = 'union_member') AS union_members,
       any_value(a.value) AS admitted, any_value(a.year) AS admitted_year
FROM totals t
LEFT JOIN largest_latest l ON l.province = t.province
LEFT JOIN admissions a ON a.province = t.province
GROUP BY t.province, t.province_2025, t.articles, t.records
ORDER BY t.records DESC, t.province;
COMMENT ON VIEW province_overview IS 'One row per province: articles and records stored, the largest latest stock of party members, party organisations and union members, and the latest one-year party admissions figure with its year.';
