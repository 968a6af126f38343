"""The 30 interactions benchmarks/interactions.py times, and how one is timed in a browser tab.

Each step finds its control by the label the guide gives it (untimed; a missing one raises Skip with
the reason), then returns the click and the check that the page shows its result.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Literal

from playwright.sync_api import Browser, Locator, Page, WebSocket, expect
from playwright.sync_api import Error as PlaywrightError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from fvkit.domain.screens import Screen
from tests.e2e.portal import IDLE

PAGER = re.compile(r"^\d+-\d+ of \d+$|^0 of 0$")
MONTH = re.compile(r"^(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$")
FIND_MS = 5_000  # a control that is not there within this is missing, not slow
DONE_MS = 60_000  # an interaction that takes longer than this failed
ROW_PX = 35  # st.dataframe's row height; its header row has the same
#: resolves once the browser painted what the last run drew (two animation frames)
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(null))))"
FIRST_CELL = '[data-testid="stDataFrame"] td#glide-cell-1-0'  # the list's first row, once drawn
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
#: in the page's own clock: the user's next input, and the page's last change after it (the portal's
#: document; a component's iframe, e.g. the calendars', is not watched)
SETTLE_ARM = """() => {
  const w = window;
  w.__fvkitSettle = {input: null, last: null};
  const input = () => { if (w.__fvkitSettle.input === null) w.__fvkitSettle.input = performance.now(); };
  document.addEventListener('pointerdown', input, {capture: true, once: true});
  document.addEventListener('keydown', input, {capture: true, once: true});
  if (!w.__fvkitObserver) {
    w.__fvkitObserver = new MutationObserver(() => {
      const t = w.__fvkitSettle;
      if (t && t.input !== null) t.last = performance.now();
    });
    w.__fvkitObserver.observe(document.documentElement,
      {subtree: true, childList: true, attributes: true, characterData: true});
  }
}"""
SETTLE_READ = (
    "() => { const t = window.__fvkitSettle;"
    " return t && t.input !== null && t.last !== null ? t.last - t.input : null; }"
)


class Skip(Exception):
    """An interaction that cannot be done on the page as it is: say why, go on with the tour."""


# --- one browser tab, and how an interaction is timed ---------------------------------------


class Tab:
    """A page of one Streamlit session that counts the script runs its server finished."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1800})
        self.page = self.context.new_page()
        self.finished = 0
        self.runs = 0  # script runs the server ended, those st.rerun() cut short included
        self.finished_at = 0.0  # perf_counter() when the last run's script_finished arrived
        self.received = 0  # bytes the server sent on the websocket
        # the last timing: ms from the click to script_finished, bytes received, runs, and ms from the
        # input to the page's last change before the timing ended (None: no input or no change seen)
        self.last: tuple[float, int, int, float | None] = (0.0, 0, 0, None)
        self.window = (0.0, 0.0)  # the last timing's click and end, wall-clock seconds
        self.socket: WebSocket | None = None
        self.page.on("websocket", self._socket)

    def _socket(self, ws: WebSocket) -> None:
        if ws.url.endswith("/_stcore/stream"):
            self.socket = ws
            ws.on("framereceived", self._frame)

    def _next_frame(self, deadline: float) -> None:
        """Wait for the server's next websocket message (no polling: the browser is left alone)."""
        left_ms = (deadline - time.perf_counter()) * 1000
        if left_ms <= 0:
            raise Skip(f"no script run finished within {DONE_MS // 1000} s")
        if self.socket is None or self.socket.is_closed():
            self.page.wait_for_timeout(5)
            return
        try:
            self.socket.wait_for_event("framereceived", timeout=left_ms)
        except PlaywrightError:
            if time.perf_counter() >= deadline:
                raise Skip(f"no script run finished within {DONE_MS // 1000} s") from None

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.received += len(payload)
            msg = ForwardMsg.FromString(payload)
            if msg.WhichOneof("type") == "script_finished":
                self.runs += 1
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished in FINISHED:
                self.finished += 1
                self.finished_at = time.perf_counter()

    def timed(self, act: Callable[[], object], ready: Callable[[], object] | None = None) -> float:
        """Do `act`; return the milliseconds until its run finished, `ready` held and the app is idle."""
        before, received, runs = self.finished, self.received, self.runs
        self.page.evaluate(SETTLE_ARM)
        clicked = time.time()
        began = time.perf_counter()
        act()
        deadline = began + DONE_MS / 1000
        while self.finished <= before:
            self._next_frame(deadline)
        if ready is not None:
            ready()
        self.page.locator(IDLE).wait_for(timeout=DONE_MS)
        self.page.evaluate(PAINTED)
        settled = self.page.evaluate(SETTLE_READ)
        shown = float(settled) if isinstance(settled, int | float) else None
        self.last = ((self.finished_at - began) * 1000, self.received - received, self.runs - runs, shown)
        self.window = (clicked, time.time())
        return (time.perf_counter() - began) * 1000

    def close(self) -> None:
        self.context.close()


