// name: node_properties
// description: One node, any label: its label and all its properties.
// param: id: str -- the node id
// columns: label, properties
// internal: used by kg/resolve.py and kg/changes.py (is an id that of a node, and of which label?)
// label: n
MATCH (n {id: $id})
RETURN labels(n)[0] AS label, properties(n) AS properties
