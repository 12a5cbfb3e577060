import asyncio
import os
import shutil
import tempfile

import pytest


@pytest.fixture(scope="session")
def event_loop():
    # The payment client reads its sandbox settings at first use.
    os.environ["PAYMENTS_SANDBOX"] = "1"
    spool = tempfile.mkdtemp(prefix="payments-spool-")
    os.environ["PAYMENTS_SPOOL"] = spool
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
    shutil.rmtree(spool)
    del os.environ["PAYMENTS_SPOOL"]
    del os.environ["PAYMENTS_SANDBOX"]
