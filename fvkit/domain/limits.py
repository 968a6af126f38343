"""Limits the user guide states, each citing its page."""

from __future__ import annotations

from datetime import timedelta

MB = 1024 * 1024

MAX_DOWNLOAD_ROWS = 20_000  # guide p.15: "downloads the first 20,000 records only"
HISTORY_PAGE_SIZE = 25  # guide p.14: "1-25 of 59"

VOICEMAIL_NAME_MAX_BYTES = 10 * MB  # guide p.19: WAV PCM or MP3, maximum 10 MB
ANNOUNCEMENT_MAX_BYTES = 5 * MB  # guide p.28: announcement sound file, maximum 5 MB
REMINDER_AUDIO_MAX_BYTES = 5 * MB  # guide p.40: WAV PCM, maximum 5 MB
PICTURE_MAX_BYTES = 5 * MB  # guide p.57: picture 5 MB or less
PICTURE_RATIO_MIN = 0.85  # guide p.57: width/height between 0.85 and 1.2
PICTURE_RATIO_MAX = 1.2  # guide p.57
COVER_PAGE_MAX_BYTES = 200 * MB  # guide p.34: cover page 200 MB or less
COVER_PAGE_MAX_PAGES = 1  # guide p.34: a PDF cover page is one page only

CONFERENCE_ANNOUNCEMENT_RATE_HZ = 8_000  # guide p.39: 8 kHz
CONFERENCE_ANNOUNCEMENT_CHANNELS = 1  # guide p.39: mono
CONFERENCE_ANNOUNCEMENT_SAMPLE_BYTES = 2  # guide p.39: 16-bit PCM

#: Audio the simulator renders (SIM-6): telephone-quality WAV.
AUDIO_RATE_HZ = 8_000
AUDIO_CHANNELS = 1
AUDIO_SAMPLE_BYTES = 2

CLOUD_PIN_TTL = timedelta(hours=24)  # guide p.50: the cloud PIN expires in 24 hours
MOBILE_QR_TTL = timedelta(hours=24)  # guide p.45: the QR code expires in 24 hours

TWINNING_MAX_SCHEDULES = 3  # guide p.30: three schedules maximum

#: our bound: a recurring reminder or conference has at most this many events, and one
#: expansion of a rule (a calendar view, a simulated window) yields at most this many
MAX_OCCURRENCES = 366

DEFAULT_RING_DURATION_S = 20  # guide p.58 ring duration before voicemail (FortiVoice default)

#: guide p.36: (first extension count of the range, user conferences, participants)
CONFERENCE_LIMITS: tuple[tuple[int, int, int], ...] = (
    (0, 3, 8),
    (201, 3, 20),
    (501, 5, 20),
    (1001, 10, 20),
    (5001, 20, 20),
    (10001, 20, 20),
)


def conference_limits(extension_count: int) -> tuple[int, int]:
    """Return (simultaneous user conferences, participants) for an organisation size."""
    conferences, participants = CONFERENCE_LIMITS[0][1:]
    for lowest, conf, part in CONFERENCE_LIMITS:
        if extension_count >= lowest:
            conferences, participants = conf, part
    return conferences, participants


#: Sign-in throttling: this many failures in the window lock the extension out.
SIGNIN_MAX_FAILURES = 5
SIGNIN_WINDOW = timedelta(minutes=15)
SIGNIN_LOCKOUT = timedelta(minutes=15)

#: "Remember me" keeps a browser signed in this long (AUTH-2). Not in the guide: our bound.
REMEMBER_ME_TTL = timedelta(days=7)

#: A sign-in without Remember me lasts for the browser session (a session cookie), and at
#: most this long server-side even if the browser stays open (AUTH-2/3). Not in the guide.
SESSION_TTL = timedelta(hours=12)

#: The voicemail PIN "hint" shows that a PIN is set, never any of its digits or its length.
VM_PIN_HINT = "******"

# --- text fields (not in the guide: our bounds, so no field stores or renders unbounded text)
NAME_MAX_CHARS = 100  # names and titles: cover pages, sound files, events, reminders
DESCRIPTION_MAX_CHARS = 1_000  # descriptions
FAX_HEADER_MAX_CHARS = 100  # FAX-2: more than fits beside time, FROM, TO and "P.n/N" on a Letter page
FAX_STATION_ID_MAX_CHARS = 20  # ITU-T T.30: a fax station identifier is at most 20 characters
COVER_FIELD_MAX_CHARS = 200  # a Dynamic cover page's From, Email, Subject and Company lines
COVER_COMMENTS_MAX_CHARS = 8_000  # far more than fits under Comments on one page
FAX_ATTACHMENTS_MAX_BYTES = 200 * MB  # all attachments of one fax together (the cover page's own limit, p.34)


def too_long(label: str, value: str, limit: int) -> str | None:
    """Return the message for a text field over its limit, or None when it fits."""
    if len(value) <= limit:
        return None
    return f"{label} takes at most {limit:,} characters ({len(value):,} entered)."


#: Pictures (PREF-2): the guide bounds bytes (p.57), not pixels; a small PNG can hold a huge
#: image, so pixels are bounded too, read from the header before anything is decoded.
PICTURE_MAX_PIXELS = 16_000_000
PICTURE_THUMBNAIL_PX = 512  # the stored picture is at most this wide and high

#: Shortest upload that counts as audio (greetings, sound files, announcements): not in the
#: guide; a file with no audio, or two MP3 frames, is no greeting.
MIN_AUDIO_SECONDS = 0.1

#: A fax file's page descriptions, decompressed, may take at most this much (not in the guide):
#: a small PDF whose streams expand to a gigabyte is refused before anything renders it.
PDF_MAX_EXPANDED_BYTES = 100 * MB
