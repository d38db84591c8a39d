"""The data model: labels, relationship types, enums and one pydantic model per node label.

This module is the single source of truth for what the graph may hold. Field names are
the dataset's column names (snake_case); the graph stores them as camelCase properties
(``kiosks_total`` -> ``kiosksTotal``), as Neo4j conventions ask.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AliasGenerator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from kg.schema.names import SCALE_WORDS, english_value
from kg.schema.values import (
    parse_bool,
    parse_date,
    parse_int,
    parse_list,
    parse_name,
    parse_names,
    parse_number,
    parse_period,
    parse_rupiah,
    parse_text,
)


class Label(StrEnum):
    """Node labels."""

    ACTOR = "Actor"
    SENTRA = "Sentra"
    ZONE = "Zone"
    KECAMATAN = "Kecamatan"
    COMMODITY = "Commodity"
    ACTIVITY = "Activity"
    REGULATION = "Regulation"
    MARKET = "Market"
    SOURCE = "Source"
    ASSESSMENT = "Assessment"
    ENGAGEMENT = "Engagement"
    COMMITMENT = "Commitment"
    INDICATOR = "Indicator"


class RelType(StrEnum):
    """Relationship types."""

    IN_ZONE = "IN_ZONE"
    LOCATED_IN = "LOCATED_IN"
    PRODUCES = "PRODUCES"
    FOCUSES_ON = "FOCUSES_ON"
    SUPPLIES = "SUPPLIES"
    SOLD_IN = "SOLD_IN"
    RESPONSIBLE_FOR = "RESPONSIBLE_FOR"
    ACCOUNTABLE_FOR = "ACCOUNTABLE_FOR"
    CONSULTED_ON = "CONSULTED_ON"
    INFORMED_OF = "INFORMED_OF"
    CONCERNS = "CONCERNS"
    FUNDS = "FUNDS"
    MANAGES = "MANAGES"
    MEMBER_OF = "MEMBER_OF"
    ENFORCES = "ENFORCES"
    GOVERNS = "GOVERNS"
    ASSESSES = "ASSESSES"
    AT_SENTRA = "AT_SENTRA"
    TOOK_PART_IN = "TOOK_PART_IN"
    CARRIES_OUT = "CARRIES_OUT"
    COMMITTED = "COMMITTED"
    TO_ACTOR = "TO_ACTOR"
    TO_SENTRA = "TO_SENTRA"
    MADE_AT = "MADE_AT"
    FOR_ACTIVITY = "FOR_ACTIVITY"
    OF_SENTRA = "OF_SENTRA"
    OF_ZONE = "OF_ZONE"
    OF_KECAMATAN = "OF_KECAMATAN"
    OF_ACTOR = "OF_ACTOR"


class Role(StrEnum):
    """The four letters of a Linear Responsibility Chart (RACI)."""

    R = "R"
    A = "A"
    C = "C"
    I = "I"  # noqa: E741 - the chart's own letter

    @property
    def rel_type(self) -> RelType:
        return ROLE_RELATIONSHIPS[self]

    @property
    def word(self) -> str:
        return {"R": "responsible", "A": "accountable", "C": "consulted", "I": "informed"}[self]


ROLE_RELATIONSHIPS: dict[Role, RelType] = {
    Role.R: RelType.RESPONSIBLE_FOR,
    Role.A: RelType.ACCOUNTABLE_FOR,
    Role.C: RelType.CONSULTED_ON,
    Role.I: RelType.INFORMED_OF,
}
"""The relationship from an Actor to an Activity that records each letter of the chart."""

RELATIONSHIP_ROLES: dict[RelType, Role] = {rel: role for role, rel in ROLE_RELATIONSHIPS.items()}
"""The chart's letter of each role relationship type (the inverse of ``ROLE_RELATIONSHIPS``)."""


def role_of(rel_type: str) -> Role | None:
    """The chart's letter that a relationship type records, or None if it records none."""
    roles: dict[str, Role] = RELATIONSHIP_ROLES  # type: ignore[assignment]  # StrEnum keys
    return roles.get(rel_type)


