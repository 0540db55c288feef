"""One declaration of every sheet's columns and labels.

The writer lays sheets out from these declarations and the reader finds its way back through them,
so the two cannot drift apart. Headers are Danish (users see them); keys are stable identifiers
used in code, in the metadata sheet and in exported records.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from xlplan.core import content

# Column kinds: how a cell is formatted, validated and later interpreted.
TEXT, LONGTEXT, DATE, PERSON, CHOICE, SCALE, FORMULA, FIXED = (
    "text", "longtext", "date", "person", "choice", "scale", "formula", "fixed")
# A date or period as people type it ("marts 2026", "Uge 40 – 43"): a Text cell, because Excel and
# LibreOffice turn "marts 2026" typed into a General cell into the date 01-03-2026 and lose the period.
PERIOD = "period"


@dataclass(frozen=True)
class Column:
    """One column of a table: what the sheet shows, how a cell is validated, and where its value lives
    on the record read back ("field": an attribute, or "attribute.KEY" for one key of a dict attribute;
    by default the column's key; "" for a column that is not read into the record)."""

    key: str
    header: str
    width: float
    kind: str = TEXT
    values: str | None = None  # key of a value list in data/lister.yaml, for CHOICE and SCALE
    help: str = ""  # shown as the cell's input message
    title: str = ""  # the input message's title where the header is longer than Excel's 32 characters
    field: str | None = None
    listed: bool = True  # shown in the management workbook's listing of its table (Aktiviteter, Risici)

    @property
    def is_input(self) -> bool:
        return self.kind not in (FORMULA, FIXED)

    @cached_property  # asked for every cell of a national listing
    def record_field(self) -> str | None:
        """Where the value lives on the record; None when the record does not keep it."""
        if self.field is not None:
            return self.field or None
        return self.key if self.is_input else None

    @cached_property  # asked for every cell of every row read back and of every listing
    def place(self) -> tuple[str, str] | None:
        """(attribute, key) where the value lives on the record (key "" for the attribute itself); None when
        the record does not keep it."""
        if not self.record_field:
            return None
        attribute, _, key = self.record_field.partition(".")
        return attribute, key

    @cached_property  # asked for every column of every row read back
    def read_into(self) -> tuple[str, str] | None:
        """The place a value read from this column goes; None for a column that is not read."""
        return self.place if self.is_input else None

    @property
    def attribute(self) -> str | None:
        return self.place[0] if self.place else None

    def value_of(self, record):
        """This column's value on `record` (None when the record does not keep it)."""
        if self.place is None:
            return None
        attribute, key = self.place
        value = getattr(record, attribute, None)
        return value.get(key) if key and value is not None else value


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]

    def index(self, key: str) -> int:
        return self._positions[key]

    @cached_property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.is_input)

    @cached_property  # asked for every row of a national listing
    def record_columns(self) -> tuple[Column, ...]:
        """The columns whose values the record read back keeps, in order."""
        return tuple(c for c in self.columns if c.record_field)

    def column(self, key: str) -> Column:
        return self.columns[self._positions[key]]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {column.key: i for i, column in enumerate(self.columns)}


def _help(key: str) -> str:
    return "\n".join(content.ics()["hjælpespørgsmål"].get(key, ()))


DATE_HELP = content.load_yaml("tekster.yaml")["datoceller"]["hjælp"]  # what a date cell takes, in its input message
PERSON_HELP = "Vælg en person fra listen (personerne står på arket Personer), eller skriv et navn."


@lru_cache(maxsize=1)
def plan_table() -> Table:
    smart = content.ics()["smart"]
    smart_columns = tuple(
        Column(f"smart_{s['kort'].lower()}", s["kort"], 4.5, CHOICE, "ja_nej",
               f"SMART – {s['navn']}: {s['forklaring']}. Vælg Ja eller Nej for delmålet.", field=f"smart.{s['kort']}", listed=False)
        for s in smart
    )
    return Table(
        key="plan",
        title="Plan for sigtepunktet",
        columns=(
            Column("formaal", "Formål", 30, LONGTEXT, help=_help("formaal")),
            Column("aktivitet", "Aktivitet", 32, LONGTEXT, help=_help("aktivitet")),
            Column("ansvarlig", "Ansvarlig", 18, PERSON, help=_help("ansvarlig")),
            Column("start", "Start", 11.5, DATE, help="Hvornår igangsættes aktiviteten? " + DATE_HELP),
            Column("slut", "Slut", 11.5, DATE, help="Hvornår afsluttes aktiviteten? " + DATE_HELP),
            Column("delmaal", "Delmål", 28, LONGTEXT, help=_help("delmaal")),
            Column("delmaal_dato", "Delmål-dato", 11.5, DATE, help="Hvornår skal delmålet være nået? " + DATE_HELP),
            *smart_columns,
            Column("maal", "Mål", 28, LONGTEXT, help=_help("maal")),
            Column("maal_dato", "Mål-dato", 11.5, DATE, help="Hvornår skal målet være opfyldt? " + DATE_HELP),
            Column("status", "Status", 14, CHOICE, "aktivitetsstatus", "Vælg aktivitetens status fra listen."),
            Column("bemaerkning", "Bemærkning", 26, LONGTEXT, help="Fri tekst: hvad er værd at vide om rækken?"),
        ),
    )


