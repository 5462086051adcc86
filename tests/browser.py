"""Headless Chromium for the HTML report tests: what rendered, was logged, was fetched."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="needs the chromium and chromium-driver packages"
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "devtools:")


@dataclass
class PageVisit:
    """What the browser saw on one page."""

    figures: int
    drawn: int
    console_errors: list[str]
    remote_requests: list[str]
    alerts: int
    injected: int


def browser():
    """A headless Chromium driven by chromedriver, logging console and network events."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def visit(driver, page: Path, wait: float = 20.0) -> PageVisit:
    """Open a page, wait for its figures, and report figures, errors, requests, injections."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.resolve().as_uri())
    # count calls to alert() and elements the page's own scripts did not put there
    driver.execute_script("window.__alerts = 0; window.alert = () => { window.__alerts += 1; };")
    count = "return document.querySelectorAll('div.plotly-graph-div').length"
    drawn = "return document.querySelectorAll('div.plotly-graph-div svg.main-svg').length"
    figures = driver.execute_script(count)
    WebDriverWait(driver, wait).until(
        lambda d: d.execute_script(drawn) >= 2 * figures  # plotly draws two svg layers
    )
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    remote = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES):
                remote.append(url)
    injected = driver.execute_script(
        "return document.querySelectorAll("
        "'[data-injected], img[onerror], a[href^=\"javascript:\"]').length"
    )
    return PageVisit(
        figures=figures,
        drawn=driver.execute_script(
            "return [...document.querySelectorAll('div.plotly-graph-div')]"
            ".filter(d => d.querySelector('svg.main-svg')).length"
        ),
        console_errors=errors,
        remote_requests=remote,
        alerts=driver.execute_script("return window.__alerts"),
        injected=injected,
    )
