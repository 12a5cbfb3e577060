from tests.helpers.runners import *  # noqa: F403
