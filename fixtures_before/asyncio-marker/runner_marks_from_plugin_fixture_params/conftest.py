pytest_plugins = ["tests.plugins.runners"]
