// name: sentra_place
// description: Where a sentra lies: the kecamatan it is located in and their zones.
// param: sentra: Sentra -- the sentra (an id or a name)
// columns: kecamatan, kecamatan_name, zone, zone_name
// internal: used by kg/report/brief.py (kg report)
MATCH (s:Sentra {id: $sentra})-[:LOCATED_IN]->(k)
OPTIONAL MATCH (k)-[:IN_ZONE]->(z)
RETURN k.id AS kecamatan, k.name AS kecamatan_name, z.id AS zone, z.name AS zone_name
ORDER BY kecamatan, zone