class ActorKind(StrEnum):
    GOVERNMENT = "government"
    LEGISLATURE = "legislature"
    RESEARCH = "research"
    ASSOCIATION = "association"
    BUSINESS = "business"
    FINANCE = "finance"
    EDUCATION = "education"
    COMMUNITY = "community"


GOVERNMENT_KINDS = frozenset({ActorKind.GOVERNMENT, ActorKind.LEGISLATURE})
"""Actor kinds on the government side of the brokerage measure (``kg.analytics``)."""

BUSINESS_KINDS = frozenset({ActorKind.BUSINESS, ActorKind.ASSOCIATION, ActorKind.FINANCE})
"""Actor kinds on the business side of the brokerage measure by default: firms, and the
associations and finance actors that stand with them (``kg analyze --business`` sets
others)."""


class ActorLevel(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    SENTRA = "sentra"


class SentraStatus(StrEnum):
    ACTIVE = "active"
    POTENTIAL = "potential"
    PLANNED = "planned"
    INACTIVE = "inactive"


class Stage(StrEnum):
    RAW = "raw"
    INTERMEDIATE = "intermediate"
    PRODUCT = "product"


class MarketKind(StrEnum):
    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"
    EXPORT = "export"
    TOURISM = "tourism"
    EXHIBITION = "exhibition"
    INDUSTRIAL = "industrial"
    ONLINE = "online"


class ActivityCategory(StrEnum):
    PLANNING = "planning"
    MAPPING = "mapping"
    RELOCATION = "relocation"
    FINANCING = "financing"
    TRAINING = "training"
    PROMOTION = "promotion"
    MATCHMAKING = "matchmaking"
    REGULATION = "regulation"
    ENFORCEMENT = "enforcement"
    INFRASTRUCTURE = "infrastructure"
    COORDINATION = "coordination"
    RESEARCH = "research"


class Topic(StrEnum):
    MARKETING = "marketing"
    COMMUNICATION = "communication"
    MANAGEMENT = "management"
    FINANCE = "finance"
    PRODUCTION = "production"
    QUALITY = "quality"
    DESIGN = "design"
    LEGAL = "legal"
    TOURISM = "tourism"
    INFRASTRUCTURE = "infrastructure"
    DIGITAL = "digital"
    OTHER = "other"


class FundingSource(StrEnum):
    APBD = "APBD"
    APBN = "APBN"
    PRIVATE = "PRIVATE"
    BANK = "BANK"
    CSR = "CSR"
    GRANT = "GRANT"
    COMMUNITY = "COMMUNITY"


class ActivityStatus(StrEnum):
    """Where an activity of the plan stands; ``proposed`` (urged by someone, not yet
    taken up) and ``recommended`` (a remedy a study recommends) come before the plan."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"
    CANCELLED = "cancelled"
    PROPOSED = "proposed"
    RECOMMENDED = "recommended"




class EngagementKind(StrEnum):
    """What kind of contact an engagement was."""

    VISIT = "visit"
    TRAINING = "training"
    MEETING = "meeting"
    MATCHMAKING = "matchmaking"
    EXHIBITION = "exhibition"
    COORDINATION = "coordination"
    OTHER = "other"




class CommitmentStatus(StrEnum):
    """Where a promise stands."""

    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"




class IndicatorKind(StrEnum):
    """Whether an indicator's value was measured or aimed at."""

    ACTUAL = "actual"
    TARGET = "target"




class Direction(StrEnum):
    """Which way an indicator is better: ``up`` (higher is better) or ``down``."""

    UP = "up"
    DOWN = "down"




ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,199}")


def check_id(value: str) -> str:
    """``value`` if it is an id (``ID_PATTERN``), else a ``ValueError``."""
    if not ID_PATTERN.fullmatch(value):
        raise ValueError(
            "an id is 1-200 ASCII letters, digits, '.', '_', ':' or '-', "
            f"starting with a letter or digit (got {value!r})"
        )
    return value


def check_optional_id(value: str | None) -> str | None:
    return None if value is None else check_id(value)


