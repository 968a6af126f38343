"""Simulated voicemails and recordings are real telephone WAVs; uploads are told by content."""

from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
import wave
from typing import Any

import numpy as np
import pytest

from fvkit.media import audio

SCRIPT = "Hi, this is Dana from accounts. Please call me back about the March invoice. Thanks."
TALK = "Hello, Acme support. Hi, my order has not arrived. Let me check that for you. Thank you."
RATE = 8000


def _read(data: bytes) -> tuple[Any, np.ndarray]:
    with wave.open(io.BytesIO(data), "rb") as wav:
        return wav.getparams(), np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")


def _riff(tag: int, fmt_extra: bytes = b"", bits: int = 32, data: bytes = bytes(64)) -> bytes:
    """Build a WAV by hand, since the wave module writes nothing but PCM."""
    channels, rate = 1, 8000
    align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits) + fmt_extra
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def _extensible(sub_format: int) -> bytes:
    guid_tail = bytes.fromhex("000000001000800000aa00389b71")
    return struct.pack("<HHI", 22, 32, 4) + struct.pack("<H", sub_format) + guid_tail


@pytest.fixture
def tones_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render as on a machine without espeak-ng, and fail if anything is spawned."""

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("espeak-ng must not run when speech is off")

    monkeypatch.setattr(audio, "has_speech", lambda: False)
    monkeypatch.setattr(subprocess, "run", no_process)


@pytest.mark.req("SIM-6")
def test_render_message_is_telephone_wav_of_exact_length() -> None:
    params, samples = _read(audio.render_message(7, SCRIPT, 12.5))
    assert (params.framerate, params.nchannels, params.sampwidth) == (8000, 1, 2)
    assert params.nframes == samples.size == 100_000
    assert np.abs(samples).max() > 5000  # someone speaks, not just line noise


@pytest.mark.req("SIM-6")
def test_render_message_same_recipe_same_bytes() -> None:
    first = audio.render_message(7, SCRIPT, 9.0)
    assert audio.render_message(7, SCRIPT, 9.0) == first
    assert audio.render_message(8, SCRIPT, 9.0) != first
    assert audio.render_message(7, "Call me back.", 9.0) != first


@pytest.mark.req("SIM-6")
def test_render_message_speaks_when_espeak_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    if not audio.has_speech():
        pytest.skip("espeak-ng is not installed here; the tone fallback is tested separately")
    spoken = audio.render_message(7, SCRIPT, 9.0)
    monkeypatch.setattr(audio, "has_speech", lambda: False)
    assert audio.render_message(7, SCRIPT, 9.0) != spoken


@pytest.mark.req("SIM-6")
@pytest.mark.usefixtures("tones_only")
def test_render_message_tone_fallback_is_valid_and_repeatable() -> None:
    data = audio.render_message(3, SCRIPT, 30.0)
    params, samples = _read(data)
    assert (params.framerate, params.nchannels, params.sampwidth) == (8000, 1, 2)
    assert samples.size == 240_000
    assert np.abs(samples).max() > 5000
    assert audio.render_message(3, SCRIPT, 30.0) == data
    assert audio.render_message(4, SCRIPT, 30.0) != data


@pytest.mark.req("SIM-6")
def test_render_message_trims_a_script_longer_than_the_message() -> None:
    _, samples = _read(audio.render_message(1, SCRIPT * 20, 2.0))
    assert samples.size == 16_000


@pytest.mark.req("SIM-6")
def test_render_message_pads_with_quiet_noise_not_silence() -> None:
    _, samples = _read(audio.render_message(1, "Hi.", 20.0))
    tail = samples[-RATE:-100].astype(float)  # the last second, before the fade-out
    assert 0 < np.sqrt(np.mean(tail**2)) < 200


@pytest.mark.req("SIM-6")
@pytest.mark.parametrize("seconds", [0, -1.0, 3600.5, float("nan"), float("inf")])
def test_render_message_rejects_bad_duration(seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        audio.render_message(1, SCRIPT, seconds)
    with pytest.raises(ValueError, match="seconds"):
        audio.render_recording(1, SCRIPT, seconds, [])


@pytest.mark.req("SIM-6")
def test_render_recording_cuts_out_exactly_the_paused_spans() -> None:
    _, full = _read(audio.render_recording(5, TALK, 30.0, []))
    _, cut = _read(audio.render_recording(5, TALK, 30.0, [(20.0, 21.25), (5.0, 8.5)]))
    assert full.size == 240_000
    assert cut.size == round((30.0 - 4.75) * RATE)
    # What was recorded is the same call, with the paused stretches missing.
    assert np.array_equal(cut[: 5 * RATE], full[: 5 * RATE])
    assert np.array_equal(cut[40_000:132_000], full[68_000:160_000])  # 8.5-20 s follows 5 s


@pytest.mark.req("SIM-6")
def test_render_recording_is_repeatable() -> None:
    paused = [(1.0, 2.0)]
    first = audio.render_recording(5, TALK, 10.0, paused)
    assert audio.render_recording(5, TALK, 10.0, paused) == first
    assert audio.render_recording(6, TALK, 10.0, paused) != first


@pytest.mark.req("SIM-6")
@pytest.mark.usefixtures("tones_only")
def test_render_recording_tone_fallback_has_paused_length() -> None:
    params, samples = _read(audio.render_recording(2, TALK, 12.0, [(0.0, 1.5), (11.0, 12.0)]))
    assert (params.framerate, params.nchannels, params.sampwidth) == (8000, 1, 2)
    assert samples.size == round(9.5 * RATE)
    assert np.abs(samples).max() > 5000


@pytest.mark.req("SIM-6")
@pytest.mark.parametrize(
    ("paused", "message"),
    [
        ([(-1.0, 2.0)], "paused span"),
        ([(5.0, 11.0)], "paused span"),
        ([(4.0, 3.0)], "paused span"),
        ([(1.0, 4.0), (3.0, 5.0)], "overlap"),
        ([(float("nan"), 1.0)], "paused span"),
    ],
)
def test_render_recording_rejects_bad_paused_spans(paused: list[tuple[float, float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        audio.render_recording(1, TALK, 10.0, paused)


@pytest.mark.req("SIM-6")
def test_audio_info_reads_a_rendered_voicemail() -> None:
    info = audio.audio_info(audio.render_message(1, SCRIPT, 4.0))
    assert info == audio.AudioInfo("wav", 8000, 1, 2, 4.0, True)


@pytest.mark.req("SIM-6")
def test_audio_info_reads_a_cd_style_stereo_wav() -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(bytes(4 * 22050))
    assert audio.audio_info(buffer.getvalue()) == audio.AudioInfo("wav", 22050, 2, 2, 1.0, True)


@pytest.mark.req("SIM-6")
def test_audio_info_flags_a_float_wav_as_not_pcm() -> None:
    info = audio.audio_info(_riff(3, data=bytes(4 * 800)))
    assert info == audio.AudioInfo("wav", 8000, 1, 4, 0.1, False)


@pytest.mark.req("SIM-6")
def test_audio_info_reads_extensible_wav_by_its_sub_format() -> None:
    assert audio.audio_info(_riff(0xFFFE, _extensible(1), bits=16, data=bytes(3200))).pcm
    float_wav = audio.audio_info(_riff(0xFFFE, _extensible(3), data=bytes(3200)))
    assert float_wav.format == "wav" and not float_wav.pcm


@pytest.mark.req("SIM-6")
def test_audio_info_reads_an_mp3_made_by_ffmpeg() -> None:
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is not installed, so pydub cannot encode an MP3 here")
    from pydub import AudioSegment

    voicemail = AudioSegment.from_wav(io.BytesIO(audio.render_message(1, SCRIPT, 3.0)))
    buffer = io.BytesIO()
    voicemail.export(buffer, format="mp3", bitrate="32k")
    info = audio.audio_info(buffer.getvalue())
    assert (info.format, info.rate, info.channels, info.pcm) == ("mp3", 8000, 1, False)
    assert info.seconds == pytest.approx(3.0, abs=0.2)  # the encoder pads a frame or two


@pytest.mark.req("SIM-6")
def test_audio_info_recognises_an_id3_tag() -> None:
    tag = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"TIT2\x00\x00\x00\x00\x00\x00"
    assert audio.audio_info(tag).format == "mp3"


@pytest.mark.req("SIM-6")
def test_audio_info_recognises_bare_mpeg_frames() -> None:
    frame = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 Layer III, 128 kbps, 44.1 kHz, 417 bytes
    info = audio.audio_info(frame * 10)  # 0.26 s: two or three frames are too short to be a greeting
    assert (info.format, info.rate, info.channels) == ("mp3", 44100, 2)


@pytest.mark.req("SIM-6")
@pytest.mark.parametrize(
    "data",
    [
        b"",
        random.Random(6).randbytes(4096),
        b"RIFF\x00\x00\x00\x00WAVE",
        b"\xff\xfb\x90\x64 not a stream",
        b"%PDF-1.7 renamed to voicemail.wav",
    ],
)
def test_audio_info_calls_garbage_unknown(data: bytes) -> None:
    assert audio.audio_info(data) == audio.AudioInfo("unknown", 0, 0, 0, 0.0, False)
