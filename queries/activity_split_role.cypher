// name: activity_split_role
// description: An actor holding two or more letters on one activity, other than
//   exactly A with R (which spreadsheets join): a role holds one letter per activity.
//   One finding per activity and actor; related: that actor; letters: its letters.
// columns: subject, subject_name, related, related_names, letters
// check: activity.split_role
// severity: warning
MATCH (a:Actor)-[c:CONSULTED_ON|INFORMED_OF]->(t)
// Every split holds C or I (R with A alone is allowed), so from each C or I edge one lookup
// per type of the same actor and activity (cheap) instead of grouping all 190k roles of
// the x1 benchmark by actor and activity (dear); a pair holding both C and I is read from
// its C edge only. Engine time at x1: 0.7-1.0 s grouped, 0.4 s this way.
OPTIONAL MATCH (a)-[consulted:CONSULTED_ON]->(t)
WITH a, t, c, consulted
WHERE type(c) = 'CONSULTED_ON' OR consulted IS NULL
OPTIONAL MATCH (a)-[responsible:RESPONSIBLE_FOR]->(t)
OPTIONAL MATCH (a)-[accountable:ACCOUNTABLE_FOR]->(t)
OPTIONAL MATCH (a)-[informed:INFORMED_OF]->(t)
// Two letters at least: R or A beside the C or I edge, or both C and I. Tested first, so
// that only those rows (29k of 630k at x10) build the list of letters: building it for
// every row was a third of the engine's time (x10: 2.6-2.9 s -> 1.9 s).
WITH a, t, responsible, accountable, consulted, informed
WHERE responsible IS NOT NULL OR accountable IS NOT NULL
   OR (consulted IS NOT NULL AND informed IS NOT NULL)
WITH t, a, [pair IN [['R', responsible], ['A', accountable], ['C', consulted],
                     ['I', informed]] WHERE pair[1] IS NOT NULL | pair[0]] AS held
WHERE size(held) > 1
RETURN t.id AS subject, t.name AS subject_name, [a.id] AS related, [a.name] AS related_names,
       reduce(text = head(held), letter IN tail(held) | text + '/' + letter) AS letters
ORDER BY subject, related
