// name: actor_unmapped
// description: Actors that hold no R, A, C or I on any activity: their role in the
//   sentra's management is not mapped (the study's "kurangnya pemetaan peran aktor").
// columns: subject, subject_name, related, related_names
// check: actor.unmapped
// severity: warning
MATCH (a:Actor)
OPTIONAL MATCH (a)-[r:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->()
WITH a, count(r) AS roles
WHERE roles = 0
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