@lru_cache(maxsize=1)
def followup_fields() -> tuple[Column, ...]:
    """The Opfølgning block under each plan: label in the first column, answer beside it."""
    return (
        Column("opfoelgning_hvornaar", "Hvornår og hvordan følges der op?", 0, LONGTEXT,
               help=_help("opfoelgning_hvornaar"), field="hvornaar", title="Opfølgning: hvornår og hvordan?"),
        Column("opfoelgning_hvem_informeres", "Hvem skal informeres?", 0, LONGTEXT,
               help=_help("opfoelgning_hvem_informeres"), field="hvem_informeres"),
        Column("opfoelgning_ansvarlig", "Hvem er ansvarlig for opfølgning og formidling?", 0, PERSON,
               help=_help("opfoelgning_ansvarlig"), field="ansvarlig", title="Opfølgning: hvem er ansvarlig?"),
    )


PROCESPLAN = Table(
    key="procesplan",
    title="Procesplan",
    columns=(
        Column("periode", "Dato/periode", 20, PERIOD,
               help="Skriv datoen eller perioden, som I plejer: 14-08-2026, '4. september', 'Uge 40 – 43', "
                    "'primo april 2027', 'Maj, juni og juli'."),
        Column("fra", "Fra", 11.5, DATE, help="Første dag (bruges til tidslinjen). " + DATE_HELP, listed=False),
        Column("til", "Til", 11.5, DATE, help="Sidste dag (bruges til tidslinjen; tom = samme dag som Fra). " + DATE_HELP,
               listed=False),
        Column("aktivitet", "Aktivitet", 30, LONGTEXT, help="Milepæl eller aktivitet i kort form."),
        Column("opmaerksomhed", "Opmærksomhedspunkter", 32, LONGTEXT, help="Hvad skal man være opmærksom på?"),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("status", "Status", 14, CHOICE, "aktivitetsstatus", "Vælg status fra listen."),
    ),
)

CHECKLIST = Table(
    key="tjekliste",
    title="Tjekliste",
    columns=(
        Column("id", "Nr.", 7, FIXED, field="id"),
        Column("kriterium", "Succeskriterium", 62, FIXED, field="text"),
        Column("status", "Status", 15, CHOICE, "kriteriestatus", "Vælg status: Ikke påbegyndt, I gang, Opfyldt eller Ikke relevant."),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("deadline", "Frist", 11.5, DATE, help=DATE_HELP),
        Column("bemaerkning", "Bemærkning", 34, LONGTEXT, help="Fri tekst."),
    ),
)

# The styringsgrundlag's checklist for roles and responsibility holds tjekpunkter, not success criteria:
# the same table under its own header (the reader knows both).
RESPONSIBILITY_CHECKLIST = replace(CHECKLIST, columns=tuple(
    replace(c, header="Tjekpunkt") if c.key == "kriterium" else c for c in CHECKLIST.columns))

STEPS = Table(
    key="trin",
    title="Trin",
    columns=(
        Column("id", "Trin", 6, FIXED, field="nr", listed=False),
        Column("trin", "Navn", 26, FIXED, field="trin", listed=False),
        Column("beskrivelse", "Beskrivelse", 52, FIXED),
        Column("status", "Status", 14, CHOICE, "aktivitetsstatus", "Vælg trinnets status fra listen."),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("start", "Start", 11.5, DATE, help=DATE_HELP),
        Column("deadline", "Frist", 11.5, DATE, help=DATE_HELP, listed=False),
        Column("bemaerkning", "Bemærkning", 30, LONGTEXT, help="Fri tekst, fx hvordan medarbejderne inddrages i trinnet."),
    ),
)

ROLES = Table(
    key="roller",
    title="Roller",
    columns=(
        Column("niveau", "Niveau", 13, FIXED, field="niveau"),
        Column("rolle", "Rolle", 20, FIXED, field="rolle"),
        Column("typisk", "Varetages typisk af", 20, FIXED),
        Column("formaal", "Formål", 40, FIXED),
        Column("opmaerksomhed", "Opmærksomhedspunkter", 48, FIXED),
        Column("opgaver", "Typiske arbejdsopgaver", 42, FIXED),
        Column("navne", "Navn(e)", 24, PERSON, help="Hvem varetager rollen? Skriv et eller flere navne, adskilt af komma."),
        Column("besat", "Besat", 8, FORMULA),
    ),
)

