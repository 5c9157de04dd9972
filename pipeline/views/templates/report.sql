-- The figures the report draws, one row per stored statistic, with the article it came from.
-- Only base tables (articles, statistics) are read. `year` is the figure's period end, else its
-- start, else the article's publication year (a stock reported "hiện nay").
SELECT s.article_id, s.seq, s.subject::VARCHAR AS subject, s.measure::VARCHAR AS measure,
       s.value, s.target, s.province, s.province_2025,
       coalesce(s.year_end, s.year_start, year(a.published)) AS year,
       s.year_start IS NOT DISTINCT FROM s.year_end AS single_year,
       a.published, a.title, a.url, a.source, s.text, s.sentence, s.start
FROM statistics s JOIN articles a ON a.id = s.article_id
WHERE s.province IS NOT NULL AND s.unit = 'count'
  AND ((s.measure = 'count' AND s.subject IN ('party_member', 'party_org', 'union_member'))
       OR (s.measure = 'admitted' AND s.subject = 'party_member')
       OR s.target IS NOT NULL)
ORDER BY s.province, s.article_id, s.seq
