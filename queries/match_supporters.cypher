// name: match_supporters
// description: Matchmaking: actors who fund another sentra, or are responsible or
//   accountable for training at another sentra, and have no tie to this one yet
//   (no FUNDS, no MANAGES, no role on an activity concerning it).
// param: sentra: Sentra = null -- only suggestions for this sentra (an id or a name)
// columns: sentra, sentra_name, kind, partner, partner_name, path
// internal: used by kg/matchmaking.py (kg match)
MATCH (s:Sentra)
WHERE $sentra IS NULL OR s.id = $sentra
MATCH (a:Actor)-[:FUNDS]->(elsewhere:Sentra)
WHERE elsewhere.id <> s.id
OPTIONAL MATCH (a)-[tie:FUNDS|MANAGES]->(s)
WITH s, a, elsewhere, count(tie) AS ties
OPTIONAL MATCH (a)-[role:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(:Activity)-[:CONCERNS]->(s)
WITH s, a, elsewhere, ties, count(role) AS roles
WHERE ties = 0 AND roles = 0
RETURN s.id AS sentra, s.name AS sentra_name, 'funder' AS kind, a.id AS partner,
       a.name AS partner_name, [a.name, '-FUNDS->', elsewhere.name] AS path
UNION
MATCH (s:Sentra)
WHERE $sentra IS NULL OR s.id = $sentra
MATCH (a:Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR]->(t:Activity)-[:CONCERNS]->(elsewhere:Sentra)
WHERE t.category = 'training' AND elsewhere.id <> s.id
OPTIONAL MATCH (a)-[tie:FUNDS|MANAGES]->(s)
WITH s, a, t, elsewhere, count(tie) AS ties
OPTIONAL MATCH (a)-[role:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(:Activity)-[:CONCERNS]->(s)
WITH s, a, t, elsewhere, ties, count(role) AS roles
WHERE ties = 0 AND roles = 0
RETURN s.id AS sentra, s.name AS sentra_name, 'trainer' AS kind, a.id AS partner,
       a.name AS partner_name,
       [a.name, '-RESPONSIBLE_FOR->', t.name, '-CONCERNS->', elsewhere.name] AS path
