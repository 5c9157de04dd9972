-- Views for analysts, replaced every time thongke opens the database to write.
--
-- Records are folded into facts (one row per reported figure, view `facts`); every view that
-- compares provinces reads facts, never raw records. Every view carries `level` (how much of its
-- province a figure speaks for): compare like with like by filtering `level = 'province'` (a
-- province's whole organisation); the `_2025` sums, `province_overview` and `coverage` hold
-- province-level facts only, because only those add up to a province or a 2025 unit.
-- A yearly figure is a whole-year one (`month_start`/`month_end` NULL): part-year figures keep
-- their own rows (their `period` names the months) and are never summed into a year.
-- Old-province views carry both `province` and `province_2025`; the `_2025` views add up the
-- merged old provinces into their 2025 unit, and only when every one of them reported.
-- Every view column has a comment: the columns made here are commented below each view; a
-- column passed through keeps the comment of the first relation the view reads it from, else of
-- the table column of that name (pipeline/store/database.py, `inherit_comments`).

CREATE OR REPLACE VIEW units_2025 AS
SELECT name_2025, code_2025, official_name_2025, count(*) AS provinces,
       string_agg(name, ', ' ORDER BY name) AS old_provinces
FROM provinces
GROUP BY name_2025, code_2025, official_name_2025;
COMMENT ON VIEW units_2025 IS 'The 34 units after the 2025 merger, with how many and which old provinces each took in.';
COMMENT ON COLUMN units_2025.provinces IS 'How many old provinces the unit took in';
COMMENT ON COLUMN units_2025.old_provinces IS 'The old provinces it took in, comma-separated';

CREATE OR REPLACE VIEW figures AS
SELECT s.article_id, s.seq, s.province, s.province_2025, p.region, s.level,
       s.subject, s.measure, s.unit, s.qualifier, s.value, s.high, s.target,
       s.year_start, s.year_end, s.month_start, s.month_end,
       CASE WHEN s.year_start = s.year_end AND s.month_start IS NULL AND s.month_end IS NULL THEN s.year_end END AS year,
       CASE WHEN coalesce(s.year_start, s.year_end, s.month_start, s.month_end) IS NOT NULL THEN concat(
           CASE WHEN s.year_start IS NOT DISTINCT FROM s.year_end THEN coalesce(s.year_start::VARCHAR, '?')
                ELSE concat(coalesce(s.year_start::VARCHAR, '?'), '–', coalesce(s.year_end::VARCHAR, '?')) END,
           CASE WHEN s.month_start IS NOT NULL OR s.month_end IS NOT NULL THEN concat(' T', coalesce(s.month_start::VARCHAR, '?'),
                CASE WHEN s.month_start IS DISTINCT FROM s.month_end THEN concat('–', coalesce(s.month_end::VARCHAR, '?')) ELSE '' END)
                ELSE '' END) END AS period,
       s.scope, s.text, s.sentence, s.rule, s.extractor_version,
       a.title, a.doc, a.published, a.outlet, a.url
FROM statistics s
JOIN articles a ON a.id = s.article_id
LEFT JOIN provinces p ON p.name = s.province;
COMMENT ON VIEW figures IS 'Every statistic record with its article (title, doc, published, outlet, url), region, year and period label.';
COMMENT ON COLUMN figures.year IS 'The year, when the figure covers one whole year (year_start = year_end, no months); NULL for a term, a part-year or an unknown period';
COMMENT ON COLUMN figures.period IS 'The period as a label: ''2023'', ''2020–2025'', ''2023 T1–6'' (months 1 to 6 of 2023); NULL when unknown';

-- A fact's key: province, level, subject, measure, unit, period (years and months), and the scope
-- lower-cased for figures below the province (one district or firm is not another); a national or
-- province-level figure speaks for the whole body, however its scope is written.
-- Within a key, values that agree within rounding are one figure: equal to two decimals, or one
-- written round that is a figure written in full digits rounded to its last non-zero digit. Written
-- round: qualified ('khoảng 5.000', 'hơn 173.000', 'chưa đến 50': approx rounds, more_than and
-- at_least cut down, less_than cuts up) or written with a word ('173 nghìn', '1,5 triệu': rounds).
CREATE OR REPLACE VIEW fact_records AS
WITH keyed AS (
    SELECT f.*,
           CASE WHEN f.level IN ('national', 'province') THEN NULL ELSE lower(trim(f.scope)) END AS scope_key,
           CASE WHEN f.value = floor(f.value) AND f.value <> 0
                THEN 10 ^ (length(abs(f.value)::BIGINT::VARCHAR) - length(rtrim(abs(f.value)::BIGINT::VARCHAR, '0')))
                ELSE 0.01 END AS step,
           f.qualifier NOT IN ('exact', 'range') OR regexp_matches(f.text, '[[:alpha:]]') AS written_round
    FROM figures f
), identified AS (
    SELECT *, left(md5(concat_ws('|', coalesce(province, '∅'), coalesce(level::VARCHAR, '∅'), subject, measure, unit,
                                 coalesce(year_start::VARCHAR, '∅'), coalesce(year_end::VARCHAR, '∅'),
                                 coalesce(month_start::VARCHAR, '∅'), coalesce(month_end::VARCHAR, '∅'),
                                 coalesce(scope_key, '∅'))), 16) AS fact_id
    FROM keyed
), exact AS (
    SELECT DISTINCT fact_id, round(value, 2) AS value FROM identified WHERE NOT written_round
), rounded AS (
    SELECT i.article_id, i.seq, e.value AS figure
    FROM identified i JOIN exact e ON e.fact_id = i.fact_id
    WHERE i.written_round
      AND ((i.qualifier IN ('approx', 'exact', 'range') AND round(e.value / i.step) * i.step = i.value)
           OR (i.qualifier IN ('more_than', 'at_least') AND e.value >= i.value AND e.value < i.value + i.step)
           OR (i.qualifier = 'less_than' AND e.value <= i.value AND e.value > i.value - i.step))
    QUALIFY row_number() OVER (PARTITION BY i.article_id, i.seq ORDER BY abs(e.value - i.value), e.value) = 1
)
SELECT i.fact_id, coalesce(r.figure, round(i.value, 2)) AS figure, i.* EXCLUDE (fact_id, step, written_round)
FROM identified i
LEFT JOIN rounded r ON r.article_id = i.article_id AND r.seq = i.seq;
COMMENT ON VIEW fact_records IS 'Every statistic record (the columns of figures) with the fact it reports: join facts on fact_id for all the evidence of one fact.';
COMMENT ON COLUMN fact_records.fact_id IS 'The fact this record reports (facts.fact_id): a hash of the key province, level, subject, measure, unit, years, months and, below province level, scope';
COMMENT ON COLUMN fact_records.figure IS 'The value this record reports, read within rounding: a figure written round (khoảng, hơn, nghìn, triệu) takes the full-digit value of the same key it rounds to, otherwise its own value to two decimals';
COMMENT ON COLUMN fact_records.scope_key IS 'The scope as part of the fact key: lower-cased; NULL for national and province-level figures, which speak for the whole body';

-- Pick rule when the records of one key disagree: the value of the latest published record, then
-- the value most records report, then the larger. The shown record (text, sentence, article) is
-- the latest published one with that value, an exact one before a qualified one.
CREATE OR REPLACE VIEW facts AS
WITH r AS MATERIALIZED (
    SELECT * FROM fact_records
), picked AS (
    SELECT fact_id, figure, count(*) AS value_records, count(DISTINCT article_id) AS value_articles
    FROM r GROUP BY fact_id, figure
    QUALIFY row_number() OVER (PARTITION BY fact_id ORDER BY max(published) DESC NULLS LAST, count(*) DESC, figure DESC) = 1
), ranked AS (
    SELECT r.*, r.figure = p.figure AS agrees, p.value_records, p.value_articles,
           row_number() OVER (PARTITION BY r.fact_id ORDER BY r.figure = p.figure DESC, r.published DESC NULLS LAST,
                              r.qualifier = 'exact' DESC, r.article_id, r.seq) AS rank
    FROM r JOIN picked p ON p.fact_id = r.fact_id
), summary AS (
    SELECT fact_id, count(*) AS records, count(DISTINCT article_id) AS articles,
           list(DISTINCT figure ORDER BY figure) AS "values", count(DISTINCT figure) > 1 AS conflict,
           first(target ORDER BY published DESC NULLS LAST, article_id, seq) FILTER (target IS NOT NULL AND agrees) AS target,
           first(article_id ORDER BY published NULLS LAST, article_id, seq) AS first_article_id,
           min(published) AS first_published,
           first(coalesce(title, doc) ORDER BY published NULLS LAST, article_id, seq) AS first_title,
           first(article_id ORDER BY published DESC NULLS LAST, article_id, seq) AS latest_article_id,
           max(published) AS latest_published,
           first(coalesce(title, doc) ORDER BY published DESC NULLS LAST, article_id, seq) AS latest_title
    FROM ranked GROUP BY fact_id
)
SELECT s.fact_id, s.province, s.province_2025, s.region, s.level, s.subject, s.measure, s.unit,
       s.year_start, s.year_end, s.month_start, s.month_end, s.year, s.period, s.scope, s.scope_key,
       s.figure AS value, s.qualifier, s.high, m.target, m."values", m.conflict,
       m.records, m.articles, s.value_records, s.value_articles,
       m.first_article_id, m.first_published, m.first_title, m.latest_article_id, m.latest_published, m.latest_title,
       s.article_id, s.seq, s.text, s.sentence, s.title, s.doc, s.published, s.url
FROM ranked s
JOIN summary m ON m.fact_id = s.fact_id
WHERE s.rank = 1;
COMMENT ON VIEW facts IS 'One row per reported figure: the records of one key (province, level, subject, measure, unit, period, and scope below province level) folded into one, values agreeing within rounding. When they disagree, conflict is true, values lists what was seen, and value is picked: the latest published, then the most reported. Evidence: fact_records on fact_id.';
COMMENT ON COLUMN facts.fact_id IS 'The fact''s key as a hash (see fact_records.fact_id): join fact_records on it for every record and sentence that reports it';
COMMENT ON COLUMN facts.scope IS 'The body the figure belongs to, as written in the shown record';
COMMENT ON COLUMN facts.scope_key IS 'The scope as part of the key: lower-cased; NULL for national and province-level figures';
COMMENT ON COLUMN facts.value IS 'The figure: when the records disagree, the value of the latest published record, then the one most reported';
COMMENT ON COLUMN facts.qualifier IS 'Qualifier of the shown record (exact, approx, more_than, …)';
COMMENT ON COLUMN facts.target IS 'Planned figure (''103/80'' → 80) of the latest record with the picked value that gives one';
COMMENT ON COLUMN facts."values" IS 'Every distinct value the records of this key report, ascending';
COMMENT ON COLUMN facts.conflict IS 'True when the records of this key report different values (beyond rounding)';
COMMENT ON COLUMN facts.records IS 'How many records report this key (a headline and its body count twice)';
COMMENT ON COLUMN facts.articles IS 'How many articles report this key';
COMMENT ON COLUMN facts.value_records IS 'How many records report the picked value';
COMMENT ON COLUMN facts.value_articles IS 'How many articles report the picked value';
COMMENT ON COLUMN facts.first_article_id IS 'The earliest published article reporting this key (articles.id)';
COMMENT ON COLUMN facts.first_published IS 'When the earliest article reporting this key was published';
COMMENT ON COLUMN facts.first_title IS 'Title (else doc) of the earliest article reporting this key';
COMMENT ON COLUMN facts.latest_article_id IS 'The latest published article reporting this key (articles.id)';
COMMENT ON COLUMN facts.latest_published IS 'When the latest article reporting this key was published';
COMMENT ON COLUMN facts.latest_title IS 'Title (else doc) of the latest article reporting this key';
COMMENT ON COLUMN facts.article_id IS 'Article of the shown record: the latest published with the picked value';
COMMENT ON COLUMN facts.seq IS 'Position of the shown record in its article';
COMMENT ON COLUMN facts.text IS 'The shown record''s figure as written';
COMMENT ON COLUMN facts.sentence IS 'The shown record''s sentence (all of them: fact_records)';
COMMENT ON COLUMN facts.title IS 'Title of the shown record''s article';
COMMENT ON COLUMN facts.doc IS 'Document name of the shown record''s article';
COMMENT ON COLUMN facts.published IS 'Publication date of the shown record''s article';
COMMENT ON COLUMN facts.url IS 'Address of the shown record''s article';

CREATE OR REPLACE VIEW counts AS
SELECT fact_id, province, province_2025, region, level, subject, scope, scope_key, value, qualifier,
       coalesce(year_end, year_start) AS year, month_end, period, conflict, "values", records, articles,
       published, title, doc, article_id, seq, text, sentence
FROM facts
WHERE measure = 'count' AND unit = 'count';
COMMENT ON VIEW counts IS 'Every stock fact (measure count, unit count), with the year it refers to (the end of its period).';
COMMENT ON COLUMN counts.year IS 'The year the stock refers to: the end of its period, else its start';

CREATE OR REPLACE VIEW latest_counts AS
SELECT * FROM counts
QUALIFY row_number() OVER (PARTITION BY province, level, subject, scope_key
                           ORDER BY year DESC NULLS LAST, coalesce(month_end, 12) DESC,
                                    published DESC NULLS LAST, article_id, seq) = 1;
COMMENT ON VIEW latest_counts IS 'The latest stock per province, level, subject and (below province level) scope: latest period, then latest published. Filter level = ''province'' to compare provinces.';

-- A 2025 unit's sum (here and in figures_by_year_2025) is NULL unless every old province of the
-- unit reported a province-level figure: never a partial sum. provinces_reporting and
-- provinces_in_unit stand beside it, `missing` names the silent ones. A province-level figure
-- published after the merger (1 July 2025) under the unit's own name speaks for the whole new unit
-- (a new unit's total is stored under the same-named old province): it is the value, whole_unit true.
CREATE OR REPLACE VIEW latest_counts_2025 AS
WITH latest AS (
    SELECT * FROM latest_counts WHERE level = 'province' AND province IS NOT NULL
), grid AS (
    SELECT p.name AS province, p.name_2025, u.provinces AS provinces_in_unit, s.subject
    FROM provinces p JOIN units_2025 u ON u.name_2025 = p.name_2025
    CROSS JOIN (SELECT DISTINCT subject FROM latest) s
)
SELECT g.name_2025 AS province_2025, 'province' AS level, g.subject,
       coalesce(any_value(l.value) FILTER (l.province = g.name_2025 AND l.published >= DATE '2025-07-01'),
                CASE WHEN count(l.province) = any_value(g.provinces_in_unit) THEN sum(l.value) END) AS value,
       bool_or(l.province = g.name_2025 AND l.published >= DATE '2025-07-01') IS TRUE AS whole_unit,
       min(l.year) AS year, max(l.year) AS latest_year,
       count(l.province) AS provinces_reporting, any_value(g.provinces_in_unit) AS provinces_in_unit,
       string_agg(l.province, ', ' ORDER BY l.province) AS provinces,
       string_agg(g.province, ', ' ORDER BY g.province) FILTER (l.province IS NULL) AS missing,
       coalesce(bool_or(l.conflict), false) AS conflict,
       string_agg(coalesce(l.title, l.doc), ' | ' ORDER BY l.province) AS titles
FROM grid g
LEFT JOIN latest l ON l.province = g.province AND l.subject = g.subject
GROUP BY g.name_2025, g.subject
HAVING count(l.province) > 0;
COMMENT ON VIEW latest_counts_2025 IS 'Per 2025 unit and subject: the sum of each old province''s latest province-level stock, NULL unless every old province reported one (provinces_reporting of provinces_in_unit); a figure published after the merger for the whole unit stands instead (whole_unit).';
COMMENT ON COLUMN latest_counts_2025.level IS 'Always province: only whole-province figures add up to a unit';
COMMENT ON COLUMN latest_counts_2025.value IS 'Sum over the old provinces of their latest province-level stock; NULL unless every old province reported one; a whole-unit figure when whole_unit';
COMMENT ON COLUMN latest_counts_2025.whole_unit IS 'True when value is one figure published after the merger (1 July 2025) for the whole new unit, not a sum';
COMMENT ON COLUMN latest_counts_2025.year IS 'The oldest year among the stocks summed';
COMMENT ON COLUMN latest_counts_2025.latest_year IS 'The newest year among the stocks summed';
COMMENT ON COLUMN latest_counts_2025.provinces_reporting IS 'How many old provinces of the unit report a province-level stock';
COMMENT ON COLUMN latest_counts_2025.provinces_in_unit IS 'How many old provinces the unit took in';
COMMENT ON COLUMN latest_counts_2025.provinces IS 'The old provinces that report, comma-separated';
COMMENT ON COLUMN latest_counts_2025.missing IS 'The old provinces that report nothing, comma-separated (NULL when none is missing)';
COMMENT ON COLUMN latest_counts_2025.conflict IS 'True when any of the stocks summed is a conflicting fact';
COMMENT ON COLUMN latest_counts_2025.titles IS 'The articles of the stocks, one per reporting province, '' | ''-separated';

CREATE OR REPLACE VIEW figures_by_year AS
SELECT fact_id, province, province_2025, region, level, scope, subject, measure, unit, year, period,
       year_start, year_end, month_start, month_end, value, "values", conflict, records, articles,
       text, title, doc, published, article_id, sentence
FROM facts;
COMMENT ON VIEW figures_by_year IS 'One figure per province, level, subject, measure, unit and period (year when it is one whole year; part-years and terms have their own rows with year NULL): the facts with their evidence. Filter level = ''province'' to compare provinces.';

CREATE OR REPLACE VIEW figures_by_year_2025 AS
WITH province_facts AS (
    SELECT * FROM facts WHERE level = 'province' AND province IS NOT NULL
), periods AS (
    SELECT DISTINCT province_2025, subject, measure, unit, year, period, year_start, year_end, month_start, month_end
    FROM province_facts
), grid AS (
    SELECT k.*, p.name AS old_province, u.provinces AS provinces_in_unit
    FROM periods k JOIN provinces p ON p.name_2025 = k.province_2025 JOIN units_2025 u ON u.name_2025 = k.province_2025
)
SELECT g.province_2025, 'province' AS level, g.subject, g.measure, g.unit, g.year, g.period,
       g.year_start, g.year_end, g.month_start, g.month_end,
       coalesce(any_value(f.value) FILTER (f.province = g.province_2025 AND f.published >= DATE '2025-07-01'),
                CASE WHEN count(f.province) = any_value(g.provinces_in_unit)
                     THEN CASE WHEN g.unit = 'count' THEN sum(f.value) WHEN any_value(g.provinces_in_unit) = 1 THEN any_value(f.value) END END) AS value,
       bool_or(f.province = g.province_2025 AND f.published >= DATE '2025-07-01') IS TRUE AS whole_unit,
       count(f.province) AS provinces_reporting,
       any_value(g.provinces_in_unit) AS provinces_in_unit,
       string_agg(f.province, ', ' ORDER BY f.province) AS provinces,
       string_agg(g.old_province, ', ' ORDER BY g.old_province) FILTER (f.province IS NULL) AS missing,
       coalesce(bool_or(f.conflict), false) AS conflict,
       string_agg(coalesce(f.title, f.doc), ' | ' ORDER BY f.province) AS titles,
       coalesce(sum(f.records), 0)::INTEGER AS records
FROM grid g
LEFT JOIN province_facts f
       ON f.province = g.old_province AND f.subject = g.subject AND f.measure = g.measure AND f.unit = g.unit
      AND f.year_start IS NOT DISTINCT FROM g.year_start AND f.year_end IS NOT DISTINCT FROM g.year_end
      AND f.month_start IS NOT DISTINCT FROM g.month_start AND f.month_end IS NOT DISTINCT FROM g.month_end
GROUP BY g.province_2025, g.subject, g.measure, g.unit, g.year, g.period, g.year_start, g.year_end, g.month_start, g.month_end;
COMMENT ON VIEW figures_by_year_2025 IS 'Province-level facts added up over the old provinces of each 2025 unit, per subject, measure, unit and period (part-years only with the same months): value is NULL unless every old province reported that period (a figure published after the merger for the whole unit stands instead, whole_unit); a percentage only when the unit is one old province.';
COMMENT ON COLUMN figures_by_year_2025.level IS 'Always province: only whole-province figures add up to a unit';
COMMENT ON COLUMN figures_by_year_2025.value IS 'Sum over the old provinces (counts); NULL unless every old province reported this period; a whole-unit figure when whole_unit';
COMMENT ON COLUMN figures_by_year_2025.whole_unit IS 'True when value is one figure published after the merger (1 July 2025) for the whole new unit, not a sum';
COMMENT ON COLUMN figures_by_year_2025.provinces_reporting IS 'How many old provinces of the unit report a province-level figure for this period';
COMMENT ON COLUMN figures_by_year_2025.provinces_in_unit IS 'How many old provinces the unit took in';
COMMENT ON COLUMN figures_by_year_2025.provinces IS 'The old provinces that report, comma-separated';
COMMENT ON COLUMN figures_by_year_2025.missing IS 'The old provinces that report nothing for this period, comma-separated (NULL when none is missing)';
COMMENT ON COLUMN figures_by_year_2025.conflict IS 'True when any of the figures summed is a conflicting fact';
COMMENT ON COLUMN figures_by_year_2025.titles IS 'The articles of the figures, one per reporting province, '' | ''-separated';
COMMENT ON COLUMN figures_by_year_2025.records IS 'How many records report the figures summed';

CREATE OR REPLACE VIEW flows_by_year AS
SELECT * FROM figures_by_year
WHERE measure IN ('admitted', 'established', 'trained') AND unit = 'count';
COMMENT ON VIEW flows_by_year IS 'Admissions, establishments and people trained per province, level, subject, measure and period (figures_by_year restricted to flows).';

CREATE OR REPLACE VIEW flows_by_year_2025 AS
SELECT * FROM figures_by_year_2025
WHERE measure IN ('admitted', 'established', 'trained') AND unit = 'count';
COMMENT ON VIEW flows_by_year_2025 IS 'flows_by_year added up over the old provinces of each 2025 unit (NULL unless all reported).';

CREATE OR REPLACE VIEW targets AS
SELECT fact_id, province, province_2025, region, level, subject, measure, unit, year_start, year_end, month_start, month_end, period,
       value, target, CASE WHEN target <> 0 THEN value / target END AS ratio, conflict, records,
       scope, text, sentence, title, doc, published, article_id
FROM facts
WHERE target IS NOT NULL;
COMMENT ON VIEW targets IS 'Achievement against target ("103/80"), one row per fact: value, target and value/target ratio, with the article and sentence. Filter level = ''province'' to compare provinces.';
COMMENT ON COLUMN targets.ratio IS 'value / target (1.1 = 110 % of the target)';

CREATE OR REPLACE VIEW province_overview AS
WITH province_facts AS (
    SELECT * FROM facts WHERE level = 'province' AND province IS NOT NULL
), latest AS (
    SELECT province, subject, value FROM latest_counts WHERE level = 'province' AND province IS NOT NULL
), admissions AS (
    SELECT province, value, year FROM province_facts
    WHERE subject = 'party_member' AND measure = 'admitted' AND unit = 'count' AND year IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY province ORDER BY year DESC) = 1
), totals AS (
    SELECT f.province, any_value(f.province_2025) AS province_2025, count(*) AS facts,
           sum(f.records)::INTEGER AS records, count(*) FILTER (f.conflict) AS conflicts
    FROM province_facts f GROUP BY f.province
), sources AS (
    SELECT province, count(DISTINCT article_id) AS articles
    FROM fact_records WHERE level = 'province' AND province IS NOT NULL GROUP BY province
)
SELECT t.province, t.province_2025,
       any_value(l.value) FILTER (l.subject = 'party_member') AS party_members,
       any_value(l.value) FILTER (l.subject = 'party_org') AS party_orgs,
       any_value(l.value) FILTER (l.subject = 'union_member') AS union_members,
       any_value(a.value) AS admitted, any_value(a.year) AS admitted_year,
       t.conflicts, t.facts, t.records, s.articles, 'province' AS level
FROM totals t
JOIN sources s ON s.province = t.province
LEFT JOIN latest l ON l.province = t.province
LEFT JOIN admissions a ON a.province = t.province
GROUP BY ALL
ORDER BY t.facts DESC, t.province;
COMMENT ON VIEW province_overview IS 'One row per province with at least one province-level fact: how many such facts, records and articles, the latest province-level stock of party members, party organisations and union members, and the latest whole-year party admissions with its year. Figures of other levels are left out (see facts).';
COMMENT ON COLUMN province_overview.level IS 'Always province: every figure here speaks for the whole province';
COMMENT ON COLUMN province_overview.articles IS 'Articles reporting a province-level figure for the province';
COMMENT ON COLUMN province_overview.facts IS 'Province-level facts of the province';
COMMENT ON COLUMN province_overview.records IS 'Records behind those facts';
COMMENT ON COLUMN province_overview.conflicts IS 'How many of those facts are reported with different values';
COMMENT ON COLUMN province_overview.party_members IS 'Latest province-level stock of party members';
COMMENT ON COLUMN province_overview.party_orgs IS 'Latest province-level stock of party organisations';
COMMENT ON COLUMN province_overview.union_members IS 'Latest province-level stock of trade union members';
COMMENT ON COLUMN province_overview.admitted IS 'Party members admitted in the latest whole year the province reports';
COMMENT ON COLUMN province_overview.admitted_year IS 'That year';

-- Coverage: every old province (and every 2025 unit) against every subject and measure that any
-- record names, so the provinces that report nothing are rows too.
CREATE OR REPLACE VIEW coverage AS
WITH pairs AS (
    SELECT DISTINCT subject, measure FROM statistics
), reported AS (
    SELECT province, subject, measure, count(*) AS facts, max(coalesce(year_end, year_start)) AS latest_year,
           list(DISTINCT coalesce(year_end, year_start) ORDER BY coalesce(year_end, year_start))
               FILTER (coalesce(year_end, year_start) IS NOT NULL) AS years,
           count(*) FILTER (conflict) AS conflicts
    FROM facts WHERE level = 'province' GROUP BY ALL
), other AS (
    SELECT province, subject, measure, count(*) AS facts
    FROM facts WHERE level IS DISTINCT FROM 'province' GROUP BY ALL
)
SELECT p.name AS province, p.name_2025 AS province_2025, p.region, 'province' AS level, k.subject, k.measure,
       r.latest_year, coalesce(r.facts, 0) AS facts, r.years, coalesce(r.conflicts, 0) AS conflicts,
       coalesce(o.facts, 0) AS other_level_facts
FROM provinces p
CROSS JOIN pairs k
LEFT JOIN reported r ON r.province = p.name AND r.subject = k.subject AND r.measure = k.measure
LEFT JOIN other o ON o.province = p.name AND o.subject = k.subject AND o.measure = k.measure
ORDER BY p.name, k.subject, k.measure;
COMMENT ON VIEW coverage IS 'For each of the 63 old provinces and each subject and measure any record names: the latest year with a province-level fact and how many there are; provinces reporting none are rows with facts = 0.';
COMMENT ON COLUMN coverage.province IS 'One of the 63 old provinces (provinces.name), every one a row';
COMMENT ON COLUMN coverage.level IS 'Always province: coverage counts whole-province facts';
COMMENT ON COLUMN coverage.latest_year IS 'The latest year (end of period, else start) of a province-level fact; NULL when there is none';
COMMENT ON COLUMN coverage.facts IS 'How many province-level facts the province has for this subject and measure';
COMMENT ON COLUMN coverage.years IS 'The years those facts refer to, ascending';
COMMENT ON COLUMN coverage.conflicts IS 'How many of those facts are reported with different values';
COMMENT ON COLUMN coverage.other_level_facts IS 'Facts of other levels (sector, district, commune, unit, national or unknown) for this province, subject and measure: not comparable, not counted in facts';

CREATE OR REPLACE VIEW coverage_2025 AS
WITH complete AS (
    SELECT province_2025, subject, measure, max(year) AS complete_year
    FROM figures_by_year_2025 WHERE value IS NOT NULL AND year IS NOT NULL GROUP BY ALL
)
SELECT c.province_2025, 'province' AS level, c.subject, c.measure,
       max(c.latest_year) AS latest_year, any_value(x.complete_year) AS complete_year, sum(c.facts)::INTEGER AS facts,
       count(*) FILTER (c.facts > 0) AS provinces_reporting, count(*) AS provinces_in_unit,
       string_agg(c.province, ', ' ORDER BY c.province) FILTER (c.facts = 0) AS missing
FROM coverage c
LEFT JOIN complete x ON x.province_2025 = c.province_2025 AND x.subject = c.subject AND x.measure = c.measure
GROUP BY c.province_2025, c.subject, c.measure
ORDER BY c.province_2025, c.subject, c.measure;
COMMENT ON VIEW coverage_2025 IS 'coverage per 2025 unit: how many of its old provinces report a province-level fact, the latest year any of them does, and the latest whole year with a unit figure (figures_by_year_2025 value not NULL).';
COMMENT ON COLUMN coverage_2025.level IS 'Always province: coverage counts whole-province facts';
COMMENT ON COLUMN coverage_2025.latest_year IS 'The latest year any old province of the unit has a province-level fact for';
COMMENT ON COLUMN coverage_2025.complete_year IS 'The latest whole year with a unit figure in figures_by_year_2025: every old province reported, or one figure after the merger speaks for the unit; NULL when never';
COMMENT ON COLUMN coverage_2025.facts IS 'Province-level facts of the unit''s old provinces';
COMMENT ON COLUMN coverage_2025.provinces_reporting IS 'How many old provinces of the unit have at least one province-level fact';
COMMENT ON COLUMN coverage_2025.provinces_in_unit IS 'How many old provinces the unit took in';
COMMENT ON COLUMN coverage_2025.missing IS 'The old provinces with no province-level fact, comma-separated';
