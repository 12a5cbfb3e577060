"""Which files a run looks at: walking, .gitignore, --exclude, symbolic links, names."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_async.discovery import _Spec, discover


def _files(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import pytest\n")


def _shown(paths: list[Path], exclude: list[str] | None = None, force_exclude: bool = False) -> list[str]:
    found = discover(paths, exclude, force_exclude)
    assert not found.missing
    return [f.path for f in found.files]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_walk_shows_paths_as_written_and_sorted_like_posix_paths(repo: Path) -> None:
    _files(repo, "tests/test_b.py", "tests/b/test_c.py", "tests/b_c.py", "tests/a.py", "tests/notes.txt")
    expected = ["tests/a.py", "tests/b/test_c.py", "tests/b_c.py", "tests/test_b.py"]
    assert _shown([Path(".")]) == expected
    assert _shown([Path("./tests/")]) == expected
    assert _shown([repo / "tests"]) == [str(repo / name) for name in expected]


def test_gitignore_rules_nest_and_negate(repo: Path) -> None:
    (repo / ".gitignore").write_text("gen/\nignored_*.py\n!ignored_keep.py\n# a comment\n")
    (repo / "tests" / "sub").mkdir(parents=True)
    (repo / "tests" / "sub" / ".gitignore").write_text("deep_*.py\n")
    _files(
        repo,
        "gen/test_gen.py", "tests/gen/test_gen.py", "tests/ignored_a.py", "tests/ignored_keep.py",
        "tests/sub/deep_test.py", "tests/deep_test.py", "tests/sub/test_b.py",
    )
    assert _shown([Path(".")]) == ["tests/deep_test.py", "tests/ignored_keep.py", "tests/sub/test_b.py"]
    # the repository's .gitignore counts when a folder below it is named
    assert _shown([Path("tests/sub")]) == ["tests/sub/test_b.py"]


def test_gitignore_outside_a_repository_counts_from_the_folder_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitignore").write_text("test_skip.py\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / ".gitignore").write_text("test_local.py\n")
    _files(tmp_path, "test_skip.py", "pkg/test_skip.py", "pkg/test_local.py", "pkg/test_keep.py")
    assert _shown([Path(".")]) == ["pkg/test_keep.py"]
    # no repository: the .gitignore above the folder named is not consulted
    assert _shown([Path("pkg")]) == ["pkg/test_keep.py", "pkg/test_skip.py"]


def test_virtualenvs_tool_folders_and_egg_info_are_skipped(repo: Path) -> None:
    _files(
        repo, "env1/test_a.py", ".tox/py311/test_a.py", "node_modules/x/test_a.py", "build/test_a.py",
        "pkg.egg-info/test_a.py", "__pycache__/test_a.py", "tests/test_a.py",
    )
    (repo / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    assert _shown([Path(".")]) == ["tests/test_a.py"]


def test_symbolic_links_are_not_followed_while_walking(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    _files(outside, "test_far.py")
    _files(repo, "tests/test_a.py")
    (repo / "tests" / "far").symlink_to(outside, target_is_directory=True)
    (repo / "tests" / "test_link.py").symlink_to(outside / "test_far.py")
    (repo / "tests" / "test_loop").symlink_to(repo / "tests", target_is_directory=True)
    (repo / "tests" / "test_same.py").symlink_to(repo / "tests" / "test_a.py")
    assert _shown([Path(".")]) == ["tests/test_a.py"]
    # the link out of the folder walked is said, in one line; the one inside is its target
    assert discover([Path(".")]).passed_by == [
        "tests/test_link.py: a symbolic link to a file outside the folder walked (.); not followed"
    ]
    assert discover([Path("tests")]).passed_by == [
        "tests/test_link.py: a symbolic link to a file outside the folder walked (tests); not followed"
    ]


def test_a_named_link_is_taken_only_when_it_leads_into_the_tree(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    _files(outside, "test_far.py")
    _files(repo, "tests/test_a.py")
    (repo / "tests" / "test_out.py").symlink_to(outside / "test_far.py")
    (repo / "tests" / "test_in.py").symlink_to(repo / "tests" / "test_a.py")
    root_of = {str(repo.resolve() / "tests"): str(repo.resolve())}.get
    found = discover([Path("tests/test_out.py"), Path("tests/test_in.py")], root_of=root_of)
    assert [(f.path, f.real) for f in found.files] == [("tests/test_in.py", str(repo.resolve() / "tests" / "test_a.py"))]
    assert found.skipped == ["tests/test_out.py: a symbolic link to a file outside the project (.); not followed"]


def test_a_file_named_explicitly_is_taken_once_even_through_a_link(repo: Path) -> None:
    _files(repo, "tests/test_a.py", "tests/test_b.py")
    (repo / "test_link.py").symlink_to(repo / "tests" / "test_a.py")
    found = discover([Path("test_link.py"), Path("tests"), Path("tests/test_a.py")])
    assert [(f.path, f.explicit) for f in found.files] == [("test_link.py", True), ("tests/test_b.py", False)]
    assert found.files[0].real == str(repo.resolve() / "tests" / "test_a.py")


def test_exclude_patterns_and_force_exclude(repo: Path) -> None:
    (repo / ".gitignore").write_text("test_gen_*.py\n")
    _files(repo, "tests/legacy/test_a.py", "tests/test_b.py", "tests/test_c_slow.py", "tests/test_gen_1.py")
    assert _shown([Path(".")], exclude=["tests/legacy/", "*_slow.py"]) == ["tests/test_b.py"]
    # a file named on the command line is taken unless --force-exclude is given
    named = [Path("tests/test_c_slow.py"), Path("tests/test_gen_1.py")]
    assert _shown(named, exclude=["*_slow.py"]) == ["tests/test_c_slow.py", "tests/test_gen_1.py"]
    assert _shown(named, exclude=["*_slow.py"], force_exclude=True) == []


def test_missing_arguments_are_reported_and_pipes_are_not_read(repo: Path) -> None:
    _files(repo, "tests/test_a.py")
    os.mkfifo(repo / "tests" / "test_pipe.py")
    found = discover([Path("nowhere"), Path("tests"), Path("tests/test_pipe.py")])
    assert found.missing == ["nowhere"]
    assert [f.path for f in found.files] == ["tests/test_a.py"]


GITIGNORES = [
    "__pycache__/\n*.py[cod]\nbuild/\n*.egg-info/\n.venv\nenv/\n/site\ndocs/_build/\n!keep.pyc\n",
    "# comment\n\n*.py\n!test_*.py\ntests/**/gen_*.py\n/top_only.py\n[Tt]emp*/\n\\#odd.py\n",
    "a/b/\n**/c/d.py\n!a/b/e.py\n?.py\n",
]
PATH_PARTS = ["tests", "a", "b", "c", "build", "docs", "_build", "site", "env", "__pycache__", "Temp1", "x.egg-info"]
FILE_NAMES = ["test_x.py", "x.pyc", "keep.pyc", "d.py", "e.py", "q.py", "gen_1.py", "top_only.py", "#odd.py", "mod.py"]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(range(len(GITIGNORES))),
    st.lists(st.sampled_from(PATH_PARTS), max_size=4),
    st.sampled_from(FILE_NAMES),
    st.booleans(),
)
def test_the_quick_gitignore_test_agrees_with_pathspec(which: int, folders: list[str], name: str, is_dir: bool) -> None:
    spec = pathspec.GitIgnoreSpec.from_lines(GITIGNORES[which].splitlines())
    quick = _Spec(spec)
    assert quick.any_match is not None  # the patterns could be joined
    rel = "/".join([*folders, name]) + ("/" if is_dir else "")
    assert quick.include(rel) == spec.check_file(rel).include
