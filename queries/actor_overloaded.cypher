// name: actor_overloaded
// description: Actors Accountable (A) for more than max_accountable activities or
//   Responsible (R) for more than max_responsible: more than one actor can answer for
//   or carry out (the horizontal analysis of a responsibility chart).
// param: max_accountable: int = 5 -- report an actor Accountable for more activities than this
// param: max_responsible: int = 8 -- report an actor Responsible for more activities than this
// columns: subject, subject_name, related, related_names, accountable, responsible
// check: actor.overloaded
// severity: warning
MATCH (a:Actor)-[:ACCOUNTABLE_FOR|RESPONSIBLE_FOR]->()
// Only actors holding more roles, A and R together, than a limit can hold more A or more R
// than it: a plain MATCH (no OPTIONAL) finds them, and only they are counted per type
// (engine CPU at x10: 1.35-1.6 s -> 0.83-0.96 s). An actor with no A and no R exceeds a limit
// only if it is negative: the second part, empty otherwise, lists those (after the rest).
WITH a, count(*) AS roles
WHERE roles > $max_accountable OR roles > $max_responsible
OPTIONAL MATCH (a)-[:ACCOUNTABLE_FOR]->(held)
WITH a, count(held) AS accountable
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR]->(done)
WITH a, accountable, count(done) AS responsible
WHERE accountable > $max_accountable OR responsible > $max_responsible
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names,
       accountable, responsible
ORDER BY subject
UNION ALL
MATCH (a:Actor)
WHERE $max_accountable < 0 OR $max_responsible < 0
OPTIONAL MATCH (a)-[role:ACCOUNTABLE_FOR|RESPONSIBLE_FOR]->()
WITH a, count(role) AS roles
WHERE roles = 0
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names,
       0 AS accountable, 0 AS responsible
