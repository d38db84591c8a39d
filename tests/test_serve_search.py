"""kg serve's search and expansion at scale: the search index answers exactly what reading
every name answers, and the queries given a node's label answer what the label-less ones do.

The specification of search is ``scanned`` below: every name read, ranked as
``kg.resolve.Suggester`` documents (an exact id; names equal to the text; names starting
with it; names or ids holding it; each group by name then id; then the words no name has
corrected and the corrected text matched). The index must give the same nodes in the same
order, on the bundled data, on the test datasets and on made-up names.
"""

from __future__ import annotations

import heapq
import json
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from difflib import get_close_matches
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import queries, resolve
from kg.errors import QueryError
from kg.loaders.read import read_dataset
from kg.loaders.references import name_key
from kg.resolve import NodeEntry, Suggester, node_index
from kg.schema.model import Label
from kg.serve.app import Knowledge
from kg.store import Store, StoreConfig, open_store

from .conftest import DATA, TINY
from .serve_support import HOSTILE_ID, SEMARANG, hostile_store
from .test_queries import LINTER, UNDECLARED_PARAMETER

LABELLED = sorted(name for name, query in queries.all_queries().items() if query.label)


def scanned(nodes: Sequence[NodeEntry], text: str, limit: int) -> list[NodeEntry]:
    """The suggestions for ``text``, every name read (the specification)."""
    keys = [name_key(name or "") for _, _, name in nodes]
    words = sorted({word for key in keys for word in key.split() if word.isalpha()})

    def matching(key: str) -> list[NodeEntry]:
        ranked = []
        for node, name in zip(nodes, keys, strict=True):
            if node[0] == text.strip():
                rank = 0
            elif name == key:
                rank = 1
            elif name.startswith(key):
                rank = 2
            elif key in name or key in node[0].casefold():
                rank = 3
            else:
                continue
            ranked.append((rank, name, node[0], node))
        return [node for *_, node in heapq.nsmallest(limit, ranked)]

    key = name_key(text)
    if not key:
        return []
    found = matching(key)
    if len(found) < limit:
        corrected = " ".join(
            word if word in words else next(iter(get_close_matches(word, words, 1, 0.7)), word)
            for word in key.split()
        )
        if corrected != key:
            found += [node for node in matching(corrected) if node not in found]
    return found[:limit]


def searches(nodes: Sequence[NodeEntry]) -> list[str]:
    """What people type: ids and parts of them, names as they are typed letter by letter,
    their words and parts of words, with a letter dropped or added, words run together."""
    texts = set()
    for node_id, _, name in nodes:
        texts |= {node_id, node_id[:4], node_id[2:6], node_id.upper()}
        if not name:
            continue
        texts |= {name[:end] for end in range(1, len(name) + 1)}
        texts |= {name[:at] + name[at + 1:] for at in range(len(name))}
        texts |= {name[:at] + "x" + name[at:] for at in range(0, len(name), 3)}
        texts |= {name.replace(" ", "", 1), f"  {name.upper()} "}
        for word in name.split():
            texts |= {word, word[1:4], word[1:], word[:-1]}
    return sorted(texts)


def dataset_nodes(folder: Path) -> list[NodeEntry]:
    graph = read_dataset([folder], sources_optional=True)
    return [(node.id, node.label.value, node.props.get("name")) for node in graph.nodes]


@pytest.mark.parametrize(
    "folder", [SEMARANG, DATA / "names", TINY, DATA / "match"],
    ids=["semarang", "names", "tiny", "match"],
)
def test_the_index_answers_what_reading_every_name_answers(folder: Path) -> None:
    nodes = dataset_nodes(folder)
    index = Suggester(nodes)
    for text in searches(nodes):
        for limit in (12, 3):
            assert index.suggest(text, limit) == scanned(nodes, text, limit), (text, limit)


NAMES = st.lists(
    st.tuples(
        st.text("ab", min_size=1, max_size=3),
        st.sampled_from(["Actor", "Sentra"]),
        st.one_of(st.none(), st.text("ab 1É", max_size=10)),
    ),
    max_size=12,
    unique_by=lambda node: node[0],
)


@settings(max_examples=300, deadline=None)
@given(nodes=NAMES, text=st.text("ab 1É", min_size=1, max_size=6), limit=st.integers(1, 5))
def test_made_up_names_give_what_reading_every_name_gives(
    nodes: list[NodeEntry], text: str, limit: int
) -> None:
    assert Suggester(nodes).suggest(text, limit) == scanned(nodes, text, limit)


