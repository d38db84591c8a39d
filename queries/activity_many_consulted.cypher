// name: activity_many_consulted
// description: Activities on which more than max_consulted actors are Consulted (C):
//   every one consulted slows the work (the vertical analysis of a responsibility
//   chart). Related: those actors.
// param: max_consulted: int = 5 -- report an activity with more C actors than this
// columns: subject, subject_name, related, related_names, consulted
// check: activity.many_consulted
// severity: warning
MATCH (t:Activity)<-[:CONSULTED_ON]-(a:Actor)
WITH t, collect(a.id) AS related, collect(a.name) AS related_names
WHERE size(related) > $max_consulted
RETURN t.id AS subject, t.name AS subject_name, related, related_names,
       size(related) AS consulted
ORDER BY subject
