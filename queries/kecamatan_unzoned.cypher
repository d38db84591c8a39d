// name: kecamatan_unzoned
// description: Kecamatan that belong to no industry zone (Wilayah).
// columns: subject, subject_name, related, related_names
// check: kecamatan.unzoned
// severity: error
MATCH (k:Kecamatan)
OPTIONAL MATCH (k)-[:IN_ZONE]->(z)
WITH k, z
WHERE z IS NULL
RETURN k.id AS subject, k.name AS subject_name, [] AS related, [] AS related_names
ORDER BY subject
