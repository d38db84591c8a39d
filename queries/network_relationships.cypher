// name: network_relationships
// description: The relationships from the nodes whose id ends with one of $ends (with
// none of them if not $among), each as its start node's id, its type and its end node's
// id: what the network measures read of the relationships, in parts.
// param: ends: list -- last characters of the start nodes' ids
// param: among: bool -- start ids ending with one of $ends (false: with none of them)
// columns: start, type, end
// internal: used by kg/graph.py (read_network, for kg analyze and kg stakeholders)
MATCH (a)-[r]->(b) WHERE (right(a.id, 1) IN $ends) = $among
RETURN a.id AS start, type(r) AS type, b.id AS end
