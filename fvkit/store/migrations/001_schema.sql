-- 001: the whole portal schema (PORTAL.md). Singular names are tables; the plural
-- analyst views (calls, call_history, call_flow, ...) come in 002 and are documented
-- in docs/SCHEMA.md. Times are UTC TIMESTAMPs (microseconds).
-- NOTE: the bulk call tables (cdr, flow_event) carry no PK/CHECK constraints: on this
-- machine they make bulk inserts 2.8-4.4x slower (notes/PERFORMANCE.md); the
-- simulator guarantees their invariants and the tests check them.

CREATE TABLE organisation (
    id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    domain VARCHAR NOT NULL,
    cloud_id VARCHAR NOT NULL,
    time_zone VARCHAR NOT NULL,
    access_number VARCHAR NOT NULL,     -- conference access extension (guide p.38)
    operator VARCHAR NOT NULL,          -- where auto attendants send callers
    seed BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sim_state (
    key VARCHAR PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE extension (
    number VARCHAR PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    ext_type VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    location VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    access_level VARCHAR NOT NULL,
    auth_type VARCHAR NOT NULL,
    privileges VARCHAR[] NOT NULL,
    did VARCHAR NOT NULL,                -- external number that reaches it ('' if none)
    password_hash VARCHAR,               -- argon2id; NULL: no portal password set
    vm_pin_hash VARCHAR,
    vm_pin_hint VARCHAR NOT NULL DEFAULT '',
    personal_code_hash VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'Not in use',  -- header status (HOME-2)
    status_at TIMESTAMP
);

CREATE TABLE schedule (
    name VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL,
    weekdays INTEGER[] NOT NULL,         -- 0 = Monday
    start_minute INTEGER NOT NULL,       -- minutes after midnight, organisation time
    end_minute INTEGER NOT NULL,
    inverted BOOLEAN NOT NULL DEFAULT false  -- true: every time outside the window
);

CREATE TABLE trunk (
    name VARCHAR PRIMARY KEY,
    provider VARCHAR NOT NULL,
    lines INTEGER NOT NULL
);

CREATE TABLE auto_attendant (
    name VARCHAR PRIMARY KEY,
    extension VARCHAR NOT NULL,
    description VARCHAR NOT NULL
);

CREATE TABLE media_blob (
    sha256 VARCHAR PRIMARY KEY,
    mime VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sound_file (
    id BIGINT PRIMARY KEY,
    owner VARCHAR,                       -- NULL: a system sound file
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    blob_sha256 VARCHAR,                 -- NULL: rendered from script on demand
    script VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE efax_account (
    name VARCHAR PRIMARY KEY,
    number VARCHAR NOT NULL,
    extension VARCHAR NOT NULL,
    monitors VARCHAR[] NOT NULL          -- extensions allowed to monitor it (FAX-5)
);

CREATE TABLE business_contact (
    id BIGINT PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    company VARCHAR NOT NULL,
    main_number VARCHAR NOT NULL,
    mobile_number VARCHAR NOT NULL,
    email VARCHAR NOT NULL
);

CREATE TABLE system_speed_dial (
    code VARCHAR PRIMARY KEY,
    number VARCHAR NOT NULL,
    label VARCHAR NOT NULL
);

CREATE TABLE park_slot (
    slot VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL
);

CREATE TABLE device (
    id BIGINT PRIMARY KEY,
    extension VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- 'desk' or 'soft'
    model VARCHAR NOT NULL,
    mac VARCHAR NOT NULL,
    ip VARCHAR NOT NULL,
    phone_info VARCHAR NOT NULL,
    client_version VARCHAR NOT NULL,
    os_platform VARCHAR NOT NULL,
    os_version VARCHAR NOT NULL,
    registry_time TIMESTAMP,
    expiry_time TIMESTAMP,
    revoked BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE programmable_key (
    device_id BIGINT NOT NULL,
    page INTEGER NOT NULL,
    position INTEGER NOT NULL,
    assigned VARCHAR NOT NULL,           -- Reserved / Admin Assigned / User Assigned
    function VARCHAR NOT NULL,
    resource VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    PRIMARY KEY (device_id, page, position)
);

CREATE TABLE cloud_pin (
    extension VARCHAR PRIMARY KEY,
    pin_hash VARCHAR NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE contact (
    id BIGINT PRIMARY KEY,
    owner VARCHAR NOT NULL,
    display_name VARCHAR NOT NULL,
    main_number VARCHAR NOT NULL,
    mobile_number VARCHAR NOT NULL DEFAULT '',
    home_number VARCHAR NOT NULL DEFAULT '',
    email VARCHAR NOT NULL DEFAULT '',
    description VARCHAR NOT NULL DEFAULT '',
    favorite BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE speed_dial (
    owner VARCHAR NOT NULL,
    keypad INTEGER NOT NULL,
    number VARCHAR NOT NULL,
    contact_id BIGINT,
    PRIMARY KEY (owner, keypad)
);

CREATE TABLE block_entry (
    id BIGINT PRIMARY KEY,
    owner VARCHAR NOT NULL,
    number VARCHAR NOT NULL,
    display_name VARCHAR NOT NULL DEFAULT '',
    description VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE handling (
    owner VARCHAR PRIMARY KEY,
    dnd BOOLEAN NOT NULL,
    forward_to VARCHAR NOT NULL,         -- '' = Call forward OFF
    call_waiting BOOLEAN NOT NULL,
    ring_seconds INTEGER NOT NULL,
    twinning_mode VARCHAR NOT NULL,
    twinning_status VARCHAR NOT NULL,
    twinning_number VARCHAR NOT NULL,
    quick_status VARCHAR,                -- effective quick mode, NULL when none
    quick_expires TIMESTAMP,             -- NULL: until cancelled (*720)
    registered BOOLEAN NOT NULL DEFAULT true  -- false: "Phone not connected"
);

-- Statuses whose call process is "User defined" (the rest use the system default).
CREATE TABLE handling_mode (
    owner VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    PRIMARY KEY (owner, status)
);

CREATE TABLE handling_rule (
    owner VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    schedule VARCHAR NOT NULL,
    applies_to VARCHAR[] NOT NULL,       -- Internal / External / Office peer
    action VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    PRIMARY KEY (owner, status, seq)
);

CREATE TABLE follow_me_number (
    owner VARCHAR NOT NULL,
    profile VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    number VARCHAR NOT NULL,
    ring_seconds INTEGER NOT NULL,
    PRIMARY KEY (owner, profile, seq)
);

CREATE TABLE twinning_schedule (
    owner VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    schedule VARCHAR NOT NULL,
    number VARCHAR NOT NULL,
    PRIMARY KEY (owner, seq)
);

CREATE TABLE quick_mode_setting (
    owner VARCHAR NOT NULL,
    status VARCHAR NOT NULL,             -- Out of office / Away / Other
    duration_minutes INTEGER,            -- NULL: until cancelled
    PRIMARY KEY (owner, status)
);

CREATE TABLE preference (
    owner VARCHAR PRIMARY KEY,
    phone_language VARCHAR NOT NULL,
    web_language VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    time_zone VARCHAR NOT NULL,
    picture_sha256 VARCHAR,
    vm_notification VARCHAR NOT NULL,
    missed_call_email BOOLEAN NOT NULL,
    notify_emails VARCHAR NOT NULL,
    vm_operator BOOLEAN NOT NULL,        -- caller may press 0 for the operator (VM-8)
    vm_name VARCHAR NOT NULL,            -- Standard / Personal
    vm_name_sha256 VARCHAR,
    greeting_type VARCHAR NOT NULL
);

CREATE TABLE greeting (
    owner VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,               -- Simple / Busy / Unavailable / schedule:<name>
    blob_sha256 VARCHAR NOT NULL,
    PRIMARY KEY (owner, kind)
);

-- One row per call and owning extension (a call between two extensions is in both
-- histories); is_primary marks the one row per call the `calls` view shows.
CREATE TABLE cdr (
    owner VARCHAR NOT NULL,
    is_primary BOOLEAN NOT NULL,
    placed BOOLEAN NOT NULL,             -- owner is the caller
    uniqueid VARCHAR NOT NULL,
    linkedid VARCHAR NOT NULL,
    start_time TIMESTAMP NOT NULL,
    answer_time TIMESTAMP,
    end_time TIMESTAMP NOT NULL,
    duration INTEGER NOT NULL,
    billsec INTEGER NOT NULL,
    src VARCHAR NOT NULL,
    dst VARCHAR NOT NULL,
    from_name VARCHAR NOT NULL,
    to_name VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,
    disposition VARCHAR NOT NULL,
    call_type VARCHAR NOT NULL,
    trunk VARCHAR NOT NULL,
    dnis VARCHAR NOT NULL,
    destination VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    account_code VARCHAR NOT NULL,
    dcontext VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    dstchannel VARCHAR NOT NULL,
    lastapp VARCHAR NOT NULL,
    lastdata VARCHAR NOT NULL,
    amaflags VARCHAR NOT NULL,
    userfield VARCHAR NOT NULL
);

CREATE TABLE flow_event (
    linkedid VARCHAR NOT NULL,
    seq SMALLINT NOT NULL,
    time TIMESTAMP NOT NULL,
    description VARCHAR NOT NULL
);

CREATE TABLE voicemail (
    id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,
    linkedid VARCHAR NOT NULL,
    caller VARCHAR NOT NULL,
    caller_name VARCHAR NOT NULL,
    received TIMESTAMP NOT NULL,
    duration INTEGER NOT NULL,
    urgent BOOLEAN NOT NULL,
    is_new BOOLEAN NOT NULL,
    forwarded_from VARCHAR NOT NULL,
    seed BIGINT NOT NULL,                -- recipe: rendered on demand (SIM-6)
    script VARCHAR NOT NULL
);

CREATE TABLE recording (
    id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,
    linkedid VARCHAR NOT NULL,
    peer VARCHAR NOT NULL,
    peer_name VARCHAR NOT NULL,
    started TIMESTAMP NOT NULL,
    duration INTEGER NOT NULL,           -- seconds of audio kept (pauses removed)
    paused VARCHAR NOT NULL,             -- JSON [[from_s, to_s], ...] paused by *31
    forwarded_from VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    script VARCHAR NOT NULL
);

CREATE TABLE fax (
    id BIGINT NOT NULL,
    owner VARCHAR NOT NULL,              -- extension or eFax account name
    box VARCHAR NOT NULL,                -- Inbox / Sent
    linkedid VARCHAR NOT NULL,
    remote_number VARCHAR NOT NULL,
    remote_name VARCHAR NOT NULL,
    time TIMESTAMP NOT NULL,
    pages INTEGER NOT NULL,
    status VARCHAR NOT NULL,
    seed BIGINT NOT NULL,
    blob_sha256 VARCHAR                  -- NULL: rendered from seed on demand
);

CREATE TABLE cover_page (
    id BIGINT PRIMARY KEY,
    owner VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    blob_sha256 VARCHAR NOT NULL
);

CREATE TABLE conference (
    id BIGINT PRIMARY KEY,
    owner VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    conference_id VARCHAR NOT NULL,
    attendee_pin VARCHAR NOT NULL,
    organizer_pin_mode VARCHAR NOT NULL,
    organizer_pin_hash VARCHAR,
    description VARCHAR NOT NULL,
    location VARCHAR NOT NULL,
    starts TIMESTAMP NOT NULL,
    ends TIMESTAMP NOT NULL,
    all_day BOOLEAN NOT NULL,
    rrule VARCHAR NOT NULL
);

CREATE TABLE conference_attendee (
    conference BIGINT NOT NULL,
    email VARCHAR NOT NULL,
    display_name VARCHAR NOT NULL
);

CREATE TABLE reminder (
    id BIGINT PRIMARY KEY,
    owner VARCHAR NOT NULL,              -- extension, or 'system'
    title VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    location VARCHAR NOT NULL,
    starts TIMESTAMP NOT NULL,
    rrule VARCHAR NOT NULL,
    audio VARCHAR NOT NULL,              -- Default / Customized
    audio_sha256 VARCHAR
);

CREATE TABLE reminder_guest (
    reminder BIGINT NOT NULL,
    guest VARCHAR NOT NULL,              -- extension number or external number
    external BOOLEAN NOT NULL
);

CREATE TABLE signin_state (
    extension VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_failure TIMESTAMP,
    locked_until TIMESTAMP
);

CREATE TABLE session_token (
    token_sha256 VARCHAR PRIMARY KEY,    -- only a hash of the browser's token is kept
    extension VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
