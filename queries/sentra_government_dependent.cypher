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
MATCH (s:Sentra)<-[f:FUNDS]-(funder:Actor)
WITH s, funder, f.sourceType IN ['APBD', 'APBN'] AS government, f.amountIdr AS amount
// The CASEs in a WITH, the aggregates over plain variables: an expression inside an
// aggregate costs FalkorDB more than the same expression in a WITH.
WITH s, amount, CASE WHEN government THEN 1 END AS government_relation,
     CASE WHEN government THEN amount END AS government_amount,
     CASE WHEN government THEN funder END AS government_funder
WITH s,
     count(*) AS relations,
     count(amount) AS with_amount,
     count(government_relation) AS government_relations,
     sum(amount) AS total,
     sum(government_amount) AS government_amount,
     collect(DISTINCT government_funder) AS funders
WITH s, relations, funders,
     with_amount = relations AND total > 0 AS by_amount,
     toFloat(government_amount) / CASE WHEN total > 0 THEN total ELSE 1 END AS amount_share,
     toFloat(government_relations) / relations AS relation_share
WITH s, relations, funders,
     CASE WHEN by_amount THEN amount_share ELSE relation_share END AS share,
     CASE WHEN by_amount THEN 'rupiah' ELSE 'funding relations' END AS basis
WHERE share >= $government_share
// Names are read only for the sentra reported.
RETURN s.id AS subject, s.name AS subject_name, [a IN funders | a.id] AS related,
       [a IN funders | a.name] AS related_names, share, basis, relations
ORDER BY subject
