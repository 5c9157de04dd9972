-- The figures the report draws: province-level facts (view facts), one row per reported figure,
-- with the article of the record shown and whether the articles disagree (conflict, values).
-- `year` is the figure's period end, else its start, else the article's publication year (a stock
-- reported "hiện nay"); single_year: one whole year (part-years are never drawn as a year).
SELECT f.article_id, f.seq, f.subject::VARCHAR AS subject, f.measure::VARCHAR AS measure,
       f.value, f.target, f.province, f.province_2025,
       coalesce(f.year_end, f.year_start, year(f.published)) AS year,
       f.year_start IS NOT DISTINCT FROM f.year_end AND f.month_start IS NULL AND f.month_end IS NULL AS single_year,
       f.published, f.title, f.url, a.source, f.text, f.sentence, s.start, f.conflict, f."values"
FROM facts f
JOIN articles a ON a.id = f.article_id
JOIN statistics s ON s.article_id = f.article_id AND s.seq = f.seq
WHERE f.level = 'province' AND f.province IS NOT NULL AND f.unit = 'count'
  AND ((f.measure = 'count' AND f.subject IN ('party_member', 'party_org', 'union_member'))
       OR (f.measure = 'admitted' AND f.subject = 'party_member')
       OR f.target IS NOT NULL)
ORDER BY f.province, f.article_id, f.seq
