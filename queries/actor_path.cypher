// name: actor_path
// description: The shortest chain of ties (up to 6, in any direction) linking two
//   actors, and the actors on it. Variable-length matching: meant for city-size graphs.
// param: source: Actor -- the first actor (an id or a name)
// param: target: Actor -- the second actor (an id or a name)
// columns: hops, path, relations, actors
MATCH (a:Actor {id: $source})
MATCH (b:Actor {id: $target})
MATCH p = (a)-[*1..6]-(b)
WITH p, length(p) AS hops
ORDER BY hops
LIMIT 1
RETURN hops, [x IN nodes(p) | coalesce(x.name, x.id)] AS path,
       [r IN relationships(p) | type(r)] AS relations,
       [x IN nodes(p) WHERE x:Actor | x.id] AS actors
