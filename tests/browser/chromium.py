"""Debian's chromium, headless, driven by its own chromedriver through Selenium: a phone of 390 × 844."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH, HEIGHT = 390, 844
MISSING = (
    "Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver): "
    "apt-get install chromium chromium-driver (.ci/run installs them)"
)
_QUIET = (
    "--headless=new",
    "--no-sandbox",  # as root in CI, and in containers without user namespaces
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
)


def _gone(element: WebElement) -> bool:
    """Return True once the element's page has been replaced by another."""
    try:
        element.is_enabled()
    except WebDriverException:  # stale, or in chromium's words now and then "does not belong to the document"
        return True
    return False


def _loaded(driver: WebDriver) -> bool:
    return bool(driver.execute_script("return document.readyState === 'complete'"))


def installed() -> bool:
    """Return True when both the browser and its driver are installed."""
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


class Phone:
    """One headless chromium with a fresh profile and a phone's viewport (JavaScript on, or off)."""

    def __init__(self, *, scale: float = 1, javascript: bool = True) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
        options = Options()
        options.binary_location = str(CHROMIUM)
        for argument in (*_QUIET, f"--user-data-dir={self.profile}"):
            options.add_argument(argument)
        options.add_argument(f"--window-size={WIDTH},{HEIGHT}")
        if not javascript:  # chromedriver's own scripts still run; the pages' do not
            options.add_experimental_option(
                "prefs", {"profile.managed_default_content_settings.javascript": 2}
            )
        # chromedriver's own wait for a page hangs once pages may not run scripts: each step waits
        # here instead, until the page it brings has replaced the one before and has loaded.
        options.page_load_strategy = "none"
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
        self.scale = scale
        self.screen(HEIGHT)

    def screen(self, height: int) -> None:
        """Lay pages out as a phone 390 px wide does (its meta viewport honoured), `height` px tall.

        (chromedriver's own mobile emulation would add touch, whose taps hang once pages may not
        run scripts.)
        """
        metrics = {"width": WIDTH, "height": height, "deviceScaleFactor": self.scale, "mobile": True}
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)

    def press(self, text: str) -> None:
        """Tap the button showing this text and wait for the page it brings."""
        self.submit(self.driver.find_element(By.XPATH, f"//button[contains(., '{text}')]"))

    def submit(self, element: WebElement) -> None:
        """Tap an element that sends a form, and wait until the next page has replaced this one."""
        self._replacing(element.click)

    def tick(self, text: str) -> None:
        """Tap the checkbox labelled with this text (the page stays)."""
        self.driver.find_element(By.XPATH, f"//label[contains(., '{text}')]").click()

    def text(self) -> str:
        """Return the text the page shows."""
        return str(self.driver.find_element(By.TAG_NAME, "body").text)

    def open(self, url: str) -> None:
        """Open an address, as typing it or scanning a QR code does."""
        self._replacing(lambda: self.driver.get(url))

    def reload(self) -> None:
        """Reload the page, as pulling it down does."""
        self._replacing(self.driver.refresh)

    def _replacing(self, act: Callable[[], object]) -> None:
        """Act, then wait until another page has replaced this one and has loaded."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        act()
        WebDriverWait(self.driver, 10, poll_frequency=0.02).until(
            lambda driver: _gone(page) and _loaded(driver)
        )

    def forget(self) -> None:
        """Drop every cookie, as a fresh browser would have none."""
        self.driver.delete_all_cookies()

    def quit(self) -> None:
        """Close the browser and remove its profile."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
