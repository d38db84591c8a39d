// name: activity_no_responsible
// description: Activities nobody is Responsible (R) for: no one does the work.
//   Related: the sentra the activity concerns.
// columns: subject, subject_name, related, related_names
// check: activity.no_responsible
// severity: error
MATCH (t:Activity)
// An anti-join without grouping, as in activity_no_accountable.
OPTIONAL MATCH (holder)-[:RESPONSIBLE_FOR]->(t)
WITH t, holder
WHERE holder IS NULL
OPTIONAL MATCH (t)-[:CONCERNS]->(s:Sentra)
RETURN t.id AS subject, t.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names
ORDER BY subject
