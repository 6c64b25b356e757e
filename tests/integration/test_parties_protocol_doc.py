"""docs/realtime.md checked against the server: a scripted session sends every
client -> server type of the doc's table and must receive every server ->
client type of the other table, each with the fields the table lists; every
type has one JSON example: client examples are sent to a live server and
accepted, server examples have the keys and nesting of the first real
message of their type."""
import asyncio
import json
import os
import re

import pytest

from conftest import ROOT
from party_helpers import (closeall, connect, create_party, in_thread, join, member_action, patch_party, post_chat, run,
                           users)

DOC = os.path.join(ROOT, "docs", "realtime.md")


def section_rows(text, heading):
    """The rows of the first table after `## heading`: [(type, fields cell)]."""
    m = re.search(r"^## " + re.escape(heading) + r"\s*$", text, re.M)
    assert m, f"no section {heading!r} in realtime.md"
    rows = []
    for line in text[m.end():].splitlines():
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"`[a-z_]+`", cells[0]):
            rows.append((cells[0].strip("`"), cells[1]))
    assert rows, f"no table rows under {heading!r}"
    return rows


def section_text(text, heading):
    m = re.search(r"^## " + re.escape(heading) + r"\s*$", text, re.M)
    assert m, f"no section {heading!r} in realtime.md"
    rest = text[m.end():]
    end = re.search(r"^## ", rest, re.M)
    return rest[:end.start()] if end else rest


def examples(text, heading):
    """The section's ```json examples: {type: message}, exactly one per type."""
    out = {}
    for block in re.findall(r"^```json\n(.*?)^```", section_text(text, heading), re.M | re.S):
        msg = json.loads(block)
        assert isinstance(msg, dict) and isinstance(msg.get("type"), str), block
        assert msg["type"] not in out, f"two examples of {msg['type']} under {heading!r}"
        out[msg["type"]] = msg
    return out


def kind(v):
    return "bool" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) else type(v).__name__


def same_shape(example, real, path="$"):
    """Objects have the same keys at every depth; lists compare their first
    items; scalars the same JSON kind (null matches anything)."""
    if isinstance(example, dict):
        assert isinstance(real, dict), f"{path}: the example has an object, the server sent {real!r}"
        assert set(example) == set(real), f"{path}: example keys {sorted(example)}, real keys {sorted(real)}"
        for k in example:
            same_shape(example[k], real[k], f"{path}.{k}")
    elif isinstance(example, list):
        assert isinstance(real, list), f"{path}: the example has a list, the server sent {real!r}"
        if example and real:
            same_shape(example[0], real[0], path + "[0]")
    elif example is not None and real is not None:
        assert kind(example) == kind(real), f"{path}: example {example!r}, real {real!r}"


def parse_shape(s):
    """'{a, b: {c, d}, e}' -> {'a': None, 'b': {'c': None, 'd': None}, 'e': None}"""
    s = s.strip()
    assert s.startswith("{") and s.endswith("}"), s
    inner, out, depth, cur = s[1:-1], [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    out.append(cur)
    shape = {}
    for part in out:
        part = part.strip()
        if not part or part in ("…", "..."):
            continue
        if ":" in part:
            name, sub = part.split(":", 1)
            sub = sub.strip()
            shape[name.strip()] = parse_shape(sub) if sub.startswith("{") else None
        else:
            shape[part] = None
    return shape


def required_fields(cell):
    """Top-level fields a message must carry, with nested shapes where the doc gives one.
    Anything in parentheses is conditional, anything after an em dash is prose."""
    prev = None
    while prev != cell:
        prev, cell = cell, re.sub(r"\([^()]*\)", "", cell)
    cell = cell.split(" — ")[0]
    fields = {}
    tokens = list(re.finditer(r"`([^`]*)`", cell))
    skip = set()
    for i, t in enumerate(tokens):
        if i in skip:
            continue
        tok = t.group(1).strip()
        m = re.fullmatch(r"(\w+)\s*:\s*(\{.*\})", tok)
        if m:
            fields[m.group(1)] = parse_shape(m.group(2))
        elif re.fullmatch(r"\w+", tok):
            shape = None
            if i + 1 < len(tokens):
                between = cell[t.end():tokens[i + 1].start()].strip()
                nxt = tokens[i + 1].group(1).strip()
                if between == ":" and nxt.startswith("{"):
                    shape = parse_shape(nxt)
                    skip.add(i + 1)
            fields[tok] = shape
    return fields


def matches(value, shape):
    if shape is None:
        return True
    if not isinstance(value, dict):
        return False
    return all(k in value and matches(value[k], sub) for k, sub in shape.items())


def test_doc_parser_reads_both_tables():
    text = open(DOC, encoding="utf-8").read()
    client = dict(section_rows(text, "Client → server"))
    server = dict(section_rows(text, "Server → client"))
    assert {"ping", "video_control", "chat_message"} <= set(client)
    assert {"party_state", "pong", "playback_state", "error"} <= set(server)
    assert required_fields(server["pong"]) == {"client_time": None, "server_time": None}
    assert required_fields(server["chat_message"]) == {
        "message": {"id": None, "user": {"id": None, "username": None}, "content": None, "message_type": None,
                    "sent_at": None, "badges": None}}
    assert "retry_after" not in required_fields(server["error"])
    with pytest.raises(AssertionError):
        same_shape({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}})
    with pytest.raises(AssertionError):
        same_shape({"a": [{"b": 1}]}, {"a": [{"c": 1}]})
    same_shape({"a": None, "b": [{"c": "x"}]}, {"a": {"z": 1}, "b": [{"c": "y"}, {"d": 1}]})


