"""Helpers for the videos integration tests: clips made by ffmpeg, a server
with fast workers, uploads, waiting for processing, tus requests."""
import base64
import os
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import BACKENDS, Server
from helpers import cli_db_args, make_superuser, register  # noqa: F401 - cli_db_args is re-exported

_CLIPS = {}
FAST_WORKER_ARGS = ["--worker-poll-ms", "100", "--job-retry-base-s", "1"]


def make_clip(duration=6, size="640x360", audio=True, preset=None):
    """An H.264/AAC MP4 from lavfi test sources, cached per shape for the session."""
    key = (duration, size, audio, preset)
    if key in _CLIPS:
        return _CLIPS[key]
    path = os.path.join(tempfile.mkdtemp(prefix="wp_clip_"), "clip.mp4")
    cmd = ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
           f"testsrc=duration={duration}:size={size}:rate=25"]
    if audio:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={duration}"]
    cmd += ["-c:v", "libx264", "-pix_fmt", "yuv420p"]
    if preset:
        cmd += ["-preset", preset]
    if audio:
        cmd += ["-c:a", "aac", "-shortest"]
    cmd += [path]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    _CLIPS[key] = path
    return path


def stalling_ffmpeg(directory, seconds):
    """An ffmpeg that sits silent for `seconds` before each run: a step that
    reports no progress for longer than a short job lease."""
    path = os.path.join(str(directory), "stalling-ffmpeg")
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\nsleep {seconds}\nexec ffmpeg \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def upload(user, path, title="Test clip", **fields):
    with open(path, "rb") as f:
        data = {"title": title, **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}}
        return user.post("/api/videos/", files={"file": ("clip.mp4", f, "video/mp4")}, data=data, timeout=60)


def wait_processed(server, video_id, user=None, timeout=60, want=("ready", "failed")):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        headers = user.auth if user else {}
        r = server.get(f"/api/videos/{video_id}/processing-status/", headers=headers)
        assert r.status_code == 200, r.text
        last = r.json()
        if last["status"] in want:
            return last
        time.sleep(0.1)
    raise AssertionError(f"video {video_id} not processed in {timeout}s: {last}")


def upload_ready(server, user, path=None, **fields):
    r = upload(user, path or make_clip(), **fields)
    assert r.status_code == 201, r.text
    video = r.json()
    status = wait_processed(server, video["id"], user)
    assert status["status"] == "ready", status
    return user.get(f"/api/videos/{video['id']}/").json()


def make_staff(server):
    """A staff member for the videos tests: the accounts helpers' superuser."""
    return make_superuser(server)


def tus_meta(**values):
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture(scope="module", params=BACKENDS)
def vserver(request):
    """A server per backend for a test module, with fast-polling workers."""
    s = Server(request.param, args=FAST_WORKER_ARGS).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def ready_video(vserver):
    """(owner, video) for one processed public clip on this module's server."""
    owner = register(vserver)
    video = upload_ready(vserver, owner, allow_download=False)
    return owner, video
