"""Open a page in headless Chromium, offline, and keep what it rendered: the DOM after scripts ran, stderr, a screenshot.

Import the `chromium` fixture into a test module to use it. Any fetch from
the network would fail: the profile is fresh and every request goes to a
dead proxy, so a page that still renders needed nothing from outside.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PHONE = (390, 844)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"]
EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*[\"']?(?:https?:)?//", re.I)
CSS_URL = re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I)


@dataclass(frozen=True, slots=True)
class Rendered:
    dom: str
    log: str
    screenshot: Path


INSTALL = "sudo apt-get install chromium"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium. Tests never install anything: without it the page tests skip, naming the command
    (`.ci/run` installs it on CI)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; install it with: {INSTALL}")
    return CHROMIUM


def open_page(chromium: Path, page: Path, workdir: Path, size: tuple[int, int] = PHONE) -> Rendered:
    """The DOM after scripts ran, the browser log, and a screenshot at `size` (a phone by default).

    Headless Chromium lays a page out at least 500 px wide whatever --window-size says, so the
    screenshot shows the page in an iframe of the phone's size, where its media queries apply.
    """
    profile = workdir / "profile"
    screenshot = workdir / f"{page.stem}.png"
    frame = workdir / f"{page.stem}-phone.html"
    frame.write_text(f'<!DOCTYPE html><body style="margin:0"><iframe src="{page.as_uri()}" '
                     f'style="border:0;width:{size[0]}px;height:{size[1]}px"></iframe>', encoding="utf-8")
    base = [str(chromium), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"]
    dom = subprocess.run([*base, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    shot = subprocess.run([*base, f"--screenshot={screenshot}", frame.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert screenshot.is_file(), shot.stderr[-2000:]
    return Rendered(dom.stdout, dom.stderr + shot.stderr, screenshot)


def console_errors(rendered: Rendered) -> list[str]:
    """Script errors: those the page's own hook wrote into #page-errors, and uncaught ones in the browser log."""
    hooked = re.search(r'<pre id="page-errors">(.*?)</pre>', rendered.dom, re.S)
    found = [hooked.group(1)] if hooked and hooked.group(1).strip() else []
    return found + [line for line in rendered.log.splitlines() if "Uncaught" in line or ":CONSOLE" in line and "rror" in line]


def external_resources(html: str) -> list[str]:
    """Elements or CSS that would fetch from another host; plain <a href> links are fine."""
    return [m.group(0) for m in EXTERNAL.finditer(html)] + [m.group(0) for m in CSS_URL.finditer(html)]
