"""Named cell styles. Plain property dicts in XlsxWriter's vocabulary; only the writer interprets them.

Input styles are unlocked so that a protected sheet still lets users fill them.
"""
from __future__ import annotations

FONT = "Calibri"
DATE_FORMAT = "dd-mm-yyyy"

# Colours: a calm blue for structure, a pale yellow for cells the team fills in.
NAVY = "#1F3864"
BLUE = "#2F5597"
PALE_BLUE = "#DDEBF7"
INPUT = "#FFFBEA"
GREY = "#F2F2F2"
BORDER_GREY = "#BFBFBF"

STATUS_COLORS = {
    # value -> (fill, font)
    "Opfyldt": ("#C6EFCE", "#006100"),
    "Afsluttet": ("#C6EFCE", "#006100"),
    "Lukket": ("#C6EFCE", "#006100"),
    "I gang": ("#FFEB9C", "#7F6000"),
    "Under håndtering": ("#FFEB9C", "#7F6000"),
    "Forsinket": ("#FFC7CE", "#9C0006"),
    "Åben": ("#FCE4D6", "#833C0B"),
    "Udsat": ("#EDEDED", "#595959"),
    "Aflyst": ("#EDEDED", "#7F7F7F"),
    "Ikke relevant": ("#EDEDED", "#7F7F7F"),
}

_base = {"font_name": FONT, "font_size": 10, "valign": "top"}
_input = {**_base, "locked": False, "bg_color": INPUT, "border": 1, "border_color": BORDER_GREY, "text_wrap": True}

STYLES: dict[str, dict] = {
    "text": {**_base},
    "wrap": {**_base, "text_wrap": True},
    "small": {**_base, "font_size": 9, "text_wrap": True, "font_color": "#404040"},
    "note": {**_base, "font_size": 9, "italic": True, "font_color": "#595959", "text_wrap": True},
    "title": {**_base, "font_size": 16, "bold": True, "font_color": NAVY, "valign": "vcenter"},
    "subtitle": {**_base, "font_size": 11, "font_color": "#404040", "valign": "vcenter"},
    "heading": {**_base, "font_size": 12, "bold": True, "font_color": NAVY, "bottom": 2, "bottom_color": BLUE},
    "label": {**_base, "bold": True, "bg_color": PALE_BLUE, "border": 1, "border_color": BORDER_GREY, "text_wrap": True},
    "header": {**_base, "bold": True, "font_color": "#FFFFFF", "bg_color": BLUE, "border": 1,
               "border_color": "#FFFFFF", "text_wrap": True, "valign": "vcenter"},
    "header_center": {**_base, "bold": True, "font_color": "#FFFFFF", "bg_color": BLUE, "border": 1,
                      "border_color": "#FFFFFF", "text_wrap": True, "align": "center", "valign": "vcenter"},
    "group": {**_base, "bold": True, "font_size": 11, "font_color": NAVY, "bg_color": PALE_BLUE, "border": 1,
              "border_color": BORDER_GREY},
    "group_text": {**_base, "font_size": 9, "italic": True, "font_color": "#404040", "bg_color": "#F7FAFD",
                   "text_wrap": True, "border": 1, "border_color": BORDER_GREY},
    "fixed": {**_base, "text_wrap": True, "border": 1, "border_color": BORDER_GREY, "bg_color": "#FFFFFF"},
    "fixed_sub": {**_base, "text_wrap": True, "border": 1, "border_color": BORDER_GREY, "indent": 2,
                  "font_color": "#404040"},
    "fixed_center": {**_base, "border": 1, "border_color": BORDER_GREY, "align": "center"},
    "input": {**_input},
    "input_date": {**_input, "num_format": DATE_FORMAT, "align": "center", "text_wrap": False},
    "input_center": {**_input, "align": "center"},
    "input_period": {**_input, "num_format": "@"},  # Text: what is typed stays as typed
    # A date cell holding the text a team typed where no date could be read ('løbende'): wrapped and from the
    # left, so that all of it shows in a narrow date column; the date format stays for the date typed instead.
    "input_date_text": {**_input, "num_format": DATE_FORMAT, "align": "left", "text_wrap": True},
    "formula": {**_base, "border": 1, "border_color": BORDER_GREY, "bg_color": GREY, "align": "center"},
    "percent": {**_base, "border": 1, "border_color": BORDER_GREY, "bg_color": GREY, "num_format": "0%",
                "align": "center", "bold": True},
    "count": {**_base, "border": 1, "border_color": BORDER_GREY, "bg_color": GREY, "num_format": "0",
              "align": "center"},
    "date": {**_base, "num_format": DATE_FORMAT},
    "week": {**_base, "font_size": 7, "align": "center", "valign": "vcenter", "rotation": 90, "bg_color": PALE_BLUE,
             "border": 1, "border_color": "#FFFFFF", "num_format": "dd-mm"},
    "week_number": {**_base, "font_size": 7, "align": "center", "bold": True, "font_color": NAVY,
                    "bg_color": PALE_BLUE, "border": 1, "border_color": "#FFFFFF"},
    # Unlocked, so a procesplan row (timeline included) can be deleted on the protected sheet.
    "gantt": {**_base, "border": 1, "border_color": "#E7E6E6", "locked": False},
    # The style of a whole row whose rows the team may delete: every cell of a row must be unlocked for
    # LibreOffice and Excel to delete it on a protected sheet, also the cells beside the table.
    "open_row": {**_base, "locked": False},
    "meta_key": {**_base, "bold": True},
    "meta": {**_base},
    "date_cell": {**_base, "num_format": DATE_FORMAT, "border": 1, "border_color": BORDER_GREY, "align": "center"},
    "wrap_border": {**_base, "text_wrap": True, "border": 1, "border_color": BORDER_GREY},
    "unfilled": {**_base, "italic": True, "font_color": "#9C0006", "bg_color": "#FFC7CE", "border": 1,
                 "border_color": BORDER_GREY},
    "week_date": {**_base, "font_size": 7, "align": "center", "valign": "vcenter", "rotation": 90,
                  "bg_color": PALE_BLUE, "border": 1, "border_color": "#FFFFFF", "num_format": "dd-mm"},
    "link": {**_base, "font_color": "#0563C1", "underline": 1, "border": 1, "border_color": BORDER_GREY},
    # Conditional-format styles (fill, font and border only)
    "cf_gantt": {"bg_color": "#5B9BD5"},
    "cf_gantt_done": {"bg_color": "#A9D08E"},
    "cf_today": {"bg_color": "#C00000", "font_color": "#FFFFFF"},
    "cf_today_light": {"bg_color": "#F8CBAD"},
    "cf_overdue": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
}

