// name: dated_nodes
// description: Of the given ids, those of dated nodes (engagements, commitments,
//   assessments, indicators: the labels kg/viz/days.py dates), each with its label and
//   properties, from which kg.viz.days reads the day it exists from and the day a
//   commitment closed.
// param: ids: list -- node ids
// columns: id, label, properties
// internal: used by kg/serve/app.py (the network canvas's time slider)
UNWIND $ids AS node
MATCH (n:Engagement {id: node})
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS properties
UNION ALL
UNWIND $ids AS node
MATCH (n:Commitment {id: node})
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS properties
UNION ALL
UNWIND $ids AS node
MATCH (n:Assessment {id: node})
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS properties
UNION ALL
UNWIND $ids AS node
MATCH (n:Indicator {id: node})
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS properties
