// name: sentra_neighbourhood
// description: A sentra's stakeholder neighbourhood, which the meeting brief reads instead
//   of the whole graph: the sentra, every node one hop from it, the actors of the
//   activities concerning it, and the actors these actors are members of or have as
//   members (MEMBER_OF). One row per relationship from one of these nodes to another, and
//   one with empty relationship columns for a node that starts none.
// param: sentra: Sentra -- the sentra (an id or a name)
// columns: id, label, props, type, end, rel_props
// internal: used by kg/report/brief.py (kg report)
MATCH (s:Sentra {id: $sentra})
OPTIONAL MATCH (s)--(near)
WITH s, collect(DISTINCT near) AS near
OPTIONAL MATCH (s)<-[:CONCERNS]-()--(a:Actor)
WITH s, near, collect(DISTINCT a) AS actors
UNWIND [s] + near + actors AS n
WITH collect(DISTINCT n) AS kept
UNWIND kept AS n
OPTIONAL MATCH (n:Actor)-[:MEMBER_OF]-(m:Actor)
WITH kept, collect(DISTINCT m) AS members
WITH kept + [m IN members WHERE NOT m IN kept] AS kept
UNWIND kept AS n
OPTIONAL MATCH (n)-[r]->(m)
WHERE m IN kept
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props, type(r) AS type,
       m.id AS end, properties(r) AS rel_props
ORDER BY id, type, end
