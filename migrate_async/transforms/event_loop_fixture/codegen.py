"""The code event-loop-fixture writes into a conftest.py in place of an override now lives
in ``pytest_model/conftest_code.py``, the one home of what the tool writes into a
conftest.py; this module re-exports it for the package's modules until they import it from
there."""

from ...pytest_model.conftest_code import Spell, collection_hook, factory_hook

__all__ = ["Spell", "collection_hook", "factory_hook"]
