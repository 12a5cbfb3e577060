pytest_plugins = ["tests.plugins.loops"]
