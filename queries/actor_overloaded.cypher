// name: actor_overloaded
// description: Actors Accountable (A) for more than max_accountable activities or
//   Responsible (R) for more than max_responsible: more than one actor can answer for
//   or carry out (the horizontal analysis of a responsibility chart).
// param: max_accountable: int = 5 -- report an actor Accountable for more activities than this
// param: max_responsible: int = 8 -- report an actor Responsible for more activities than this
// columns: subject, subject_name, related, related_names, accountable, responsible
// check: actor.overloaded
// severity: warning
MATCH (a:Actor)
OPTIONAL MATCH (a)-[:ACCOUNTABLE_FOR]->(held)
WITH a, count(held) AS accountable
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR]->(done)
WITH a, accountable, count(done) AS responsible
WHERE accountable > $max_accountable OR responsible > $max_responsible
RETURN a.id AS subject, a.name AS subject_name, [] AS related, [] AS related_names,
       accountable, responsible
ORDER BY subject
