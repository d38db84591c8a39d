// name: match_markets
// description: Matchmaking: markets a sentra's products reach through what they supply
//   downstream (up to three steps), where none of its own products is sold yet.
// param: sentra: Sentra = null -- only suggestions for this sentra (an id or a name)
// columns: sentra, sentra_name, kind, partner, partner_name, path
// internal: used by kg/matchmaking.py (kg match)
MATCH (s:Sentra)-[:PRODUCES]->(c:Commodity)-[:SUPPLIES*1..3]->(d:Commodity)-[:SOLD_IN]->(m:Market)
WHERE $sentra IS NULL OR s.id = $sentra
WITH DISTINCT s, c, d, m
OPTIONAL MATCH (s)-[:PRODUCES]->(:Commodity)-[direct:SOLD_IN]->(m)
WITH s, c, d, m, count(direct) AS sold_there
WHERE sold_there = 0
RETURN s.id AS sentra, s.name AS sentra_name, 'market' AS kind, m.id AS partner,
       m.name AS partner_name,
       [s.name, '-PRODUCES->', c.name, '-SUPPLIES->...', d.name, '-SOLD_IN->', m.name] AS path
