"""Streaming with ranges and validators, downloads, private-video access rules, library listing."""
import time

import pytest

from helpers import assert_envelope, assert_page, register
from party_helpers import create_party_req, join
from video_helpers import (make_clip, make_staff, read, ready_video, upload, upload_ready, vserver,
                           wait_processed)


def stream_url(video):
    return f"/api/videos/{video['id']}/stream/"


def test_full_stream_has_validators(vserver, ready_video):
    _, video = ready_video
    data = read(make_clip())
    r = vserver.get(stream_url(video))
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["Content-Type"] == "video/mp4"
    assert r.headers["Accept-Ranges"] == "bytes"
    assert r.headers["Content-Length"] == str(len(data))
    assert r.headers["ETag"].startswith('"')
    assert r.headers["Last-Modified"].endswith("GMT")
    head = vserver.request("HEAD", stream_url(video))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == str(len(data))
    assert head.headers["ETag"] == r.headers["ETag"]


def test_range_edge_cases(vserver, ready_video):
    _, video = ready_video
    data = read(make_clip())
    size = len(data)
    url = stream_url(video)

    r = vserver.get(url, headers={"Range": "bytes=0-99"})
    assert r.status_code == 206 and r.content == data[:100]
    assert r.headers["Content-Range"] == f"bytes 0-99/{size}"
    assert r.headers["Content-Length"] == "100"

    r = vserver.get(url, headers={"Range": "bytes=-500"})  # suffix
    assert r.status_code == 206 and r.content == data[-500:]
    assert r.headers["Content-Range"] == f"bytes {size - 500}-{size - 1}/{size}"

    r = vserver.get(url, headers={"Range": "bytes=100-"})  # open-ended
    assert r.status_code == 206 and r.content == data[100:]
    assert r.headers["Content-Range"] == f"bytes 100-{size - 1}/{size}"

    r = vserver.get(url, headers={"Range": f"bytes={size - 10}-{size + 1000}"})  # end clamped
    assert r.status_code == 206 and r.content == data[-10:]

    r = vserver.get(url, headers={"Range": f"bytes=-{size * 2}"})  # suffix longer than the file
    assert r.status_code == 206 and r.content == data

    r = vserver.get(url, headers={"Range": f"bytes={size}-"})  # past the end
    assert r.status_code == 416
    assert r.headers["Content-Range"] == f"bytes */{size}"

    r = vserver.get(url, headers={"Range": "bytes=-0"})
    assert r.status_code == 416

    r = vserver.get(url, headers={"Range": "bytes=0-9,20-29"})  # multiple: documented 200 with the whole file
    assert r.status_code == 200 and r.content == data

    for ignored in ["bytes=abc", "bytes=9-3", "items=0-5", "bytes="]:  # unusable: ignored, whole file
        r = vserver.get(url, headers={"Range": ignored})
        assert r.status_code == 200 and len(r.content) == size, ignored

    etag = vserver.get(url, headers={"Range": "bytes=0-0"}).headers["ETag"]
    r = vserver.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert r.status_code == 206
    r = vserver.get(url, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert r.status_code == 200 and len(r.content) == size


def test_if_none_match_and_if_modified_since(vserver, ready_video):
    _, video = ready_video
    r = vserver.get(stream_url(video))
    etag, modified = r.headers["ETag"], r.headers["Last-Modified"]
    r = vserver.get(stream_url(video), headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["ETag"] == etag
    r = vserver.get(stream_url(video), headers={"If-None-Match": f'"other", W/{etag}'})
    assert r.status_code == 304
    r = vserver.get(stream_url(video), headers={"If-None-Match": '"other"'})
    assert r.status_code == 200
    r = vserver.get(stream_url(video), headers={"If-Modified-Since": modified})
    assert r.status_code == 304
    master = f"/api/videos/{video['id']}/hls/master.m3u8"
    tag = vserver.get(master).headers["ETag"]
    assert vserver.get(master, headers={"If-None-Match": tag}).status_code == 304


def test_views_counted_once_per_viewer_per_window(vserver):
    owner = register(vserver)
    video = upload_ready(vserver, owner)
    url = stream_url(video)
    vserver.get(url, headers={"User-Agent": "client-a"})
    vserver.get(url, headers={"User-Agent": "client-a"})
    vserver.get(url, headers={"User-Agent": "client-a", "Range": "bytes=1000-2000"})
    vserver.request("HEAD", url, headers={"User-Agent": "client-b"})
    assert vserver.get(f"/api/videos/{video['id']}/").json()["view_count"] == 1
    r = vserver.post(f"/api/videos/{video['id']}/view/", headers={"User-Agent": "client-b"})
    assert r.json() == {"success": True, "counted": True, "view_count": 2}
    r = vserver.post(f"/api/videos/{video['id']}/view/", headers={"User-Agent": "client-b"})
    assert r.json() == {"success": True, "counted": False, "view_count": 2}
    viewer = register(vserver)
    assert viewer.post(f"/api/videos/{video['id']}/view/").json()["counted"] is True
    assert viewer.get(url).status_code == 200
    assert viewer.post(f"/api/videos/{video['id']}/view/").json() == {"success": True, "counted": False,
                                                                      "view_count": 3}


def test_concurrent_views_by_one_viewer_count_once(vserver):
    from concurrent.futures import ThreadPoolExecutor
    owner = register(vserver)
    video = upload_ready(vserver, owner)
    viewer = register(vserver)
    url = f"/api/videos/{video['id']}/view/"
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda _: viewer.post(url, timeout=30), range(24)))
        anonymous = list(pool.map(lambda _: vserver.post(url, headers={"User-Agent": "same-client"}, timeout=30),
                                  range(24)))
    assert all(r.status_code == 200 for r in answers + anonymous), [r.text for r in answers + anonymous]
    assert sum(r.json()["counted"] for r in answers) == 1
    assert sum(r.json()["counted"] for r in anonymous) == 1
    assert vserver.get(f"/api/videos/{video['id']}/").json()["view_count"] == 2


