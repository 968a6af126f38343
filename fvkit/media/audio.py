"""Render simulated voicemails and call recordings as WAV, and inspect uploaded audio."""

from __future__ import annotations

import io
import itertools
import math
import re
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from fvkit.domain.limits import AUDIO_CHANNELS, AUDIO_RATE_HZ, AUDIO_SAMPLE_BYTES, MIN_AUDIO_SECONDS

Signal = NDArray[np.float64]

MAX_SECONDS = 3600.0
_MALE = ("m1", "m2", "m3", "m4", "m7")  # espeak-ng variants that sound least robotic
_FEMALE = ("f1", "f2", "f3", "f4", "f5")
_NOISE_RMS = 0.0015  # about -56 dBFS: a quiet line, but never digital silence
# Speech past the end is cut anyway, so espeak-ng need not say it: the fastest voice
# (185 wpm) speaks about 18 characters a second.
_CHARS_PER_SECOND = 24
_SPEECH_TIMEOUT_S = 120
_FADE_FRAMES = 80  # 10 ms, so a trimmed ending does not click
_HALF_TAPS = 64  # resampler taps either side: with Blackman, aliases stay under -85 dB


@dataclass(frozen=True, slots=True)
class _Voice:
    variant: str
    speed: int
    pitch: int
    gain: float
    tone_hz: float


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """What an audio file really is, read from its bytes."""

    format: str
    rate: int
    channels: int
    sample_bytes: int
    seconds: float
    pcm: bool


UNKNOWN = AudioInfo("unknown", 0, 0, 0, 0.0, False)


def has_speech() -> bool:
    """Say whether espeak-ng (or espeak) is on PATH."""
    return _speech_binary() is not None


def render_message(seed: int, script: str, seconds: float) -> bytes:
    """Render a voicemail: the script spoken once, then quiet line noise, as WAV bytes."""
    frames = _frames(seconds)
    rng = _rng(seed)
    voice = _pick_voice(rng, _MALE + _FEMALE)
    out = _noise(rng, frames)
    lead = int(rng.integers(round(0.2 * AUDIO_RATE_HZ), round(0.6 * AUDIO_RATE_HZ)))
    _mix(out, _utter(_clip_text(script, seconds), voice, rng, frames - lead), lead)
    return _wav_bytes(_fade_out(out))


def render_recording(seed: int, script: str, seconds: float, paused: Sequence[tuple[float, float]]) -> bytes:
    """Render a two-party call recording with the paused spans cut out, as WAV bytes."""
    frames = _frames(seconds)
    spans = _check_spans(paused, seconds)
    rng = _rng(seed)
    voices = [_pick_voice(rng, _MALE), _pick_voice(rng, _FEMALE)]
    if rng.random() < 0.5:
        voices.reverse()
    out = _noise(rng, frames)
    at = int(rng.integers(round(0.1 * AUDIO_RATE_HZ), round(0.4 * AUDIO_RATE_HZ)))
    for turn, text in enumerate(_turns(_clip_text(script, seconds))):
        if at >= frames:
            break  # the rest of the script falls after the call ended
        at += _mix(out, _utter(text, voices[turn % 2], rng, frames - at), at)
        at += int(rng.integers(round(0.25 * AUDIO_RATE_HZ), round(0.9 * AUDIO_RATE_HZ)))
    keep = np.ones(frames, dtype=bool)
    for start, end in spans:
        keep[round(start * AUDIO_RATE_HZ) : round(end * AUDIO_RATE_HZ)] = False
    kept = out[keep]
    # NOTE: rounding each span to frames can leave the total one frame off the
    # rounded difference the caller expects, so settle the length last.
    target = round((seconds - sum(end - start for start, end in spans)) * AUDIO_RATE_HZ)
    if kept.size < target:
        kept = np.concatenate([kept, _noise(rng, target - kept.size)])
    return _wav_bytes(_fade_out(kept[:target]))


def audio_info(data: bytes) -> AudioInfo:
    """Tell WAV from MP3 from anything else by content, never by file name; never raise.

    Content that is not real audio is UNKNOWN, whatever its header says: no audio (under
    MIN_AUDIO_SECONDS), or sizes the file does not hold (a WAV claiming 4 GB of data, an
    MP3 whose frame count needs more bytes than it has).
    """
    info = _info(data)
    if info is UNKNOWN or info.rate <= 0:
        return info
    return info if info.seconds >= MIN_AUDIO_SECONDS else UNKNOWN


