// name: match_supporters
// description: Matchmaking: actors who fund another sentra, or are responsible or
//   accountable for training at another sentra, and have no tie to this one yet
//   (no FUNDS, no MANAGES, no role on an activity concerning it).
// param: sentra: Sentra = null -- only suggestions for this sentra (an id or a name)
// columns: sentra, sentra_name, kind, partner, partner_name, path
// internal: used by kg/matchmaking.py (kg match)
MATCH (s:Sentra)
WHERE $sentra IS NULL OR s.id = $sentra
// The actors tied to the sentra are listed first, once per sentra: looking up each
// candidate's ties instead walked every role of every funder (no answer for one sentra
// of the national graph within 10 minutes).
OPTIONAL MATCH (holder:Actor)-[:FUNDS|MANAGES]->(s)
WITH s, collect(holder) AS holders
OPTIONAL MATCH (player:Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(:Activity)-[:CONCERNS]->(s)
WITH s, holders, collect(player) AS players
WITH s, holders + players AS tied
MATCH (a:Actor)-[:FUNDS]->(elsewhere:Sentra)
WHERE elsewhere.id <> s.id AND NOT a IN tied
RETURN s.id AS sentra, s.name AS sentra_name, 'funder' AS kind, a.id AS partner,
       a.name AS partner_name, [a.name, '-FUNDS->', elsewhere.name] AS path
UNION
MATCH (s:Sentra)
WHERE $sentra IS NULL OR s.id = $sentra
OPTIONAL MATCH (holder:Actor)-[:FUNDS|MANAGES]->(s)
WITH s, collect(holder) AS holders
OPTIONAL MATCH (player:Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(:Activity)-[:CONCERNS]->(s)
WITH s, holders, collect(player) AS players
WITH s, holders + players AS tied
MATCH (a:Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR]->(t:Activity)-[:CONCERNS]->(elsewhere:Sentra)
WHERE t.category = 'training' AND elsewhere.id <> s.id AND NOT a IN tied
RETURN s.id AS sentra, s.name AS sentra_name, 'trainer' AS kind, a.id AS partner,
       a.name AS partner_name,
       [a.name, '-RESPONSIBLE_FOR->', t.name, '-CONCERNS->', elsewhere.name] AS path
