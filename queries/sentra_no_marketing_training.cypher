// name: sentra_no_marketing_training
// description: Sentra that no training activity on marketing or communication concerns
//   (the study's "kurangnya pelatihan bagi SDM dalam aspek pemasaran dan komunikasi").
// columns: subject, subject_name, related, related_names
// check: sentra.no_marketing_training
// severity: warning
MATCH (s:Sentra)
OPTIONAL MATCH (s)<-[:CONCERNS]-(t:Activity)
WHERE t.category = 'training' AND t.topic IN ['marketing', 'communication']
WITH s, count(t) AS trainings
WHERE trainings = 0
RETURN s.id AS subject, s.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
