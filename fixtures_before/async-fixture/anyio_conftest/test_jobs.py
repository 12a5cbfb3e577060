import pytest

pytestmark = pytest.mark.anyio


async def test_first_job_is_the_resize(job_queue):
    assert await job_queue.receive() == "resize-image"


async def test_queue_is_empty_after_one_job(job_queue):
    await job_queue.receive()
    assert job_queue.statistics().current_buffer_used == 0
