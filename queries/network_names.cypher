// name: network_names
// description: The name of every actor and sentra, and the kind of every actor: what the
// network measures show of them besides their ids.
// columns: id, name, kind
// internal: used by kg/graph.py (read_network, for kg analyze and kg stakeholders)
MATCH (n:Actor)
RETURN n.id AS id, n.name AS name, n.kind AS kind
UNION ALL
MATCH (n:Sentra)
RETURN n.id AS id, n.name AS name, null AS kind
