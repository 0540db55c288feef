"""Screenshots of `xlplan serve`'s pages for the README, taken in the real Chromium the browser tests use
(docs/serve/*.png): the loop of tests/test_serve_browser.py walked again, with a picture at each page.

Usage: python tools/serve_screenshots.py   (needs /usr/bin/chromium, Playwright and LibreOffice)

The browser's own words (the file input's "Vælg fil") are Danish when Chromium has its Danish resources
(Debian: apt-get install chromium-l10n); otherwise they are English in the pictures.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import launch, running_server  # noqa: E402
from test_serve_browser import (CORRECT, PHONE, PLAN, SILENT, WITH_ERRORS, download, fill_by_typing,  # noqa: E402
                                fill_plan_form, fill_with_mistakes, row_of, save_plan, team_address, upload)

OUT = ROOT / "docs" / "serve"
DESKTOP = {"width": 1100, "height": 760}


def shot(page, name: str, full_page: bool = True, height: int | None = None) -> None:
    """The page as it is, the whole page or its first `height` pixels."""
    target = OUT / f"{name}.png"
    if height:
        page.screenshot(path=target, clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height},
                        full_page=True)
    else:
        page.screenshot(path=target, full_page=full_page)
    print(f"Skrev {target.relative_to(ROOT)}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlplan-skærmbilleder-") as work, sync_playwright() as playwright:
        work = Path(work)
        # The browser's own words in Danish; headless Chromium takes its language from LANGUAGE, not --lang.
        browser = launch(playwright, env=dict(os.environ, LANGUAGE="da"))
        with running_server(work / "xlplan-web") as server:
            desktop = browser.new_context(locale="da-DK", viewport=DESKTOP)
            coordinator = desktop.new_page()
            coordinator.goto(server.url)
            fill_plan_form(coordinator, PLAN, Startdato="31-02-2026")
            coordinator.get_by_role("button", name="Gem planen").click()
            coordinator.wait_for_load_state()
            shot(coordinator, "plan-med-fejl", height=1000)
            coordinator.get_by_role("textbox", name="Startdato", exact=True).fill(PLAN.fields["Startdato"])
            save_plan(coordinator)
            coordinator.get_by_role("link", name="Status", exact=True).click()
            shot(coordinator, "tavle-foer")

            addresses = {name: team_address(coordinator, name) for name, *_ in PLAN.teams}
            blanks = {name: download(coordinator, row_of(coordinator, name).get_by_role("link", name="Projektmappe"),
                                     work) for name in (CORRECT, WITH_ERRORS)}
            correct = fill_by_typing(blanks[CORRECT], work / "Familieteamet udfyldt.xlsx")
            wrong = fill_with_mistakes(blanks[WITH_ERRORS], work / "Børne- og ungeteamet - projektmappe.xlsx")

            team = desktop.new_page()
            team.goto(addresses[WITH_ERRORS])
            shot(team, "team")
            upload(team, addresses[CORRECT], correct.path)
            upload(team, addresses[WITH_ERRORS], wrong.path)
            shot(team, "indsendt-med-fejl")

            coordinator.reload()
            shot(coordinator, "tavle-efter")
            coordinator.get_by_role("button", name="Lav samlet status nu").click()
            coordinator.wait_for_url(re.compile(r"/samlet$"))
            shot(coordinator, "samlet")

            phone = browser.new_context(locale="da-DK", viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                        has_touch=True).new_page()
            phone.goto(server.url)
            shot(phone, "tavle-telefon")
            phone.goto(addresses[SILENT])
            shot(phone, "team-telefon")
        browser.close()


if __name__ == "__main__":
    main()
