-- The figures of annual_summary.lua as hand-written SQL, for the sqlite3 shell: the peer of the
-- annual-summary benchmark (the first round's figures; the report plugin's whole set, for
-- `fupin report annual`, is annual_summary_report.sql). :year, :unit, :from, :to are set by the
-- harness (.param set).
-- Output: "key<TAB>value" lines, sorted, money and areas in integer fen / hundredths.
.mode tabs
.headers off
WITH v AS (SELECT id FROM villages WHERE unit_id = :unit AND valid = 1),
     h AS (SELECT id, status FROM households WHERE village_id IN (SELECT id FROM v) AND valid = 1),
     f AS (SELECT direction, source, amount FROM funds WHERE unit_id = :unit AND valid = 1 AND date >= :from AND date < :to),
     d AS (SELECT item, quantity, value FROM distributions WHERE village_id IN (SELECT id FROM v) AND valid = 1 AND date >= :from AND date < :to),
     e AS (SELECT planned_area, completed_area FROM eco_projects WHERE unit_id = :unit AND year = :year AND valid = 1),
     r AS (SELECT wage FROM ranger_posts WHERE unit_id = :unit AND year = :year AND valid = 1),
     t AS (SELECT id FROM trainings WHERE unit_id = :unit AND valid = 1 AND date >= :from AND date < :to),
     vi AS (SELECT mode FROM visits WHERE cadre_id IN (SELECT id FROM cadres WHERE unit_id = :unit AND valid = 1) AND valid = 1 AND date >= :from AND date < :to),
     figures(k, val) AS (
       SELECT 'villages', COUNT(*) FROM v
       UNION ALL SELECT 'households', COUNT(*) FROM h
       UNION ALL SELECT 'households_by_status.' || status, COUNT(*) FROM h GROUP BY status
       UNION ALL SELECT 'funds_in.' || source, SUM(amount) FROM f WHERE direction = 'in' GROUP BY source
       UNION ALL SELECT 'funds_out.' || source, SUM(amount) FROM f WHERE direction = 'out' GROUP BY source
       UNION ALL SELECT 'distributions_quantity.' || item, CAST(SUM(quantity) AS INTEGER) FROM d GROUP BY item
       UNION ALL SELECT 'distributions_value.' || item, SUM(value) FROM d GROUP BY item
       UNION ALL SELECT 'sales.' || s.product, SUM(s.amount) FROM sales s WHERE s.household_id IN (SELECT id FROM h)
                   AND s.valid = 1 AND s.date >= :from AND s.date < :to GROUP BY s.product
       UNION ALL SELECT 'eco_projects', COUNT(*) FROM e
       UNION ALL SELECT 'eco_planned_area', COALESCE(SUM(planned_area), 0) FROM e
       UNION ALL SELECT 'eco_completed_area', COALESCE(SUM(completed_area), 0) FROM e
       UNION ALL SELECT 'rangers', COUNT(*) FROM r
       UNION ALL SELECT 'ranger_wages', COALESCE(SUM(wage), 0) FROM r
       UNION ALL SELECT 'trainings', COUNT(*) FROM t
       UNION ALL SELECT 'training_attendees', COUNT(*) FROM training_attendees WHERE training_id IN (SELECT id FROM t)
       UNION ALL SELECT 'visits', COUNT(*) FROM vi
       UNION ALL SELECT 'visits_by_mode.' || mode, COUNT(*) FROM vi GROUP BY mode)
SELECT k, val FROM figures ORDER BY k;
