// name: sentra_not_engaged
// description: Active sentra that no engagement named in the engaged_within_days days up
//   to the day audited (as_of), both ends counted: as of 2025-06-30 with 180 days, an
//   engagement on 2025-01-01 or on 2025-06-30 counts, one on 2024-12-31 or later than
//   the day does not. Gives the last engagement before that window, if any.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// param: engaged_within_days: int = 180 -- an engagement this many days before the day audited, or later, counts
// columns: subject, subject_name, related, related_names, days, last
// check: sentra.not_engaged
// severity: warning
MATCH (s:Sentra)
WHERE s.status = 'active'
// As in actor_unassessed: the far end unlabelled (AT_SENTRA comes from engagements), the
// date tested after the match in a WITH, the aggregate over a plain variable. Engine CPU
// at x10: 1.1-1.3 s -> 0.4 s.
OPTIONAL MATCH (e)-[:AT_SENTRA]->(s)
WITH s, CASE WHEN e.date <= $as_of THEN e.date END AS day
WITH s, max(day) AS last
WHERE last IS NULL
   OR last < toString(date($as_of) - duration({days: $engaged_within_days}))
RETURN s.id AS subject, s.name AS subject_name, [] AS related, [] AS related_names,
       $engaged_within_days AS days, coalesce(last, 'none') AS last
ORDER BY subject
