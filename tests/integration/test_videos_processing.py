"""Upload, content checks, processing to HLS, thumbnails, tus, restart survival, external URLs."""
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import Server, run_cli
from helpers import assert_envelope, assert_uuid, register
from video_helpers import (FAST_WORKER_ARGS, TUS, make_clip, read, ready_video, stalling_ffmpeg, tus_meta, upload,
                           upload_ready, vserver, wait_processed, cli_db_args)


def parse_master(text):
    assert text.startswith("#EXTM3U")
    variants = []
    lines = text.strip().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            variants.append((attrs, lines[i + 1]))
    return variants


def test_upload_processes_to_hls_with_thumbnail(vserver, ready_video):
    owner, video = ready_video
    assert_uuid(video["id"])
    assert video["status"] == "ready"
    assert video["width"] == 640 and video["height"] == 360
    assert 5.5 < video["duration"] < 6.5
    assert video["mime_type"] == "video/mp4"
    assert video["hls_url"] == f"/api/videos/{video['id']}/hls/master.m3u8"
    assert video["metadata"]["video_codec"] == "h264" and video["metadata"]["has_audio"] is True

    master = vserver.get(video["hls_url"])
    assert master.status_code == 200
    assert "mpegurl" in master.headers["Content-Type"].lower()
    variants = parse_master(master.text)
    assert variants, master.text
    for attrs, uri in variants:
        w, h = map(int, attrs["RESOLUTION"].split("x"))
        assert h <= 360, "never upscale a 360p source"
        assert int(attrs["BANDWIDTH"]) > 0
        assert "avc1." in attrs["CODECS"] and "mp4a.40.2" in attrs["CODECS"]
        playlist = vserver.get(f"/api/videos/{video['id']}/hls/{uri}")
        assert playlist.status_code == 200
        assert "#EXT-X-ENDLIST" in playlist.text
        durations = [float(x) for x in re.findall(r"#EXTINF:([\d.]+)", playlist.text)]
        assert durations and max(durations) <= 4.5 and abs(sum(durations) - video["duration"]) < 0.6
        segments = [l for l in playlist.text.splitlines() if l and not l.startswith("#")]
        seg = vserver.get(f"/api/videos/{video['id']}/hls/{segments[0]}")
        assert seg.status_code == 200 and len(seg.content) > 0
        assert seg.content[0] == 0x47, "MPEG-TS sync byte"

    thumb = vserver.get(f"/api/videos/{video['id']}/thumbnail/")
    assert thumb.status_code == 200
    assert thumb.headers["Content-Type"] == "image/jpeg"
    assert thumb.content[:3] == b"\xff\xd8\xff"

    status = vserver.get(f"/api/videos/{video['id']}/processing-status/").json()
    assert status["progress"] == 100 and status["error"] is None
    assert status["job"]["status"] == "succeeded" and status["job"]["attempts"] == 1
    assert [r["height"] for r in status["renditions"]] == [360]


def test_hls_path_traversal_is_impossible(vserver, ready_video):
    _, video = ready_video
    base = f"/api/videos/{video['id']}/hls/"
    import http.client
    # http.client sends the path as written (requests would resolve dot segments itself).
    for bad in ["../original.mp4", "..%2Foriginal.mp4", "%2e%2e/%2e%2e/watchparty.db", "sub/360p.m3u8",
                "../../../../watchparty.db", ".hidden.ts", "thumbnail.jpg", "..", "360p.m3u8%00.ts",
                "%2e%2e%2foriginal.mp4", "..\\original.mp4"]:
        conn = http.client.HTTPConnection("127.0.0.1", vserver.port, timeout=10)
        conn.request("GET", base + bad)
        r = conn.getresponse()
        body = r.read()
        conn.close()
        assert r.status in (404, 400), (bad, r.status)
        assert b"ftyp" not in body[:64] and b"SQLite" not in body[:64]