def not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, BeforeValidator(parse_text)]
Name = Annotated[str, BeforeValidator(parse_name), AfterValidator(not_blank)]
"""A name: trimmed, NFC, without invisible format characters (``parse_name``)."""
Id = Annotated[str, BeforeValidator(parse_text), AfterValidator(check_id)]
OptionalId = Annotated[str | None, BeforeValidator(parse_text), AfterValidator(check_optional_id)]
OptionalText = Annotated[str | None, BeforeValidator(parse_text)]
Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(parse_int)]
Rupiah = Annotated[
    Annotated[int, Field(ge=0)] | None,
    BeforeValidator(parse_rupiah),
    Field(description="rupiah"),
]
"""Whole rupiah, as Indonesians write them: ``Rp 1.500.000``, ``1,5 juta``, ``2 M``."""
Year = Annotated[Annotated[int, Field(ge=1900, le=2100)] | None, BeforeValidator(parse_int)]
Flag = Annotated[bool | None, BeforeValidator(parse_bool)]
Day = Annotated[date | None, BeforeValidator(parse_date)]
IdList = Annotated[list[Id], BeforeValidator(parse_list)]
NameList = Annotated[list[str], BeforeValidator(parse_names)]
"""Nodes named by id or name, separated by ``;`` (or ``|``)."""
Number = Annotated[float | None, BeforeValidator(parse_number)]
Period = Annotated[
    tuple[str, date] | None,
    BeforeValidator(parse_period),
    Field(description="a year or a day"),
]
"""A year (``2023``) or a day, with its last day (``parse_period``)."""


def _enum[E: StrEnum](kind: type[E], *, case: str = "lower", default: E | None = None) -> Any:
    """A field of enum ``kind`` that accepts its English value or Indonesian word
    (``kg.schema.names``), in any letter case, with surrounding blanks; an empty cell is
    ``default`` if there is one."""

    def normalise(value: object) -> object:
        if isinstance(value, str):
            if not value.strip() and default is not None:
                return default
            value = english_value(kind, value.strip())
            return value.lower() if case == "lower" else value.upper()
        return value

    return Annotated[kind, BeforeValidator(normalise)]


def _optional_enum[E: StrEnum](kind: type[E]) -> Any:
    def normalise(value: object) -> object:
        if isinstance(value, str):
            value = english_value(kind, value.strip()).lower()
            return value or None
        return value

    return Annotated[kind | None, BeforeValidator(normalise)]


@dataclass(frozen=True)
class Rule:
    """A rule across fields: ``check(fields)`` gives a problem with ``field``, or None.

    A model applies its rules in a validator named ``_apply_rules``; a quick path that
    judges rows without the model applies the same rules (``kg.loaders.validate``).
    """

    field: str
    check: Callable[[Mapping[str, Any]], str | None]


class Record(BaseModel):
    """A validated dataset row. Subclasses are the rows of one file each."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=AliasGenerator(serialization_alias=to_camel),
    )

    rules: ClassVar[tuple[Rule, ...]] = ()
    """Rules across fields, applied by the ``_apply_rules`` validator of the model."""


def _apply_rules(cls: type[Record], value: Any, info: ValidationInfo) -> Any:
    """A field validator (not a model one) so that a problem names its field."""
    fields: dict[str, Any] = {**info.data, str(info.field_name): value}
    for rule in cls.rules:
        if rule.field == info.field_name and (problem := rule.check(fields)):
            raise ValueError(problem)
    return value


class Node(Record):
    """A row that becomes a node. ``references`` are columns of ids that become
    relationships; ``named`` are columns naming nodes by id or name (see ``Named``)."""

    label: ClassVar[Label]
    references: ClassVar[dict[str, tuple[RelType, Label]]] = {}
    named: ClassVar[dict[str, tuple[RelType, ...]]] = {}
    """Column -> the relationship types a node it names is tied by: the first whose other
    end has the label the name resolves to (``to`` names an actor or a sentra). A type
    that starts at another label points at this node (``by`` -[:COMMITTED]->)."""
    name_from: ClassVar[str | None] = None
    """The column whose text is the node's name, when the table has no ``name`` column."""
    not_given: ClassVar[frozenset[str]] = frozenset()
    """Fields no table gives: the row's other columns name the node (its id from them)."""

    id: Id
    name: Name
    sources: IdList = Field(default_factory=list)

    def properties(self) -> dict[str, Any]:
        """The node's graph properties: camelCase keys, unknown (None) values left out,
        with what a load derives from them (``derive``)."""
        props = self.model_dump(
            by_alias=True, exclude=set(self.references) | set(self.named) | {"id"},
            exclude_none=True, mode="json",
        )
        return self.derive({key: value for key, value in props.items() if value != []})

    @classmethod
    def derive(cls, props: dict[str, Any]) -> dict[str, Any]:
        """``props`` (as the row gives them) with what a load derives from them: the name
        from ``name_from``'s column. The loader's quick path calls it too."""
        if cls.name_from is not None:
            props["name"] = props.pop(to_camel(cls.name_from))
        return props

    def node_id(self, named: Mapping[RelType, str]) -> str:
        """Its id: as given; a row named by other columns makes it of them and of the ids
        of the nodes its ``named`` columns resolved to (by relationship type)."""
        return self.id


