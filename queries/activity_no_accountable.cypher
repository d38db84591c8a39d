// name: activity_no_accountable
// description: Activities with no Accountable (A) actor: no one answers for the outcome.
//   Related: the sentra the activity concerns.
// columns: subject, subject_name, related, related_names
// check: activity.no_accountable
// severity: error
MATCH (t:Activity)
// An anti-join without grouping: an activity with no A keeps one row, holder null.
// (Counting r per activity costs FalkorDB twice as much: it groups every activity.)
OPTIONAL MATCH (holder)-[:ACCOUNTABLE_FOR]->(t)
WITH t, holder
WHERE holder IS NULL
OPTIONAL MATCH (t)-[:CONCERNS]->(s:Sentra)
// Ids and names read in a WITH, collected as plain variables (cheaper for FalkorDB).
WITH t, s.id AS id, s.name AS name
RETURN t.id AS subject, t.name AS subject_name, collect(id) AS related,
       collect(name) AS related_names
ORDER BY subject
