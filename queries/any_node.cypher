// name: any_node
// description: One node's id, if the store holds any node at all.
// columns: id
// internal: used by loaders/loading.py (is the store empty?)
MATCH (n) WHERE NOT n:KgDataset
RETURN n.id AS id
LIMIT 1
