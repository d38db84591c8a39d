"""tests/data/timeline in a store, until the loader reads engagements, commitments and
indicators (issue 25's foundation): the other tables load as they are, the three new
ones are written with Cypher as the contract stores them."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.loaders import load
from kg.store import StoreConfig, open_store

from .conftest import DATA

TIMELINE = DATA / "timeline"
NEW_TABLES = ("engagements.csv", "commitments.csv", "indicators.csv")

STATEMENTS = [
    ("MATCH (t:Activity) WHERE t.phase = '2025-2029' SET t.phaseFrom = 2025, t.phaseTo = 2029",
     {}),
    ("MATCH (t:Activity) WHERE t.phase = '2030-2034' SET t.phaseFrom = 2030, t.phaseTo = 2034",
     {}),
]
ENGAGEMENTS = [
    ("e-rapat", "2024-11-05", "meeting", "Rapat koordinasi awal", ["a-dinas"], None, None),
    ("e-kunjungan", "2025-02-10", "visit", "Kunjungan pembinaan", ["a-dinas", "a-kop"],
     "t-pelatihan", "Jadwal pelatihan disepakati"),
    ("e-temu", "2025-05-20", "matchmaking", "Temu Bisnis <b>logam</b>", ["a-dinas", "a-lppsp"],
     None, None),
    ("e-pelatihan", "2026-01-15", "training", "Pelatihan pemasaran lanjutan", ["a-lppsp"],
     None, None),
]
COMMITMENTS = [
    ("c-pelatih", "2025-02-10", "a-dinas", ("Sentra", "s-logam"),
     "Menyediakan pelatih pemasaran", "2025-03-31", "done", "2025-04-20", "e-kunjungan",
     "t-pelatihan"),
    ("c-data", "2025-05-20", "a-kop", ("Actor", "a-dinas"), "Mengirim data anggota",
     "2025-06-15", "open", None, "e-temu", None),
    ("c-pendampingan", "2025-05-20", "a-lppsp", ("Sentra", "s-logam"),
     "Pendampingan tiga sentra", None, "open", None, None, None),
    ("c-pameran", "2026-01-15", "a-dinas", ("Sentra", "s-logam"), "Membuka pameran",
     "2026-06-30", "dropped", "2026-02-01", "e-pelatihan", None),
]
INDICATORS = [
    ("s-logam", "kiosk_occupancy_pct", "2023", 60.0, "actual"),
    ("s-logam", "kiosk_occupancy_pct", "2023", 70.0, "target"),
    ("s-logam", "kiosk_occupancy_pct", "2024", 72.0, "actual"),
    ("s-logam", "kiosk_occupancy_pct", "2024", 70.0, "target"),
    ("s-logam", "kiosk_occupancy_pct", "2025", 65.0, "actual"),
    (None, "manufacturing_share_pdrb_pct", "2021", 27.92, "actual"),
    (None, "manufacturing_share_pdrb_pct", "2023", 28.7, "target"),
]


def build_timeline_store(path: Path, scratch: Path) -> Path:
    """A store at ``path`` holding tests/data/timeline; ``scratch`` a free directory."""
    base = scratch / "timeline"
    shutil.copytree(TIMELINE, base, ignore=shutil.ignore_patterns(*NEW_TABLES))
    with open_store(StoreConfig(path=path), write=True) as store:
        load(store, [base])
        for text, params in STATEMENTS:
            store.execute(text, params)
        for key, date, kind, title, actors, activity, outcome in ENGAGEMENTS:
            store.execute(
                "MATCH (s:Sentra {id: 's-logam'}) "
                "CREATE (e:Engagement {id: $id, name: $name, date: $date, kind: $kind}) "
                "CREATE (e)-[:AT_SENTRA]->(s) SET e.outcome = $outcome",
                {"id": key, "name": title, "date": date, "kind": kind, "outcome": outcome},
            )
            store.execute(
                "MATCH (e:Engagement {id: $id}), (a:Actor) WHERE a.id IN $actors "
                "CREATE (a)-[:TOOK_PART_IN]->(e)", {"id": key, "actors": actors},
            )
            if activity:
                store.execute(
                    "MATCH (e:Engagement {id: $id}), (t:Activity {id: $activity}) "
                    "CREATE (e)-[:CARRIES_OUT]->(t)", {"id": key, "activity": activity},
                )
        for key, made, by, (label, to), what, due, status, done, at, activity in COMMITMENTS:
            store.execute(
                "MATCH (a:Actor {id: $by}) CREATE (a)-[:COMMITTED]->(c:Commitment "
                "{id: $id, name: $name, madeOn: $made, status: $status}) "
                "SET c.due = $due, c.doneOn = $done",
                {"id": key, "by": by, "name": what, "made": made, "status": status,
                 "due": due, "done": done},
            )
            relation = "TO_SENTRA" if label == "Sentra" else "TO_ACTOR"
            store.execute(
                f"MATCH (c:Commitment {{id: $id}}), (x:{label} {{id: $to}}) "
                f"CREATE (c)-[:{relation}]->(x)", {"id": key, "to": to},
            )
            if at:
                store.execute(
                    "MATCH (c:Commitment {id: $id}), (e:Engagement {id: $at}) "
                    "CREATE (c)-[:MADE_AT]->(e)", {"id": key, "at": at},
                )
            if activity:
                store.execute(
                    "MATCH (c:Commitment {id: $id}), (t:Activity {id: $activity}) "
                    "CREATE (c)-[:FOR_ACTIVITY]->(t)", {"id": key, "activity": activity},
                )
        for subject, indicator, period, value, kind in INDICATORS:
            key = f"indicator:{subject or '*'}:{indicator}:{period}:{kind}"
            store.execute(
                "CREATE (i:Indicator {id: $id, name: $indicator, indicator: $indicator, "
                "period: $period, periodEnd: $end, value: $value, unit: '%', kind: $kind, "
                "direction: 'up'})",
                {"id": key, "indicator": indicator, "period": period,
                 "end": f"{period}-12-31", "value": value, "kind": kind},
            )
            if subject:
                store.execute(
                    "MATCH (i:Indicator {id: $id}), (s:Sentra {id: $subject}) "
                    "CREATE (i)-[:OF_SENTRA]->(s)", {"id": key, "subject": subject},
                )
    return path
