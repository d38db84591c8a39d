// name: actor_unassessed
// description: Actors that hold an R or an A on some activity but have no assessment
//   (no row in the assessments table): who carries the work is not yet rated for
//   influence and interest. Assessments dated after the day audited (as_of) do not count.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// columns: subject, subject_name, related, related_names
// check: actor.unassessed
// severity: warning
MATCH (a:Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR]->()
WITH DISTINCT a
OPTIONAL MATCH (s:Assessment)-[:ASSESSES]->(a)
WHERE s.date <= $as_of
WITH a, count(s) AS assessments
WHERE assessments = 0
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
