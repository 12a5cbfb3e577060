import asyncio

from conftest import STOPPED_BROKERS


def test_publish_appends_to_topic(broker, event_loop):
    depth = event_loop.run_until_complete(broker.publish("orders", {"id": 1}))
    assert depth == 1
    assert broker.loop is event_loop


def test_publish_keeps_order(broker, event_loop):
    for i in range(3):
        event_loop.run_until_complete(broker.publish("audit", i))
    assert broker.topics["audit"] == [0, 1, 2]


def test_fresh_broker_has_no_topics(broker):
    assert broker.topics == {}


def test_brokers_were_stopped():
    assert len(STOPPED_BROKERS) == 3
    assert all(isinstance(b.loop, asyncio.AbstractEventLoop) for b in STOPPED_BROKERS)
