// name: supply_no_upstream
// description: Commodities a sentra produces, not raw materials themselves, that nothing
//   SUPPLIES: their inputs are not mapped. Related: the sentra producing them.
// columns: subject, subject_name, related, related_names
// check: supply.no_upstream
// severity: warning
MATCH (:Sentra)-[:PRODUCES]->(c:Commodity)
WHERE c.stage <> 'raw'
WITH DISTINCT c
OPTIONAL MATCH (c)<-[u:SUPPLIES]-()
WITH c, count(u) AS inputs
WHERE inputs = 0
MATCH (c)<-[:PRODUCES]-(s:Sentra)
RETURN c.id AS subject, c.name AS subject_name, collect(s.id) AS related,
       collect(s.name) AS related_names
ORDER BY subject
