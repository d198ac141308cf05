-- annual_summary_report.sql for psql on a PostgreSQL store: every figure `fupin report annual`
-- states, the peer of the annual report in pg_bench.py. The harness sets the psql variables
-- unit, year, from and to (-v) and runs psql with -At -F '<TAB>'; it compares the figures with
-- annual_summary_report.sql's on the SQLite workspace as numbers (a real sum prints 10 here and
-- 10.0 there; money prints without a trailing zero, since the figures column is a number).
-- Differences from the SQLite text, each for PostgreSQL's sake: psql's :name / :'name'
-- variables; aliases on subqueries in FROM; div() for the per-capita income, since a sum of
-- bigint is numeric here; the band factor cast from its text setting; a number column instead
-- of printf's text; the temporary index named without a schema; village figures grouped by
-- name too (a temporary table has no key to imply it); and each temporary table analysed once
-- made, since autovacuum never analyses temporary tables and the planner would guess their
-- sizes (at province scale the unanalysed text took 4.2 s, the analysed 1.0 s).
\set QUIET on
-- The scope, as the summary reads it: the unit's villages; every household recorded in them
-- (what `household_id.village_id` reaches, valid or not); the valid ones; and those registered
-- by the end of each year.
CREATE TEMP TABLE v AS SELECT id, name FROM villages WHERE unit_id = :unit AND valid = 1;
ANALYZE v;
CREATE TEMP TABLE hh AS SELECT id FROM households WHERE village_id IN (SELECT id FROM v);
ANALYZE hh;
CREATE TEMP TABLE vh AS
  SELECT id, village_id, size, standard, attribute, status, year_identified, year_exited
  FROM households WHERE village_id IN (SELECT id FROM v) AND valid = 1;
ANALYZE vh;

