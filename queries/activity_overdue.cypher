// name: activity_overdue
// description: Activities due before the day audited (as_of) and not done or cancelled
//   on that day: one completed after it was still open then; one done or cancelled with
//   no completion day counts as closed on every day. Due on the day itself is not yet
//   overdue. Related: the accountable actors.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// columns: subject, subject_name, related, related_names, due
// check: activity.overdue
// severity: error
MATCH (t:Activity)
WHERE t.due < $as_of AND t.due <> ''
  AND NOT (coalesce(t.status, '') IN ['done', 'cancelled']
           AND coalesce(t.completed, '') <= $as_of)
OPTIONAL MATCH (a:Actor)-[:ACCOUNTABLE_FOR]->(t)
RETURN t.id AS subject, t.name AS subject_name, collect(a.id) AS related,
       collect(a.name) AS related_names, t.due AS due
ORDER BY subject