def test_every_documented_type_has_one_example():
    text = open(DOC, encoding="utf-8").read()
    for heading in ("Client → server", "Server → client"):
        documented = {t for t, _ in section_rows(text, heading)}
        shown = set(examples(text, heading))
        assert shown == documented, f"{heading}: no example for {documented - shown}, undocumented {shown - documented}"


# What each client example is answered with (a message of that type, received after sending it).
ANSWERS = {"ping": "pong", "video_control": "playback_state", "buffering": "playback_state",
           "ready": "playback_state", "chat_message": "chat_message", "reaction": "reaction", "typing": "typing",
           "sync_request": "playback_state"}


def test_client_examples_are_accepted_by_a_live_server(server):
    text = open(DOC, encoding="utf-8").read()
    client = examples(text, "Client → server")
    host, guest = users(server, 2)
    p = create_party(host)

    async def go():
        h = await connect(server, p, host, name="host")
        g = await connect(server, p, guest, name="guest")
        for t, msg in client.items():  # in the doc's order: play comes before buffering and ready
            mark = h.mark()
            await h.send(msg)
            if t in ANSWERS:
                await h.wait_for(ANSWERS[t], start=mark)
            else:
                await asyncio.sleep(0.3)
            errors = h.of_type("error")
            assert not errors, f"the server refused the {t} example {msg}: {errors}"
        await asyncio.sleep(0.3)
        assert not h.of_type("error"), h.of_type("error")
        assert not h.closed
        await closeall(h, g)

    run(go())