def test_renamed_text_file_is_refused(vserver, tmp_path):
    user = register(vserver)
    fake = tmp_path / "movie.mp4"
    fake.write_text("this is plain text, not a video\n" * 200)
    with open(fake, "rb") as f:
        r = user.post("/api/videos/", files={"file": ("movie.mp4", f, "video/mp4")}, data={"title": "x"})
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    # A PNG image is not a video either, whatever the name says.
    png = tmp_path / "x.mp4"
    from helpers import png_bytes
    png.write_bytes(png_bytes(8, 8))
    with open(png, "rb") as f:
        r = user.post("/api/videos/", files={"file": ("x.mp4", f, "video/mp4")})
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert user.get(f"/api/videos/?uploader={user.id}").json()["count"] == 0


def test_upload_requires_file_and_auth(vserver):
    user = register(vserver)
    r = user.post("/api/videos/", files={"other": ("a.txt", b"abc")}, data={"title": "x"})
    body = assert_envelope(r, 400, "VALIDATION_ERROR")
    assert "file" in body["errors"]
    r = vserver.post("/api/videos/", files={"file": ("a.mp4", b"abc")})
    assert_envelope(r, 401, "AUTHENTICATION_REQUIRED")


def test_oversized_upload_is_413(make_server):
    s = make_server(args=["--max-upload-bytes", "50000"] + FAST_WORKER_ARGS)
    user = register(s)
    clip = make_clip()
    assert os.path.getsize(clip) > 50000
    r = upload(user, clip)
    assert_envelope(r, 413, "PAYLOAD_TOO_LARGE")
    # tus refuses too large a declared length up front.
    r = user.post("/api/videos/uploads/", headers={**TUS, "Upload-Length": "50001"})
    assert_envelope(r, 413, "PAYLOAD_TOO_LARGE")
    assert r.headers["Tus-Resumable"] == "1.0.0"
    assert os.listdir(os.path.join(s.data_dir, "videos")) == []


def test_tus_options_advertise_capabilities(vserver):
    r = vserver.request("OPTIONS", "/api/videos/uploads/")
    assert r.status_code == 204
    assert r.headers["Tus-Resumable"] == "1.0.0"
    assert "1.0.0" in r.headers["Tus-Version"]
    assert "creation" in r.headers["Tus-Extension"]
    assert int(r.headers["Tus-Max-Size"]) > 0


def test_tus_cut_and_resumed_upload_is_byte_identical(vserver):
    import socket
    user = register(vserver)
    clip = make_clip()
    data = read(clip)
    r = user.post("/api/videos/uploads/", headers={**TUS, "Upload-Length": str(len(data)),
                                                   "Upload-Metadata": tus_meta(filename="clip.mp4", title="Resumed",
                                                                               is_public="true")})
    assert r.status_code == 201, r.text
    assert r.headers["Tus-Resumable"] == "1.0.0"
    location = r.headers["Location"]
    assert re.match(r"^/api/videos/uploads/[0-9a-f-]{36}/$", location)

    head = user.request("HEAD", location, headers=TUS)
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == "0" and head.headers["Upload-Length"] == str(len(data))
    assert head.headers["Cache-Control"] == "no-store"

    half = len(data) // 2
    patch_headers = {**TUS, "Content-Type": "application/offset+octet-stream"}
    r = user.patch(location, headers={**patch_headers, "Upload-Offset": "0"}, data=data[:half])
    assert r.status_code == 204, r.text
    assert r.headers["Upload-Offset"] == str(half)

    # A chunk cut mid-body: the connection drops after part of the declared bytes.
    s = socket.create_connection(("127.0.0.1", vserver.port))
    cut = data[half:half + 10000]
    s.sendall((f"PATCH {location} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {user.access}\r\n"
               f"Tus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\n"
               f"Upload-Offset: {half}\r\nContent-Length: {len(data) - half}\r\n\r\n").encode() + cut)
    s.close()
    time.sleep(0.3)

    head = user.request("HEAD", location, headers=TUS)
    offset = int(head.headers["Upload-Offset"])
    assert offset == half, "a cut chunk is dropped whole; the client resumes from the last full chunk"

    # Wrong offset and wrong type are refused.
    r = user.patch(location, headers={**patch_headers, "Upload-Offset": "1"}, data=b"x")
    assert_envelope(r, 409, "CONFLICT")
    assert r.headers["Tus-Resumable"] == "1.0.0"
    r = user.patch(location, headers={**TUS, "Content-Type": "application/json", "Upload-Offset": str(offset)},
                   data=b"{}")
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    # Another user cannot see or touch it.
    other = register(vserver)
    assert other.request("HEAD", location, headers=TUS).status_code == 404

    r = user.patch(location, headers={**patch_headers, "Upload-Offset": str(offset)}, data=data[offset:])
    assert r.status_code == 204, r.text
    assert r.headers["Upload-Offset"] == str(len(data))
    video_id = r.headers["X-Video-ID"]
    head = user.request("HEAD", location, headers=TUS)
    assert head.headers["Upload-Offset"] == str(len(data)) and head.headers["X-Video-ID"] == video_id

    status = wait_processed(vserver, video_id, user)
    assert status["status"] == "ready", status
    video = user.get(f"/api/videos/{video_id}/").json()
    assert video["title"] == "Resumed" and video["original_filename"] == "clip.mp4"
    stream = user.get(f"/api/videos/{video_id}/stream/")
    assert stream.status_code == 200 and stream.content == data


