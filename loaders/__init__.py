"""Loading datasets (installed as ``kg.loaders``), one module per stage.

``files`` finds a dataset's tables, ``csv_table``, ``yaml_tables`` and ``raci_table``
read them, ``validate`` judges their rows by the models of ``kg.schema``,
``references`` resolves ids and names into relationships, ``read`` runs those stages
into a ``GraphData``, and ``loading`` hands it to a store; ``problems`` words what is
wrong in the reader's language.
"""

from __future__ import annotations

from kg.loaders.loading import LoadReport, check_memory, dataset_bytes, load
from kg.loaders.problems import problem_text
from kg.loaders.read import read_dataset

__all__ = ["LoadReport", "check_memory", "dataset_bytes", "load", "problem_text", "read_dataset"]
