// name: activity_multiple_accountable
// description: Activities with two or more Accountable (A) actors; a chart allows exactly
//   one (PMBOK 5th ed. 9.1.2.1). Related: those actors.
// columns: subject, subject_name, related, related_names
// check: activity.multiple_accountable
// severity: error
MATCH (t:Activity)<-[:ACCOUNTABLE_FOR]-(a:Actor)
WITH t, collect(a.id) AS related, collect(a.name) AS related_names
WHERE size(related) >= 2
RETURN t.id AS subject, t.name AS subject_name, related, related_names
ORDER BY subject
