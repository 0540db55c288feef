"""The `xlplan` command: a thin click layer over the library. Everything a user sees is Danish.

Heavy libraries are imported inside the commands, so `xlplan --help` and argument errors answer at once.
"""
from __future__ import annotations

import sys
import traceback
from importlib import resources
from pathlib import Path

import click

from xlplan import __version__, api, serving
from xlplan.core.atomic import termination_raises
from xlplan.core.errors import count, problem, Severity, XlplanError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}



def _speak_danish() -> None:
    """click marks its messages for gettext, through the names `_` and `ngettext` it imports from the
    gettext module into each of its modules. Those names are pointed at the Danish catalogue shipped in
    xlplan/data/locale, so click's messages are translated where they are made and the user's own text
    inside them is never touched. The user's locale plays no part: xlplan speaks Danish everywhere.
    It runs before the commands below are declared, because click translates some words (a path's kind)
    when an option is declared."""
    import gettext
    import io

    import click._termui_impl  # noqa: F401 - imported lazily by click.progressbar; translate it now too

    catalogue = resources.files("xlplan.data").joinpath("locale/da/LC_MESSAGES/click.mo").read_bytes()
    danish = gettext.GNUTranslations(io.BytesIO(catalogue))
    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = danish.gettext
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = danish.ngettext


_speak_danish()


def count_of(n: int, word: str) -> str:
    """'1 advarsel', '2 advarsler' (content.count_of)."""
    from xlplan.core.content import count_of as counted

    return counted(n, word)


def report(error: XlplanError) -> None:
    for p in error.problems:
        click.secho(f"{p.severity.label}: ", fg="red" if p.is_error else "yellow", bold=p.is_error, err=True, nl=False)
        click.echo(str(p), err=True)


# Commands and options are Danish; the English names of earlier versions still work, so scripts keep
# running, but help and suggestions show only the Danish ones.
OLD_COMMANDS = {"new": "ny", "template": "skabelon", "check": "tjek", "consolidate": "saml", "history": "historik",
                "migrate": "flyt"}

class DanishOption(click.Option):
    """An option that also answers to its `old` names, which help, errors and suggestions never show."""

    old_names: set[str] = set()  # every command's old option names, kept out of "Mente du ...?"

    def __init__(self, param_decls, old: tuple[str, ...] = (), **kwargs):
        super().__init__(list(param_decls) + list(old), **kwargs)
        self.old = set(old)
        DanishOption.old_names |= self.old

    def _shown(self, method, ctx):
        opts = self.opts
        self.opts = [o for o in opts if o not in self.old]
        try:
            return method(ctx)
        finally:
            self.opts = opts

    def get_help_record(self, ctx):
        return self._shown(super().get_help_record, ctx)

    def get_error_hint(self, ctx):
        return self._shown(super().get_error_hint, ctx)


def option(*decls, old: tuple[str, ...] = (), **kwargs):
    return click.option(*decls, cls=DanishOption, old=old, **kwargs)


def quiet_option():
    return option("-q", "--stille", "stille", old=("--quiet",), is_flag=True, help="Skriv kun fejl.")


class DanishCommand(click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TILVALG]")
        super().__init__(*args, **kwargs)


