// name: stakeholder_assessments
// description: Every actor with each of its assessments made on or before as_of (every
//   one when as_of is null), earliest first; an actor without any appears once with an
//   empty date.
// param: as_of: str = null -- only assessments on or before this day (YYYY-MM-DD)
// columns: actor, name, kind, date, influence, interest, attitude, power, legitimacy
// columns: urgency, note
// internal: used by kg/stakeholders.py (kg stakeholders)
MATCH (a:Actor)
OPTIONAL MATCH (s:Assessment)-[:ASSESSES]->(a)
WHERE $as_of IS NULL OR s.date <= $as_of
RETURN a.id AS actor, a.name AS name, a.kind AS kind, s.date AS date,
       s.influence AS influence, s.interest AS interest, s.attitude AS attitude,
       s.power AS power, s.legitimacy AS legitimacy, s.urgency AS urgency, s.note AS note
ORDER BY actor, date