def kiosks_within_total(fields: Mapping[str, Any]) -> str | None:
    """No more kiosks occupied than there are."""
    total, occupied = fields.get("kiosks_total"), fields.get("kiosks_occupied")
    if total is not None and occupied is not None and occupied > total:
        return f"{occupied} is larger than kiosks_total ({total})"
    return None


class Actor(Node):
    label = Label.ACTOR
    kind: _enum(ActorKind)  # type: ignore[valid-type]
    level: _optional_enum(ActorLevel) = None  # type: ignore[valid-type]


class Sentra(Node):
    label = Label.SENTRA
    references = {"kecamatan": (RelType.LOCATED_IN, Label.KECAMATAN)}
    status: _enum(SentraStatus)  # type: ignore[valid-type]
    kecamatan: IdList = Field(default_factory=list)
    kiosks_total: Count = None
    kiosks_occupied: Count = None

    rules = (Rule("kiosks_occupied", kiosks_within_total),)
    _apply_rules = field_validator("kiosks_occupied")(classmethod(_apply_rules))


class Zone(Node):
    label = Label.ZONE


class Kecamatan(Node):
    label = Label.KECAMATAN
    references = {"zone": (RelType.IN_ZONE, Label.ZONE)}
    zone: IdList = Field(default_factory=list)


class Commodity(Node):
    label = Label.COMMODITY
    name_en: OptionalText = None
    stage: _enum(Stage)  # type: ignore[valid-type]


class Activity(Node):
    label = Label.ACTIVITY
    references = {"concerns": (RelType.CONCERNS, Label.SENTRA)}
    category: _enum(ActivityCategory)  # type: ignore[valid-type]
    topic: _optional_enum(Topic) = None  # type: ignore[valid-type]
    phase: OptionalText = None
    due: Day = None
    concerns: IdList = Field(default_factory=list)
    status: _optional_enum(ActivityStatus) = None  # type: ignore[valid-type]
    started: Day = None
    completed: Day = None

    @classmethod
    def derive(cls, props: dict[str, Any]) -> dict[str, Any]:
        """Besides its columns, the years its ``phase`` names (``phase_years``) as
        ``phaseFrom`` and ``phaseTo``, which the audit compares a due date with."""
        if years := phase_years(props.get("phase")):
            props["phaseFrom"], props["phaseTo"] = years
        return props


PHASE_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)")


def phase_years(phase: str | None) -> tuple[int, int] | None:
    """The first and last year a phase's text names, or None when it names none.

    >>> phase_years("2025-2029"), phase_years("Tahap II (2030)"), phase_years("awal")
    ((2025, 2029), (2030, 2030), None)
    """
    years = [int(year) for year in PHASE_YEAR.findall(phase or "")]
    return (years[0], years[-1]) if years else None


class Regulation(Node):
    label = Label.REGULATION
    has_sanction: Flag = None


class Market(Node):
    label = Label.MARKET
    kind: _enum(MarketKind)  # type: ignore[valid-type]


