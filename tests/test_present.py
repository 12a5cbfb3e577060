"""Present: which strings occur in a file's bytes, each looked for once, answers exactly as ``in``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_async.present import ROOTS, Present, bytes_of
from migrate_async.project import ProjectFacts  # (first: loading.py is imported through it)
from migrate_async.pytest_model.loading import defines_own_loop, may_use_legacy_loop_fixture
from migrate_async.pytest_model.runners import RUNS_A_LOOP, SIGNS_IN_CODE, may_run_a_loop
from migrate_async.transforms import REGISTRY
from migrate_async.transforms.triggers import has_word


def _flat(alternatives) -> list[bytes]:
    return [part for option in alternatives for part in ((option,) if isinstance(option, bytes) else option)]


#: every string the scan and the triggers ask, the roots, and pieces of them
ASKED = sorted(
    {
        *ROOTS,
        *RUNS_A_LOOP,
        *SIGNS_IN_CODE,
        *(
            trigger
            for t in REGISTRY
            for triggers in (t.triggers,)
            for trigger in (
                *triggers.all, *_flat(triggers.any), *triggers.words, *triggers.project,
                *triggers.survey, *triggers.survey_also, *triggers.survey_any,
            )
        ),
    }
)
PIECES = sorted({p for s in ASKED for p in (s, s[:3], s[2:], s[:-1], b"x" + s, s + b"_")} | {b"", b" ", b"\n"})


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=3)), max_size=12),
    st.lists(st.sampled_from(ASKED + PIECES), max_size=40),
)
def test_present_answers_as_in_does(pieces: list[bytes], questions: list[bytes]) -> None:
    data = b"".join(pieces)
    present = Present(data)
    for needle in questions:  # in any order, each asked any number of times
        assert (needle in present) is (needle in data), needle
        assert present[needle] is (needle in data), needle
    assert bytes_of(present) is data and bytes_of(data) is data


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=3)), max_size=12))
def test_predicates_answer_the_same_for_bytes_and_their_present(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    for transform in REGISTRY:
        assert transform.triggers.surveys(Present(data)) is transform.triggers.surveys(data)
        assert transform.triggers.matches(Present(data)) is transform.triggers.matches(data)
        for word in transform.triggers.words:
            assert has_word(Present(data), word) is has_word(data, word)
    assert may_run_a_loop(Present(data)) is may_run_a_loop(data)
    assert may_use_legacy_loop_fixture(Present(data)) is may_use_legacy_loop_fixture(data)


def test_a_root_absent_settles_the_strings_containing_it_without_a_look() -> None:
    class Counting(bytes):
        asked: list[bytes] = []

        def __contains__(self, needle: object) -> bool:
            self.asked.append(needle)  # type: ignore[arg-type]
            return bytes.__contains__(self, needle)  # type: ignore[operator]

    data = Counting(b"import pytest\n\ndef test_it():\n    assert True\n")
    present = Present(data)
    assert b"event_loop" not in present and b"pytest_asyncio" not in present  # (learnt: loop, async)
    assert b"event_loop" not in present and b"pytest_asyncio" not in present
    assert b"pytest" in present and b"pytest" in present
    assert sorted(data.asked) == sorted([*ROOTS, b"pytest"])
    data.asked.clear()
    Present(data)  # a second file: what the first asked that holds a root is answered at once
    assert sorted(data.asked) == sorted(ROOTS)


def test_defines_own_loop_reads_the_bytes_of_a_present() -> None:
    from migrate_async.pytest_model.event_loop import OWN_LOOP_MARK

    project = ProjectFacts()
    for source in (
        b"import pytest\n\n@pytest.fixture\ndef event_loop():\n    pass\n",
        b'import pytest\n\n@pytest.fixture\ndef event_loop():\n    """' + OWN_LOOP_MARK.encode() + b'"""\n',
    ):
        assert defines_own_loop(project, Present(source)) is defines_own_loop(project, source)
    assert defines_own_loop(project, Present(source))
