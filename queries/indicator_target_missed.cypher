// name: indicator_target_missed
// description: Targets whose period ended before the day audited (as_of: periodEnd
//   before it) and whose actual for the same subject, indicator and period is worse in
//   the target's direction (up: lower; down: higher). An actual counts from its
//   periodEnd on, so the actual of an ended period is known. Related: the subject
//   (sentra, zone, kecamatan or actor; none for the whole area).
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// columns: subject, subject_name, related, related_names, period, area, actual, target, unit, direction
// check: indicator.target_missed
// severity: warning
MATCH (i:Indicator)
WHERE i.periodEnd < $as_of
OPTIONAL MATCH (i)-[:OF_SENTRA|OF_ZONE|OF_KECAMATAN|OF_ACTOR]->(area)
WITH area, i.indicator AS indicator, i.period AS period, collect(i) AS rows
WITH area, [r IN rows WHERE r.kind = 'target'] AS targets,
     [r IN rows WHERE r.kind = 'actual'] AS actuals
WHERE size(actuals) > 0
UNWIND targets AS t
WITH area, t, actuals[0] AS a, coalesce(t.direction, 'up') AS direction
WHERE (direction = 'up' AND a.value < t.value) OR (direction = 'down' AND a.value > t.value)
RETURN t.id AS subject, t.indicator AS subject_name,
       [x IN [area] WHERE x IS NOT NULL | x.id] AS related,
       [x IN [area] WHERE x IS NOT NULL | x.name] AS related_names,
       t.period AS period, coalesce(area.name, 'whole area') AS area,
       a.value AS actual, t.value AS target, coalesce(t.unit, a.unit, 'no unit') AS unit,
       direction
ORDER BY subject
