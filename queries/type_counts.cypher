// name: type_counts
// description: How many relationships the store holds per type.
// columns: type, n
MATCH ()-[r]->()
RETURN type(r) AS type, count(r) AS n
ORDER BY type
