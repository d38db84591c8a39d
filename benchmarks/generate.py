"""Generate a national-size dataset, in the DESIGN.md format, with gaps planted at known rates.

The administrative tree is real: the 38 provinces, 514 regencies and 7,285 kecamatan of
Indonesia with their Kemendagri codes, from the npm package ``idn-area-data`` (data under
the ODbL; ``npm ci`` in this folder fetches it into ``node_modules/``, which git ignores).
Everything else is synthetic and reproducible from ``--seed``:

* zones: the kecamatan of each regency in groups of five (fixed: ~1,540);
* actors: ministries, provincial and regency offices, one kecamatan office each (fixed:
  ~9,000), one paguyuban managing each sentra, and businesses, associations, banks,
  universities, research bodies and community groups;
* sentra in kecamatan drawn at random, each producing one or two commodities;
* commodities in families of raw -> intermediate -> product supply chains, products sold
  in markets; activities (four per sentra, with a status and dates) with a long-form RACI
  chart (``responsibilities.csv``); funding; regulations governing sentra;
* the office's follow-up as of ``AS_OF``: engagements at the sentra (their paguyuban and,
  in most regencies, the regency's office taking part), one commitment of the regency's
  office to each sentra, a kiosk-occupancy target and actual for most sentra, and dated
  assessments of the regency offices.

A scale of 1 is about 117k nodes and 330k relationships; the parts that are not fixed by
the administrative tree grow linearly with the scale.

Every audit check has a planted gap whose exact count is known by construction; they are
written to ``expected.json`` beside the dataset, so a benchmark can check the audit's
finding counts against them. The time-dependent checks are counted as of ``AS_OF``
(``expected.json`` says so): no dated fact falls on a boundary day (the as-of day itself,
or the first day of the engagement window), so the counts do not depend on whether a
check counts those days in or out. Run ``python benchmarks/generate.py --scale 1 --out DIR``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 4
"""Bump when the output changes, so cached datasets are regenerated."""

AREA_DATA = Path(__file__).parent / "node_modules" / "idn-area-data" / "data"

# Per unit of scale (the part of the graph that grows with it).
SENTRA = 15_000
ACTIVITIES_PER_SENTRA = 4
OTHER_ACTORS = {  # id prefix: (kind, count per unit)
    "biz": ("business", 2_000),
    "asc": ("association", 1_500),
    "bank": ("finance", 500),
    "edu": ("education", 500),
    "rsc": ("research", 500),
    "kom": ("community", 1_000),
}
FAMILIES = 120  # commodity families of 10 (3 raw, 3 intermediate, 4 products)
MARKETS = 600
REGULATIONS = 1_600

# Planted gap rates (shares of the population each check looks at).
RATE = {
    "kecamatan_unzoned": 0.02,  # kecamatan with no zone
    "actor_unmapped": 0.05,  # of the non-government, non-paguyuban actors: no RACI role
    "activity_no_responsible": 0.03,
    "activity_no_accountable": 0.04,
    "activity_multiple_accountable": 0.02,  # disjoint from no_accountable
    "activity_unscheduled": 0.10,
    "sentra_untrained": 0.30,  # no marketing/communication training concerns it
    "sentra_low_occupancy": 0.15,
    "sentra_unfunded": 0.10,
    "sentra_government_dependent": 0.25,
    "regulation_no_sanction_false": 0.25,
    "regulation_no_sanction_unknown": 0.15,
    "family_unsold": 0.05,  # a whole supply family with no market: 10 commodities each
    "family_unsold_product": 0.10,  # one product without a market (its inputs still reach one)
    "family_input_missing": 0.08,  # an extra product that nothing supplies (but sold)
    "zone_focus_missing": 0.10,  # a focus commodity no sentra of the zone produces
    "activity_phase_and_due": 0.4,  # of the phased activities: a due date as well
    "activity_outside_phase": 0.1,  # of those: a due year outside the phase's years
    "activity_completed_later": 0.1,  # of the done/cancelled: completed after AS_OF
    "sentra_stale": 0.25,  # engagements only before the window
    "sentra_never_engaged": 0.05,
    "engagement_after": 0.3,  # of the stale sentra: one engagement after AS_OF as well
    "office_absent": 0.3,  # regencies whose office takes part in no engagement
    "office_rated_high": 0.7,  # influence and interest 4-5 (manage closely)
    "office_rerated_later": 0.1,  # a second assessment after AS_OF, the other way
    "commitment_made_later": 0.05,
    "commitment_no_due": 0.15,
    "commitment_done_later": 0.1,  # of the done: done after AS_OF (still open on it)
    "target_unmeasured": 0.1,  # of the sentra with kiosks: a 2025 target with no actual
    "target_missed": 0.2,  # an actual below its target
    "target_future": 0.2,  # a target for 2027 as well (its period has not ended)
}

CATEGORIES = (
    "planning", "mapping", "relocation", "financing", "training", "promotion",
    "matchmaking", "regulation", "enforcement", "infrastructure", "coordination", "research",
)  # fmt: skip
TOPICS = (
    "marketing", "communication", "management", "finance", "production", "quality",
    "design", "legal", "tourism", "infrastructure", "digital", "other",
)  # fmt: skip
MARKETING_TOPICS = ("marketing", "communication")
MARKET_KINDS = (
    "local", "regional", "national", "export", "tourism", "exhibition", "industrial", "online",
)  # fmt: skip
STATUSES = ("active", "active", "active", "potential", "planned", "inactive")
CRAFTS = (
    "Batik", "Tenun", "Logam", "Mebel Kayu", "Gerabah", "Anyaman Bambu", "Kulit", "Bordir",
    "Tahu Tempe", "Olahan Ikan", "Kerupuk", "Kopi", "Gula Aren", "Keramik", "Konveksi",
    "Perak", "Rotan", "Batu Bata", "Olahan Susu", "Jamu",
)  # fmt: skip
PHASES = ("2025-2029", "2030-2034", "2035-2039", "2040-2045")

AS_OF = date(2026, 6, 30)
"""The day the follow-up checks are counted as of."""
ENGAGED_WITHIN_DAYS = 180
"""The default window of ``sentra.not_engaged`` and ``actor.key_not_met``."""
ENGAGEMENT_KINDS = ("visit", "training", "meeting", "matchmaking", "exhibition",
                    "coordination", "other")
ACTIVITY_STATUSES = (("done", 0.3), ("ongoing", 0.3), ("planned", 0.25), ("cancelled", 0.05),
                     ("", 0.1))


@dataclass
class Area:
    """The administrative tree: provinces, regencies, kecamatan (code -> name)."""

    provinces: dict[str, str]
    regencies: dict[str, str]
    kecamatan: dict[str, tuple[str, str]]  # code -> (regency code, name)


def read_area(folder: Path = AREA_DATA) -> Area:
    """Read idn-area-data's CSV files (fetched by ``npm ci`` in ``benchmarks/``)."""
    if not (folder / "districts.csv").is_file():
        raise SystemExit(
            f"{folder}/districts.csv is missing: run `npm ci` in benchmarks/ first "
            "(it fetches the npm package idn-area-data)"
        )

    def rows(name: str) -> list[dict[str, str]]:
        with (folder / name).open(encoding="utf-8-sig", newline="") as file:
            return list(csv.DictReader(file))

    return Area(
        {r["code"]: r["name"] for r in rows("provinces.csv")},
        {r["code"]: r["name"] for r in rows("regencies.csv")},
        {r["code"]: (r["regency_code"], r["name"]) for r in rows("districts.csv")},
    )


