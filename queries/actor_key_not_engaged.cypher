// name: actor_key_not_engaged
// description: Actors whose latest assessment puts them in the manage-closely quadrant
//   (influence and interest both at least high_from) but who hold no R, A or C on any
//   activity: a key stakeholder left out of the work. Assessments dated after the day
//   audited (as_of) do not count.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// param: high_from: int = 3 -- a rating (1-5) at least this is high
// columns: subject, subject_name, related, related_names, assessed, influence, interest
// check: actor.key_not_engaged
// severity: warning
MATCH (s:Assessment)-[:ASSESSES]->(a:Actor)
WHERE s.date <= $as_of
WITH a, max(s.date) AS latest
MATCH (s:Assessment)-[:ASSESSES]->(a)
WHERE s.date = latest AND s.influence >= $high_from AND s.interest >= $high_from
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON]->(t)
WITH a, s, count(t) AS roles
WHERE roles = 0
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names,
       s.date AS assessed, s.influence AS influence, s.interest AS interest
ORDER BY subject
