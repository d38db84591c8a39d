// name: supply_upstream
// description: The SUPPLIES links entering the given commodities (one step upstream).
// param: ids: list -- commodity ids
// columns: upstream, downstream
// internal: used by kg/chain.py (kg chain)
MATCH (c:Commodity)-[:SUPPLIES]->(d:Commodity)
WHERE d.id IN $ids
RETURN c.id AS upstream, d.id AS downstream
ORDER BY upstream, downstream
