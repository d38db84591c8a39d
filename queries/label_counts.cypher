// name: label_counts
// description: How many nodes the store holds per label.
// columns: label, n
MATCH (n)
RETURN labels(n)[0] AS label, count(n) AS n
ORDER BY label
