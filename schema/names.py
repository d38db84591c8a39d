"""The Indonesian name of every table, column and enumeration value: one table each.

A dataset may name its tables, columns and values in English (as the models do) or in
Indonesian; the loader reads both and stores English, the template and the workbook
export write the form of the language asked for (``kg template --lang id``), and
docs/indonesian.md lists them. Each English name has exactly one Indonesian name, fixed:
a dataset in either form loads to the same graph.

Names are written as headers are read (``kg.loaders.csv_table.normalise_header``):
lower case, ``_`` between words. New tables, columns and enumerations slot in as rows of
these tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

TABLE_WORDS: dict[str, str] = {
    "zones": "wilayah",
    "kecamatan": "kecamatan",
    "commodities": "komoditas",
    "sentra": "sentra",
    "actors": "aktor",
    "markets": "pasar",
    "regulations": "regulasi",
    "activities": "kegiatan",
    "links": "tautan",
    "funding": "pendanaan",
    "responsibilities": "tanggung_jawab",
    "raci": "raci",
    "assessments": "penilaian",
    "sources": "sumber",
    "engagements": "interaksi",
    "commitments": "komitmen",
    "indicators": "indikator",
}
"""Table (CSV file, YAML key, sheet) -> its Indonesian name (``aktor.csv``, sheet ``aktor``)."""

COLUMN_WORDS: dict[str, str] = {
    "id": "id",
    "name": "nama",
    "sources": "sumber",
    "zone": "wilayah",
    "name_en": "nama_inggris",
    "stage": "tahap",
    "status": "status",
    "kecamatan": "kecamatan",
    "kiosks_total": "jumlah_kios",
    "kiosks_occupied": "kios_terisi",
    "kind": "jenis",
    "level": "tingkat",
    "has_sanction": "ada_sanksi",
    "category": "kategori",
    "topic": "topik",
    "phase": "periode",
    "due": "tenggat",
    "concerns": "menyangkut",
    "from": "dari",
    "type": "jenis",
    "to": "ke",
    "funder": "pemberi_dana",
    "target": "penerima",
    "source_type": "asal_anggaran",
    "amount_idr": "jumlah_rupiah",
    "year": "tahun",
    "activity": "kegiatan",
    "actor": "aktor",
    "role": "peran",
    "date": "tanggal",
    "influence": "pengaruh",
    "interest": "kepentingan",
    "attitude": "sikap",
    "power": "kuasa",
    "legitimacy": "legitimasi",
    "urgency": "urgensi",
    "note": "catatan",
    "title": "judul",
    "publisher": "penerbit",
    "url": "url",
    "file": "berkas",
    # the follow-up tables (engagements, commitments, indicators) and activity dates
    "sentra": "sentra",
    "actors": "aktor",
    "outcome": "hasil",
    "made_on": "tanggal_janji",
    "by": "oleh",
    "what": "isi",
    "done_on": "tanggal_selesai",
    "engagement": "interaksi",
    "subject": "subjek",
    "indicator": "indikator",
    "period": "periode",
    "value": "nilai",
    "unit": "satuan",
    "direction": "arah",
    "started": "mulai",
    "completed": "selesai",
}
"""Column -> its Indonesian name, the same in every table that has the column. Within one
table no two columns share an Indonesian name (a test checks it)."""

VALUE_WORDS: dict[str, dict[str, str]] = {
    "ActorKind": {
        "government": "pemerintah", "legislature": "legislatif", "research": "penelitian",
        "association": "asosiasi", "business": "usaha", "finance": "keuangan",
        "education": "pendidikan", "community": "masyarakat",
    },
    "ActorLevel": {
        "national": "nasional", "province": "provinsi", "city": "kota",
        "kecamatan": "kecamatan", "kelurahan": "kelurahan", "sentra": "sentra",
    },
    "SentraStatus": {
        "active": "aktif", "potential": "potensial", "planned": "direncanakan",
        "inactive": "tidak_aktif",
    },
    "Stage": {"raw": "bahan_baku", "intermediate": "setengah_jadi", "product": "produk"},
    "MarketKind": {
        "local": "lokal", "regional": "regional", "national": "nasional", "export": "ekspor",
        "tourism": "wisata", "exhibition": "pameran", "industrial": "industri",
        "online": "daring",
    },
    "ActivityCategory": {
        "planning": "perencanaan", "mapping": "pemetaan", "relocation": "relokasi",
        "financing": "pembiayaan", "training": "pelatihan", "promotion": "promosi",
        "matchmaking": "temu_bisnis", "regulation": "regulasi", "enforcement": "penegakan",
        "infrastructure": "infrastruktur", "coordination": "koordinasi",
        "research": "penelitian",
    },
    "Topic": {
        "marketing": "pemasaran", "communication": "komunikasi", "management": "manajemen",
        "finance": "keuangan", "production": "produksi", "quality": "mutu",
        "design": "desain", "legal": "hukum", "tourism": "pariwisata",
        "infrastructure": "infrastruktur", "digital": "digital", "other": "lainnya",
    },
    "FundingSource": {
        "APBD": "APBD", "APBN": "APBN", "PRIVATE": "SWASTA", "BANK": "BANK", "CSR": "CSR",
        "GRANT": "HIBAH", "COMMUNITY": "SWADAYA",
    },
    "Attitude": {"supportive": "mendukung", "neutral": "netral", "opposed": "menentang"},
    "ActivityStatus": {
        "planned": "direncanakan", "ongoing": "berjalan", "done": "selesai",
        "cancelled": "batal", "proposed": "diusulkan", "recommended": "direkomendasikan",
    },
    "EngagementKind": {
        "visit": "kunjungan", "training": "pelatihan", "meeting": "rapat",
        "matchmaking": "temu_bisnis", "exhibition": "pameran", "coordination": "koordinasi",
        "other": "lainnya",
    },
    "CommitmentStatus": {"open": "terbuka", "done": "selesai", "dropped": "batal"},
    "IndicatorKind": {"actual": "realisasi", "target": "target"},
    "Direction": {"up": "naik", "down": "turun"},
}  # fmt: skip
"""Enumeration (its class name in ``kg.schema.model``) -> value -> its Indonesian word, as
the template's drop-down lists offer it. An enumeration not here (the RACI letters,
relationship types) is written the same in both languages."""

VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "SentraStatus": {"nonaktif": "inactive"},
    "Stage": {"bahan_mentah": "raw"},
    "ActivityStatus": {"rencana": "planned", "dibatalkan": "cancelled", "usulan": "proposed",
                       "rekomendasi": "recommended"},
}
"""Enumeration -> other Indonesian words a cell may give -> the value each names: read,
never written (``VALUE_WORDS`` holds the one word written)."""

SCALE_WORDS: dict[str, int] = {
    "low": 1, "medium": 3, "high": 5,
    "rendah": 1, "sedang": 3, "tinggi": 5,
}  # fmt: skip
"""Words a cell may give for a rating on the 1-5 scale of an assessment, in either
language."""


def table_name(name: str) -> str | None:
    """The table a file or sheet called ``name`` (normalised) holds, by its English or
    Indonesian name: ``aktor`` -> ``actors``; None for no table.

    >>> table_name("actors"), table_name("tanggung_jawab"), table_name("aktors")
    ('actors', 'responsibilities', None)
    """
    if name in TABLE_WORDS:
        return name
    return _TABLE_OF_WORD.get(name)


_TABLE_OF_WORD = {word: table for table, word in TABLE_WORDS.items()}


def column_word(column: str, lang: str) -> str:
    """``column`` as a header names it in ``lang`` (unknown columns as they are)."""
    return COLUMN_WORDS.get(column, column) if lang == "id" else column


def english_columns(columns: Iterable[str], known: Iterable[str]) -> list[str]:
    """Header names read as the ``known`` columns of their table: an Indonesian name
    becomes its English column; any other name stays.

    >>> english_columns(["id", "nama", "jenis", "catatan_kaki"], ["id", "name", "kind"])
    ['id', 'name', 'kind', 'catatan_kaki']
    """
    known = list(known)
    english = {COLUMN_WORDS[c]: c for c in known if c in COLUMN_WORDS}
    return [column if column in known else english.get(column, column) for column in columns]


def value_word(kind: type[StrEnum], value: str, lang: str) -> str:
    """The word for ``value`` of ``kind`` in ``lang`` (``ActorKind``, ``"association"``,
    ``"id"`` -> ``asosiasi``)."""
    return VALUE_WORDS.get(kind.__name__, {}).get(value, value) if lang == "id" else value


def english_value(kind: type[StrEnum], text: str) -> str:
    """The English value an Indonesian word of ``kind`` names (blanks and ``-`` read as
    ``_``, any case); other text as it is.

    >>> from kg.schema.model import ActorKind, SentraStatus
    >>> english_value(ActorKind, "Asosiasi"), english_value(SentraStatus, "tidak aktif")
    ('association', 'inactive')
    """
    words = _ENGLISH.get(kind.__name__, {})
    return words.get("_".join(text.replace("-", " ").split()).casefold(), text)


_ENGLISH: dict[str, dict[str, str]] = {
    kind: {
        **{word.casefold(): value for word, value in VALUE_SYNONYMS.get(kind, {}).items()},
        **{word.casefold(): value for value, word in words.items()},
    }
    for kind, words in VALUE_WORDS.items()
}


def choices_in(kind: type[StrEnum], lang: str) -> list[str]:
    """Every value of ``kind`` as written in ``lang``, in the enumeration's order."""
    return [value_word(kind, member.value, lang) for member in kind]
