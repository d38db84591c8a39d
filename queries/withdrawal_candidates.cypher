// name: withdrawal_candidates
// description: Actors holding an R or an A or funding a sentra: those whose withdrawal
//   kg analyze --critical weighs.
// columns: actor, actor_name
// internal: used by kg/changes.py (kg analyze --critical)
MATCH (x:Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|FUNDS]->()
RETURN DISTINCT x.id AS actor, x.name AS actor_name
ORDER BY actor