-- Status on 31 December of this year and the year before (monitoring's status_at): the last
-- dated change on or before that day; before the first change, the status it changed from;
-- without changes, the recorded status, an exit of a later year not yet counted. Households
-- registered after the year have none.
CREATE TEMP TABLE sc AS SELECT household_id, date, id, from_status, status FROM status_changes
  WHERE valid = 1 AND household_id IN (SELECT id FROM vh);
ANALYZE sc;
CREATE INDEX sc_household ON sc(household_id, date, id);
CREATE TEMP TABLE st AS
  SELECT y.year, h.id, h.village_id, h.size, h.standard, h.attribute, COALESCE(
    (SELECT c.status FROM sc c WHERE c.household_id = h.id AND c.date <= y.year || '-12-31' ORDER BY c.date DESC, c.id DESC LIMIT 1),
    (SELECT c.from_status FROM sc c WHERE c.household_id = h.id ORDER BY c.date, c.id LIMIT 1),
    CASE WHEN h.status IN ('已脱贫（享受政策）', '已脱贫（不再享受政策）') AND h.year_exited > y.year THEN '未脱贫'
         ELSE h.status END) AS status
  FROM vh h, (SELECT :year AS year UNION ALL SELECT :year - 1) y
  WHERE COALESCE(h.year_identified, 0) <= y.year;
ANALYZE st;

-- Income figures (FupinCore's IncomeFigures) of this year and the year before for every
-- household of the villages with income lines: counted income less costs per person (valid
-- members, else the recorded size), rounded half away from zero; the line and the band.
CREATE TEMP TABLE inc AS
  WITH lines AS (
    SELECT year, household_id,
           SUM(CASE WHEN subcategory IN ('教育补助', '医疗补助', '住房补助') THEN 0 ELSE amount END)
             - SUM(COALESCE(cost, 0)) AS net, COUNT(*) AS n
    FROM incomes WHERE valid = 1 AND year IN (:year, :year - 1) AND household_id IN (SELECT id FROM hh)
    GROUP BY year, household_id),
  people AS (
    SELECT l.year, l.household_id, l.net, l.n,
           COALESCE(NULLIF((SELECT COUNT(*) FROM members m WHERE m.household_id = l.household_id AND m.valid = 1), 0),
                    CASE WHEN h.size > 0 THEN h.size END) AS people
    FROM lines l JOIN households h ON h.id = l.household_id)
  SELECT year, household_id, n, CASE WHEN net >= 0 THEN div(2 * net + people, 2 * people)
                                     ELSE -div(2 * -net + people, 2 * people) END AS per_capita
  FROM people;
ANALYZE inc;
CREATE TEMP TABLE line AS
  SELECT amount, (amount * factor + 50) / 100 AS band FROM poverty_lines,
    (SELECT CAST(ROUND(CAST(COALESCE((SELECT value FROM settings WHERE key = 'monitoring_band_factor'), '1.5') AS numeric) * 100) AS INTEGER)
       AS factor) f
  WHERE year = :year;
ANALYZE line;

CREATE TEMP TABLE dist AS SELECT household_id, item, quantity, value, date FROM distributions
  WHERE valid = 1 AND date >= (:year - 1) || '-01-01' AND date < :'to' AND household_id IN (SELECT id FROM hh);
ANALYZE dist;
CREATE TEMP TABLE vis AS SELECT household_id, mode, date FROM visits
  WHERE valid = 1 AND date >= (:year - 1) || '-01-01' AND date < :'to' AND household_id IN (SELECT id FROM hh);
ANALYZE vis;
CREATE TEMP TABLE sal AS SELECT household_id, product, amount, date FROM sales
  WHERE valid = 1 AND date >= (:year - 1) || '-01-01' AND date < :'to' AND household_id IN (SELECT id FROM hh);
ANALYZE sal;
CREATE TEMP TABLE mea AS SELECT household_id, category, done FROM measures
  WHERE valid = 1 AND year = :year AND household_id IN (SELECT id FROM hh);
ANALYZE mea;
CREATE TEMP TABLE tr AS SELECT id, topic, mode FROM trainings
  WHERE unit_id = :unit AND valid = 1 AND date >= :'from' AND date < :'to';
ANALYZE tr;
CREATE TEMP TABLE fu AS SELECT direction, source, amount, date FROM funds
  WHERE unit_id = :unit AND valid = 1 AND date >= (:year - 1) || '-01-01' AND date < :'to';
ANALYZE fu;
CREATE TEMP TABLE eco AS SELECT id, name, year, planned_area, completed_area FROM eco_projects
  WHERE unit_id = :unit AND valid = 1 AND year IN (:year, :year - 1);
ANALYZE eco;
CREATE TEMP TABLE rp AS SELECT year, wage FROM ranger_posts WHERE unit_id = :unit AND valid = 1 AND year IN (:year, :year - 1);
ANALYZE rp;

-- Partnerships started by the year's end, each with its status then (its last dated progress,
-- else, with no progress logged, the recorded status).
CREATE TEMP TABLE pa AS
  SELECT p.id, CASE WHEN EXISTS (SELECT 1 FROM partnership_progress e WHERE e.partnership_id = p.id AND e.valid = 1)
    THEN (SELECT e.status FROM partnership_progress e WHERE e.partnership_id = p.id AND e.valid = 1
            AND e.date <= :year || '-12-31' AND e.status IS NOT NULL ORDER BY e.date DESC, e.id DESC LIMIT 1)
    ELSE p.status END AS status
  FROM partnerships p
  WHERE p.valid = 1 AND p.village_id IN (SELECT id FROM v) AND (p.start_date IS NULL OR p.start_date <= :year || '-12-31');
ANALYZE pa;

-- The scan's suggestions among the year's households (monitoring scan): income lines this
-- year, and either a fall of more than 30 % on last year's per-capita income, or income under
-- the band — unless still an unexited registered poor household.
CREATE TEMP TABLE suggested AS
  SELECT s.id FROM st s JOIN inc i ON i.household_id = s.id AND i.year = :year
  LEFT JOIN inc p ON p.household_id = s.id AND p.year = :year - 1
  WHERE s.year = :year
    AND NOT (s.status = '未脱贫' AND s.attribute IS NOT NULL AND s.attribute <> '一般农户')
    AND ((p.per_capita > 0 AND (i.per_capita - p.per_capita) * 1.0 / p.per_capita < -0.3)
         OR i.per_capita < (SELECT band FROM line));
ANALYZE suggested;

WITH money(k, fen) AS (
  SELECT 'funds_in', COALESCE(SUM(amount), 0) FROM fu WHERE direction = 'in' AND date >= :'from'
  UNION ALL SELECT 'funds_out', COALESCE(SUM(amount), 0) FROM fu WHERE direction = 'out' AND date >= :'from'
  UNION ALL SELECT 'funds_in_by_source.' || source, SUM(amount) FROM fu WHERE direction = 'in' AND date >= :'from' GROUP BY source
  UNION ALL SELECT 'material_value.' || item, SUM(value) FROM dist WHERE date >= :'from' GROUP BY item
  UNION ALL SELECT 'material_value', COALESCE(SUM(value), 0) FROM dist WHERE date >= :'from'
  UNION ALL SELECT 'sales_per_product.' || product || '.amount', SUM(amount) FROM sal WHERE date >= :'from' GROUP BY product
  UNION ALL SELECT 'sales_by_product.' || product, SUM(amount) FROM sal WHERE date >= :'from' GROUP BY product
  UNION ALL SELECT 'sales_amount', COALESCE(SUM(amount), 0) FROM sal WHERE date >= :'from'
  UNION ALL SELECT 'poverty_line', amount FROM line
  UNION ALL SELECT 'afforestation.' || name, SUM(completed_area) FROM eco WHERE year = :year GROUP BY name
  UNION ALL SELECT 'afforestation_planned.' || name, SUM(planned_area) FROM eco WHERE year = :year GROUP BY name
  UNION ALL SELECT 'afforestation_total', COALESCE(SUM(completed_area), 0) FROM eco WHERE year = :year
  UNION ALL SELECT 'ranger_wages', COALESCE(SUM(wage), 0) FROM rp WHERE year = :year
  -- 附件1: the main figures of both years
  UNION ALL SELECT 'appendix.funds_in.' || y, (SELECT COALESCE(SUM(amount), 0) FROM fu WHERE direction = 'in' AND substr(date, 1, 4) = y)
    FROM (SELECT CAST(:year AS TEXT) AS y UNION ALL SELECT CAST(:year - 1 AS TEXT)) ys
  UNION ALL SELECT 'appendix.funds_out.' || y, (SELECT COALESCE(SUM(amount), 0) FROM fu WHERE direction = 'out' AND substr(date, 1, 4) = y)
    FROM (SELECT CAST(:year AS TEXT) AS y UNION ALL SELECT CAST(:year - 1 AS TEXT)) ys
  UNION ALL SELECT 'appendix.material_value.' || y, (SELECT COALESCE(SUM(value), 0) FROM dist WHERE substr(date, 1, 4) = y)
    FROM (SELECT CAST(:year AS TEXT) AS y UNION ALL SELECT CAST(:year - 1 AS TEXT)) ys
  UNION ALL SELECT 'appendix.sales_amount.' || y, (SELECT COALESCE(SUM(amount), 0) FROM sal WHERE substr(date, 1, 4) = y)
    FROM (SELECT CAST(:year AS TEXT) AS y UNION ALL SELECT CAST(:year - 1 AS TEXT)) ys
  UNION ALL SELECT 'appendix.afforestation_total.' || y, (SELECT COALESCE(SUM(completed_area), 0) FROM eco WHERE year = y)
    FROM (SELECT :year AS y UNION ALL SELECT :year - 1) ys
  UNION ALL SELECT 'appendix.ranger_wages.' || y, (SELECT COALESCE(SUM(wage), 0) FROM rp WHERE year = y)
    FROM (SELECT :year AS y UNION ALL SELECT :year - 1) ys
  -- 附件2: each village's material and sales
  UNION ALL SELECT 'village.' || v.name || '.material',
    (SELECT COALESCE(SUM(d.value), 0) FROM dist d JOIN households h ON h.id = d.household_id WHERE h.village_id = v.id AND d.date >= :'from')
    FROM v
  UNION ALL SELECT 'village.' || v.name || '.sales',
    (SELECT COALESCE(SUM(s.amount), 0) FROM sal s JOIN households h ON h.id = s.household_id WHERE h.village_id = v.id AND s.date >= :'from')
    FROM v),
figures(k, val) AS (
  SELECT k, round(fen / 100.0, 2) FROM money
  UNION ALL SELECT 'villages', COUNT(*) FROM v
  UNION ALL SELECT 'households', COUNT(*) FROM st WHERE year = :year
  UNION ALL SELECT 'people', COALESCE(SUM(size), 0) FROM st WHERE year = :year
  UNION ALL SELECT 'national_households', COUNT(*) FROM st WHERE year = :year AND standard = '国家'
  UNION ALL SELECT 'cadres', COUNT(*) FROM cadres WHERE unit_id = :unit AND valid = 1
  UNION ALL SELECT 'paired_households.' || household_id, COUNT(*) FROM pairings
    WHERE valid = 1 AND household_id IN (SELECT id FROM hh) AND start_date <= :year || '-12-31' GROUP BY household_id
  UNION ALL SELECT 'measures', COUNT(*) FROM mea
  UNION ALL SELECT 'measure_households.' || household_id, COUNT(*) FROM mea GROUP BY household_id
  UNION ALL SELECT 'measures_done', COUNT(*) FROM mea WHERE done = 1
  UNION ALL SELECT 'industry_measures', COUNT(*) FROM mea WHERE category = '产业'
  UNION ALL SELECT 'industry_measure_households.' || household_id, COUNT(*) FROM mea WHERE category = '产业' GROUP BY household_id
  UNION ALL SELECT 'funds_in_records', COUNT(*) FROM fu WHERE direction = 'in' AND date >= :'from'
  UNION ALL SELECT 'material.' || item, SUM(quantity) FROM dist WHERE date >= :'from' GROUP BY item
  UNION ALL SELECT 'per_household.' || item || '.' || household_id, SUM(quantity) FROM dist WHERE date >= :'from' GROUP BY item, household_id
  UNION ALL SELECT 'distribution_records', COUNT(*) FROM dist WHERE date >= :'from'
  UNION ALL SELECT 'sales_per_product.' || product || '.n', COUNT(*) FROM sal WHERE date >= :'from' GROUP BY product
  UNION ALL SELECT 'sales_records', COUNT(*) FROM sal WHERE date >= :'from'
  UNION ALL SELECT 'visits', COUNT(*) FROM vis WHERE date >= :'from'
  UNION ALL SELECT 'visits_by_mode.' || mode, COUNT(*) FROM vis WHERE date >= :'from' GROUP BY mode
  UNION ALL SELECT 'visited_households.' || household_id, COUNT(*) FROM vis WHERE date >= :'from' GROUP BY household_id
  UNION ALL SELECT 'trainings', COUNT(*) FROM tr
  UNION ALL SELECT 'trainings_by_topic.' || topic, COUNT(*) FROM tr GROUP BY topic
  UNION ALL SELECT 'trainings_by_mode.' || mode, COUNT(*) FROM tr GROUP BY mode
  UNION ALL SELECT 'training_attendees', COUNT(*) FROM training_attendees WHERE training_id IN (SELECT id FROM tr)
  UNION ALL SELECT 'training_households.' || COALESCE(CAST(household_id AS TEXT), ''), COUNT(*) FROM training_attendees
    WHERE training_id IN (SELECT id FROM tr) GROUP BY household_id
  UNION ALL SELECT 'households_by_status.' || status, COUNT(*) FROM st WHERE year = :year AND status IS NOT NULL GROUP BY status
  UNION ALL SELECT 'income_households.' || household_id, n FROM inc WHERE year = :year
  UNION ALL SELECT 'income_above_line', COUNT(*) FROM inc WHERE year = :year AND per_capita > (SELECT amount FROM line)
    HAVING EXISTS (SELECT 1 FROM line) AND EXISTS (SELECT 1 FROM inc WHERE year = :year)
  UNION ALL SELECT 'monitoring_suggested', COUNT(*) FROM suggested
  UNION ALL SELECT 'teams', COUNT(*) FROM teams WHERE unit_id = :unit AND valid = 1 AND start_date <= :year || '-12-31'
  UNION ALL SELECT 'team_members.' || t.id, (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) FROM teams t
    WHERE t.unit_id = :unit AND t.valid = 1 AND t.start_date <= :year || '-12-31' AND (t.end_date IS NULL OR t.end_date >= :'from')
  UNION ALL SELECT 'partnerships', COUNT(*) FROM pa WHERE status IS NOT NULL
  UNION ALL SELECT 'partnerships_by_status.' || status, COUNT(*) FROM pa WHERE status IS NOT NULL GROUP BY status
  UNION ALL SELECT 'eco_projects', COUNT(*) FROM eco WHERE year = :year
  UNION ALL SELECT 'ranger_posts', COUNT(*) FROM rp WHERE year = :year
  UNION ALL SELECT 'notes.' || kind, COUNT(*) FROM notes WHERE year = :year AND unit_id = :unit AND kind IN ('problem', 'next_step') GROUP BY kind
  UNION ALL SELECT 'notes.' || kind, 0 FROM (SELECT 'problem' AS kind UNION ALL SELECT 'next_step') ks
    WHERE kind NOT IN (SELECT kind FROM notes WHERE year = :year AND unit_id = :unit)
  UNION ALL SELECT 'national_to_help', COUNT(*) FROM st WHERE year = :year AND standard = '国家' AND status IN ('未脱贫', '返贫')
  -- 附件1: counts of both years
  UNION ALL SELECT 'appendix.visits.' || y, (SELECT COUNT(*) FROM vis WHERE substr(date, 1, 4) = y)
    FROM (SELECT CAST(:year AS TEXT) AS y UNION ALL SELECT CAST(:year - 1 AS TEXT)) ys
  UNION ALL SELECT 'appendix.trainings.' || y, (SELECT COUNT(*) FROM trainings WHERE unit_id = :unit AND valid = 1 AND substr(date, 1, 4) = y)
    FROM (SELECT CAST(:year AS TEXT) AS y UNION ALL SELECT CAST(:year - 1 AS TEXT)) ys
  UNION ALL SELECT 'appendix.households_open.' || y.year, COUNT(s.id) FROM (SELECT :year AS year UNION ALL SELECT :year - 1) y
    LEFT JOIN st s ON s.year = y.year AND s.status IN ('未脱贫', '返贫') GROUP BY y.year
  -- 附件2: each village's households, people and open households at the year's end, its
  -- measures and visits
  UNION ALL SELECT 'village.' || v.name || '.households', COUNT(s.id) FROM v LEFT JOIN st s
    ON s.village_id = v.id AND s.year = :year AND s.status IS NOT NULL GROUP BY v.id, v.name
  UNION ALL SELECT 'village.' || v.name || '.people', COALESCE(SUM(s.size), 0) FROM v LEFT JOIN st s
    ON s.village_id = v.id AND s.year = :year AND s.status IS NOT NULL GROUP BY v.id, v.name
  UNION ALL SELECT 'village.' || v.name || '.open', COUNT(s.id) FROM v LEFT JOIN st s
    ON s.village_id = v.id AND s.year = :year AND s.status IN ('未脱贫', '返贫') GROUP BY v.id, v.name
  UNION ALL SELECT 'village.' || v.name || '.measures',
    (SELECT COUNT(*) FROM mea m JOIN households h ON h.id = m.household_id WHERE h.village_id = v.id) FROM v
  UNION ALL SELECT 'village.' || v.name || '.visits',
    (SELECT COUNT(*) FROM vis s JOIN households h ON h.id = s.household_id WHERE h.village_id = v.id AND s.date >= :'from') FROM v)
SELECT k, val FROM figures ORDER BY k;
