"""Two nodes on one PostgreSQL and one Redis act as one server (first
slice of the scale-out work: shared accounts and room broadcasts)."""
import os

import pytest

from conftest import PG_URL, Server, new_pg_database
from helpers import register
from party_helpers import connect, create_party, run

REDIS_URL = os.environ.get("WP_REDIS_URL", "")

pytestmark = pytest.mark.skipif(not (PG_URL and REDIS_URL), reason="needs WP_PG_URL and WP_REDIS_URL")


@pytest.fixture
def two_nodes():
    db = new_pg_database()
    a = Server("postgresql", args=["--redis-url", REDIS_URL], database_url=db).start()
    b = Server("postgresql", args=["--redis-url", REDIS_URL], database_url=db).start()
    yield a, b
    a.stop()
    b.stop()


def test_a_token_from_one_node_works_on_the_other(two_nodes):
    a, b = two_nodes
    user = register(a)
    r = b.get("/api/auth/profile/", headers={"Authorization": f"Bearer {user.access}"})
    assert r.status_code == 200, r.text
    assert r.json()["id"] == user.id


def test_chat_and_control_cross_nodes(two_nodes):
    a, b = two_nodes
    host = register(a)
    guest = register(a)
    party = create_party(host, settings={"control": "everyone"})

    async def scenario():
        on_a = await connect(a, party, host, name="host@A")
        on_b = await connect(b, party, guest, name="guest@B")
        await on_a.wait_for("user_joined", lambda m: m["user"]["id"] == guest.id)
        await on_b.send({"type": "chat_message", "content": "hello from B"})
        got = await on_a.wait_for("chat_message", lambda m: m["message"]["content"] == "hello from B")
        assert got["message"]["user"]["id"] == guest.id
        await on_a.send({"type": "video_control", "action": "seek", "position": 42})
        pb = await on_b.wait_for("playback_state", lambda m: m["playback"]["position"] == 42)
        assert pb["playback"]["set_by"] == host.id
        await on_a.close()
        await on_b.close()

    run(scenario())
