// name: activity_outside_phase
// description: Activities whose due date falls in a year outside the years their phase
//   names (phase 2025-2029: due in 2025 to 2029; the loader derives phaseFrom and
//   phaseTo from the phase's first and last year). Related: the sentra concerned.
// columns: subject, subject_name, related, related_names, due, phase
// check: activity.outside_phase
// severity: warning
MATCH (t:Activity)
WHERE t.phaseFrom IS NOT NULL AND t.due <> ''
WITH t, toInteger(left(t.due, 4)) AS year
WHERE year < t.phaseFrom OR year > t.phaseTo
OPTIONAL MATCH (t)-[:CONCERNS]->(s:Sentra)
RETURN t.id AS subject, t.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names, t.due AS due, t.phase AS phase
ORDER BY subject
