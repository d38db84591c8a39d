"""What each column of each table means, in English and Indonesian, with an example.

The workbook template (``kg template``) shows these as notes on its header cells; the
models in ``kg.schema.model`` define the columns themselves (a test keeps the two in
step), and their enums give the allowed values (``choices``), which are never retyped
here. ``refers_to`` names the table whose ids a one-id reference column holds.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from enum import StrEnum

from kg.schema.model import (
    LINK_TYPES,
    ROLE_RELATIONSHIPS,
    Assessment,
    Funding,
    Link,
    Record,
    RelType,
    Responsibility,
    Role,
    Source,
    endpoints,
)
from kg.schema.names import choices_in, column_word
from kg.schema.tables import ASSESSMENTS_TABLE, FOLLOWUP_TABLES, NODE_TABLES, SOURCES_TABLE

RELATIONSHIP_MODELS: dict[str, type[Record]] = {
    "links": Link,
    "funding": Funding,
    "responsibilities": Responsibility,
}
"""The relationship tables with fixed columns (the RACI matrix has one per actor)."""

TABLE_MODELS: dict[str, type[Record]] = {
    **NODE_TABLES, **RELATIONSHIP_MODELS, ASSESSMENTS_TABLE: Assessment, **FOLLOWUP_TABLES,
    SOURCES_TABLE: Source,
}
"""Every table with fixed columns -> the model its rows follow, in the order a workbook
shows them (the sources rows cite last, as a list of references ends a document)."""


@dataclass(frozen=True)
class Meaning:
    """What a column (or a table) holds: in English, in Indonesian, and an example."""

    en: str
    id: str
    example: str = ""

    def text(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


def columns(table: str) -> list[str]:
    """The columns of ``table`` as a header row names them (``from``, not ``from_``).

    A source's other columns are seldom filled (its name is by default its title), so a
    table of sources starts with those describing the document:

    >>> columns("sources")
    ['id', 'title', 'publisher', 'date', 'url']

    A table whose rows are named by other columns (``Node.not_given``) has its own
    columns first and ``sources`` last:

    >>> columns("indicators")
    ['subject', 'indicator', 'period', 'value', 'unit', 'kind', 'direction', 'sources']
    """
    if table == SOURCES_TABLE:
        return ["id", "title", "publisher", "date", "url"]
    model = TABLE_MODELS[table]
    given = [info.alias or name for name, info in model.model_fields.items()]
    not_given: frozenset[str] = getattr(model, "not_given", frozenset())
    if not_given:
        return [*(c for c in given if c not in {"sources", *not_given}), "sources"]
    return given


def choices(table: str, column: str, lang: str = "en") -> list[str]:
    """The values ``column`` of ``table`` allows, from its enum, as written in ``lang``
    (``kg.schema.names``); [] for free text.

    >>> choices("responsibilities", "role"), choices("commodities", "stage", "id")
    (['R', 'A', 'C', 'I'], ['bahan_baku', 'setengah_jadi', 'produk'])
    >>> choices("actors", "name")
    []
    """
    if (table, column) == ("links", "type"):
        return sorted(rel.value for rel in LINK_TYPES)
    kind = enum_of(table, column)
    return choices_in(kind, lang) if kind is not None else []


def own_columns(table: str) -> list[str]:
    """Every column the model of ``table`` has (none for the RACI matrix), as headers name
    them; other columns of a table are extra properties, named as written."""
    model = TABLE_MODELS.get(table)
    return [info.alias or name for name, info in model.model_fields.items()] if model else []


def header(table: str, column: str, lang: str) -> str:
    """``column`` of ``table`` as a header names it in ``lang`` (``kg.schema.names``): an
    extra column keeps its own name in every language.

    >>> header("actors", "kind", "id"), header("actors", "note", "id")
    ('jenis', 'note')
    """
    return column_word(column, lang) if column in own_columns(table) else column


def enum_of(table: str, column: str) -> type[StrEnum] | None:
    """The enumeration whose values ``column`` of ``table`` holds, or None."""
    model = TABLE_MODELS.get(table)
    field = next((info for name, info in model.model_fields.items()
                  if (info.alias or name) == column), None) if model is not None else None
    if field is None:
        return None
    for candidate in typing.get_args(field.annotation) or (field.annotation,):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            return candidate
    return None


_TABLE_OF = {model.label: table for table, model in NODE_TABLES.items()}

REFERENCES: dict[tuple[str, str], str] = {
    ("funding", "funder"): _TABLE_OF[endpoints(RelType.FUNDS)[0]],
    ("funding", "target"): _TABLE_OF[endpoints(RelType.FUNDS)[1]],
    ("responsibilities", "actor"): _TABLE_OF[endpoints(ROLE_RELATIONSHIPS[Role.R])[0]],
    ("responsibilities", "activity"): _TABLE_OF[endpoints(ROLE_RELATIONSHIPS[Role.R])[1]],
    (ASSESSMENTS_TABLE, "actor"): _TABLE_OF[endpoints(RelType.ASSESSES)[1]],
    ("engagements", "activity"): _TABLE_OF[endpoints(RelType.CARRIES_OUT)[1]],
    ("commitments", "by"): _TABLE_OF[endpoints(RelType.COMMITTED)[0]],
    ("commitments", "engagement"): "engagements",
    ("commitments", "activity"): _TABLE_OF[endpoints(RelType.FOR_ACTIVITY)[1]],
}
"""(table, column) -> the table whose id one cell of the column names. Columns holding a
list (``concerns``) or ids of several labels (``from``, ``to``) are not among them."""


def refers_to(table: str, column: str) -> str | None:
    """The table whose id a cell of ``column`` names, or None.

    >>> refers_to("funding", "target"), refers_to("links", "from")
    ('sentra', None)
    """
    return REFERENCES.get((table, column))


_ID = Meaning("Unique id: ASCII letters, digits, '.', '_', ':' or '-', starting with a "
              "letter or digit; other rows refer to the row by it.",
              "Id unik: huruf ASCII, angka, '.', '_', ':' atau '-', diawali huruf atau "
              "angka; baris lain merujuk baris ini dengan id ini.")
_SOURCES = Meaning("Ids of the documents this row comes from (sheet sources), separated "
                   "by |; may stay empty.",
                   "Id dokumen sumber baris ini (lembar sumber), dipisah |; boleh kosong.",
                   "src-perwilayahan-2026")


def _node(id_example: str, name_example: str, **more: Meaning) -> dict[str, Meaning]:
    return {
        "id": Meaning(_ID.en, _ID.id, id_example),
        "name": Meaning("Name, as the documents write it (required).",
                        "Nama, seperti tertulis di dokumen (wajib).", name_example),
        "sources": _SOURCES,
        **more,
    }


COLUMNS: dict[str, dict[str, Meaning]] = {
    "zones": _node("zone-x", "Wilayah X"),
    "kecamatan": _node(
        "33.74.16", "Tugu",
        zone=Meaning("Id of the zone (sheet zones) the kecamatan belongs to.",
                     "Id wilayah (lembar wilayah) tempat kecamatan ini.", "zone-x"),
    ),
    "commodities": _node(
        "com-bandeng", "Bandeng",
        name_en=Meaning("English name (optional).", "Nama dalam bahasa Inggris (opsional).",
                        "Milkfish"),
        stage=Meaning("Stage in the supply chain (required).",
                      "Tahap dalam rantai pasok (wajib).", "raw"),
    ),
    "sentra": _node(
        "sentra-logam-kiw", "Sentra IKM Logam KIW",
        status=Meaning("State of the sentra (required).", "Keadaan sentra (wajib).", "active"),
        kecamatan=Meaning("Id (Kemendagri code) of the kecamatan it lies in; several "
                          "separated by |.",
                          "Id (kode Kemendagri) kecamatan letak sentra; beberapa dipisah |.",
                          "33.74.16"),
        kiosks_total=Meaning("Number of kiosks (a whole number; empty = unknown).",
                             "Jumlah kios (bilangan bulat; kosong = tidak diketahui).", "74"),
        kiosks_occupied=Meaning("Kiosks in use; at most kiosks_total.",
                                "Kios yang terisi; paling banyak jumlah_kios.", "44"),
    ),
    "actors": _node(
        "actor-disperin", "Dinas Perindustrian Kota Semarang",
        kind=Meaning("Kind of actor (required).", "Jenis aktor (wajib).", "government"),
        level=Meaning("Level of government or organisation (optional).",
                      "Tingkat pemerintahan atau organisasi (opsional).", "city"),
    ),
    "markets": _node(
        "mkt-local", "Pasar lokal",
        kind=Meaning("Kind of market (required).", "Jenis pasar (wajib).", "local"),
    ),
    "regulations": _node(
        "reg-perda-6-2025", "Perda Kota Semarang Nomor 6 Tahun 2025",
        has_sanction=Meaning("Does it carry a sanction? true/false, ya/tidak, 1/0; "
                             "empty = unknown.",
                             "Apakah ada sanksi? true/false, ya/tidak, 1/0; kosong = tidak "
                             "diketahui.", "tidak"),
    ),
    "activities": _node(
        "act-pelatihan-pemasaran", "Pelatihan pemasaran digital",
        category=Meaning("Kind of management activity (required).",
                         "Jenis kegiatan pengelolaan (wajib).", "training"),
        topic=Meaning("Its subject (optional).", "Pokok bahasannya (opsional).", "marketing"),
        phase=Meaning("Phase or period of the plan, as free text.",
                      "Tahap atau periode rencana, teks bebas.", "2025-2029"),
        due=Meaning("Due date: 2025-05-12, 12/05/2025, 12 Mei 2025, or a month (Des 2025).",
                    "Tenggat: 2025-05-12, 12/05/2025, 12 Mei 2025, atau bulan (Des 2025).",
                    "2025-12-31"),
        concerns=Meaning("Ids of the sentra it concerns, separated by |.",
                         "Id sentra yang terkait, dipisah |.", "sentra-logam-kiw"),
        status=Meaning("Where it stands: planned, ongoing, done or cancelled (direncanakan, "
                       "berjalan, selesai, batal); empty = unknown.",
                       "Keadaannya: direncanakan, berjalan, selesai atau batal (planned, "
                       "ongoing, done, cancelled); kosong = tidak diketahui.", "selesai"),
        started=Meaning("Day it started (optional).", "Tanggal mulai (opsional).",
                        "2025-02-01"),
        completed=Meaning("Day it was done or cancelled (optional).",
                          "Tanggal selesai atau batal (opsional).", "2025-11-30"),
    ),
    "links": {
        "from": Meaning("Id of the node the relationship starts at.",
                        "Id simpul awal hubungan.", "sentra-logam-kiw"),
        "type": Meaning("Type of the relationship (required).", "Jenis hubungan (wajib).",
                        "PRODUCES"),
        "to": Meaning("Id of the node it ends at.", "Id simpul akhir hubungan.",
                      "com-olahan-logam"),
        "sources": _SOURCES,
    },
    "funding": {
        "id": Meaning("Id of the grant (optional): tells apart grants with equal values.",
                      "Id hibah/alokasi (opsional): membedakan alokasi yang nilainya sama.",
                      "sp2d-0042"),
        "funder": Meaning("Id of the actor (sheet actors) that gives the money.",
                          "Id aktor (lembar aktor) pemberi dana.", "actor-pemkot"),
        "target": Meaning("Id of the sentra (sheet sentra) that receives it.",
                          "Id sentra (lembar sentra) penerima dana.", "sentra-logam-kiw"),
        "source_type": Meaning("Budget the money comes from (required).",
                               "Asal anggaran (wajib).", "APBD"),
        "amount_idr": Meaning("Amount in whole rupiah: 1500000, Rp 1.500.000, 1,5 juta; "
                              "empty = unknown.",
                              "Jumlah dalam rupiah: 1500000, Rp 1.500.000, 1,5 juta; "
                              "kosong = tidak diketahui.", "150000000"),
        "year": Meaning("Budget year; empty = unknown.", "Tahun anggaran; kosong = tidak "
                        "diketahui.", "2023"),
        "sources": _SOURCES,
    },
    "responsibilities": {
        "activity": Meaning("Id or exact name of the activity (sheet activities).",
                            "Id atau nama persis kegiatan (lembar kegiatan).",
                            "act-relocation-kiw"),
        "actor": Meaning("Id or exact name of the actor (sheet actors).",
                         "Id atau nama persis aktor (lembar aktor).", "actor-pemkot"),
        "role": Meaning("RACI letter: R responsible (does it), A accountable (answers for "
                        "it; one per activity), C consulted, I informed.",
                        "Huruf RACI: R pelaksana, A penanggung jawab (satu per kegiatan), "
                        "C dimintai pendapat, I diberi informasi.", "A"),
        "sources": _SOURCES,
    },
    ASSESSMENTS_TABLE: {
        "actor": Meaning("Id or exact name of the actor rated (sheet actors).",
                         "Id atau nama persis aktor yang dinilai (lembar aktor).",
                         "actor-contoh"),
        "date": Meaning("Day of the assessment (required): an actor may have several, the "
                        "latest is current; two on one day are an error.",
                        "Tanggal penilaian (wajib): satu aktor boleh dinilai berkali-kali, "
                        "yang terbaru berlaku; dua pada hari yang sama adalah kesalahan.",
                        "2025-03-01"),
        "influence": Meaning("Influence (power) over the sentra programme: 1-5, or "
                             "low/medium/high = 1/3/5; empty = unknown.",
                             "Pengaruh atas program sentra: 1-5, atau rendah/sedang/tinggi "
                             "= 1/3/5; kosong = tidak diketahui.", "4"),
        "interest": Meaning("Interest in the sentra programme: 1-5, or low/medium/high = "
                            "1/3/5; empty = unknown.",
                            "Kepentingan terhadap program sentra: 1-5, atau "
                            "rendah/sedang/tinggi = 1/3/5; kosong = tidak diketahui.",
                            "tinggi"),
        "attitude": Meaning("Stance: supportive, neutral or opposed (mendukung, netral, "
                            "menentang); optional.",
                            "Sikap: mendukung, netral atau menentang (supportive, neutral, "
                            "opposed); opsional.", "mendukung"),
        "power": Meaning("Salience: can it impose its will (coercive, money, standing)? "
                         "true/false, ya/tidak; empty = unknown.",
                         "Salience: dapatkah ia memaksakan kehendaknya (wewenang, dana, "
                         "kedudukan)? ya/tidak; kosong = tidak diketahui.", "ya"),
        "legitimacy": Meaning("Salience: is its claim on the sentra proper (law, contract, "
                              "stake)? true/false, ya/tidak; empty = unknown.",
                              "Salience: apakah klaimnya atas sentra sah (hukum, kontrak, "
                              "kepentingan)? ya/tidak; kosong = tidak diketahui.", "ya"),
        "urgency": Meaning("Salience: does its claim call for immediate attention? "
                           "true/false, ya/tidak; empty = unknown.",
                           "Salience: apakah klaimnya menuntut perhatian segera? ya/tidak; "
                           "kosong = tidak diketahui.", "tidak"),
        "note": Meaning("Why it was rated so, who rated it (optional).",
                        "Alasan penilaian, siapa yang menilai (opsional).",
                        "Rapat koordinasi Maret 2025"),
        "sources": _SOURCES,
    },
    "engagements": {
        "id": Meaning("Id (optional; by default made of its date, kind and title).",
                      "Id (opsional; bawaannya dari tanggal, jenis dan judul).",
                      "eng-2025-03-monitoring"),
        "date": Meaning("Day it took place (required).", "Tanggal pelaksanaan (wajib).",
                        "2025-03-12"),
        "kind": Meaning("Kind of engagement (required): visit, training, meeting, "
                        "matchmaking, exhibition, coordination, other (kunjungan, pelatihan, "
                        "rapat, temu_bisnis, pameran, koordinasi, lainnya).",
                        "Jenis interaksi (wajib): kunjungan, pelatihan, rapat, temu_bisnis, "
                        "pameran, koordinasi, lainnya.", "kunjungan"),
        "title": Meaning("What it was, in a few words (required).",
                         "Judul singkat kegiatannya (wajib).", "Monitoring Sentra IKM Logam"),
        "sentra": Meaning("Sentra it was about, by id or name; several separated by ;.",
                          "Sentra yang dituju, id atau nama; beberapa dipisah ;.",
                          "sentra-logam-kiw"),
        "actors": Meaning("Actors who took part, by id or name; several separated by ;.",
                          "Aktor yang ikut serta, id atau nama; beberapa dipisah ;.",
                          "actor-disperin; actor-paguyuban-kiw"),
        "activity": Meaning("Activity of the plan it carried out, by id or name (optional).",
                            "Kegiatan rencana yang dilaksanakan, id atau nama (opsional).",
                            "act-pelatihan-pemasaran"),
        "outcome": Meaning("What came of it (optional).", "Hasilnya (opsional).",
                           "Paguyuban minta pelatihan pemasaran digital"),
        "sources": _SOURCES,
    },
    "commitments": {
        "id": Meaning("Id (optional; by default made of who made it, when, and what).",
                      "Id (opsional; bawaannya dari pembuat, tanggal dan isinya).",
                      "kom-2025-001"),
        "made_on": Meaning("Day it was promised (optional).",
                           "Tanggal janji dibuat (opsional).", "2025-03-12"),
        "by": Meaning("Actor who promised it, by id or name (required).",
                      "Aktor yang berjanji, id atau nama (wajib).", "actor-disperin"),
        "to": Meaning("Actor or sentra it was promised to, by id or name (optional).",
                      "Aktor atau sentra penerima janji, id atau nama (opsional).",
                      "sentra-logam-kiw"),
        "what": Meaning("What was promised (required).", "Isi janji (wajib).",
                        "Pelatihan pemasaran digital"),
        "due": Meaning("By when: a day, or a month (its last day); empty = no date given.",
                       "Tenggat: tanggal, atau bulan (hari terakhirnya); kosong = tanpa "
                       "tenggat.", "Jun 2025"),
        "status": Meaning("open, done or dropped (terbuka, selesai, batal); empty = open.",
                          "terbuka, selesai atau batal (open, done, dropped); kosong = "
                          "terbuka.", "selesai"),
        "done_on": Meaning("Day it was done or dropped; required when done, not before "
                           "made_on.",
                           "Tanggal selesai atau batal; wajib bila selesai, tidak sebelum "
                           "made_on.", "2025-06-20"),
        "engagement": Meaning("Id of the engagement where it was promised (optional).",
                              "Id interaksi tempat janji dibuat (opsional).",
                              "eng-2025-03-monitoring"),
        "activity": Meaning("Activity of the plan it serves, by id or name (optional).",
                            "Kegiatan rencana yang didukungnya, id atau nama (opsional).",
                            "act-pelatihan-pemasaran"),
        "sources": _SOURCES,
    },
    "indicators": {
        "subject": Meaning("Sentra, zone, kecamatan or actor measured, by id or name; "
                           "empty = the dataset's whole area.",
                           "Sentra, wilayah, kecamatan atau aktor yang diukur, id atau nama; "
                           "kosong = seluruh wilayah dataset.", "sentra-logam-kiw"),
        "indicator": Meaning("Key of the indicator (required), as an id: "
                             "kiosk_occupancy_pct.",
                             "Kunci indikator (wajib), berbentuk id: kiosk_occupancy_pct.",
                             "kiosk_occupancy_pct"),
        "period": Meaning("Year (2023) or day (2023-06-30) the value is for (required).",
                          "Tahun (2023) atau tanggal (2023-06-30) nilai itu (wajib).", "2025"),
        "value": Meaning("The value (required): 27,92, 1.500.000, 1,5 juta.",
                         "Nilainya (wajib): 27,92, 1.500.000, 1,5 juta.", "60"),
        "unit": Meaning("Unit of the value (optional).", "Satuan nilai (opsional).", "%"),
        "kind": Meaning("actual or target (realisasi or target; required).",
                        "realisasi atau target (actual, target; wajib).", "target"),
        "direction": Meaning("up: higher is better (default); down: lower is better "
                             "(naik, turun).",
                             "naik: makin tinggi makin baik (bawaan); turun: makin rendah "
                             "makin baik (up, down).", "up"),
        "sources": _SOURCES,
    },
    SOURCES_TABLE: {
        "id": Meaning(_ID.en, _ID.id, "src-perwilayahan-2026"),
        "title": Meaning("Title of the document (required).", "Judul dokumen (wajib).",
                         "Strategi Perwilayahan IKM Kota Semarang Menuju Industri Global"),
        "publisher": Meaning("Who published it (optional).", "Penerbitnya (opsional).",
                             "Pemerintah Kota Semarang"),
        "date": Meaning("When it was published, as the document gives it: a date, a month "
                        "or a year (optional).",
                        "Tanggal terbit, seperti tertulis di dokumen: tanggal, bulan atau "
                        "tahun (opsional).", "2026-01-13"),
        "url": Meaning("Where to read it online (optional).",
                       "Alamat untuk membacanya daring (opsional).",
                       "https://semarangkota.go.id/"),
        "name": Meaning("Short name (optional; by default the title).",
                        "Nama singkat (opsional; bawaannya judul).", "Perwilayahan IKM 2026"),
        "file": Meaning("File holding a copy of it (optional).",
                        "Berkas salinannya (opsional).", "001_c625aa8c9e99bdd1.txt"),
        "note": Meaning("Anything a reader should know about it (optional).",
                        "Catatan bagi pembaca (opsional).", "Ringkasan Perda Nomor 6 Tahun 2025."),
        "sources": _SOURCES,
    },
}
"""Table -> column -> what the column means, in both languages, and an example."""

TABLES: dict[str, Meaning] = {
    "zones": Meaning("The industry zones (Wilayah I-X) of the city's IKM plan.",
                     "Wilayah pengembangan IKM (Wilayah I-X) dalam rencana kota."),
    "kecamatan": Meaning("Kecamatan, by Kemendagri code, and their zone.",
                         "Kecamatan, dengan kode Kemendagri, dan wilayahnya."),
    "commodities": Meaning("Commodities: raw materials, intermediate goods, products.",
                           "Komoditas: bahan baku, barang setengah jadi, produk."),
    "sentra": Meaning("The Sentra IKM: status, location, kiosks.",
                      "Sentra IKM: status, lokasi, kios."),
    "actors": Meaning("Actors: offices, associations, businesses, banks, campuses, ...",
                      "Aktor: dinas, asosiasi, pelaku usaha, bank, kampus, ..."),
    "markets": Meaning("Markets the products are sold in.",
                       "Pasar tempat produk dijual."),
    "regulations": Meaning("Regulations and whether they carry sanctions.",
                           "Regulasi dan ada tidaknya sanksi."),
    "activities": Meaning("Management activities: category, topic, time plan, sentra.",
                          "Kegiatan pengelolaan: kategori, topik, jadwal, sentra."),
    "links": Meaning("Other relationships, one per row: who produces, supplies, manages, ...",
                     "Hubungan lain, satu per baris: siapa memproduksi, memasok, mengelola, ..."),
    "funding": Meaning("Funding, one grant per row: who funds which sentra from what budget.",
                       "Pendanaan, satu alokasi per baris: siapa mendanai sentra mana dari "
                       "anggaran apa."),
    "responsibilities": Meaning("The responsibility chart (RACI), one role per row.",
                                "Bagan tanggung jawab (RACI), satu peran per baris."),
    ASSESSMENTS_TABLE: Meaning("Stakeholder assessments, one actor on one day per row: "
                               "influence, interest, attitude, salience.",
                               "Penilaian pemangku kepentingan, satu aktor pada satu tanggal "
                               "per baris: pengaruh, kepentingan, sikap, salience."),
    "engagements": Meaning("The office's engagements, one per row: visits, trainings, "
                           "meetings, Temu Bisnis, with the sentra and actors involved.",
                           "Interaksi dinas, satu per baris: kunjungan, pelatihan, rapat, "
                           "temu bisnis, dengan sentra dan aktor yang terlibat."),
    "commitments": Meaning("Commitments, one per row: who promised what to whom, by when, "
                           "and whether it was kept.",
                           "Komitmen, satu per baris: siapa menjanjikan apa kepada siapa, "
                           "kapan tenggatnya, dan apakah ditepati."),
    "indicators": Meaning("Indicators, one value per row: actuals and targets per subject "
                          "and period.",
                          "Indikator, satu nilai per baris: realisasi dan target per subjek "
                          "dan periode."),
    SOURCES_TABLE: Meaning("The documents the rows cite in their sources column, one per row.",
                           "Dokumen yang dirujuk baris lain di kolom sources, satu per baris."),
}
"""Table -> what its rows are, in both languages."""