def found(locator: Locator, what: str, state: Literal["attached", "visible"] = "visible") -> Locator:
    """Return the first match of `locator` once there, or skip saying `what` is missing."""
    first = locator.first
    try:
        first.wait_for(state=state, timeout=FIND_MS)
    except PlaywrightError:
        raise Skip(f"no {what} on the page") from None
    return first


def dialog(page: Page) -> Locator:
    return page.get_by_role("dialog")


# --- the tour ------------------------------------------------------------------------------

#: a step gets the tab, does its untimed preparation, and returns (act, ready) for the timing
Prepare = Callable[[Tab], tuple[Callable[[], object], Callable[[], object]]]


def open_screen(screen: Screen, ready: Callable[[Page], object]) -> Prepare:
    """Open a screen from the sidebar menu; ready when `ready(page)` holds."""

    def prepare(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
        page = tab.page
        links = page.get_by_test_id("stSidebarNavLink").filter(has_text=re.compile(f"^\\W*{screen.value}$"))
        if not links.count() and page.get_by_test_id("stSidebarNavViewButton").count():
            page.get_by_test_id("stSidebarNavViewButton").click()  # "View more": not part of the timing
        link = found(links, f"menu entry '{screen.value}'")
        return link.click, lambda: ready(page)

    return prepare


def pick_other(label: str, *, nonzero: bool = False, then: Callable[[Page], object] | None = None) -> Prepare:
    """Pick another option in the select box `label`; ready when the box shows it (and `then` holds)."""

    def prepare(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
        page = tab.page
        box = found(page.get_by_role("combobox", name=re.compile(f"^{re.escape(label)}")), f"'{label}' select box")
        current = box.input_value()
        box.click()
        options = page.get_by_role("option")
        found(options, f"options of '{label}'")
        texts = [t.strip() for t in options.all_inner_texts()]
        others = [t for t in texts if t != current and not (nonzero and re.search(r"\(0\)$", t))]
        if not others:
            page.keyboard.press("Escape")
            raise Skip(f"'{label}' offers nothing but '{current}'")
        choice = options.filter(has_text=re.compile(f"^{re.escape(others[0])}$")).first

        def ready() -> None:
            expect(box).not_to_have_value(current, timeout=DONE_MS)
            if then is not None:
                then(page)

        return choice.click, ready

    return prepare


def page_forward(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
    """Click the pager's ▶; ready when the pager text moved on."""
    page = tab.page
    pager = found(page.get_by_text(PAGER), "pager ('1-25 of N')")
    before = pager.inner_text()
    button = found(page.get_by_role("button", name="▶", exact=True), "▶ button")
    if button.is_disabled():
        raise Skip(f"one page only ({before})")

    def ready() -> None:
        expect(page.get_by_text(PAGER).first).not_to_have_text(before, timeout=DONE_MS)
        listed(page)

    return button.click, ready


def select_first_row(enabled: str) -> Prepare:
    """Tick the first row of the list (drawn on the grid's canvas); ready when `enabled` is enabled."""

    def prepare(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
        page = tab.page
        table = found(page.get_by_test_id("stDataFrame"), "list")
        found(table.locator("td#glide-cell-1-0"), "row in the list", "attached")
        box = table.bounding_box()
        if box is None:
            raise Skip("the list is not drawn")
        button = page.get_by_role("button", name=re.compile(re.escape(enabled))).first

        def act() -> None:
            page.mouse.click(box["x"] + 16, box["y"] + ROW_PX * 1.5)

        return act, lambda: expect(button).to_be_enabled(timeout=DONE_MS)

    return prepare


def click(name: str, ready: Callable[[Page], object], *, in_dialog: bool = False) -> Prepare:
    """Click the button whose label contains `name`; ready when `ready(page)` holds."""

    def prepare(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
        page = tab.page
        scope = dialog(page) if in_dialog else page
        button = found(scope.get_by_role("button", name=re.compile(re.escape(name))), f"'{name}' button")
        if button.is_disabled():
            raise Skip(f"'{name}' is disabled")
        return button.click, lambda: ready(page)

    return prepare


def add_attendee(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
    """Add Attendee, type an attendee (untimed), then time Create, which adds it to the event's list (guide p.38)."""
    page = tab.page
    box = dialog(page)
    opener = found(box.get_by_role("button", name="Add Attendee"), "'Add Attendee' button")
    tab.timed(opener.click)  # shows the Email and Display name boxes: a rerun of its own
    email = found(box.get_by_role("textbox", name="Email"), "attendee 'Email' box")
    name = found(box.get_by_role("textbox", name="Display name"), "attendee 'Display name' box")
    guest = f"Bench Guest {int(time.time() * 1000) % 100_000}"
    email.fill("bench.guest@example.com")
    name.fill(guest)
    tab.timed(lambda: name.press("Tab"))  # commits the typing: a rerun of its own
    add = found(box.get_by_role("button", name="Create", exact=True), "attendee 'Create' button")
    return add.click, lambda: expect(box.get_by_text(guest)).to_be_visible(timeout=DONE_MS)


def calendar(page: Page, selector: str) -> Locator:
    return page.frame_locator('[data-testid="stCustomComponentV1"]').first.locator(selector)


def dialog_gone(page: Page) -> None:
    expect(dialog(page)).to_have_count(0, timeout=DONE_MS)


def close_dialog(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
    """Close the open dialog with its ✕; ready when it is gone."""
    close = found(dialog(tab.page).get_by_role("button", name="Close"), "dialog close button")
    return close.click, lambda: dialog_gone(tab.page)


def next_month(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
    """Click the calendar's next-month ▶; ready when the month name changed."""
    page = tab.page
    month = found(page.get_by_text(MONTH), "month name")
    before = month.inner_text()
    button = found(page.get_by_role("button", name="▶", exact=True), "next-month ▶ button")
    return button.click, lambda: expect(page.get_by_text(MONTH).first).not_to_have_text(before, timeout=DONE_MS)


def segment(name: str, ready: Callable[[Page], Locator] | None = None) -> Prepare:
    """Click a segmented control's option `name` (the first one not chosen if `name` is empty)."""

    def prepare(tab: Tab) -> tuple[Callable[[], object], Callable[[], object]]:
        page = tab.page
        if name:
            option = found(page.get_by_role("radio", name=name, exact=True), f"'{name}' option")
        else:
            option = found(page.get_by_role("radio", checked=False), "segmented control option")
        label = option.inner_text().strip()

        def done() -> None:
            expect(page.get_by_role("radio", name=label, exact=True).first).to_be_checked(timeout=DONE_MS)
            if ready is not None:
                expect(ready(page).first).to_be_visible(timeout=DONE_MS)

        return option.click, done

    return prepare


def visible(make: Callable[[Page], Locator]) -> Callable[[Page], object]:
    return lambda page: expect(make(page).first).to_be_visible(timeout=DONE_MS)


def in_dialog(text: str) -> Callable[[Page], object]:
    return visible(lambda page: dialog(page).get_by_text(text))


def listed(page: Page) -> None:
    """Wait until the list's first row is drawn (the grid draws after the run's last message)."""
    expect(page.locator(FIRST_CELL).first).to_be_attached(timeout=DONE_MS)


def paged_list(page: Page) -> None:
    expect(page.get_by_text(PAGER).first).to_be_visible(timeout=DONE_MS)
    listed(page)


TOUR: list[tuple[str, Prepare]] = [
    ("Call History: open", open_screen(Screen.CALL_HISTORY, paged_list)),
    ("Call History: Direction filter", pick_other("Direction", then=listed)),
    ("Call History: page forward", page_forward),
    ("Call History: select a call", select_first_row("Details")),
    ("Call History: open call details", click("Details", visible(lambda p: dialog(p).locator(".main-svg")))),
    ("Call History: close call details", close_dialog),
    ("Voicemail: open", open_screen(Screen.VOICEMAIL, listed)),
    ("Voicemail: Show filter", pick_other("Show", nonzero=True, then=listed)),
    ("Voicemail: select a message", select_first_row("Play")),
    ("Voicemail: play", click("Play", visible(lambda p: p.get_by_test_id("stAudio")))),
    ("Voicemail: open Voicemail Options", click("Voicemail Options", in_dialog("Greeting"))),
    ("Voicemail: save Voicemail Options", click("OK", dialog_gone, in_dialog=True)),
    ("Contact: open", open_screen(Screen.CONTACT, visible(lambda p: p.get_by_role("combobox", name="Sort By")))),
    ("Contact: Sort By", pick_other("Sort By")),
    ("Call Handling: open", open_screen(Screen.CALL_HANDLING, visible(lambda p: p.get_by_text("Do not disturb")))),
    ("Call Handling: status to configure", pick_other("Configure how to handle calls")),
    ("Call Recording: open", open_screen(Screen.CALL_RECORDING, paged_list)),
    ("Call Recording: page forward", page_forward),
    ("Conference: open", open_screen(Screen.CONFERENCE, visible(lambda p: calendar(p, ".fc-daygrid-day")))),
    ("Conference: next month", next_month),
    ("Conference: open New event", click("New event", in_dialog("Conference event"))),
    ("Conference: Add Attendee", add_attendee),
    ("Conference: cancel New event", click("Cancel", dialog_gone, in_dialog=True)),
    ("Reminder: open", open_screen(Screen.REMINDER, visible(lambda p: calendar(p, ".fc-dayGridMonth-view")))),
    ("Reminder: Week view", segment("Week", lambda p: calendar(p, ".fc-timeGridWeek-view"))),
    ("Fax: open", open_screen(Screen.FAX, visible(lambda p: p.get_by_role("radio", name="Sent", exact=True)))),
    ("Fax: Sent", segment("Sent")),
    (
        "Device: open",
        open_screen(Screen.DEVICE, visible(lambda p: p.get_by_role("button", name=re.compile("Activation")))),
    ),
    (
        "Preferences: open",
        open_screen(Screen.PREFERENCES, visible(lambda p: p.get_by_role("button", name=re.compile("PIN")))),
    ),
    (
        "Analytics: open",
        open_screen(Screen.ANALYTICS, visible(lambda p: p.locator('[data-testid="stPlotlyChart"] .main-svg'))),
    ),
]
