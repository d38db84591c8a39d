// name: indicator_series
// description: The values of the indicators of one subject (a sentra, zone, kecamatan
//   or actor), or of the dataset's whole area when subject is null, as known on a day:
//   every target, and the actuals whose period had ended by then. Ordered by indicator,
//   period and kind.
// param: as_of: str -- the day (YYYY-MM-DD)
// param: subject: Node = null -- the subject (an id or a name); null: the whole area
// columns: indicator, period, period_end, kind, value, unit, direction
// internal: used by kg/indicators.py (kg report)
MATCH (i:Indicator)
WHERE i.kind = 'target' OR i.periodEnd <= $as_of
OPTIONAL MATCH (i)-[:OF_SENTRA|OF_ZONE|OF_KECAMATAN|OF_ACTOR]->(x)
WITH i, x
WHERE CASE WHEN $subject IS NULL THEN x IS NULL ELSE coalesce(x.id = $subject, false) END
RETURN i.indicator AS indicator, i.period AS period, i.periodEnd AS period_end,
       i.kind AS kind, i.value AS value, i.unit AS unit, coalesce(i.direction, 'up') AS direction
ORDER BY indicator, period_end, kind
