// name: activity_split_role
// description: An actor holding two or more letters on one activity, other than
//   exactly A with R (which spreadsheets join): a role holds one letter per activity.
//   One finding per activity and actor; related: that actor; letters: its letters.
// columns: subject, subject_name, related, related_names, letters
// check: activity.split_role
// severity: warning
MATCH (a:Actor)-[r:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(t:Activity)
// Counted first, then only the pairs with two or more roles read their types: collecting
// the types of every pair took 1.95 s on the x1 benchmark graph, this 1.2 s.
WITH a, t, count(r) AS roles
WHERE roles > 1
MATCH (a)-[r:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(t)
WITH t, a, collect(DISTINCT type(r)) AS types
WHERE size(types) > 2 OR (size(types) = 2
      AND NOT ('RESPONSIBLE_FOR' IN types AND 'ACCOUNTABLE_FOR' IN types))
WITH t, a, [pair IN [['R', 'RESPONSIBLE_FOR'], ['A', 'ACCOUNTABLE_FOR'],
                     ['C', 'CONSULTED_ON'], ['I', 'INFORMED_OF']]
            WHERE pair[1] IN types | pair[0]] AS held
RETURN t.id AS subject, t.name AS subject_name, [a.id] AS related, [a.name] AS related_names,
       reduce(text = head(held), letter IN tail(held) | text + '/' + letter) AS letters
ORDER BY subject, related