def test_views_window_expires(make_server):
    s = make_server(args=["--view-window-s", "1", "--worker-poll-ms", "100"])
    owner = register(s)
    r = upload(owner, make_clip())
    vid = r.json()["id"]
    assert s.post(f"/api/videos/{vid}/view/").json()["counted"] is True
    assert s.post(f"/api/videos/{vid}/view/").json()["counted"] is False
    time.sleep(1.1)
    assert s.post(f"/api/videos/{vid}/view/").json() == {"success": True, "counted": True, "view_count": 2}


def test_download_rules_and_records(vserver):
    owner = register(vserver)
    video = upload_ready(vserver, owner, title='My "holiday" / clip: 2024?')
    other = register(vserver)
    url = f"/api/videos/{video['id']}/download/"
    assert_envelope(other.get(url), 403, "ACCESS_FORBIDDEN")
    assert_envelope(vserver.get(url), 403, "ACCESS_FORBIDDEN")
    r = owner.get(url)
    assert r.status_code == 200
    assert r.content == read(make_clip())
    cd = r.headers["Content-Disposition"]
    assert cd.startswith('attachment; filename="')
    name = cd.split('filename="')[1].split('"')[0]
    assert name.endswith(".mp4") and "/" not in name and '"' not in name and "\\" not in name
    assert "filename*=UTF-8''" in cd
    assert owner.patch(f"/api/videos/{video['id']}/", json={"allow_download": True}).status_code == 200
    assert other.get(url).status_code == 200
    assert vserver.get(url).status_code == 200
    assert owner.get(f"/api/videos/{video['id']}/").json()["download_count"] == 3
    assert "download_count" not in other.get(f"/api/videos/{video['id']}/").json()


