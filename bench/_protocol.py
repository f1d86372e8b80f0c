"""A reader's session spoken in Streamlit's own websocket protocol, without a browser.

    client = Client("http://127.0.0.1:8080/")
    run = await client.open("date=2019-06-01&alliance=Five%20Eyes")
    day = client.widget("day")
    run = await client.rerun([day_state(day, dt.date(2019, 1, 1))], day.fragment_id)
    await client.close()

What the browser does, as Streamlit 1.67's server reads it (streamlit/web/server/starlette/
starlette_websocket.py, runtime/app_session.py, runtime/forward_msg_cache.py):

- it loads the page, then GETs /_stcore/health (which sets the `_streamlit_xsrf` cookie) and
  /_stcore/host-config, with its cookies (nginx's sticky cookie among them);
- it opens /_stcore/stream with `Sec-WebSocket-Protocol: streamlit, <xsrf cookie>[, <session
  id>]`, its cookies and an Origin header, and asks for a run with a `BackMsg.rerun_script`
  carrying a `ClientState`: the URL's query, every widget's state, the fragment to rerun
  ("" for the whole page), the hashes of the large messages it holds (the server then sends
  a reference instead) and its context (time zone, locale, URL);
- the server answers with `ForwardMsg`s: deltas (elements and blocks, each widget with its id
  and, inside a fragment, the fragment's id), `page_info_changed` when the page rewrites its
  URL, and `script_finished` at the end of the run (FINISHED_EARLY_FOR_RERUN when the page
  called st.rerun(): another run follows).

A widget's state is what the browser would send for it: the value the server set
(`set_value`), else the one it already holds, else the widget's default. Each client keeps
its own cookies, so nginx's sticky cookie keeps it on one replica.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import http.client
import http.cookiejar
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM = "_stcore/stream"
FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "finished",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment finished",
}
EPOCH = dt.datetime(1970, 1, 1)
# The page's own HTTP requests run in threads (urllib and a cookie jar per client): few per
# page open, so a pool larger than the number of readers opening at once is not needed.
_HTTP = ThreadPoolExecutor(max_workers=32, thread_name_prefix="http")


class ProtocolError(Exception):
    """The server closed the stream, timed out, or ended a run with an error."""


@dataclass
class Widget:
    """A widget the page drew: its element type, options and the state the browser holds."""

    id: str
    kind: str  # the Element field: slider, multiselect, selectbox, checkbox, ...
    fragment_id: str  # "" outside any fragment
    options: list[str]
    state: WidgetState | None
    element: object = None  # the widget's proto as last drawn (a slider's min and max, ...)

    @property
    def key(self) -> str | None:
        """The user key a keyed widget's id ends with ("$$ID-<hash>-<key>")."""
        parts = self.id.split("-", 2)
        return parts[2] if self.id.startswith("$$ID-") and len(parts) == 3 else None


@dataclass
class Run:
    """One interaction: from the BackMsg to the last script_finished."""

    seconds: float
    messages: int
    bytes: int
    runs: int  # script runs it took (st.rerun() in the page adds one)
    status: str
    exceptions: list[str] = field(default_factory=list)


def _state(widget_id: str, kind: str, element) -> WidgetState | None:
    """What the browser commits for a widget it draws for the first time (or that the
    server set): None for a widget without a value (an empty selectbox, a button)."""
    state = WidgetState(id=widget_id)
    set_value = getattr(element, "set_value", False)
    if kind == "slider":
        state.double_array_value.data.extend(element.value if set_value else element.default)
    elif kind == "multiselect":
        chosen = list(element.raw_values) if set_value else [element.options[i] for i in element.default]
        state.string_array_value.data.extend(chosen)
    elif kind == "selectbox":
        if set_value and element.HasField("raw_value"):
            state.string_value = element.raw_value
        elif not set_value and element.HasField("default"):
            state.string_value = element.options[element.default]
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = element.value if set_value else element.default
    elif kind == "text_input":
        value = element.value if set_value and element.HasField("value") else element.default
        state.string_value = value
    elif kind == "date_input":
        chosen = list(element.value if set_value else element.default)
        if not chosen:
            return None
        state.string_array_value.data.extend(chosen)
    elif kind == "button_group":
        chosen = list(element.raw_values) if set_value else [element.options[i].content for i in element.default]
        state.string_array_value.data.extend(chosen)
    else:
        return None
    return state