for _value, (_fill, _font) in STATUS_COLORS.items():
    STYLES[f"cf_status_{_value}"] = {"bg_color": _fill, "font_color": _font}

# By the lights' keys in data/trafiklys.yaml.
LIGHT_COLORS = {"rød": ("#FF7C80", "#7F0000"), "gul": ("#FFE699", "#7F6000"), "grøn": ("#A9D08E", "#375623"),
                "ikke_udfyldt": ("#EDEDED", "#595959"), "ikke_modtaget": ("#D9D9D9", "#404040")}
for _value, (_fill, _font) in LIGHT_COLORS.items():
    STYLES[f"cf_light_{_value}"] = {"bg_color": _fill, "font_color": _font, "bold": True}
    STYLES[f"light_{_value}"] = {**_base, "bg_color": _fill, "font_color": _font, "bold": True, "align": "center",
                                 "border": 1, "border_color": BORDER_GREY}


# The management timeline's bars: a Procesplan's Gantt colours, each week set apart by a white line.
for _gantt in ("cf_gantt", "cf_gantt_done"):
    STYLES[_gantt.replace("gantt", "bar")] = {**STYLES[_gantt], "border": 1, "border_color": "#FFFFFF"}

# A problem cell in an annotated copy: the input style it had, in the colour of its problem.
INPUT_STYLES = ("input", "input_date", "input_center", "input_period", "input_date_text")
for _input in INPUT_STYLES:
    STYLES[f"annotated_error_{_input}"] = {**STYLES[_input], "bg_color": "#FFC7CE", "border": 2,
                                           "border_color": "#C00000"}
    STYLES[f"annotated_warning_{_input}"] = {**STYLES[_input], "bg_color": "#FFEB9C", "border": 2,
                                             "border_color": "#BF8F00"}


def input_style(kind: str) -> str:
    return {"date": "input_date", "period": "input_period", "choice": "input_center",
            "scale": "input_center"}.get(kind, "input")

# An overdue activity's bar on the management timeline.
STYLES["cf_bar_overdue"] = {"bg_color": "#E06666", "border": 1, "border_color": "#FFFFFF"}

# Colour scales, low - middle - high. A share met is blue, so that it is never read as a traffic light;
# a risk score goes from green to red.
SHARE_SCALE = ("#FFFFFF", "#BDD7EE", "#5B9BD5")
RISK_SCALE = ("#C6EFCE", "#FFEB9C", "#FFC7CE")

# Legend cells: a colour that carries meaning, with the meaning written in it.
for _name, _style in list(STYLES.items()):
    if _name.startswith("cf_"):
        STYLES["legend_" + _name] = {**_base, "border": 1, "border_color": BORDER_GREY, "align": "center",
                                     "text_wrap": True, **{k: v for k, v in _style.items() if k != "border_color"}}
for _scale, _colors in (("share", SHARE_SCALE), ("risk", RISK_SCALE)):
    for _i, _color in enumerate(_colors):
        STYLES[f"legend_{_scale}_{_i}"] = {**_base, "bg_color": _color, "border": 1, "border_color": BORDER_GREY,
                                           "align": "center"}
STYLES["legend_title"] = {**_base, "bold": True, "font_color": NAVY, "align": "right"}
# The briefing (Resumé): a lead sentence, and the points that need a decision.
STYLES["briefing_lead"] = {**_base, "font_size": 11, "bold": True, "text_wrap": True, "font_color": NAVY}
STYLES["briefing_point"] = {**_base, "text_wrap": True, "indent": 1}
