// name: network_nodes
// description: The nodes whose id ends with one of $ends (with none of them if not
// $among), each with its id and label, the name of an actor or a sentra and the kind of
// an actor: what the network measures read of the nodes, in parts.
// param: ends: list -- last characters of the ids
// param: among: bool -- the ids ending with one of $ends (false: with none of them)
// columns: id, label, name, kind
// internal: used by kg/graph.py (read_network, for kg analyze and kg stakeholders)
MATCH (n) WHERE NOT n:KgDataset AND (right(n.id, 1) IN $ends) = $among
RETURN n.id AS id, labels(n)[0] AS label,
       CASE WHEN n:Actor OR n:Sentra THEN n.name END AS name,
       CASE WHEN n:Actor THEN n.kind END AS kind
