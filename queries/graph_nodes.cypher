// name: graph_nodes
// description: Every node with its label and properties (to build a networkx graph).
// columns: id, label, props
// internal: used by kg/graph.py (the networkx graph)
MATCH (n) WHERE NOT n:KgDataset
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props
ORDER BY id
