"""Chat, reactions and typing over the party WebSocket (docs/realtime.md):
stored then broadcast, slow mode, mute, chat and reactions switched off,
the reaction rate limit, typing relayed to the others."""
import asyncio
import uuid

from party_helpers import (REACTION_KEYS, assert_message, closeall, connect, create_party, in_thread, joined,
                           member_action, party_path, patch_party, run, users)


def content_is(text):
    return lambda m: m["message"]["content"] == text


def test_chat_is_stored_and_broadcast(server):
    host, guest = users(server, 2)
    p = create_party(host)
    text = "hello from the socket " + uuid.uuid4().hex

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        await g.send({"type": "chat_message", "content": text})
        got = []
        for c in (h, g):
            m = await c.wait_for("chat_message", content_is(text))
            msg = assert_message(m["message"])
            assert msg["user"]["id"] == guest.id and msg["user"]["username"] == guest.username
            got.append(msg)
        assert got[0] == got[1]
        r = await in_thread(host.get, party_path(p, "chat/"))
        assert r.status_code == 200, r.text
        top = r.json()["results"][0]
        assert top["id"] == got[0]["id"] and top["content"] == text
        assert top["user"]["id"] == guest.id
        # A REST post is broadcast too.
        r = await in_thread(host.post, party_path(p, "chat/"), json={"content": "via rest"})
        assert r.status_code == 201, r.text
        m = await g.wait_for("chat_message", content_is("via rest"))
        assert m["message"]["id"] == r.json()["id"]
        await closeall(h, g)

    run(go())


def test_slow_mode(server):
    host, guest = users(server, 2)
    p = create_party(host, settings={"slow_mode_seconds": 2})

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        await g.send({"type": "chat_message", "content": "first"})
        await h.wait_for("chat_message", content_is("first"))
        start = g.mark()
        await g.send({"type": "chat_message", "content": "second"})
        err = await g.wait_for("error", start=start)
        assert err["code"] == "slow_mode", err
        ra = err["retry_after"]
        assert isinstance(ra, (int, float)) and 0 < ra <= 2, err
        await h.expect_none("chat_message", content_is("second"), within=0.3)
        await asyncio.sleep(ra + 0.3)
        await g.send({"type": "chat_message", "content": "third"})
        await h.wait_for("chat_message", content_is("third"))
        r = await in_thread(host.get, party_path(p, "chat/"))
        assert [m["content"] for m in r.json()["results"]] == ["third", "first"]
        await closeall(h, g)

    run(go())


def test_moderators_skip_slow_mode(server):
    host, mod, guest = users(server, 3)
    p = create_party(host, settings={"slow_mode_seconds": 30})
    joined_mod = mod.post(party_path(p, "join/"))
    assert joined_mod.status_code == 200, joined_mod.text
    r = host.post(party_path(p, f"participants/{mod.id}/promote/"))
    assert r.status_code == 200, r.text

    async def go():
        h = await connect(server, p, host, name="host")
        m = await connect(server, p, mod, name="mod")
        g = await connect(server, p, guest, name="guest")
        for c, who in ((h, "host"), (m, "mod")):
            for i in range(3):
                await c.send({"type": "chat_message", "content": f"{who} {i}"})
        for who in ("host", "mod"):
            for i in range(3):
                await g.wait_for("chat_message", content_is(f"{who} {i}"))
        assert not h.of_type("error") and not m.of_type("error"), (h.of_type("error"), m.of_type("error"))
        # A plain participant is held to it.
        start = g.mark()
        await g.send({"type": "chat_message", "content": "guest 0"})
        await h.wait_for("chat_message", content_is("guest 0"))
        await g.send({"type": "chat_message", "content": "guest 1"})
        assert (await g.wait_for("error", start=start))["code"] == "slow_mode"
        await closeall(h, m, g)

    run(go())


