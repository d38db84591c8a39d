// name: timeline_commitments
// description: Commitments made on or before a day (or undated), every one or those
//   concerning a sentra (promised to it, at an engagement there, or for an activity
//   concerning it), with who owes them, to whom, and their status on the day: done or
//   dropped with a done date after the day was still open then. Overdue: open on the day
//   with a due date before it. Ordered by due date, undated last.
// param: as_of: str -- the day (YYYY-MM-DD): later commitments were not made yet
// param: sentra: Sentra = null -- only commitments concerning this sentra (an id or a name)
// param: open_only: bool = false -- only the commitments still open on the day
// columns: commitment, name, made_on, due, status, done_on, overdue, by, by_name, to
// columns: to_name, engagement, activity, activity_name
// internal: used by kg/followup.py (kg timeline, kg report)
MATCH (owner:Actor)-[:COMMITTED]->(c:Commitment)
WHERE c.madeOn IS NULL OR c.madeOn <= $as_of
OPTIONAL MATCH (c)-[:TO_SENTRA]->(promised:Sentra)
OPTIONAL MATCH (c)-[:MADE_AT]->(:Engagement)-[:AT_SENTRA]->(met:Sentra)
OPTIONAL MATCH (c)-[:FOR_ACTIVITY]->(:Activity)-[:CONCERNS]->(planned:Sentra)
WITH owner, c, collect(promised.id) + collect(met.id) + collect(planned.id) AS concerned,
     CASE
       WHEN c.status IN ['done', 'dropped']
            AND (c.doneOn IS NULL OR c.doneOn <= $as_of) THEN c.status
       ELSE 'open'
     END AS status
WHERE ($sentra IS NULL OR $sentra IN concerned) AND (NOT $open_only OR status = 'open')
OPTIONAL MATCH (c)-[:TO_ACTOR|TO_SENTRA]->(recipient)
OPTIONAL MATCH (c)-[:MADE_AT]->(e:Engagement)
OPTIONAL MATCH (c)-[:FOR_ACTIVITY]->(t:Activity)
RETURN c.id AS commitment, c.name AS name, c.madeOn AS made_on, c.due AS due, status,
       CASE WHEN status = 'open' THEN null ELSE c.doneOn END AS done_on,
       status = 'open' AND c.due IS NOT NULL AND c.due < $as_of AS overdue,
       owner.id AS by, owner.name AS by_name, recipient.id AS to, recipient.name AS to_name,
       e.id AS engagement, t.id AS activity, t.name AS activity_name
ORDER BY due IS NULL, due, made_on, commitment
