// name: indicator_unmeasured
// description: Targets whose period ended before the day audited (as_of: periodEnd
//   before it) with no actual for the same subject, indicator and period. Related: the
//   subject (sentra, zone, kecamatan or actor; none for the whole area).
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// columns: subject, subject_name, related, related_names, period, area, target, unit
// check: indicator.unmeasured
// severity: warning
MATCH (i:Indicator)
WHERE i.periodEnd < $as_of
OPTIONAL MATCH (i)-[:OF_SENTRA|OF_ZONE|OF_KECAMATAN|OF_ACTOR]->(area)
// The keys and the test in a WITH, the aggregates over plain variables (cheaper for
// FalkorDB than expressions inside them); the actuals counted while grouping instead of
// searched in each group's list afterwards.
WITH area, i, i.indicator AS indicator, i.period AS period,
     CASE WHEN i.kind = 'actual' THEN i END AS actual
WITH area, indicator, period, collect(i) AS rows, count(actual) AS actuals
WHERE actuals = 0
UNWIND rows AS t
RETURN t.id AS subject, t.indicator AS subject_name,
       [x IN [area] WHERE x IS NOT NULL | x.id] AS related,
       [x IN [area] WHERE x IS NOT NULL | x.name] AS related_names,
       t.period AS period, coalesce(area.name, 'whole area') AS area,
       t.value AS target, coalesce(t.unit, 'no unit') AS unit
ORDER BY subject
