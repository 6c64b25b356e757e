"""A big room's party_state lists its first 100 people, not everyone (docs/realtime.md):
the host and moderators first, then the newest joiners, always with the joiner;
`participants_complete` says the list was cut, and the counts are the whole room's."""
from party_helpers import connect, create_party, join, member_action, participants, run, users

CAP = 100


def newest_first(rows):
    """The ids of the plain participants, as the server orders them after the host and moderators."""
    plain = [x for x in rows if x["role"] == "participant"]
    plain.sort(key=lambda x: (x["joined_at"], x["user"]["id"]), reverse=True)  # ties in the millisecond: by id
    return [x["user"]["id"] for x in plain]


def fill(server, size):
    host = users(server, 1, prefix="bighost")[0]
    p = create_party(host, max_participants=size + 10, visibility="public")
    guests = users(server, size, prefix="big")
    # Joined one at a time, so that joined_at orders them as the list says.
    for g in guests:
        assert join(g, p).status_code == 200
    return host, p, guests


def test_a_big_rooms_state_lists_the_first_hundred_with_the_whole_rooms_counts(server):
    host, p, guests = fill(server, CAP + 2)
    moderator = guests[3]
    assert member_action(host, p, moderator, "promote").status_code == 200
    late = users(server, 1, prefix="late")[0]

    async def go():
        early = await connect(server, p, guests[0])  # the first joiner: not among the newest
        ws = await connect(server, p, late)  # joins as it connects
        try:
            st = [m for _, m in ws.log if m["type"] == "party_state"][0]
            ids = [x["user"]["id"] for x in st["participants"]]
            assert len(ids) == CAP and len(set(ids)) == CAP
            assert st["participants_complete"] is False
            assert st["party"]["participant_count"] == CAP + 4  # host, the guests, the late joiner
            assert st["online_count"] == 2
            assert ids[:2] == [host.id, moderator.id]
            # Then the newest joiners first, the late joiner first of all.
            rows = participants(host, p)
            assert ids[2] == late.id
            assert ids[2:] == newest_first(rows)[:CAP - 2]
            online = {x["user"]["id"] for x in st["participants"] if x["online"]}
            assert online == {late.id}  # guests[0] is online, but not listed

            st0 = [m for _, m in early.log if m["type"] == "party_state"][0]
            ids0 = [x["user"]["id"] for x in st0["participants"]]
            assert len(ids0) == CAP and st0["participants_complete"] is False
            assert guests[0].id in ids0  # always with the joiner
            assert ids0[:2] == [host.id, moderator.id]
        finally:
            await ws.close()
            await early.close()

    run(go())
    # Everyone is on the REST list.
    everyone = {x["user"]["id"] for x in participants(host, p)}
    assert everyone == {host.id, late.id} | {g.id for g in guests}


def test_a_room_of_a_hundred_gets_everyone(server):
    host, p, guests = fill(server, CAP - 2)  # the host and one more make a hundred

    async def go():
        ws = await connect(server, p, users(server, 1, prefix="last")[0])
        try:
            st = [m for _, m in ws.log if m["type"] == "party_state"][0]
            assert len(st["participants"]) == CAP
            assert st["participants_complete"] is True
            assert st["party"]["participant_count"] == CAP
            assert st["online_count"] == 1
        finally:
            await ws.close()

    run(go())


def test_a_big_room_sends_counts_instead_of_each_join_and_leave(server):
    host, p, guests = fill(server, CAP + 1)  # more members than party_state lists

    async def go():
        on_host = await connect(server, p, host)
        try:
            guest = await connect(server, p, guests[0])
            came = await on_host.wait_for("presence_counts", lambda m: m["online_count"] == 2)
            assert came["participant_count"] == CAP + 2
            await guest.close()
            left = await on_host.wait_for("presence_counts", lambda m: m["online_count"] == 1)
            assert left["participant_count"] == CAP + 2  # still a member, only gone offline
            await on_host.expect_none("user_joined")
            await on_host.expect_none("user_left")
        finally:
            await on_host.close()

    run(go())
