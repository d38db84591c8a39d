// name: graph_relationships
// description: Every relationship with its type and properties, between node ids.
// columns: start, type, end, props
// internal: used by kg/graph.py (the networkx graph)
MATCH (a)-[r]->(b)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
ORDER BY start, type, end
