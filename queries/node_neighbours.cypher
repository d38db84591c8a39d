// name: node_neighbours
// description: Everything one node is tied to, by relationship type and direction
//   ('out' = the node is the start of the relationship).
// param: id: Node -- the node (an id or a name)
// columns: relation, direction, label, neighbour, neighbour_name
// label: n
MATCH (n {id: $id})-[r]-(m)
RETURN type(r) AS relation,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       labels(m)[0] AS label, m.id AS neighbour, m.name AS neighbour_name
ORDER BY relation, direction, neighbour
