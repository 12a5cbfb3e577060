"""The pre-filter's gate: a few strings that every file some selected transform matches contains."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_async.engine import resolve_selection
from migrate_async.engine.prefilter import gate_strings
from migrate_async.project import FileFacts
from migrate_async.transforms import REGISTRY
from migrate_async.transforms.transform import Transform


def _flat(alternatives) -> list[bytes]:
    return [part for option in alternatives for part in ((option,) if isinstance(option, bytes) else option)]


SELECTIONS = [[t] for t in REGISTRY] + [list(REGISTRY), resolve_selection(None)]
# every trigger, and pieces of them, so that files come close to matching
PIECES = sorted(
    {
        piece
        for t in REGISTRY
        for trigger in (*t.triggers.all, *_flat(t.triggers.any), *t.triggers.words)
        for piece in (trigger, trigger[:3], trigger[2:], b"x" + trigger, trigger + b"_")
    }
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=4), st.just(b" ")), max_size=14),
    st.sampled_from(range(len(SELECTIONS))),
)
def test_a_file_some_transform_matches_passes_the_gate(pieces: list[bytes], which: int) -> None:
    data = b"".join(pieces)
    transforms = SELECTIONS[which]
    gate = gate_strings(transforms)
    if any(t.matches(data) for t in transforms):
        assert gate is None or any(root in data for root in gate), (data, gate)


def test_every_trigger_alone_passes_the_gate() -> None:
    for transforms in SELECTIONS:
        gate = gate_strings(transforms)
        for transform in transforms:
            data = b" ".join((*transform.triggers.all, *transform.triggers.words, *_flat(transform.triggers.any[:1])))
            assert transform.matches(data)
            assert any(root in data for root in gate), (transform.name, gate)


def test_the_default_gate_is_four_strings() -> None:
    # What a file that needs nothing is asked before anything else, in a project in strict
    # mode (event-loop-fixture waits for the survey). A new trigger that widens this
    # makes every such file cost more: keep triggers specific, rarest first.
    transforms = [t for t in resolve_selection(None) if t.applies_to(FileFacts())]
    assert gate_strings(transforms) == (b"async", b"event_loop", b"httpx", b"run_until_complete")


def test_no_gate_when_a_transform_has_no_trigger() -> None:
    class Anything(Transform):
        name = "anything"

    assert gate_strings([*REGISTRY, Anything]) is None
    assert Anything.matches(b"")
