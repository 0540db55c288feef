"""One declaration of every sheet's columns and labels.

The writer lays sheets out from these declarations and the reader finds its way back through them,
so the two cannot drift apart. Headers are Danish (users see them); keys are stable identifiers
used in code, in the metadata sheet and in exported records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from . import content

# Column kinds: how a cell is formatted, validated and later interpreted.
TEXT, LONGTEXT, DATE, PERSON, CHOICE, SCALE, FORMULA, FIXED = (
    "text", "longtext", "date", "person", "choice", "scale", "formula", "fixed")
# A date or period as people type it ("marts 2026", "Uge 40 – 43"): a Text cell, because Excel and
# LibreOffice turn "marts 2026" typed into a General cell into the date 01-03-2026 and lose the period.
PERIOD = "period"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = TEXT
    values: str | None = None  # key of a value list in data/lister.yaml, for CHOICE and SCALE
    help: str = ""  # shown as the cell's input message

    @property
    def is_input(self) -> bool:
        return self.kind not in (FORMULA, FIXED)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[Column, ...]
    entry_keys: tuple[str, ...] = ()  # a row counts as filled when any of these is non-empty

    def index(self, key: str) -> int:
        return self._positions[key]

    def column(self, key: str) -> Column:
        return self.columns[self._positions[key]]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {column.key: i for i, column in enumerate(self.columns)}


def _help(key: str) -> str:
    return "\n".join(content.ics()["hjælpespørgsmål"].get(key, ()))


DATE_HELP = "Skriv en dato som dd-mm-åååå, fx 05-01-2026."
PERSON_HELP = "Vælg en person fra listen (personerne står på arket Oversigt), eller skriv et navn."


@lru_cache(maxsize=1)
def plan_table() -> Table:
    smart = content.ics()["smart"]
    smart_columns = tuple(
        Column(f"smart_{s['kort'].lower()}", s["kort"], 4.5, CHOICE, "ja_nej",
               f"SMART – {s['navn']}: {s['forklaring']}. Vælg Ja eller Nej for delmålet.")
        for s in smart
    )
    return Table(
        key="plan",
        title="Plan for sigtepunktet",
        columns=(
            Column("formaal", "Formål", 30, LONGTEXT, help="Hvad skal forandres (implementeres/forankres)?\n" + _help("formaal")),
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
        entry_keys=("formaal", "aktivitet", "ansvarlig", "start", "slut", "delmaal", "delmaal_dato", "maal",
                    "maal_dato", "status", "bemaerkning"),
    )


@lru_cache(maxsize=1)
def followup_fields() -> tuple[Column, ...]:
    """The Opfølgning block under each plan: label in the first column, answer beside it."""
    return (
        Column("opfoelgning_hvornaar", "Hvornår og hvordan følges der op?", 0, LONGTEXT, help=_help("opfoelgning_hvornaar")),
        Column("opfoelgning_hvem_informeres", "Hvem skal informeres?", 0, LONGTEXT, help=_help("opfoelgning_hvem_informeres")),
        Column("opfoelgning_ansvarlig", "Hvem er ansvarlig for opfølgning og formidling?", 0, PERSON, help=_help("opfoelgning_ansvarlig")),
    )


PROCESPLAN = Table(
    key="procesplan",
    title="Procesplan",
    columns=(
        Column("periode", "Dato/periode", 20, PERIOD,
               help="Skriv datoen eller perioden, som I plejer: 14-08-2026, '4. september', 'Uge 40 – 43', "
                    "'primo april 2027', 'Maj, juni og juli'."),
        Column("fra", "Fra", 11.5, DATE, help="Første dag (bruges til tidslinjen). " + DATE_HELP),
        Column("til", "Til", 11.5, DATE, help="Sidste dag (bruges til tidslinjen; tom = samme dag som Fra). " + DATE_HELP),
        Column("aktivitet", "Aktivitet", 30, LONGTEXT, help="Milepæl eller aktivitet i kort form."),
        Column("opmaerksomhed", "Opmærksomhedspunkter", 32, LONGTEXT, help="Hvad skal man være opmærksom på?"),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("status", "Status", 14, CHOICE, "aktivitetsstatus", "Vælg status fra listen."),
    ),
    entry_keys=("periode", "fra", "til", "aktivitet", "opmaerksomhed", "ansvarlig", "status"),
)

CHECKLIST = Table(
    key="tjekliste",
    title="Tjekliste",
    columns=(
        Column("id", "Nr.", 7, FIXED),
        Column("kriterium", "Succeskriterium", 62, FIXED),
        Column("status", "Status", 15, CHOICE, "kriteriestatus", "Vælg status: Ikke påbegyndt, I gang, Opfyldt eller Ikke relevant."),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("deadline", "Deadline", 11.5, DATE, help=DATE_HELP),
        Column("bemaerkning", "Bemærkning", 34, LONGTEXT, help="Fri tekst."),
    ),
    entry_keys=("status", "ansvarlig", "deadline", "bemaerkning"),
)

STEPS = Table(
    key="trin",
    title="Trin",
    columns=(
        Column("id", "Trin", 6, FIXED),
        Column("trin", "Navn", 26, FIXED),
        Column("beskrivelse", "Beskrivelse", 52, FIXED),
        Column("status", "Status", 14, CHOICE, "aktivitetsstatus", "Vælg trinnets status fra listen."),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("start", "Start", 11.5, DATE, help=DATE_HELP),
        Column("deadline", "Deadline", 11.5, DATE, help=DATE_HELP),
        Column("bemaerkning", "Bemærkning", 30, LONGTEXT, help="Fri tekst, fx hvordan medarbejderne inddrages i trinnet."),
    ),
    entry_keys=("status", "ansvarlig", "start", "deadline", "bemaerkning"),
)

ROLES = Table(
    key="roller",
    title="Roller",
    columns=(
        Column("niveau", "Niveau", 13, FIXED),
        Column("rolle", "Rolle", 20, FIXED),
        Column("typisk", "Typisk", 20, FIXED),
        Column("formaal", "Formål", 44, FIXED),
        Column("opgaver", "Typiske arbejdsopgaver", 46, FIXED),
        Column("navne", "Navn(e)", 24, PERSON, help="Hvem varetager rollen? Skriv et eller flere navne, adskilt af komma."),
        Column("besat", "Besat", 8, FORMULA),
    ),
    entry_keys=("navne",),
)

RISKS = Table(
    key="risikolog",
    title="Risikolog",
    columns=(
        Column("nr", "Nr.", 5, FIXED),
        Column("risiko", "Risiko", 36, LONGTEXT, help="Hvad kan gå galt? Beskriv risikoen kort."),
        Column("sandsynlighed", "Sandsynlighed (1-5)", 13, SCALE, "skala", "1 = meget usandsynlig, 5 = næsten sikker."),
        Column("konsekvens", "Konsekvens (1-5)", 13, SCALE, "skala", "1 = ubetydelig, 5 = meget alvorlig."),
        Column("score", "Score", 8, FORMULA),
        Column("handling", "Handling", 36, LONGTEXT, help="Hvad gør vi for at forebygge eller mindske risikoen?"),
        Column("ansvarlig", "Ansvarlig", 18, PERSON, help=PERSON_HELP),
        Column("frist", "Frist", 11.5, DATE, help=DATE_HELP),
        Column("status", "Status", 15, CHOICE, "risikostatus", "Vælg status fra listen."),
    ),
    entry_keys=("risiko", "sandsynlighed", "konsekvens", "handling", "ansvarlig", "frist", "status"),
)

PEOPLE = Table(
    key="personer",
    title="Personer, der kan stå som ansvarlige",
    columns=(
        Column("navn", "Navn", 26, TEXT, help="Personens fulde navn. Navnene her bliver valgmuligheder i kolonnerne 'Ansvarlig'."),
        Column("rolle", "Rolle", 24, TEXT, help="Fx projektleder, teamleder, forandringsagent."),
        Column("team", "Team", 20, TEXT, help="Teamet eller 'Alle'."),
    ),
    entry_keys=("navn", "rolle", "team"),
)

# Oversigt: label/value pairs at the top of the overview sheet.
OVERVIEW_FIELDS = (
    Column("team", "Team", 0, TEXT, help="Teamets navn, som det skal stå i den samlede status."),
    Column("kommune", "Kommune", 0, TEXT, help="Kommunens navn."),
    Column("metode", "Metode", 0, FIXED),
    Column("aktuel_fase", "Aktuel fase", 0, CHOICE, "faser", "Hvilken fase er teamet i nu? Faserne er ikke lineære; vælg den, I arbejder mest i."),
    Column("kontaktperson", "Kontaktperson", 0, PERSON, help="Hvem i teamet kan koordinatoren kontakte?"),
    Column("kontakt_email", "E-mail", 0, TEXT, help="Kontaktpersonens e-mail."),
    Column("opfoelgningsrytme", "Opfølgningsrytme", 0, CHOICE, "opfoelgningsrytme", "Hvor ofte følges der op?"),
    Column("naeste_opfoelgning", "Næste opfølgning", 0, DATE, help=DATE_HELP),
    Column("opdateret", "Senest opdateret", 0, DATE, help="Hvornår blev projektmappen sidst opdateret? " + DATE_HELP),
    Column("udfyldt_af", "Udfyldt af", 0, TEXT, help="Hvem har opdateret projektmappen?"),
)

# Labels that stand in column A of a plan sheet, above the table.
SIGTEPUNKT_FIELDS = (
    Column("sigtepunkt", "Sigtepunkt", 0, TEXT, help=content.ics()["sigtepunkt"]["navn_hjælp"]),
    Column("beskrivelse", "Beskrivelse af sigtepunktet", 0, LONGTEXT, help=content.ics()["sigtepunkt"]["beskrivelse_hjælp"]),
)

# The note under each plan table; the reader skips the row that holds it.
PLAN_NOTE = content.load_yaml("tekster.yaml")["plan_note"]

# Titles of the sheets that are not derived from user input.
SCHEMA_ID = "xlplan-projektmappe"  # the metadata sheet's mark: a team workbook
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
}
