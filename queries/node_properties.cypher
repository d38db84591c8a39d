// name: node_properties
// description: One node, any label: its label and all its properties.
// param: id: str -- the node id
// columns: label, properties
// internal: used by kg/graph.py (checks a given id names a node of the expected label)
MATCH (n {id: $id})
RETURN labels(n)[0] AS label, properties(n) AS properties
