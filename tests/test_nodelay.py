"""Every server of the dashboard turns Nagle's algorithm off on the connections it accepts
(stances/nodelay.py): asyncio's own check skips sockets whose proto is 0, as uvicorn's are."""

from __future__ import annotations

import asyncio.base_events
import socket

from stances.nodelay import nagle_off, set_nodelay

from conftest import ROOT


def nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_a_socket_whose_proto_is_zero_gets_nodelay():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:  # proto 0, as uvicorn's
        assert sock.proto == 0 and not nodelay(sock)
        asyncio.base_events._set_nodelay(sock)  # type: ignore[attr-defined]
        assert not nodelay(sock)  # asyncio's own leaves Nagle on: the 40 ms stall
        set_nodelay(sock)
        assert nodelay(sock)


def test_nagle_off_applies_to_the_transports_asyncio_makes(monkeypatch):
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)
    nagle_off()

    async def accepted_has_nodelay() -> bool:
        found = asyncio.get_running_loop().create_future()

        def on_client(reader, writer):
            found.set_result(nodelay(writer.get_extra_info("socket")))
            writer.close()

        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0
        listener.bind(("127.0.0.1", 0))
        server = await asyncio.start_server(on_client, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        result = await asyncio.wait_for(found, 10)
        writer.close()
        server.close()
        return result

    assert asyncio.run(accepted_has_nodelay())


def test_every_server_is_started_through_the_launcher():
    launcher = "deploy/streamlit_run.py"
    assert launcher in (ROOT / "scripts" / "dashboard").read_text(encoding="utf-8")
    assert "streamlit_run.py" in (ROOT / "deploy" / "serve.py").read_text(encoding="utf-8")
    assert "STREAMLIT_RUN" in (ROOT / "bench" / "_common.py").read_text(encoding="utf-8")
