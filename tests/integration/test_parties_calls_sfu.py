"""Voice chat beyond the mesh through a real Janus on loopback (issue #17),
on both databases and on two nodes with Redis: the 7th member of a call
(rtc_mesh_max 6) moves it to Janus; every member (the six of the mesh by
call_sfu on their socket) gets a pass that Janus accepts for an AudioBridge
and a VideoRoom room; a kicked member, one who left and the later of a
blocked pair lose theirs (Janus refuses the token) and are put out of the
room; the end of the party, or its deletion, ends the call and revokes every pass; a Janus
restart gives the call new rooms and every member new passes; a free host's
plan keeps the call in the mesh (PLAN_LIMIT). A server-muted member is muted
in the AudioBridge mix (Janus says so), muted again when they unmute
themselves through Janus, after a Janus restart in the new room, and on two
nodes; voice_state names each member's participant id. Skipped without janus."""
import os
import shutil

import pytest

from billing_helpers import BILLING_TOML, FakeStripe, billing_args, billing_file
from conftest import PG_URL
from helpers import assert_envelope
from janus_helpers import Janus, joins, refused, wait_until
from party_helpers import closeall, connect, create_party, in_thread, joined, member_action, party_path, run, users
from social_helpers import block
from test_scale_out import cluster, redis  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/janus"), reason="janus is not installed")

PUBLIC_URL = "https://watch.example.com/janus"


@pytest.fixture(scope="module")
def janus():
    j = Janus().start()
    yield j
    j.remove()


def call_path(party, suffix=""):
    return party_path(party, "call/" + suffix)


def join_call(user, party, status=200):
    r = user.post(call_path(party, "join/"))
    assert r.status_code == status, r.text
    return r.json()


def member_ids(state):
    return {m["user"]["id"] for m in state["members"]}


def server_mute(actor, party, target, muted=True):
    r = actor.post(call_path(party, f"members/{target.id}/server-mute/"), json={"muted": muted})
    assert r.status_code == 200, r.text
    assert r.json()["server_muted"] is muted, r.text
    return r.json()


def muted_ids(member):
    """The participant ids Janus has muted in the member's AudioBridge room."""
    return {pid for pid, muted in member.muted().items() if muted}


async def seven_in_a_call(nodes, party, people):
    """Everyone's socket (spread over the nodes), six join as a mesh, the 7th
    moves the call to Janus: each member's sfu pass (the six from call_sfu)."""
    sockets = [await connect(nodes[i % len(nodes)], party, u) for i, u in enumerate(people)]
    for u in people[:6]:
        body = await in_thread(join_call, u, party)
        assert body["mode"] == "mesh" and body["sfu"] is None
    seventh = await in_thread(join_call, people[6], party)
    assert seventh["mode"] == "sfu" and seventh["sfu"], seventh
    passes = {people[6].id: seventh["sfu"]}
    for u, ws in zip(people[:6], sockets):
        msg = await ws.wait_for("call_sfu")
        assert msg["party_id"] == party["id"]
        passes[u.id] = msg["sfu"]
    await sockets[0].wait_for("voice_state", lambda m: len(m["members"]) == 7 and m["mode"] == "sfu")
    return sockets, passes


