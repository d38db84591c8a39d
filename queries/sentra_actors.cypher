// name: sentra_actors
// description: Who is involved in a sentra: every actor with a role (R, A, C, I) on an
//   activity concerning it, and every actor that funds or manages it.
// param: sentra: Sentra -- the sentra (an id or a name)
// columns: actor, actor_name, kind, relation, via, via_name
MATCH (s:Sentra {id: $sentra})<-[:CONCERNS*0..1]-(via)<-[r:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF|FUNDS|MANAGES]-(a:Actor)
RETURN a.id AS actor, a.name AS actor_name, a.kind AS kind, type(r) AS relation,
       via.id AS via, via.name AS via_name
ORDER BY actor, relation, via
