// name: node_index
// description: Every node's id, label and name: to find a node by its name.
// columns: id, label, name
// internal: used by kg/resolve.py (names)
MATCH (n) WHERE NOT n:KgDataset
RETURN n.id AS id, labels(n)[0] AS label, n.name AS name
