// name: source_list
// description: The sources the data may cite, with their title, publisher, date and address.
// columns: id, title, publisher, date, url
// internal: used by kg/report/brief.py (kg report)
MATCH (s:Source)
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.url AS url
ORDER BY id
