"""Look at a screen as a person does, and say what is wrong with it in words.

`Person(page, base)` listens to the page from the moment it is attached: console errors,
uncaught exceptions, failed requests, answers of 400 and more, requests to any host other
than the paper's own. `person.look("name")` then takes the screen's screenshot and adds what
the DOM shows: visible images that did not load, the same id/main/h1/form/landmark twice,
English words on a Vietnamese screen, and axe-core's accessibility violations. Every problem
is kept with the screen it was seen on; `person.assert_all_fine()` fails the walk with the
whole list, so one run tells every defect of the walk, not just the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from .conftest import ARTIFACTS


def _lines(name: str) -> list[str]:
    """A list kept beside this file: one entry a line, # for comments."""
    lines = Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# English words of user interfaces (english_words.txt: why each is safe to count).
ENGLISH_WORDS = frozenset(word for line in _lines("english_words.txt") for word in line.split())

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")  # whole words: "Tiếng" is not "Ti", "ng"


def allowed_english() -> list[str]:
    """The proper names and fixed terms that may stand on a Vietnamese screen."""
    return _lines("allowed_english.txt")


def english_words(text: str, allowed: list[str]) -> list[str]:
    """The English UI words of a text, after taking out the allowed names."""
    for name in allowed:
        text = text.replace(name, " ")
    return [w for w in _WORD.findall(text) if w.isascii() and w.lower() in ENGLISH_WORDS]


# What the page shows, read in the browser (person.js).
_READ_SCREEN = Path(__file__).with_name("person.js").read_text(encoding="utf-8")


@dataclass
class Screen:
    name: str
    url: str
    problems: list[str] = field(default_factory=list)


