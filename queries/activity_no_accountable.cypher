// name: activity_no_accountable
// description: Activities with no Accountable (A) actor: no one answers for the outcome.
//   Related: the sentra the activity concerns.
// columns: subject, subject_name, related, related_names
// check: activity.no_accountable
// severity: error
MATCH (t:Activity)
OPTIONAL MATCH (t)<-[r:ACCOUNTABLE_FOR]-()
WITH t, count(r) AS accountable
WHERE accountable = 0
OPTIONAL MATCH (t)-[:CONCERNS]->(s:Sentra)
RETURN t.id AS subject, t.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names
ORDER BY subject
