// name: source_citations
// description: The sources property of every node and relationship that cites one (a list
//   of source ids, or one id). It reads the whole graph: the brief of a whole area asks
//   it, a brief of named sentra counts the citations of what it shows instead.
// columns: sources
// internal: used by kg/report/brief.py (kg report)
MATCH (n) WHERE n.sources IS NOT NULL AND NOT n:KgDataset
RETURN n.sources AS sources
UNION ALL
MATCH ()-[r]->() WHERE r.sources IS NOT NULL
RETURN r.sources AS sources
