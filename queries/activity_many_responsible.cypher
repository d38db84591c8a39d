// name: activity_many_responsible
// description: Activities more than max_responsible_per_activity actors are Responsible
//   (R) for: when many carry it out, nobody does (the vertical analysis of a
//   responsibility chart). Related: those actors.
// param: max_responsible_per_activity: int = 3 -- report an activity with more R actors than this
// columns: subject, subject_name, related, related_names, responsible
// check: activity.many_responsible
// severity: warning
MATCH (t:Activity)<-[:RESPONSIBLE_FOR]-(a:Actor)
WITH t, collect(a.id) AS related, collect(a.name) AS related_names
WHERE size(related) > $max_responsible_per_activity
RETURN t.id AS subject, t.name AS subject_name, related, related_names,
       size(related) AS responsible
ORDER BY subject
