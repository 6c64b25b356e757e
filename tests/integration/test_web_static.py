"""The web client served by the binary at /: types, caching, precompressed gzip,
validators with 304, client-side routes and missing assets."""
import gzip
import os
import re
import uuid

import pytest

from conftest import BIN

# The server's default web_dir: web/dist next to the binary's directory (src/app/app.cpp).
DIST = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(BIN))), "web", "dist")
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def index_html():
    path = os.path.join(DIST, "index.html")
    # scripts/build.sh (and so scripts/test.sh) builds the client: a missing one is a failure.
    assert os.path.isfile(path), f"{path} is missing: run scripts/build-web.sh"
    with open(path, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def script_path(index_html):
    m = re.search(rb'src="(/assets/[^"]+\.js)"', index_html)
    assert m, "index.html names no /assets/*.js script"
    return m.group(1).decode()


def raw_get(server, path, headers):
    """A GET whose body is left as sent (requests would gunzip it)."""
    r = server.get(path, headers=headers, stream=True)
    body = r.raw.read(decode_content=False)
    return r, body


def test_index_is_html_and_revalidated(server, index_html):
    r, body = raw_get(server, "/", PLAIN)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Cache-Control"] == "no-cache"
    assert "Content-Encoding" not in r.headers
    assert body == index_html


def test_hashed_script_is_immutable_and_gzipped(server, script_path):
    r, plain = raw_get(server, script_path, PLAIN)
    assert r.status_code == 200
    assert "javascript" in r.headers["Content-Type"]
    assert "immutable" in r.headers["Cache-Control"]
    assert "max-age=31536000" in r.headers["Cache-Control"]
    assert "Accept-Encoding" in r.headers.get("Vary", "")
    assert "Content-Encoding" not in r.headers
    assert plain

    g, packed = raw_get(server, script_path, {"Accept-Encoding": "gzip"})
    assert g.status_code == 200
    assert g.headers["Content-Encoding"] == "gzip"
    assert "javascript" in g.headers["Content-Type"]
    assert int(g.headers["Content-Length"]) == len(packed) < len(plain)
    assert gzip.decompress(packed) == plain
    # each representation has its own validator
    assert g.headers["ETag"] != r.headers["ETag"]


@pytest.mark.parametrize("accept, gzipped", [
    ("gzip, deflate, br", True),
    ("br, GZIP;q=0.8", True),
    ("x-gzip", True),
    ("*", True),
    ("gzip;q=0", False),
    ("gzip; q=0.0, br", False),
    ("gzip;q=0, *", False),
    ("*;q=0", False),
    ("deflate, br", False),
    ("identity", False),
])
def test_accept_encoding_is_parsed(server, script_path, accept, gzipped):
    r, _ = raw_get(server, script_path, {"Accept-Encoding": accept})
    assert r.status_code == 200
    assert (r.headers.get("Content-Encoding") == "gzip") is gzipped, r.headers


def test_client_routes_get_the_app(server, index_html):
    for path in (f"/parties/{uuid.uuid4()}", "/videos", "/join/ABCDEFGH", "/login"):
        r, body = raw_get(server, path, PLAIN)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"].startswith("text/html"), path
        assert r.headers["Cache-Control"] == "no-cache", path
        assert body == index_html, path


def test_missing_asset_is_404(server):
    for path in ("/assets/nope.js", "/assets/nope.css", "/favicon-nope.png"):
        r = server.get(path, headers=PLAIN)
        assert r.status_code == 404, path
        assert r.json()["error_code"] == "RESOURCE_NOT_FOUND", r.text


def test_api_paths_are_not_the_app(server):
    r = server.get("/api/no-such-thing/")
    assert r.status_code == 404
    assert not r.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_index_validators_and_304(server, encoding):
    headers = {"Accept-Encoding": encoding}
    r, body = raw_get(server, "/", headers)
    assert r.status_code == 200 and body
    etag = r.headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', etag), etag
    last_modified = r.headers["Last-Modified"]
    assert last_modified.endswith(" GMT")

    again, body = raw_get(server, "/", dict(headers, **{"If-None-Match": etag}))
    assert again.status_code == 304
    assert body == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "no-cache"

    listed, _ = raw_get(server, "/", dict(headers, **{"If-None-Match": f'"other", W/{etag}'}))
    assert listed.status_code == 304

    other, body = raw_get(server, "/", dict(headers, **{"If-None-Match": '"not-this-one"'}))
    assert other.status_code == 200 and body

    since, body = raw_get(server, "/", dict(headers, **{"If-Modified-Since": last_modified}))
    assert since.status_code == 304 and body == b""
    older, body = raw_get(server, "/", dict(headers, **{"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"}))
    assert older.status_code == 200 and body

    # an SPA route is index.html: same validator
    route, _ = raw_get(server, f"/parties/{uuid.uuid4()}", dict(headers, **{"If-None-Match": etag}))
    assert route.status_code == 304


def test_gzip_validator_does_not_match_the_plain_file(server):
    plain, _ = raw_get(server, "/", PLAIN)
    r, body = raw_get(server, "/", {"Accept-Encoding": "gzip", "If-None-Match": plain.headers["ETag"]})
    assert r.status_code == 200
    assert r.headers["Content-Encoding"] == "gzip"
    assert body
