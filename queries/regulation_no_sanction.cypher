// name: regulation_no_sanction
// description: Regulations that carry no sanction, or where it is unknown whether they do
//   (the study's "belum adanya sanksi hukum bagi pelanggar"). Related: the sentra governed.
// columns: subject, subject_name, related, related_names, sanction
// check: regulation.no_sanction
// severity: warning
MATCH (r:Regulation)
WHERE coalesce(r.hasSanction, false) = false
OPTIONAL MATCH (r)-[:GOVERNS]->(s:Sentra)
RETURN r.id AS subject, r.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names,
       CASE WHEN r.hasSanction IS NULL THEN 'unknown' ELSE 'none' END AS sanction
ORDER BY subject