class Person:
    """A person in front of one browser page of the paper at `base`."""

    def __init__(
        self,
        page,
        base: str,
        *,
        language: str = "vi",
        allowed_english: tuple[str, ...] = (),
        axe: bool = True,
    ):
        """`allowed_english`: texts this person may see besides allowed_english.txt, such
        as the English edition's own titles in the staff's lists."""
        self.page = page
        self.allowed_english = allowed_english
        self.language = language
        self.base = base
        self.host = urlsplit(base).netloc
        self.axe = axe
        self.screens: list[Screen] = []
        self._heard: list[str] = []
        self._expected: dict[str, int] = {}  # URL → the error status a walk means to see
        self._asked: dict[str, str] = {}  # URL → how far its request got, for images not shown
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._heard.append(f"JavaScript error: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    # --- what the page says while it works ------------------------------------------------
    def _console(self, message) -> None:
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        if location in self._expected and "Failed to load resource" in message.text:
            return
        text = message.text.split("\n    at ")[0]  # the message, not its stack
        text = " ".join(re.sub(r"%[sdoOfc]", " ", text).split())
        self._heard.append(f"console error: {_short(text, 300)} ({location})")

    def _request(self, request) -> None:
        self._asked[request.url] = "asked, no answer"
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self._heard.append(f"request to another host: {request.url}")

    def _request_failed(self, request) -> None:
        if urlsplit(request.url).netloc != self.host:
            return  # already told as a request to another host
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            return  # cut short by the next page (a click that navigates, a download)
        self._heard.append(f"request failed: {request.url} ({failure})")

    def _response(self, response) -> None:
        self._asked[response.url] = f"HTTP {response.status}"
        if response.status >= 400 and self._expected.get(response.url) != response.status:
            self._heard.append(f"HTTP {response.status}: {response.url}")

    # --- walking ---------------------------------------------------------------------------
    def visit(self, path: str, status: int = 200):
        """Go to a path of the paper; a walk that means to see an error page says its status."""
        url = self.base + path if path.startswith("/") else path
        if status != 200:
            self._expected[url] = status
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert response is not None and response.status == status, (
            f"{url}: HTTP {response and response.status}, expected {status}"
        )
        return response

    def look(
        self, name: str, *, language: str = "", axe: bool | None = None, full_page: bool = True
    ) -> Screen:
        """Take the screen as it is now: screenshot, then everything a person would notice."""
        page = self.page
        page.wait_for_load_state("networkidle")
        _scroll_through(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
        page.evaluate(_WAIT_FOR_IMAGES, 12)  # a person waits ~5 s; a loaded CI machine is slower
        screen = Screen(name, page.url, self._heard)
        self._heard = []
        seen = page.evaluate(_READ_SCREEN)
        screen.problems += _dom_problems(seen)
        screen.problems += [
            f"image not shown: {src} ({self._asked.get(src, 'never asked for')})"
            for src in seen["broken"]
        ]
        language = language or self.language
        if not seen["lang"].lower().startswith(language):
            screen.problems.append(f"a screen in {seen['lang'] or '?'!r}, not in {language!r}")
        if seen["lang"].lower().startswith("vi"):
            allowed = allowed_english() + sorted(self.allowed_english, key=len, reverse=True)
            for item in seen["texts"]:
                words = english_words(item["text"], allowed)
                if words:
                    screen.problems.append(
                        f"English on a Vietnamese screen ({', '.join(dict.fromkeys(words))}): "
                        f"{_short(item['text'])!r} in {item['where']}"
                    )
        if self.axe if axe is None else axe:
            screen.problems += axe_problems(page)
        self.screens.append(screen)
        return screen

    def report(self) -> str:
        lines = []
        for screen in self.screens:
            if screen.problems:
                lines.append(f"{screen.name} ({screen.url}):")
                lines += [f"  - {p}" for p in dict.fromkeys(screen.problems)]
        return "\n".join(lines)

    def assert_all_fine(self) -> None:
        report = self.report()
        assert not report, "What a person would see wrong:\n" + report


def _dom_problems(seen: dict) -> list[str]:
    problems = []
    if seen["width"] > seen["screenWidth"] + 1:
        problems.append(f"the page is {seen['width']} px wide on a {seen['screenWidth']} px screen")
    problems += [f"id used {n} times: #{id_}" for id_, n in seen["duplicateIds"]]
    problems += [f"{n} identical forms: {form}" for form, n in seen["forms"]]
    problems += [f"{n} landmarks {role}" for role, n in seen["landmarks"].items() if n > 1]
    if len(seen["h1"]) > 1:
        problems.append(f"{len(seen['h1'])} main headings (h1): {seen['h1']}")
    return problems


def axe_problems(page) -> list[str]:
    """axe-core's violations on the page, one readable line per element: rule, target, why."""
    results = Axe().run(page).response
    problems = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            why = "; ".join(
                check["message"] for kind in ("any", "all", "none") for check in node[kind]
            )
            rule = f"axe {violation['id']} ({violation['impact']})"
            target = " ".join(map(str, node["target"]))
            problems.append(f"{rule}: {target} — {why or violation['help']}")
    return problems


def _scroll_through(page) -> None:
    """Scroll to the bottom and back, as a reader would, so lazy images load."""
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 700):
        page.evaluate(f"window.scrollTo(0, {y})")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")


# Images still loading once the page is still: each in turn is brought into view and waited
# for, as a person scrolls and looks, all within the seconds a person would wait before
# seeing a blank box. One at a time: a lazy image starts loading only when the browser has
# drawn a frame with it in view, and scrolling past several in one go draws none of them.
_WAIT_FOR_IMAGES = """
async (seconds) => {
  const deadline = Date.now() + seconds * 1000;
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  for (const img of [...document.images].filter((img) => !img.complete)) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    img.scrollIntoView({block: 'center'});
    await frame();
    await frame();
    const late = new Promise((done) => setTimeout(done, left));
    await Promise.race([img.decode().catch(() => null), late]);
  }
  window.scrollTo(0, 0);
}
"""


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
