// name: timeline_engagements
// description: Engagements held on or before a day (and on or after since, when given),
//   every one or those at a sentra, with their sentra, participants and the activity
//   they carry out; earliest first.
// param: as_of: str -- the day (YYYY-MM-DD): later engagements have not happened yet
// param: since: str = null -- only engagements on or after this day (YYYY-MM-DD)
// param: sentra: Sentra = null -- only engagements at this sentra (an id or a name)
// columns: engagement, name, date, kind, outcome, sentra_names, actor_names, activity
// columns: activity_name
// internal: used by kg/followup.py (kg timeline, kg report)
OPTIONAL MATCH (chosen:Sentra {id: $sentra})
WITH chosen
MATCH (e:Engagement)
WHERE e.date <= $as_of AND ($since IS NULL OR e.date >= $since)
  AND ($sentra IS NULL OR (e)-[:AT_SENTRA]->(chosen))
OPTIONAL MATCH (e)-[:AT_SENTRA]->(s:Sentra)
WITH e, collect(s.name) AS sentra_names
OPTIONAL MATCH (a:Actor)-[:TOOK_PART_IN]->(e)
WITH e, sentra_names, collect(a.name) AS actor_names
OPTIONAL MATCH (e)-[:CARRIES_OUT]->(t:Activity)
RETURN e.id AS engagement, e.name AS name, e.date AS date, e.kind AS kind,
       e.outcome AS outcome, sentra_names, actor_names, t.id AS activity,
       t.name AS activity_name
ORDER BY date, engagement