RISKS = Table(
    key="risikolog",
    title="Risikolog",
    columns=(
        Column("nr", "Nr.", 5, FIXED, field="nr"),
        Column("risiko", "Risiko", 36, LONGTEXT, help="Hvad kan gå galt? Beskriv risikoen kort."),
        Column("sandsynlighed", "Sandsynlighed (1-5)", 13, SCALE, "skala", "1 = meget usandsynlig, 5 = næsten sikker."),
        Column("konsekvens", "Konsekvens (1-5)", 13, SCALE, "skala", "1 = ubetydelig, 5 = meget alvorlig."),
        Column("score", "Score", 8, FORMULA),
        Column("handling", "Handling", 36, LONGTEXT, help="Hvad gør vi for at forebygge eller mindske risikoen?"),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("frist", "Frist", 11.5, DATE, help=DATE_HELP),
        Column("status", "Status", 15, CHOICE, "risikostatus", "Vælg status fra listen."),
    ),
)

PEOPLE = Table(
    key="personer",
    title="Personer, der kan stå som ansvarlige",
    columns=(
        Column("navn", "Navn", 26, TEXT, help="Personens fulde navn. Navnene her bliver valgmuligheder i kolonnerne 'Ansvarlig'."),
        Column("rolle", "Rolle", 24, TEXT, help="Fx projektleder, teamleder, forandringsagent."),
        Column("team", "Team", 20, TEXT, help="Teamet eller 'Alle'.", field="team_navn"),
    ),
)

# Oversigt: label/value pairs at the top of the overview sheet.
OVERVIEW_FIELDS = (
    Column("team", "Team", 0, TEXT, help="Teamets navn, som det skal stå i den samlede status."),
    Column("kommune", "Kommune", 0, TEXT, help="Kommunens navn."),
    Column("metode", "Metode", 0, FIXED, field="metode"),
    Column("aktuel_fase", "Aktuel fase", 0, CHOICE, "faser", "Hvilken fase er teamet i nu? Faserne er ikke lineære; vælg den, I arbejder mest i."),
    Column("kontaktperson", "Kontaktperson", 0, PERSON, help="Hvem i teamet kan koordinatoren kontakte?"),
    Column("kontakt_email", "E-mail", 0, TEXT, help="Kontaktpersonens e-mail."),
    Column("opfoelgningsrytme", "Opfølgningsrytme", 0, CHOICE, "opfoelgningsrytme", "Hvor ofte følges der op?"),
    Column("naeste_opfoelgning", "Næste opfølgning", 0, DATE, help=DATE_HELP),
    Column("opdateret", "Senest opdateret", 0, DATE, help="Hvornår blev projektmappen sidst opdateret? " + DATE_HELP),
    Column("udfyldt_af", "Udfyldt af", 0, TEXT, help="Hvem har opdateret projektmappen?"),
)

# The Oversigt of a workbook that follows the styringsgrundlag's steps only asks for the step (the reader
# knows the label from synonymer.yaml).
CURRENT_STEP = Column("aktuel_fase", "Aktuelt trin", 0, CHOICE, "faser",
                      "Hvilket trin er teamet i nu? Trinnene bølger i praksis frem og tilbage; vælg det, I arbejder mest i.")

# Labels that stand in column A of a plan sheet, above the table.
SIGTEPUNKT_FIELDS = (
    Column("sigtepunkt", "Sigtepunkt", 0, TEXT, help=content.ics()["sigtepunkt"]["navn_hjælp"]),
    Column("beskrivelse", "Beskrivelse af sigtepunktet", 0, LONGTEXT, help=content.ics()["sigtepunkt"]["beskrivelse_hjælp"]),
)

# The note under each plan table; the reader skips the row that holds it.
PLAN_NOTE = content.load_yaml("tekster.yaml")["plan_note"]

# Titles of the sheets that are not derived from user input.
SCHEMA_ID = "xlplan-projektmappe"  # the metadata sheet's mark: a team workbook
XLPLAN_AUTHOR = "xlplan"  # the author of the notes xlplan writes on cells (a fixing copy's): never the team's
REPORT_SCHEMA = "xlplan-samlet-status"  # ... and a management workbook (never read as a team's)

SHEET_TITLES = {
    "vejledning": "Vejledning",
    "oversigt": "Oversigt",
    "procesplan": "Procesplan",
    "trin": "Trin",
    "rolleansvar": "Rolle og ansvar",
    "roller": "Roller",
    "risikolog": "Risikolog",
    "lister": "Lister",
    "metadata": "xlplan",
    "rettelser": "Rettelser",
}


def table_of_role(role: str) -> Table | None:
    """The table on the sheet that plays `role` in a team workbook (the metadata sheet names the roles:
    plan:1, fase:2, procesplan ...); None for sheets without a table (Oversigt, Vejledning)."""
    if role.startswith("plan:"):
        return plan_table()
    if role.startswith("fase:"):
        return CHECKLIST
    return {"procesplan": PROCESPLAN, "trin": STEPS, "roller": ROLES, "risikolog": RISKS, "personer": PEOPLE,
            "rolleansvar": CHECKLIST}.get(role)
