// name: withdrawal_impact
// description: The R and A whose actor's withdrawal turns an activity into an error: the
//   only R (activity.no_responsible), the only A (activity.no_accountable), or one of
//   three or more A (activity.multiple_accountable then names other actors). With the
//   number of the activity's holders of that role.
// columns: actor, actor_name, activity, role, holders
// internal: used by kg/changes.py (kg analyze --critical)
MATCH (t:Activity)<-[:RESPONSIBLE_FOR]-(r:Actor)
// Grouped per activity, not per actor and activity: half the time on the benchmark.
WITH t, collect(r) AS responsible
WHERE size(responsible) = 1
UNWIND responsible AS x
RETURN x.id AS actor, x.name AS actor_name, t.id AS activity, 'R' AS role, 1 AS holders
UNION ALL
MATCH (t:Activity)<-[:ACCOUNTABLE_FOR]-(a:Actor)
WITH t, collect(a) AS accountable
WHERE size(accountable) = 1 OR size(accountable) >= 3
UNWIND accountable AS x
RETURN x.id AS actor, x.name AS actor_name, t.id AS activity, 'A' AS role,
       size(accountable) AS holders
