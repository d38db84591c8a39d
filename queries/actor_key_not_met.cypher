// name: actor_key_not_met
// description: Actors whose latest assessment on or before the day audited (as_of) puts
//   them in the manage-closely quadrant (influence and interest both at least high_from)
//   but who took part in no engagement in the engaged_within_days days up to that day,
//   both ends counted (as sentra_not_engaged counts them). Gives the last engagement
//   before that window, if any.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// param: high_from: int = 3 -- a rating (1-5) at least this is high
// param: engaged_within_days: int = 180 -- an engagement this many days before the day audited, or later, counts
// columns: subject, subject_name, related, related_names, assessed, influence, interest, days, last
// check: actor.key_not_met
// severity: warning
MATCH (s:Assessment)-[:ASSESSES]->(a:Actor)
WHERE s.date <= $as_of
WITH a, max(s.date) AS latest
MATCH (s:Assessment)-[:ASSESSES]->(a)
WHERE s.date = latest AND s.influence >= $high_from AND s.interest >= $high_from
OPTIONAL MATCH (a)-[:TOOK_PART_IN]->(e:Engagement)
WHERE e.date <= $as_of
WITH a, s, max(e.date) AS last
WHERE last IS NULL
   OR last < toString(date($as_of) - duration({days: $engaged_within_days}))
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names,
       s.date AS assessed, s.influence AS influence, s.interest AS interest,
       $engaged_within_days AS days, coalesce(last, 'none') AS last
ORDER BY subject