class DanishGroup(click.Group):
    """Runs commands so that no traceback and no English usage error reaches the user."""

    command_class = DanishCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TILVALG]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)

    def list_commands(self, ctx):
        return list(self.commands)  # in the order of the work, as declared below

    def get_command(self, ctx, cmd_name):
        return super().get_command(ctx, OLD_COMMANDS.get(cmd_name, cmd_name))

    def main(self, args=None, prog_name=None, **extra):
        try:
            with termination_raises():  # SIGTERM/SIGHUP unwind like Ctrl-C: workers stopped, no temporary file left
                return super().main(args=args, prog_name="xlplan", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Afbrudt.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            if isinstance(exc, click.NoSuchOption):
                exc.possibilities = [p for p in exc.possibilities if p not in DanishOption.old_names]
            exc.show()  # in Danish: click's messages come from the catalogue
            sys.exit(exc.exit_code)
        except XlplanError as exc:
            report(exc)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("Afbrudt.", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence: log it, say where
            from xlplan.core.workers import log_detail
            log = log_detail(traceback.format_exc(), replace=True)
            click.echo(f"Fejl: {problem('INT001', detalje=type(exc).__name__, log=log)}", err=True)
            sys.exit(3)


@click.group(cls=DanishGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="xlplan %(version)s", help="Vis versionen og afslut.")
def main():
    """xlplan – planlæg, følg og afrapportér implementeringen af en metode, i Excel.

    \b
    Typisk forløb:
      xlplan init plan.xlsx              lav en plan, og udfyld den i Excel (eller plan.toml)
      xlplan ny plan.xlsx -o mapper/     lav én projektmappe pr. team
      xlplan skabelon                    byg de tomme skabeloner i templates/xlsx/
      xlplan tjek mapper/                tjek de returnerede projektmapper
      xlplan saml mapper/ -o samlet-status.xlsx --plan plan.xlsx
                                         saml dem til én status til ledelsen
      xlplan serve mappe/ --plan plan.xlsx
                                         det hele i en browser: teamene sender selv
                                         deres projektmapper og ser, hvad der skal rettes
    """


def _say(stille: bool, text: str) -> None:
    if not stille:
        click.echo(text)


def _notices(problems, stille: bool) -> None:
    """What the user should know besides the result (a plan's encoding converted, a name shortened)."""
    for p in problems:
        if p.is_error or not stille:
            click.echo(f"{p.severity.label}: {p}", err=True)


@main.command("init", context_settings=CONTEXT, short_help="Skriv en eksempelplan, der skal rettes til.")
@click.argument("sti", default="plan.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overskriv", is_flag=True, help="Erstat filen, hvis den findes.")
@quiet_option()
def init_command(sti: Path, overskriv: bool, stille: bool):
    """Skriv en eksempelplan til STI, som rettes til: plan.xlsx er en projektmappe, der udfyldes i Excel;
    plan.toml (standard) er en kommenteret tekstfil."""
    api.write_example_plan(sti, overwrite=overskriv)
    _say(stille, f"Skrev {sti}. Ret den til, og kør: xlplan ny {sti} -o projektmapper/")


@main.command("ny", context_settings=CONTEXT, short_help="Lav én projektmappe pr. team.")
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@option("-o", "--ud", "ud", old=("--out",), type=click.Path(file_okay=False, path_type=Path),
        default=Path("projektmapper"), metavar="MAPPE",
        help="Mappen, projektmapperne skrives til (standard: projektmapper).")
@click.option("--overskriv", is_flag=True, help="Erstat projektmapper, der allerede findes.")
@quiet_option()
def new_command(plan: Path, ud: Path, overskriv: bool, stille: bool):
    """Lav én udfyldningsklar projektmappe (.xlsx) pr. team ud fra PLAN (plan.xlsx eller plan.toml)."""
    config = api.load_plan(plan)
    _notices(config.notices, stille)

    bar = Progress("Skriver", stille)
    many = len(config.teams) > Progress.MIN_ITEMS

    def progress(team, path, done, total):
        if not many:
            _say(stille, f"  {team}: {path}")
        bar(done, total)

    _say(stille, f"Laver {count_of(len(config.teams), 'projektmappe')} til {config.municipality} i {ud}/")
    written = api.generate(config, ud, overwrite=overskriv, progress=progress)
    _notices([n for w in written for n in w.notices], stille)
    _say(stille, f"Færdig: {count_of(len(written), 'projektmappe')}.")


@main.command("skabelon", context_settings=CONTEXT, short_help="Byg de tomme skabeloner.")
@option("-o", "--ud", "ud", old=("--out",), type=click.Path(file_okay=False, path_type=Path),
        default=Path("templates/xlsx"), metavar="MAPPE",
        help="Mappen, skabelonerne skrives til (standard: templates/xlsx).")
@click.option("--tjek", is_flag=True, help="Skriv intet; afslut med fejl, hvis skabelonerne i mappen er forældede.")
@quiet_option()
def template_command(ud: Path, tjek: bool, stille: bool):
    """Byg de tomme skabeloner til download (ICS, FFB og styringsgrundlag)."""
    if tjek:
        stale = api.stale_templates(ud)
        for name in stale:
            click.echo(f"Forældet eller mangler: {ud / name}", err=True)
        if stale:
            click.echo("Kør 'xlplan skabelon' for at bygge dem igen.", err=True)
            sys.exit(1)
        _say(stille, "Skabelonerne er opdaterede.")
        return
    for path in api.build_templates(ud):
        _say(stille, f"Skrev {path}")


def _as_of(text: str | None):
    import datetime as dt

    if not text:
        return dt.date.today()
    day = api.parse_date(text)
    if day is None:
        raise click.BadParameter(f"'{text}' er ikke en dato; skriv fx 15-06-2026.", param_hint="'--opgjort-pr'")
    return day


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


def _print_problems(reads, notices, errors_only: bool, quiet: bool) -> tuple[int, int]:
    """Each file's problems; quiet shows only the errors and the files that have them, errors_only only the errors
    (no warning and no info, neither about a file nor about the set of files)."""
    errors = warnings = 0
    for notice in notices:
        if notice.is_error or not (quiet or errors_only):
            click.echo(f"  {notice}")
    for read in reads:
        file_errors = [p for p in read.problems if p.is_error]
        file_warnings = [p for p in read.problems if p.is_warning]
        errors += len(file_errors)
        warnings += len(file_warnings)
        label = f"{read.team} ({read.file})" if read.team else read.file
        if quiet and not file_errors:
            continue
        if not read.problems:
            click.echo(f"{label}: ingen problemer.")
            continue
        click.echo(f"{label}: {count_of(len(file_errors), 'fejl')}, {count_of(len(file_warnings), 'advarsel')}")
        shown = file_errors if quiet or errors_only else file_errors + file_warnings + \
            [p for p in read.problems if p.severity is Severity.INFO]
        for p in shown:
            where = f"{p.sheet}!{p.cell}" if p.sheet and p.cell else (p.sheet or "")
            tag = click.style(f"{p.severity.label:9}", fg="red" if p.is_error else "yellow")
            click.echo(f"  {tag}{where + '  ' if where else ''}[{p.code}] {p.message} {p.fix}")
    return errors, warnings


INPUTS = click.argument("filer", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FIL_ELLER_MAPPE...")


@main.command("tjek", context_settings=CONTEXT, short_help="Tjek returnerede projektmapper.")
@INPUTS
@click.option("--kun-fejl", is_flag=True, help="Vis kun fejl: ingen advarsler om fortolkede værdier og ingen info.")
@option("--rettekopier", "rettekopier", old=("--annotate",), type=click.Path(file_okay=False, path_type=Path),
        metavar="MAPPE", help="Skriv til MAPPE en frisk kopi af hver projektmappe med problemer, hvor hver problemcelle "
                              "er markeret med en kommentar, og et ark 'Rettelser' med links til cellerne.")
@click.option("--json", "json_ud", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv også filerne og alle problemer som JSON (til scripts).")
@click.option("--csv", "csv_ud", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv også alle problemer som CSV, ét problem pr. række.")
@quiet_option()
def check_command(filer, kun_fejl: bool, rettekopier: Path | None, json_ud: Path | None, csv_ud: Path | None,
                  stille: bool):
    """Tjek projektmapper, og fortæl præcist, hvad hvert team skal rette (fil, ark, celle).

    Afslutter med 0, når ingen fil har fejl (advarsler om fortolkede værdier tæller ikke), ellers 1.
    """
    check = api.check(_inputs(filer), json_output=json_ud, csv_output=csv_ud, summary=not rettekopier,
                      progress=Progress("Tjekker", stille))
    copies = {id(n.read) for n in check.not_counted if n.copy}  # the same bytes: said once, at the file that counts
    errors, warnings = _print_problems([r for r in check.reads if id(r) not in copies], check.notices, kun_fejl,
                                       stille)
    errors += sum(1 for n in check.notices if n.is_error)
    _say(stille, f"I alt: {count_of(len(check.reads), 'fil')}, {count_of(errors, 'fejl')}, "
                 f"{count_of(warnings, 'advarsel')}. Teams: {check.teams}.")
    if rettekopier:
        _write_annotated(check.reads, rettekopier, _inputs(filer), stille)
    sys.exit(1 if errors else 0)


def _write_annotated(reads, folder: Path, inputs: list[Path], quiet: bool) -> None:
    for copy in api.write_fixing_copies(reads, folder, inputs):
        if copy.notice is not None:
            if copy.notice.is_error or not quiet:
                click.echo(f"  {copy.notice.severity.label}: {copy.file}: [{copy.notice.code}] {copy.notice.message}")
        else:
            left_out = f", {count_of(copy.left_out, 'problem')} ikke med i kopien" if copy.left_out else ""
            _say(quiet, f"  Kopi med rettelser: {copy.path} ({count_of(copy.marked, 'celle')} markeret{left_out})")


@main.command("saml", context_settings=CONTEXT, short_help="Saml projektmapperne til én status.")
@INPUTS
@option("-o", "--ud", "ud", old=("--out",), type=click.Path(dir_okay=False, path_type=Path),
        default=Path("samlet-status.xlsx"), metavar="FIL", help="Den samlede status (standard: samlet-status.xlsx).")
@option("-p", "--plan", "plan", old=("--config",), type=click.Path(dir_okay=False, path_type=Path), metavar="PLAN",
        help="Planen (plan.xlsx eller plan.toml): så vises teams, der ikke har sendt noget, og teamene står i planens orden.")
@option("--opgjort-pr", "pr_dato", old=("--as-of",), metavar="DATO",
        help="Opgørelsesdato for forsinkelser (standard: i dag), fx 15-06-2026.")
@click.option("--json", "json_ud", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv også alle læste data, fremdrift og problemer som JSON.")
@option("--historik", "historik", old=("--history",), type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
        help="Historikken (SQLite), der gemmer hver aflæsning (standard: xlplan-historik.sqlite ved siden af den "
             "samlede status).")
@option("--uden-historik", "uden_historik", old=("--no-history",), is_flag=True,
        help="Gem ikke aflæsningen, og vis ingen udvikling.")
@option("--eksport", "eksport", old=("--export",), type=click.Path(file_okay=False, path_type=Path), metavar="MAPPE",
        help="Skriv også alle poster som CSV og Parquet til MAPPE (til BI-værktøjer).")
@click.option("--pdf", "pdf_ud", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv også en PDF til mødet: resuméet på første side, så overblik, siden sidst, udvikling "
                   "og det, der er forsinket.")
@quiet_option()
def consolidate_command(filer, ud: Path, plan: Path | None, pr_dato: str | None, json_ud: Path | None,
                        historik: Path | None, uden_historik: bool, eksport: Path | None, pdf_ud: Path | None,
                        stille: bool):
    """Læs alle projektmapper, og skriv en samlet status (.xlsx) til ledelsen."""
    as_of = _as_of(pr_dato)
    config = api.load_plan(plan) if plan else None
    _notices(config.notices if config else (), stille)
    report = api.consolidate(_inputs(filer), ud, config, as_of, json_output=json_ud, export_folder=eksport,
                             pdf_output=pdf_ud, history_path=None if uden_historik else historik or api.DEFAULT_HISTORY,
                             progress=Progress("Læser", stille))
    _notices(report.notices, stille)
    if not stille:
        _print_report(report, as_of, ud, json_ud, pdf_ud)


LIGHT_COLOURS = {"rød": "red", "gul": "yellow", "grøn": "green"}  # trafiklys.yaml's keys, as a terminal shows them


def _print_report(report, as_of, ud: Path, json_ud: Path | None, pdf_ud: Path | None = None) -> None:
    result, development = report.consolidation, report.development
    files = len(result.reads) + len(result.not_counted)
    click.echo(f"Læste {count_of(files, 'projektmappe')} fra {count_of(len(result.teams), 'team')}, "
               f"opgjort pr. {as_of:%d-%m-%Y}:")
    width = max((len(t.team) for t in result.teams), default=10) + 2
    for team in result.teams:
        phases = "  ".join(f"F{pid} {s.share:.0%}" for pid, s in sorted(team.phases.items()) if s.share is not None)
        light = click.style(f"{team.light:5}", fg=LIGHT_COLOURS.get(api.light_key(team.light)))
        click.echo(f"  {team.team:{width}} {light} {len(team.overdue):>2} forsinket  {phases}")
    for name in result.missing_teams:
        click.echo(f"  {name:{width}} ikke modtaget")
    for left_out in result.not_counted:
        click.echo(f"  {left_out.notice}")
    problems = result.problems
    errors = count(problems, Severity.ERROR)
    warnings = count(problems, Severity.WARNING)
    click.echo(f"Problemer: {count_of(errors, 'fejl')}, {count_of(warnings, 'advarsel')} (se arket Problemer, eller kør 'xlplan tjek').")
    if development is not None:
        moved = api.changes_since_last(report)
        click.echo(f"{development.recorded.said}; {count_of(len(development.readings), 'aflæsning')} i historikken, "
                   f"{count_of(moved, 'ændring')} siden sidst (se arket Udvikling).")
    click.echo(f"Skrev {', '.join(str(p) for p in (ud, json_ud, pdf_ud) if p)}")


@main.command("historik", context_settings=CONTEXT, short_help="Vis eller ret historikken over aflæsninger.")
@option("--historik", "historik", old=("--history",), type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
        default=Path("xlplan-historik.sqlite"), help="Historikken (standard: xlplan-historik.sqlite).")
@click.option("--fjern", "fjern", type=int, metavar="NUMMER", help="Fjern aflæsning NUMMER fra historikken.")
@quiet_option()
def history_command(historik: Path, fjern: int | None, stille: bool):
    """Vis aflæsningerne i historikken, eller fjern én med --fjern NUMMER."""
    if not historik.exists():
        raise XlplanError(problem("HIS003", sti=str(historik)))
    if fjern is not None:
        api.remove_reading(historik, fjern)
        _say(stille, f"Aflæsning {fjern} er fjernet fra {historik}.")
        return
    rows = api.readings(historik)
    if not rows:
        _say(stille, f"Ingen aflæsninger i {historik}.")
        return
    _say(stille, f"{'Nr.':>3}  {'Aflæst':19}  {'Opgjort pr.':11}  {'Filer':>5}  {'Teams':>5}  Kommune")
    for r in rows:
        as_of = f"{r.as_of[8:10]}-{r.as_of[5:7]}-{r.as_of[:4]}"
        _say(stille, f"{r.id:>3}  {r.taken_at.replace('T', ' '):19}  {as_of:11}  {r.files:>5}  {r.teams:>5}  "
                     f"{r.municipality}")


@main.command("flyt", context_settings=CONTEXT, short_help="Flyt udfyldte projektmapper til den nye skabelon.")
@INPUTS
@option("-o", "--ud", "ud", old=("--out",), required=True, type=click.Path(path_type=Path), metavar="FIL_ELLER_MAPPE",
        help="Den nye projektmappe (én fil), eller en mappe til de nye projektmapper.")
@quiet_option()
def migrate_command(filer, ud: Path, stille: bool):
    """Flyt udfyldte projektmapper over på den nuværende skabelon, og fortæl, hvad der er flyttet,
    omdøbt eller uden plads (intet forsvinder uden besked)."""
    run = api.migrate(_inputs(filer), ud)
    for notice in run.notices:
        if notice.is_error or not stille:
            click.echo(f"  {notice}")
    for path, result in run.outcomes:
        if isinstance(result, XlplanError):
            report(result)
            continue
        target = result.target
        moved = ", ".join(f"{n} {label}" for label, n in result.moved.items() if n)
        _say(stille, f"{path.name} (version {result.from_version or '?'} → {result.to_version}): {target}")
        _say(stille, f"  Flyttet: {moved or 'intet'}")
        for note in result.notes:
            if note.is_error or not stille:
                click.echo(f"  {note.severity.label}: [{note.code}] {note.message} {note.fix}")
        for p in result.problems:
            if p.is_error or not stille:
                where = f"{p.sheet}!{p.cell} " if p.sheet and p.cell else ""
                click.echo(f"  {p.severity.label}: {where}[{p.code}] {p.message}")
    sys.exit(1 if run.failed else 0)


@main.command("serve", context_settings=CONTEXT, short_help="Hele forløbet i en browser: plan, indsendelser og status.")
@click.argument("mappe", default=Path("xlplan-web"), type=click.Path(file_okay=False, path_type=Path), metavar="[MAPPE]")
@option("-p", "--plan", "plan", old=("--config",), type=click.Path(dir_okay=False, path_type=Path), metavar="PLAN",
        help="Brug denne plan (plan.xlsx eller plan.toml); den gemmes i MAPPE som en ny version af planen.")
@click.option("--port", type=click.IntRange(0, 65535), default=serving.DEFAULT_PORT, show_default=True, metavar="NUMMER",
              help="Porten (0: en ledig).")
@option("--adresse", "adresse", old=("--host",), default=serving.LOOPBACK, show_default=True, metavar="ADRESSE",
        help="Den adresse, der lyttes på. Kun denne computer som standard; andre adresser kun bag kommunens "
             "webserver med HTTPS (se README).")
@option("--offentlig-adresse", "offentlig", old=("--public-url",), metavar="URL",
        help="Adressen, som teamene når xlplan på bag kommunens webserver, fx https://planer.kommune.dk "
             "(bruges i teamenes adresser).")
@option("--maks-mb", "maks_mb", old=("--max-mb",), type=click.IntRange(1, 1024), default=serving.MAX_UPLOAD_MB, show_default=True, metavar="MB",
        help="Den største fil, et team kan sende, i MB.")
@option("--opgjort-pr", "pr_dato", old=("--as-of",), metavar="DATO",
        help="Opgørelsesdato for forsinkelser (standard: dagen i dag), fx 15-06-2026.")
@quiet_option()
def serve_command(mappe: Path, plan: Path | None, port: int, adresse: str, offentlig: str | None, maks_mb: int,
                  pr_dato: str | None, stille: bool):
    """Start xlplan som en lokal webside: koordinatoren skriver planen, henter projektmapperne, ser hvert
    teams status og laver den samlede status; hvert team sender sin projektmappe på sin egen adresse og ser
    med det samme, hvad der skal rettes. Alt gemmes i MAPPE (standard: xlplan-web).

    Første linje er koordinatorens adresse med en hemmelig nøgle: åbn den i browseren, og del den ikke.
    Stop med Ctrl+C.
    """
    from xlplan.serving.server import is_loopback, prepare, serve

    as_of = _as_of(pr_dato) if pr_dato else None
    ws = prepare(mappe, plan)
    if not is_loopback(adresse):
        warning = problem("WEB008", adresse=adresse)
        click.echo(f"{warning.severity.label}: [{warning.code}] {warning.message} {warning.fix}", err=True)

    def announce(url: str) -> None:
        click.echo(url)
        if not stille:
            click.echo(f"Koordinatorens adresse (hemmelig). Alt gemmes i {mappe}/. Stop med Ctrl+C.", err=True)

    serve(ws, host=adresse, port=port, public_url=offentlig, max_upload_mb=maks_mb, as_of=as_of, announce=announce)


if __name__ == "__main__":
    main()