class Source(Node):
    """A document the dataset cites; declared in its sources table (``dataset.yaml``'s
    ``sources:``, ``sources.csv`` or a workbook's ``sumber`` sheet)."""

    label = Label.SOURCE
    name: OptionalText = None  # type: ignore[assignment]
    title: Name
    publisher: OptionalText = None
    date: OptionalText = None
    url: OptionalText = None
    file: OptionalText = None
    note: OptionalText = None

    @model_validator(mode="before")
    @classmethod
    def _named_by_title(cls, values: Any) -> Any:
        """A source without a name is called by its title."""
        if isinstance(values, dict) and not str(values.get("name") or "").strip():
            return {**values, "name": values.get("title", "")}
        return values


class Attitude(StrEnum):
    """An actor's stance towards the sentra programme, as an assessment rates it."""

    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    OPPOSED = "opposed"


def parse_scale(value: object) -> object:
    """A rating from 1 to 5, or a word of ``SCALE_WORDS``; empty is unknown.

    >>> parse_scale("Tinggi"), parse_scale(" 2 "), parse_scale("")
    (5, 2, None)
    """
    if not isinstance(value, str):
        return value
    text = value.strip().lower()
    if not text:
        return None
    if text in SCALE_WORDS:
        return SCALE_WORDS[text]
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    raise ValueError(
        f"expected 1-5, low/medium/high or rendah/sedang/tinggi, got {value!r}"
    )


Scale = Annotated[
    Annotated[int, Field(ge=1, le=5)] | None,
    BeforeValidator(parse_scale),
    Field(description="a rating from 1 to 5"),
]
"""A rating from 1 (lowest) to 5: digits, or low/medium/high (rendah/sedang/tinggi)."""


def required_day(value: date | None) -> date:
    if value is None:
        raise ValueError("required, but empty")
    return value


class Assessment(Node):
    """A row of ``assessments.csv``: how one actor was rated on one day.

    Influence and interest place it on the power/interest grid; power, legitimacy and
    urgency give its salience (Mitchell, Agle & Wood 1997). An actor may have many dated
    assessments; two for one actor on one day are a duplicate. The node's id comes from
    its actor and day (``assessment_id``); the ``actor`` column becomes
    ``(Assessment)-[:ASSESSES]->(Actor)``.
    """

    label = Label.ASSESSMENT
    references = {"actor": (RelType.ASSESSES, Label.ACTOR)}
    not_given = frozenset({"id", "name"})
    id: OptionalId = None  # type: ignore[assignment]
    name: OptionalText = None  # type: ignore[assignment]
    actor: Name
    date: Annotated[date | None, BeforeValidator(parse_date), AfterValidator(required_day)]
    influence: Scale = None
    interest: Scale = None
    attitude: _optional_enum(Attitude) = None  # type: ignore[valid-type]
    power: Flag = None
    legitimacy: Flag = None
    urgency: Flag = None
    note: OptionalText = None


def assessment_id(actor: str, day: date) -> str:
    """The id of the assessment of ``actor`` on ``day``.

    >>> assessment_id("actor-disperin", date(2025, 3, 1))
    'assessment:actor-disperin:2025-03-01'
    """
    return f"assessment:{actor}:{day.isoformat()}"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]


def _slug(text: str) -> str:
    """An id's part made of ``text``: its ASCII letters and digits, lower case, joined by
    ``-``; a digest of the whole text follows when letters were dropped or it was long.

    >>> _slug("Temu Bisnis 2025"), _slug("Rapat koordinasi UMKM Kecamatan Gayamsari dan Pedurungan")
    ('temu-bisnis-2025', 'rapat-koordinasi-umkm-kecamatan-3c06abb0')
    """
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "-".join(words)
    if len(slug) > 48 or slug.replace("-", "") != re.sub(r"\W", "", text.lower()):
        slug = "-".join(slug[:40].split("-")[:-1] or [slug[:40]]) + "-" + _digest(text)
    return slug or _digest(text)


