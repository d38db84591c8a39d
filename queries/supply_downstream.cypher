// name: supply_downstream
// description: The SUPPLIES links leaving the given commodities (one step downstream).
// param: ids: list -- commodity ids
// columns: upstream, downstream
// internal: used by kg/chain.py (kg chain)
MATCH (c:Commodity)-[:SUPPLIES]->(d:Commodity)
WHERE c.id IN $ids
RETURN c.id AS upstream, d.id AS downstream
ORDER BY upstream, downstream