def test_tus_requires_version_header(vserver):
    user = register(vserver)
    r = user.post("/api/videos/uploads/", headers={"Upload-Length": "10"})
    assert r.status_code == 412
    assert r.headers["Tus-Resumable"] == "1.0.0"


def test_tus_text_upload_is_refused_at_completion(vserver):
    user = register(vserver)
    data = b"not a video at all\n" * 100
    r = user.post("/api/videos/uploads/", headers={**TUS, "Upload-Length": str(len(data))})
    location = r.headers["Location"]
    r = user.patch(location, headers={**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
                   data=data)
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    # A refused PATCH does not advance the offset (#24, defect 7): the upload can be retried.
    r = user.request("HEAD", location, headers=TUS)
    assert r.headers["Upload-Offset"] == "0", r.headers
    half = len(data) // 2
    r = user.patch(location, headers={**TUS, "Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"},
                   data=data[:half])
    assert r.status_code == 204 and r.headers["Upload-Offset"] == str(half), r.text
    r = user.patch(location, headers={**TUS, "Content-Type": "application/offset+octet-stream",
                                      "Upload-Offset": str(half)}, data=data[half:])
    assert_envelope(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert user.request("HEAD", location, headers=TUS).headers["Upload-Offset"] == str(half)


def test_job_survives_server_restart_mid_processing(make_server):
    # A slow preset and a 720p clip keep ffmpeg busy long enough to be killed.
    s = make_server(args=["--hls-preset", "veryslow", "--job-lease-s", "2"] + FAST_WORKER_ARGS)
    user = register(s)
    clip = make_clip(duration=8, size="1280x720", preset="ultrafast")
    r = upload(user, clip)
    assert r.status_code == 201, r.text
    video_id = r.json()["id"]
    deadline = time.time() + 30
    while time.time() < deadline:
        st = s.get(f"/api/videos/{video_id}/processing-status/", headers=user.auth).json()
        if st["job"] and st["job"]["status"] == "running" and st["progress"] >= 5:
            break
        time.sleep(0.05)
    assert st["status"] == "processing" and st["job"]["status"] == "running", st
    s.stop(sig=signal.SIGKILL)
    os.rename(s.log_path, s.log_path + ".killed")  # the next server appends to server.log

    s2 = make_server(args=["--job-lease-s", "2"] + FAST_WORKER_ARGS, data_dir=s.data_dir,
                     database_url=s.database_url)
    status = wait_processed(s2, video_id, user, timeout=90)
    assert status["status"] == "ready", status
    assert status["job"]["attempts"] == 2
    heights = [r["height"] for r in status["renditions"]]
    assert heights == [360, 720]
    master = s2.get(f"/api/videos/{video_id}/hls/master.m3u8").text
    assert "RESOLUTION=1280x720" in master and "RESOLUTION=640x360" in master
    leftovers = [n for n in os.listdir(os.path.join(s.data_dir, "videos", video_id)) if ".tmp" in n]
    assert leftovers == [], "the killed attempt's work files are gone once the job is done"


def test_a_long_silent_step_keeps_its_lease_with_two_workers(make_server, tmp_path):
    # Every ffmpeg run is silent for 5 s, longer than the 2 s lease: only a
    # heartbeat on a timer keeps the second worker from taking the job over.
    s = make_server(args=["--worker-threads", "2", "--job-lease-s", "2",
                          "--ffmpeg-path", stalling_ffmpeg(tmp_path, 5)] + FAST_WORKER_ARGS)
    user = register(s)
    r = upload(user, make_clip())
    assert r.status_code == 201, r.text
    video_id = r.json()["id"]
    status = wait_processed(s, video_id, user, timeout=60)
    assert status["status"] == "ready", status
    assert status["job"]["status"] == "succeeded" and status["job"]["attempts"] == 1, status
    assert "taken over" not in s.log()
    master = s.get(f"/api/videos/{video_id}/hls/master.m3u8")
    assert master.status_code == 200
    variants = parse_master(master.text)
    assert [a["RESOLUTION"] for a, _ in variants] == ["640x360"]
    playlist = s.get(f"/api/videos/{video_id}/hls/{variants[0][1]}").text
    assert "#EXT-X-ENDLIST" in playlist
    segments = [l for l in playlist.splitlines() if l and not l.startswith("#")]
    assert segments and all(s.get(f"/api/videos/{video_id}/hls/{seg}").status_code == 200 for seg in segments)
    files = os.listdir(os.path.join(s.data_dir, "videos", video_id))
    assert [n for n in files if ".tmp" in n] == [], files


def test_an_expired_lease_on_the_last_attempt_fails_the_job(make_server, tmp_path):
    # One attempt allowed; the server dies mid-job. The restarted server must
    # not run the job a second time: it fails, with the reason.
    slow = stalling_ffmpeg(tmp_path, 30)
    s = make_server(args=["--job-max-attempts", "1", "--job-lease-s", "1", "--ffmpeg-path", slow]
                    + FAST_WORKER_ARGS)
    user = register(s)
    video_id = upload(user, make_clip()).json()["id"]
    deadline = time.time() + 20
    while time.time() < deadline:
        st = s.get(f"/api/videos/{video_id}/processing-status/", headers=user.auth).json()
        if st["job"]["status"] == "running":
            break
        time.sleep(0.05)
    assert st["job"]["status"] == "running" and st["job"]["attempts"] == 1, st
    s.stop(sig=signal.SIGKILL)
    os.rename(s.log_path, s.log_path + ".killed")
    s2 = make_server(args=["--job-max-attempts", "1", "--job-lease-s", "1"] + FAST_WORKER_ARGS,
                     data_dir=s.data_dir, database_url=s.database_url)
    status = wait_processed(s2, video_id, user, timeout=30)
    assert status["status"] == "failed", status
    assert status["job"]["status"] == "failed" and status["job"]["attempts"] == 1, status
    assert "lease expired" in status["error"]
    assert "lease expired" in s2.get(f"/api/videos/{video_id}/", headers=user.auth).json()["processing_error"]


def test_worker_command_runs_jobs_when_serve_does_not(make_server):
    s = make_server(args=["--run-workers-in-serve", "false"] + FAST_WORKER_ARGS)
    user = register(s)
    r = upload(user, make_clip())
    video_id = r.json()["id"]
    time.sleep(0.5)
    assert s.get(f"/api/videos/{video_id}/processing-status/").json()["job"]["status"] == "queued"
    from conftest import BIN
    log = open(os.path.join(s.data_dir, "worker.log"), "wb")
    worker = subprocess.Popen([BIN, "worker", *cli_db_args(s), "--worker-poll-ms", "100"], stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        status = wait_processed(s, video_id, user, timeout=60)
        assert status["status"] == "ready"
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
        log.close()


def test_external_url_video(vserver):
    user = register(vserver)
    r = user.post("/api/videos/", json={"external_url": "https://cdn.example.com/live/master.m3u8", "title": "Remote"})
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["status"] == "ready" and v["source_type"] == "external"
    assert v["hls_url"] == "https://cdn.example.com/live/master.m3u8"
    r = vserver.get(f"/api/videos/{v['id']}/stream/", allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"] == v["external_url"]
    mp4 = user.post("/api/videos/", json={"external_url": "http://media.example.org/a/movie.MP4", "title": "M"}).json()
    assert mp4["hls_url"] is None and mp4["stream_url"] == "http://media.example.org/a/movie.MP4"
    for bad in ["ftp://x.org/a.mp4", "https://x.org/page.html", "not a url", "javascript:alert(1)"]:
        r = user.post("/api/videos/", json={"external_url": bad, "title": "x"})
        body = assert_envelope(r, 400, "VALIDATION_ERROR")
        assert "external_url" in body["errors"]
    body = assert_envelope(user.post("/api/videos/", json={"title": "x"}), 400, "VALIDATION_ERROR")
    assert "external_url" in body["errors"]


def test_failed_jobs_retry_with_backoff_then_keep_the_reason(make_server):
    # ffprobe works (the upload is accepted) but every ffmpeg run fails.
    s = make_server(args=["--ffmpeg-path", "false", "--job-max-attempts", "2", "--job-retry-base-s", "1",
                          "--worker-poll-ms", "100"])
    user = register(s)
    r = upload(user, make_clip())
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    seen_retry = False
    deadline = time.time() + 30
    while time.time() < deadline:
        st = user.get(f"/api/videos/{vid}/processing-status/").json()
        if st["job"]["status"] == "queued" and st["job"]["attempts"] == 1:
            seen_retry = True
            assert st["job"]["error"], st
        if st["status"] == "failed":
            break
        time.sleep(0.05)
    assert seen_retry, "the first failure is retried after a backoff"
    assert st["status"] == "failed" and st["job"]["status"] == "failed" and st["job"]["attempts"] == 2, st
    assert "thumbnail failed" in st["error"]
    video = user.get(f"/api/videos/{vid}/").json()
    assert video["status"] == "failed" and "thumbnail failed" in video["processing_error"]
    assert video["hls_url"] is None


def test_sigterm_kills_ffmpeg_and_releases_the_job(make_server):
    s = make_server(args=["--hls-preset", "veryslow"] + FAST_WORKER_ARGS)
    user = register(s)
    vid = upload(user, make_clip(duration=8, size="1280x720", preset="ultrafast")).json()["id"]
    deadline = time.time() + 30
    while time.time() < deadline:
        st = user.get(f"/api/videos/{vid}/processing-status/").json()
        if st["job"]["status"] == "running" and st["progress"] >= 5:
            break
        time.sleep(0.05)
    assert st["job"]["status"] == "running", st
    assert s.stop(sig=signal.SIGTERM) == 0
    still = subprocess.run(["pgrep", "-f", os.path.join(s.data_dir, "videos")], capture_output=True, text=True)
    assert still.stdout.strip() == "", "no ffmpeg outlives the server"
    assert "released at shutdown" in s.log()
    os.rename(s.log_path, s.log_path + ".stopped")
    s2 = make_server(args=["--run-workers-in-serve", "false"], data_dir=s.data_dir, database_url=s.database_url)
    job = s2.get(f"/api/videos/{vid}/processing-status/", headers=user.auth).json()["job"]
    assert job["status"] == "queued" and job["attempts"] == 0 and job["progress"] == 0, job


def test_abandoned_tus_uploads_expire(make_server):
    s = make_server(args=["--upload-expiry-s", "1"] + FAST_WORKER_ARGS)
    user = register(s)
    r = user.post("/api/videos/uploads/", headers={**TUS, "Upload-Length": "1000"})
    location = r.headers["Location"]
    upload_id = location.rstrip("/").rsplit("/", 1)[1]
    part = os.path.join(s.data_dir, "uploads", upload_id + ".part")
    assert os.path.exists(part)
    deadline = time.time() + 10
    while time.time() < deadline and user.request("HEAD", location, headers=TUS).status_code == 200:
        time.sleep(0.2)
    assert user.request("HEAD", location, headers=TUS).status_code == 404
    assert not os.path.exists(part)
