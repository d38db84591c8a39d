// name: datasets
// description: The datasets loaded into the store, by name; base: the first one loaded
//   into the empty store (its nodes and relationships carry no kgDatasets property).
// columns: name, base
// internal: used by loaders/reload.py (which dataset a load replaces) and kg/audit.py (what an audit audited)
MATCH (d:KgDataset)
RETURN d.name AS name, d.base AS base
ORDER BY name