def test_every_documented_message_type_in_a_scripted_session(server):
    text = open(DOC, encoding="utf-8").read()
    client_types = [t for t, _ in section_rows(text, "Client → server")]
    server_rows = section_rows(text, "Server → client")
    host, member, visitor, asker = users(server, 4)
    p = create_party(host)
    first = post_chat(host, p, "before anyone connected")
    post_chat(host, p, "missed by the member")

    async def go():
        h = await connect(server, p, host, name="host")
        m = await connect(server, p, member, name="member", last_message_id=first["id"])
        assert [x["content"] for x in m.messages[0]["missed_messages"]] == ["missed by the member"]

        await h.ping()
        hs, ms = h.mark(), m.mark()
        await h.control("play", position=3.0)
        await m.wait_for("playback_state", lambda x: x["playback"]["status"] == "playing", start=ms)
        hs, ms = h.mark(), m.mark()
        await m.send({"type": "buffering", "position": 3.1})
        await h.wait_for("playback_state", lambda x: x["playback"]["status"] == "waiting", start=hs)
        hs, ms = h.mark(), m.mark()
        await m.send({"type": "ready", "position": 3.1})
        await h.wait_for("playback_state", lambda x: x["playback"]["status"] == "playing", start=hs)
        hs, ms = h.mark(), m.mark()
        await h.control("pause", position=4.0)
        await m.wait_for("playback_state", lambda x: x["playback"]["status"] == "paused", start=ms)

        await m.send({"type": "chat_message", "content": "hi all"})
        await h.wait_for("chat_message", lambda x: x["message"]["content"] == "hi all")
        await m.send({"type": "reaction", "emoji": "👍", "video_timestamp": 4.0})
        await h.wait_for("reaction")
        await m.send({"type": "typing", "is_typing": True})
        await h.wait_for("typing")
        start = m.mark()
        await m.send({"type": "sync_request"})
        await m.wait_for("playback_state", start=start)
        await m.send({"type": "sync_report", "drift_ms": -12})  # analytics (#20): no answer; the error below is the next's
        await m.send({"type": "no_such_type"})
        await m.wait_for("error")

        v = await connect(server, p, visitor, name="visitor")
        await h.wait_for("user_joined", lambda x: x["user"]["id"] == visitor.id)
        await v.close()
        await h.wait_for("user_left", lambda x: x["user"]["id"] == visitor.id)

        r = await in_thread(patch_party, host, p, title="renamed while watching")
        assert r.status_code == 200, r.text
        await m.wait_for("party_updated", lambda x: x["party"]["title"] == "renamed while watching")
        r = await in_thread(member_action, host, p, member, "promote")
        assert r.status_code == 200, r.text
        await h.wait_for("participant_updated", lambda x: x["user"]["id"] == member.id)
        r = await in_thread(patch_party, host, p, settings={"require_approval": True})
        assert r.status_code == 200, r.text
        r = await in_thread(join, asker, p)
        assert r.status_code == 202, r.text
        await h.wait_for("join_request", lambda x: x["user"]["id"] == asker.id)
        await m.wait_for("join_request", lambda x: x["user"]["id"] == asker.id)

        polls = f"/api/parties/{p['id']}/polls/"
        r = await in_thread(host.post, polls, json={"question": "Which film next?", "options": ["Alien", "Heat"],
                                                    "duration_seconds": 120})
        assert r.status_code == 201, r.text
        poll = r.json()
        await m.wait_for("poll_created", lambda x: x["poll"]["id"] == poll["id"])
        r = await in_thread(member.post, polls + poll["id"] + "/vote/", json={"option_ids": [poll["options"][0]["id"]]})
        assert r.status_code == 200, r.text
        await h.wait_for("poll_results", lambda x: x["poll_id"] == poll["id"])
        r = await in_thread(host.post, polls + poll["id"] + "/close/")
        assert r.status_code == 200, r.text
        await m.wait_for("poll_closed", lambda x: x["poll"]["id"] == poll["id"])

        # A big room (more members than party_state lists): counts instead of each join.
        r = await in_thread(patch_party, host, p, max_participants=200, settings={"require_approval": False})
        assert r.status_code == 200, r.text
        crowd = await in_thread(users, server, 100, "crowd")
        for c in crowd:
            r = await in_thread(join, c, p)
            assert r.status_code == 200, r.text
        late = await connect(server, p, crowd[0], name="crowd")
        await h.wait_for("presence_counts")
        await late.close()

        received = [msg for _, msg in sorted(h.log + m.log + v.log, key=lambda e: e[0])]
        sent_types = {x.get("type") for c in (h, m, v) for x in c.sent}
        await closeall(h, m)
        return received, sent_types

    received, sent_types = run(go())
    missing_sent = [t for t in client_types if t not in sent_types]
    assert not missing_sent, f"script never sent {missing_sent}"
    by_type = {}
    for msg in received:
        by_type.setdefault(msg.get("type"), []).append(msg)
    missing = [t for t, _ in server_rows if t not in by_type]
    assert not missing, f"documented server -> client types never received: {missing}"
    for t, cell in server_rows:
        fields = required_fields(cell)
        for name, shape in fields.items():
            ok = [x for x in by_type[t] if name in x and matches(x[name], shape)]
            assert ok, f"{t}: no message carries {name!r} shaped {shape}; got {by_type[t][:2]}"
    undocumented = set(by_type) - {t for t, _ in server_rows}
    assert not undocumented, f"received types the doc does not list: {undocumented}"
    for t, example in examples(text, "Server → client").items():
        same_shape(example, by_type[t][0], t)