def _options(kind: str, element) -> list[str]:
    if kind == "button_group":
        return [o.content for o in element.options]
    return list(getattr(element, "options", []))


WIDGETS = ("slider", "multiselect", "selectbox", "checkbox", "text_input", "date_input", "button_group")


# --- building a changed state -----------------------------------------------------------


def day_state(widget: Widget, day: dt.date) -> WidgetState:
    """A date slider's state for ``day`` (microseconds since the epoch, as the slider sends)."""
    state = WidgetState(id=widget.id)
    state.double_array_value.data.append((dt.datetime.combine(day, dt.time()) - EPOCH) // dt.timedelta(microseconds=1))
    return state


def slider_day(widget: Widget) -> dt.date:
    """The day a date slider's state holds."""
    assert widget.state is not None
    return (EPOCH + dt.timedelta(microseconds=widget.state.double_array_value.data[0])).date()


def strings_state(widget: Widget, values: list[str]) -> WidgetState:
    """A multiselect's state with ``values`` (option labels) chosen."""
    state = WidgetState(id=widget.id)
    state.string_array_value.data.extend(values)
    return state


def string_state(widget: Widget, value: str) -> WidgetState:
    """A selectbox's state with the option labelled ``value`` chosen."""
    return WidgetState(id=widget.id, string_value=value)


# --- the client -------------------------------------------------------------------------


class _FromAddress(urllib.request.HTTPHandler):
    """urllib's HTTP handler, connecting from a given local address."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, req):
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.source, 0)), req)


class _Handshake:
    """The websocket handshake's response, as http.cookiejar reads a response."""

    def __init__(self, headers):
        self._headers = headers

    def info(self):
        return self

    def get_all(self, name: str, default=None):
        return self._headers.get_all(name) or default


class Client:
    """One reader: its cookies, its websocket, the widgets it was sent and their states.
    ``source``: the local address it connects from (readers on 127.0.x.y look to nginx like
    different machines, not like one address behind a NAT)."""

    def __init__(
        self, base_url: str, timeout: float = 60.0, compression: str | None = "deflate", source: str | None = None
    ):
        self.base = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.compression = compression
        self.source = source
        self.cookies = http.cookiejar.CookieJar()
        handlers: list = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if source:
            handlers.append(_FromAddress(source))
        self._http = urllib.request.build_opener(*handlers)
        self.ws: websockets.ClientConnection | None = None
        self.session_id = ""
        self.page_hash = ""
        self.query = ""
        self.widgets: dict[str, Widget] = {}
        self.cached: set[str] = set()  # hashes of the large messages this client holds
        self.http_bytes = 0

    # -- HTTP ---------------------------------------------------------------------------

    def _get(self, path: str) -> int:
        request = urllib.request.Request(self.base + path, headers={"Accept-Encoding": "gzip"})
        with self._http.open(request, timeout=self.timeout) as response:
            return len(response.read())

    async def get(self, path: str) -> int:
        """GET a path of the site with this client's cookies; the bytes of the body as sent."""
        size = await asyncio.get_running_loop().run_in_executor(_HTTP, self._get, path)
        self.http_bytes += size
        return size

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)

    # -- the page -----------------------------------------------------------------------

    async def open(self, query: str = "", assets: tuple[str, ...] = ("app/static/world_110m.json",)) -> Run:
        """Load the page at ``?query`` as the browser does and run it; then fetch ``assets``
        (by default the map file, which the page's map asks for after the first run)."""
        started = time.perf_counter()
        self.query = query.lstrip("?")
        await self.get("?" + self.query if self.query else "")
        await self.get("_stcore/health")
        await self.get("_stcore/host-config")
        await self.connect()
        run = await self.rerun()
        for path in assets:
            await self.get(path)
        run.seconds = time.perf_counter() - started
        return run

    async def connect(self) -> None:
        parts = urlsplit(self.base)
        http_url = f"{self.base}{STREAM}"
        request = urllib.request.Request(http_url)
        self.cookies.add_cookie_header(request)
        headers = {"Cookie": request.get_header("Cookie")} if request.get_header("Cookie") else {}
        protocols = ["streamlit", self.cookie("_streamlit_xsrf") or ""]
        if self.session_id:
            protocols.append(self.session_id)
        self.ws = await websockets.connect(
            f"ws://{parts.netloc}{parts.path.rstrip('/')}/{STREAM}",
            subprotocols=[websockets.Subprotocol(p) for p in protocols if p],
            additional_headers=headers,
            origin=websockets.Origin(f"{parts.scheme}://{parts.netloc}"),
            max_size=None,
            compression=self.compression,
            open_timeout=self.timeout,
            user_agent_header=None,
            **({"local_addr": (self.source, 0)} if self.source else {}),
        )
        assert self.ws.response is not None
        self.cookies.extract_cookies(_Handshake(self.ws.response.headers), request)  # type: ignore[arg-type]

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def widget(self, key: str) -> Widget:
        """The drawn widget with user key ``key``."""
        for w in self.widgets.values():
            if w.key == key:
                return w
        raise KeyError(f"no widget with key {key!r} on the page (keys: {[w.key for w in self.widgets.values()]})")

    async def rerun(self, changes: list[WidgetState] | None = None, fragment_id: str = "") -> Run:
        """Ask for a run as the browser does when a widget changes: every widget's state
        (``changes`` replacing theirs), the fragment to rerun ("" for the whole page).
        Returns when the last run it causes has finished."""
        if self.ws is None:
            raise ProtocolError("not connected")
        for change in changes or []:
            if change.id in self.widgets:
                self.widgets[change.id].state = change
        message = BackMsg()
        message.rerun_script.CopyFrom(self.client_state(fragment_id))
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        try:
            run = await asyncio.wait_for(self._receive(fragment_id), self.timeout)
        except TimeoutError as exc:
            raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from exc
        except websockets.ConnectionClosed as exc:
            raise ProtocolError(f"the server closed the stream: {exc}") from exc
        run.seconds = time.perf_counter() - started
        return run

    def client_state(self, fragment_id: str = "") -> ClientState:
        state = ClientState(
            query_string=self.query, page_script_hash=self.page_hash, fragment_id=fragment_id, page_name=""
        )
        state.widget_states.widgets.extend(w.state for w in self.widgets.values() if w.state is not None)
        state.cached_message_hashes.extend(sorted(self.cached))
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-GB"
        state.context_info.url = self.base + ("?" + self.query if self.query else "")
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        return state

    async def _receive(self, fragment_id: str) -> Run:
        """Read ForwardMsgs until the run (and any st.rerun() after it) has finished."""
        assert self.ws is not None
        messages = size = runs = 0
        exceptions: list[str] = []
        seen: set[str] = set()
        full = not fragment_id
        while True:
            frame = await self.ws.recv(decode=False)
            messages += 1
            size += len(frame)
            msg = ForwardMsg()
            msg.ParseFromString(frame)
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            if kind == "delta":
                self._delta(msg, seen, exceptions)
            elif kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                self.page_hash = msg.new_session.page_script_hash
                full = not msg.metadata.run.fragment_ids  # every run starts with new_session
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                runs += 1
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    seen.clear()  # st.rerun(): the next run's new_session says what it reruns
                    continue
                self._forget_undrawn(seen, None if full else fragment_id)
                return Run(0.0, messages, size, runs, FINISHED.get(status, str(status)), exceptions)

    def _delta(self, msg: ForwardMsg, seen: set[str], exceptions: list[str]) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind not in WIDGETS:
            return
        proto = getattr(element, kind)
        seen.add(proto.id)
        known = self.widgets.get(proto.id)
        state = known.state if known is not None and not getattr(proto, "set_value", False) else None
        self.widgets[proto.id] = Widget(
            proto.id, kind, delta.fragment_id, _options(kind, proto), state or _state(proto.id, kind, proto), proto
        )

    def _forget_undrawn(self, seen: set[str], fragment_id: str | None) -> None:
        """Drop the widgets the run did not draw again (of its fragment, for a fragment run),
        as the browser drops widgets that left the page."""
        for wid, w in list(self.widgets.items()):
            if wid not in seen and (fragment_id is None or w.fragment_id == fragment_id):
                del self.widgets[wid]
