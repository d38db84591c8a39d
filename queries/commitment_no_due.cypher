// name: commitment_no_due
// description: Commitments open on the day audited (as_of) with no due date: made on or
//   before the day (or undated), and open, or done or dropped only after the day.
//   Related: the actor who committed.
// param: as_of: str -- the day audited (ISO YYYY-MM-DD)
// columns: subject, subject_name, related, related_names, made_on
// check: commitment.no_due
// severity: warning
MATCH (by:Actor)-[:COMMITTED]->(c:Commitment)
WHERE coalesce(c.due, '') = '' AND coalesce(c.madeOn, '') <= $as_of
  AND (coalesce(c.status, 'open') = 'open' OR c.doneOn > $as_of)
RETURN c.id AS subject, c.name AS subject_name, collect(by.id) AS related,
       collect(by.name) AS related_names, coalesce(c.madeOn, 'unknown') AS made_on
ORDER BY subject
