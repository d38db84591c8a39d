// name: activity_many_consulted
// description: Activities on which more than max_consulted actors are Consulted (C):
//   every one consulted slows the work (the vertical analysis of a responsibility
//   chart). Related: those actors.
// param: max_consulted: int = 5 -- report an activity with more C actors than this
// columns: subject, subject_name, related, related_names, consulted
// check: activity.many_consulted
// severity: warning
MATCH (t:Activity)<-[:CONSULTED_ON]-()
// Counted first, then only the activities over the limit read their actors: collecting
// every activity's actors (ids and names) cost twice as much at x1 (0.29 s against 0.14 s).
WITH t, count(*) AS consulted
WHERE consulted > $max_consulted
MATCH (t)<-[:CONSULTED_ON]-(a:Actor)
WITH t, consulted, collect(a.id) AS related, collect(a.name) AS related_names
RETURN t.id AS subject, t.name AS subject_name, related, related_names, consulted
ORDER BY subject
