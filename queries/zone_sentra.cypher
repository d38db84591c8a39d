// name: zone_sentra
// description: The sentra of each zone (Wilayah), with their kecamatan, status and the
//   commodities they produce; zones without a sentra appear once with empty columns.
// columns: zone, zone_name, kecamatan, sentra, sentra_name, status, commodities
MATCH (z:Zone)
OPTIONAL MATCH (z)<-[:IN_ZONE]-(k:Kecamatan)<-[:LOCATED_IN]-(s:Sentra)
OPTIONAL MATCH (s)-[:PRODUCES]->(c:Commodity)
WITH z, k, s, collect(c.name) AS commodities
RETURN z.id AS zone, z.name AS zone_name, k.name AS kecamatan, s.id AS sentra,
       s.name AS sentra_name, s.status AS status, commodities
ORDER BY zone, sentra
