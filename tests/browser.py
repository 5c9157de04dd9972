"""Open a page in headless Chromium, offline, and keep what it rendered: the DOM after scripts ran, stderr, a screenshot.

Import the `chromium` fixture into a test module to use it. Any fetch from
the network would fail: the profile is fresh and every request goes to a
dead proxy, so a page that still renders needed nothing from outside.
"""

import html
import json
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


@dataclass(frozen=True, slots=True)
class Box:
    """One rectangle an element's box takes on screen (an inline element broken over lines has one per line)."""

    element: int
    left: float
    top: float
    right: float
    bottom: float
    text: str
    stroke: float  # an SVG shape's outline width, which its box leaves out

    @property
    def drawn_width(self) -> float:
        return self.right - self.left + self.stroke

    def overlaps(self, other: "Box") -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom


@dataclass(frozen=True, slots=True)
class Layout:
    """What a page measured of itself in a frame `width` px wide."""

    width: int
    scroll_width: int
    boxes: list[Box]


_MEASURE = """<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var boxes = [];
    document.querySelectorAll(%s).forEach(function (element, i) {
      Array.prototype.forEach.call(element.getClientRects(), function (r) {
        if (r.width > 0 && r.height > 0) { boxes.push([i, r.left, r.top, r.right, r.bottom, element.textContent,
                                                parseFloat(getComputedStyle(element).strokeWidth) || 0]); }
      });
    });
    parent.postMessage(JSON.stringify({scroll: document.documentElement.scrollWidth, boxes: boxes}), "*");
  }, 1000);
});
</script>"""
_FRAME = """<!DOCTYPE html><body style="margin:0"><pre id="layout"></pre>
<script>window.addEventListener("message", function (e) { document.getElementById("layout").textContent = e.data; });</script>
<iframe src="%s" style="border:0;width:%dpx;height:%dpx"></iframe>"""


def measure_page(chromium: Path, page: Path, workdir: Path, selector: str, size: tuple[int, int] = PHONE) -> Layout:
    """Lay the page out in a frame of `size` and read back its document width and the boxes of `selector`.

    The page measures itself (a copy of it with a script added) and posts the figures to the frame's
    parent, whose DOM Chromium dumps: file pages cannot read each other's DOM, but they can message.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    copy = workdir / f"{page.stem}-measured.html"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", _MEASURE % json.dumps(selector) + "</body>"),
                    encoding="utf-8")
    frame = workdir / f"{page.stem}-frame-{size[0]}.html"
    frame.write_text(_FRAME % (copy.as_uri(), *size), encoding="utf-8")
    profile = workdir / f"profile-{size[0]}"
    run = subprocess.run([str(chromium), *FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0] + 20},{size[1]}",
                          "--dump-dom", frame.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="layout">(.*?)</pre>', run.stdout, re.S)
    assert found and found.group(1), f"the page did not report its layout: {run.stderr[-2000:]}"
    data = json.loads(html.unescape(found.group(1)))
    return Layout(size[0], data["scroll"], [Box(*box) for box in data["boxes"]])


def overlapping(boxes: list[Box]) -> list[tuple[Box, Box]]:
    """Pairs of boxes of different elements that cover each other."""
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.element != b.element and a.overlaps(b)]
