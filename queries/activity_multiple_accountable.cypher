// name: activity_multiple_accountable
// description: Activities with two or more Accountable (A) actors; a chart allows exactly
//   one (PMBOK 5th ed. 9.1.2.1). Related: those actors.
// columns: subject, subject_name, related, related_names
// check: activity.multiple_accountable
// severity: error
MATCH (t:Activity)<-[:ACCOUNTABLE_FOR]-(first:Actor)
// Find the activities first (a second A that is another actor), so that only they are
// grouped: grouping every activity with an A costs FalkorDB seven times as much.
MATCH (t)<-[:ACCOUNTABLE_FOR]-(second:Actor)
WHERE first <> second
WITH DISTINCT t
MATCH (t)<-[:ACCOUNTABLE_FOR]-(a:Actor)
WITH t, collect(a.id) AS related, collect(a.name) AS related_names
RETURN t.id AS subject, t.name AS subject_name, related, related_names
ORDER BY subject
