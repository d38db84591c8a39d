// name: supply_no_market
// description: Commodities a sentra produces from which no market can be reached, neither
//   directly (SOLD_IN) nor through what they supply downstream. Related: the producers.
// columns: subject, subject_name, related, related_names
// check: supply.no_market
// severity: warning
MATCH (:Sentra)-[:PRODUCES]->(c:Commodity)
WITH DISTINCT c
OPTIONAL MATCH (c)-[:SUPPLIES*0..]->()-[:SOLD_IN]->(m)
WITH c, count(m) AS markets
WHERE markets = 0
MATCH (c)<-[:PRODUCES]-(s:Sentra)
RETURN c.id AS subject, c.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names
ORDER BY subject
