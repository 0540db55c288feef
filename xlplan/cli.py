"""The `xlplan` command: a thin click layer over the library. Everything a user sees is Danish.

Heavy libraries are imported inside the commands, so `xlplan --help` and argument errors answer at once.
"""
from __future__ import annotations

import sys
import tempfile
import traceback
from importlib import resources
from pathlib import Path

import click

from . import __version__
from .errors import Severity, XlplanError, count, problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

CLICK_DANISH = [
    ("No such option", "Ukendt tilvalg"),
    ("No such command", "Ukendt kommando"),
    ("Missing argument", "Mangler argument"),
    ("Missing option", "Mangler tilvalg"),
    ("Invalid value for", "Ugyldig værdi for"),
    ("does not exist", "findes ikke"),
    ("Got unexpected extra argument", "Uventet ekstra argument"),
    ("Got unexpected extra arguments", "Uventede ekstra argumenter"),
    ("requires an argument", "kræver en værdi"),
    ("Did you mean", "Mente du"),
    ("is a directory", "er en mappe"),
    ("is not a directory", "er ikke en mappe"),
    ("File", "Filen"),
    ("Directory", "Mappen"),
    ("Path", "Stien"),
]


def _danish(message: str) -> str:
    for english, danish in CLICK_DANISH:
        message = message.replace(english, danish)
    return message


def report(error: XlplanError) -> None:
    for p in error.problems:
        click.secho("Fejl: ", fg="red", bold=True, err=True, nl=False)
        click.echo(str(p), err=True)


class DanishHelpFormatter(click.HelpFormatter):
    HEADINGS = {"Options": "Tilvalg", "Commands": "Kommandoer", "Arguments": "Argumenter"}

    def write_usage(self, prog, args="", prefix=None):
        super().write_usage(prog, args.replace("[OPTIONS]", "[TILVALG]").replace("COMMAND [ARGS]...",
                                                                                 "KOMMANDO [ARGUMENTER]..."),
                            prefix="Brug: " if prefix is None else prefix)

    def write_heading(self, heading):
        super().write_heading(self.HEADINGS.get(heading, heading))


class DanishContext(click.Context):
    formatter_class = DanishHelpFormatter


class DanishCommand(click.Command):
    context_class = DanishContext


