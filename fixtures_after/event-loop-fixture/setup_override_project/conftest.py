import os
import shutil
import tempfile

import pytest


@pytest.fixture(scope="session", autouse=True)
def setup_payments_env():
    # The payment client reads its sandbox settings at first use.
    os.environ["PAYMENTS_SANDBOX"] = "1"
    spool = tempfile.mkdtemp(prefix="payments-spool-")
    os.environ["PAYMENTS_SPOOL"] = spool
    yield
    shutil.rmtree(spool)
    del os.environ["PAYMENTS_SPOOL"]
    del os.environ["PAYMENTS_SANDBOX"]