def _info(data: bytes) -> AudioInfo:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _wav_info(data) if _wav_sizes_hold(data) else UNKNOWN
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for byte in data[6:10]:  # syncsafe: 7 bits per byte
            size = (size << 7) | (byte & 0x7F)
        start = 10 + size + (10 if data[5] & 0x10 else 0)
        return _mp3_info(data, start, scan=True) or AudioInfo("mp3", 0, 0, 0, 0.0, False)
    return _mp3_info(data, 0, scan=False) or UNKNOWN


def _wav_sizes_hold(data: bytes) -> bool:
    """Return whether every chunk's stated size fits in the file (the data chunk's above all)."""
    pos, found_data = 12, False
    while pos + 8 <= len(data):
        chunk, size = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        if body + size > len(data) + 1:  # one pad byte may be missing at the very end
            return False
        found_data = found_data or chunk == b"data"
        pos = body + size + (size & 1)
    return found_data


def _speech_binary() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def _rng(seed: int) -> np.random.Generator:
    # default_rng refuses negative seeds; fold them into its range instead.
    return np.random.default_rng(seed % 2**64)


def _frames(seconds: float) -> int:
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be > 0 and <= {MAX_SECONDS:g}, got {seconds!r}")
    return round(seconds * AUDIO_RATE_HZ)


def _check_spans(paused: Sequence[tuple[float, float]], seconds: float) -> list[tuple[float, float]]:
    spans = sorted((float(start), float(end)) for start, end in paused)
    for start, end in spans:
        if not (math.isfinite(start) and math.isfinite(end) and 0 <= start <= end <= seconds):
            raise ValueError(f"paused span ({start:g}, {end:g}) must satisfy 0 <= from <= to <= {seconds:g}")
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise ValueError(f"paused spans overlap at {start:g} s")
    return spans


def _pick_voice(rng: np.random.Generator, variants: tuple[str, ...]) -> _Voice:
    variant = variants[int(rng.integers(len(variants)))]
    base = 120.0 if variant.startswith("m") else 210.0
    return _Voice(
        variant=variant,
        speed=int(rng.integers(140, 186)),
        pitch=int(rng.integers(30, 71)),
        gain=float(rng.uniform(0.35, 0.6)),
        tone_hz=base * float(rng.uniform(0.85, 1.2)),
    )


def _clip_text(script: str, seconds: float) -> str:
    return script[: math.ceil(seconds * _CHARS_PER_SECOND)]


def _turns(script: str) -> list[str]:
    return [turn for turn in re.split(r"(?<=[.!?])\s+|\n+", script) if turn.strip()]


def _utter(text: str, voice: _Voice, rng: np.random.Generator, limit: int) -> Signal:
    if not text.strip() or limit <= 0:
        return np.zeros(0)
    body = _speak(text, voice, limit) if has_speech() else _tones(text, voice, rng)[:limit]
    peak = float(np.max(np.abs(body))) if body.size else 0.0
    return body * (voice.gain / peak) if peak > 0 else body