class Engagement(Node):
    """A row of ``engagements.csv``: a contact on one day (a visit, a training, a meeting,
    a Temu Bisnis, ...) with the sentra it was about, who took part, and the activity it
    carried out. Its id, when not given, comes from its day, kind and title."""

    label = Label.ENGAGEMENT
    named = {"sentra": (RelType.AT_SENTRA,), "actors": (RelType.TOOK_PART_IN,),
             "activity": (RelType.CARRIES_OUT,)}
    name_from = "title"
    not_given = frozenset({"name"})
    id: OptionalId = None  # type: ignore[assignment]
    name: OptionalText = None  # type: ignore[assignment]
    date: Annotated[date | None, BeforeValidator(parse_date), AfterValidator(required_day)]
    kind: _enum(EngagementKind)  # type: ignore[valid-type]
    title: Name
    sentra: NameList = Field(default_factory=list)
    actors: NameList = Field(default_factory=list)
    activity: OptionalText = None
    outcome: OptionalText = None

    def node_id(self, named: Mapping[RelType, str]) -> str:
        """Its id: given, or ``engagement:<day>:<kind>:<title as a slug>``.

        >>> Engagement(date="2025-03-01", kind="rapat", title="Temu Bisnis").node_id({})
        'engagement:2025-03-01:meeting:temu-bisnis'
        """
        if self.id is not None:
            return self.id
        assert self.date is not None
        return f"engagement:{self.date.isoformat()}:{self.kind}:{_slug(self.title)}"


def done_on_known(fields: Mapping[str, Any]) -> str | None:
    """A commitment kept has a day it was kept, not before it was made."""
    done_on, made_on = fields.get("done_on"), fields.get("made_on")
    if fields.get("status") is CommitmentStatus.DONE and done_on is None:
        return "a commitment done needs the day it was done (done_on)"
    if done_on is not None and made_on is not None and done_on < made_on:
        return f"{done_on} is before made_on ({made_on})"
    return None


class Commitment(Node):
    """A row of ``commitments.csv``: what an actor promised, to whom, by when, and how it
    stands. Its id, when not given, comes from who made it, when, and what."""

    label = Label.COMMITMENT
    named = {"by": (RelType.COMMITTED,), "to": (RelType.TO_ACTOR, RelType.TO_SENTRA),
             "engagement": (RelType.MADE_AT,), "activity": (RelType.FOR_ACTIVITY,)}
    name_from = "what"
    not_given = frozenset({"name"})
    id: OptionalId = None  # type: ignore[assignment]
    name: OptionalText = None  # type: ignore[assignment]
    made_on: Day = None
    by: Name
    to: OptionalText = None
    what: Name
    due: Day = None
    status: _enum(  # type: ignore[valid-type]
        CommitmentStatus, default=CommitmentStatus.OPEN
    ) = CommitmentStatus.OPEN
    done_on: Day = Field(default=None, validate_default=True)
    engagement: OptionalText = None
    activity: OptionalText = None

    rules = (Rule("done_on", done_on_known),)
    _apply_rules = field_validator("done_on")(classmethod(_apply_rules))

    def node_id(self, named: Mapping[RelType, str]) -> str:
        """Its id: given, or ``commitment:<by's id>:<day made or 'undated'>:<digest>``.

        >>> Commitment(by="Disperin", what="Susun perwal").node_id(
        ...     {RelType.COMMITTED: "actor-disperin"})
        'commitment:actor-disperin:undated:c7e798bf'
        """
        if self.id is not None:
            return self.id
        by = named[RelType.COMMITTED]
        made = self.made_on.isoformat() if self.made_on else "undated"
        return f"commitment:{by}:{made}:{_digest(' '.join(self.what.split()).casefold())}"


def _required_period(value: tuple[str, date] | None) -> tuple[str, date]:
    if value is None:
        raise ValueError("required, but empty")
    return value


def _required_number(value: float | None) -> float:
    if value is None:
        raise ValueError("required, but empty")
    return value


