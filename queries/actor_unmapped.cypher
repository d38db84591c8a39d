// name: actor_unmapped
// description: Actors that hold no R, A, C or I on any activity: their role in the
//   sentra's management is not mapped (the study's "kurangnya pemetaan peran aktor").
// columns: subject, subject_name, related, related_names
// check: actor.unmapped
// severity: warning
MATCH (a:Actor)
// One anti-join per role type, each without grouping: an actor passes a step only with
// no relationship of that type. A single step over the four types together expands
// every role relationship and costs FalkorDB five times as much.
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR]->(r)
WITH a, r
WHERE r IS NULL
OPTIONAL MATCH (a)-[:ACCOUNTABLE_FOR]->(acc)
WITH a, acc
WHERE acc IS NULL
OPTIONAL MATCH (a)-[:CONSULTED_ON]->(c)
WITH a, c
WHERE c IS NULL
OPTIONAL MATCH (a)-[:INFORMED_OF]->(i)
WITH a, i
WHERE i IS NULL
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