def _speak(text: str, voice: _Voice, limit: int) -> Signal:
    binary = _speech_binary()
    if binary is None:
        raise RuntimeError("no espeak-ng or espeak on PATH")
    with tempfile.TemporaryDirectory(prefix="fvkit-speech-") as tmp:
        # A file rather than argv: no length limit and no text mistaken for an option.
        script, out = Path(tmp, "script.txt"), Path(tmp, "speech.wav")
        script.write_text(text, encoding="utf-8")
        argv = [binary, "-w", str(out), "-v", f"en-us+{voice.variant}"]
        argv += ["-s", str(voice.speed), "-p", str(voice.pitch), "-f", str(script)]
        done = subprocess.run(  # noqa: S603 - fixed binary, list argv, no shell
            argv, capture_output=True, timeout=_SPEECH_TIMEOUT_S, check=False
        )
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"{binary} failed: {done.stderr.decode(errors='replace')}")
        with wave.open(str(out), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            raw = wav.readframes(wav.getnframes())
    if width != 2:
        raise RuntimeError(f"{binary} wrote {8 * width}-bit audio, expected 16-bit")
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    # Speech past the end of the message is never heard: skip resampling it.
    needed = math.ceil(limit * rate / AUDIO_RATE_HZ) + 2 * _HALF_TAPS
    mono = samples[: needed * channels].reshape(-1, channels).mean(axis=1)
    return _resample(mono, rate, AUDIO_RATE_HZ)[:limit]


def _tones(text: str, voice: _Voice, rng: np.random.Generator) -> Signal:
    parts: list[Signal] = []
    for word in text.split():
        length = min(max(0.06 * len(word) + 0.08, 0.12), 0.7)
        n = round(length * AUDIO_RATE_HZ)
        start_hz = voice.tone_hz * float(rng.uniform(0.85, 1.25))
        glide = np.linspace(1.0, float(rng.uniform(0.9, 1.1)), n)
        phase = 2 * np.pi * np.cumsum(start_hz * glide) / AUDIO_RATE_HZ
        # A few harmonics make it voice-like rather than a test tone.
        tone = np.sin(phase) + 0.4 * np.sin(2 * phase) + 0.2 * np.sin(3 * phase)
        ramp = np.minimum(1.0, np.minimum(np.arange(n), np.arange(n)[::-1]) / 160)
        parts.append(tone * ramp)
        pause = (0.3, 0.6) if word[-1] in ".,;:!?" else (0.06, 0.14)
        parts.append(np.zeros(round(float(rng.uniform(*pause)) * AUDIO_RATE_HZ)))
    return np.concatenate(parts) if parts else np.zeros(0)


def _resample(x: Signal, src: int, dst: int) -> Signal:
    """Resample by a windowed-sinc polyphase filter that also cuts what dst cannot carry."""
    if src == dst or x.size == 0:
        return x
    ratio = Fraction(src, dst)
    down, up = ratio.numerator, ratio.denominator
    half = _HALF_TAPS
    cutoff = 0.4375 * dst / src  # cycles per input sample: 3.5 kHz of 4 kHz at 8 kHz
    offsets = np.arange(-half + 1, half + 1)
    # Output m sits at input time m*down/up: only `up` distinct fractional phases exist.
    d = np.arange(up)[:, None] / up - offsets[None, :]
    window = 0.42 + 0.5 * np.cos(np.pi * d / half) + 0.08 * np.cos(2 * np.pi * d / half)
    table = 2 * cutoff * np.sinc(2 * cutoff * d) * window
    padded = np.concatenate([np.zeros(half), x, np.zeros(half + 1)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half)
    out = np.empty(round(x.size * dst / src))
    # Outputs r, r+up, r+2*up ... share one phase and step `down` inputs apart: a strided
    # view of the windows times one row of the table, with no copy of the signal.
    for r in range(min(up, out.size)):
        base, phase = divmod(r * down, up)
        rows = out[r::up].size
        out[r::up] = windows[base + 1 :: down][:rows] @ table[phase]
    return out


def _noise(rng: np.random.Generator, frames: int) -> Signal:
    white = rng.normal(0.0, 1.0, frames + 2)
    # Smoothing tilts the hiss towards the low end, like a phone line.
    return np.convolve(white, [0.25, 0.5, 0.25], mode="valid") * (_NOISE_RMS / math.sqrt(0.375))


def _mix(out: Signal, sound: Signal, at: int) -> int:
    room = max(0, min(sound.size, out.size - at))
    out[at : at + room] += sound[:room]
    return int(sound.size)


def _fade_out(x: Signal) -> Signal:
    n = min(_FADE_FRAMES, x.size)
    x[x.size - n :] *= np.linspace(1.0, 0.0, n)
    return x


def _wav_bytes(x: Signal) -> bytes:
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(AUDIO_CHANNELS)
        wav.setsampwidth(AUDIO_SAMPLE_BYTES)
        wav.setframerate(AUDIO_RATE_HZ)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _wav_info(data: bytes) -> AudioInfo:
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            rate, frames = wav.getframerate(), wav.getnframes()
            return AudioInfo("wav", rate, wav.getnchannels(), wav.getsampwidth(), frames / rate, True)
    except Exception:
        # NOTE: on hostile bytes wave raises wave.Error, EOFError, RuntimeError, struct.error
        # and more; any of them just means "read the fmt chunk by hand" below.
        fmt = _riff_fmt(data)
    if fmt is None:
        return UNKNOWN
    tag, channels, rate, align, bits, data_bytes = fmt
    # Python 3.11's wave rejects WAVE_FORMAT_EXTENSIBLE even when it wraps PCM.
    if tag == 1:
        return UNKNOWN  # claims PCM yet wave cannot read it: corrupt
    seconds = data_bytes / (rate * align) if rate and align else 0.0
    return AudioInfo("wav", rate, channels, bits // 8, seconds, tag == 0x10001)


def _riff_fmt(data: bytes) -> tuple[int, int, int, int, int, int] | None:
    fmt: tuple[int, int, int, int, int] | None = None
    data_bytes, pos = 0, 12
    while pos + 8 <= len(data):
        chunk, size = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        if chunk == b"fmt " and size >= 16 and body + 16 <= len(data):
            tag, channels, rate, _, align, bits = struct.unpack_from("<HHIIHH", data, body)
            if tag == 0xFFFE and size >= 26 and body + 26 <= len(data):
                # Extensible: the real format code opens the sub-format GUID.
                tag = 0x10000 | struct.unpack_from("<H", data, body + 24)[0]
            fmt = (tag, channels, rate, align, bits)
        elif chunk == b"data":
            data_bytes = min(size, len(data) - body)
        pos = body + size + (size & 1)
    return None if fmt is None else (*fmt, data_bytes)


_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_MP3_KBPS_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MP3_KBPS_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def _mp3_frame(data: bytes, pos: int) -> tuple[int, int, int, int, bool] | None:
    """Return (rate, channels, kbps, frame bytes, MPEG-1) of a Layer III header at pos."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version, layer = (data[pos + 1] >> 3) & 3, (data[pos + 1] >> 1) & 3
    kbps_index, rate_index = data[pos + 2] >> 4, (data[pos + 2] >> 2) & 3
    if version == 1 or layer != 1 or kbps_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    kbps = (_MP3_KBPS_V1 if mpeg1 else _MP3_KBPS_V2)[kbps_index]
    rate = _MP3_RATES[version][rate_index]
    length = (144 if mpeg1 else 72) * kbps * 1000 // rate + ((data[pos + 2] >> 1) & 1)
    channels = 1 if data[pos + 3] >> 6 == 3 else 2
    return rate, channels, kbps, length, mpeg1


def _mp3_info(data: bytes, start: int, *, scan: bool) -> AudioInfo | None:
    end = min(len(data), start + 65536) if scan else start + 1
    pos = data.find(b"\xff", start, end)
    while pos != -1:
        frame = _mp3_frame(data, pos)
        # A second header right after the first tells a real stream from chance bytes.
        if frame and (pos + frame[3] == len(data) or _mp3_frame(data, pos + frame[3])):
            return _mp3_stream(data, pos, *frame)
        pos = data.find(b"\xff", pos + 1, end)
    return None


def _mp3_stream(data: bytes, pos: int, rate: int, channels: int, kbps: int, length: int, mpeg1: bool) -> AudioInfo:
    samples = 1152 if mpeg1 else 576
    side = (32 if channels == 2 else 17) if mpeg1 else (17 if channels == 2 else 9)
    xing = pos + 4 + side
    if data[xing : xing + 4] in (b"Xing", b"Info") and xing + 12 <= len(data):
        flags, frames = struct.unpack_from(">II", data, xing + 4)
        if flags & 1:
            seconds = frames * samples / rate
            # even at the lowest bit rate that many frames need this many bytes: a lie otherwise
            if (len(data) - pos) * 8 < seconds * (32_000 if mpeg1 else 8_000) * 0.9:
                return UNKNOWN
            return AudioInfo("mp3", rate, channels, 0, seconds, False)
    tail = 128 if data[-128:-125] == b"TAG" else 0  # ID3v1 trailer is not audio
    seconds = (len(data) - pos - tail) * 8 / (kbps * 1000)
    return AudioInfo("mp3", rate, channels, 0, seconds, False)
