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
// The far end unlabelled (ASSESSES comes from assessments) and the date tested after the
// match, in a WITH of its own: a label or a condition in the OPTIONAL MATCH makes the
// engine expand each actor on its own, and an expression inside an aggregate costs it
// three times what it costs in a WITH. Engine CPU at x10: 2.5-2.9 s -> 1.4-1.6 s.
OPTIONAL MATCH (s)-[:ASSESSES]->(a)
WITH a, CASE WHEN s.date <= $as_of THEN s END AS assessment
WITH a, count(assessment) AS assessments
WHERE assessments = 0
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
