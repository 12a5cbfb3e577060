from acme_testing.db import *  # noqa: F403

pytest_plugins = ["acme_testing.fixtures"]
