// name: any_node
// description: One node's id, if the store holds any node at all.
// columns: id
MATCH (n)
RETURN n.id AS id
LIMIT 1
