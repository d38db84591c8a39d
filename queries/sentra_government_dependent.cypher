// name: sentra_government_dependent
// description: Sentra funded mostly from the government budget (APBD + APBN). The share
//   is of rupiah when every funding relation to the sentra has an amount and they add up
//   to more than zero, else of funding relations (sources often name funders without
//   amounts). A sentra with no funding relation is not reported.
//   Related: the government funders.
// param: government_share: float = 0.8 -- report when the government share is at least this
// columns: subject, subject_name, related, related_names, share, basis, relations
// check: sentra.government_dependent
// severity: warning
MATCH (s:Sentra)<-[f:FUNDS]-(:Actor)
WITH s, f.sourceType IN ['APBD', 'APBN'] AS government, f.amountIdr AS amount
WITH s,
     count(*) AS relations,
     count(amount) AS with_amount,
     count(CASE WHEN government THEN 1 END) AS government_relations,
     sum(coalesce(amount, 0)) AS total,
     sum(CASE WHEN government THEN coalesce(amount, 0) ELSE 0 END) AS government_amount
WITH s, relations,
     with_amount = relations AND total > 0 AS by_amount,
     toFloat(government_amount) / CASE WHEN total > 0 THEN total ELSE 1 END AS amount_share,
     toFloat(government_relations) / relations AS relation_share
WITH s, relations,
     CASE WHEN by_amount THEN amount_share ELSE relation_share END AS share,
     CASE WHEN by_amount THEN 'rupiah' ELSE 'funding relations' END AS basis
WHERE share >= $government_share
// The funders are collected only for the sentra reported: collecting them for every
// funded sentra cost FalkorDB a third of the check.
OPTIONAL MATCH (s)<-[g:FUNDS]-(funder:Actor)
WHERE g.sourceType IN ['APBD', 'APBN']
WITH s, relations, share, basis, collect(DISTINCT funder) AS funders
RETURN s.id AS subject, s.name AS subject_name, [a IN funders | a.id] AS related,
       [a IN funders | a.name] AS related_names, share, basis, relations
ORDER BY subject