class Indicator(Node):
    """A row of ``indicators.csv``: one value of an indicator for a subject (a sentra,
    zone, kecamatan or actor; none: the dataset's whole area) and a period (a year or a
    day), measured (``actual``) or aimed at (``target``). Its id comes from the four, so
    two actuals of one subject, indicator and period are a duplicate."""

    label = Label.INDICATOR
    named = {"subject": (RelType.OF_SENTRA, RelType.OF_ZONE, RelType.OF_KECAMATAN,
                         RelType.OF_ACTOR)}
    not_given = frozenset({"id", "name"})
    id: OptionalId = None  # type: ignore[assignment]
    name: OptionalText = None  # type: ignore[assignment]
    subject: OptionalText = None
    indicator: Id
    period: Annotated[Period, AfterValidator(_required_period)]
    value: Annotated[Number, AfterValidator(_required_number)]
    unit: OptionalText = None
    kind: _enum(IndicatorKind)  # type: ignore[valid-type]
    direction: _enum(  # type: ignore[valid-type]
        Direction, default=Direction.UP
    ) = Direction.UP

    @classmethod
    def derive(cls, props: dict[str, Any]) -> dict[str, Any]:
        """Its columns, named by its key, with the period's text and last day apart
        (``period``, ``periodEnd``), which the audit compares with the day."""
        props["name"] = props["indicator"]
        props["period"], props["periodEnd"] = props["period"]
        return props

    def node_id(self, named: Mapping[RelType, str]) -> str:
        """``indicator:<subject's id, empty for the whole area>:<key>:<period>:<kind>``.

        >>> Indicator(indicator="pdrb_share_pct", period="2023", value="28,7",
        ...           kind="target").node_id({})
        'indicator::pdrb_share_pct:2023:target'
        """
        assert self.period is not None
        subject = next((named[t] for t in self.named["subject"] if t in named), None)
        return f"indicator:{subject or ''}:{self.indicator}:{self.period[0]}:{self.kind}"


DERIVED_PROPERTIES: dict[Label, dict[str, str]] = {
    Label.ACTIVITY: {"phaseFrom": "integer, the first year its phase names",
                     "phaseTo": "integer, the last year its phase names"},
    Label.INDICATOR: {"periodEnd": "date as text, the period's last day"},
}
"""Properties a load derives from a row's columns (``Node.derive``), by label, each with
what it holds; an export leaves them out."""


NODE_MODELS: dict[Label, type[Node]] = {
    model.label: model
    for model in (Actor, Sentra, Zone, Kecamatan, Commodity, Activity, Regulation, Market, Source,
                  Assessment, Engagement, Commitment, Indicator)
}


class Link(Record):
    """A row of ``links.csv``: a relationship with no properties of its own."""

    not_properties: ClassVar[frozenset[str]] = frozenset({"from_", "type", "to"})
    """Fields that place the relationship (its ends and type), not properties of it."""

    from_: Id = Field(alias="from")
    type: Annotated[
        RelType, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)
    ]
    to: Id
    sources: IdList = Field(default_factory=list)


class Funding(Record):
    """A row of ``funding.csv``: one grant, who gives it to which sentra, from what budget.

    A funder may fund one sentra several times a year (several allocations): each row is
    a grant. ``id`` names one; without it, its values tell it apart (``grant_key``).
    """

    not_properties: ClassVar[frozenset[str]] = frozenset({"id", "funder", "target"})
    """Fields that become the relationship's ends and key (``grant_key``), not properties."""

    id: OptionalId = None
    funder: Id
    target: Id
    source_type: _enum(FundingSource, case="upper")  # type: ignore[valid-type]
    amount_idr: Rupiah = None
    year: Year = None
    sources: IdList = Field(default_factory=list)


GRANT_KEY = "key"
"""The FUNDS property holding ``grant_key``: what a load merges a grant on."""


def grant_key(grant_id: str | None, props: Mapping[str, Any]) -> str:
    """What tells a grant apart from the funder's other grants to the same sentra.

    Its ``id`` when the row names one; else its values: budget type and year, the amount
    when known, and a digest of any extra column. So two rows without ids are one grant
    only when every column is equal, sources aside: citing a grant twice does not make
    two grants.

    >>> grant_key(None, {"sourceType": "APBD", "year": 2023})
    'APBD:2023'
    >>> grant_key(None, {"sourceType": "APBD", "year": 2023, "amountIdr": 1500000})
    'APBD:2023:1500000'
    >>> grant_key("sp2d-0042", {"sourceType": "APBD"})
    'sp2d-0042'
    """
    if grant_id is not None:
        return grant_id
    parts = [str(props["sourceType"]), str(props.get("year") or "")]
    rest = {k: v for k, v in props.items()
            if k not in {"sourceType", "year", "amountIdr", "sources"}}
    if props.get("amountIdr") is not None or rest:
        parts.append(str(props.get("amountIdr") or ""))
    if rest:
        text = json.dumps(rest, sort_keys=True, ensure_ascii=False)
        parts.append("g" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8])
    return ":".join(parts)