def test_beyond_the_mesh_every_member_gets_a_janus_pass_and_loses_it_when_out(make_server, janus):
    s = make_server(args=["--rtc-mesh-max", "6", *janus.server_args(PUBLIC_URL)])
    people = users(s, 9)
    host, late = people[0], people[8]
    party = create_party(host)
    for u in people[1:]:
        joined(u, party)

    async def scenario():
        sockets, passes = await seven_in_a_call([s], party, people[:7])
        assert all(p["url"] == PUBLIC_URL for p in passes.values())
        assert len({p["audio"]["room"] for p in passes.values()}) == 1
        assert len({p["audio"]["token"] for p in passes.values()}) == 7
        # every pass works with Janus: voice in the AudioBridge room, a share in the VideoRoom room
        voice = {uid: await in_thread(joins, janus.url, p) for uid, p in passes.items()}
        await in_thread(joins, janus.url, passes[people[3].id], "video")
        want = {p["audio"]["participant_id"] for p in passes.values()}
        assert await in_thread(voice[host.id].participants) == want
        # a pass is for its room only: the voice token opens no VideoRoom handle, a made-up one nothing
        forged = dict(passes[host.id], audio=dict(passes[host.id]["audio"], token=passes[host.id]["audio"]["token"] + "x"))
        assert await in_thread(refused, janus.url, forged)
        # an 8th joins straight into the rooms
        ws_late = await connect(s, party, late)
        eighth = await in_thread(join_call, late, party)
        assert eighth["sfu"]["audio"]["room"] == passes[host.id]["audio"]["room"]
        await in_thread(joins, janus.url, eighth["sfu"])

        out = {}
        since = sockets[0].mark()
        # kicked from the party
        kicked = people[1]
        r = await in_thread(member_action, host, party, kicked, "kick")
        assert r.status_code == 200, r.text
        out[kicked.id] = passes[kicked.id]
        # left the call
        r = await in_thread(people[2].post, call_path(party, "leave/"))
        assert r.status_code == 200, r.text
        out[people[2].id] = passes[people[2].id]
        # blocked: the later of the pair to join is taken out, told why, and may not come back
        start = sockets[4].mark()
        r = await in_thread(block, people[4], people[5])
        assert r.status_code in (200, 201), r.text
        ended = await sockets[5].wait_for("call_ended")
        assert ended["reason"] == "blocked"
        await sockets[4].expect_none("call_ended", within=0.2, start=start)
        out[people[5].id] = passes[people[5].id]
        assert_envelope(await in_thread(people[5].post, call_path(party, "join/")), 409, "CONFLICT")
        state = await sockets[0].wait_for("voice_state", lambda m: len(m["members"]) == 5, start=since)
        assert member_ids(state) == {u.id for u in (host, people[3], people[4], people[6], late)}
        for uid, p in out.items():
            assert await in_thread(refused, janus.url, p), uid
            assert await in_thread(refused, janus.url, p, "video"), uid
        gone = {out_p["audio"]["participant_id"] for out_p in out.values()}
        await in_thread(wait_until, lambda: not (voice[host.id].participants() & gone), 10, "kicked out of the room")
        # the others keep theirs
        assert not await in_thread(refused, janus.url, passes[people[3].id])

        # the party ends: everyone is told, every pass is revoked
        r = await in_thread(host.post, party_path(party, "end/"))
        assert r.status_code == 200, r.text
        assert (await sockets[3].wait_for("call_ended"))["reason"] == "party_ended"
        await sockets[0].wait_for("voice_state", lambda m: m["members"] == [] and not m["open"])
        for p in (passes[host.id], passes[people[3].id], eighth["sfu"]):
            assert await in_thread(refused, janus.url, p)
        room = passes[host.id]["audio"]["token"].split(".")[1]
        assert not any(t.startswith(f"wpa.{room}.") for t in await in_thread(janus.tokens))
        await closeall(*sockets, ws_late)

    run(scenario())


def test_a_server_mute_silences_the_member_in_the_janus_mix(make_server, janus):
    s = make_server(args=["--rtc-mesh-max", "6", "--janus-mute-check-s", "1", *janus.server_args()])
    people = users(s, 7)
    host, loud = people[0], people[3]
    party = create_party(host)
    for u in people[1:]:
        joined(u, party)

    async def scenario():
        sockets, passes = await seven_in_a_call([s], party, people)
        voice = {uid: await in_thread(joins, janus.url, p) for uid, p in passes.items()}
        pid = {uid: p["audio"]["participant_id"] for uid, p in passes.items()}
        # voice_state names every member's participant id in the voice room
        state = (await in_thread(host.get, call_path(party))).json()
        assert {m["user"]["id"]: m["participant_id"] for m in state["members"]} == pid
        assert await in_thread(muted_ids, voice[host.id]) == set()

        start = sockets[1].mark()
        await in_thread(server_mute, host, party, loud)
        state = await sockets[1].wait_for("voice_state", lambda m: any(x["server_muted"] for x in m["members"]),
                                          start=start)
        assert {m["user"]["id"]: m["participant_id"] for m in state["members"]} == pid
        assert await in_thread(muted_ids, voice[host.id]) == {pid[loud.id]}
        # Janus lets them unmute themselves: the server mutes them again within janus_mute_check_s
        await in_thread(voice[loud.id].configure, False)
        await in_thread(wait_until, lambda: muted_ids(voice[host.id]) == {pid[loud.id]}, 10, "muted again")
        # lifted: heard again
        await in_thread(server_mute, host, party, loud, False)
        assert await in_thread(muted_ids, voice[host.id]) == set()
        await closeall(*sockets)

    run(scenario())


def test_deleting_a_party_ends_its_call_in_janus(make_server, janus):
    s = make_server(args=["--rtc-mesh-max", "6", *janus.server_args(PUBLIC_URL)])
    people = users(s, 7)
    party = create_party(people[0])
    for u in people[1:]:
        joined(u, party)

    async def scenario():
        sockets, passes = await seven_in_a_call([s], party, people)
        r = await in_thread(people[0].delete, party_path(party))
        assert r.status_code == 200 and r.json() == {"success": True}, r.text
        for uid, p in passes.items():
            assert await in_thread(refused, janus.url, p), uid
        room = passes[people[0].id]["audio"]["token"].split(".")[1]
        assert not any(t.startswith(f"wpa.{room}.") for t in await in_thread(janus.tokens))
        await closeall(*sockets)

    run(scenario())


