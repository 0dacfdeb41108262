"""`kyb serve` as a real process: real sockets, the size limit before the body is read, logs."""

from __future__ import annotations

import socket

import httpx


def test_serves_health_and_echoes_request_ids(live_server):
    response = httpx.get(live_server + "/healthz", headers={"X-Request-ID": "probe-1"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "probe-1"


def test_recognizes_over_real_http(live_server, tiny_index):
    response = httpx.post(live_server + "/api/v1/recognize",
                          files={"image": ("p.jpg", tiny_index.photo, "image/jpeg")}, timeout=60)
    assert response.status_code == 200
    assert response.json()["objects"][0]["band"]["name"] == tiny_index.band_name


def test_declared_oversize_is_refused_before_the_body_is_sent(live_server):
    # Declare 50 MB (the server runs with a 2 MB limit) and send none of it: the answer must come anyway.
    host, port = live_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /api/v1/recognize HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                     b"boundary=b\r\nContent-Length: 52428800\r\n\r\n")
        reply = b""
        while chunk := sock.recv(4096):  # the server closes the connection after its answer
            reply += chunk
        reply = reply.decode("latin-1")
    assert reply.startswith("HTTP/1.1 413")
    assert "too large" in reply


def test_serve_refuses_a_folder_that_is_not_an_index(tmp_path):
    from click.testing import CliRunner

    from knowyourband.cli import main

    result = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert result.exit_code == 1
    assert "not an index directory" in result.output and "kyb index build" in result.output
    assert "--workers" in CliRunner().invoke(main, ["serve", "--help"]).output
