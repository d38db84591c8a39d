// name: sentra_list
// description: Every sentra's id.
// columns: id
// internal: used by kg/report/brief.py (kg report without --sentra)
MATCH (s:Sentra)
RETURN s.id AS id
ORDER BY id
