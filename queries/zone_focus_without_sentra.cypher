// name: zone_focus_without_sentra
// description: A zone's focus commodity that no sentra in the zone's kecamatan produces:
//   one finding per zone and commodity. Related: the commodity.
// columns: subject, subject_name, related, related_names
// check: zone.focus_without_sentra
// severity: warning
MATCH (z:Zone)-[:FOCUSES_ON]->(c:Commodity)
OPTIONAL MATCH (z)<-[:IN_ZONE]-(:Kecamatan)<-[:LOCATED_IN]-(s:Sentra)-[:PRODUCES]->(c)
WITH z, c, count(s) AS producers
WHERE producers = 0
RETURN z.id AS subject, z.name AS subject_name, [c.id] AS related, [c.name] AS related_names
ORDER BY subject, c.id
