// name: match_supply_partners
// description: Matchmaking: other sentra that produce an input of what a sentra produces
//   (suppliers), or that use its product as their input (buyers).
// param: sentra: Sentra = null -- only suggestions for this sentra (an id or a name)
// columns: sentra, sentra_name, kind, partner, partner_name, path
// internal: used by kg/matchmaking.py (kg match)
MATCH (s:Sentra)-[:PRODUCES]->(c:Commodity)<-[:SUPPLIES]-(input:Commodity)<-[:PRODUCES]-(other:Sentra)
WHERE ($sentra IS NULL OR s.id = $sentra) AND other.id <> s.id
RETURN s.id AS sentra, s.name AS sentra_name, 'supplier' AS kind, other.id AS partner,
       other.name AS partner_name,
       [s.name, '-PRODUCES->', c.name, '<-SUPPLIES-', input.name, '<-PRODUCES-', other.name] AS path
UNION
MATCH (s:Sentra)-[:PRODUCES]->(c:Commodity)-[:SUPPLIES]->(output:Commodity)<-[:PRODUCES]-(other:Sentra)
WHERE ($sentra IS NULL OR s.id = $sentra) AND other.id <> s.id
RETURN s.id AS sentra, s.name AS sentra_name, 'buyer' AS kind, other.id AS partner,
       other.name AS partner_name,
       [s.name, '-PRODUCES->', c.name, '-SUPPLIES->', output.name, '<-PRODUCES-', other.name] AS path
