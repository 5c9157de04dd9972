-- Views for analysts, replaced every time thongke opens the database to write.
-- Old-province views carry both `province` and `province_2025`; the `_2025`
-- views add up the merged old provinces into their 2025 unit.
-- Every view column has a comment: the columns made here are commented below
-- each view; a view that is `SELECT * FROM another` keeps that one's comments,
-- and a column passed through from a table (province, subject, title …) takes
-- that table column's comment (pipeline/store/database.py, `inherit_comments`).

CREATE OR REPLACE VIEW units_2025 AS
SELECT name_2025, code_2025, official_name_2025, count(*) AS provinces,
       string_agg(name, ', ' ORDER BY name) AS old_provinces
FROM provinces
GROUP BY name_2025, code_2025, official_name_2025;
COMMENT ON VIEW units_2025 IS 'The 34 units after the 2025 merger, with how many and which old provinces each took in.';
COMMENT ON COLUMN units_2025.provinces IS 'How many pre-2025 provinces the unit took in';
COMMENT ON COLUMN units_2025.old_provinces IS 'Their names, comma-separated, in alphabetical order';

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
COMMENT ON COLUMN figures.year IS 'The year, when the period is one year (year_start = year_end); NULL otherwise';

CREATE OR REPLACE VIEW counts AS
SELECT province, province_2025, region, subject, scope, value, qualifier,
       coalesce(year_end, year_start) AS year, published, title, doc, article_id, seq, text, sentence
FROM figures
WHERE measure = 'count' AND unit = 'count';
COMMENT ON VIEW counts IS 'Every stock (measure count, unit count) with the year it refers to (the end of its period).';
COMMENT ON COLUMN counts.year IS 'The year the stock refers to: the end of its period (year_end, else year_start)';

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
COMMENT ON COLUMN latest_counts_2025.value IS 'Sum over the unit''s old provinces of each one''s largest latest stock';
COMMENT ON COLUMN latest_counts_2025.year IS 'The oldest of the years of the stocks added up';
COMMENT ON COLUMN latest_counts_2025.provinces_reporting IS 'How many of the unit''s old provinces have a stock of this subject';
COMMENT ON COLUMN latest_counts_2025.provinces_in_unit IS 'How many old provinces the unit took in (units_2025.provinces)';
COMMENT ON COLUMN latest_counts_2025.provinces IS 'The old provinces added up, comma-separated';
COMMENT ON COLUMN latest_counts_2025.titles IS 'The titles (or doc ids) of the articles the stocks come from, in the order of provinces, separated by |';

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
COMMENT ON COLUMN figures_by_year.year IS 'The year, when the period is one year; NULL otherwise';
COMMENT ON COLUMN figures_by_year.value IS 'The largest figure reported for the province, subject, measure, unit and period';
COMMENT ON COLUMN figures_by_year.records IS 'How many figures were reported for the province, subject, measure, unit and period';

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
COMMENT ON COLUMN figures_by_year_2025.year IS 'The year, when the period is one year; NULL otherwise';
COMMENT ON COLUMN figures_by_year_2025.value IS 'Counts: the sum of the old provinces'' figures_by_year values; a percentage only when one old province reports it';
COMMENT ON COLUMN figures_by_year_2025.provinces_reporting IS 'How many of the unit''s old provinces report this figure';
COMMENT ON COLUMN figures_by_year_2025.provinces_in_unit IS 'How many old provinces the unit took in (units_2025.provinces)';
COMMENT ON COLUMN figures_by_year_2025.provinces IS 'The old provinces reporting, comma-separated';
COMMENT ON COLUMN figures_by_year_2025.titles IS 'The titles (or doc ids) of the articles the figures come from, in the order of provinces, separated by |';
COMMENT ON COLUMN figures_by_year_2025.records IS 'How many figures were reported across the old provinces';

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
COMMENT ON COLUMN targets.ratio IS 'value / target (1.1 = 110 % of the target); NULL when the target is 0';

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
COMMENT ON COLUMN province_overview.articles IS 'How many stored articles have a figure for the province';
COMMENT ON COLUMN province_overview.records IS 'How many records the province has';
COMMENT ON COLUMN province_overview.party_members IS 'The largest latest stock of party members (latest_counts), usually the whole province''s';
COMMENT ON COLUMN province_overview.party_orgs IS 'The largest latest stock of Party organisations (latest_counts)';
COMMENT ON COLUMN province_overview.union_members IS 'The largest latest stock of trade-union members (latest_counts)';
COMMENT ON COLUMN province_overview.admitted IS 'Party members admitted in the latest year with a one-year figure (flows_by_year)';
COMMENT ON COLUMN province_overview.admitted_year IS 'The year of that admissions figure';
