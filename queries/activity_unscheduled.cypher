// name: activity_unscheduled
// description: Activities with neither a phase nor a due date: no time plan (the study's
//   "tidak adanya skenario manajemen waktu"). Related: the sentra concerned.
// columns: subject, subject_name, related, related_names
// check: activity.unscheduled
// severity: warning
MATCH (t:Activity)
WHERE coalesce(t.phase, '') = '' AND coalesce(t.due, '') = ''
OPTIONAL MATCH (t)-[:CONCERNS]->(s:Sentra)
RETURN t.id AS subject, t.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names
ORDER BY subject