def test_muted_user_cannot_chat(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        r = await in_thread(member_action, host, p, guest, "mute")
        assert r.status_code == 200, r.text
        for c in (h, g):
            upd = await c.wait_for("participant_updated", lambda m: m["user"]["id"] == guest.id)
            assert upd["user"]["is_muted"] is True and upd["user"]["role"] == "participant"
            assert upd["user"]["username"] == guest.username
        start = g.mark()
        await g.send({"type": "chat_message", "content": "mmmph"})
        err = await g.wait_for("error", start=start)
        assert err["code"] == "muted"
        await h.expect_none("chat_message", within=0.3)

        r = await in_thread(member_action, host, p, guest, "unmute")
        assert r.status_code == 200, r.text
        await g.wait_for("participant_updated", lambda m: m["user"]["id"] == guest.id and not m["user"]["is_muted"])
        await g.send({"type": "chat_message", "content": "free again"})
        await h.wait_for("chat_message", content_is("free again"))
        await closeall(h, g)

    run(go())


def test_chat_disabled(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        r = await in_thread(patch_party, host, p, settings={"chat_enabled": False})
        assert r.status_code == 200, r.text
        await g.wait_for("party_updated", lambda m: m["party"]["settings"]["chat_enabled"] is False)
        start = g.mark()
        await g.send({"type": "chat_message", "content": "hello?"})
        assert (await g.wait_for("error", start=start))["code"] == "chat_disabled"
        await h.expect_none("chat_message", within=0.3)
        await closeall(h, g)

    run(go())


def test_typing_is_relayed_to_the_others(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        await g.send({"type": "typing", "is_typing": True})
        m = await h.wait_for("typing")
        assert m["user"]["id"] == guest.id and m["user"]["username"] == guest.username
        assert m["is_typing"] is True
        await g.send({"type": "typing", "is_typing": False})
        await h.wait_for("typing", lambda m: m["is_typing"] is False)
        await closeall(h, g)

    run(go())


def test_reactions_broadcast_counted_and_rate_limited(server):
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        await g.send({"type": "reaction", "emoji": "🎉", "video_timestamp": 42.0})
        for c in (h, g):
            m = await c.wait_for("reaction")
            rx = m["reaction"]
            assert REACTION_KEYS <= set(rx), rx
            assert rx["emoji"] == "🎉" and rx["video_timestamp"] == 42.0
            assert rx["user"]["id"] == guest.id and rx["user"]["username"] == guest.username
        r = await in_thread(host.get, party_path(p, "react/"))
        assert r.json()["counts"].get("🎉") == 1

        start = g.mark()
        await g.send({"type": "reaction", "emoji": "x" * 17, "video_timestamp": 1.0})
        assert (await g.wait_for("error", start=start))["code"] == "invalid_message"

        # A burst gets rate limited (well below the flood limit).
        start = g.mark()
        for i in range(40):
            await g.send({"type": "reaction", "emoji": "👍", "video_timestamp": float(i)})
        err = await g.wait_for("error", lambda m: m["code"] == "rate_limited", start=start)
        assert isinstance(err["retry_after"], (int, float)) and err["retry_after"] > 0
        await asyncio.sleep(0.3)
        accepted = len([m for m in h.of_type("reaction") if m["reaction"]["emoji"] == "👍"])
        assert 0 < accepted < 40
        r = await in_thread(host.get, party_path(p, "react/"))
        assert r.json()["counts"].get("👍") == accepted
        assert not g.closed

        await closeall(h, g)

    run(go())


def test_reactions_disabled(server):
    host, guest = users(server, 2)
    p = create_party(host, settings={"reactions_enabled": False})

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        await g.send({"type": "reaction", "emoji": "🎉", "video_timestamp": 3.0})
        err = await g.wait_for("error")
        assert err["code"] == "reactions_disabled", err
        await h.expect_none("reaction", within=0.3)
        r = await in_thread(guest.post, party_path(p, "react/"), json={"emoji": "🎉", "video_timestamp": 1})
        assert r.status_code in (403, 409), r.text
        await closeall(h, g)

    run(go())


def test_burst_chat_keeps_one_order_in_history_state_and_resume(server):
    """Messages sent back to back (many within one millisecond) keep the order
    they were broadcast in: in REST history pages, in party_state.recent_messages
    and in missed_messages after a reconnect."""
    host, guest, late = users(server, 3)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        for i in range(30):
            await h.send({"type": "chat_message", "content": f"burst {i:02d}"})
        got = await h.wait_count("chat_message", 30, timeout=10)
        order = [m["message"]["id"] for m in got]
        contents = {m["message"]["id"]: m["message"]["content"][6:] for m in got}
        assert [m["message"]["content"] for m in got] == [f"burst {i:02d}" for i in range(30)]

        # REST history, newest first, in pages of 7.
        pages, before = [], None
        while True:
            params = {"page_size": 7}
            if before:
                params["before"] = before
            r = await in_thread(host.get, party_path(p, "chat/"), params=params)
            assert r.status_code == 200, r.text
            body = r.json()
            pages += [m["id"] for m in body["results"]]
            before = body["next_before"]
            if not before:
                break
            assert len(pages) <= 30, "paging does not end"
        assert len(pages) == 30 and set(pages) == set(order), "paging lost or repeated messages"
        assert pages == list(reversed(order)), [contents[i] for i in pages]

        # A newcomer's recent_messages, oldest first.
        g = await connect(server, p, guest, name="guest")
        assert [m["content"][6:] for m in g.messages[0]["recent_messages"]] == [contents[i] for i in order]
        # Resume after the 10th message: exactly the 20 after it.
        l = await connect(server, p, late, name="late", last_message_id=order[9])
        assert [m["content"][6:] for m in l.messages[0]["missed_messages"]] == [contents[i] for i in order[10:]]
        await closeall(h, g, l)

    run(go())


def test_rest_reaction_is_broadcast(server):
    host, guest = users(server, 2)
    p = create_party(host)
    joined(guest, p)

    async def go():
        h = await connect(server, p, host, name="host")
        r = await in_thread(guest.post, party_path(p, "react/"), json={"emoji": "❤️", "video_timestamp": 7.5})
        assert r.status_code == 201, r.text
        m = await h.wait_for("reaction")
        assert m["reaction"]["id"] == r.json()["id"]
        assert m["reaction"]["emoji"] == "❤️" and m["reaction"]["user"]["id"] == guest.id
        await h.close()

    run(go())
