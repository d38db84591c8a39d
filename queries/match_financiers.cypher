// name: match_financiers
// description: Matchmaking for funding diversification: for a sentra funded only from the
//   government budget (APBD/APBN), the finance actors (banks and other lenders) not yet
//   tied to it.
// param: sentra: Sentra = null -- only suggestions for this sentra (an id or a name)
// columns: sentra, sentra_name, kind, partner, partner_name, path
// internal: used by kg/matchmaking.py (kg match)
MATCH (s:Sentra)<-[f:FUNDS]-(funder:Actor)
WHERE $sentra IS NULL OR s.id = $sentra
WITH s, collect(f.sourceType) AS budgets, collect(funder.name)[0] AS example
WHERE all(b IN budgets WHERE b IN ['APBD', 'APBN'])
MATCH (a:Actor {kind: 'finance'})
OPTIONAL MATCH (a)-[tie]-(s)
WITH s, example, a, count(tie) AS ties
WHERE ties = 0
RETURN s.id AS sentra, s.name AS sentra_name, 'financier' AS kind, a.id AS partner,
       a.name AS partner_name, [s.name, '<-FUNDS-', example, '(government budget only)'] AS path