def test_after_a_janus_restart_the_call_gets_new_rooms_and_passes(make_server):
    j = Janus().start()
    try:
        s = make_server(args=["--rtc-mesh-max", "6", "--janus-keepalive-s", "1", "--janus-mute-check-s", "1",
                              *j.server_args()])
        people = users(s, 7)
        party = create_party(people[0])
        for u in people[1:]:
            joined(u, party)

        async def scenario():
            sockets, passes = await seven_in_a_call([s], party, people)
            assert passes[people[0].id]["url"] == j.url
            muted = people[2]
            await in_thread(server_mute, people[0], party, muted)
            marks = [ws.mark() for ws in sockets]
            await in_thread(j.restart)  # Janus forgets its rooms and tokens
            voice, pid = {}, {}
            for u, ws, start in zip(people, sockets, marks):
                msg = await ws.wait_for("call_sfu", start=start, timeout=15)
                assert msg["sfu"]["audio"]["room"] != passes[u.id]["audio"]["room"]
                voice[u.id] = await in_thread(joins, j.url, msg["sfu"])  # everyone joins unmuted
                pid[u.id] = msg["sfu"]["audio"]["participant_id"]
            state = (await in_thread(people[0].get, call_path(party))).json()
            assert state["mode"] == "sfu" and len(state["members"]) == 7
            # the new room's participant ids reach the party, and the server-muted member is muted there
            assert {m["user"]["id"]: m["participant_id"] for m in state["members"]} == pid
            await sockets[0].wait_for("voice_state", lambda m: all(x["participant_id"] == pid[x["user"]["id"]]
                                                                   for x in m["members"]), start=marks[0])
            await in_thread(wait_until, lambda: muted_ids(voice[people[0].id]) == {pid[muted.id]}, 10,
                            "muted in the new room")
            await closeall(*sockets)

        run(scenario())
    finally:
        j.remove()


@pytest.mark.skipif(not (PG_URL and shutil.which("redis-server")), reason="two nodes need PostgreSQL and Redis")
def test_two_nodes_share_the_call_and_its_janus_passes(cluster, janus):  # noqa: F811
    a, b = cluster(2, "--rtc-mesh-max", "6", "--janus-mute-check-s", "1", *janus.server_args())
    people = users(a, 7)
    party = create_party(people[0])
    for u in people[1:]:
        joined(u, party)

    async def scenario():
        sockets, passes = await seven_in_a_call([a, b], party, people)
        voice = {uid: await in_thread(joins, janus.url, p) for uid, p in passes.items()}
        pid = {uid: p["audio"]["participant_id"] for uid, p in passes.items()}
        # a server mute made on node a silences a member whose socket is on node b, and holds there
        muted = people[1]
        await in_thread(server_mute, people[0], party, muted)
        assert await in_thread(muted_ids, voice[people[0].id]) == {pid[muted.id]}
        state = await sockets[1].wait_for("voice_state", lambda m: any(x["server_muted"] for x in m["members"]))
        assert {m["user"]["id"]: m["participant_id"] for m in state["members"]} == pid
        await in_thread(voice[muted.id].configure, False)
        await in_thread(wait_until, lambda: muted_ids(voice[people[0].id]) == {pid[muted.id]}, 10, "muted again")
        await in_thread(server_mute, people[0], party, muted, False)
        assert await in_thread(muted_ids, voice[people[0].id]) == set()
        # a kick on node b revokes a pass that node a's member had
        kicked = people[2]  # on node a
        r = await in_thread(member_action, people[0], party, kicked, "kick")
        assert r.status_code == 200, r.text
        await sockets[1].wait_for("voice_state", lambda m: len(m["members"]) == 6)
        assert await in_thread(refused, janus.url, passes[kicked.id])
        assert not await in_thread(refused, janus.url, passes[people[1].id])
        await closeall(*sockets)

    run(scenario())


def test_a_free_hosts_call_stays_in_the_mesh(make_server, janus):
    fake = FakeStripe()
    try:
        toml = BILLING_TOML.replace("max_party_size = 3", "max_party_size = 50")
        s = make_server(args=["--rtc-mesh-max", "2", *janus.server_args(), *billing_args(fake, billing_file(toml))])
        host, a, b = users(s, 3)
        party = create_party(host)
        for u in (a, b):
            joined(u, party)

        async def scenario():
            sockets = [await connect(s, party, u) for u in (host, a, b)]
            for u in (host, a):
                await in_thread(join_call, u, party)
            r = await in_thread(b.post, call_path(party, "join/"))
            assert_envelope(r, 403, "PLAN_LIMIT")
            assert r.json()["errors"]["limit"] == ["voice_above_mesh"], r.text
            state = (await in_thread(host.get, call_path(party))).json()
            assert state["mode"] == "mesh" and len(state["members"]) == 2
            await closeall(*sockets)

        run(scenario())
    finally:
        fake.stop()