class Responsibility(Record):
    """One role of one actor on one activity (long-form RACI chart)."""

    not_properties: ClassVar[frozenset[str]] = frozenset({"activity", "actor", "role"})
    """Fields that place the relationship (its ends and type), not properties of it."""

    activity: Text
    actor: Text
    role: _enum(Role, case="upper")  # type: ignore[valid-type]
    sources: IdList = Field(default_factory=list)


ALLOWED: frozenset[tuple[Label, RelType, Label]] = frozenset(
    {
        (Label.KECAMATAN, RelType.IN_ZONE, Label.ZONE),
        (Label.SENTRA, RelType.LOCATED_IN, Label.KECAMATAN),
        (Label.SENTRA, RelType.PRODUCES, Label.COMMODITY),
        (Label.ZONE, RelType.FOCUSES_ON, Label.COMMODITY),
        (Label.COMMODITY, RelType.SUPPLIES, Label.COMMODITY),
        (Label.COMMODITY, RelType.SOLD_IN, Label.MARKET),
        *((Label.ACTOR, rel, Label.ACTIVITY) for rel in ROLE_RELATIONSHIPS.values()),
        (Label.ACTIVITY, RelType.CONCERNS, Label.SENTRA),
        (Label.ACTOR, RelType.FUNDS, Label.SENTRA),
        (Label.ACTOR, RelType.MANAGES, Label.SENTRA),
        (Label.ACTOR, RelType.MEMBER_OF, Label.ACTOR),
        (Label.ACTOR, RelType.ENFORCES, Label.REGULATION),
        (Label.REGULATION, RelType.GOVERNS, Label.SENTRA),
        (Label.ASSESSMENT, RelType.ASSESSES, Label.ACTOR),
        (Label.ENGAGEMENT, RelType.AT_SENTRA, Label.SENTRA),
        (Label.ACTOR, RelType.TOOK_PART_IN, Label.ENGAGEMENT),
        (Label.ENGAGEMENT, RelType.CARRIES_OUT, Label.ACTIVITY),
        (Label.ACTOR, RelType.COMMITTED, Label.COMMITMENT),
        (Label.COMMITMENT, RelType.TO_ACTOR, Label.ACTOR),
        (Label.COMMITMENT, RelType.TO_SENTRA, Label.SENTRA),
        (Label.COMMITMENT, RelType.MADE_AT, Label.ENGAGEMENT),
        (Label.COMMITMENT, RelType.FOR_ACTIVITY, Label.ACTIVITY),
        (Label.INDICATOR, RelType.OF_SENTRA, Label.SENTRA),
        (Label.INDICATOR, RelType.OF_ZONE, Label.ZONE),
        (Label.INDICATOR, RelType.OF_KECAMATAN, Label.KECAMATAN),
        (Label.INDICATOR, RelType.OF_ACTOR, Label.ACTOR),
    }
)
"""Every (start label, type, end label) triple the graph may hold."""

NAMED_TYPES: frozenset[RelType] = frozenset(
    rel for model in NODE_MODELS.values() for types in model.named.values() for rel in types
)
"""Types that the columns of the follow-up tables (engagements, commitments, indicators)
give, by ``Node.named``."""

LINK_TYPES: frozenset[RelType] = frozenset(
    rel
    for _, rel, _ in ALLOWED
    if rel not in {RelType.FUNDS, RelType.ASSESSES, *NAMED_TYPES}
    and rel not in ROLE_RELATIONSHIPS.values()
)
"""Types a ``links.csv`` row may carry (FUNDS, RACI roles, ASSESSES and the follow-up
tables' types have their own files)."""


@cache
def endpoints(rel: RelType) -> tuple[Label, Label]:
    """The (start, end) labels of ``rel``; every type has exactly one pair."""
    (pair,) = {(start, end) for start, r, end in ALLOWED if r is rel}
    return pair
