// name: commodity_context
// description: For each given commodity: its stage, the sentra producing it with the zone
//   they sit in, and the markets it is sold in.
// param: ids: list -- commodity ids
// columns: id, name, stage, producers, markets
// internal: used by kg/chain.py (kg chain)
MATCH (c:Commodity)
WHERE c.id IN $ids
OPTIONAL MATCH (c)<-[:PRODUCES]-(s:Sentra)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(:Kecamatan)-[:IN_ZONE]->(z:Zone)
WITH c, collect(DISTINCT s.name + ' (' + coalesce(z.name, 'no zone') + ')') AS producers
OPTIONAL MATCH (c)-[:SOLD_IN]->(m:Market)
RETURN c.id AS id, c.name AS name, c.stage AS stage, producers,
       collect(DISTINCT m.name) AS markets
ORDER BY id
