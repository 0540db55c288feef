"""The PDF for the meeting: the briefing on the first page, then Overblik, Siden sidst, Udvikling and what
is overdue, laid out for A4 paper with ReportLab (see README: why ReportLab).

It shows what the Consolidation, the Development and the Briefing hold; nothing is decided here. The
texts come from data/pdf.yaml and the files the management workbook uses (resume.yaml, siden_sidst.yaml,
udvikling.yaml, trafiklys.yaml).
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from xml.sax.saxutils import escape

from xlplan import __version__
from xlplan.core import content
from xlplan.reporting.resume import Briefing, briefing
from xlplan.reporting.consolidate import Consolidation
from xlplan.core.errors import problem, XlplanError
from xlplan.reporting.progress import light_key, light_names, light_rules

NAVY, BLUE, GREY_LINE = "#1F3864", "#2F5597", "#BFBFBF"
MARGIN = 36  # points: half an inch
TEAM_COLORS = ["#2F5597", "#C55A11", "#548235", "#7030A0", "#BF8F00", "#00B0F0", "#FF66CC", "#7F7F7F"]


def write_meeting_pdf(c: Consolidation, development, path: Path, generated: dt.datetime | None = None) -> None:
    """Write the meeting PDF to `path` atomically."""
    from xlplan.core.atomic import write_atomic

    write_atomic(path, meeting_pdf(c, development, generated))


def meeting_pdf(c: Consolidation, development=None, generated: dt.datetime | None = None) -> bytes:
    try:
        import reportlab  # noqa: F401
    except ImportError:
        raise XlplanError(problem("PDF001")) from None
    return _Document(c, development, generated).build()


def texts() -> dict:
    return content.load_yaml("pdf.yaml")


ORPHAN_ROWS = 2


class _Document:
    """One PDF: a portrait page for the briefing, landscape pages for the tables and charts."""

    def __init__(self, c: Consolidation, development, generated):
        from reportlab.lib.styles import ParagraphStyle

        self.c, self.development, self.generated = c, development, generated
        self.said = texts()
        base = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=12)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=10.5),
            "note": ParagraphStyle("note", parent=base, fontName="Helvetica-Oblique", fontSize=8.5, leading=10.5,
                                   textColor="#595959"),
            "title": ParagraphStyle("title", parent=base, fontName="Helvetica-Bold", fontSize=18, leading=22,
                                    textColor=NAVY),
            "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=14, textColor="#404040"),
            "lead": ParagraphStyle("lead", parent=base, fontName="Helvetica-Bold", fontSize=11, leading=14,
                                   textColor=NAVY, spaceBefore=4),
            "heading": ParagraphStyle("heading", parent=base, fontName="Helvetica-Bold", fontSize=12.5, leading=16,
                                      textColor=NAVY, spaceBefore=10, spaceAfter=4),
            "point": ParagraphStyle("point", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=1.5),
            "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.2),
            # A header too wide for its column breaks where the text has a hyphen ('Mål over-' / 'skredet'),
            # never inside a word ('over-s' / 'kredet').
            "header": ParagraphStyle("header", parent=base, fontName="Helvetica-Bold", fontSize=8.5, leading=10,
                                     textColor="#FFFFFF", embeddedHyphenation=1, splitLongWords=0),
        }

    def build(self) -> bytes:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

        buffer = io.BytesIO()
        doc = BaseDocTemplate(buffer, pagesize=A4, title=self._title(), author="xlplan",
                              subject=self.said["titel"], creator=f"xlplan {__version__}", invariant=True,
                              leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 14, bottomMargin=MARGIN + 10)
        portrait_frame = Frame(MARGIN, MARGIN + 10, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN - 24, id="p")
        wide = landscape(A4)
        landscape_frame = Frame(MARGIN, MARGIN + 10, wide[0] - 2 * MARGIN, wide[1] - 2 * MARGIN - 24, id="l")
        doc.addPageTemplates([PageTemplate("stående", [portrait_frame], pagesize=A4, onPage=self._page_header),
                              PageTemplate("liggende", [landscape_frame], pagesize=wide, onPage=self._page_header)])
        self.width = {"stående": A4[0] - 2 * MARGIN, "liggende": wide[0] - 2 * MARGIN}
        from reportlab.platypus import KeepInFrame, KeepTogether, Paragraph, Spacer

        # The briefing is one page: a national plan's thirty teams are set a little smaller to fit.
        story = [KeepInFrame(portrait_frame._aW, portrait_frame._aH, self._briefing(briefing(self.c, self.development)),
                             mode="shrink")]
        story += [NextPageTemplate("liggende"), PageBreak()]
        story += self._overview()
        for part in (self._changes(), self._development(), self._overdue()):
            if part and all(isinstance(item, Paragraph) for item in part):
                # A heading and a note ("this is the first reading"): under what is on the page, not a page alone.
                story += [Spacer(1, 12), KeepTogether(part)]
            elif part:
                story += [PageBreak()] + part
        doc.build(story, canvasmaker=_numbered_canvas(self._page_label))
        return buffer.getvalue()

    # -------------------------------------------------------------- helpers

    def _title(self) -> str:
        return f"{self.said['titel']} – {self.c.municipality}" if self.c.municipality else self.said["titel"]

    def _page_header(self, canvas, doc) -> None:
        date = f"{self.c.as_of:%d-%m-%Y}"
        text = self.said["sidehoved"].format(kommune=self.c.municipality, dato=date) if self.c.municipality else \
            self.said["sidehoved_uden_kommune"].format(dato=date)
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor("#404040")
        canvas.drawString(MARGIN, height - MARGIN, text)
        canvas.drawRightString(width - MARGIN, height - MARGIN, f"xlplan {__version__}")
        canvas.setStrokeColor(GREY_LINE)
        canvas.line(MARGIN, height - MARGIN - 4, width - MARGIN, height - MARGIN - 4)
        canvas.restoreState()

    def _page_label(self, number: int, total: int) -> str:
        return self.said["side"].format(nr=number, antal=total)

    def p(self, text, style="cell"):
        from reportlab.platypus import Paragraph

        return Paragraph(escape("" if text is None else str(text)), self.styles[style])

    def header_cells(self, names):
        return [self.p(name, "header") for name in names]

    def table(self, rows, widths, extra_styles=(), repeat=1):
        from reportlab.platypus import Table, TableStyle

        # A table that breaks across pages leaves at least ORPHAN_ROWS rows on each side of the break: never a
        # row alone under a repeated header, nor alone at the foot of a page.
        body = len(rows) - repeat
        split = (repeat + ORPHAN_ROWS, len(rows) - ORPHAN_ROWS) if body >= 2 * ORPHAN_ROWS else None
        table = Table(rows, colWidths=widths, repeatRows=repeat, hAlign="LEFT", rowSplitRange=split)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, repeat - 1), BLUE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, GREY_LINE),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra_styles]))
        return table

    @staticmethod
    def light_colours(key: str) -> tuple[str, str]:
        from xlplan.xlsx.styles import LIGHT_COLORS

        return LIGHT_COLORS.get(key, ("#FFFFFF", "#000000"))

    # -------------------------------------------------------------- the parts

    def _briefing(self, b: Briefing) -> list:
        from reportlab.platypus import Spacer

        said = b.texts
        story = [self.p(b.title, "title"), self.p(b.subtitle, "subtitle"), Spacer(1, 6), self.p(b.summary, "lead")]
        if b.since:
            story.append(self.p(b.since, "note"))
        story.append(self.p(said["beslutninger_overskrift"], "heading"))
        for point in b.decisions:
            paragraph = self.p(point, "point")
            paragraph.bulletText = "•"
            story.append(paragraph)
        story.append(self.p(said["teams_overskrift"], "heading"))
        columns = said["kolonner"]
        rows = [self.header_cells([columns["team"], columns["lys"], columns["hvorfor"], columns["udvikling"]])]
        styles = []
        for i, line in enumerate(b.teams, 1):
            fill, font = self.light_colours(line.light_key)
            styles += [("BACKGROUND", (1, i), (1, i), fill)]
            light = self.p(line.light)
            light.style = light.style.clone("light", textColor=font, fontName="Helvetica-Bold", alignment=1)
            rows.append([self.p(line.team), light, self.p(line.reason), self.p(line.trend)])
        width = self.width["stående"]
        story.append(self.table(rows, [0.22 * width, 0.12 * width, 0.41 * width, 0.25 * width], styles))
        story += [Spacer(1, 6), self.p(said["note"], "note")]
        return story

    def _overview(self) -> list:
        from reportlab.platypus import Spacer

        said = self.said["overblik"]
        phases = content.phases()
        columns = said["kolonner_før_faserne"] + [f"Fase {p.id} {p.short}" for p in phases] + \
            said["kolonner_efter_faserne"]
        rows = [self.header_cells(columns)]
        styles = []
        for i, team in enumerate(self.c.teams, 1):
            shares = [team.phases[p.id].share if p.id in team.phases else None for p in phases]
            nxt = team.next_deadline
            rows.append([self.p(team.team), self.p(team.light)] + [self.p(_percent(s)) for s in shares] +
                        [self.p(_percent(team.checklist.share)),
                         self.p(f"{team.finished} / {team.activities_total}"), self.p(len(team.overdue)),
                         self.p(team.overdue_goals), self.p(len(team.unowned)), self.p(team.open_risks),
                         self.p(f"{nxt.date:%d-%m-%Y}" if nxt else "")])
            fill, _font = self.light_colours(light_key(team.light))
            styles.append(("BACKGROUND", (1, i), (1, i), fill))
        missing = light_names()["ikke_modtaget"]
        for name in self.c.missing_teams:
            rows.append([self.p(name), self.p(missing)] + [""] * (len(columns) - 2))
            styles.append(("BACKGROUND", (1, len(rows) - 1), (1, len(rows) - 1),
                           self.light_colours("ikke_modtaget")[0]))
        width = self.width["liggende"]
        narrow = 0.74 * width / (len(columns) - 2)
        widths = [0.18 * width, 0.08 * width] + [narrow] * (len(columns) - 2)
        story = [self.p(said["overskrift"], "heading"), self.table(rows, widths, styles), Spacer(1, 8),
                 self.p(said["regel"], "heading")]
        rule_rows, rule_styles = [], []
        for i, (light, meaning) in enumerate(light_rules().items()):
            fill, font = self.light_colours(light_key(light))
            rule_rows.append([self.p(light), self.p(meaning)])
            rule_styles.append(("BACKGROUND", (0, i), (0, i), fill))
        from reportlab.platypus import Table, TableStyle

        rule = Table(rule_rows, colWidths=[0.12 * width, 0.7 * width], hAlign="LEFT")
        rule.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GREY_LINE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  *rule_styles]))
        story.append(rule)
        return story

    def _changes(self) -> list:
        from xlplan.reporting.history import change_kinds, ordered_changes

        said = self.said["siden_sidst"]
        story = [self.p(said["overskrift"], "heading")]
        dev = self.development
        if dev is None:
            return story + [self.p(said["ingen_historik"], "note")]
        sheet = content.load_yaml("siden_sidst.yaml")["ark"]
        if dev.compared is None:
            return story + [self.p(sheet["første"], "note")]
        before, now = dev.compared
        story.append(self.p(sheet["undertitel"].format(før=before.label, nu=now.label), "note"))
        changes = ordered_changes(self.c, dev)
        if not changes:
            return story + [self.p(sheet["ingen"], "note")]
        columns = sheet["kolonner"]
        rows = [self.header_cells([columns[k] for k in ("team", "ændring", "hvad", "før", "nu")])]
        tones = {key: kind["tone"] for key, kind in change_kinds().items()}
        fills = {"god": "#C6EFCE", "dårlig": "#FFC7CE"}
        styles = []
        for i, ch in enumerate(changes, 1):
            rows.append([self.p(ch.team), self.p(ch.label), self.p(ch.what), self.p(_shown(ch.before)),
                         self.p(_shown(ch.now))])
            if tones[ch.kind] in fills:
                styles.append(("BACKGROUND", (1, i), (1, i), fills[tones[ch.kind]]))
        width = self.width["liggende"]
        story.append(self.table(rows, [0.17 * width, 0.15 * width, 0.44 * width, 0.12 * width, 0.12 * width],
                                styles))
        return story

    def _development(self) -> list:
        said = self.said["udvikling"]
        dev = self.development
        if dev is None:
            return []
        story = [self.p(said["overskrift"], "heading")]
        if dev.compared is None:
            return story + [self.p(said["for_få"], "note")]
        from xlplan.reporting.development import _figures, SHOWN_READINGS, team_order, texts as sheet_texts

        teams = team_order(self.c, dev)
        before, now = dev.compared
        story.append(self.p(said["tabel"].format(før=before.label, nu=now.label), "note"))
        rows = [self.header_cells(said["kolonner"])]
        for team in teams:
            was, is_ = dev.before_and_now(team)
            cells = [team]
            for name, shown in (("light", str), ("share", _percent), ("finished", str), ("overdue", str)):
                cells += [_figure(was, name, shown), _figure(is_, name, shown)]
            rows.append([self.p(v) for v in cells])
        width = self.width["liggende"]
        story.append(self.table(rows, [0.2 * width] + [0.1 * width] * 8))
        if len(teams) > said["højst_teams_i_kurver"]:
            return story
        from reportlab.platypus import Table

        readings = dev.readings[-SHOWN_READINGS:]
        titles = said["kurver"]
        charts = []
        for (key, (_title, values, percent, _phase)) in zip(("kriterier", "afsluttet", "forsinket"),
                                                            _figures(dev, sheet_texts())):
            shown = [t for t in teams if any(values.get(t, {}).get(r.id) is not None for r in readings)]
            if shown:
                charts.append(self._line_chart(titles[key], shown, readings, values, percent))
        story.append(Table([charts], colWidths=[width / len(charts)] * len(charts), hAlign="LEFT"))
        return story

    def _line_chart(self, title, teams, readings, values, percent):
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.charts.linecharts import HorizontalLineChart
        from reportlab.graphics.shapes import Drawing, String
        from reportlab.lib import colors

        from xlplan.reporting.development import axis_range

        drawing = Drawing(250, 230)
        drawing.add(String(125, 214, title, fontName="Helvetica-Bold", fontSize=9, textAnchor="middle",
                           fillColor=colors.HexColor(NAVY)))
        chart = HorizontalLineChart()
        chart.x, chart.y, chart.width, chart.height = 35, 80, 200, 120
        data = [[values.get(team, {}).get(r.id) for r in readings] for team in teams]
        chart.data = data  # a reading without the team's figure is a gap in its line
        chart.categoryAxis.categoryNames = [r.label for r in readings]
        chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "Helvetica"
        chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
        low, high, step = axis_range([v for row in data for v in row if v is not None], percent)
        chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = low, high, step
        chart.valueAxis.labelTextFormat = (lambda v: f"{v:.0%}") if percent else "%d"
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
        for i, _team in enumerate(teams):
            chart.lines[i].strokeColor = colors.HexColor(TEAM_COLORS[i % len(TEAM_COLORS)])
            chart.lines[i].strokeWidth = 1.5
        drawing.add(chart)
        legend = Legend()
        legend.x, legend.y = 35, 58
        legend.fontName, legend.fontSize = "Helvetica", 6.5
        legend.columnMaximum = 4
        legend.deltay, legend.deltax = 9, 105
        legend.alignment = "right"
        legend.dx = legend.dy = 5
        legend.colorNamePairs = [(colors.HexColor(TEAM_COLORS[i % len(TEAM_COLORS)]), team[:28])
                                 for i, team in enumerate(teams)]
        drawing.add(legend)
        return drawing

    def _overdue(self) -> list:
        said = self.said["forsinket"]
        story = [self.p(said["overskrift"], "heading"), self.p(said["forklaring"], "note")]
        rows = [self.header_cells(said["kolonner"])]
        styles = []
        for team in self.c.teams:
            for label, items in ((said["forsinket"], team.overdue), (said["kommende"], team.upcoming)):
                for item in items:
                    rows.append([self.p(team.team), self.p(f"{label}: {item.kind}"), self.p(item.text),
                                 self.p(f"{item.date:%d-%m-%Y}"), self.p(item.responsible), self.p(item.status)])
                    if items is team.overdue:
                        styles.append(("BACKGROUND", (1, len(rows) - 1), (1, len(rows) - 1), "#FFC7CE"))
        if len(rows) == 1:
            return story + [self.p(said["ingen"], "note")]
        width = self.width["liggende"]
        story.append(self.table(rows, [0.16 * width, 0.14 * width, 0.4 * width, 0.09 * width, 0.12 * width,
                                       0.09 * width], styles))
        return story


def _percent(value) -> str:
    return "" if value is None else f"{value:.0%}"


def _figure(figures, name: str, shown) -> str:
    value = getattr(figures, name) if figures is not None and (figures.received or name == "light") else None
    return "" if value is None else shown(value)


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return "" if value is None else str(value)


def _numbered_canvas(label):
    """A canvas that writes 'Side n af m' on every page once the number of pages is known."""
    from reportlab.pdfgen import canvas as pdfcanvas

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont("Helvetica", 8)
                self.setFillColor("#404040")
                self.drawRightString(width - MARGIN, MARGIN - 4, label(number, total))
                super().showPage()
            super().save()

    return NumberedCanvas