def test_private_video_access_rules(vserver):
    owner = register(vserver)
    video = upload_ready(vserver, owner, is_public=False, title="Secret")
    vid = video["id"]
    assert video["is_public"] is False
    other = register(vserver)
    staff = make_staff(vserver)
    paths = [f"/api/videos/{vid}/", f"/api/videos/{vid}/stream/", f"/api/videos/{vid}/hls/master.m3u8",
             f"/api/videos/{vid}/thumbnail/", f"/api/videos/{vid}/processing-status/",
             f"/api/videos/{vid}/comments/", f"/api/videos/{vid}/download/"]
    for p in paths:
        assert owner.get(p).status_code == 200, p
        assert staff.get(p).status_code == 200, p
        assert_envelope(other.get(p), 404, "RESOURCE_NOT_FOUND")
        assert_envelope(vserver.get(p), 404, "RESOURCE_NOT_FOUND")
    for method, p, body in [("POST", f"/api/videos/{vid}/like/", {"is_like": True}),
                            ("POST", f"/api/videos/{vid}/comments/", {"content": "hi"}),
                            ("POST", f"/api/videos/{vid}/progress/", {"position": 1}),
                            ("PATCH", f"/api/videos/{vid}/", {"title": "mine now"}),
                            ("DELETE", f"/api/videos/{vid}/", None)]:
        assert_envelope(other.request(method, p, json=body), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(vserver.post(f"/api/videos/{vid}/view/"), 404, "RESOURCE_NOT_FOUND")
    # Lists: only the owner and staff see it.
    assert vid in [v["id"] for v in owner.get("/api/videos/?page_size=100").json()["results"]]
    assert vid in [v["id"] for v in staff.get(f"/api/videos/?uploader={owner.id}").json()["results"]]
    assert vid not in [v["id"] for v in other.get(f"/api/videos/?uploader={owner.id}").json()["results"]]
    assert vid not in [v["id"] for v in vserver.get(f"/api/videos/?uploader={owner.id}").json()["results"]]
    # Staff may change it; a public video is visible but not changeable by others.
    assert staff.patch(f"/api/videos/{vid}/", json={"is_public": True}).json()["is_public"] is True
    assert other.get(f"/api/videos/{vid}/").status_code == 200
    assert_envelope(other.patch(f"/api/videos/{vid}/", json={"title": "x"}), 403, "ACCESS_FORBIDDEN")
    assert_envelope(other.delete(f"/api/videos/{vid}/"), 403, "ACCESS_FORBIDDEN")


def test_staff_may_play_a_private_video_in_a_party(vserver):
    owner, other = register(vserver), register(vserver)
    staff = make_staff(vserver)
    video = upload_ready(vserver, owner, make_clip(duration=2), is_public=False)
    r = create_party_req(other, video_id=video["id"], media_url=None)
    assert r.status_code == 400 and "video_id" in r.json()["errors"], r.text
    r = create_party_req(staff, video_id=video["id"], media_url=None)
    assert r.status_code == 201, r.text
    party = r.json()
    assert party["video"]["id"] == video["id"]
    # Then its members may watch it, as for the owner's own parties.
    assert other.get(stream_url(video)).status_code == 404
    assert join(other, party).status_code == 200
    assert other.get(stream_url(video)).status_code == 200


def test_patch_and_delete_removes_files(vserver):
    import os
    owner = register(vserver)
    video = upload_ready(vserver, owner)
    vid = video["id"]
    r = owner.patch(f"/api/videos/{vid}/", json={"title": "New", "description": "d", "category": "music"})
    assert r.status_code == 200 and r.json()["title"] == "New" and r.json()["category"] == "music"
    assert_envelope(owner.patch(f"/api/videos/{vid}/", json={"title": ""}), 400, "VALIDATION_ERROR")
    assert_envelope(owner.patch(f"/api/videos/{vid}/", json={"is_public": "maybe"}), 400, "VALIDATION_ERROR")
    folder = os.path.join(vserver.data_dir, "videos", vid)
    assert os.path.isdir(os.path.join(folder, "hls"))
    r = owner.delete(f"/api/videos/{vid}/")
    assert r.status_code == 204
    assert not os.path.exists(folder)
    assert_envelope(owner.get(f"/api/videos/{vid}/"), 404, "RESOURCE_NOT_FOUND")
    assert_envelope(vserver.get(f"/api/videos/{vid}/stream/"), 404, "RESOURCE_NOT_FOUND")


def test_delete_while_processing_cancels_the_job(make_server):
    import os
    s = make_server(args=["--hls-preset", "veryslow", "--worker-poll-ms", "100"])
    owner = register(s)
    r = upload(owner, make_clip(duration=8, size="1280x720", preset="ultrafast"))
    vid = r.json()["id"]
    deadline = time.time() + 20
    while time.time() < deadline:
        st = owner.get(f"/api/videos/{vid}/processing-status/").json()
        if st["job"]["status"] == "running":
            break
        time.sleep(0.05)
    assert owner.delete(f"/api/videos/{vid}/").status_code == 204
    time.sleep(2)
    assert not os.path.exists(os.path.join(s.data_dir, "videos", vid))
    assert "abandoned" in s.log() or "no longer ours" in s.log()


def test_list_filters_search_ordering_pagination(vserver):
    owner = register(vserver)
    clip = make_clip()
    ids = []
    for i, (title, cat) in enumerate([("Alpha cats", "pets"), ("Beta dogs", "pets"), ("Gamma news", "news")]):
        ids.append(upload_ready(vserver, owner, path=clip, title=title, category=cat,
                                description=f"number {i}")["id"])
    other = register(vserver)
    other.post(f"/api/videos/{ids[1]}/like/", json={"is_like": True})
    base = f"/api/videos/?uploader={owner.id}"
    body = assert_page(vserver.get(base).json())
    assert body["count"] == 3
    assert [v["id"] for v in body["results"]] == ids[::-1]  # newest first by default
    assert [v["id"] for v in vserver.get(base + "&ordering=created_at").json()["results"]] == ids
    assert vserver.get(base + "&ordering=-like_count").json()["results"][0]["id"] == ids[1]
    # Views: two for Gamma, one for Alpha, none for Beta.
    for viewer, vid in [("a", ids[2]), ("b", ids[2]), ("c", ids[0])]:
        assert vserver.post(f"/api/videos/{vid}/view/", headers={"User-Agent": viewer}).json()["counted"]
    by_views = vserver.get(base + "&ordering=-view_count").json()["results"]
    assert [(v["id"], v["view_count"]) for v in by_views] == [(ids[2], 2), (ids[0], 1), (ids[1], 0)]
    by_views = vserver.get(base + "&ordering=view_count").json()["results"]
    assert [v["id"] for v in by_views] == [ids[1], ids[0], ids[2]]
    assert vserver.get(base + "&category=pets").json()["count"] == 2
    assert [v["title"] for v in vserver.get(base + "&search=GAMMA").json()["results"]] == ["Gamma news"]
    assert vserver.get(base + "&search=number%201").json()["results"][0]["id"] == ids[1]
    assert vserver.get(base + "&search=100%25").json()["count"] == 0
    assert vserver.get(base + "&status=ready&is_public=true").json()["count"] == 3
    assert vserver.get(base + "&is_public=false").json()["count"] == 0
    page = vserver.get(base + "&page_size=2").json()
    assert len(page["results"]) == 2 and page["next"] and page["previous"] is None
    page2 = vserver.get(base + "&page_size=2&page=2").json()
    assert len(page2["results"]) == 1
    bad_order = assert_envelope(vserver.get("/api/videos/?ordering=password"), 400, "VALIDATION_ERROR")
    assert bad_order["errors"]["ordering"] == [
        "Must be one of -created_at, created_at, -view_count, view_count, -like_count, like_count, title or -title."]
    bad_status = assert_envelope(vserver.get("/api/videos/?status=bogus"), 400, "VALIDATION_ERROR")
    assert bad_status["errors"]["status"] == ["Must be one of processing, ready or failed."]
    assert_envelope(vserver.get("/api/videos/?is_public=perhaps"), 400, "VALIDATION_ERROR")
