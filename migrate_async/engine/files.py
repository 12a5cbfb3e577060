"""Reading, decoding and parsing a file, checking a rewrite, atomic writes."""

from __future__ import annotations

import ast
import io
import os
import tempfile
import tokenize
import warnings
from pathlib import Path

import libcst as cst

from ..paths import inside
from .source import parse_module


class SourceError(Exception):
    """A file that cannot be read, decoded or parsed; the message is one line."""


def decode(data: bytes, path: str) -> tuple[str, str]:
    """bytes → (text, encoding), honouring a BOM and a PEP 263 coding cookie."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # tokenize says "invalid or missing encoding declaration" for bytes that are not
        # UTF-8 in the first two lines; decoding as UTF-8 tells where exactly.
        encoding = "utf-8"
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
            raise SourceError(f"{path}:{exc.lineno or 1}:1: {str(exc.msg).splitlines()[0]}") from exc
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise SourceError(f"{path}:{line}:{column}: cannot decode as {encoding}: {reason}") from exc


def parse(text: str, path: str) -> cst.Module:
    try:
        return parse_module(text)
    except cst.ParserSyntaxError as exc:
        python = python_syntax_error(text)
        if python is not None:
            line, column, message = python
        else:  # Python accepts the file: a construct LibCST's grammar does not know
            line, column = exc.raw_line, exc.raw_column + 1
            message = str(exc.message).strip().splitlines()[0] if exc.message else "invalid syntax"
        raise SourceError(f"{path}:{line}:{column}: syntax error: {message}") from exc
    except cst.CSTValidationError as exc:
        # (LibCST's parser lets it through, its checks of the node do not: where those run,
        # see cstkit.parsing; Python rejects such a file too)
        found = python_syntax_error(text, compiled=True)
        line, column, message = found if found is not None else (1, 1, str(exc))
        raise SourceError(f"{path}:{line}:{column}: syntax error: {message}") from exc
    except RecursionError as exc:
        raise SourceError(f"{path}:1:1: too deeply nested for the parser") from exc


def python_syntax_error(text: str, compiled: bool = False) -> tuple[int, int, str] | None:
    """Where and why Python itself rejects ``text`` (line, 1-based column, message), or
    None when it parses it.

    LibCST's positions are its tokenizer's, often a line late (the token after the error:
    ``def f(:`` is reported on the next line) and its messages list the tokens it
    expected; the user's editor, ``python -m py_compile`` and pytest show Python's. Only
    parsing is asked for (``ast``): compile-stage errors ("'return' outside function")
    are not why LibCST's parser failed. With ``compiled``, they are asked for too (what
    LibCST's checks of a node reject: "default 'except:' must be last").
    """
    try:
        if compiled:
            _compiles(text)
        else:
            ast.parse(text)
    except SyntaxError as exc:
        message = str(exc.msg).strip().splitlines()[0] if exc.msg else "invalid syntax"
        return max(exc.lineno or 1, 1), max(exc.offset or 1, 1), message
    except (ValueError, RecursionError, MemoryError):
        return None  # null bytes, or too deep for ast: LibCST's position is all there is
    return None


def output_is_valid(new: str, old: str) -> bool:
    """The rewritten text must compile (Python's compiler also rejects what its parser lets
    through: a keyword argument given twice, ``return`` outside a function); LibCST decides when
    the old text is beyond this Python."""
    try:
        _compiles(new)
        return True
    except SyntaxError:
        pass
    except (ValueError, RecursionError, MemoryError):
        return False
    try:
        _compiles(old)
        return False  # the old text compiled and the new does not: our bug
    except Exception:  # noqa: BLE001
        pass
    try:
        cst.parse_module(new)
        return True
    except Exception:  # noqa: BLE001
        return False


#: why a file that resolves outside its project's tree is neither read for editing nor written
OUTSIDE = "a symbolic link leads outside the project"


class WriteRefused(OSError):
    """A write migrate-async declines to make; ``reason`` is the one line the report shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def write_failure(display: str, exc: OSError) -> str:
    """The one report line for a file that could not be written: ``path: reason``.

    No line and column (the whole file is concerned), and only the system's own words
    (``strerror``): an OSError's str() repeats the absolute temp file or target path.
    """
    if isinstance(exc, WriteRefused):
        reason = exc.reason
    else:
        reason = exc.strerror or "input/output error"
    return f"{display}: cannot write: {reason}"


def atomic_write(path: Path, data: bytes, expected_old: bytes | None = None, within: Path | None = None) -> None:
    """Write through a temp file in the same folder and a rename; keep the mode bits.

    A symbolic link is written through: its target gets the new text and the link stays a
    link (a rename onto the link itself would replace it by a regular file). With
    ``within`` (a project's root), a file that resolves outside it is not written
    (WriteRefused): nothing is written outside the project tree, whatever a link says.
    With ``expected_old``, refuse (WriteRefused) when the file changed since it was read.
    """
    if within is not None and not inside(path, within):
        raise WriteRefused(f"{OUTSIDE}; not followed")
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if expected_old is not None:
        current = path.read_bytes()
        if current != expected_old:
            raise WriteRefused("changed on disk while migrate-async was running; not overwritten")
    mode = os.stat(path).st_mode & 0o7777 if path.exists() else None
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".migrate-async.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise


def _compiles(text: str) -> None:
    """Compile ``text`` as a module (top-level ``await`` allowed, as in a notebook or a REPL
    file: the old text decides whether that is the project's way); raises SyntaxError."""
    with warnings.catch_warnings():  # the compiler's SyntaxWarnings ("is" with a literal) are the project's own
        warnings.simplefilter("ignore")
        compile(text, "<rewritten>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
