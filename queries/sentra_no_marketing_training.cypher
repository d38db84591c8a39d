// name: sentra_no_marketing_training
// description: Sentra that no training activity on marketing or communication concerns
//   (the study's "kurangnya pelatihan bagi SDM dalam aspek pemasaran dan komunikasi").
// columns: subject, subject_name, related, related_names
// check: sentra.no_marketing_training
// severity: warning
MATCH (s:Sentra)
OPTIONAL MATCH (s)<-[:CONCERNS]-(t:Activity)
WHERE t.category = 'training' AND t.topic IN ['marketing', 'communication']
// An anti-join without grouping, as in activity_no_accountable.
WITH s, t
WHERE t IS NULL
RETURN s.id AS subject, s.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
