// name: withdrawal_sole_funder
// description: Sentra funded by one actor alone (one or more grants): its withdrawal
//   leaves them without funding.
// columns: actor, actor_name, sentra, sentra_name
// internal: used by kg/changes.py (kg analyze --critical)
MATCH (x:Actor)-[:FUNDS]->(s:Sentra)
WITH s, collect(DISTINCT x) AS funders
WHERE size(funders) = 1
WITH s, funders[0] AS x
RETURN x.id AS actor, x.name AS actor_name, s.id AS sentra, s.name AS sentra_name
ORDER BY actor, sentra
