"""A client that goes away in the middle of a file must not take the server with it."""
import os
import socket
import struct

import requests


def test_clients_closing_mid_download_leave_the_server_up(make_server, tmp_path):
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>t</title>")
    (web / "big.bin").write_bytes(os.urandom(32 * 1024 * 1024))
    s = make_server(args=["--web-dir", str(web)])
    for _ in range(20):
        c = socket.create_connection(("127.0.0.1", s.port))
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        assert c.recv(4096).startswith(b"HTTP/1.1 200")
        # Reset, not a polite close: the server's next sendfile meets a dead peer.
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    assert s.proc.poll() is None, s.log()[-2000:]
    assert requests.get(s.url + "/api/health/", timeout=10).status_code == 200
