// name: raci_chart
// description: The responsibility chart as rows of (activity, actor, role relationship);
//   activities nobody holds a role on appear once with an empty actor.
// param: sentra: Sentra = null -- only activities concerning this sentra (an id or a name)
// columns: activity, activity_name, actor, actor_name, relation
// internal: used by kg/raci_chart.py (kg raci)
OPTIONAL MATCH (chosen:Sentra {id: $sentra})
// Started from the sentra when one is asked, as timeline_activities is.
WITH chosen
MATCH (t:Activity)
WHERE $sentra IS NULL OR (t)-[:CONCERNS]->(chosen)
OPTIONAL MATCH (t)<-[r:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]-(a:Actor)
RETURN t.id AS activity, t.name AS activity_name, a.id AS actor, a.name AS actor_name,
       type(r) AS relation
ORDER BY activity, actor, relation