@settings(max_examples=200, deadline=None)
@given(nodes=NAMES, text=st.text("ab 1", min_size=1, max_size=6))
def test_a_text_in_too_many_words_is_looked_for_in_every_name(
    nodes: list[NodeEntry], text: str
) -> None:
    for most in (0, 1):
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(resolve, "ANCHOR_WORDS", most)
            assert Suggester(nodes).suggest(text, 4) == scanned(nodes, text, 4), most


def test_a_part_of_a_word_finds_the_names_holding_it() -> None:
    nodes = [("s-2", "Sentra", "Kampung Batik Malon"), ("s-1", "Sentra", "Kampung Batik Malon"),
             ("a-1", "Actor", "Balong Malon"), ("a-2", "Actor", "Dinas Koperasi")]
    found = [node_id for node_id, _, _ in Suggester(nodes).suggest("alon")]
    assert found == ["a-1", "s-1", "s-2"]  # by name, then by id


# -- expansion and resolution by label ----------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_store(tmp_path_factory.mktemp("search"))


@pytest.fixture(scope="module")
def store(store_path: Path) -> Iterator[Store]:
    with open_store(StoreConfig(path=store_path)) as opened:
        yield opened


@pytest.fixture(scope="module")
def one_of_each(store: Store) -> dict[str, str]:
    """A node id per label the store has."""
    found: dict[str, str] = {}
    for node_id, label, _ in node_index(store):
        found.setdefault(label, node_id)
    return found


@pytest.mark.parametrize("name", LABELLED, ids=LABELLED)
def test_a_query_given_the_label_answers_as_without_it(
    store: Store, one_of_each: dict[str, str], name: str
) -> None:
    query = queries.get(name)
    answered = set()
    for label, node_id in one_of_each.items():
        labelled = query.for_label(Label(label)).run(store, {"id": node_id}).rows
        assert labelled == query.run(store, {"id": node_id}).rows, label
        answered |= {label} if labelled else set()
    assert {"Sentra", "Activity", "Actor"} <= answered


@pytest.mark.parametrize("name", LABELLED, ids=LABELLED)
def test_a_query_given_another_label_finds_nothing(
    store: Store, one_of_each: dict[str, str], name: str
) -> None:
    query = queries.get(name).for_label(Label.MARKET)
    assert query.run(store, {"id": one_of_each["Sentra"]}).rows == []


def test_the_label_is_written_into_the_first_match_only() -> None:
    text = queries.get("node_neighbours").for_label(Label.SENTRA).text
    assert "MATCH (n:Sentra {id: $id})-[r]-(m)" in text
    assert text.count(":Sentra") == 1 and "startNode(r) = n" in text


def test_only_a_label_of_the_schema_is_written() -> None:
    with pytest.raises(ValueError, match="is not a valid Label"):
        queries.get("node_properties").for_label("Sentra {id: 1}) DETACH DELETE n //")  # type: ignore[arg-type]


def test_a_query_without_a_label_line_takes_no_label() -> None:
    with pytest.raises(QueryError, match=r"sentra_actors\.cypher: no 'label:' line"):
        queries.get("sentra_actors").for_label(Label.SENTRA)


def test_a_label_line_needs_its_match() -> None:
    text = "// name: q\n// description: d\n// columns: a\n// label: m\nMATCH (n) RETURN n.id AS a\n"
    with pytest.raises(QueryError, match=r"q\.cypher: 'label: m' needs a line 'MATCH \(m'"):
        queries.parse("q", text)


def test_neo4j_linter_accepts_every_label_given(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (LINTER / "node_modules").is_dir():
        pytest.skip("Neo4j's linter is not installed (npm ci --prefix tests/cypher_lint)")
    paths = []
    for name in LABELLED:
        for label in Label:
            path = tmp_path / f"{name}-{label}.cypher"
            path.write_text(queries.get(name).for_label(label).text, encoding="utf-8")
            paths.append(str(path))
    done = subprocess.run([node, str(LINTER / "lint.mjs"), *paths], capture_output=True,
                          text=True, check=True, timeout=300)
    report = json.loads(done.stdout)["files"]
    assert len(report) == len(paths)
    for file in report:
        assert [d for d in file["diagnostics"]
                if not UNDECLARED_PARAMETER.match(d["message"])] == [], file["path"]


def test_an_expansion_is_the_label_less_querys_answer(store: Store) -> None:
    knowledge = Knowledge(store, "en")
    for node_id in ("act-relocation-kiw", HOSTILE_ID, "sentra-batik-malon"):
        expected = queries.run(store, "node_neighbours", {"id": node_id}).records()
        assert knowledge.neighbours(node_id) == expected and expected


def test_knowledge_keeps_one_entry_per_node(store: Store) -> None:
    knowledge = Knowledge(store, "en")
    assert knowledge.by_id == {node[0]: node for node in knowledge.nodes}
