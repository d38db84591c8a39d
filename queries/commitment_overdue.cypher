// name: commitment_overdue
// description: Commitments open on the day audited (as_of) and due before it: made on
//   or before the day (or undated), and open, or done or dropped only after the day.
//   Due on the day itself is not yet overdue. Related: the actor who committed.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// columns: subject, subject_name, related, related_names, due, made_on
// check: commitment.overdue
// severity: error
MATCH (by:Actor)-[:COMMITTED]->(c:Commitment)
WHERE c.due < $as_of AND c.due <> '' AND coalesce(c.madeOn, '') <= $as_of
  AND (coalesce(c.status, 'open') = 'open' OR c.doneOn > $as_of)
RETURN c.id AS subject, c.name AS subject_name, collect(by.id) AS related,
       collect(by.name) AS related_names, c.due AS due,
       coalesce(c.madeOn, 'unknown') AS made_on
ORDER BY subject