class DanishGroup(click.Group):
    """Runs commands so that no traceback and no English usage error reaches the user."""

    context_class = DanishContext
    command_class = DanishCommand

    def main(self, args=None, prog_name=None, **extra):
        try:
            return super().main(args=args, prog_name="xlplan", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Afbrudt.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            hint = f"Se '{exc.ctx.command_path} --help'." if getattr(exc, "ctx", None) else "Se 'xlplan --help'."
            click.echo(f"Fejl: {_danish(exc.format_message())}\n{hint}", err=True)
            sys.exit(exc.exit_code)
        except XlplanError as exc:
            report(exc)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("Afbrudt.", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence: log it, say where
            log = Path(tempfile.gettempdir()) / "xlplan-fejl.log"
            try:
                log.write_text(traceback.format_exc(), encoding="utf-8")
            except OSError:
                log = Path("(kunne ikke gemmes)")
            click.echo(f"Fejl: {problem('INT001', detalje=type(exc).__name__, log=str(log))}", err=True)
            sys.exit(3)


HELP = click.help_option("-h", "--help", help="Vis denne hjælp og afslut.")


@click.group(cls=DanishGroup, context_settings=CONTEXT)
@HELP
@click.version_option(__version__, "--version", message="xlplan %(version)s", help="Vis versionen og afslut.")
def main():
    """xlplan – planlæg, følg og afrapportér implementeringen af en metode, i Excel.

    \b
    Typisk forløb:
      xlplan init plan.toml              lav en eksempelkonfiguration, og ret den til
      xlplan new plan.toml -o mapper/    lav én projektmappe pr. team
      xlplan template                    byg de tomme skabeloner i templates/xlsx/
      xlplan check mapper/               tjek de returnerede projektmapper
      xlplan consolidate mapper/ -o samlet-status.xlsx --config plan.toml
                                         saml dem til én status til ledelsen
    """


@main.command("init", context_settings=CONTEXT, short_help="Skriv en kommenteret eksempelkonfiguration.")
@HELP
@click.argument("sti", default="plan.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overskriv", is_flag=True, help="Erstat filen, hvis den findes.")
def init_command(sti: Path, overskriv: bool):
    """Skriv en kommenteret eksempelkonfiguration til STI (standard: plan.toml)."""
    from .generate import write_atomic

    if sti.exists() and not overskriv:
        raise XlplanError(problem("OUT002", sti=str(sti)))
    text = resources.files("xlplan.data").joinpath("plan.eksempel.toml").read_bytes()
    write_atomic(sti, text)
    click.echo(f"Skrev {sti}. Ret den til, og kør: xlplan new {sti} -o projektmapper/")


@main.command("new", context_settings=CONTEXT, short_help="Lav én projektmappe pr. team.")
@HELP
@click.argument("konfiguration", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "ud", type=click.Path(file_okay=False, path_type=Path), default=Path("projektmapper"),
              metavar="MAPPE", help="Mappen, projektmapperne skrives til (standard: projektmapper).")
@click.option("--overskriv", is_flag=True, help="Erstat projektmapper, der allerede findes.")
@click.option("-q", "--quiet", "stille", is_flag=True, help="Skriv kun fejl.")
def new_command(konfiguration: Path, ud: Path, overskriv: bool, stille: bool):
    """Lav én udfyldningsklar projektmappe (.xlsx) pr. team ud fra KONFIGURATION."""
    from .config import load_config
    from .generate import generate_team_workbooks

    config = load_config(konfiguration)

    bar = Progress("Skriver", stille)
    many = len(config.teams) > Progress.MIN_ITEMS

    def progress(team, path, done, total):
        if not stille and not many:
            click.echo(f"  {team}: {path}")
        bar(done, total)

    if not stille:
        click.echo(f"Laver {len(config.teams)} projektmappe(r) til {config.municipality} i {ud}/")
    written = generate_team_workbooks(config, ud, overwrite=overskriv, progress=progress)
    if not stille:
        click.echo(f"Færdig: {len(written)} projektmappe(r).")


@main.command("template", context_settings=CONTEXT, short_help="Byg de tomme skabeloner.")
@HELP
@click.option("-o", "--out", "ud", type=click.Path(file_okay=False, path_type=Path),
              default=Path("templates/xlsx"), metavar="MAPPE",
              help="Mappen, skabelonerne skrives til (standard: templates/xlsx).")
@click.option("--tjek", is_flag=True, help="Skriv intet; afslut med fejl, hvis skabelonerne i mappen er forældede.")
def template_command(ud: Path, tjek: bool):
    """Byg de tomme skabeloner til download (ICS, FFB og styringsgrundlag)."""
    from .generate import build_templates, stale_templates

    if tjek:
        stale = stale_templates(ud)
        for name in stale:
            click.echo(f"Forældet eller mangler: {ud / name}", err=True)
        if stale:
            click.echo("Kør 'xlplan template' for at bygge dem igen.", err=True)
            sys.exit(1)
        click.echo("Skabelonerne er opdaterede.")
        return
    for path in build_templates(ud):
        click.echo(f"Skrev {path}")


def _as_of(text: str | None):
    import datetime as dt

    if not text:
        return dt.date.today()
    from .periods import PeriodError, parse_period

    try:
        period = parse_period(text)
    except PeriodError:
        period = None
    if period is None or period.start != period.end:
        raise click.BadParameter(f"'{text}' er ikke en dato; skriv fx 15-06-2026.", param_hint="--as-of")
    return period.start


class Progress:
    """A progress bar on stderr, only when it is a terminal and the work is long; silent otherwise."""

    MIN_ITEMS = 20

    def __init__(self, label: str, quiet: bool = False):
        self.label = label
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.MIN_ITEMS:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _inputs(inputs: tuple[Path, ...]) -> list[Path]:
    return [Path(p) for p in inputs]


def _print_problems(reads, notices, errors_only: bool) -> tuple[int, int]:
    errors = warnings = 0
    for notice in notices:
        click.echo(f"  {notice}")
    for read in reads:
        file_errors = [p for p in read.problems if p.is_error]
        file_warnings = [p for p in read.problems if p.is_warning]
        errors += len(file_errors)
        warnings += len(file_warnings)
        label = f"{read.team} ({read.file})" if read.team else read.file
        if not read.problems:
            click.echo(f"{label}: ingen problemer.")
            continue
        click.echo(f"{label}: {len(file_errors)} fejl, {len(file_warnings)} advarsler")
        shown = file_errors + ([] if errors_only else file_warnings) + \
            [p for p in read.problems if p.severity is Severity.INFO]
        for p in shown:
            where = f"{p.sheet}!{p.cell}" if p.sheet and p.cell else (p.sheet or "")
            tag = click.style(f"{p.severity.label:9}", fg="red" if p.is_error else "yellow")
            click.echo(f"  {tag}{where + '  ' if where else ''}[{p.code}] {p.message} {p.fix}")
    return errors, warnings


@main.command("check", context_settings=CONTEXT, short_help="Tjek returnerede projektmapper.")
@HELP
@click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FIL_ELLER_MAPPE...")
@click.option("--kun-fejl", is_flag=True, help="Vis kun fejl, ikke advarsler om fortolkede værdier.")
@click.option("--annotate", "rettekopier", type=click.Path(file_okay=False, path_type=Path), metavar="MAPPE",
              help="Skriv til MAPPE en frisk kopi af hver projektmappe med problemer, hvor hver problemcelle er "
                   "markeret med en kommentar, og et ark 'Rettelser' med links til cellerne.")
def check_command(filer, kun_fejl: bool, rettekopier: Path | None):
    """Tjek projektmapper, og fortæl præcist, hvad hvert team skal rette (fil, ark, celle).

    Afslutter med 0, når ingen fil har fejl (advarsler om fortolkede værdier tæller ikke), ellers 1.
    """
    from .consolidate import collect_files, read_all

    files, notices = collect_files(_inputs(filer))
    reads = read_all(files, summary=not rettekopier, progress=Progress("Tjekker"))
    errors, warnings = _print_problems(reads, notices, kun_fejl)
    errors += sum(1 for n in notices if n.is_error)
    click.echo(f"I alt: {len(reads)} fil(er), {errors} fejl, {warnings} advarsler.")
    if rettekopier:
        _write_annotated(reads, rettekopier, _inputs(filer))
    sys.exit(1 if errors else 0)


def _write_annotated(reads, folder: Path, inputs: list[Path]) -> None:
    import datetime as dt

    from .carry import annotated
    from .consolidate import check_output_path
    from .generate import write_atomic
    from .names import file_stem
    from .xlsx_writer import render

    now = dt.datetime.now().replace(microsecond=0)
    for read in reads:
        if not read.readable:
            click.echo(f"  {read.file}: kan ikke læses, så der laves ingen rettekopi.")
            continue
        if not [p for p in read.problems if p.severity is not Severity.INFO]:
            continue
        target = folder / f"{file_stem(Path(read.file).stem)} - rettelser.xlsx"
        check_output_path(target, inputs)
        layout, placed = annotated(read, now)
        write_atomic(target, render(layout))
        marked = sum(1 for p in placed if p.sheet)
        click.echo(f"  Rettekopi: {target} ({marked} celle(r) markeret)")


@main.command("consolidate", context_settings=CONTEXT, short_help="Saml projektmapperne til én status.")
@HELP
@click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FIL_ELLER_MAPPE...")
@click.option("-o", "--out", "ud", type=click.Path(dir_okay=False, path_type=Path), default=Path("samlet-status.xlsx"),
              metavar="FIL", help="Den samlede status (standard: samlet-status.xlsx).")
@click.option("--config", "konfiguration", type=click.Path(dir_okay=False, path_type=Path), metavar="PLAN.TOML",
              help="Planens konfiguration: så vises teams, der ikke har sendt noget, og teamene står i planens orden.")
@click.option("--as-of", "pr_dato", metavar="DATO", help="Opgørelsesdato for forsinkelser (standard: i dag), fx 15-06-2026.")
@click.option("--json", "json_ud", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv også alle læste data, fremdrift og problemer som JSON.")
@click.option("--history", "historik", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help=f"Historikken (SQLite), der gemmer hver aflæsning (standard: xlplan-historik.sqlite ved siden af "
                   f"den samlede status).")
@click.option("--no-history", "uden_historik", is_flag=True, help="Gem ikke aflæsningen, og vis ingen udvikling.")
@click.option("--export", "eksport", type=click.Path(file_okay=False, path_type=Path), metavar="MAPPE",
              help="Skriv også alle poster som CSV og Parquet til MAPPE (til BI-værktøjer).")
@click.option("--pdf", "pdf_ud", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv også en PDF til mødet: resuméet på første side, så overblik, siden sidst, udvikling "
                   "og det, der er forsinket.")
@click.option("-q", "--quiet", "stille", is_flag=True, help="Skriv kun fejl.")
def consolidate_command(filer, ud: Path, konfiguration: Path | None, pr_dato: str | None, json_ud: Path | None,
                        historik: Path | None, uden_historik: bool, eksport: Path | None, pdf_ud: Path | None,
                        stille: bool):
    """Læs alle projektmapper, og skriv en samlet status (.xlsx) til ledelsen."""
    import datetime as dt

    from .config import load_config
    from .consolidate import check_output_path, consolidate, mark_unchanged
    from .export import consolidation_json
    from .generate import write_atomic
    from .layout.report import report_workbook
    from .xlsx_writer import render

    as_of = _as_of(pr_dato)
    inputs = _inputs(filer)
    for target in [ud] + [t for t in (json_ud, pdf_ud) if t]:
        check_output_path(target, inputs)
    config = load_config(konfiguration) if konfiguration else None
    from . import history

    history_path = None if uden_historik else historik or ud.parent / history.DEFAULT_NAME
    result = consolidate(inputs, config, as_of, progress=Progress("Læser", stille))
    development = None
    if history_path:
        check_output_path(history_path, inputs)
        mark_unchanged(result, history.previous_files(history_path, result))
        recorded = history.record(result, history_path)
        development = history.development(history_path)
        development.recorded = recorded
    write_atomic(ud, render(report_workbook(result, dt.datetime.now().replace(microsecond=0), development)))
    if json_ud:
        write_atomic(json_ud, consolidation_json(result, development))
    if eksport:
        from .export import export_tables

        _, export_notices = export_tables(result, eksport)
        for notice in export_notices:
            click.echo(f"{notice.severity.label}: [{notice.code}] {notice.message} {notice.fix}", err=True)
    if pdf_ud:
        from .meeting_pdf import write_meeting_pdf

        write_meeting_pdf(result, development, pdf_ud)
    if stille:
        return
    from .progress import GREEN, RED, YELLOW, light_names

    colours = {light_names()[key]: colour for key, colour in ((RED, "red"), (YELLOW, "yellow"), (GREEN, "green"))}
    click.echo(f"Læste {len(result.reads)} projektmappe(r), opgjort pr. {as_of:%d-%m-%Y}:")
    width = max((len(t.team) for t in result.teams), default=10) + 2
    for team in result.teams:
        phases = "  ".join(f"F{pid} {s.share:.0%}" for pid, s in sorted(team.phases.items()) if s.share is not None)
        light = click.style(f"{team.light:5}", fg=colours.get(team.light))
        click.echo(f"  {team.team:{width}} {light} {len(team.overdue):>2} forsinket  {phases}")
    for name in result.missing_teams:
        click.echo(f"  {name:{width}} ikke modtaget")
    problems = result.problems
    errors = count(problems, Severity.ERROR)
    warnings = count(problems, Severity.WARNING)
    click.echo(f"Problemer: {errors} fejl, {warnings} advarsler (se arket Problemer, eller kør 'xlplan check').")
    if development is not None:
        moved = len([c for c in development.changes if c.kind != history.UNCHANGED])
        state = "gemt" if development.recorded else "ikke gemt (projektmapperne er uændrede)"
        click.echo(f"Aflæsning {state}; {len(development.readings)} aflæsning(er) i historikken, "
                   f"{moved} ændring(er) siden sidst (se arket Udvikling).")
    click.echo(f"Skrev {', '.join(str(p) for p in (ud, json_ud, pdf_ud) if p)}")


@main.command("history", context_settings=CONTEXT, short_help="Vis eller ret historikken over aflæsninger.")
@HELP
@click.option("--history", "historik", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              default=Path("xlplan-historik.sqlite"), help="Historikken (standard: xlplan-historik.sqlite).")
@click.option("--fjern", "fjern", type=int, metavar="NR", help="Fjern aflæsning NR fra historikken.")
def history_command(historik: Path, fjern: int | None):
    """Vis aflæsningerne i historikken, eller fjern én med --fjern NR."""
    from . import history

    if not historik.exists():
        raise XlplanError(problem("HIS003", sti=str(historik)))
    if fjern is not None:
        history.remove(historik, fjern)
        click.echo(f"Aflæsning {fjern} er fjernet fra {historik}.")
        return
    rows = history.readings(historik)
    if not rows:
        click.echo(f"Ingen aflæsninger i {historik}.")
        return
    click.echo(f"{'Nr':>3}  {'Aflæst':19}  {'Opgjort pr.':11}  {'Filer':>5}  {'Teams':>5}  Kommune")
    for r in rows:
        as_of = f"{r.as_of[8:10]}-{r.as_of[5:7]}-{r.as_of[:4]}"
        click.echo(f"{r.id:>3}  {r.taken_at.replace('T', ' '):19}  {as_of:11}  {r.files:>5}  {r.teams:>5}  "
                   f"{r.municipality}")


@main.command("migrate", context_settings=CONTEXT, short_help="Flyt en udfyldt projektmappe til den nye skabelon.")
@HELP
@click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FIL_ELLER_MAPPE...")
@click.option("-o", "--out", "ud", required=True, type=click.Path(path_type=Path), metavar="FIL_ELLER_MAPPE",
              help="Den nye projektmappe (én fil), eller en mappe til de nye projektmapper.")
def migrate_command(filer, ud: Path):
    """Flyt udfyldte projektmapper over på den nuværende skabelon, og fortæl, hvad der er flyttet,
    omdøbt eller uden plads (intet droppes i stilhed)."""
    from .consolidate import check_output_path, collect_files
    from .migrate import migrate

    inputs = _inputs(filer)
    files, notices = collect_files(inputs)
    for notice in notices:
        click.echo(f"  {notice}")
    single = len(files) == 1 and ud.suffix.lower() == ".xlsx"
    failed = 0
    for path in files:
        target = ud if single else ud / path.name
        check_output_path(target, inputs)
        try:
            result = migrate(path, target)
        except XlplanError as exc:
            failed += 1
            report(exc)
            continue
        moved = ", ".join(f"{n} {label}" for label, n in result.moved.items() if n)
        click.echo(f"{path.name} (version {result.from_version or '?'} → {result.to_version}): {target}")
        click.echo(f"  Flyttet: {moved or 'intet'}")
        for note in result.notes:
            click.echo(f"  {note.severity.label}: [{note.code}] {note.message} {note.fix}")
        for p in result.problems:
            where = f"{p.sheet}!{p.cell} " if p.sheet and p.cell else ""
            click.echo(f"  {p.severity.label}: {where}[{p.code}] {p.message}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