@dataclass
class Dataset:
    """The generated tables (rows of text) and the planted counts per check id."""

    tables: dict[str, tuple[list[str], list[list[str]]]] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)

    def table(self, name: str, columns: Sequence[str]) -> list[list[str]]:
        rows: list[list[str]] = []
        self.tables[name] = (list(columns), rows)
        return rows


def generate(area: Area, scale: float, seed: int = 7) -> Dataset:
    """Build the dataset in memory; ``expected`` holds the finding count of every check."""
    rng = random.Random(seed)
    data = Dataset()
    expected = data.expected

    # -- zones and kecamatan (fixed by the real tree) ---------------------------------
    zones = data.table("zones", ["id", "name"])
    kecamatan = data.table("kecamatan", ["id", "name", "zone", "sources"])
    by_regency: dict[str, list[str]] = defaultdict(list)
    for code in sorted(area.kecamatan):
        by_regency[area.kecamatan[code][0]].append(code)
    zone_of: dict[str, str] = {}
    zone_kecamatan: dict[str, list[str]] = defaultdict(list)
    unzoned = 0
    for regency, codes in sorted(by_regency.items()):
        for start in range(0, len(codes), 5):
            zone_id = f"zone-{regency}-{start // 5 + 1}"
            zones.append([zone_id, f"Wilayah {start // 5 + 1} {area.regencies[regency]}"])
            for code in codes[start : start + 5]:
                if rng.random() < RATE["kecamatan_unzoned"]:
                    unzoned += 1
                    kecamatan.append([code, area.kecamatan[code][1], "", "src-idn-area-data"])
                    continue
                zone_of[code] = zone_id
                zone_kecamatan[zone_id].append(code)
                kecamatan.append([code, area.kecamatan[code][1], zone_id, "src-idn-area-data"])
    expected["kecamatan.unzoned"] = unzoned

    # -- actors -----------------------------------------------------------------------
    actors = data.table("actors", ["id", "name", "kind", "level"])
    national = [f"gov-nat-{k}" for k in range(1, 21)]
    actors.append([national[0], "Kementerian Perindustrian", "government", "national"])
    actors.extend([a, f"Direktorat Jenderal IKM {k}", "government", "national"]
                  for k, a in enumerate(national[1:], start=2))
    province_office: dict[str, str] = {}
    for code, name in sorted(area.provinces.items()):
        province_office[code] = f"gov-prov-{code}-1"
        actors.append([f"gov-prov-{code}-1", f"Disperindag Provinsi {name}", "government",
                       "province"])
        actors.append([f"gov-prov-{code}-2", f"Bappeda Provinsi {name}", "government",
                       "province"])
        actors.append([f"gov-prov-{code}-3", f"DPRD Provinsi {name}", "legislature",
                       "province"])
    regency_office: dict[str, str] = {}
    for code, name in sorted(area.regencies.items()):
        regency_office[code] = f"gov-kab-{code}-1"
        actors.append([f"gov-kab-{code}-1", f"Dinas Perindustrian {name}", "government", "city"])
        actors.append([f"gov-kab-{code}-2", f"Bappeda {name}", "government", "city"])
        actors.append([f"gov-kab-{code}-3", f"DPRD {name}", "legislature", "city"])
    for code in sorted(area.kecamatan):
        actors.append([f"gov-kec-{code}", f"Kantor Kecamatan {area.kecamatan[code][1]} "
                       f"({area.regencies[area.kecamatan[code][0]]})", "government",
                       "kecamatan"])
    others: dict[str, list[str]] = {}
    unmapped: set[str] = set()
    for prefix, (kind, per_unit) in OTHER_ACTORS.items():
        ids = [f"{prefix}-{n}" for n in range(1, round(per_unit * scale) + 1)]
        others[prefix] = ids
        for n, actor_id in enumerate(ids, start=1):
            actors.append([actor_id, f"{kind.title()} {n}", kind, ""])
            if rng.random() < RATE["actor_unmapped"]:
                unmapped.add(actor_id)
    expected["actor.unmapped"] = len(unmapped)
    mapped_others = {p: [a for a in ids if a not in unmapped] for p, ids in others.items()}

    # -- commodities, supply chains, markets -----------------------------------------
    commodities = data.table("commodities", ["id", "name", "name_en", "stage"])
    markets = data.table("markets", ["id", "name", "kind"])
    links = data.table("links", ["from", "type", "to"])
    market_ids = [f"mkt-{n}" for n in range(1, round(MARKETS * scale) + 1)]
    for n, market_id in enumerate(market_ids, start=1):
        markets.append([market_id, f"Pasar {n}", rng.choice(MARKET_KINDS)])
    commodity_ids: list[str] = []
    no_market = no_upstream = 0
    for family in range(1, round(FAMILIES * scale) + 1):
        craft = CRAFTS[family % len(CRAFTS)]
        raw = [f"cmd-{family}-r{j}" for j in range(3)]
        mid = [f"cmd-{family}-i{j}" for j in range(3)]
        products = [f"cmd-{family}-p{j}" for j in range(4)]
        roll = rng.random()
        unsold_family = roll < RATE["family_unsold"]
        input_missing = not unsold_family and roll < RATE["family_unsold"] + RATE[
            "family_input_missing"]
        unsold_product = not unsold_family and rng.random() < RATE["family_unsold_product"]
        for j in range(3):
            commodities.append([raw[j], f"Bahan {craft} {family}.{j}", "", "raw"])
            commodities.append([mid[j], f"Setengah jadi {craft} {family}.{j}", "",
                                "intermediate"])
            links.append([raw[j], "SUPPLIES", mid[j]])
            links.append([raw[j], "SUPPLIES", mid[(j + 1) % 3]])
            links.append([mid[j], "SUPPLIES", products[j]])
            links.append([mid[j], "SUPPLIES", products[3]])
        for j, product in enumerate(products):
            commodities.append([product, f"Produk {craft} {family}.{j}", f"{craft} product",
                                "product"])
            if unsold_family or (unsold_product and j == 0):
                continue
            for market_id in rng.sample(market_ids, rng.randint(1, 2)):
                links.append([product, "SOLD_IN", market_id])
        commodity_ids += raw + mid + products
        if unsold_family:
            no_market += 10
        elif unsold_product:
            no_market += 1
        if input_missing:
            extra = f"cmd-{family}-p4"
            commodities.append([extra, f"Produk baru {craft} {family}", "", "product"])
            links.append([extra, "SOLD_IN", rng.choice(market_ids)])
            commodity_ids.append(extra)
            no_upstream += 1
    expected["supply.no_market"] = no_market
    expected["supply.no_upstream"] = no_upstream

    # -- sentra -----------------------------------------------------------------------
    sentra = data.table("sentra", ["id", "name", "status", "kecamatan", "kiosks_total",
                                   "kiosks_occupied"])
    all_kecamatan = sorted(area.kecamatan)
    sentra_ids = [f"sentra-{n}" for n in range(1, round(SENTRA * scale) + 1)]
    location: dict[str, str] = {}
    produced_in_zone: dict[str, set[str]] = defaultdict(set)
    sentra_by_regency: dict[str, list[str]] = defaultdict(list)
    low = 0
    for n, sentra_id in enumerate(sentra_ids):
        code = rng.choice(all_kecamatan)
        location[sentra_id] = code
        sentra_by_regency[area.kecamatan[code][0]].append(sentra_id)
        # every commodity is produced somewhere, so each planted supply gap is found
        made = [commodity_ids[n % len(commodity_ids)]]
        if rng.random() < 0.5:
            other = rng.choice(commodity_ids)
            if other != made[0]:
                made.append(other)
        for commodity in made:
            links.append([sentra_id, "PRODUCES", commodity])
            if code in zone_of:
                produced_in_zone[zone_of[code]].add(commodity)
        total = occupied = ""
        roll = rng.random()
        if roll < RATE["sentra_low_occupancy"]:
            kiosks = rng.randint(10, 200)
            total, occupied = str(kiosks), str(int(kiosks * rng.uniform(0, 0.69)))
            low += 1
        elif roll < 0.75:
            kiosks = rng.randint(10, 200)
            total, occupied = str(kiosks), str(rng.randint((7 * kiosks + 9) // 10, kiosks))
        craft = CRAFTS[n % len(CRAFTS)]
        sentra.append([sentra_id, f"Sentra IKM {craft} {area.kecamatan[code][1]} {n + 1}",
                       rng.choice(STATUSES), code, total, occupied])
    expected["sentra.low_occupancy"] = low

    # -- zones' focus commodities -----------------------------------------------------
    focus_missing = 0
    for zone_row in zones:
        zone_id = zone_row[0]
        made = sorted(produced_in_zone.get(zone_id, ()))
        chosen: list[str] = []
        if made:
            chosen.append(rng.choice(made))
        if not made or rng.random() < RATE["zone_focus_missing"]:
            missing = rng.choice(commodity_ids)
            while missing in made or missing in chosen:
                missing = rng.choice(commodity_ids)
            chosen.append(missing)
            focus_missing += 1
        for commodity in chosen:
            links.append([zone_id, "FOCUSES_ON", commodity])
    expected["zone.focus_without_sentra"] = focus_missing

    # -- paguyuban (one managing each sentra), memberships ----------------------------
    manager: dict[str, str] = {}
    for n, sentra_id in enumerate(sentra_ids, start=1):
        actor_id = f"pgy-{n}"
        manager[sentra_id] = actor_id
        actors.append([actor_id, f"Paguyuban {sentra[n - 1][1]}", "community", "sentra"])
        links.append([actor_id, "MANAGES", sentra_id])
        if rng.random() < 0.8:
            links.append([actor_id, "MEMBER_OF", rng.choice(others["asc"])])

    # -- activities and the RACI chart -------------------------------------------------
    activities = data.table("activities", ["id", "name", "category", "topic", "phase", "due",
                                           "concerns", "status", "completed"])
    roles = data.table("responsibilities", ["activity", "actor", "role"])
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)  # actor -> (activity, role)
    counts = defaultdict(int)
    untrained = 0
    number = 0
    for sentra_id in sentra_ids:
        code = location[sentra_id]
        regency = area.kecamatan[code][0]
        trained = rng.random() >= RATE["sentra_untrained"]
        untrained += not trained
        for k in range(ACTIVITIES_PER_SENTRA):
            number += 1
            activity_id = f"act-{number}"
            if trained and k == 0:
                category, topic = "training", rng.choice(MARKETING_TOPICS)
            else:
                category = rng.choice(CATEGORIES)
                topic = rng.choice(TOPICS)
                while category == "training" and topic in MARKETING_TOPICS:
                    topic = rng.choice(TOPICS)
                if rng.random() < 0.2:
                    topic = ""
            phase = due = ""
            if rng.random() < RATE["activity_unscheduled"]:
                counts["activity.unscheduled"] += 1
            elif rng.random() < 0.6:
                phase = rng.choice(PHASES)
                if rng.random() < RATE["activity_phase_and_due"]:
                    first, last = int(phase[:4]), int(phase[-4:])
                    year = rng.randint(first, last)
                    if rng.random() < RATE["activity_outside_phase"]:
                        year = rng.choice((first - rng.randint(1, 3), last + rng.randint(1, 3)))
                        counts["activity.outside_phase"] += 1
                    due = day(rng, year)
            else:
                due = day(rng, rng.randint(2025, 2030))
            status, completed = activity_status(rng)
            if due and due < AS_OF.isoformat() and not (
                status in ("done", "cancelled") and completed <= AS_OF.isoformat()
            ):
                counts["activity.overdue"] += 1
            activities.append([activity_id, f"Kegiatan {category} {topic or 'umum'} {number}",
                               category, topic, phase, due, sentra_id, status, completed])
            chart: list[tuple[str, str]] = []
            roll = rng.random()
            if roll < RATE["activity_no_responsible"]:
                counts["activity.no_responsible"] += 1
            else:
                chart.append((manager[sentra_id], "R"))
                if rng.random() < 0.2:
                    chart.append((f"gov-kec-{code}", "R"))
            roll = rng.random()
            if roll < RATE["activity_no_accountable"]:
                counts["activity.no_accountable"] += 1
            else:
                chart.append((regency_office[regency], "A"))
                if roll < RATE["activity_no_accountable"] + RATE["activity_multiple_accountable"]:
                    counts["activity.multiple_accountable"] += 1
                    chart.append((province_office[regency.split(".")[0]], "A"))
            if rng.random() < 0.5:
                chart.append((rng.choice(mapped_others[rng.choice(("asc", "edu", "rsc"))]), "C"))
            if rng.random() < 0.5:
                chart.append((rng.choice((f"gov-kec-{code}",
                                          rng.choice(mapped_others["bank"]))), "I"))
            for actor_id, role in chart:
                roles.append([activity_id, actor_id, role])
                held[actor_id].append((activity_id, role))
    expected["sentra.no_marketing_training"] = untrained
    expected.update(counts)
    # Every actor not planted as unmapped holds at least one role: inform it of an activity.
    activity_ids = [row[0] for row in activities]
    for row in actors:
        actor_id = row[0]
        if actor_id not in unmapped and not held.get(actor_id):
            activity_id = rng.choice(activity_ids)
            roles.append([activity_id, actor_id, "I"])
            held[actor_id].append((activity_id, "I"))

    # -- funding ----------------------------------------------------------------------
    funding = data.table("funding", ["funder", "target", "source_type", "amount_idr", "year"])
    dependent = 0
    for sentra_id in sentra_ids:
        regency = area.kecamatan[location[sentra_id]][0]
        roll = rng.random()
        if roll < RATE["sentra_unfunded"]:
            continue
        year = lambda: rng.choice(("", *map(str, range(2019, 2026))))  # noqa: E731
        amount = lambda: str(rng.randint(10, 2_000) * 1_000_000)  # noqa: E731
        if roll < RATE["sentra_unfunded"] + RATE["sentra_government_dependent"]:
            dependent += 1
            funding.append([regency_office[regency], sentra_id, "APBD",
                            rng.choice(("", amount())), year()])
            if rng.random() < 0.4:
                funding.append([rng.choice(national), sentra_id, "APBN",
                                rng.choice(("", amount())), year()])
            continue
        # mixed: the government share stays at most one half, by rupiah and by relations
        funders = rng.sample(
            [("BANK", "bank"), ("CSR", "biz"), ("PRIVATE", "biz"), ("COMMUNITY", "kom"),
             ("GRANT", "edu")],
            rng.randint(1, 2),
        )
        private_rows = [[rng.choice(others[prefix]), sentra_id, source, amount(), year()]
                        for source, prefix in funders]
        private_total = sum(int(r[3]) for r in private_rows)
        government = rng.randint(0, private_total // 1_000_000) * 1_000_000
        with_amounts = rng.random() < 0.5
        funding.append([regency_office[regency], sentra_id, "APBD",
                        str(government) if with_amounts else "", year()])
        funding.extend(private_rows)
    expected["sentra.government_dependent"] = dependent

    # -- regulations ------------------------------------------------------------------
    regulations = data.table("regulations", ["id", "name", "has_sanction"])
    regencies = sorted(area.regencies)
    no_sanction = 0
    for n in range(1, round(REGULATIONS * scale) + 1):
        regency = rng.choice(regencies)
        regulation_id = f"reg-{n}"
        roll = rng.random()
        sanction = "true"
        if roll < RATE["regulation_no_sanction_false"]:
            sanction, no_sanction = "false", no_sanction + 1
        elif roll < RATE["regulation_no_sanction_false"] + RATE["regulation_no_sanction_unknown"]:
            sanction, no_sanction = "", no_sanction + 1
        regulations.append([regulation_id, f"Peraturan {area.regencies[regency]} {n}", sanction])
        links.append([regency_office[regency], "ENFORCES", regulation_id])
        pool = sentra_by_regency.get(regency) or sentra_ids
        for sentra_id in rng.sample(pool, min(3, len(pool))):
            links.append([regulation_id, "GOVERNS", sentra_id])
    expected["regulation.no_sanction"] = no_sanction

    followup(data, rng, area, sentra, location, manager, regency_office)
    return data


def day(rng: random.Random, year: int) -> str:
    """A day of ``year``, never ``AS_OF`` (a boundary day)."""
    while (drawn := date(year, rng.randint(1, 12), rng.randint(1, 28))) == AS_OF:
        pass
    return drawn.isoformat()


def between(rng: random.Random, first: date, last: date) -> str:
    """A day from ``first`` to ``last``, both included."""
    return (first + timedelta(days=rng.randint(0, (last - first).days))).isoformat()


def after(rng: random.Random, first: date, last: date) -> str:
    """A day after ``first`` up to ``last``, never ``AS_OF``."""
    while (drawn := between(rng, first + timedelta(days=1), last)) == AS_OF.isoformat():
        pass
    return drawn


def activity_status(rng: random.Random) -> tuple[str, str]:
    """An activity's status and the day it was completed ("" when not given): a done or
    cancelled one is now and then completed after ``AS_OF``, so not yet on that day."""
    roll, status = rng.random(), ""
    for candidate, share in ACTIVITY_STATUSES:
        if roll < share:
            status = candidate
            break
        roll -= share
    completed = ""
    if status in ("done", "cancelled"):
        if rng.random() < RATE["activity_completed_later"]:
            completed = between(rng, AS_OF + timedelta(days=1), AS_OF + timedelta(days=200))
        elif rng.random() < 0.5:
            completed = between(rng, date(2024, 1, 1), AS_OF - timedelta(days=1))
    return status, completed


def followup(
    data: Dataset,
    rng: random.Random,
    area: Area,
    sentra: list[list[str]],
    location: dict[str, str],
    manager: dict[str, str],
    regency_office: dict[str, str],
) -> None:
    """Engagements, commitments, indicators and assessments, with the follow-up checks'
    findings as of ``AS_OF`` counted into ``data.expected``."""
    expected = data.expected
    window_start = AS_OF - timedelta(days=ENGAGED_WITHIN_DAYS)
    recent = (window_start + timedelta(days=2), AS_OF - timedelta(days=1))
    stale = (window_start - timedelta(days=540), window_start - timedelta(days=2))
    later = (AS_OF + timedelta(days=1), AS_OF + timedelta(days=90))

    absent = {office for office in sorted(regency_office.values())
              if rng.random() < RATE["office_absent"]}
    met: set[str] = set()  # offices that took part in an engagement within the window
    engagements = data.table("engagements", ["id", "date", "kind", "title", "sentra",
                                             "actors"])
    not_engaged = 0
    for sentra_id, _name, status, *_ in sentra:
        office = regency_office[area.kecamatan[location[sentra_id]][0]]
        roll = rng.random()
        days: list[tuple[str, bool]] = []  # (day, within the window)
        if roll < RATE["sentra_never_engaged"]:
            pass
        elif roll < RATE["sentra_never_engaged"] + RATE["sentra_stale"]:
            days += [(between(rng, *stale), False) for _ in range(rng.randint(1, 2))]
            if rng.random() < RATE["engagement_after"]:
                days.append((between(rng, *later), False))
        else:
            days.append((between(rng, *recent), True))
            if rng.random() < 0.5:
                days.append((between(rng, *stale), False))
        if status == "active" and not any(within for _, within in days):
            not_engaged += 1
        for when, within in days:
            number = len(engagements) + 1
            actors = [manager[sentra_id]]
            if office not in absent:
                actors.append(office)
                if within:
                    met.add(office)
            engagements.append([f"eng-{number}", when, rng.choice(ENGAGEMENT_KINDS),
                                f"Interaksi {number}", sentra_id, ";".join(actors)])
    expected["sentra.not_engaged"] = not_engaged

    assessments = data.table("assessments", ["actor", "date", "influence", "interest"])
    key_not_met = 0
    for office in sorted(regency_office.values()):
        high = rng.random() < RATE["office_rated_high"]
        rating = str(rng.randint(4, 5)) if high else "2"
        assessments.append([office, between(rng, date(2025, 1, 1), AS_OF - timedelta(days=1)),
                            rating, rating])
        if rng.random() < RATE["office_rerated_later"]:  # not yet known on AS_OF
            other = "2" if high else "5"
            assessments.append([office, between(rng, *later), other, other])
        if high and office not in met:
            key_not_met += 1
    expected["actor.key_not_met"] = key_not_met

    commitments = data.table("commitments", ["id", "made_on", "by", "to", "what", "due",
                                             "status", "done_on"])
    overdue = no_due = 0
    for n, (sentra_id, *_rest) in enumerate(sentra, start=1):
        office = regency_office[area.kecamatan[location[sentra_id]][0]]
        made_later = rng.random() < RATE["commitment_made_later"]
        made_on = (between(rng, *later) if made_later
                   else between(rng, date(2025, 1, 1), AS_OF - timedelta(days=1)))
        due = "" if rng.random() < RATE["commitment_no_due"] else after(
            rng, date.fromisoformat(made_on), date(2027, 12, 31))
        roll = rng.random()
        status, done_on = ("open", "") if roll < 0.5 else ("dropped", "") if roll < 0.6 else (
            "done", "")
        if status == "done":
            done_on = (between(rng, max(date.fromisoformat(made_on), AS_OF) + timedelta(days=1),
                               AS_OF + timedelta(days=300))
                       if made_later or rng.random() < RATE["commitment_done_later"]
                       else between(rng, date.fromisoformat(made_on), AS_OF - timedelta(days=1)))
        open_then = status == "open" or (status == "done" and done_on > AS_OF.isoformat())
        if not made_later and open_then:
            no_due += not due
            overdue += bool(due) and due < AS_OF.isoformat()
        commitments.append([f"cmt-{n}", made_on, office, sentra_id, f"Janji {n}", due, status,
                            done_on])
    expected["commitment.overdue"] = overdue
    expected["commitment.no_due"] = no_due

    indicators = data.table("indicators", ["subject", "indicator", "period", "value", "unit",
                                           "kind"])
    missed = unmeasured = 0
    for sentra_id, _name, _status, _code, total, *_ in sentra:
        if not total:
            continue
        target = rng.randint(70, 90)
        indicators.append([sentra_id, "kiosk_occupancy_pct", "2025", str(target), "%",
                           "target"])
        roll = rng.random()
        if roll < RATE["target_unmeasured"]:
            unmeasured += 1
        else:
            actual = rng.randint(40, target - 1) if roll < RATE["target_unmeasured"] + RATE[
                "target_missed"] else rng.randint(target, 100)
            missed += actual < target
            indicators.append([sentra_id, "kiosk_occupancy_pct", "2025", str(actual), "%",
                               "actual"])
        if rng.random() < RATE["target_future"]:
            indicators.append([sentra_id, "kiosk_occupancy_pct", "2027", str(target + 5), "%",
                               "target"])
    expected["indicator.target_missed"] = missed
    expected["indicator.unmeasured"] = unmeasured


def write(data: Dataset, out: Path, scale: float, seed: int) -> None:
    """Write the tables as CSV, ``dataset.yaml`` and ``expected.json`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in data.tables.items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
    (out / "dataset.yaml").write_text(
        f"name: national-benchmark-x{scale:g}\n"
        "title: Synthetic national Sentra IKM dataset (benchmark)\n"
        "license: synthetic; administrative tree from idn-area-data (ODbL)\n"
        "# Kecamatan of one name lie in several regencies.\n"
        "distinct_names: [kecamatan]\n"
        "sources:\n"
        "  - id: src-idn-area-data\n"
        "    title: idn-area-data (Kemendagri codes of provinces, regencies, kecamatan)\n"
        "    publisher: fityannugroho/idn-area-data (npm), ODbL\n",
        encoding="utf-8",
    )
    nodes = sum(len(data.tables[t][1]) for t in (
        "zones", "kecamatan", "actors", "commodities", "markets", "sentra", "activities",
        "regulations", "engagements", "commitments", "indicators", "assessments")) + 1
    summary = {  # nodes: + the one Source
        "generator": GENERATOR_VERSION,
        "scale": scale,
        "seed": seed,
        "as_of": AS_OF.isoformat(),
        "rows": {name: len(rows) for name, (_, rows) in data.tables.items()},
        "nodes": nodes,
        "expected": dict(sorted(data.expected.items())),
    }
    (out / "expected.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def ensure(scale: float, root: Path, seed: int = 7) -> Path:
    """The dataset for ``scale`` under ``root``, generated unless an up-to-date copy exists."""
    out = root / f"national-x{scale:g}"
    meta = out / "expected.json"
    if meta.is_file():
        summary = json.loads(meta.read_text(encoding="utf-8"))
        if summary.get("generator") == GENERATOR_VERSION and summary.get("seed") == seed:
            return out
    write(generate(read_area(), scale, seed), out, scale, seed)
    return out


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(list(argv) if argv is not None else None)
    data = generate(read_area(), args.scale, args.seed)
    write(data, args.out, args.scale, args.seed)
    print(json.dumps(data.expected, indent=2))


if __name__ == "__main__":
    main()
